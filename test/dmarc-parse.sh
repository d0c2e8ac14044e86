#!/bin/sh
# The dmarc-parse example: exit status, JSON keys and values, stdin and
# batch input.
set -u
bin="$top_builddir/examples/dmarc-parse"
fail=0

# expect NAME WANT_RC NEEDLE... -- ARGS...: run, check the exit status and
# that the output contains each needle.
expect() {
	name=$1 want=$2
	shift 2
	needles=""
	while [ "$1" != "--" ]; do
		needles="$needles$1
"
		shift
	done
	shift
	out=$("$bin" "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL $name: exit $rc, want $want: $out"; fail=1; return
	fi
	printf '%s' "$needles" | while IFS= read -r n; do
		case $out in
			*"$n"*) ;;
			*) echo "FAIL $name: missing <$n> in: $out"; exit 1 ;;
		esac
	done || fail=1
}

expect valid 0 '"status": "valid"' '"p": "reject"' '"sp": "reject"' \
	'"np": "reject"' '"adkim": "r"' '"fo": "0"' '"pct": null' '"t": "n"' \
	'"psd": "u"' '"rua": []' '"diagnostics": []' \
	-- --json 'v=DMARC1; p=reject'
expect as-none 1 '"status": "as-none"' '"p": "none"' \
	'"rua": [{"uri": "mailto:d@example.com", "scheme": "mailto", "address": "d@example.com", "size": null' \
	'"code": "bad-value", "severity": "error", "offset": 23, "length": 5, "tag": "sp"' \
	-- --json 'v=DMARC1; p=reject; sp=bogus; rua=mailto:d@example.com'
expect invalid 1 '"status": "invalid"' '"p": null' '"code": "no-policy"' \
	-- --json 'v=DMARC1; p=rejekt'
expect not-dmarc 1 '"status": "not-dmarc"' '"code": "bad-version"' \
	-- --json 'v=dmarc1; p=reject'
expect mode-7489 0 '"mode": "rfc7489"' '"pct": 25' '"ri": 86400' \
	'"rf": "afrf"' '"t": null' '"psd": null' '"np": null' \
	'"size": 10485760' \
	-- --mode 7489 --json 'v=DMARC1; p=quarantine; pct=25; rua=mailto:r@example.com!10m'
expect mode-9091 0 '"np": "reject"' \
	-- --mode 9091 --json 'v=DMARC1; p=none; np=reject'
expect strict 0 '"code": "unknown-tag"' '"p": "none"' \
	-- --strict --json 'v=DMARC1; P=reject'
expect first-wins 0 '"p": "none"' '"code": "duplicate-tag", "severity": "warning"' \
	-- --first-wins --json 'v=DMARC1; p=none; p=reject'
expect text 0 'status: valid (rfc9989)' 'effective: p=reject' \
	-- 'v=DMARC1; p=reject'
expect usage 2 'usage:' -- --mode 1234 'v=DMARC1'
expect batch 0 'status: valid' 'status: invalid' 'status: not-dmarc' \
	'status: as-none' \
	-- --batch "$top_srcdir/examples/data/records.txt"

out=$(printf 'v=DMARC1; p=quarantine\n' | "$bin" --json)
case $out in
	*'"p": "quarantine"'*) ;;
	*) echo "FAIL stdin: $out"; fail=1 ;;
esac

# A NUL is part of the record: the parser reports it where it is, the
# text is not cut there.
out=$(printf 'v=DMARC1; p=re\000ject' | "$bin" --json)
case $out in
	*'"record": "v=DMARC1; p=re\u0000ject"'*'"code": "bad-value", "severity": "error", "offset": 12, "length": 7, "tag": "p"'*) ;;
	*) echo "FAIL stdin-nul: $out"; fail=1 ;;
esac
out=$(printf 'v=DMARC1; p=reject\000; rua=mailto:a@example.com' | "$bin")
case $out in
	*'record: v=DMARC1; p=reject\x00; rua=mailto:a@example.com'*'status: as-none'*) ;;
	*) echo "FAIL stdin-nul-text: $out"; fail=1 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmarc-parse.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# Batch lines of any length are read whole (no split at 70,000 bytes),
# and a NUL inside a line stays in it.
awk 'BEGIN { s = "v=DMARC1; p=reject; x="; for (i = 0; i < 100000; i++)
	s = s "a"; print s; print "v=DMARC1; p=none" }' > "$tmp/long.txt"
printf 'v=DMARC1; p=re\000ject\n' >> "$tmp/long.txt"
out=$("$bin" --batch "$tmp/long.txt")
rc=$?
n=$(printf '%s\n' "$out" | grep -c 'status:')
if [ "$rc" -ne 0 ] || [ "$n" -ne 3 ]; then
	echo "FAIL batch-long: exit $rc, $n records (want 3)"; fail=1
fi
# (100,022 bytes: over the record length limit, 65535, in one piece)
case $out in
	*'status: invalid'*'record-too-long'*'effective: p=none'*'p=re\x00ject'*'status: invalid'*) ;;
	*) echo "FAIL batch-long: $(printf '%s' "$out" | cut -c1-200)"; fail=1 ;;
esac
head -n 1 "$tmp/long.txt" | "$bin" --json > "$tmp/one.json"
case $(cat "$tmp/one.json") in
	*'"code": "record-too-long", "severity": "error", "offset": 65535, "length": 34487'*) ;;
	*) echo "FAIL stdin-long: $(cut -c1-200 "$tmp/one.json")"; fail=1 ;;
esac
# a long record within the limit is read whole and valid
awk 'BEGIN { s = "v=DMARC1; p=reject; x="; for (i = 0; i < 65000; i++)
	s = s "a"; print s }' | "$bin" --json > "$tmp/one.json"
case $(cat "$tmp/one.json") in
	*'"status": "valid"'*'"p": "reject"'*) ;;
	*) echo "FAIL stdin-long-valid: $(cut -c1-200 "$tmp/one.json")"; fail=1 ;;
esac

[ "$fail" -eq 0 ] || exit 1
echo "dmarc-parse: all checks passed"
