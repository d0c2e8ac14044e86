#!/bin/sh
# The installed tools without a network: dmarc-lookup answering from the
# bundled zone file (results, JSON keys, exit statuses), --help and
# --version of every tool, and in a --without-resolver build the message
# and status of a tool asked to use the resolver.
set -u
lookup="$top_builddir/examples/dmarc-lookup"
evalbin="$top_builddir/examples/dmarc-eval"
zone="$top_srcdir/examples/data/demo.zone"
wrap=${DMARC_TEST_WRAPPER:-}
fail=0

# expect NAME WANT_RC NEEDLE... -- PROGRAM ARGS...
expect() {
	name=$1 want=$2
	shift 2
	needles=""
	while [ "$1" != "--" ]; do
		needles="$needles$1
"
		shift
	done
	shift
	out=$($wrap "$@" 2>&1 </dev/null)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL $name: exit $rc, want $want: $out"; fail=1; return
	fi
	printf '%s' "$needles" | while IFS= read -r n; do
		case $out in
			*"$n"*) ;;
			*) echo "FAIL $name: missing <$n> in: $out"; exit 1 ;;
		esac
	done || fail=1
}

expect found 0 '"domain": "nx.bank.example"' '"result": "found"' \
	'"policy_domain": "bank.example"' '"org_domain": "bank.example"' \
	'"source": "org"' '"method": "treewalk"' '"applied_tag": "np"' \
	'"policy": "reject"' '"queries": ' '"failed_name": null' \
	'"diagnostics": null}' \
	-- "$lookup" --zone "$zone" --json nx.bank.example
expect text 0 'result:         found' 'applied tag:    sp' \
	'policy:         quarantine' \
	-- "$lookup" --zone "$zone" login.bank.example
expect none 1 'result:         none' -- "$lookup" --zone "$zone" smallbiz.example
expect permerror 1 'result:         permerror' \
	-- "$lookup" --zone "$zone" broken.example
expect temperror 2 'result:         temperror' \
	'failed name:    _dmarc.flaky.example' \
	-- "$lookup" --zone "$zone" flaky.example
expect verify 0 '"rua": [{"uri": "mailto:dmarc@bank.example", "authorization": "internal", "destinations": ["mailto:dmarc@bank.example"]}]' \
	-- "$lookup" --zone "$zone" --verify --json bank.example
# the authorizing record's own rua replaces the URI
expect verify-override 0 '"authorization": "authorized", "destinations": ["mailto:outsourced@reports.example.net"]' \
	-- "$lookup" --zone "$zone" --verify --json outsourced.example
expect verify-override-text 0 'rua:            mailto:dmarc@reports.example.net authorized -> mailto:outsourced@reports.example.net' \
	-- "$lookup" --zone "$zone" --verify outsourced.example
expect zone-and-server 3 'usage:' \
	-- "$lookup" --zone "$zone" --server 127.0.0.1 bank.example
expect no-zone 3 'dmarc-lookup:' \
	-- "$lookup" --zone "$zone.missing" bank.example
expect no-domain 3 'usage:' -- "$lookup" --zone "$zone"

for prog in dmarc-parse dmarc-lookup dmarc-eval dmarc-reports; do
	expect "$prog-help" 0 "usage: $prog" "$prog --help | --version" \
		-- "$top_builddir/examples/$prog" --help
	expect "$prog-version" 0 "$prog (libdmarc) " \
		-- "$top_builddir/examples/$prog" --version
done

if [ "${DMARC_WITH_RESOLVER:-yes}" = no ]; then
	msg='built without the default resolver; use --zone FILE'
	expect lookup-noresolver 3 "dmarc-lookup: this libdmarc was $msg" \
		-- "$lookup" bank.example
	expect eval-noresolver 3 "dmarc-eval: this libdmarc was $msg" \
		-- "$evalbin"
fi

[ "$fail" -eq 0 ] || exit 1
echo "dmarc-lookup and the tools' --help/--version: all checks passed"
