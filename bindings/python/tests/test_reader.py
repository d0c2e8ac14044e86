"""libdmarc.reader over the report corpus of test/data/reports: the
events rebuilt as test/report-read-dump prints them equal the .expect
files in every chunking; the bytes pushed stay alive while the library
reads them; the fields of each event kind; lifetime as for the other
objects."""

from __future__ import annotations

import gc
import io
import sys

import pytest

import libdmarc
from libdmarc import Context, ReaderEvent, ReaderFailure, ReaderField
from libdmarc.reader import (DkimAuthResult, Failed, FailureReport,
                             PolicyReason, Reader, Report, ReportEnd, Row,
                             SpfAuthResult)

from conftest import SRCDIR

CORPUS = SRCDIR / "test" / "data" / "reports"
CHUNKS = [None, 1, 7, 4096]  # None: the whole input in one push


def corpus(suffix: str) -> list:
    """(input, expect file) of every input with an expect file."""
    pairs = []
    for expect in sorted(CORPUS.glob("*" + suffix)):
        pairs.append((CORPUS / expect.name[:-len(suffix)], expect))
    return pairs


def dash(value: object) -> str:
    return "-" if value is None else str(value)


def dump_lines(events) -> list:
    """test/report-read-dump's lines (test/data/reports/README)."""
    lines = []
    for ev in events:
        if isinstance(ev, Report):
            lines.append(
                f"report format={dash(ev.format)} org={dash(ev.org_name)} "
                f"id={dash(ev.report_id)} domain={dash(ev.policy_domain)} "
                f"begin={dash(ev.begin)} end={dash(ev.end)} p={dash(ev.p)}")
        elif isinstance(ev, Row):
            lines.append(
                f"row ip={dash(ev.source_ip)} count={dash(ev.count)} "
                f"disp={dash(ev.disposition)} dkim={dash(ev.dkim_aligned)} "
                f"spf={dash(ev.spf_aligned)} from={dash(ev.header_from)}")
        elif isinstance(ev, ReportEnd):
            lines.append(f"end records={dash(ev.records)} "
                         f"messages={dash(ev.messages)}")
        elif isinstance(ev, FailureReport):
            domain = ev.reported_domain[0] if ev.reported_domain else None
            lines.append(
                f"failure-report type={dash(ev.feedback_type)} "
                f"auth={dash(ev.auth_failure)} ip={dash(ev.source_ip)} "
                f"domain={dash(domain)} align={dash(ev.identity_alignment)}")
        elif isinstance(ev, Failed):
            lines.append(f"failed class={ev.failure}")
        else:
            raise AssertionError(f"unexpected event {ev!r}")
        if isinstance(ev, (ReportEnd, Failed, FailureReport)):
            names = []
            for diag in ev.diagnostics:
                if diag.name not in names:
                    names.append(diag.name)
            lines.extend(f"diag {name}" for name in names)
    return lines + ["done"]


def read_all(path, chunk=None, strict=False) -> list:
    data = path.read_bytes()
    with Context() as ctx, Reader(ctx, strict=strict) as reader:
        return list(reader.read(data, chunk=chunk or max(len(data), 1)))


def test_corpus_is_there():
    assert len(corpus(".expect")) >= 70
    assert len(corpus(".strict-expect")) >= 4


@pytest.mark.parametrize("chunk", CHUNKS, ids=lambda c: f"chunk{c}")
@pytest.mark.parametrize("path,expect", corpus(".expect"),
                         ids=lambda p: p.name)
def test_corpus(path, expect, chunk):
    strict = ".strict." in path.name  # test/report-reader.sh's rule
    lines = dump_lines(read_all(path, chunk, strict))
    assert lines == expect.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("chunk", CHUNKS, ids=lambda c: f"chunk{c}")
@pytest.mark.parametrize("path,expect", corpus(".strict-expect"),
                         ids=lambda p: p.name)
