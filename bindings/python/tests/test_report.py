"""Aggregate reports built through the binding against what
examples/dmarc-eval --spool and examples/dmarc-reports make of the same
messages: the same XML, Report-IDs, file names and emails."""

from __future__ import annotations

import email
import email.policy
import gzip
import io
import json
import pathlib

import pytest

import libdmarc
from libdmarc import AggregateCount, ReportFlag, ReporterField

from conftest import AUTHSERV_ID, DATA, messages, run_json, tool
from test_eval import IP, TIME, evaluate

NOW = TIME + 2 * 86400
REPORTER = ["--org-name", "Demo Org", "--org-email", "dmarc@demo.example",
            "--submitter", "demo.example"]


def reporter(agg: libdmarc.Aggregate) -> None:
    agg.set_reporter(ReporterField.ORG_NAME, "Demo Org")
    agg.set_reporter(ReporterField.EMAIL, "dmarc@demo.example")
    agg.set_reporter(ReporterField.SUBMITTER, "demo.example")


@pytest.fixture(scope="module")
def c_reports(tmp_path_factory) -> pathlib.Path:
    """The C tools' spool and reports of the sample messages."""
    work = tmp_path_factory.mktemp("c-reports")
    for path in messages():
        run_json([str(tool("dmarc-eval")), "--zone", str(DATA / "demo.zone"),
                  "--authserv-id", AUTHSERV_ID, "--json", "--time",
                  str(TIME), "--ip", IP, "--spool", str(work / "spool")],
                 path.read_bytes())
    (work / "out").mkdir()
    listed = run_json([str(tool("dmarc-reports")), "--spool",
                       str(work / "spool")] + REPORTER + [
        "--outdir", str(work / "out"), "--now", str(NOW),
        "--zone", str(DATA / "demo.zone"), "--json"])
    assert len(listed) == 5
    (work / "listed.json").write_text(json.dumps(listed))
    return work


def python_aggregate(ctx: libdmarc.Context, zone) -> libdmarc.Aggregate:
    agg = libdmarc.Aggregate(ctx)
    reporter(agg)
    for path in messages():
        with evaluate(ctx, path.read_bytes()) as ev:
            try:
                ev.run()
            except libdmarc.FromFieldError:
                continue
            try:
                agg.add(ev)
            except libdmarc.StateError:
                assert ev.discovery.record is None or \
                    not ev.discovery.record.usable
    return agg


def test_reports_are_dmarc_reports(c_reports, zone):
    with libdmarc.Context(lookup=zone.lookup,
                          authserv_ids=[AUTHSERV_ID]) as ctx, \
            python_aggregate(ctx, zone) as agg:
        assert agg.count(AggregateCount.MESSAGES) == 9
        assert len(agg) == 5
        files = sorted(p.name for p in (c_reports / "out").glob("*.xml.gz"))
        assert sorted(r.filename(flags=ReportFlag.GZIP) for r in agg) == files
        for report in agg:
            c_file = c_reports / "out" / report.filename(
                flags=ReportFlag.GZIP)
            xml = report.write()
            assert xml == gzip.decompress(c_file.read_bytes())
            assert report.report_id().encode() in xml
            assert report.domain.encode() in xml
            assert report.begin <= TIME <= report.end < NOW
            assert gzip.decompress(report.write(flags=ReportFlag.GZIP)) \
                == xml
            assert report.count(AggregateCount.ROWS) == xml.count(
                b"<record>")
        listed = json.loads((c_reports / "listed.json").read_text())
        assert sorted((r.domain, r.begin, r.end, r.report_id(),
                       r.count(AggregateCount.ROWS),
                       r.count(AggregateCount.MESSAGES)) for r in agg) == [
            (c["policy_domain"], c["begin"], c["end"], c["report_id"],
             c["records"], c["messages"]) for c in listed]


def test_report_email_is_dmarc_reports(c_reports, zone):
    with libdmarc.Context(lookup=zone.lookup,
                          authserv_ids=[AUTHSERV_ID]) as ctx, \
            python_aggregate(ctx, zone) as agg:
        sent = {p.name.split(".1.eml")[0]: p
                for p in (c_reports / "out").glob("*.eml")}
        assert sent
        compared = 0
        for report in agg:
            stem = report.filename().rsplit(".xml", 1)[0]
            if stem not in sent:
                continue
            compared += 1
            c_mail = sent[stem].read_bytes()
            to = email.message_from_bytes(c_mail)["To"]
            date = email.utils.parsedate_to_datetime(
                email.message_from_bytes(c_mail)["Date"])
            mail = report.write_email(to, int(date.timestamp()))
            assert mail == c_mail
            parsed = email.message_from_bytes(mail,
                                              policy=email.policy.default)
            attachment = [p for p in parsed.iter_attachments()][0]
            assert gzip.decompress(attachment.get_content()) == \
                report.write()
        assert compared == len(sent) == 3


