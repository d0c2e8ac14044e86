"""Evaluation of the bundled sample messages through the binding against
examples/dmarc-eval --json on the same messages and zone; verdicts given
directly; overrides; Authentication-Results styles; spool lines."""

from __future__ import annotations

import email
import email.policy
import pathlib
import re
import socket
from typing import Optional

import pytest

import libdmarc
from libdmarc import (AlignmentResult, Disposition, Policy, Reason, Result,
                      Tag, Verdict)

from conftest import AUTHSERV_ID, DATA, messages, run_json, tool
from zonefile import Zone

TIME = 1764590400  # 2026-12-01 12:00 UTC
IP = "192.0.2.1"


def envelope_from(message: bytes) -> Optional[str]:
    """The Return-Path domain, as dmarc-eval takes it ("" for <>)."""
    for name, value in libdmarc.header_fields(message):
        if name.lower() == "return-path":
            match = re.search(rb"<([^>]*)>", value)
            if match is None:
                return None
            return match.group(1).rpartition(b"@")[2].decode()
    return None


def evaluate(ctx: libdmarc.Context, message: bytes) -> libdmarc.Evaluation:
    ev = libdmarc.Evaluation(ctx)
    ev.add_headers(message)
    sender = envelope_from(message)
    if sender is not None:
        ev.set_envelope_from(sender)
    ev.set_time(TIME)
    ev.set_ip(IP)
    return ev


def as_json(ev: libdmarc.Evaluation, authserv_id: str) -> dict:
    d = ev.discovery
    return {
        "result": ev.result.keyword,
        "author_domain": ev.author_domain,
        "policy_domain": d.policy_domain,
        "org_domain": d.org_domain,
        "applied_tag": None if d.applied_tag == Tag.NONE
        else d.applied_tag.keyword,
        "requested_policy": None if ev.requested_policy ==
        Policy.UNSPECIFIED else ev.requested_policy.keyword,
        "disposition": ev.disposition.keyword,
        "spf_aligned": ev.spf_alignment != AlignmentResult.UNALIGNED,
        "dkim_aligned": ev.dkim_alignment != AlignmentResult.UNALIGNED,
        "reasons": [{"type": r.reason.keyword, "comment": r.comment}
                    for r in ev.reasons],
        "authentication_results": ev.authentication_results(
            authserv_id, libdmarc.AuthresStyle.FIELD),
        "error": None,
    }


@pytest.mark.parametrize("path", messages(), ids=lambda p: p.name)
def test_message_as_dmarc_eval_reads_it(path: pathlib.Path, zone: Zone):
    expected = run_json([str(tool("dmarc-eval")), "--zone",
                         str(DATA / "demo.zone"), "--authserv-id",
                         AUTHSERV_ID, "--json", "--time", str(TIME),
                         "--ip", IP], path.read_bytes())
    with libdmarc.Context(lookup=zone.lookup,
                          authserv_ids=[AUTHSERV_ID]) as ctx, \
            evaluate(ctx, path.read_bytes()) as ev:
        if expected["error"] == "from":
            with pytest.raises(libdmarc.FromFieldError) as info:
                ev.run()
            assert ev.result is Result.PENDING
            codes = {d.code for d in info.value.diagnostics}
            assert libdmarc.DiagCode.FROM_DOMAINS in codes
            return
        assert ev.run() is Result.parse(expected["result"])
        assert as_json(ev, AUTHSERV_ID) == expected


VERDICT_CASES = [
    ("01-dkim-pass.eml", "pass:bank.example", ["pass:bank.example:s1"]),
    ("01-dkim-pass.eml", "fail:bank.example", ["fail:bank.example:s1",
                                                "pass:other.example:x"]),
    ("05-subdomain-sp.eml", "softfail:bank.example",
     ["pass:mail.bank.example:s"]),
    ("04-strict-fail.eml", "pass:mail.ledger.example", []),
    ("13-null-sender.eml", "pass:mx.shop.example:helo", []),
]


