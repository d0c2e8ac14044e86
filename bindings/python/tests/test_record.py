"""Records through the binding against examples/dmarc-parse --json on
the same text, and the record API's own behaviour."""

from __future__ import annotations

import pytest

import libdmarc
from libdmarc import Mode, RecordState, Select, Tag, UriFlag

from conftest import DATA, run_json, tool

RECORDS = [line for line in (DATA / "records.txt").read_text().splitlines()
           if line and not line.startswith("#")] + [
    "v=DMARC1; p=reject; rua=mailto:a@b.example!10m,https://x.example/r; "
    "pct=50; fo=1:d; foo=bar",
    "v=DMARC1; p=none; psd=n; t=y; ruf=mailto:f@example.com!2k",
    "  v=DMARC1; p=none",
]
MODES = {"9989": Mode.RFC9989, "7489": Mode.RFC7489,
         "9091": Mode.RFC7489_PSD}


def uri_as_json(uri: libdmarc.Uri) -> dict:
    return {"uri": uri.text, "scheme": uri.scheme, "address": uri.address,
            "size": (uri.size_limit if uri.flags & UriFlag.HAS_SIZE and
                     not uri.flags & UriFlag.SIZE_OBSOLETE else None),
            "supported": not uri.flags & UriFlag.UNSUPPORTED}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("text", RECORDS)
def test_record_as_dmarc_parse_reads_it(text, mode):
    c = run_json([str(tool("dmarc-parse")), "--json", "--mode", mode, text])
    with libdmarc.Context(MODES[mode]) as ctx, \
            libdmarc.Record(text, ctx) as rec:
        assert rec.mode is MODES[mode]
        assert rec.state.keyword == c["status"]
        assert c["mode"] == rec.mode.keyword
        if rec.usable:
            assert rec.policy(Tag.P).keyword == c["p"]
            assert rec.policy(Tag.SP).keyword == c["sp"]
            if c["np"] is not None:
                assert rec.policy(Tag.NP).keyword == c["np"]
            assert rec.alignment(Tag.ADKIM).keyword == c["adkim"]
            assert rec.alignment(Tag.ASPF).keyword == c["aspf"]
            assert ":".join(rec.fo.keywords) == c["fo"]
            for key, value in (("pct", rec.pct), ("ri", rec.ri)):
                if c[key] is not None:
                    assert value == c[key]
            if c["t"] is not None:
                assert c["t"] == ("y" if rec.testing else "n")
            if c["psd"] is not None:
                assert rec.psd.keyword == c["psd"]
        else:
            assert c["p"] is None
        assert [uri_as_json(u) for u in rec.rua] == c["rua"]
        assert [uri_as_json(u) for u in rec.ruf] == c["ruf"]
        diags = [{"code": d.name, "severity": d.severity.keyword,
                  "offset": d.offset, "length": d.length, "tag": d.tag,
                  "text": d.text} for d in rec.diagnostics]
        assert diags == c["diagnostics"]
        for d in rec.diagnostics:
            assert d.code.keyword == d.name


def test_format_round_trip(ctx):
    text = ("v=DMARC1;p=quarantine;  sp=reject; adkim=s;"
            "rua=mailto:agg@example.com,mailto:x@example.net")
    with libdmarc.Record(text, ctx) as rec:
        canonical = rec.format()
        assert str(rec.state) == "valid"
        with libdmarc.parse_record(canonical, ctx) as again:
            assert again.format() == canonical
            assert again.policy(Tag.SP) is libdmarc.Policy.REJECT
            assert [u.address for u in again.rua] == [
                "agg@example.com", "x@example.net"]


def test_unusable_record_cannot_be_formatted(ctx):
    with libdmarc.Record("v=DMARC1; p=rejekt", ctx) as rec:
        assert rec.state is RecordState.INVALID and not rec.usable
        with pytest.raises(libdmarc.RecordUnusableError):
            rec.format()


def test_bytes_and_str_give_the_same_record(ctx):
    text = "v=DMARC1; p=reject; rua=mailto:r@example.com"
    with libdmarc.Record(text, ctx) as a, \
            libdmarc.Record(text.encode(), ctx) as b:
        assert a.format() == b.format()


def test_limits_of_the_context_apply(ctx):
    ctx.set_limit(libdmarc.Limit.URIS_PER_LIST, 1)
    with libdmarc.Record("v=DMARC1; p=none; rua=mailto:a@x.example,"
                         "mailto:b@x.example", ctx) as rec:
        assert len(rec.rua) == 1
        codes = [d.code for d in rec.diagnostics]
        assert libdmarc.DiagCode.TOO_MANY_URIS in codes


@pytest.mark.parametrize("mode,texts,expected,kept", [
    (Mode.RFC9989, ["v=spf1 -all"], Select.NONE, None),
    (Mode.RFC9989, ["v=spf1 -all", "v=DMARC1; p=none"], Select.ONE,
     "v=DMARC1; p=none"),
    (Mode.RFC9989, ["v=DMARC1; p=none", "v=DMARC1; p=reject"],
     Select.DISCARDED, None),
    (Mode.RFC7489, ["v=DMARC1; p=none", "v=DMARC1; p=reject"],
     Select.MULTIPLE, None),
    (Mode.RFC9989, [b"v=DMARC1; p=reject"], Select.ONE,
     "v=DMARC1; p=reject"),
    (Mode.RFC9989, [], Select.NONE, None),
])
def test_select(mode, texts, expected, kept):
    with libdmarc.Context(mode) as ctx:
        result, record = libdmarc.select_records(texts, ctx)
        assert result is expected
        if kept is None:
            assert record is None
        else:
            assert record is not None
            with record:
                assert record.format() == kept
