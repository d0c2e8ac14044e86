#!/bin/sh
# The report reader over the corpus of test/data/reports: every input's
# events (test/report-read-dump) must equal its .expect file, whatever the
# chunking (whole, 1, 7 and 4096 bytes), and its .strict-expect file in
# strict mode where there is one.
set -u
srcdir=${srcdir:-.}
dump=./test/report-read-dump
dir=$srcdir/test/data/reports
fail=0
count=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

check() { # file expect-file [--strict]
	for chunk in 0 1 7 4096; do
		if ! $dump ${3:-} --chunk "$chunk" "$1" >"$out" 2>&1; then
			echo "FAIL: $1 (chunk $chunk${3:+, $3}): dump failed"
			cat "$out"
			fail=1
		elif ! diff -u "$2" "$out" >/dev/null; then
			echo "FAIL: $1 (chunk $chunk${3:+, $3}) differs:"
			diff -u "$2" "$out" | head -n 20
			fail=1
		fi
	done
	count=$((count + 1))
}

for expect in "$dir"/*.expect; do
	[ -e "$expect" ] || continue
	input=${expect%.expect}
	case $input in
	*.strict.*) check "$input" "$expect" --strict ;;
	*) check "$input" "$expect" ;;
	esac
	[ -e "$input.strict-expect" ] && check "$input" "$input.strict-expect" --strict
done
echo "$count corpus inputs checked"
[ "$count" -gt 0 ] || { echo "FAIL: no corpus"; exit 1; }
exit $fail