def test_corpus_strict(path, expect, chunk):
    lines = dump_lines(read_all(path, chunk, strict=True))
    assert lines == expect.read_text(encoding="utf-8").splitlines()


def churn() -> None:
    """Reuse freed memory: garbage where pushed bytes lived, if freed."""
    for _ in range(3):
        [bytes(range(256)) * 4 for _ in range(5000)]
        gc.collect()


def test_pushed_bytes_are_kept_alive(ctx):
    """The library reads the pushed bytes in place: the only reference
    to them is the reader's, collected garbage is churned, and the
    events are still those of the input."""
    path = CORPUS / "fmt-9990-full.xml"
    expected = dump_lines(read_all(path))
    with Reader(ctx) as reader:
        reader.push(bytearray(path.read_bytes()))  # copied: a new bytes
        gc.collect()
        churn()
        events = list(reader.events())
        reader.finish()
        events += list(reader.events())
    assert dump_lines(events) == expected


def test_pushed_bytes_are_held_until_used(ctx):
    """A gzip input is fed to the decompressor a little at a time: after
    its first event the bytes are still being read, a push is refused
    and the reader still holds them; once used, it lets them go."""
    path = CORPUS / "fmt-9990-full.xml"
    import gzip
    data = gzip.compress(path.read_bytes())
    base = sys.getrefcount(data)
    with Reader(ctx) as reader:
        reader.push(data)
        assert sys.getrefcount(data) == base + 1
        events = reader.events()
        first = next(events)
        assert isinstance(first, Report)
        with pytest.raises(libdmarc.StateError):
            reader.push(b"more")
        assert sys.getrefcount(data) == base + 1  # still being read
        del events  # the consumer gives up half-way...
        gc.collect()
        churn()
        rest = list(reader.events())  # ...and another takes over
        assert sys.getrefcount(data) == base  # all used: released
        reader.finish()
        rest += list(reader.events())
    assert dump_lines([first] + rest) == dump_lines(read_all(path))


def test_every_push_is_held_until_need_input(ctx):
    """Plain XML is handed to the parser in large slices, and queued
    XML may still point into the pushed bytes after the slice was taken:
    the library refuses the next push until the reader needs input, and
    the binding holds the bytes until then."""
    path = CORPUS / "q-combined.xml"
    whole = path.read_bytes()
    half = len(whole) // 2
    one, two = whole[:half], whole[half:]
    base = sys.getrefcount(one), sys.getrefcount(two)
    with Reader(ctx) as reader:
        reader.push(one)
        events = reader.events()
        first = next(events)
        with pytest.raises(libdmarc.StateError):
            reader.push(two)  # the first bytes may still be read
        assert sys.getrefcount(one) == base[0] + 1
        rest = list(events)
        assert sys.getrefcount(one) == base[0]
        reader.push(two)
        assert sys.getrefcount(two) == base[1] + 1
        rest += list(reader.events())
        assert sys.getrefcount(two) == base[1]
        reader.finish()
        rest += list(reader.events())
    assert dump_lines([first] + rest) == dump_lines(read_all(path))


def test_bytearray_changed_after_push_does_not_matter(ctx):
    path = CORPUS / "ctr-gzip.xml.gz"
    buf = bytearray(path.read_bytes())
    with Reader(ctx) as reader:
        reader.push(buf)
        buf[:] = b"\0" * len(buf)
        events = list(reader.events())
        reader.finish()
        events += list(reader.events())
    assert dump_lines(events) == dump_lines(read_all(path))


def test_closing_drops_the_held_bytes(ctx):
    data = (CORPUS / "fmt-9990-full.xml").read_bytes() + b""
    base = sys.getrefcount(data)
    reader = Reader(ctx)
    reader.push(data)
    assert sys.getrefcount(data) == base + 1
    reader.close()
    assert sys.getrefcount(data) == base


