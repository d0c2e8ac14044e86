#!/bin/bash
# dmarc-milter end to end with the real thing: nsd on 127.0.0.1 serves a
# test zone, Postfix (its own configuration and queue directories, SMTP
# on a free port of 127.0.0.1, delivery to a Maildir) calls dmarc-milter
# on a unix socket, swaks sends.  Checked: an aligned pass is delivered
# with dmarc=pass; p=reject and np=reject failures are refused with
# 550 5.7.1; p=quarantine goes to the hold queue; no record is delivered
# with dmarc=none; a DNS failure is 451 4.7.5, and after a reload
# (SIGHUP) with on_temperror = accept is delivered with dmarc=temperror;
# two From fields are refused, then accepted as configured; an
# untrusted Authentication-Results field is ignored and a forged one
# with our authserv-id removed (one over the library's header limit
# too); on_reject = quarantine with on_quarantine = header; multi_from;
# skipped clients; a reload with an error is refused and the
# configuration in use kept; the milter runs as the configured user;
# the spool holds one row per decided message with a policy, and
# dmarc-reports turns it into reports that validate against the RFC
# 9990 schema; SIGTERM stops the milter.
#
# Run by .ci/run as root (Postfix starts as root); not part of make
# check.  Needs postfix, swaks, nsd, xmllint.  Exit 77 when something is
# missing.  Environment: top_srcdir, top_builddir (default .),
# DMARC_SPEC_DIR (default SRCDIR/../shared/spec), DMARC_TEST_KEEP=1
# keeps the temporary directory; DMARC_TEST_WRAPPER runs the milter
# under a tool (under valgrind use --errors-for-leak-kinds=definite,indirect:
# the threads libmilter leaves running at exit keep possibly-lost stacks).
#
# SPDX-License-Identifier: BSD-2-Clause

set -u
srcdir=$(cd "${top_srcdir:-.}" && pwd) || exit 1
builddir=$(cd "${top_builddir:-.}" && pwd) || exit 1
milter=$builddir/examples/dmarc-milter
reports=$builddir/examples/dmarc-reports
spec=${DMARC_SPEC_DIR:-$srcdir/../shared/spec}

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "Postfix needs root"
for tool in /usr/sbin/postfix /usr/sbin/nsd /usr/bin/swaks xmllint; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
done
[ -x "$milter" ] || { echo "FAIL: $milter not built (libmilter-dev?)"; exit 1; }
[ -f "$spec/dmarcbis-aggregate.xsd" ] || { echo "FAIL: no schema in $spec"; exit 1; }

. "$srcdir/test/milter-env.sh"
fail=0
say() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

milter_env_start_nsd || exit 1

