#!/bin/sh
# Documentation gate: every function declared in a public header has a man
# page and a version-script entry, and every man page renders cleanly.
set -eu
map="$top_srcdir/lib/libdmarc.map"
fail=0
funcs=$(cat "$top_srcdir"/include/dmarc/*.h | grep -v typedef |
	grep -o 'dmarc_[a-z0-9_]*[ ]*(' | tr -d ' (' | sort -u)
[ -n "$funcs" ] || { echo "no public functions found"; exit 1; }
for f in $funcs; do
	if [ ! -f "$top_srcdir/man/$f.3" ]; then
		echo "no man page: man/$f.3"; fail=1
	fi
	if ! grep -q "^[[:space:]]*$f;" "$map"; then
		echo "not in lib/libdmarc.map: $f"; fail=1
	fi
	if ! grep -q "^\.SH \"*SEE ALSO" "$top_srcdir/man/$f.3" 2>/dev/null; then
		echo "man/$f.3 lacks a SEE ALSO section"; fail=1
	fi
done
for page in "$top_srcdir"/man/*.3; do
	for section in NAME SYNOPSIS DESCRIPTION; do
		grep -q "^\.SH \"*$section" "$page" ||
			{ echo "$page lacks $section"; fail=1; }
	done
	if command -v groff >/dev/null 2>&1; then
		warn=$(groff -man -ww -z "$page" 2>&1 || true)
		[ -z "$warn" ] || { echo "$page: $warn"; fail=1; }
	fi
done
[ "$fail" -eq 0 ] || exit 1
echo "man pages: $(echo "$funcs" | wc -w) functions documented and versioned"