@pytest.mark.parametrize("name,containers", [
    ("ctr-gzip.xml.gz", "gzip xml"),
    ("ctr-zip-deflated.zip", "zip xml"),
    ("mail-gzip-base64.eml", "mime gzip xml"),
    ("mail-three.mbox", None),
])
def test_read_by_path_file_and_bytes(ctx, name, containers):
    path = CORPUS / name
    expected = (CORPUS / (name + ".expect")).read_text().splitlines()
    with Reader(ctx) as reader:
        by_path = list(reader.read(path, chunk=100))
        assert dump_lines(by_path) == expected
        assert dump_lines(reader.read(str(path))) == expected
        with open(path, "rb") as file:
            assert dump_lines(reader.read(file, chunk=3)) == expected
        assert dump_lines(reader.read(io.BytesIO(path.read_bytes()))) \
            == expected
    if containers is not None:
        assert {ev.containers for ev in by_path} == {containers}


def test_mbox_messages_and_containers(ctx):
    with Reader(ctx) as reader:
        reports = [ev for ev in reader.read(CORPUS / "mail-three.mbox")
                   if isinstance(ev, Report)]
    assert [r.message_index for r in reports] == [0, 1, 2]
    assert [r.containers.split()[0] for r in reports] == ["mbox"] * 3
    assert [r.org_name for r in reports] == ["Umbrellabird Mail",
                                             "Vireo Post", "Warbler Mail"]


def test_zip_entry_name(ctx):
    with Reader(ctx) as reader:
        events = list(reader.read(CORPUS / "ctr-zip-descriptor.zip"))
    assert events[0].part_name == "./Lapwing report (1) [example.org].XML"
    assert events[0].report_id == "<lapwing-1773705600@lapwing.example>"


@pytest.mark.parametrize("path,expect", [
    p for p in corpus(".expect") if p[0].name.startswith("fail-")],
    ids=lambda p: p.name)
def test_failed_events_carry_their_class(ctx, path, expect):
    wanted = [line.split("=", 1)[1] for line in expect.read_text().split("\n")
              if line.startswith("failed class=")]
    with Reader(ctx) as reader:
        failed = [ev for ev in reader.read(path) if isinstance(ev, Failed)]
    assert [str(ev.failure) for ev in failed] == wanted
    for ev in failed:
        assert isinstance(ev.failure, ReaderFailure)
        assert ev.failure.keyword == ReaderFailure.parse(ev.failure.keyword
                                                         ).keyword
        assert ev.text  # what went wrong, where
        assert ev.status is libdmarc.Status.OK
        assert ev.kind is ReaderEvent.FAILED
        assert "report-failed" in [d.name for d in ev.diagnostics]


def test_report_and_row_fields(ctx):
    with Reader(ctx) as reader:
        events = list(reader.read(CORPUS / "fmt-9990-full.xml"))
    report, rows, end = events[0], events[1:-1], events[-1]
    assert isinstance(report, Report) and report.kind is ReaderEvent.REPORT
    assert report.key == ("Northwind Mail Services",
                          "nw-20260301-example.com@reports.northwind.example",
                          "example.com", 1772323200, 1772409599)
    assert report.errors == ["rua URI mailto:dmarc@other.example.net not "
                             "authorized; dropped"]
    assert report.generator == "Northwind DMARC Reporter 4.2.1"
    assert report.extra_contact_info == ("https://reports.northwind.example"
                                         "/dmarc/help")
    assert (report.format, report.version) == ("dmarc-2.0", None)
    assert (report.discovery_method, report.p, report.sp, report.np) == (
        "treewalk", "quarantine", "quarantine", "reject")
    assert (report.fo, report.adkim, report.aspf, report.testing,
            report.pct) == ("1", "r", "r", "n", None)
    assert report.containers == "xml" and report.part_name is None
    assert all(isinstance(r, Row) for r in rows) and len(rows) == 8
    assert rows[0].dkim == [
        DkimAuthResult("example.com", "s2026", "pass", None),
        DkimAuthResult("esp.example", "k1", "pass", None)]
    assert rows[0].envelope_to == "northwind.example"
    assert rows[2].reasons == [PolicyReason(
        "mailing_list", "list.example.org re-signed, ARC chain valid")]
    assert rows[2].dkim[0].human_result == "body hash did not verify"
    # an spf element without scope: None at its index, the rest in line
    assert rows[3].spf == [SpfAuthResult(
        "out3.mta.example.com", None, "pass",
        "HELO identity checked (null reverse-path)")]
    assert rows[3].envelope_from == ""  # the null path
    assert rows[3].reasons == []
    assert isinstance(end, ReportEnd)
    assert (end.records, end.messages) == (8, sum(r.count for r in rows))


