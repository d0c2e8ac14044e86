#!/bin/sh
# Header gate: each public header compiles on its own as C89 -pedantic and
# as C++, with warnings as errors.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for h in "$top_srcdir"/include/dmarc/*.h; do
	name=dmarc/$(basename "$h")
	printf '#include <%s>\nint main(void) { return 0; }\n' "$name" > "$tmp/t.c"
	${CC:-cc} -std=c89 -pedantic -Wall -Wextra -Werror \
		-I"$top_srcdir/include" -c "$tmp/t.c" -o "$tmp/t.o" ||
		{ echo "C89: $name does not compile"; fail=1; }
	cp "$tmp/t.c" "$tmp/t.cc"
	${CXX:-c++} -std=c++98 -pedantic -Wall -Wextra -Werror \
		-I"$top_srcdir/include" -c "$tmp/t.cc" -o "$tmp/t.o" ||
		{ echo "C++: $name does not compile"; fail=1; }
done
[ "$fail" -eq 0 ] || exit 1
echo "headers: all compile as C89 -pedantic and C++98 -pedantic"
