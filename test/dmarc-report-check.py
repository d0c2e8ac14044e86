#!/usr/bin/env python3
# The checks of test/dmarc-report.sh on what its dmarc-report runs left
# in TMP (TMP/NAME.out, TMP/NAME.err; TMP/r.db).  The expected numbers
# are those of the reports test/dmarc-report-inputs.py writes.
#   dmarc-report-check.py TMP DB(yes|no)
import csv
import io
import json
import os
import re
import sys

tmp, db = sys.argv[1], sys.argv[2]
failures = []


def fail(msg):
    failures.append(msg)


def read(name, ext="out"):
    with open(os.path.join(tmp, f"{name}.{ext}"), "rb") as f:
        return f.read().decode("utf-8")


def expect(what, got, want):
    if got != want:
        fail(f"{what}: got {got!r}, want {want!r}")


# ----------------------------------------------------------- summary

DAY_RE = re.compile(r"^  (\S.*?): (\d+) messages?; aligned dkim and spf (\d+), "
                    r"dkim only (\d+), spf only (\d+), neither (\d+)$")


def blocks(text):
    """{domain: [lines]} and the first line."""
    lines = text.splitlines()
    out, cur = {}, None
    for line in lines[1:]:
        m = re.match(r"^(\S.*): (\d+) reports?$", line)
        if m:
            cur = out.setdefault(m.group(1), [])
            cur.append(line)
        elif cur is not None:
            cur.append(line)
        else:
            fail(f"summary line outside a domain: {line!r}")
    return lines[0] if lines else "", out


def days(lines):
    out = {}
    for line in lines:
        m = DAY_RE.match(line)
        if m:
            out[m.group(1)] = tuple(int(x) for x in m.groups()[1:])
    return out


def after(lines, when, label):
    """The "label: ..." line under the day line of when."""
    for i, line in enumerate(lines):
        if line.startswith(f"  {when}: "):
            for nxt in lines[i + 1:]:
                if not nxt.startswith("    "):
                    break
                if nxt.startswith(f"    {label}: "):
                    return nxt[len(label) + 6:]
    return None


DUP_R3 = ('  anomaly: duplicate report: org Evil "Org" \\ <b>&?tab?line '
          '\u00dcn\u00efc\u00f6d\u00e9 id r3,x;y '
          '2026-12-02T00:00:00Z..2026-12-02T23:59:59Z: 1 copy skipped')
WANT_LINES = {
    "example.com": [
        "example.com: 2 reports",
        "  failure reports: 1 (1 incident)",
        "  anomaly: dkim pass not aligned: esp.example for header_from "
        "example.com: 107 messages, 7 failing DMARC",
        "  anomaly: spf pass not aligned: bounce.esp.example for header_from "
        "example.com: 7 messages, 7 failing DMARC",
        "  anomaly: spf pass not aligned: forwarder.example for header_from "
        "example.com: 5 messages, 0 failing DMARC",
        "  anomaly: reject not enforced: 2026-12-01: 7 failing messages "
        "neither rejected nor explained",
        "  anomaly: duplicate report: org Receiver One id r1 "
        "2026-12-01T00:00:00Z..2026-12-01T23:59:59Z: 1 copy skipped",
    ],
    "example.org": [
        "example.org: 2 reports",
        "  anomaly: dkim pass not aligned: evil.example for header_from "
        "example.org: 20 messages, 20 failing DMARC",
        DUP_R3,
    ],
    "example.net": ["example.net: 1 report"],
}
WANT_DAYS = {
    "example.com": {"2026-12-01": (128, 110, 3, 0, 15),
                    "2026-12-02": (2, 0, 2, 0, 0),
                    "all days": (130, 110, 5, 0, 15)},
    "example.org": {"2026-12-02": (50, 30, 0, 0, 20)},
    "example.net": {"2026-12-03": (2, 0, 2, 0, 0)},
}


