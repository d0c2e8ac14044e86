# Sourced by test/milter-postfix.sh and bench/milter-throughput.sh: a
# temporary directory, nsd on 127.0.0.1 serving a test zone, and a
# Postfix of its own (configuration, queue and data directories in the
# temporary directory), all stopped by an EXIT trap, also on failure.
#
# After sourcing: $tmp; milter_env_start_nsd sets $dns_port and
# $nsd_pid; milter_env_start_postfix MAIN-EXTRA MASTER-SMTPD-LINES
# starts Postfix; $milter_pids lists the milters to stop.
#
# SPDX-License-Identifier: BSD-2-Clause

tmp=$(mktemp -d /tmp/dmarc-milter-test.XXXXXX) || exit 1
chmod 755 "$tmp"
nsd_pid= milter_pids= postfix_up=no

milter_env_cleanup() {
	local pid
	[ "$postfix_up" = yes ] && postfix -c "$tmp/etc" stop >/dev/null 2>&1
	for pid in $milter_pids $nsd_pid; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in $milter_pids $nsd_pid; do
		for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	# postfix stop waits for master; make sure nothing of ours is left
	if [ -f "$tmp/queue/pid/master.pid" ]; then
		pid=$(tr -d ' ' <"$tmp/queue/pid/master.pid")
		[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	fi
	if [ -n "${DMARC_TEST_KEEP:-}" ]; then
		echo "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap milter_env_cleanup EXIT
trap 'exit 1' HUP INT TERM

port_free() {
	! ss -Hantu 2>/dev/null | awk '{ print $5 }' | grep -Eq "[:.]$1\$"
}
# A free port of 127.0.0.1 other than the arguments.
free_port() {
	local p
	for _ in $(seq 1 200); do
		p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
		case " $* " in *" $p "*) continue ;; esac
		port_free "$p" && { echo "$p"; return 0; }
	done
	return 1
}

# The zone "example": a policy per case, and names that exist without
# one.  Names under other top-level domains are refused (REFUSED): a
# DNS failure.
milter_env_zone() {
	cat <<'EOF'
$TTL 300
@ IN SOA ns.example. host.example. 1 3600 600 86400 300
@ IN NS ns.example.
ns IN A 127.0.0.1
pass IN A 192.0.2.1
_dmarc.pass IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@pass.example"
reject IN A 192.0.2.1
_dmarc.reject IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@reject.example"
np IN A 192.0.2.1
_dmarc.np IN TXT "v=DMARC1; p=none; np=reject; rua=mailto:dmarc@np.example"
quar IN A 192.0.2.1
_dmarc.quar IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@quar.example"
mon IN A 192.0.2.1
_dmarc.mon IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@mon.example"
norecord IN A 192.0.2.1
EOF
}

milter_env_try_nsd() {
	dns_port=$(free_port) || return 1
	cat >"$tmp/nsd/nsd.conf" <<EOF
server:
	ip-address: 127.0.0.1@$dns_port
	server-count: 1
	username: ""
	chroot: ""
	zonesdir: "$tmp/nsd"
	pidfile: "$tmp/nsd/nsd.pid"
	logfile: "$tmp/nsd/nsd.log"
	database: ""
	zonelistfile: "$tmp/nsd/zone.list"
	xfrdfile: "$tmp/nsd/xfrd.state"
	xfrdir: "$tmp/nsd"
	zonefiles-write: 0
	verbosity: 1
remote-control:
	control-enable: no
zone:
	name: example
	zonefile: "example.zone"
EOF
	/usr/sbin/nsd -d -c "$tmp/nsd/nsd.conf" >>"$tmp/nsd/nsd.log" 2>&1 &
	nsd_pid=$!
	for _ in $(seq 1 50); do
		kill -0 "$nsd_pid" 2>/dev/null || return 1
		"$builddir/examples/dmarc-lookup" --server "127.0.0.1:$dns_port" \
			pass.example >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# Start nsd (a few tries: a port can be taken between check and bind).
milter_env_start_nsd() {
	mkdir -p "$tmp/nsd"
	milter_env_zone >"$tmp/nsd/example.zone"
	/usr/sbin/nsd-checkzone example "$tmp/nsd/example.zone" >/dev/null ||
		{ echo "FAIL: the test zone does not load"; return 1; }
	for _ in 1 2 3; do
		milter_env_try_nsd && return 0
		kill "$nsd_pid" 2>/dev/null
		wait "$nsd_pid" 2>/dev/null
		nsd_pid=
	done
	echo "FAIL: nsd did not start"
	cat "$tmp/nsd/nsd.log"
	return 1
}

# milter_env_start_postfix MAIN-EXTRA SMTPD-LINES: Postfix with the
# main.cf lines MAIN-EXTRA and the smtpd services SMTPD-LINES (master.cf
# lines), no chroot, logging to $tmp/maillog.
milter_env_start_postfix() {
	local port
	mkdir -p "$tmp/etc" "$tmp/queue" "$tmp/data"
	chown postfix "$tmp/data"
	cat >"$tmp/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $tmp/queue
data_directory = $tmp/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.milter.test
mydomain = milter.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file = $tmp/maillog
maillog_file_prefixes = $tmp
alias_maps =
alias_database =
biff = no
smtputf8_enable = no
$1
EOF
	cat >"$tmp/etc/master.cf" <<EOF
$2
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
local unix - n n - - local
virtual unix - n n - - virtual
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
EOF
	if ! postfix -c "$tmp/etc" start >"$tmp/postfix.out" 2>&1; then
		echo "FAIL: postfix did not start"
		cat "$tmp/postfix.out" "$tmp/maillog" 2>/dev/null
		return 1
	fi
	postfix_up=yes
	for port in $(printf '%s\n' "$2" | sed -n 's/^127\.0\.0\.1:\([0-9]*\) .*/\1/p'); do
		for _ in $(seq 1 50); do
			(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
			sleep 0.1
		done
	done
}
