#!/bin/sh
# Build a program against the installed copy of libdmarc found through
# pkg-config, and run it; then run the installed programs from the install
# prefix and check their man pages are there.
# Args: DESTDIR libdir top_srcdir CC bindir mandir "bin_PROGRAMS"
set -eu
destdir=$1 libdir=$2 srcdir=$3 cc=$4 bindir=$5 mandir=$6 programs=$7
pcdir="$destdir$libdir/pkgconfig"
[ -f "$pcdir/libdmarc.pc" ] || { echo "libdmarc.pc not installed in $pcdir"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$(PKG_CONFIG_PATH="$pcdir" pkg-config --variable=prefix libdmarc)
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --define-variable=prefix="$destdir$prefix" --cflags --libs libdmarc)
# shellcheck disable=SC2086
$cc -o "$tmp/dmarc-parse" "$srcdir/examples/dmarc-parse.c" \
	"$srcdir/examples/print.c" $flags
out=$(LD_LIBRARY_PATH="$destdir$libdir" "$tmp/dmarc-parse" --json 'v=DMARC1; p=reject')
case $out in
	*'"status": "valid"'*'"p": "reject"'*) echo "installcheck: ok ($flags)" ;;
	*) echo "installcheck: unexpected output: $out"; exit 1 ;;
esac

# The installed tools (libdmarc-tools), each with its man1 page.
LD_LIBRARY_PATH="$destdir$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH
for prog in $programs; do
	name=$(basename "$prog")
	bin="$destdir$bindir/$name"
	[ -x "$bin" ] || { echo "installcheck: $bin not installed"; exit 1; }
	[ -f "$destdir$mandir/man1/$name.1" ] ||
		{ echo "installcheck: $destdir$mandir/man1/$name.1 not installed"; exit 1; }
	out=$("$bin" --version)
	case $out in
		"$name (libdmarc) "*) ;;
		*) echo "installcheck: $name --version: $out"; exit 1 ;;
	esac
done
out=$("$destdir$bindir/dmarc-parse" --json 'v=DMARC1; p=quarantine')
case $out in
	*'"status": "valid"'*'"p": "quarantine"'*) ;;
	*) echo "installcheck: installed dmarc-parse: $out"; exit 1 ;;
esac
out=$("$destdir$bindir/dmarc-lookup" --zone "$srcdir/examples/data/demo.zone" \
	--json nx.bank.example)
case $out in
	*'"result": "found"'*'"applied_tag": "np"'*) ;;
	*) echo "installcheck: installed dmarc-lookup: $out"; exit 1 ;;
esac
echo "installcheck: installed programs run: $programs"