def check_summary(name, text, header):
    first, doms = blocks(text)
    expect(f"{name}: first line", first, header)
    expect(f"{name}: domains", sorted(doms), sorted(WANT_DAYS))
    for dom, want in WANT_DAYS.items():
        lines = doms.get(dom, [])
        expect(f"{name}: {dom} days", days(lines), want)
        anomalies = [l for l in lines if l.startswith("  anomaly: ")]
        for line in WANT_LINES[dom]:
            if name.startswith("db") and "duplicate report" in line:
                continue   # the database's copies are checked below
            if line not in lines:
                fail(f"{name}: {dom}: no line {line!r} in {lines!r}")
        want_anom = [l for l in WANT_LINES[dom] if l.startswith("  anomaly: ")]
        if name.startswith("db") and dom in ("example.com", "example.org"):
            anomalies = [l for l in anomalies if "duplicate report" not in l]
            want_anom = [l for l in want_anom if "duplicate report" not in l]
        expect(f"{name}: {dom} anomalies", anomalies, want_anom)
    com = doms.get("example.com", [])
    expect(f"{name}: example.com 12-01 sources",
           after(com, "2026-12-01", "sources"),
           "192.0.2.1 103, 192.0.2.2 10, 198.51.100.7 7, 192.0.2.50 4, "
           "203.0.113.9 3, 192.0.2.77 1")
    expect(f"{name}: example.com 12-01 dispositions",
           after(com, "2026-12-01", "dispositions"),
           "none 121, quarantine 4, reject 3")
    expect(f"{name}: example.com 12-01 reasons",
           after(com, "2026-12-01", "reasons"),
           "local_policy 4, trusted_forwarder 3")
    expect(f"{name}: example.com 12-02 reasons",
           after(com, "2026-12-02", "reasons"), "trusted_forwarder 2")
    expect(f"{name}: example.com all sources",
           after(com, "all days", "sources"),
           "192.0.2.1 105, 192.0.2.2 10, 198.51.100.7 7, 192.0.2.50 4, "
           "203.0.113.9 3, 192.0.2.77 1")
    org = doms.get("example.org", [])
    expect(f"{name}: example.org sources", after(org, "2026-12-02", "sources"),
           "192.0.2.30 30, 203.0.113.200 20")
    if any("news.example.com" in l for l in text.splitlines()):
        fail(f"{name}: news.example.com signed by example.com is relaxed-aligned")


summary = read("summary")
check_summary("summary", summary, "5 reports, 2 duplicates skipped, 1 failure report")
expect("summary: stderr", read("summary", "err"), "")
# failed inputs add nothing (bad.example's first row came before the
# count that is no number)
expect("good and bad inputs: same summary", read("all"), summary)
errs = read("all", "err")
for part in ("bad/badcount.xml: invalid-value", "bad/doctype.xml: dtd-forbidden",
             "bad/notes.txt: not-a-report", "bad/truncated.xml.gz: truncated",
             "missing: No such file or directory"):
    if part not in errs:
        fail(f"all: stderr lacks {part!r}: {errs!r}")
for hidden in ("partial", ".hidden", "\r"):
    if hidden in errs or hidden in read("summary", "err"):
        fail(f"read or showed what it must not: {hidden!r}")
first, doms = blocks(read("top2"))
expect("--top 2", after(doms.get("example.com", []), "2026-12-01", "sources"),
       "192.0.2.1 103, 192.0.2.2 10, and 4 more with 15 messages")
first, doms = blocks(read("stdin"))
expect("stdin: first line", first, "1 report, 0 duplicates skipped, 0 failure reports")
expect("stdin: days", days(doms.get("example.com", [])),
       {"2026-12-01": (124, 110, 0, 0, 14)})

# ------------------------------------------------------------ --json

REPORT_KEYS = {"source", "kind", "format", "report_id", "org_name",
               "policy_domain", "begin", "end", "records", "messages", "rows",
               "diagnostics"}
FAILURE_KEYS = REPORT_KEYS | {"feedback_type", "auth_failure", "source_ip",
                              "identity_alignment"}