def test_failure_report_fields(ctx):
    with Reader(ctx) as reader:
        (ev,) = reader.read(CORPUS / "arf-rfc822.eml")
        (incidents,) = reader.read(CORPUS / "arf-incidents.eml")
    assert isinstance(ev, FailureReport)
    assert (ev.feedback_type, ev.auth_failure, ev.arf_version) == (
        "auth-failure", "dmarc", "1")
    assert (ev.source_ip, ev.source_port) == ("2001:db8:bad::66", 50211)
    assert ev.reported_domain == ["example.net"]
    assert ev.reported_uri == ["http://login.example.net.phish.example/reset"]
    assert ev.original_rcpt_to == ["<user@bluefin.example>"]
    assert ev.authentication_results[0].startswith("mx3.bluefin.example;")
    assert ev.incidents == 1  # absent: 1
    assert ev.original_headers is not None
    assert "Subject: Password reset required\n" in ev.original_headers
    assert incidents.incidents == 12


def test_text_is_str(ctx):
    names = {}
    with Reader(ctx) as reader:
        for name in ("enc-utf16le-bom.xml", "enc-windows-1252.xml",
                     "q-invalid-utf8.xml"):
            names[name] = next(iter(reader.read(CORPUS / name))).org_name
    for name, org in names.items():
        assert isinstance(org, str), name
        assert org.encode("utf-8").decode("utf-8") == org
    assert any(ord(c) > 0x3000 for c in names["enc-utf16le-bom.xml"])
    assert "\u2019" in names["enc-windows-1252.xml"]  # 0x92
    assert "\ufffd" in names["q-invalid-utf8.xml"]


def test_generic_getters_and_diagnostics(ctx):
    path = CORPUS / "q-combined.xml"
    with Reader(ctx) as reader:
        seen = []
        for ev in reader.read(path):
            if isinstance(ev, Row):
                # a row's getters fall back to its report's fields
                seen.append((reader.get_text(ReaderField.SOURCE_IP),
                             reader.get_number(ReaderField.COUNT),
                             reader.get_text(ReaderField.ORG_NAME),
                             reader.count(ReaderField.DKIM_DOMAIN),
                             reader.get_number(ReaderField.ORG_NAME)))
                assert reader.diagnostics == ev.diagnostics
        assert reader.offset == path.stat().st_size
        assert reader.get_text(ReaderField.ORG_NAME) is None  # done
        assert reader.count(ReaderField.ORG_NAME) == 0
    assert seen[0] == ("203.0.113.91", 35, "Verdin Mail", 1, None)
    end = list(Reader(Context()).read(path))[-1]
    assert [d.name for d in end.diagnostics] == [
        "report-text", "report-keyword", "report-count-zero",
        "report-unknown-element"]
    first = end.diagnostics[0]
    assert first.severity is libdmarc.Severity.WARNING
    assert first.code is libdmarc.DiagCode.REPORT_TEXT
    assert first.tag == "report_metadata" and first.offset > 0
    assert first.domain is None and "at " + str(first.offset) in str(first)


