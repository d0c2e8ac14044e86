#!/usr/bin/env python3
# The checks of test/dmarc-reports.sh on what its dmarc-reports runs
# left in TMP: TMP/NAME.out (--json output) and the directory TMP/NAME.
#   dmarc-reports-check.py TMP SPEC-DIR ROWS RFC7489(yes|no)
import email
import email.policy
import email.utils
import gzip
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

tmp, spec, rows, rfc7489 = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
NOW = 1796256000
SUBMITTER = "receiver.example"
failures = []

KEYS = ["policy_domain", "begin", "end", "report_id", "file", "parts",
        "files", "records", "messages", "lookup", "destinations"]
DEST_KEYS = ["uri", "address", "status", "rua", "size", "limit"]
STATUSES = {"sent", "written", "refused", "tempfail", "too-big",
            "override-refused", "error-report", "unsupported", "failed"}
domain = r"[a-z0-9-]+(?:\.[a-z0-9-]+)*"
FILE_RE = re.compile(rf"({domain})!({domain})!(\d+)!(\d+)(?:!([A-Za-z0-9]+))?"
                     r"\.xml\.gz")


def fail(name, why):
    failures.append(f"{name}: {why}")


def local(tag):
    return tag.rsplit("}", 1)[-1]


def read(path):
    with open(path, "rb") as f:
        return f.read()