def objects(name):
    out = []
    for n, line in enumerate(read(name).split("\n")[:-1], 1):
        if any(ord(c) < 0x20 for c in line):
            fail(f"{name}: line {n}: a raw control character")
        try:
            out.append(json.loads(line))
        except ValueError as e:
            fail(f"{name}: line {n} is no JSON: {e}: {line[:200]!r}")
    return out


objs = objects("json")
expect("--json: reports in input order",
       [(o.get("kind"), o.get("report_id"), o["source"][len(tmp) + 9:])
        for o in objs],
       [("failure", None, "Maildir/cur/1796176800.arf.host:2,S"),
        ("aggregate", "r5", "Maildir/new/1796263200.r5.host"),
        ("aggregate", "r4", "mail.mbox"), ("aggregate", "r1", "mail.mbox"),
        ("aggregate", "r1", "r1.xml"), ("aggregate", "r2", "r2.xml.gz"),
        ("aggregate", "r3,x;y", "sub/r3-copy.xml"),
        ("aggregate", "r3,x;y", "sub/r3.zip")])
by_id = {}
for o in objs:
    want = FAILURE_KEYS if o.get("kind") == "failure" else REPORT_KEYS
    if not want <= set(o):
        fail(f"--json: {o.get('report_id')}: keys missing: {want - set(o)}")
    for d in o.get("diagnostics", []):
        if set(d) < {"name", "offset", "element"}:
            fail(f"--json: diagnostic without name/offset/element: {d}")
    by_id.setdefault(o.get("report_id"), o)
WANT_REPORTS = {  # report_id: format, org_name, domain, begin, end, records, messages
    "r1": ("7489-0.1", "Receiver One", "example.com", 1796083200, 1796169599, 5, 124),
    "r2": ("dmarc-2.0", "Receiver Two", "example.com", 1796083200, 1796256000, 2, 6),
    "r3,x;y": ("none", 'Evil "Org" \\ <b>&\ttab\nline \u00dcn\u00efc\u00f6d\u00e9',
               "example.org", 1796169600, 1796255999, 1, 20),
    "r4": ("7489-0.1", "Receiver Four", "example.org", 1796169600, 1796255999, 1, 30),
    "r5": ("dmarc-2.0", "Receiver Five", "example.net", 1796256000, 1796342399, 1, 2),
}
for rid, want in WANT_REPORTS.items():
    o = by_id.get(rid, {})
    got = tuple(o.get(k) for k in ("format", "org_name", "policy_domain",
                                   "begin", "end", "records", "messages"))
    expect(f"--json: report {rid}", got, want)
    expect(f"--json: report {rid}: rows", len(o.get("rows", [])), want[5])
    expect(f"--json: report {rid}: sum of counts",
           sum(r.get("count", 0) for r in o.get("rows", [])), want[6])
r1 = by_id.get("r1", {"rows": [{}] * 5})
expect("--json: r1 first row", r1["rows"][0], {
    "source_ip": "192.0.2.1", "count": 100, "disposition": "none",
    "dkim_aligned": "pass", "spf_aligned": "pass", "reasons": [],
    "header_from": "example.com", "envelope_from": "example.com",
    "envelope_to": None,
    "dkim": [{"domain": "example.com", "selector": "s1", "result": "pass",
              "human_result": None},
             {"domain": "esp.example", "selector": "s2", "result": "pass",
              "human_result": None}],
    "spf": [{"domain": "example.com", "scope": "mfrom", "result": "pass",
             "human_result": None}]})
expect("--json: r1 reasons", r1["rows"][3].get("reasons"),
       [{"type": "local_policy", "comment": "held for review"}])
expect("--json: r1 p", (r1.get("p"), r1.get("sp"), r1.get("adkim")),
       ("reject", "reject", "r"))
r3 = by_id.get("r3,x;y", {"rows": [{}], "diagnostics": []})
expect("--json: r3 reason (invalid UTF-8 replaced)",
       r3["rows"][0].get("reasons"), [{"type": "other", "comment": "bad \ufffd byte"}])
