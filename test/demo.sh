#!/bin/sh
# The dmarc-demo and dmarc-eval examples on the bundled sample messages
# and zone file (no network): every table cell of every sample, the
# Authentication-Results fields, the aggregate reports, RFC 7489 mode,
# oversized input, and for dmarc-eval the JSON keys and values, the
# verdict options, trusted Authentication-Results fields and the exit
# statuses.
set -u
demo="$top_builddir/examples/dmarc-demo"
evalbin="$top_builddir/examples/dmarc-eval"
data="$top_srcdir/examples/data"
zone="$data/demo.zone"
wrap=${DMARC_TEST_WRAPPER:-}
fail=0

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# ------------------------------------------------------------ dmarc-demo

out=$($wrap "$demo" --data "$data" 2>"$tmp/err")
rc=$?
if [ "$rc" -ne 0 ]; then
	printf "%s\n" "FAIL demo: exit $rc: $(cat "$tmp/err")"; fail=1
fi

# row FILE: the row's cells after the file name, one space apart.
row() {
	printf '%s\n' "$out" | awk -v f="$1" '$1 == f { $1 = ""; sub(/^ /, ""); print; exit }'
}

# expect_row FILE FROM POLICY-DOMAIN POLICY SPF DKIM RESULT DISPOSITION
expect_row() {
	file=$1
	shift
	want="$*"
	got=$(row "$file")
	if [ "$got" != "$want" ]; then
		printf "%s\n" "FAIL demo $file: got <$got>, want <$want>"; fail=1
	fi
}

expect_row 01-dkim-pass.eml bank.example bank.example p=reject no exact pass pass
expect_row 02-spf-only.eml shop.example shop.example p=quarantine exact no pass pass
expect_row 03-relaxed-pass.eml shop.example shop.example p=quarantine no org pass pass
expect_row 04-strict-fail.eml ledger.example ledger.example p=quarantine no no fail quarantine
expect_row 05-subdomain-sp.eml login.bank.example bank.example sp=quarantine no no fail quarantine
expect_row 06-nonexistent-np.eml nx.bank.example bank.example np=reject no no fail quarantine
expect_row 07-test-mode.eml newsletter.example newsletter.example p=reject no no fail quarantine
expect_row 08-multi-from.eml - - - - - n/a 'not applicable (From)'
expect_row 09-display-name-spoof.eml evil.example evil.example p=none exact exact pass none
expect_row 10-no-record.eml smallbiz.example - - no no none none
expect_row 11-broken-record.eml broken.example broken.example - no no permerror none
expect_row 12-dns-tempfail.eml flaky.example - - no no temperror none
expect_row 13-null-sender.eml mx.shop.example shop.example sp=quarantine exact no pass pass

rows=$(printf '%s\n' "$out" | grep -c '^[0-9][0-9]-.*\.eml  ')
if [ "$rows" -ne 13 ]; then
	printf "%s\n" "FAIL demo: $rows table rows, want 13"; fail=1
fi

# contains NAME TEXT NEEDLE...: each needle is a line of TEXT.
contains() {
	name=$1 text=$2
	shift 2
	for n in "$@"; do
		if ! printf '%s\n' "$text" | grep -Fqx -- "$n"; then
			printf "%s\n" "FAIL $name: no line <$n>"; fail=1
		fi
	done
}

tab=$(printf '\t')
contains demo-fields "$out" \
	'Authentication-Results: mx.demo.example;' \
	"${tab}dmarc=fail (p=reject sp=reject dis=quarantine)" \
	"${tab}header.from=newsletter.example" \
	"${tab}policy.dmarc=quarantine" \
	'(reasons: policy_test_mode)' \
	"${tab}dmarc=temperror" \
	"${tab}dmarc=permerror" \
	'(none: DMARC does not apply to this From field)'

# The aggregate reports of the samples: rows spooled, read back, one
# report per policy domain; the first one's XML.  Twice the same.
contains demo-reports "$out" \
	'1796083200.bank.example@receiver.example             3        3  receiver.example!bank.example!1796083200!1796169599.xml.gz' \
	'1796083200.shop.example@receiver.example             3        3  receiver.example!shop.example!1796083200!1796169599.xml.gz' \
	'1796083200.newsletter.example@receiver.example       1        1  receiver.example!newsletter.example!1796083200!1796169599.xml.gz' \
	'    <report_id>1796083200.bank.example@receiver.example</report_id>' \
	'      <source_ip>192.0.2.45</source_ip>' \
	'      <source_ip>203.0.113.98</source_ip>' \
	'</feedback>'