# --------------------------------------------------------------- milter
user=nobody
mkdir -p "$tmp/milter" "$tmp/spool"
chown "$user" "$tmp/spool"
conf=$tmp/milter/dmarc-milter.conf
# write_conf [LINE]...: the configuration, the actions left at their
# defaults unless a LINE sets them
write_conf() {
	cat >"$conf" <<EOF
# dmarc-milter for test/milter-postfix.sh
socket = unix:$tmp/milter/milter.sock
socket_mode = 0666
user = $user
log = stderr
authserv_id = mx.milter.test
trusted_authserv_ids = verifier.milter.test
dns_server = 127.0.0.1:$dns_port
dns_timeout = 1
dns_retries = 1
dns_cache = 1000
spool = $tmp/spool/rows
EOF
	[ $# -gt 0 ] && printf '%s\n' "$@" >>"$conf"
	chmod 644 "$conf"
}
write_conf    # the defaults: reject, hold, tempfail, reject, no
"$milter" --config "$conf" --check >/dev/null || { echo "FAIL: --check"; exit 1; }
# DMARC_TEST_WRAPPER: a command to run the milter under ("valgrind
# --error-exitcode=99 --leak-check=full": its errors fail the exit
# status checked at SIGTERM)
${DMARC_TEST_WRAPPER:-} "$milter" --config "$conf" --foreground \
	2>"$tmp/milter/log" &
milter_pid=$!
milter_pids=$milter_pid
for _ in $(seq 1 300); do
	[ -S "$tmp/milter/milter.sock" ] && grep -q started "$tmp/milter/log" && break
	sleep 0.1
done
[ -S "$tmp/milter/milter.sock" ] || { echo "FAIL: no milter socket"; cat "$tmp/milter/log"; exit 1; }
owner=$(ps -o user= -p "$milter_pid" | tr -d ' ')
[ "$owner" = "$user" ] && ok "the milter runs as $user" ||
	say "the milter runs as $owner, not $user"

# -------------------------------------------------------------- postfix
smtp_port=$(free_port "$dns_port") || exit 1
mkdir -p "$tmp/mail"
chown nobody "$tmp/mail"
milter_env_start_postfix "mydestination =
local_recipient_maps =
virtual_mailbox_domains = rcpt.test
virtual_mailbox_base = $tmp/mail
virtual_mailbox_maps = static:box/
virtual_uid_maps = static:$(id -u nobody)
virtual_gid_maps = static:$(id -g nobody)
virtual_minimum_uid = 1
smtpd_milters = unix:$tmp/milter/milter.sock
milter_default_action = tempfail
milter_protocol = 6" "127.0.0.1:$smtp_port inet n - n - - smtpd" || exit 1

# ---------------------------------------------------------------- cases
n_msg=0
# send NAME MAIL-FROM HEADER-LINES...: the message with Subject NAME;
# swaks' transcript in $tmp/NAME.out
send() {
	local name=$1 from=$2
	shift 2
	{
		printf '%s\n' "$@"
		printf 'Subject: %s\nMessage-ID: <%s@milter.test>\n\nbody\n' \
			"$name" "$name"
	} >"$tmp/$name.eml"
	n_msg=$((n_msg + 1))
	swaks --server 127.0.0.1 --port "$smtp_port" --helo client.milter.test \
		--from "$from" --to user@rcpt.test --data "@$tmp/$name.eml" \
		>"$tmp/$name.out" 2>&1
}
# The delivered message with Subject NAME (waits for delivery).
delivered() {
	local f
	for _ in $(seq 1 100); do
		f=$(grep -l "^Subject: $1\$" "$tmp"/mail/box/new/* 2>/dev/null | head -n 1)
		[ -n "$f" ] && { echo "$f"; return 0; }
		sleep 0.1
	done
	return 1
}
# The header block of a file, folded lines joined.
headers() {
	awk '/^\r?$/ { exit } /^[ \t]/ { sub(/^[ \t]+/, " "); line = line $0; next }
		{ if (line != "") print line; line = $0 } END { if (line != "") print line }' "$1" |
		tr -d '\r'
}
expect_reply() { # NAME CODE
	grep -q "<\*\* $2" "$tmp/$1.out" && ok "$1: refused with $2" ||
		say "$1: no '$2' reply: $(grep '^ *<\*\*' "$tmp/$1.out")"
}
# expect_delivered NAME PATTERN...: delivered, and its unfolded header
# block has a line matching each extended regular expression.
expect_delivered() {
	local name=$1 f
	shift
	if ! f=$(delivered "$name"); then
		say "$name: not delivered: $(grep '^ *<' "$tmp/$name.out" | tail -n 2)"
		return
	fi
	headers "$f" >"$tmp/$name.hdr"
	for pat in "$@"; do
		grep -Eq "$pat" "$tmp/$name.hdr" ||
			say "$name: no header line matching $pat in: $(cat "$tmp/$name.hdr")"
	done
	ok "$name: delivered"
}
# No header line of the delivered NAME matches PATTERN.
expect_no_header() {
	grep -Eq "$2" "$tmp/$1.hdr" 2>/dev/null &&
		say "$1: has a header line matching $2"
}
OWN='^Authentication-Results: mx\.milter\.test;'
TRUST='Authentication-Results: verifier.milter.test; dkim=pass header.d'

# folded fields, as MTAs pass them to milters (LF and white space)
send pass bounce@pass.example 'From: "Alice Example"' '	<a@pass.example>' \
	"$TRUST=pass.example" "	header.s=s1; spf=pass smtp.mailfrom=pass.example"
expect_delivered pass "$OWN dmarc=pass .*header\.from=pass\.example"

send reject bounce@reject.example "From: <a@reject.example>" \
	"Authentication-Results: verifier.milter.test; dkim=fail header.d=reject.example; spf=fail smtp.mailfrom=reject.example"
expect_reply reject "550 5.7.1"

send np bounce@ghost.np.example "From: <a@ghost.np.example>"
expect_reply np "550 5.7.1"

send quarantine bounce@quar.example "From: <a@quar.example>"
held=0
for _ in $(seq 1 50); do
	held=$(grep -la "Subject: quarantine" -r "$tmp/queue/hold" 2>/dev/null | wc -l)
	[ "$held" -ge 1 ] && break
	sleep 0.1
done
[ "$held" -eq 1 ] && ok "quarantine: in the hold queue" ||
	say "quarantine: $held messages in the hold queue, want 1"
grep -q "^ *<- *250 " "$tmp/quarantine.out" || say "quarantine: not accepted at SMTP"

send none bounce@norecord.example "From: <a@norecord.example>"
expect_delivered none "$OWN dmarc=none"

send temperror bounce@down.test "From: <a@down.test>"
expect_reply temperror "451 4.7.5"

send twofrom bounce@pass.example "From: <a@pass.example>" "From: <b@mon.example>"
expect_reply twofrom "550 5.7.1"

# an untrusted verifier says dkim=pass: ignored (mon.example fails
# DMARC, p=none: delivered); a forged field with our id: removed
# with our id too, longer than the library's header limit (8192 bytes),
# which its parser refuses: removed all the same
long="Authentication-Results: mx.milter.test; dmarc=pass header.from=mon.example"
for _ in $(seq 1 100); do
	long="$long"$'\n'"	(padding padding padding padding padding padding padding padding padding padding)"
done
send untrusted bounce@mon.example "From: <a@mon.example>" \
	"Authentication-Results: evil.milter.test; dkim=pass header.d=mon.example header.s=s1" \
	"Authentication-Results: mx.milter.test; dmarc=pass header.from=mon.example" \
	"$long"
expect_delivered untrusted "$OWN dmarc=fail .*header\.from=mon\.example" \
	'^Authentication-Results: evil\.milter\.test; dkim=pass'
[ "$(grep -c '^Authentication-Results: mx\.milter\.test' "$tmp/untrusted.hdr")" -eq 1 ] ||
	say "untrusted: a forged field with our authserv-id is still there"
grep -q 'ar_ignored=1 ar_removed=2$' "$tmp/milter/log" ||
	say "untrusted: the log does not count 1 field ignored and 2 removed"

# ---------------------------------------------------- reload (SIGHUP)
write_conf "on_temperror = accept" "on_from_error = accept" "multi_from = yes" \
	"on_reject = quarantine" "on_quarantine = header"
kill -HUP "$milter_pid"
for _ in $(seq 1 50); do grep -q reloaded "$tmp/milter/log" && break; sleep 0.1; done
grep -q reloaded "$tmp/milter/log" && ok "reloaded on SIGHUP" || say "no reload on SIGHUP"
kill -0 "$milter_pid" 2>/dev/null || say "the milter died on SIGHUP"

send temperror2 bounce@down.test "From: <a@down.test>"
expect_delivered temperror2 "$OWN dmarc=temperror"
send twofrom2 bounce@pass.example "From: <a@pass.example>" "From: <b@mon.example>"
expect_delivered twofrom2 '^From: <a@pass\.example>'
expect_no_header twofrom2 "$OWN"
# on_reject = quarantine, on_quarantine = header: a p=reject failure
# is delivered with the header field
send reject2 bounce@reject.example "From: <a@reject.example>"
expect_delivered reject2 "$OWN dmarc=fail .*header\.from=reject\.example" \
	'^X-DMARC-Quarantine: DMARC policy of reject\.example: quarantine$'
# multi_from = yes: one From field, two domains, each evaluated; the
# strictest failing policy applies (reject.example's, quarantined)
send multifrom bounce@pass.example "From: <a@pass.example>, <b@reject.example>" \
	"$TRUST=pass.example header.s=s1"
expect_delivered multifrom "$OWN dmarc=fail .*header\.from=reject\.example" \
	'^X-DMARC-Quarantine: DMARC policy of reject\.example: quarantine$'

# skipped clients are not evaluated: a reload with skip = 127.0.0.0/8
write_conf "skip = 127.0.0.0/8"
kill -HUP "$milter_pid"
for _ in $(seq 1 50); do [ "$(grep -c reloaded "$tmp/milter/log")" -ge 2 ] && break; sleep 0.1; done
send skipped bounce@reject.example "From: <a@reject.example>"
expect_delivered skipped '^From: <a@reject\.example>'
expect_no_header skipped "$OWN"
# a configuration with an error is refused and the one in use stays
write_conf "skip = 127.0.0.0/8" "bogus = 1"
kill -HUP "$milter_pid"
for _ in $(seq 1 50); do grep -q 'keeping the configuration in use' "$tmp/milter/log" && break; sleep 0.1; done
grep -q ':[0-9]*: unknown key "bogus"; keeping the configuration in use' "$tmp/milter/log" &&
	ok "a broken configuration is refused on SIGHUP" ||
	say "no refusal of a broken configuration in the log"
send skipped2 bounce@reject.example "From: <a@reject.example>"
expect_delivered skipped2 '^From: <a@reject\.example>'
expect_no_header skipped2 "$OWN"

# ------------------------------------------------------- log and spool
log=$tmp/milter/log
logged=$(grep -c ': client=' "$log")
[ "$logged" -eq $((n_msg - 2)) ] && ok "one log line per evaluated message ($logged)" ||
	say "$logged log lines for $((n_msg - 2)) evaluated messages: $(cat "$log")"
# rows: decided messages with a policy (pass or fail, not tempfailed)
want=$(grep ': client=' "$log" | grep -E ' dmarc=(pass|fail) ' |
	grep -vc ' action=tempfail ')
rows=$(wc -l <"$tmp/spool/rows")
# pass, reject, np, quarantine, untrusted, reject2, multifrom
[ "$want" -eq 7 ] || say "log: $want decided messages with a policy, want 7"
[ "$rows" -eq "$want" ] && ok "spool: $rows rows" ||
	say "spool: $rows rows, want $want: $(cat "$tmp/spool/rows")"

now=$(date +%s)
"$reports" --spool "$tmp/spool/rows" --org-name "Milter Test" \
	--org-email dmarc@milter.test --submitter milter.test \
	--server "127.0.0.1:$dns_port" --now $((now + 2 * 86400)) \
	--outdir "$tmp/reports" >"$tmp/reports.out" 2>&1 ||
	say "dmarc-reports failed: $(cat "$tmp/reports.out")"
n=0
for f in "$tmp"/reports/*.xml.gz; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	gzip -dc "$f" >"$tmp/report.xml" &&
		xmllint --noout --schema "$spec/dmarcbis-aggregate.xsd" \
			"$tmp/report.xml" 2>"$tmp/xmllint.out" ||
		say "$(basename "$f") does not validate: $(cat "$tmp/xmllint.out")"
done
# one report per policy domain: pass, reject, np, quar, mon
[ "$n" -eq 5 ] && ok "dmarc-reports: $n valid reports" ||
	say "dmarc-reports: $n reports, want 5: $(ls "$tmp/reports")"

# ------------------------------------------------------------- SIGTERM
kill -TERM "$milter_pid"
for _ in $(seq 1 300); do kill -0 "$milter_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$milter_pid" 2>/dev/null; then
	say "the milter did not stop on SIGTERM"
else
	wait "$milter_pid"
	rc=$?
	milter_pids=
	[ "$rc" -eq 0 ] && grep -q stopped "$log" && ok "stopped on SIGTERM" ||
		say "the milter exited $rc on SIGTERM"
	milter_pid=
fi

if [ "$fail" -ne 0 ]; then
	echo "--- milter log"; cat "$log"
	echo "--- postfix log"; tail -n 40 "$tmp/maillog" 2>/dev/null
fi
exit "$fail"