if "report-repaired" not in [d.get("name") for d in r3["diagnostics"]]:
    fail(f"--json: r3 lacks the report-repaired diagnostic: {r3['diagnostics']}")
arf = objs[0] if objs else {}
expect("--json: failure report", tuple(arf.get(k) for k in (
    "kind", "policy_domain", "feedback_type", "auth_failure", "source_ip",
    "identity_alignment", "messages", "records", "rows")),
    ("failure", "example.com", "auth-failure", "dmarc", "198.51.100.99", "none",
     1, 0, []))

bad = objects("json-bad")
expect("--json: failed inputs", [(o.get("error"), o.get("source", "")[len(tmp) + 4:])
                                 for o in bad],
       [("invalid-value", "bad/badcount.xml"), ("dtd-forbidden", "bad/doctype.xml"),
        ("not-a-report", "bad/notes.txt"), ("truncated", "bad/truncated.xml.gz"),
        ("io", "missing")])
for o in bad:
    if not isinstance(o.get("message"), str) or not o["message"]:
        fail(f"--json: error object without a message: {o}")
    if "kind" in o:
        fail(f"--json: a failed input gave a report: {o}")

odd = objects("odd")
expect("--json: odd file names", [(o.get("report_id"), o.get("error"),
                                   o.get("source", "")[len(tmp) + 8:]) for o in odd],
       [("r5", None, "r5\t\ufffd.xml"), (None, "not-a-report", "z\n\ufffd\u001b[31m.txt")])
err = read("odd-text", "err")
if "\x1b" in err or "odd/z???[31m.txt: not-a-report" not in err:
    fail(f"odd file name on stderr not made safe: {err!r}")

# -------------------------------------------------------------- --csv

text = read("csv")
if "\r\n" not in text or text.replace("\r\n", "").count("\n") != 2:
    # the LFs left are inside r3's quoted org_name (two rows)
    fail("--csv: lines must end with CRLF")
rows = list(csv.reader(io.StringIO(text, newline="")))
expect("--csv: header", rows[0] if rows else None,
       ["org_name", "report_id", "policy_domain", "begin", "end", "source_ip",
        "count", "disposition", "dkim_aligned", "spf_aligned", "header_from",
        "envelope_from", "envelope_to", "dkim_domains", "dkim_selectors",
        "dkim_results", "spf_domains", "spf_scopes", "spf_results",
        "reason_types", "reason_comments"])
body = rows[1:]
expect("--csv: rows", len(body), 16)
expect("--csv: sum of counts", sum(int(r[6]) for r in body if len(r) > 6),
       124 * 2 + 6 + 20 * 2 + 30 + 2)
first_r1 = [r for r in body if len(r) == 21 and r[1] == "r1"][:1]
expect("--csv: r1 first row", first_r1[0] if first_r1 else None,
       ["Receiver One", "r1", "example.com", "1796083200", "1796169599",
        "192.0.2.1", "100", "none", "pass", "pass", "example.com", "example.com",
        "", "example.com;esp.example", "s1;s2", "pass;pass", "example.com",
        "mfrom", "pass", "", ""])
r3rows = [r for r in body if len(r) == 21 and r[1] == "r3,x;y"]
expect("--csv: r3 rows", [(r[0], r[19], r[20]) for r in r3rows],
       [(WANT_REPORTS["r3,x;y"][1], "other", "bad \ufffd byte")] * 2)

# fields a spreadsheet would run as formulas start with an apostrophe
frows = list(csv.reader(io.StringIO(read("csv-formula"), newline="")))[1:]
expect("--csv: formula fields",
       [(r[0], r[1], r[7], r[20]) for r in frows],
       [("'=HYPERLINK(\"http://evil.example\",\"x\")", "'@r6", "none",
         "'+1-2")])

# ---------------------------------------------------------- big report