reports=$(printf '%s\n' "$out" | grep -c '^1796083200\.')
[ "$reports" -eq 5 ] || { printf "%s\n" "FAIL demo: $reports reports, want 5"; fail=1; }
again=$($wrap "$demo" --data "$data" 2>/dev/null)
[ "$out" = "$again" ] || { printf "%s\n" "FAIL demo: not the same output twice"; fail=1; }

# RFC 7489: np is not a tag (sp applies), t=y is not either, no
# quarantine for reject; the system Public Suffix List must load.
out=$($wrap "$demo" --mode 7489 --data "$data" 2>"$tmp/err")
rc=$?
if [ "$rc" -eq 2 ] && grep -q 'Public Suffix List' "$tmp/err"; then
	printf "%s\n" "SKIP demo --mode 7489: no system Public Suffix List"
elif [ "$rc" -ne 0 ]; then
	printf "%s\n" "FAIL demo --mode 7489: exit $rc: $(cat "$tmp/err")"; fail=1
else
	expect_row 01-dkim-pass.eml bank.example bank.example p=reject no exact pass none
	expect_row 03-relaxed-pass.eml shop.example shop.example p=quarantine no org pass none
	expect_row 06-nonexistent-np.eml nx.bank.example bank.example sp=quarantine no no fail quarantine
	expect_row 07-test-mode.eml newsletter.example newsletter.example p=reject no no fail reject
	expect_row 08-multi-from.eml - - - - - n/a 'not applicable (From)'
fi

# Bounded input: errors, not truncation; the other files still run.
{
	printf 'Subject: '
	awk 'BEGIN { for (i = 0; i < 9000; i++) printf "x"; print "" }'
	cat "$data/01-dkim-pass.eml"
} >"$tmp/20-long-field.eml"
awk 'BEGIN { for (i = 0; i < 20000; i++)
	print "X-Filler: 0123456789012345678901234567890123456789012345678901234" }' \
	>"$tmp/21-big.eml"
cat "$data/01-dkim-pass.eml" >>"$tmp/21-big.eml"
out=$($wrap "$demo" --zone "$zone" "$tmp/20-long-field.eml" "$tmp/21-big.eml" \
	"$data/02-spf-only.eml" 2>"$tmp/err")
rc=$?
if [ "$rc" -ne 1 ]; then
	printf "%s\n" "FAIL demo bounds: exit $rc, want 1"; fail=1
fi
expect_row 20-long-field.eml - - - - - error -
expect_row 21-big.eml - - - - - error -
expect_row 02-spf-only.eml shop.example shop.example p=quarantine exact no pass pass
for n in 'line 1: header field longer than 8192 bytes' \
	'message larger than 1048576 bytes'; do
	grep -Fq "$n" "$tmp/err" || { printf "%s\n" "FAIL demo bounds: no <$n>"; fail=1; }
done

out=$($wrap "$demo" --mode 1234 2>&1)
[ $? -eq 2 ] || { printf "%s\n" "FAIL demo usage: $out"; fail=1; }

# ------------------------------------------------------------ dmarc-eval

# run_eval NAME WANT_RC FILE NEEDLE... -- ARGS...: run on FILE, check the
# exit status and that the output holds each needle.
run_eval() {
	name=$1 want=$2 file=$3
	shift 3
	needles=""
	while [ "$1" != "--" ]; do
		needles="$needles$1
"
		shift
	done
	shift
	out=$($wrap "$evalbin" "$@" <"$file" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		printf "%s\n" "FAIL eval $name: exit $rc, want $want: $out"; fail=1; return
	fi
	printf '%s' "$needles" | while IFS= read -r n; do
		case $out in
			*"$n"*) ;;
			*) printf "%s\n" "FAIL eval $name: missing <$n> in: $out"; exit 1 ;;
		esac
	done || fail=1
}

# JSON: every key, and the values for a non-existent subdomain (np).
run_eval json 1 "$data/06-nonexistent-np.eml" \
	'{"result": "fail", ' '"author_domain": "nx.bank.example"' \
	'"policy_domain": "bank.example"' '"org_domain": "bank.example"' \
	'"applied_tag": "np"' '"requested_policy": "reject"' \
	'"disposition": "quarantine"' '"spf_aligned": false' \
	'"dkim_aligned": false' \
	'"reasons": [{"type": "local_policy", "comment": "p=reject applied as quarantine (RFC 9989 7.4)"}]' \
	'"authentication_results": "Authentication-Results: mx.demo.example;\r\n\tdmarc=fail (p=reject sp=quarantine np=reject dis=quarantine)\r\n\theader.from=nx.bank.example\r\n\tpolicy.dmarc=reject\r\n"' \
	'"error": null}' \
	-- --zone "$zone" --authserv-id mx.demo.example --json