@pytest.mark.parametrize("name,spf,dkims", VERDICT_CASES)
def test_direct_verdicts_as_dmarc_eval(name, spf, dkims, zone):
    message = (DATA / name).read_bytes()
    args = [str(tool("dmarc-eval")), "--zone", str(DATA / "demo.zone"),
            "--json", "--time", str(TIME), "--ip", IP, "--spf", spf]
    for dkim in dkims:
        args += ["--dkim", dkim]
    expected = run_json(args, message)
    host = socket.gethostname()[:255] or "localhost"
    with libdmarc.Context(lookup=zone.lookup) as ctx, \
            libdmarc.Evaluation(ctx) as ev:
        for field, value in libdmarc.header_fields(message):
            if field.lower() == "from":
                ev.add_from(value)
        sender = envelope_from(message)
        if sender is not None:
            ev.set_envelope_from(sender)
        verdict, domain, *scope = spf.split(":")
        ev.set_spf(verdict, domain, *scope)
        for dkim in dkims:
            verdict, domain, selector = dkim.split(":")
            ev.add_dkim(Verdict.parse(verdict), domain, selector)
        ev.run()
        assert as_json(ev, host) == expected
        assert ev.spf.result is Verdict.parse(spf.split(":")[0])
        assert [(s.result.keyword, s.domain, s.selector) for s in ev.dkim] \
            == [tuple(d.split(":")) for d in dkims]
        if ev.aligned_dkim is not None:
            assert ev.dkim[ev.aligned_dkim].result is Verdict.PASS


def test_verdicts_from_trusted_authentication_results(zone):
    with libdmarc.Context(lookup=zone.lookup,
                          authserv_ids=[AUTHSERV_ID]) as ctx, \
            libdmarc.Evaluation(ctx) as ev:
        assert ev.add_authres(f"{AUTHSERV_ID}; spf=pass "
                              "smtp.mailfrom=x@bank.example")
        assert not ev.add_authres("elsewhere.example; dkim=pass "
                                  "header.d=bank.example")
        assert [d.code for d in ev.diagnostics] == [
            libdmarc.DiagCode.AR_UNTRUSTED]
        ev.add_from("alerts@bank.example")
        assert ev.run() is Result.PASS
        assert ev.spf == libdmarc.SpfVerdict(Verdict.PASS, "bank.example",
                                             libdmarc.SpfScope.MFROM)
        assert ev.dkim == []


def test_from_field_diagnostic_has_its_offset(ctx):
    with libdmarc.Evaluation(ctx) as ev:
        ev.add_from(b"Jane <jane@exa mple.com>")
        with pytest.raises(libdmarc.FromFieldError) as info:
            ev.run(lambda q, t: libdmarc.DnsOutcome.NXDOMAIN)
        diag = info.value.diagnostics[0]
        assert diag.code is libdmarc.DiagCode.FROM_SYNTAX
        assert 0 < diag.offset < len("Jane <jane@exa mple.com>")
        assert str(info.value) == libdmarc.strerror(libdmarc.Status.EFROM)


def test_styles_of_the_added_field(zone):
    with libdmarc.Context(lookup=zone.lookup) as ctx, \
            libdmarc.Evaluation(ctx) as ev:
        ev.add_from("a@bank.example")
        ev.add_dkim("pass", "bank.example", "s")
        ev.run()
        field = ev.authentication_results("mx.example.net", "field")
        value = ev.authentication_results("mx.example.net")
        folded = ev.authentication_results(
            "mx.example.net", libdmarc.AuthresStyle.VALUE_LF)
        assert field.startswith("Authentication-Results: ")
        assert field.endswith("\r\n") and "\r\n\t" in field
        assert "\n" not in value and value.startswith("mx.example.net;")
        assert " ".join(folded.split()) == " ".join(value.split())
        assert " ".join(field.split()[1:]) == " ".join(value.split())
        quoted = ev.authentication_results("my server")
        assert quoted.startswith('"my server";')
        with pytest.raises(libdmarc.InvalidArgumentError):
            ev.authentication_results("")
        with pytest.raises(ValueError):
            ev.authentication_results("a\0b")