big = objects("big")
total = sum(i % 7 + 1 for i in range(4000))
expect("big: records and messages",
       [(o.get("records"), o.get("messages"), len(o.get("rows", []))) for o in big],
       [(4000, total, 4000)])
first, doms = blocks(read("big-summary"))
expect("big: summary", days(doms.get("big.example", [])),
       {"2026-12-01": (total, 0, total, 0, 0)})

# --------------------------------------------------------------- --db

if db == "yes":
    import sqlite3
    check_summary("db1", read("db1"), "5 reports, 2 duplicates skipped, 1 failure report")
    expect("db1: the summary from the database is the summary", read("db1"), summary)
    expect("db2: stderr", read("db2", "err"), "dmarc-report: 3 duplicate reports skipped\n")
    check_summary("db2", read("db2"), "5 reports, 5 duplicates skipped, 1 failure report")
    for line in ("  anomaly: duplicate report: org Receiver One id r1 "
                 "2026-12-01T00:00:00Z..2026-12-01T23:59:59Z: 2 copies skipped",
                 DUP_R3.replace("1 copy", "3 copies")):
        if line not in read("db2").splitlines():
            fail(f"db2: no line {line!r}")
    expect("db3: summary of the database alone", read("db3"), read("db2"))
    expect("db4: failed inputs", [o.get("error") for o in objects("db4")],
           ["invalid-value", "dtd-forbidden", "not-a-report", "truncated"])
    expect("db5: --csv without paths: header only", read("db5").count("\r\n"), 1)
    con = sqlite3.connect(os.path.join(tmp, "r.db"))
    q = lambda sql: con.execute(sql).fetchall()
    expect("db: reports", q("SELECT report_id, records, messages FROM reports ORDER BY report_id"),
           [("r1", 5, 124), ("r2", 2, 6), ("r3,x;y", 1, 20), ("r4", 1, 30), ("r5", 1, 2)])
    expect("db: rows", q("SELECT count(*), sum(count) FROM rows"), [(10, 182)])
    expect("db: auth of r1's first row",
           q("SELECT a.kind, a.domain, a.selector_or_scope, a.result FROM auth a"
             " JOIN rows w ON a.row = w.id JOIN reports r ON w.report = r.id"
             " WHERE r.report_id = 'r1' AND w.count = 100 ORDER BY a.kind, a.idx"),
           [("dkim", "example.com", "s1", "pass"), ("dkim", "esp.example", "s2", "pass"),
            ("spf", "example.com", "mfrom", "pass")])
    expect("db: reasons", q("SELECT type, comment FROM reasons ORDER BY type"),
           [("local_policy", "held for review"), ("other", "bad \ufffd byte"),
            ("trusted_forwarder", None)])
    expect("db: duplicates", q("SELECT report_id, copies FROM duplicates ORDER BY report_id"),
           [("r1", 2), ("r3,x;y", 3)])
    expect("db: failure reports",
           q("SELECT reported_domain, source_ip, feedback_type, incidents FROM failure_reports"),
           [("example.com", "198.51.100.99", "auth-failure", 1)])
    expect("db: nothing of bad.example", q("SELECT count(*) FROM reports WHERE policy_domain = 'bad.example'"),
           [(0,)])
    try:
        con.execute("INSERT INTO reports (org_name, report_id, policy_domain, begin, end)"
                    " VALUES ('Receiver One', 'r1', 'example.com', 1796083200, 1796169599)")
        fail("db: the report key is not UNIQUE")
    except sqlite3.IntegrityError:
        pass
else:
    if "not available" not in read("db-unavailable", "err"):
        fail("--db without libsqlite3 does not say it is not available")

# ------------------------------------------------------------- usage

for name in ("usage-none", "usage-both", "usage-unknown", "usage-top", "usage-html"):
    if not read(name, "err").startswith("usage: dmarc-report"):
        fail(f"{name}: no usage text on stderr")
if not read("help").startswith("usage: dmarc-report"):
    fail("--help: no usage text")

for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
