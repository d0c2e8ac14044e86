#!/bin/sh
# The aggregate report pipeline of the tools, without a network:
# dmarc-eval --spool appends the rows of the sample messages and of
# crafted ones to two spools; dmarc-reports builds the reports (DNS from
# examples/data/demo.zone and test/data/reports.zone).  Checked: the file
# names (RFC 9990 3.5.2 grammar, a UTC day), the reports against the
# schemas (xmllint), the emails (Python's email package: the attachment
# is the report file), the record counts against the messages spooled,
# the same names and Report-IDs on a second run, the --json output,
# external destinations (refused, authorized, replaced, override
# refused, temporary failure), RFC 7489 !size limits and error reports,
# --max-size parts, --carry, skipped spool lines, --sendmail (the address is no
# shell text) and the exit statuses.  xmllint and python3 are required;
# the schemas are the spec's (as in test/report-xmllint.sh).
# DMARC_TEST_KEEP=1 keeps the temporary directory.
set -u
build=$(cd "$top_builddir" && pwd) || exit 1
reports="$build/examples/dmarc-reports"
evalbin="$build/examples/dmarc-eval"
data="$top_srcdir/examples/data"
wrap=${DMARC_TEST_WRAPPER:-}
fail=0

for tool in xmllint python3; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "dmarc-reports: $tool not found (Debian: libxml2-utils, python3)"
		exit 1
	fi
done
spec=${DMARC_SPEC_DIR:-}
[ -n "$spec" ] || spec="$top_srcdir/../shared/spec"
if [ ! -f "$spec/dmarcbis-aggregate.xsd" ]; then
	if [ -e "$top_srcdir/.git" ]; then
		echo "dmarc-reports: no schemas in $spec (set DMARC_SPEC_DIR)"
		exit 1
	fi
	echo "dmarc-reports: no schemas in $spec (set DMARC_SPEC_DIR): skipped"
	exit 77
fi

