#!/bin/sh
# ABI gate: the shared library exports exactly the golden list of symbols,
# every one dmarc_-prefixed and versioned LIBDMARC_*.
set -eu
so="$top_builddir/lib/.libs/libdmarc.so"
golden="$top_srcdir/test/symbols.golden"
[ -f "$so" ] || { echo "missing $so"; exit 1; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# defined, exported text/data symbols with their version
${NM:-nm} -D --defined-only "$so" | awk '$2 ~ /^[TDBR]$/ { print $3 }' |
	grep -v '^LIBDMARC_' | sort > "$tmp"
bad=$(grep -v '^dmarc_[a-z0-9_]*@@LIBDMARC_[0-9.]*$' "$tmp" || true)
if [ -n "$bad" ]; then
	echo "exported symbols without dmarc_ prefix or LIBDMARC_ version:"
	echo "$bad"
	exit 1
fi
if ! diff -u "$golden" "$tmp"; then
	echo "exported symbols differ from test/symbols.golden (see diff above)"
	exit 1
fi
echo "symbols: $(wc -l < "$tmp") exported, all match the golden list"
