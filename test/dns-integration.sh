#!/bin/bash
# The default resolver against a real authoritative server: start nsd on a
# free port of 127.0.0.1 (and ::1 when the loopback has IPv6) serving
# test/data/test.example.zone and test/data/lowttl.example.zone, then run
# test/test-resolver with
#   DMARC_TEST_DNS=127.0.0.1:PORT      the server
#   DMARC_TEST_DNS6=[::1]:PORT         the same server over IPv6 (if any)
#   DMARC_TEST_DEAD=127.0.0.1:PORT2    a port nothing listens on
# Skips (77) when nsd is not installed (Debian package nsd).
#
# Environment (set by automake): top_srcdir, top_builddir; optional
# DMARC_TEST_WRAPPER, a command to run the test under (valgrind, strace).
#
# SPDX-License-Identifier: BSD-2-Clause

set -u

NSD=${NSD:-/usr/sbin/nsd}
NSD_CHECKZONE=${NSD_CHECKZONE:-/usr/sbin/nsd-checkzone}
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
data=$srcdir/test/data
prog=$builddir/test/test-resolver

if [ "${DMARC_WITH_RESOLVER:-yes}" = no ]; then
	echo "SKIP: built --without-resolver (no default resolver to test)"
	exit 77
fi
if [ ! -x "$NSD" ]; then
	echo "SKIP: nsd not installed ($NSD missing; apt-get install nsd)"
	exit 77
fi
if [ ! -x "$prog" ]; then
	echo "FAIL: $prog not built (make test/test-resolver)" >&2
	exit 1
fi

for zone in test.example lowttl.example; do
	if ! "$NSD_CHECKZONE" "$zone" "$data/$zone.zone"; then
		echo "FAIL: $data/$zone.zone does not load" >&2
		exit 1
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmarc-dns.XXXXXX") || exit 1
nsd_pid=

# Stop the nsd this script started (its server processes go with it).
stop_nsd() {
	if [ -n "$nsd_pid" ] && kill -0 "$nsd_pid" 2>/dev/null; then
		kill -TERM "$nsd_pid" 2>/dev/null
		for _ in $(seq 1 50); do
			kill -0 "$nsd_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$nsd_pid" 2>/dev/null && kill -KILL "$nsd_pid" 2>/dev/null
	fi
	[ -n "$nsd_pid" ] && wait "$nsd_pid" 2>/dev/null
	nsd_pid=
}

# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
	stop_nsd
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# Is this port free on 127.0.0.1 for both UDP and TCP?  ss lists every
# socket; without ss, only a TCP listener can be seen (bash /dev/tcp).
port_free() {
	if command -v ss >/dev/null 2>&1; then
		! ss -Hantu 2>/dev/null | awk '{ print $5 }' |
		    grep -Eq "[:.]$1\$"
	else
		! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
	fi
}

# A free port from a random start in 20000..59999, not in $1.
free_port() {
	local base=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 )) i p
	for i in $(seq 0 499); do
		p=$(( 20000 + (base - 20000 + i * 7) % 40000 ))
		[ "$p" = "${1:-}" ] && continue
		if port_free "$p"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# Ask the server for TXT _dmarc.test.example over TCP (bash /dev/tcp):