def test_strict_mode_and_state(ctx):
    reader = Reader(ctx, strict=True)
    assert reader.strict and not Reader(ctx).strict
    path = CORPUS / "q-keyword-case.xml"
    kinds = [ev.kind for ev in reader.read(path)]
    assert kinds == [ReaderEvent.REPORT, ReaderEvent.ROW, ReaderEvent.FAILED]
    reader.reset()  # strict stays
    assert [ev.kind for ev in reader.read(path)] == kinds
    with pytest.raises(libdmarc.StateError):
        reader.finish()  # read() finished the input already
    with pytest.raises(libdmarc.StateError):
        reader.push(b"x")
    with pytest.raises(TypeError):
        reader.push("text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        list(reader.read(12))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        list(reader.read(b"", chunk=0))
    # nothing at all is no report (as test/report-read-dump says too)
    assert dump_lines(reader.read(b"")) == [
        "failed class=not-a-report", "diag report-failed", "done"]
    reader.close()


def test_enum_names():
    assert str(ReaderEvent.FAILURE_REPORT) == "failure-report"
    assert ReaderField.parse("org-name") is ReaderField.ORG_NAME
    assert ReaderFailure(99).name == "UNKNOWN_99"


def test_with_block_and_close(ctx):
    with Reader(ctx) as reader:
        assert not reader.closed
    assert reader.closed
    reader.close()  # again: nothing
    for call in (lambda: reader.push(b"x"), reader.finish, reader.reset,
                 lambda: list(reader.events()),
                 lambda: reader.get_text(ReaderField.ORG_NAME)):
        with pytest.raises(libdmarc.ClosedError):
            call()
    assert repr(reader) == "<Reader closed>"


def test_closing_while_reading(ctx):
    reader = Reader(ctx)
    events = reader.read(CORPUS / "fmt-9990-full.xml", chunk=64)
    next(events)
    reader.close()
    with pytest.raises(libdmarc.ClosedError):
        next(events)


def test_context_outlives_the_reader():
    ctx = Context()
    reader = Reader(ctx)
    ctx.close()
    assert not ctx.closed  # deferred while the reader is open
    with pytest.raises(libdmarc.ClosedError):
        Reader(ctx)
    assert len(list(reader.read(CORPUS / "ctr-gzip.xml.gz"))) > 2
    reader.close()
    assert ctx.closed


def test_garbage_collection_frees_the_reader():
    ctx = Context()
    reader = Reader(ctx)
    reader.push(b"<feedback>")
    ctx.close()
    assert not ctx.closed
    del reader
    gc.collect()
    assert ctx.closed


def mbox_message(xml: bytes) -> bytes:
    return (b"From sender@example.org Sat Mar  7 00:00:00 2026\n"
            b"From: reports@example.org\nSubject: report\n"
            b"Content-Type: text/xml\n\n" + xml + b"\n")


@pytest.mark.parametrize("chunk", [1, 100, 1 << 20])
def test_diagnostics_start_again_with_each_report(ctx, chunk):
    """A report with one quirk then one with four, in one mbox: the
    second's events have its own diagnostics only, however often the
    reader's diagnostics were looked at in between."""
    one = (CORPUS / "q-hardfail.xml").read_bytes()
    four = (CORPUS / "q-combined.xml").read_bytes()
    data = mbox_message(one) + mbox_message(four)
    with Reader(ctx) as reader:
        events = []
        for ev in reader.read(data, chunk=chunk):
            assert reader.diagnostics == ev.diagnostics
            events.append(ev)
        alone = list(reader.read(four))
    second = next(i for i, ev in enumerate(events[1:], 1)
                  if isinstance(ev, Report))
    assert [d.name for d in events[second - 1].diagnostics] == [
        "report-keyword"]
    assert [[(d.name, d.offset) for d in ev.diagnostics]
            for ev in events[second:]] == [
        [(d.name, d.offset) for d in ev.diagnostics] for ev in alone]
    assert len(alone[-1].diagnostics) == 4
