#!/bin/sh
# dmarc-report end to end, on the inputs test/dmarc-report-inputs.py
# writes (aggregate reports as XML, gzip, zip, in an mbox and a Maildir,
# RFC 7489 and RFC 9990, a failure report, duplicates, hostile text; one
# input per failure class; a report of about 1.6 MB).  Checked by
# test/dmarc-report-check.py: the summary's numbers per domain and day
# (spread over days, aligned DKIM/SPF split, dispositions, reasons,
# sources, the anomalies), that failed inputs add nothing, --json (every
# field, the error objects, the escaping), --csv (RFC 4180 read back),
# --db (the tables, duplicates skipped on a second run, the summary from
# the database alone), the progress line on a terminal only, and the
# exit statuses.  python3 is required.
# DMARC_TEST_KEEP=1 keeps the temporary directory.
set -u
build=$(cd "$top_builddir" && pwd) || exit 1
tool="$build/examples/dmarc-report"
wrap=${DMARC_TEST_WRAPPER:-}
fail=0

if ! command -v python3 >/dev/null 2>&1; then
	echo "dmarc-report: python3 not found (Debian: python3)"
	exit 1
fi
tmp=$(mktemp -d) || exit 1
[ -n "${DMARC_TEST_KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
python3 "$top_srcdir/test/dmarc-report-inputs.py" "$tmp/in" || exit 1
in="$tmp/in"

say() { printf '%s\n' "FAIL $*"; fail=1; }

# run RC-WANT NAME ARGS...: output in $tmp/NAME.out and $tmp/NAME.err
run() {
	want=$1 name=$2
	shift 2
	$wrap "$tool" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	[ "$rc" -eq "$want" ] ||
		say "$name: exit $rc, want $want: $(head -c 2000 "$tmp/$name.err")"
}

run 0 summary "$in/good"
run 0 top2 --top 2 "$in/good"
run 1 all "$in/good" "$in/bad" "$in/missing"
run 0 json --json "$in/good"
run 1 json-bad --json "$in/bad" "$in/missing"
run 0 csv --csv "$in/good"
run 0 csv-formula --csv "$in/formula"
run 0 big --json "$in/big/big.xml"
run 0 big-summary "$in/big"
run 0 stdin - <"$in/good/r1.xml"
run 1 odd --json "$in/odd"
run 1 odd-text "$in/odd"

# usage errors
run 2 usage-none
run 2 usage-both --json --csv "$in/good"
run 2 usage-unknown --bogus "$in/good"
run 2 usage-top --top many "$in/good"
run 2 usage-html --html
run 0 help --help

# --db, when built with libsqlite3
if grep -q '^#define DMARC_HAVE_SQLITE3 1' "$build/config.h"; then
	db=yes
	run 0 db1 --db "$tmp/r.db" "$in/good"
	run 0 db2 --db "$tmp/r.db" "$in/good/r1.xml" "$in/good/sub"
	run 0 db3 --db "$tmp/r.db"
	run 1 db4 --db "$tmp/r.db" --json "$in/bad"
	run 0 db5 --db "$tmp/r.db" --csv
else
	db=no
	run 2 db-unavailable --db "$tmp/r.db" "$in/good"
fi

# the progress line: on a terminal, not elsewhere
python3 - "$tool" "$in/good" "$tmp/progress" <<'PYEOF' || fail=1
import os, pty, subprocess, sys
tool, path, out = sys.argv[1:4]
master, slave = pty.openpty()
with open(out, "wb") as stdout:
    p = subprocess.Popen([tool, path], stdout=stdout, stderr=slave)
os.close(slave)
seen = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
rc = p.wait()
text = seen.decode("utf-8", "replace")
if rc != 0 or "\r" not in text or " files, " not in text or " reports, " not in text:
    print(f"FAIL progress on a terminal: exit {rc}, {text!r}")
    sys.exit(1)
PYEOF

python3 "$top_srcdir/test/dmarc-report-check.py" "$tmp" "$db" || fail=1
[ "$fail" -eq 0 ] && echo "dmarc-report: all checks passed"
exit "$fail"