# true once it answers NOERROR with at least one record, i.e. the zone is
# loaded and served.
probe() {
	local reply
	reply=$( {
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		# 2-byte length 37, id 0x1234, no flags, one question
		printf '\x00\x25\x12\x34\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00' >&3
		printf '\x06_dmarc\x04test\x07example\x00\x00\x10\x00\x01' >&3
		timeout 2 head -c 14 <&3 | od -An -tx1
	} 2>/dev/null ) || return 1
	# shellcheck disable=SC2086
	set -- $reply
	[ $# -eq 14 ] && [ "$3$4" = 1234 ] &&
	    [ $(( 0x$5 & 0x80 )) -ne 0 ] && [ $(( 0x$6 & 0x0f )) -eq 0 ] &&
	    [ $(( 0x$9${10} )) -ge 1 ]
}

have_ip6=no
if grep -q '^00000000000000000000000000000001 .* lo$' /proc/net/if_inet6 \
    2>/dev/null; then
	have_ip6=yes
fi

cp "$data/test.example.zone" "$data/lowttl.example.zone" "$tmp/" || exit 1
# cmp.example: the table test-dns-compare also answers from as a fake
compare=$builddir/test/test-dns-compare
"$compare" --zone > "$tmp/cmp.example.zone" &&
	"$NSD_CHECKZONE" cmp.example "$tmp/cmp.example.zone" || exit 1
# example.: an empty parent, so tree walks ending at the TLD get an
# authoritative NXDOMAIN (as the fake gives) instead of REFUSED
printf '%s\n' '$TTL 300' \
	'@ 3600 IN SOA ns.example. host.example. 1 3600 600 86400 321' \
	'@ IN NS ns.example.' 'ns IN A 127.0.0.1' > "$tmp/example.zone"

# Start nsd on a free port; a few attempts, since a port can be taken
# between the check and the bind, and ::1 may refuse to bind.
start_nsd() {
	local ip6=$1
	port=$(free_port) || { echo "FAIL: no free port" >&2; return 1; }
	{
		echo "server:"
		echo "	ip-address: 127.0.0.1@$port"
		[ "$ip6" = yes ] && echo "	ip-address: ::1@$port"
		echo "	server-count: 1"
		echo "	username: \"\""
		echo "	chroot: \"\""
		echo "	zonesdir: \"$tmp\""
		echo "	pidfile: \"$tmp/nsd.pid\""
		echo "	logfile: \"$tmp/nsd.log\""
		echo "	database: \"\""
		echo "	zonelistfile: \"$tmp/zone.list\""
		echo "	xfrdfile: \"$tmp/xfrd.state\""
		echo "	xfrdir: \"$tmp\""
		echo "	zonefiles-write: 0"
		echo "	verbosity: 1"
		echo "	hide-version: yes"
		echo "remote-control:"
		echo "	control-enable: no"
		echo "zone:"
		echo "	name: test.example"
		echo "	zonefile: \"test.example.zone\""
		echo "zone:"
		echo "	name: lowttl.example"
		echo "	zonefile: \"lowttl.example.zone\""
		echo "zone:"
		echo "	name: cmp.example"
		echo "	zonefile: \"cmp.example.zone\""
		echo "zone:"
		echo "	name: example"
		echo "	zonefile: \"example.zone\""
	} > "$tmp/nsd.conf"
	"$NSD" -d -c "$tmp/nsd.conf" >>"$tmp/nsd.log" 2>&1 &
	nsd_pid=$!
	for _ in $(seq 1 100); do
		kill -0 "$nsd_pid" 2>/dev/null || return 1
		probe "$port" && return 0
		sleep 0.1
	done
	echo "nsd on port $port does not answer" >&2
	return 1
}

started=no
for attempt in 1 2 3 4; do
	ip6=$have_ip6
	[ "$attempt" -ge 3 ] && ip6=no
	if start_nsd "$ip6"; then
		started=yes
		break
	fi
	stop_nsd
done
if [ "$started" != yes ]; then
	echo "FAIL: nsd did not start; its log:" >&2
	cat "$tmp/nsd.log" >&2
	exit 1
fi

dead=$(free_port "$port") || { echo "FAIL: no free port" >&2; exit 1; }

echo "nsd (pid $nsd_pid) on port $port of 127.0.0.1 (::1 too: $ip6); dead port $dead"
DMARC_TEST_DNS=127.0.0.1:$port
DMARC_TEST_DEAD=127.0.0.1:$dead
export DMARC_TEST_DNS DMARC_TEST_DEAD
if [ "$ip6" = yes ]; then
	DMARC_TEST_DNS6="[::1]:$port"
	export DMARC_TEST_DNS6
fi

# DMARC_TEST_WRAPPER runs the test under a tool, e.g. "valgrind -q"
# shellcheck disable=SC2086
${DMARC_TEST_WRAPPER:-} "$prog"
status=$?
if [ "$status" -eq 0 ]; then
	# shellcheck disable=SC2086
	${DMARC_TEST_WRAPPER:-} "$compare"
	status=$?
fi

# The example programs against the same server.
expect_out() { # name needle output
	case $3 in
		*"$2"*) ;;
		*) echo "FAIL $1: no <$2> in: $3" >&2; status=1 ;;
	esac
}
if [ "$status" -eq 0 ]; then
	lookup=$builddir/examples/dmarc-lookup
	out=$("$lookup" --server "$DMARC_TEST_DNS" --json --verify \
		x.cmp.example 2>&1)
	expect_out lookup '"result": "found"' "$out"
	expect_out lookup '"policy_domain": "cmp.example"' "$out"
	expect_out lookup '"org_domain": "cmp.example"' "$out"
	expect_out lookup '"method": "treewalk"' "$out"
	expect_out lookup '"applied_tag": "sp"' "$out"
	expect_out lookup '"policy": "reject"' "$out"
	expect_out lookup '"queries": ' "$out"
	expect_out lookup '"authorization": "authorized"' "$out"
	expect_out lookup '"diagnostics": null' "$out"
	# the authorizing record's rua replaces the URI, or names another
	# host and nothing is sent (RFC 9990 4)
	out=$("$lookup" --server "$DMARC_TEST_DNS" --json --verify \
		ovr.cmp.example 2>&1)
	expect_out lookup-override '{"uri": "mailto:a@other.cmp.example", "authorization": "authorized", "destinations": ["mailto:new@other.cmp.example", "mailto:new2@other.cmp.example"]}' "$out"
	expect_out lookup-override '{"uri": "mailto:b@y.other.cmp.example", "authorization": "override-refused", "destinations": []}' "$out"
	expect_out lookup-override '"ruf": [{"uri": "mailto:f@other.cmp.example", "authorization": "authorized", "destinations": ["mailto:f@other.cmp.example"]}]' "$out"
	# records longer than 2048 bytes apply (no RFC limits their length)
	out=$("$lookup" --server "$DMARC_TEST_DNS" --json big.test.example 2>&1)
	expect_out lookup-big '"result": "found"' "$out"
	expect_out lookup-big '"record": "v=DMARC1; p=reject"' "$out"
	out=$("$lookup" --server "$DMARC_TEST_DNS" --json huge.test.example 2>&1)
	expect_out lookup-huge '"result": "found"' "$out"
	expect_out lookup-huge '"policy": "none"' "$out"
	# a destination that cannot be verified: said, and exit 2
	out=$("$lookup" --server "$DMARC_TEST_DNS" --verify vfail.test.example \
		2>&1)
	rc=$?
	expect_out lookup-verify 'mailto:r@example.org could not be verified' "$out"
	expect_out lookup-verify 'mailto:r@example.org tempfail' "$out"
	if [ "$rc" -ne 2 ]; then
		echo "FAIL lookup-verify: exit $rc, want 2: $out" >&2
		status=1
	fi
	# without --verify the lookup itself succeeds
	"$lookup" --server "$DMARC_TEST_DNS" vfail.test.example >/dev/null 2>&1
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "FAIL lookup-verify: plain lookup exit $rc, want 0" >&2
		status=1
	fi
	out=$("$lookup" --server "$DMARC_TEST_DNS" --mode 7489 --json \
		mail.cmp.example 2>&1)
	expect_out lookup-7489 '"result": "none"' "$out"
	expect_out lookup-7489 '"method": "psl"' "$out"
	expect_out lookup-7489 '"code": "multiple-records"' "$out"
	out=$("$builddir/examples/dmarc-step" --server "$DMARC_TEST_DNS" \
		x.cmp.example gone.np.cmp.example broken.cmp.example 2>&1)
	expect_out step 'x.cmp.example                  found     policy=reject' "$out"
	expect_out step 'gone.np.cmp.example            found     policy=reject' "$out"
	expect_out step 'broken.cmp.example             permerror' "$out"
	[ "$status" -eq 0 ] && echo "examples: dmarc-lookup and dmarc-step agree with the zone"
fi
if [ "$status" -ne 0 ]; then
	echo "nsd log:" >&2
	cat "$tmp/nsd.log" >&2
fi
exit "$status"
