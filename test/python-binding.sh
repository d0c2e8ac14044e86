#!/bin/sh
# The Python binding's pytest suite (bindings/python/tests), run on the
# library just built: LIBDMARC_PATH points the binding at
# lib/.libs/libdmarc.so.1 and the tests compare it with the example
# tools of this build tree.  In an AddressSanitizer build the sanitizer
# runtime is preloaded into the (uninstrumented) interpreter, so the
# binding's calls run checked.  Skipped (77) without a Python 3 that has
# pytest, without a shared library, under ThreadSanitizer and valgrind,
# and when the compiler names no ASan runtime to preload.
set -u
src=$(cd "$top_srcdir" && pwd) || exit 1
build=$(cd "$top_builddir" && pwd) || exit 1
lib="$build/lib/.libs/libdmarc.so.1"

# Under check-valgrind the interpreter would not run under valgrind
# anyway: the suite adds nothing there but minutes.
if [ -n "${DMARC_TEST_WRAPPER:-}" ]; then
	echo "SKIP: valgrind run (the interpreter is not checked by it)"
	exit 77
fi
case ${DMARC_SANITIZERS:-} in
*thread*)
	echo "SKIP: ThreadSanitizer build"
	exit 77 ;;
*address*)
	asan=$(${CC:-cc} -print-file-name=libasan.so)
	if [ ! -f "$asan" ]; then
		echo "SKIP: $CC names no libasan.so to preload"
		exit 77
	fi
	# CPython keeps memory to its exit on purpose: no leak check
	LD_PRELOAD="$asan${LD_PRELOAD:+:$LD_PRELOAD}"
	ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	export LD_PRELOAD ASAN_OPTIONS ;;
esac
if [ ! -f "$lib" ]; then
	echo "SKIP: no shared library at $lib"
	exit 77
fi
# The first interpreter with pytest: $PYTHON if set, python3 on PATH,
# then the system's (a PATH python3 of a version manager may lack the
# distribution's python3-pytest).
py=
for candidate in ${PYTHON:-} python3 /usr/bin/python3; do
	if "$candidate" -c 'import sys, pytest; sys.exit(sys.version_info < (3, 9))' \
		>/dev/null 2>&1; then
		py=$candidate
		break
	fi
done
if [ -z "$py" ]; then
	echo "SKIP: no Python 3.9+ with pytest (Debian: python3-pytest)"
	exit 77
fi

LIBDMARC_PATH="$lib" \
PYTHONPATH="$src/bindings/python/src${PYTHONPATH:+:$PYTHONPATH}" \
PYTHONDONTWRITEBYTECODE=1 \
DMARC_TOP_SRCDIR="$src" DMARC_TOP_BUILDDIR="$build" \
	"$py" -m pytest -q -p no:cacheprovider -o addopts= \
	"$src/bindings/python/tests"
