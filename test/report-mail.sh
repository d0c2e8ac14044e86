#!/bin/sh
# Report emails written by lib/report/mail.c (test/report-mail-sample)
# parse without defects with Python 3's email package: multipart/mixed,
# the Subject of RFC 9990 section 3.5.2 with its Report-ID, the file name
# of its grammar, the attachment's media type, the attachment decoding
# (and gunzipping) to the exact XML; the RFC 7489 section 7.2.2 error
# report with its fields.  Every line ends in CRLF, is 7-bit and at most
# 998 characters long.  python3 is required: without it the test fails.
set -eu
if ! command -v python3 >/dev/null 2>&1; then
	echo "report-mail: python3 not found (Debian: apt-get install python3)"
	exit 1
fi
prog="$top_builddir/test/report-mail-sample"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for what in xml report report-long error; do
	${DMARC_TEST_WRAPPER:-} "$prog" "$what" > "$tmp/$what" ||
		{ echo "FAIL: report-mail-sample $what"; exit 1; }
done
python3 - "$tmp" <<'EOF'
import datetime, email, email.policy, email.utils, gzip, re, sys

tmp = sys.argv[1]
def read(name):
    with open(f"{tmp}/{name}", "rb") as f:
        return f.read()

def fail(name, why):
    sys.exit(f"FAIL {name}: {why}")

def parse(name):
    raw = read(name)
    lines = raw.split(b"\r\n")
    if lines[-1] != b"":
        fail(name, "does not end in CRLF")
    for i, line in enumerate(lines):
        if b"\n" in line or b"\r" in line:
            fail(name, f"line {i + 1}: a bare CR or LF")
        if len(line) > 998 or any(b > 0x7e for b in line):
            fail(name, f"line {i + 1}: longer than 998 or 8-bit")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for part in msg.walk():
        if part.defects:
            fail(name, f"defects {part.defects}")
        for key, value in part.items():
            if getattr(value, "defects", None):
                fail(name, f"{key}: defects {value.defects}")
    if msg.get_content_type() != "multipart/mixed":
        fail(name, f"content type {msg.get_content_type()}")
    return msg

# RFC 9990 3.5.2 (ridtxt with angle brackets: RFC 7489's msg-id too)
atom = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
dot_atom = rf"{atom}(?:\.{atom})*"
domain = r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*"
subject_re = re.compile(rf"Report\s+Domain:\s+({domain})\s+"
                        rf"Submitter:\s+({domain})\s+"
                        rf"Report-ID:\s+<({dot_atom}(?:@{dot_atom})?)>")
filename_re = re.compile(rf"({domain})!({domain})!(\d+)!(\d+)"
                         r"(?:!([A-Za-z0-9]+))?\.(xml|xml\.gz)")
xml = read("xml")

def check_report(name, gzipped, n_text):
    msg = parse(name)
    m = subject_re.fullmatch(str(msg["subject"]))
    if not m:
        fail(name, f"Subject {msg['subject']!r}")
    pd, submitter, rid = m.groups()
    if msg["date"].datetime != datetime.datetime(2024, 6, 2,
                                                 tzinfo=datetime.timezone.utc):
        fail(name, f"Date {msg['date']}")
    if not re.fullmatch(rf"<{dot_atom}@{dot_atom}>", str(msg["message-id"])):
        fail(name, f"Message-ID {msg['message-id']}")
    parts = list(msg.iter_parts())
    if len(parts) != n_text + 1:
        fail(name, f"{len(parts)} parts")
    if n_text:
        text = parts[0]
        if text.get_content_type() != "text/plain" or \
                "aggregate DMARC report" not in text.get_content():
            fail(name, "the text part")
    att = parts[-1]
    ctype = "application/gzip" if gzipped else "text/xml"
    if att.get_content_type() != ctype or \
            att.get_content_disposition() != "attachment":
        fail(name, f"attachment {att.get_content_type()}")
    fn = att.get_filename()
    f = filename_re.fullmatch(fn or "")
    if not f or att.get_param("name") != fn:
        fail(name, f"file name {fn!r}")
    receiver, fpd, begin, end, unique, ext = f.groups()
    if (receiver, fpd) != (submitter, pd) or \
            ext != ("xml.gz" if gzipped else "xml") or \
            not rid.startswith(begin + ".") or int(end) != int(begin) + 86399:
        fail(name, f"file name {fn!r} against Subject {msg['subject']!r}")
    if unique is not None and unique != re.sub(r"[^A-Za-z0-9]", "", rid):
        fail(name, f"unique-id {unique} against Report-ID {rid}")
    data = att.get_payload(decode=True)
    if gzipped:
        data = gzip.decompress(data)
    if data != xml:
        fail(name, "the attachment is not the XML")
    print(f"report-mail: {name}: {len(parts)} parts, {fn}")
    return unique

if check_report("report", True, 1) is not None:
    fail("report", "a unique-id without host id or parts")
if check_report("report-long", False, 0) is None:
    fail("report-long", "no unique-id with a host id and parts")

# RFC 7489 7.2.2
msg = parse("error")
parts = list(msg.iter_parts())
if [p.get_content_type() for p in parts] != ["text/plain", "text/plain"]:
    fail("error", "not two text/plain parts")
fields = email.message_from_string(parts[0].get_content(),
                                   policy=email.policy.default)
if fields.defects:
    fail("error", f"fields: {fields.defects}")
want = {"Report-Domain": "example.com",
        "Report-ID": "1717200000.example.com@receiver.example",
        "Report-Size": "123456", "Submitter": "receiver.example"}
for key, value in want.items():
    if str(fields[key]) != value:
        fail("error", f"{key}: {fields[key]!r}")
if email.utils.parsedate_to_datetime(str(fields["report-date"])) != datetime.datetime(
        2024, 6, 2, 1, tzinfo=datetime.timezone.utc):
    fail("error", f"Report-Date {fields['report-date']}")
uris = [u.strip() for u in str(fields["submitting-uri"]).split(",")]
if len(uris) != 3 or not all(u.startswith("mailto:") for u in uris):
    fail("error", f"Submitting-URI {uris}")
m = re.search(r"Report-ID:\s+<([^>]+)>", str(msg["subject"]))
if not m or m.group(1) != want["Report-ID"]:
    fail("error", f"Subject {msg['subject']!r}")
if "size limit" not in parts[1].get_content():
    fail("error", "the explanation")
print(f"report-mail: error: {len(fields)} fields, {len(uris)} URIs")
EOF
