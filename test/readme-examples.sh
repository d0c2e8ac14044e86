#!/bin/sh
# README gate: every C program in README.md (a ```c block with a main)
# compiles and links against the build tree as C99 with warnings as
# errors, so what a reader copies works.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '
	/^```c$/ { n++; f = dir "/ex" n ".c"; inside = 1; next }
	/^```$/ { inside = 0; next }
	inside { print > f }
' "$top_srcdir/README.md"
count=0
fail=0
for f in "$tmp"/ex*.c; do
	[ -e "$f" ] || continue
	grep -q 'int main' "$f" || continue  # a fragment, not a program
	count=$((count + 1))
	${CC:-cc} -std=c99 -pedantic -Wall -Wextra -Werror \
		-I"$top_srcdir/include" "$f" -o "$f.bin" \
		-L"$top_builddir/lib/.libs" -ldmarc ||
		{ echo "README program $(basename "$f") does not build"; fail=1; }
done
[ "$fail" -eq 0 ] || exit 1
[ "$count" -gt 0 ] || { echo "no C program found in README.md"; exit 1; }
echo "README: $count C programs compile and link"