def parse_xml(name, data, schema):
    """Validate with xmllint; the Report-ID, records and message count."""
    path = os.path.join(tmp, "report.xml")
    with open(path, "wb") as f:
        f.write(data)
    r = subprocess.run(["xmllint", "--noout", "--schema",
                        os.path.join(spec, schema), path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail(name, f"not valid against {schema}: {r.stderr}")
    root = ET.fromstring(data)
    rid = [e.text for e in root.iter() if local(e.tag) == "report_id"]
    dr = {local(e.tag): int(e.text) for e in root.iter()
          if local(e.tag) in ("begin", "end")}
    records = [e for e in root if local(e.tag) == "record"]
    count = sum(int(e.text) for r in records for e in r.iter()
                if local(e.tag) == "count")
    return rid[0] if rid else None, dr, len(records), count


def parse_mail(name, path):
    raw = read(path)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for part in msg.walk():
        if part.defects:
            fail(name, f"{path}: defects {part.defects}")
    return msg


def check_report_mail(name, path, obj, dest, part):
    msg = parse_mail(name, path)
    if str(msg["to"]) != dest["address"]:
        fail(name, f"{path}: To {msg['to']} for {dest['address']}")
    if msg["date"].datetime.timestamp() != NOW:
        fail(name, f"{path}: Date {msg['date']}")
    if f"<{part['report_id']}>" not in str(msg["subject"]):
        fail(name, f"{path}: Subject {msg['subject']}")
    att = [p for p in msg.iter_parts()
           if p.get_content_type() == "application/gzip"]
    if len(att) != 1 or att[0].get_filename() != part["file"]:
        fail(name, f"{path}: no attachment {part['file']}")
    elif att[0].get_payload(decode=True) != read(
            os.path.join(tmp, name, part["file"])):
        fail(name, f"{path}: the attachment is not the report file")
    return len(read(path))


def check_error_mail(name, path, obj, dest):
    msg = parse_mail(name, path)
    parts = list(msg.iter_parts())
    if [p.get_content_type() for p in parts] != ["text/plain"] * 2:
        fail(name, f"{path}: not two text/plain parts")
        return
    fields = email.message_from_string(parts[0].get_content())
    want = {"Report-Domain": obj["policy_domain"],
            "Report-ID": obj["report_id"], "Report-Size": str(dest["size"]),
            "Submitter": SUBMITTER, "Submitting-URI": dest["uri"]}
    for key, value in want.items():
        if str(fields[key]) != value:
            fail(name, f"{path}: {key} {fields[key]!r}, want {value!r}")
    if str(msg["to"]) != dest["address"]:
        fail(name, f"{path}: To {msg['to']}")


def check_dests(name, obj, seen):
    base = [p["file"][:-len(".xml.gz")] for p in obj["files"]]
    for k, d in enumerate(obj["destinations"], 1):
        if list(d) != DEST_KEYS or d["status"] not in STATUSES:
            fail(name, f"{obj['policy_domain']}: destination {d}")
            continue
        for b, part in zip(base, obj["files"]):
            eml = os.path.join(tmp, name, f"{b}.{k}.eml")
            err = os.path.join(tmp, name, f"{b}.{k}.error.eml")
            if d["status"] == "written":
                seen.add(os.path.basename(eml))
                size = check_report_mail(name, eml, obj, d, part)
                if size > d["size"]:
                    fail(name, f"{eml}: {size} bytes, size {d['size']}")
            elif os.path.exists(eml):
                fail(name, f"{eml} written for status {d['status']}")
            if d["status"] == "error-report":
                seen.add(os.path.basename(err))
                check_error_mail(name, err, obj, d)


def check_report(name, obj, schema, seen):
    pd = obj["policy_domain"]
    if list(obj) != KEYS:
        fail(name, f"{pd}: keys {list(obj)}")
        return
    if obj["begin"] % 86400 != 0 or obj["end"] != obj["begin"] + 86399:
        fail(name, f"{pd}: period {obj['begin']}..{obj['end']}")
    files = obj["files"]
    if obj["parts"] != len(files) or \
            (files[0]["file"], files[0]["report_id"]) != \
            (obj["file"], obj["report_id"]):
        fail(name, f"{pd}: parts {obj['parts']}, files {files}")
    records = messages = 0
    for part in files:
        m = FILE_RE.fullmatch(part["file"])
        if not m or m.group(1, 2, 3, 4) != (SUBMITTER, pd, str(obj["begin"]),
                                            str(obj["end"])):
            fail(name, f"{pd}: file name {part['file']}")
            continue
        unique = m.group(5)
        if (unique is not None) != (obj["parts"] > 1) or (unique and unique !=
                re.sub(r"[^A-Za-z0-9]", "", part["report_id"])):
            fail(name, f"{pd}: unique-id {unique} of {part['report_id']}")
        seen.add(part["file"])
        xml = gzip.decompress(read(os.path.join(tmp, name, part["file"])))
        rid, dr, n, count = parse_xml(name, xml, schema)
        if rid != part["report_id"] or dr != {"begin": obj["begin"],
                                              "end": obj["end"]}:
            fail(name, f"{pd}: XML report_id {rid}, {dr}")
        records += n
        messages += count
    if (records, messages) != (obj["records"], obj["messages"]):
        fail(name, f"{pd}: {records} records, {messages} messages in the XML;"
             f" JSON {obj['records']}, {obj['messages']}")
    if len({p["report_id"] for p in files}) != len(files):
        fail(name, f"{pd}: Report-IDs of the parts not distinct")
    check_dests(name, obj, seen)


def check_run(name, schema="dmarcbis-aggregate.xsd"):
    """Every report of run NAME; returns them by policy domain."""
    out = {}
    seen = set()
    with open(os.path.join(tmp, name + ".out")) as f:
        for line in f:
            try:
                obj = json.loads(line)
            except ValueError as e:
                fail(name, f"not JSON: {line!r}: {e}")
                continue
            out[obj["policy_domain"]] = obj
            check_report(name, obj, schema, seen)
    order = [(o["policy_domain"], o["begin"]) for o in out.values()]
    if order != sorted(order):
        fail(name, f"reports not in order: {order}")
    files = set(os.listdir(os.path.join(tmp, name)))
    if files != seen:
        fail(name, f"files not listed {files - seen}, missing {seen - files}")
    return out


def statuses(run, pd):
    return [(d["uri"], d["status"]) for d in run[pd]["destinations"]]


def expect(name, got, want):
    if got != want:
        fail(name, f"got {got}, want {want}")


def main():
    run1 = check_run("run1")
    expect("run1 messages", sum(o["messages"] for o in run1.values()), rows)
    expect("run1 lookups", {o["lookup"] for o in run1.values()}, {"found"})
    expect("run1 bank", statuses(run1, "bank.example"),
           [("mailto:dmarc@bank.example", "written")])
    expect("run1 bank records", run1["bank.example"]["records"], 63)
    for pd in ("evil.example", "ledger.example"):
        expect(f"run1 {pd} (no rua)", run1[pd]["destinations"], [])
    expect("run1 unauth", statuses(run1, "unauth.example"),
           [("mailto:dmarc@unauth.example", "written"),
            ("mailto:agg@thirdparty.example", "refused"),
            ("https://thirdparty.example/dmarc", "unsupported")])
    expect("run1 unauth https address",
           run1["unauth.example"]["destinations"][2]["address"], None)
    expect("run1 authorized", statuses(run1, "authorized.example"),
           [("mailto:agg@thirdparty.example", "written")])
    expect("run1 outsourced", [(d["rua"], d["uri"], d["status"]) for d in
                               run1["outsourced.example"]["destinations"]],
           [("mailto:dmarc@reports.example.net",
             "mailto:outsourced@reports.example.net", "written")])
    expect("run1 redirect", statuses(run1, "redirect.example"),
           [("mailto:d@agg.example.org", "override-refused")])
    HOSTILE = "x`touch${IFS}pwned`||touch${IFS}pwned2@hostile.example"
    expect("run1 hostile", [(d["address"], d["status"]) for d in
                            run1["hostile.example"]["destinations"]],
           [(HOSTILE, "written"), ("-X@hostile.example", "unsupported"),
            ("x(y)@hostile.example", "unsupported")])

    # a second run: the same names, Report-IDs and reports
    run2 = check_run("run2")
    expect("run2 names", [(o["file"], o["report_id"]) for o in run2.values()],
           [(o["file"], o["report_id"]) for o in run1.values()])
    for o in run1.values():
        a = gzip.decompress(read(os.path.join(tmp, "run1", o["file"])))
        b = gzip.decompress(read(os.path.join(tmp, "run2", o["file"])))
        if a != b:
            fail("run2", f"{o['file']} differs")

    with open(os.path.join(tmp, "text.out")) as f:
        text = f.read()
    for line in ["bank.example 1796083200-1796169599: 63 records, 63 messages, "
                 "1 part (record: found)",
                 "  1 mailto:dmarc@reports.example.net -> "
                 "mailto:outsourced@reports.example.net written",
                 "  2 mailto:agg@thirdparty.example refused"]:
        if line not in text.splitlines():
            fail("text", f"no line {line!r}")

    # --max-size: parts whose records add up to the whole
    split = check_run("split")
    bank = split["bank.example"]
    if bank["parts"] < 2:
        fail("split", f"bank.example in {bank['parts']} part")
    expect("split bank", (bank["records"], bank["messages"]), (63, 63))
    d = bank["destinations"][0]
    if d["status"] != "written" or d["size"] > 3000:
        fail("split", f"bank.example destination {d}")
    expect("split others", {o["parts"] for pd, o in split.items()
                            if pd != "bank.example"}, {1})
    expect("split messages", sum(o["messages"] for o in split.values()), rows)

    tf = check_run("tempfail")
    expect("tempfail", statuses(tf, "tempauth.example"),
           [("mailto:d@flakyauth.example", "tempfail")])
    bad = check_run("badlines")
    expect("badlines", [(o["policy_domain"], o["messages"]) for o in bad.values()],
           [("bank.example", 1)])

    # --sendmail: the command got the address as one argument
    sent = check_run("sendmail")
    expect("sendmail hostile", [(d["address"], d["status"]) for d in
                                sent["hostile.example"]["destinations"]],
           [(HOSTILE, "sent"), ("-X@hostile.example", "unsupported"),
            ("x(y)@hostile.example", "unsupported")])
    n_sent = sum(d["status"] == "sent" for o in sent.values()
                 for d in o["destinations"])
    args = []
    for i in range(n_sent):
        with open(os.path.join(tmp, "sent", f"{i}.args")) as f:
            a = f.read().splitlines()
        args.append(a)
        msg = parse_mail("sendmail", os.path.join(tmp, "sent", f"{i}.eml"))
        if str(msg["to"]) != a[-1]:
            fail("sendmail", f"{i}: To {msg['to']}, argument {a[-1]}")
    expect("sendmail count", len(os.listdir(os.path.join(tmp, "sent"))),
           2 * n_sent)
    expect("sendmail args", sorted(args),
           sorted(["-i", "-f", "dmarc@receiver.example", d["address"]]
                  for o in sent.values() for d in o["destinations"]
                  if d["status"] == "sent"))
    if ["-i", "-f", "dmarc@receiver.example", HOSTILE] not in args:
        fail("sendmail", f"no command run for {HOSTILE}: {args}")

    sf = check_run("sendfail")
    expect("sendfail", {(pd, d["status"]) for pd, o in sf.items()
                        for d in o["destinations"]},
           {("tempauth.example", "tempfail"), ("bank.example", "failed"),
            ("shop.example", "failed"), ("newsletter.example", "failed")})

    if rfc7489 == "yes":
        r7 = check_run("rfc7489", "rfc7489-aggregate-nonamespace.xsd")
        expect("rfc7489 sized", [(d["uri"], d["status"], d["limit"]) for d in
                                 r7["sized.example"]["destinations"]],
               [("mailto:small@sized.example", "error-report", 1024),
                ("mailto:tiny@sized.example", "error-report", 500)])
        expect("rfc7489 sizemix", [(d["uri"], d["status"], d["limit"]) for d in
                                   r7["sizemix.example"]["destinations"]],
               [("mailto:small@sizemix.example", "too-big", 1024),
                ("mailto:big@sizemix.example", "written", 10 << 20)])
        for d in r7["sized.example"]["destinations"]:
            if d["size"] <= d["limit"]:
                fail("rfc7489", f"{d}: refused below its limit")


try:
    main()
except (OSError, KeyError, IndexError, ValueError) as e:
    import traceback
    traceback.print_exc()
    fail("check", f"{type(e).__name__}: {e}")
for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
