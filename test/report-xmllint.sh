#!/bin/sh
# Aggregate reports written by the XML writer (test/report-sample) are
# valid against the report schemas: RFC 9990 against dmarcbis-aggregate.xsd,
# the RFC 7489 forms against the matching rfc7489 schema (DMARC-DIGEST
# 6.2.1), compact and pretty-printed.  xmllint (Debian: libxml2-utils) is
# required: without it the test fails.  The schemas are the project's
# spec files: $DMARC_SPEC_DIR (configure variable), else
# $top_srcdir/../shared/spec; missing in a git checkout is a failure,
# missing in a release tarball (no spec beside it) a skip.
set -eu
if ! command -v xmllint >/dev/null 2>&1; then
	echo "report-xmllint: xmllint not found (Debian: apt-get install libxml2-utils)"
	exit 1
fi
spec=${DMARC_SPEC_DIR:-}
[ -n "$spec" ] || spec="$top_srcdir/../shared/spec"
if [ ! -f "$spec/dmarcbis-aggregate.xsd" ]; then
	if [ -e "$top_srcdir/.git" ]; then
		echo "report-xmllint: no schemas in $spec (set DMARC_SPEC_DIR)"
		exit 1
	fi
	echo "report-xmllint: no schemas in $spec (set DMARC_SPEC_DIR): skipped"
	exit 77
fi
prog="$top_builddir/test/report-sample"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for form in rfc9990:dmarcbis-aggregate.xsd \
	rfc7489:rfc7489-aggregate-nonamespace.xsd \
	rfc7489-prefixed:rfc7489-aggregate.xsd \
	rfc7489-qualified:rfc7489-aggregate-qualified.xsd; do
	name=${form%%:*} schema=${form#*:}
	for layout in compact pretty; do
		out="$tmp/$name-$layout.xml"
		${DMARC_TEST_WRAPPER:-} "$prog" "$name" "$layout" > "$out"
		if ! xmllint --noout --schema "$spec/$schema" "$out" 2> "$tmp/err"; then
			echo "FAIL $name ($layout) against $schema:"
			cat "$tmp/err"
			cat "$out"
			exit 1
		fi
		n=$((n + 1))
	done
done
# Randomized aggregates (test/agg-messages.h), seeded: every report of
# each, whole and in parts, against the schema of its mode.
random=0
for form in 9989:dmarcbis-aggregate.xsd 7489:rfc7489-aggregate-nonamespace.xsd; do
	mode=${form%%:*} schema=${form#*:}
	mkdir "$tmp/random-$mode"
	for seed in 1 2 3 4; do
		${DMARC_TEST_WRAPPER:-} "$top_builddir/test/report-random" \
			"$mode" "$seed" 300 "$tmp/random-$mode" > "$tmp/count"
		random=$((random + $(cat "$tmp/count")))
	done
	if ! xmllint --noout --schema "$spec/$schema" "$tmp/random-$mode"/*.xml \
		2> "$tmp/err"; then
		grep -v ' validates$' "$tmp/err" | head -20
		echo "FAIL: randomized RFC $mode reports against $schema"
		exit 1
	fi
done
[ "$random" -ge 300 ] ||
	{ echo "FAIL: only $random randomized reports"; exit 1; }
echo "report-xmllint: $random randomized reports valid"
# the writer replaced the hostile bytes: U+FFFD is in the text
grep -q "$(printf '\357\277\275')" "$tmp/rfc9990-pretty.xml" ||
	{ echo "FAIL: no U+FFFD in the RFC 9990 report"; exit 1; }
echo "report-xmllint: $n reports valid against their schemas"
