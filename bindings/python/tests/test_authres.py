"""The Authentication-Results parser on its own."""

from __future__ import annotations

import libdmarc
from libdmarc import AuthresState, DiagCode


def test_results_and_properties(ctx):
    value = ('mx.example.net; spf=pass smtp.mailfrom=bounce@Shop.Example;\r\n'
             '\tdkim=fail reason="bad sig" header.d=shop.example '
             'header.s=s1; dmarc=pass header.from=shop.example')
    with libdmarc.AuthenticationResults(value, ctx) as ar:
        assert ar.state is AuthresState.VALID
        assert ar.authserv_id == "mx.example.net"
        assert len(ar) == 3
        spf, dkim, dmarc = ar.results
        assert (spf.method, spf.result) == ("spf", "pass")
        assert spf.properties[("smtp", "mailfrom")] == "bounce@Shop.Example"
        assert (dkim.method, dkim.result, dkim.reason) == (
            "dkim", "fail", "bad sig")
        assert dkim.properties == {("header", "d"): "shop.example",
                                   ("header", "s"): "s1"}
        assert ar.get_property(2, "HEADER", "From") == "shop.example"
        assert ar.get_property(2, "header", "d") is None
        assert ar.diagnostics == []


def test_bad_version_and_syntax(ctx):
    with libdmarc.AuthenticationResults(b"mx.example.net 2; spf=pass",
                                        ctx) as ar:
        assert ar.state is AuthresState.BAD_VERSION
        assert DiagCode.AR_VERSION in [d.code for d in ar.diagnostics]
    with libdmarc.AuthenticationResults(b"mx.example.net; spf=", ctx) as ar:
        assert ar.state is AuthresState.SYNTAX
        assert len(ar) == 0 and ar.authserv_id is None
        diag = ar.diagnostics[0]
        assert diag.code is DiagCode.AR_SYNTAX
        assert diag.severity is libdmarc.Severity.ERROR
        assert str(diag).startswith("error: ar-syntax")


def test_eval_uses_what_the_parser_reads(ctx):
    ctx.add_authserv_id("mx.example.net")
    value = "mx.example.net; dkim=pass header.d=shop.example header.s=k"
    with libdmarc.AuthenticationResults(value, ctx) as ar, \
            libdmarc.Evaluation(ctx) as ev:
        assert ev.add_authres(value)
        parsed = ar.results[0]
        used = ev.dkim[0]
        assert (used.result.keyword, used.domain, used.selector) == (
            parsed.result, parsed.properties[("header", "d")],
            parsed.properties[("header", "s")])