keys=$(printf '%s\n' "$out" | grep -o '"[a-z_]*": ' | tr -d '":\n ')
if [ "$keys" != "resultauthor_domainpolicy_domainorg_domainapplied_tagrequested_policydispositionspf_aligneddkim_alignedreasonstypecommentauthentication_resultserror" ]; then
	printf "%s\n" "FAIL eval json keys: $keys"; fail=1
fi
run_eval json-from 2 "$data/08-multi-from.eml" \
	'"result": null' '"author_domain": null' '"disposition": null' \
	'"reasons": []' '"authentication_results": null' '"error": "from"}' \
	-- --zone "$zone" --authserv-id mx.demo.example --json

# Verdicts from the options.
run_eval dkim-strict-pass 0 "$data/04-strict-fail.eml" \
	'result:                 pass' 'dkim aligned:           yes (exact)' \
	'spf aligned:            no' 'disposition:            pass' \
	-- --zone "$zone" --dkim pass:ledger.example:k1
run_eval dkim-strict-fail 1 "$data/04-strict-fail.eml" \
	'result:                 fail' 'requested policy:       quarantine' \
	'spf aligned:            no' 'dkim aligned:           no' \
	-- --zone "$zone" --spf pass:mail.ledger.example \
	--dkim fail:ledger.example:k0 --dkim pass:mail.ledger.example:k1
run_eval spf-helo-null 0 "$data/13-null-sender.eml" \
	'result:                 pass' 'spf aligned:            yes (exact)' \
	-- --zone "$zone" --envelope-from '' --spf pass:mx.shop.example:helo \
	--ip 198.51.100.25
run_eval spf-helo-ignored 1 "$data/13-null-sender.eml" \
	'result:                 fail' 'spf aligned:            no' \
	-- --zone "$zone" --envelope-from shop.example --spf pass:mx.shop.example:helo

# Verdicts from trusted Authentication-Results fields, text output.
run_eval authres-relaxed 0 "$data/03-relaxed-pass.eml" \
	'result:                 pass' 'dkim aligned:           yes (org)' \
	'authentication-results: Authentication-Results: mx.demo.example; dmarc=pass (p=quarantine sp=quarantine dis=none) header.from=shop.example policy.dmarc=quarantine' \
	'error:                  -' \
	-- --zone "$zone" --authserv-id mx.demo.example
run_eval authres-untrusted 1 "$data/03-relaxed-pass.eml" \
	'result:                 fail' \
	-- --zone "$zone" --authserv-id mx.elsewhere.example
run_eval authres-forged 1 "$data/05-subdomain-sp.eml" \
	'applied tag:            sp' 'dkim aligned:           no' \
	-- --zone "$zone" --authserv-id mx.demo.example
run_eval test-mode 1 "$data/07-test-mode.eml" \
	'requested policy:       quarantine' 'reason:                 policy_test_mode' \
	-- --zone "$zone" --authserv-id mx.demo.example
run_eval none 2 "$data/10-no-record.eml" 'result:                 none' \
	-- --zone "$zone" --authserv-id mx.demo.example
run_eval permerror 2 "$data/11-broken-record.eml" \
	'result:                 permerror' \
	-- --zone "$zone" --authserv-id mx.demo.example
run_eval temperror 2 "$data/12-dns-tempfail.eml" \
	'result:                 temperror' \
	-- --zone "$zone" --authserv-id mx.demo.example
run_eval not-applicable 2 "$data/08-multi-from.eml" 'error:                  from' \
	-- --zone "$zone" --authserv-id mx.demo.example

# Usage and input errors.
run_eval usage-both 3 "$data/01-dkim-pass.eml" 'usage:' \
	-- --zone "$zone" --authserv-id mx.demo.example --spf pass:bank.example
run_eval usage-verdict 3 "$data/01-dkim-pass.eml" 'usage:' \
	-- --zone "$zone" --dkim passed:bank.example
run_eval usage-mode 3 "$data/01-dkim-pass.eml" 'usage:' -- --mode 1234
run_eval no-zone 3 "$data/01-dkim-pass.eml" 'dmarc-eval:' \
	-- --zone "$tmp/missing.zone"
run_eval too-big 3 "$tmp/21-big.eml" 'message larger than 1048576 bytes' \
	-- --zone "$zone"

[ "$fail" -eq 0 ] || exit 1
echo "demo: all checks passed"
