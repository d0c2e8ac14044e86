#!/bin/bash
# Benchmark (not a test): Postfix's smtp-source sends 2,000 messages
# over 10 SMTP sessions (-s 10 -d: each session keeps its connection)
# to three smtpd services of one Postfix on 127.0.0.1: without a milter,
# with an empty milter (bench/bench-milter-empty: the same callbacks,
# doing nothing) and with dmarc-milter (unix sockets; DNS from nsd with
# the cache on; a spool).  Every message is From mon.example, whose
# p=none policy fails (no verdicts): a full evaluation, an
# Authentication-Results field added, a spool row.  Messages are
# discarded after the queue, so what is measured is SMTP in, the milter
# and cleanup.  Rounds alternate the three so load from elsewhere
# spreads over all; the median of each is printed, in messages per
# second, with dmarc-milter's share of the empty milter's.
#
#   bench/milter-throughput.sh [ROUNDS]      (as root; default 3)
#
# Needs postfix (smtp-source), nsd and a build with dmarc-milter.
#
# SPDX-License-Identifier: BSD-2-Clause

set -u
srcdir=$(cd "$(dirname "$0")/.." && pwd) || exit 1
builddir=$(cd "${top_builddir:-.}" && pwd) || exit 1
rounds=${1:-3}
messages=2000
sessions=10
milter=$builddir/examples/dmarc-milter
empty=$builddir/bench/bench-milter-empty

[ "$(id -u)" -eq 0 ] || { echo "run as root (Postfix)"; exit 2; }
for f in "$milter" "$empty" /usr/sbin/smtp-source /usr/sbin/nsd; do
	[ -x "$f" ] || { echo "missing $f"; exit 2; }
done

. "$srcdir/test/milter-env.sh"
milter_env_start_nsd || exit 1

mkdir -p "$tmp/milter" "$tmp/spool"
chown nobody "$tmp/spool"
cat >"$tmp/milter/dmarc-milter.conf" <<EOF
socket = unix:$tmp/milter/dmarc.sock
socket_mode = 0666
user = nobody
log = stderr
authserv_id = mx.milter.test
trusted_authserv_ids = verifier.milter.test
dns_server = 127.0.0.1:$dns_port
dns_cache = 10000
spool = $tmp/spool/rows
EOF
"$milter" --config "$tmp/milter/dmarc-milter.conf" --foreground \
	2>"$tmp/milter/dmarc.log" &
dmarc_pid=$!
"$empty" "unix:$tmp/milter/empty.sock" 2>"$tmp/milter/empty.log" &
empty_pid=$!
milter_pids="$dmarc_pid $empty_pid"
for _ in $(seq 1 50); do
	[ -S "$tmp/milter/dmarc.sock" ] && [ -S "$tmp/milter/empty.sock" ] && break
	sleep 0.1
done
chmod 666 "$tmp/milter/empty.sock"

p0=$(free_port "$dns_port") && p1=$(free_port "$dns_port" "$p0") &&
	p2=$(free_port "$dns_port" "$p0" "$p1") || exit 1
milter_env_start_postfix "mydestination = rcpt.test
local_recipient_maps =
local_transport = discard:
in_flow_delay = 0
milter_protocol = 6
milter_default_action = tempfail" \
"127.0.0.1:$p0 inet n - n - - smtpd -o smtpd_milters=
127.0.0.1:$p1 inet n - n - - smtpd -o smtpd_milters=unix:$tmp/milter/empty.sock
127.0.0.1:$p2 inet n - n - - smtpd -o smtpd_milters=unix:$tmp/milter/dmarc.sock" ||
	exit 1

# send PORT: messages per second of one smtp-source run
send() {
	local t0 t1
	t0=$(date +%s.%N)
	/usr/sbin/smtp-source -d -s "$sessions" -m "$messages" \
		-f bench@mon.example -t user@rcpt.test "127.0.0.1:$1" ||
		{ echo "smtp-source failed on port $1" >&2; exit 1; }
	t1=$(date +%s.%N)
	echo "$messages $t0 $t1" | awk '{ printf "%.0f\n", $1 / ($3 - $2) }'
}
# CPU time (user + system) of a process so far, in clock ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

send "$p2" >/dev/null     # warm-up: the DNS cache, Postfix's processes
: >"$tmp/none" ; : >"$tmp/empty" ; : >"$tmp/dmarc"
cpu_d0=$(cpu_ticks "$dmarc_pid") cpu_e0=$(cpu_ticks "$empty_pid")
for r in $(seq 1 "$rounds"); do
	send "$p0" >>"$tmp/none"
	send "$p1" >>"$tmp/empty"
	send "$p2" >>"$tmp/dmarc"
	echo "round $r: no milter $(tail -n 1 "$tmp/none"), empty milter" \
		"$(tail -n 1 "$tmp/empty"), dmarc-milter $(tail -n 1 "$tmp/dmarc") msgs/s"
done
cpu_d=$(( $(cpu_ticks "$dmarc_pid") - cpu_d0 ))
cpu_e=$(( $(cpu_ticks "$empty_pid") - cpu_e0 ))
hz=$(getconf CLK_TCK)
none=$(median <"$tmp/none") e=$(median <"$tmp/empty") d=$(median <"$tmp/dmarc")
# every message sent to dmarc-milter was evaluated and spooled
evaluated=$(grep -c ' dmarc=fail ' "$tmp/milter/dmarc.log")
rows=$(wc -l <"$tmp/spool/rows")
echo "median of $rounds rounds, $messages messages over $sessions sessions:"
echo "  no milter      $none msgs/s"
echo "  empty milter   $e msgs/s"
echo "  dmarc-milter   $d msgs/s ($(( d * 100 / e ))% of the empty milter)"
echo "  milter CPU per 1,000 messages: empty $(( cpu_e * 1000000 / hz / (messages * rounds) )) ms," \
	"dmarc-milter $(( cpu_d * 1000000 / hz / (messages * rounds) )) ms"
echo "  dmarc-milter evaluated $evaluated messages, spooled $rows rows" \
	"(want $(( messages * (rounds + 1) )) each)"
