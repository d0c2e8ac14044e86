#!/bin/sh
# Build a program against the installed copy of libdmarc found through
# pkg-config, and run it.  Args: DESTDIR libdir top_srcdir CC
set -eu
destdir=$1 libdir=$2 srcdir=$3 cc=$4
pcdir="$destdir$libdir/pkgconfig"
[ -f "$pcdir/libdmarc.pc" ] || { echo "libdmarc.pc not installed in $pcdir"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$(PKG_CONFIG_PATH="$pcdir" pkg-config --variable=prefix libdmarc)
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --define-variable=prefix="$destdir$prefix" --cflags --libs libdmarc)
# shellcheck disable=SC2086
$cc -o "$tmp/dmarc-parse" "$srcdir/examples/dmarc-parse.c" \
	"$srcdir/examples/names.c" $flags
out=$(LD_LIBRARY_PATH="$destdir$libdir" "$tmp/dmarc-parse" --json 'v=DMARC1; p=reject')
case $out in
	*'"status": "valid"'*'"p": "reject"'*) echo "installcheck: ok ($flags)" ;;
	*) echo "installcheck: unexpected output: $out"; exit 1 ;;
esac
