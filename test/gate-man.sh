#!/bin/sh
# Documentation gate: every function declared in a public header has a man
# page and a version-script entry, every installed program a section-1
# page documenting its options, and every man page renders cleanly.
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
# Every installed program has a section-1 page, installed by
# man/Makefile.inc, naming every option its usage text (--help) lists.
progs=0
for prog in ${DMARC_BIN_PROGRAMS:-}; do
	name=$(basename "$prog")
	page="$top_srcdir/man/$name.1"
	progs=$((progs + 1))
	if [ ! -f "$page" ]; then
		echo "no man page for the installed program $name: man/$name.1"
		fail=1
		continue
	fi
	grep -q "man/$name\.1" "$top_srcdir/man/Makefile.inc" ||
		{ echo "man/$name.1 not in dist_man1_MANS"; fail=1; }
	for section in NAME SYNOPSIS DESCRIPTION OPTIONS '"EXIT STATUS"' \
	    EXAMPLES '"SEE ALSO"'; do
		grep -q "^\.SH $section" "$page" ||
			{ echo "$page lacks $section"; fail=1; }
	done
	if command -v groff >/dev/null 2>&1; then
		warn=$(groff -man -ww -z "$page" 2>&1 || true)
		[ -z "$warn" ] || { echo "$page: $warn"; fail=1; }
	fi
	if ! help=$("$top_builddir/$prog" --help); then
		echo "$name --help failed"; fail=1; continue
	fi
	text=$(sed 's/\\-/-/g' "$page")
	for opt in $(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		printf '%s\n' "$text" | grep -q -- "$opt\([^a-z-]\|\$\)" ||
			{ echo "man/$name.1 does not document $opt"; fail=1; }
	done
done
for page in "$top_srcdir"/man/*.1; do
	[ -f "$page" ] || continue
	case " ${DMARC_BIN_PROGRAMS:-} " in
		*"/$(basename "$page" .1) "*) ;;
		*)
			# dmarc-milter is installed only where libmilter is
			[ "$(basename "$page")" = dmarc-milter.1 ] &&
			    [ "${DMARC_HAVE_MILTER:-no}" != yes ] && continue
			echo "$page: no such installed program"; fail=1 ;;
	esac
done
# Section-5 pages (file formats) render cleanly too.
for page in "$top_srcdir"/man/*.5; do
	[ -f "$page" ] || continue
	if command -v groff >/dev/null 2>&1; then
		warn=$(groff -man -ww -z "$page" 2>&1 || true)
		[ -z "$warn" ] || { echo "$page: $warn"; fail=1; }
	fi
done
[ "$fail" -eq 0 ] || exit 1
echo "man pages: $(echo "$funcs" | wc -w) functions documented and versioned, $progs programs"
