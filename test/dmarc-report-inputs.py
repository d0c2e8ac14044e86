#!/usr/bin/env python3
# The inputs of test/dmarc-report.sh and test/dmarc-report-html.sh,
# written into DIR (made up for these tests):
#   DIR/good: reports in every container the tool walks (XML, gzip, zip,
#     an mbox, a Maildir whose tmp/ and dot files must not be read),
#     RFC 7489 (namespace 0.1 and none) and RFC 9990, a failure report,
#     a duplicate, hostile text;
#   DIR/bad: one input per failure class the tool must name;
#   DIR/big: a report of about 1.6 MB (many reads);
#   DIR/odd: file names with control characters, not UTF-8;
#   DIR/formula: a report whose text a spreadsheet would run as formulas.
# The numbers these reports add up to are in test/dmarc-report.sh.
#   dmarc-report-inputs.py DIR
import email.message
import gzip
import io
import os
import sys
import zipfile

out = sys.argv[1]
D1 = 1796083200        # 2026-12-01 00:00:00 UTC
DAY = 86400
NS_7489 = "http://dmarc.org/dmarc-xml/0.1"
NS_9990 = "urn:ietf:params:xml:ns:dmarc-2.0"
BIG_RECORDS = 4000


def auth(kind, domain, result, extra=""):
    if kind == "dkim":
        sel = f"<selector>{extra}</selector>" if extra else ""
        return f"<dkim><domain>{domain}</domain>{sel}<result>{result}</result></dkim>"
    return (f"<spf><domain>{domain}</domain><scope>mfrom</scope>"
            f"<result>{result}</result></spf>")


def record(ip, count, disp, dkim, spf, header_from, results, reasons="",
           envelope_from=None):
    env = (f"<envelope_from>{envelope_from}</envelope_from>"
           if envelope_from is not None else "")
    return (f"<record><row><source_ip>{ip}</source_ip><count>{count}</count>"
            f"<policy_evaluated><disposition>{disp}</disposition>"
            f"<dkim>{dkim}</dkim><spf>{spf}</spf>{reasons}</policy_evaluated>"
            f"</row><identifiers>{env}<header_from>{header_from}</header_from>"
            f"</identifiers><auth_results>{''.join(results)}</auth_results>"
            f"</record>\n")


def report(ns, org, rid, domain, begin, end, policy, records, version=""):
    xmlns = f' xmlns="{ns}"' if ns else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<feedback{xmlns}>\n'
            f"{version}<report_metadata><org_name>{org}</org_name>"
            f"<email>dmarc@{rid}.receiver.example</email>"
            f"<report_id>{rid}</report_id><date_range><begin>{begin}</begin>"
            f"<end>{end}</end></date_range></report_metadata>\n"
            f"<policy_published><domain>{domain}</domain>{policy}"
            f"</policy_published>\n{''.join(records)}</feedback>\n")


def reason(kind, comment=None):
    c = f"<comment>{comment}</comment>" if comment is not None else ""
    return f"<reason><type>{kind}</type>{c}</reason>"


# r1: example.com, 2026-12-01, p=reject, RFC 7489 with its namespace
R1 = report(NS_7489, "Receiver One", "r1", "example.com", D1, D1 + DAY - 1,
            "<adkim>r</adkim><aspf>r</aspf><p>reject</p><sp>reject</sp>"
            "<pct>100</pct><fo>0</fo>", [
    record("192.0.2.1", 100, "none", "pass", "pass", "example.com",
           [auth("dkim", "example.com", "pass", "s1"),
            auth("dkim", "esp.example", "pass", "s2"),
            auth("spf", "example.com", "pass")], envelope_from="example.com"),
    record("198.51.100.7", 7, "none", "fail", "fail", "example.com",
           [auth("dkim", "esp.example", "pass", "k1"),
            auth("spf", "bounce.esp.example", "pass")],
           envelope_from="bounce.esp.example"),
    record("203.0.113.9", 3, "reject", "fail", "fail", "example.com",
           [auth("dkim", "example.com", "fail", "s1"),
            auth("spf", "example.com", "fail")], envelope_from="example.com"),
    record("192.0.2.50", 4, "quarantine", "fail", "fail", "example.com",
           [auth("spf", "example.com", "softfail")],
           reasons=reason("local_policy", "held for review"),
           envelope_from="example.com"),
    # relaxed alignment: a subdomain's mail signed by the parent
    record("192.0.2.2", 10, "none", "pass", "pass", "news.example.com",
           [auth("dkim", "example.com", "pass", "s1"),
            auth("spf", "news.example.com", "pass")],
           envelope_from="news.example.com"),
], version="<version>1.0</version>")