tmp=$(mktemp -d) || exit 1
[ -n "${DMARC_TEST_KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
zone="$tmp/zone"
cat "$data/demo.zone" "$top_srcdir/test/data/reports.zone" >"$zone" || exit 1
T=1796126400     # 2026-12-01 12:00:00 UTC: every row's arrival day
NOW=1796256000   # 2026-12-03 00:00:00 UTC: that day's reports are due

say() { printf '%s\n' "FAIL $*"; fail=1; }

# spool_msg SPOOL EVAL-ARGS... < MESSAGE: one row (exit 0, 1 or 2: a
# result; 3, or a wrapper's own, a failure)
spool_msg() {
	s=$1
	shift
	$wrap "$evalbin" --zone "$zone" --time "$T" --spool "$s" "$@" \
		>/dev/null 2>"$tmp/eval.err"
	rc=$?
	[ "$rc" -le 2 ] || say "dmarc-eval $* (exit $rc): $(cat "$tmp/eval.err")"
}

# craft SPOOL DOMAIN EVAL-ARGS...: a message From DOMAIN, DKIM pass
craft() {
	s=$1 d=$2
	shift 2
	printf 'From: <someone@%s>\r\nSubject: test\r\n\r\nbody\r\n' "$d" |
		spool_msg "$s" --dkim "pass:$d:s1" "$@"
}

# reports RC-WANT NAME ARGS...: run dmarc-reports, output in $tmp/NAME.*
reports() {
	want=$1 name=$2
	shift 2
	$wrap "$reports" --org-name "Demo Receiver" \
		--org-email dmarc@receiver.example \
		--submitter receiver.example --zone "$zone" --now "$NOW" \
		--outdir "$tmp/$name" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	[ "$rc" -eq "$want" ] ||
		say "$name: exit $rc, want $want: $(cat "$tmp/$name.err")"
}

# ------------------------------------------------------------- spools

# spool a: the sample messages, verdicts from their own fields
for f in "$data"/*.eml; do
	spool_msg "$tmp/a" --authserv-id mx.demo.example <"$f"
done
# spool b: external destinations, and 60 rows of bank.example that do
# not compress well (for the parts)
for d in unauth authorized redirect outsourced hostile; do
	craft "$tmp/b" "$d.example" --ip 192.0.2.1
done
awk 'function next_x() { x = (x * 75 + 74) % 65537; return x }
	BEGIN { x = 7; for (i = 0; i < 60; i++)
	printf "2001:db8:%x::%x %04x%04x%04x\n", i, next_x(), next_x(),
	    next_x(), next_x() }' |
while read -r ip word; do
	craft "$tmp/b" bank.example --ip "$ip" --spf "fail:$word.example"
done
rows=$(cat "$tmp/a" "$tmp/b" | wc -l)
[ "$rows" -eq 74 ] || say "spools: $rows rows, want 9 + 65"

# ------------------------------------------------------------- runs

reports 0 run1 --spool "$tmp/a" --spool "$tmp/b" --json
reports 0 run2 --spool "$tmp/a" --spool "$tmp/b" --json
reports 0 text --spool "$tmp/a" --spool "$tmp/b"
reports 0 split --spool "$tmp/a" --spool "$tmp/b" --json --max-size 3000 \
	--pretty
# --carry: with --now inside the period nothing is due, its rows go to
# a spool, and the next run over that spool writes what a run over the
# original spool writes
reports 0 carry1 --spool "$tmp/a" --now "$T" --carry "$tmp/carried"
[ -z "$(ls "$tmp/carry1")" ] || say "carry1: reports written before their time"
[ -s "$tmp/carried" ] || say "carry1: nothing carried"
reports 0 carry2 --spool "$tmp/carried"
reports 0 alone --spool "$tmp/a"
n=0
for f in "$tmp/alone"/*.xml.gz; do
	g="$tmp/carry2/$(basename "$f")"
	n=$((n + 1))
	[ -f "$g" ] || { say "carry2: no $(basename "$f")"; continue; }
	gzip -dc "$f" >"$tmp/x1" && gzip -dc "$g" >"$tmp/x2" &&
		cmp -s "$tmp/x1" "$tmp/x2" || say "carry2: $(basename "$f") differs"
done
[ "$n" -gt 0 ] || say "alone: no reports"
# a temporary failure of an authorization check
craft "$tmp/t" tempauth.example
reports 1 tempfail --spool "$tmp/t" --json
# skipped lines: one that is no row, one torn (no line feed at the end)
{ head -n 1 "$tmp/a"; echo 'dmarc-spool/1	time=x'; head -c 60 "$tmp/a"; } \
	>"$tmp/bad"
reports 1 badlines --spool "$tmp/bad" --json
grep -q 'bad: 1 torn and 1 bad lines skipped' "$tmp/badlines.err" ||
	say "badlines: $(cat "$tmp/badlines.err")"
grep -q 'bad: line 2: ' "$tmp/badlines.err" ||
	say "badlines: no line number: $(cat "$tmp/badlines.err")"
# --sendmail: a command that records its arguments and input
mkdir "$tmp/sent" "$tmp/cwd"
cat >"$tmp/fake-sendmail" <<'EOF'
#!/bin/sh
n=$(ls "$SENT" | grep -c args)
for a in "$@"; do printf '%s\n' "$a"; done >"$SENT/$n.args"
cat >"$SENT/$n.eml"
EOF
chmod +x "$tmp/fake-sendmail"
(
	# in a directory of its own, where shell text would make files; not
	# under the wrapper, which may be a relative path (libtool)
	cd "$tmp/cwd" || exit 1
	wrap=
	SENT="$tmp/sent"
	export SENT
	reports 0 sendmail --spool "$tmp/b" --json \
		--sendmail "'$tmp/fake-sendmail' -i -f dmarc@receiver.example"
	exit $fail
) || fail=1
ls "$tmp/cwd" "$tmp" | grep -q pwned && say "sendmail: the address ran as shell text"
reports 1 sendfail --spool "$tmp/t" --spool "$tmp/a" --json --sendmail false
# RFC 7489: size limits and the error report (the system Public Suffix
# List must load)
t7=yes
if "$evalbin" --mode 7489 --zone "$zone" <"$data/01-dkim-pass.eml" 2>&1 \
    >/dev/null | grep -q 'Public Suffix List'; then
	echo "SKIP RFC 7489: no system Public Suffix List"
	t7=no
else
	for f in "$data"/0[1-3]*.eml; do
		spool_msg "$tmp/c" --mode 7489 --authserv-id mx.demo.example <"$f"
	done
	craft "$tmp/c" sized.example --mode 7489
	craft "$tmp/c" sizemix.example --mode 7489
	reports 0 rfc7489 --mode 7489 --spool "$tmp/c" --json
fi

# usage and system errors
reports 3 usage-nospool --json
reports 3 usage-both --spool "$tmp/a" --server 127.0.0.1
reports 3 usage-size --spool "$tmp/a" --max-size 10k
reports 3 missing --spool "$tmp/nonexistent"
grep -q 'nonexistent: No such file' "$tmp/missing.err" ||
	say "missing spool: $(cat "$tmp/missing.err")"
[ ! -e "$tmp/missing" ] || [ -z "$(ls "$tmp/missing")" ] ||
	say "missing spool: reports written anyway"
reports 3 bad-reporter --spool "$tmp/a" --host-id 'not ok'

# dmarc-eval: a spool that cannot be opened, a bad --time
$wrap "$evalbin" --zone "$zone" --authserv-id mx.demo.example \
	--spool "$tmp/no/such/dir" <"$data/01-dkim-pass.eml" >/dev/null \
	2>"$tmp/eval.err"
rc=$?
[ "$rc" -eq 3 ] && grep -q 'no/such/dir: No such file' "$tmp/eval.err" ||
	say "dmarc-eval bad spool: exit $rc: $(cat "$tmp/eval.err")"
$wrap "$evalbin" --zone "$zone" --time 12x --spool "$tmp/x" \
	<"$data/01-dkim-pass.eml" >/dev/null 2>&1
rc=$?
[ "$rc" -eq 3 ] && [ ! -e "$tmp/x" ] || say "dmarc-eval --time 12x: exit $rc"

# ------------------------------------------------------------- checks

python3 "$top_srcdir/test/dmarc-reports-check.py" "$tmp" "$spec" "$rows" \
	"$t7" || fail=1

[ "$fail" -eq 0 ] || exit 1
echo "dmarc-reports: all checks passed"