def test_spool_round_trip(zone, tmp_path):
    with libdmarc.Context(lookup=zone.lookup,
                          authserv_ids=[AUTHSERV_ID]) as ctx:
        with python_aggregate(ctx, zone) as direct, \
                libdmarc.Spool(ctx, tmp_path / "spool") as spool:
            for path in messages():
                with evaluate(ctx, path.read_bytes()) as ev:
                    try:
                        ev.run()
                        spool.append(ev)
                    except (libdmarc.FromFieldError, libdmarc.StateError):
                        pass
            spool.rotate(tmp_path / "spool.1")
            with libdmarc.Aggregate(ctx) as read, \
                    libdmarc.Aggregate(ctx) as lines:
                reporter(read)
                reporter(lines)
                read.read_spool(tmp_path / "spool.1")
                assert read.count(AggregateCount.SPOOL_ROWS) == 9
                for line in (tmp_path / "spool.1").read_bytes().splitlines():
                    lines.add_spool_line(line)
                for a, b, c in zip(direct, read, lines):
                    assert a.write() == b.write() == c.write()
                    again = io.BytesIO()
                    a.write_spool(again)
                    assert again.getvalue().count(b"\n") == a.count(
                        AggregateCount.ROWS)
            assert (tmp_path / "spool").exists()


def test_torn_and_bad_spool_lines(ctx, tmp_path):
    path = tmp_path / "spool"
    path.write_bytes(b"no row here\ndmarc-spool/1\ttime=1")
    with libdmarc.Aggregate(ctx) as agg:
        agg.read_spool(path)
        assert agg.count(AggregateCount.SPOOL_BAD) == 1
        assert agg.count(AggregateCount.SPOOL_TORN) == 1
        assert {d.code for d in agg.diagnostics} == {
            libdmarc.DiagCode.SPOOL_BAD, libdmarc.DiagCode.SPOOL_TORN}
        with pytest.raises(libdmarc.InvalidArgumentError) as info:
            agg.add_spool_line(b"dmarc-spool/1\tbogus")
        assert info.value.offset > 0


def test_merge_is_the_same_as_adding(zone):
    with libdmarc.Context(lookup=zone.lookup,
                          authserv_ids=[AUTHSERV_ID]) as ctx, \
            python_aggregate(ctx, zone) as whole, \
            libdmarc.Aggregate(ctx) as merged:
        reporter(merged)
        merged.merge(whole)
        merged.merge(whole)
        assert merged.count(AggregateCount.MESSAGES) == 2 * whole.count(
            AggregateCount.MESSAGES)
        assert merged.count(AggregateCount.ROWS) == whole.count(
            AggregateCount.ROWS)


def test_sink_errors_and_files(zone, tmp_path):
    class Refuses(io.RawIOBase):
        def write(self, data):
            raise OSError(28, "no space left")

    with libdmarc.Context(lookup=zone.lookup,
                          authserv_ids=[AUTHSERV_ID]) as ctx, \
            python_aggregate(ctx, zone) as agg:
        report = agg[0]
        with pytest.raises(OSError) as info:
            report.write(Refuses())
        assert info.value.errno == 28
        with open(tmp_path / "r.xml.gz", "wb") as out:
            assert report.write(out, flags=ReportFlag.GZIP) is None
        assert gzip.decompress((tmp_path / "r.xml.gz").read_bytes()) == \
            report.write()
        pretty = report.write(flags=ReportFlag.PRETTY)
        assert pretty.count(b"\n") > report.write().count(b"\n")
        error_mail = report.write_error_email("dmarc@bank.example",
                                              "mailto:dmarc@bank.example",
                                              123456, NOW)
        lines = error_mail.decode("ascii").splitlines()
        assert "Report-Size: 123456" in lines
        assert f"Report-ID: {report.report_id()}" in lines
        assert "Submitting-URI: mailto:dmarc@bank.example" in lines


def test_reports_are_borrowed(zone):
    with libdmarc.Context(lookup=zone.lookup,
                          authserv_ids=[AUTHSERV_ID]) as ctx, \
            python_aggregate(ctx, zone) as agg:
        report = agg[-1]
        assert report.domain == agg.reports[-1].domain
        with pytest.raises(IndexError):
            agg[len(agg)]
        agg.set_reporter(ReporterField.HOST_ID, "h1")
        with pytest.raises(libdmarc.ClosedError):
            report.domain
        assert agg[-1].domain


def test_missing_reporter_field(zone):
    with libdmarc.Context(lookup=zone.lookup,
                          authserv_ids=[AUTHSERV_ID]) as ctx, \
            python_aggregate(ctx, zone) as agg:
        agg.set_reporter(ReporterField.SUBMITTER, None)
        assert agg.get_reporter(ReporterField.SUBMITTER) is None
        with pytest.raises(libdmarc.DmarcError):
            agg[0].report_id()
        assert agg.get_reporter(ReporterField.ORG_NAME) == "Demo Org"