# r2: example.com over two days (end at 00:00 of the third), RFC 9990
R2 = report(NS_9990, "Receiver Two", "r2", "example.com", D1, D1 + 2 * DAY,
            "<p>none</p>", [
    record("192.0.2.1", 5, "none", "pass", "fail", "example.com",
           [auth("dkim", "example.com", "pass", "s1"),
            auth("spf", "forwarder.example", "pass")],
           reasons=reason("trusted_forwarder"), envelope_from="forwarder.example"),
    record("192.0.2.77", 1, "none", "fail", "fail", "example.com",
           [auth("spf", "example.com", "fail")], envelope_from="example.com"),
], version="<version>1.0</version>")

# r3: example.org, 2026-12-02, no namespace, hostile text
EVIL_ORG = 'Evil "Org" \\ &lt;b&gt;&amp;&#9;tab&#10;line \u00dcn\u00efc\u00f6d\u00e9'
R3 = report(None, EVIL_ORG, "r3,x;y", "example.org", D1 + DAY,
            D1 + 2 * DAY - 1, "<p>quarantine</p>", [
    record("203.0.113.200", 20, "quarantine", "fail", "fail", "example.org",
           [auth("dkim", "evil.example", "pass", "x"),
            auth("spf", "example.org", "fail")],
           reasons=reason("other", "bad \udcff byte"),
           envelope_from="example.org"),
])

# r4: example.org, 2026-12-02, in an mbox, gzip attachment
R4 = report(NS_7489, "Receiver Four", "r4", "example.org", D1 + DAY,
            D1 + 2 * DAY - 1, "<adkim>r</adkim><aspf>r</aspf><p>quarantine</p>"
            "<sp>quarantine</sp><pct>100</pct><fo>0</fo>", [
    record("192.0.2.30", 30, "none", "pass", "pass", "example.org",
           [auth("dkim", "example.org", "pass", "m"),
            auth("spf", "example.org", "pass")], envelope_from="example.org"),
], version="<version>1.0</version>")

# r5: example.net, 2026-12-03, in a Maildir's new/, plain XML attachment
R5 = report(NS_9990, "Receiver Five", "r5", "example.net", D1 + 2 * DAY,
            D1 + 3 * DAY - 1, "<p>none</p>", [
    record("192.0.2.40", 2, "none", "pass", "fail", "example.net",
           [auth("dkim", "example.net", "pass", "n"),
            auth("spf", "other.example", "fail")], envelope_from="other.example"),
], version="<version>1.0</version>")

# r6: text a spreadsheet takes for formulas (CSV injection)
R6 = report(NS_9990, '=HYPERLINK("http://evil.example","x")', "@r6",
            "example.net", D1, D1 + DAY - 1, "<p>none</p>", [
    record("192.0.2.60", 1, "none", "fail", "fail", "example.net",
           [auth("spf", "example.net", "fail")],
           reasons=reason("other", "+1-2"), envelope_from="example.net"),
])

BAD_COUNT = report(None, "Bad Counter", "bad1", "bad.example", D1,
                   D1 + DAY - 1, "<p>none</p>", [
    record("192.0.2.90", 9, "none", "pass", "pass", "bad.example",
           [auth("dkim", "bad.example", "pass", "b")], envelope_from="bad.example"),
    record("192.0.2.91", "12x", "none", "pass", "pass", "bad.example",
           [auth("dkim", "bad.example", "pass", "b")], envelope_from="bad.example"),
])