def test_long_authserv_id_grows_the_buffer(zone):
    with libdmarc.Context(lookup=zone.lookup) as ctx, \
            libdmarc.Evaluation(ctx) as ev:
        ev.add_from("a@bank.example")
        ev.run()
        long_id = "h" * 200 + ".example." + "x" * 600
        assert ev.authentication_results(long_id).startswith(long_id + ";")


def test_override_and_reasons(zone):
    with libdmarc.Context(lookup=zone.lookup) as ctx, \
            libdmarc.Evaluation(ctx) as ev:
        ev.add_from("a@bank.example")
        assert ev.run() is Result.FAIL
        assert ev.requested_policy is Policy.REJECT
        assert ev.disposition is Disposition.QUARANTINE
        ev.override(Disposition.NONE, Reason.MAILING_LIST, "list@x")
        assert ev.applied_disposition is Disposition.NONE
        assert ev.reasons[-1] == libdmarc.AppliedReason(Reason.MAILING_LIST,
                                                        "list@x")
        with pytest.raises(libdmarc.InvalidArgumentError):
            ev.override("none", "sampled_out")  # RFC 7489 only


def test_reset_and_reuse(zone):
    with libdmarc.Context(lookup=zone.lookup) as ctx, \
            libdmarc.Evaluation(ctx) as ev:
        ev.add_from("a@shop.example")
        ev.set_spf("pass", "shop.example")
        assert ev.run() is Result.PASS
        ev.reset()
        assert ev.result is Result.PENDING
        ev.add_from("a@shop.example")
        assert ev.run() is Result.FAIL


def test_step_api(zone):
    with libdmarc.Context() as ctx, libdmarc.Evaluation(ctx) as ev:
        ev.add_from("x@login.bank.example")
        asked = []
        while (question := ev.step()) is not None:
            asked.append(question)
            ev.answer(zone.lookup(question.qname, question.qtype))
        assert ev.finish() is Result.FAIL
        assert ev.discovery.applied_tag is Tag.SP
        assert asked[0] == ("_dmarc.login.bank.example", libdmarc.Rrtype.TXT)


def test_headers_from_the_email_package(zone):
    raw = (DATA / "03-relaxed-pass.eml").read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    with libdmarc.Context(lookup=zone.lookup,
                          authserv_ids=[AUTHSERV_ID]) as ctx:
        with libdmarc.Evaluation(ctx) as a, libdmarc.Evaluation(ctx) as b:
            assert a.add_headers(message.items()) == 2
            assert b.add_headers(raw) == 2
            assert a.run() is b.run() is Result.PASS
            assert a.authentication_results("x") == \
                b.authentication_results("x")


def test_spool_line_is_dmarc_evals(zone, tmp_path):
    spool = tmp_path / "spool"
    for path in messages():
        run_json([str(tool("dmarc-eval")), "--zone", str(DATA / "demo.zone"),
                  "--authserv-id", AUTHSERV_ID, "--json", "--time",
                  str(TIME), "--ip", IP, "--spool", str(spool)],
                 path.read_bytes())
    lines = []
    with libdmarc.Context(lookup=zone.lookup,
                          authserv_ids=[AUTHSERV_ID]) as ctx:
        for path in messages():
            with evaluate(ctx, path.read_bytes()) as ev:
                try:
                    ev.run()
                    lines.append(ev.spool_line())
                except (libdmarc.FromFieldError, libdmarc.StateError):
                    pass  # no row: From outside DMARC, or no policy
    assert b"".join(lines) == spool.read_bytes()
    assert len(lines) == 9
