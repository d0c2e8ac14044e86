#!/bin/sh
# Documentation gate: the code in the EXAMPLE section of every section-3
# man page compiles as C89 and as C99 (-pedantic -Wall -Werror) against
# the source tree's headers, so a page never shows code that has rotted.
#
# Each .EX/.EE block of the section is C, a whole translation unit or a
# fragment, unless the line before .EX is the roff comment
#   .\" example-output
# (program output or input text, not compiled).  A fragment names what it
# needs, invisibly to the reader, in comment lines before and after .EX:
#   .\" example-before: #include <dmarc/dmarc.h>
#   .\" example-before: static void f(dmarc_discovery *d)
#   .\" example-before: {
#   .\" example-after: }
# Helper functions an example defines but does not call are no error.
#
# Environment: top_srcdir, CC; DMARC_EXAMPLES_KEEP=DIR keeps the sources.
set -eu
srcdir=${top_srcdir:-.}
cc=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmarc-examples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Write each example of page $1 to $tmp/NAME-N.c; prints how many.
extract() {
	awk -v out="$tmp/$(basename "$1" .3)" '
	# roff to C: \e backslash, \- minus, \(aq \(dq quotes, \& nothing
	function unroff(s) {
		gsub(/\\-/, "-", s); gsub(/\\\(aq/, "\047", s)
		gsub(/\\\(dq/, "\"", s); gsub(/\\\(rs/, "\\e", s)
		gsub(/\\&/, "", s); gsub(/\\\(em/, "--", s)
		gsub(/\\f[BIRP]/, "", s); gsub(/\\e/, "\\", s)
		return s
	}
	/^\.SH/ { insec = ($0 ~ /^\.SH "?EXAMPLES?"?$/); next }
	!insec { next }
	/^\.\\" example-output/ { skip = 1; next }
	/^\.\\" example-before: / { sub(/^\.\\" example-before: /, "");
		before = before unroff($0) "\n"; next }
	/^\.\\" example-after: / { sub(/^\.\\" example-after: /, "");
		if (file != "") print unroff($0) > file; next }
	/^\.EX/ { if (skip) { skip = 2; next }
		n++; file = out "-" n ".c"; printf "%s", before > file
		before = ""; inex = 1; next }
	/^\.EE/ { if (skip == 2) skip = 0; inex = 0; next }
	inex { print unroff($0) > file; next }
	skip == 2 { next }
	/^[^.]/ { if (file != "") { close(file); file = "" } }
	END { print n + 0 }
	' "$1"
}

fail=0 total=0 pages=0
for page in "$srcdir"/man/*.3; do
	n=$(extract "$page")
	[ "$n" -gt 0 ] || continue
	pages=$((pages + 1))
	total=$((total + n))
done
for src in "$tmp"/*.c; do
	[ -f "$src" ] || continue
	for std in c89 c99; do
		if ! $cc -std=$std -pedantic -Wall -Wno-unused-function -Werror \
		    -I"$srcdir/include" -c -o "$tmp/example.o" "$src" \
		    >"$tmp/log" 2>&1; then
			echo "FAIL $(basename "$src" .c) as $std:"
			cat "$tmp/log"
			fail=1
		fi
	done
done
if [ -n "${DMARC_EXAMPLES_KEEP:-}" ]; then
	mkdir -p "$DMARC_EXAMPLES_KEEP" && cp "$tmp"/*.c "$DMARC_EXAMPLES_KEEP"/
fi
[ "$total" -gt 0 ] || { echo "no examples found"; exit 1; }
[ "$fail" -eq 0 ] || exit 1
echo "examples: $total from $pages pages compile as C89 and C99"