ARF = """From: feedback@receiver.example
To: ruf@example.com
Subject: DMARC failure report for example.com
Date: Wed, 02 Dec 2026 10:00:00 +0000
Message-ID: <arf1@receiver.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

A message claiming to be from example.com failed DMARC.

--b1
Content-Type: message/feedback-report

Feedback-Type: auth-failure
User-Agent: receiver-mta/1.0
Version: 1
Original-Mail-From: <bounce@spoof.example>
Arrival-Date: Wed, 02 Dec 2026 09:59:00 +0000
Source-IP: 198.51.100.99
Reported-Domain: example.com
Auth-Failure: dmarc
Identity-Alignment: none
Delivery-Result: reject

--b1
Content-Type: text/rfc822-headers

From: <ceo@example.com>
To: <victim@receiver.example>
Subject: urgent
Date: Wed, 02 Dec 2026 09:58:00 +0000

--b1--
"""


def xml_bytes(text):
    # surrogate escapes stand for raw (invalid UTF-8) bytes
    return text.encode("utf-8", "surrogateescape")


def mail(rid, payload, subtype, filename):
    m = email.message.EmailMessage()
    m["From"] = f"dmarc@{rid}.receiver.example"
    m["To"] = "rua@example.com"
    m["Subject"] = f"Report Domain: example Submitter: receiver Report-ID: {rid}"
    m["Date"] = "Thu, 03 Dec 2026 01:00:00 +0000"
    m.set_content("A DMARC aggregate report.\n")
    m.add_attachment(payload, maintype="application", subtype=subtype,
                     filename=filename)
    return m.as_bytes()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    good, bad = os.path.join(out, "good"), os.path.join(out, "bad")
    write(os.path.join(good, "r1.xml"), xml_bytes(R1))
    write(os.path.join(good, "r2.xml.gz"), gzip.compress(xml_bytes(R2), mtime=0))
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("receiver!example.org!r3.xml", xml_bytes(R3))
    write(os.path.join(good, "sub", "r3.zip"), z.getvalue())
    write(os.path.join(good, "sub", "r3-copy.xml"), xml_bytes(R3))
    mbox = b""
    for rid, payload, subtype, name in (
            ("r4", gzip.compress(xml_bytes(R4), mtime=0), "gzip", "r4.xml.gz"),
            ("r1", xml_bytes(R1), "xml", "r1.xml")):
        mbox += (b"From dmarc@receiver.example Thu Dec  3 01:00:00 2026\n" +
                 mail(rid, payload, subtype, name).replace(b"\r\n", b"\n") +
                 b"\n")
    write(os.path.join(good, "mail.mbox"), mbox)
    md = os.path.join(good, "Maildir")
    write(os.path.join(md, "cur", "1796176800.arf.host:2,S"), ARF.encode())
    write(os.path.join(md, "new", "1796263200.r5.host"),
          mail("r5", xml_bytes(R5), "xml", "r5.xml"))
    write(os.path.join(md, "tmp", "1796263300.partial.host"), b"garbage\n")
    write(os.path.join(good, ".hidden"), b"not a report\n")
    write(os.path.join(bad, "badcount.xml"), xml_bytes(BAD_COUNT))
    write(os.path.join(bad, "doctype.xml"), xml_bytes(R1.replace(
        "<feedback", '<!DOCTYPE feedback [<!ENTITY x "y">]>\n<feedback', 1)))
    write(os.path.join(bad, "notes.txt"), b"Meeting notes: nothing here.\n" * 4)
    # many 64 KiB reads: BIG_RECORDS rows, the count of row i is i % 7 + 1
    big = report(NS_9990, "Big Receiver", "big1", "big.example", D1,
                 D1 + DAY - 1, "<p>none</p>", [
        record(f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", i % 7 + 1, "none",
               "pass", "fail", "big.example",
               [auth("dkim", "big.example", "pass", "b")],
               envelope_from="big.example") for i in range(BIG_RECORDS)],
                 version="<version>1.0</version>")
    write(os.path.join(out, "big", "big.xml"), xml_bytes(big))
    # file names that are no UTF-8 and hold control characters
    odd = os.path.join(out, "odd").encode()
    write(os.path.join(odd, b"r5\t\xfe.xml"), xml_bytes(R5))
    write(os.path.join(odd, b"z\n\xff\x1b[31m.txt"), b"no report\n")
    write(os.path.join(out, "formula", "r6.xml"), xml_bytes(R6))
    gz = gzip.compress(xml_bytes(R4), mtime=0)
    write(os.path.join(bad, "truncated.xml.gz"), gz[:len(gz) // 2])


main()
