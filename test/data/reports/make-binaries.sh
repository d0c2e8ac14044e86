#!/bin/sh
# Regenerates the binary and non-UTF-8 inputs of the report reader corpus
# (test/data/reports) from the sources in src/.  Run once and commit the
# results: the expected dumps (*.expect) were written by hand for these
# exact bytes.  Needs gzip, iconv, zip and python3.
#
# SPDX-License-Identifier: BSD-2-Clause
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# gzip without name or time stamp, so the bytes depend only on the input.
gz() { gzip -n -9 -c "$1"; }

# ---- encodings (XML 1.0 section 4.3.3; RFC 2781 for UTF-16)
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE src/enc-utf16le.xml.in; } \
	>enc-utf16le-bom.xml
{ printf '\376\377'; iconv -f UTF-8 -t UTF-16BE src/enc-utf16be.xml.in; } \
	>enc-utf16be-bom.xml
iconv -f UTF-8 -t ISO-8859-1 src/enc-iso-8859-1.xml.in >enc-iso-8859-1.xml
iconv -f UTF-8 -t WINDOWS-1252 src/enc-windows-1252.xml.in \
	>enc-windows-1252.xml

# ---- something that is no report: the start of a PDF with a deflated
# content stream (bytes that are neither XML, gzip, zip nor a message).
python3 - fail-pdf-like.pdf <<'PY'
import sys, zlib
body = zlib.compress(b'BT /F1 12 Tf 72 720 Td (DMARC aggregate report) Tj ET', 9)
pdf = (b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'
       b'1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n'
       b'2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n'
       b'3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]'
       b' /Contents 4 0 R >>\nendobj\n'
       b'4 0 obj\n<< /Length ' + str(len(body)).encode()
       + b' /Filter /FlateDecode >>\nstream\n' + body
       + b'\nendstream\nendobj\ntrailer\n<< /Size 5 /Root 1 0 R >>\n%%EOF\n')
open(sys.argv[1], 'wb').write(pdf)
PY

# ---- gzip (RFC 1952)
gz src/ctr-gzip.xml >ctr-gzip.xml.gz
# Two members, the document split in the middle of a record (RFC 1952
# section 2.2: a gzip file is a series of members).
head -c 1200 src/ctr-gzip-two-members.xml | gzip -n -9 -c \
	>ctr-gzip-two-members.xml.gz
tail -c +1201 src/ctr-gzip-two-members.xml | gzip -n -9 -c \
	>>ctr-gzip-two-members.xml.gz
# gzip inside gzip, as some mail systems send (digest section 6.7).
gz src/ctr-gzip-in-gzip.xml | gzip -n -9 -c >ctr-gzip-in-gzip.xml.gz
# Trailing bytes after the only member (NUL padding and text).
{ gz src/ctr-gzip-trailing.xml; printf '\0\0\0\0\0\0\0\0\nEND OF ATTACHMENT\n'; } \
	>ctr-gzip-trailing.xml.gz
# Cut inside the deflate stream: the decompressed prefix ends before
# policy_published.
gz src/fail-truncated-gz.xml | head -c 180 >fail-truncated.xml.gz
# The CRC32 of the trailer (RFC 1952 section 2.3) with every bit of its
# first byte inverted.
python3 - src/fail-bad-crc.xml fail-bad-crc.xml.gz <<'PY'
import gzip, sys
data = bytearray(gzip.compress(open(sys.argv[1], 'rb').read(), 9, mtime=0))
data[-8] ^= 0xFF
open(sys.argv[2], 'wb').write(bytes(data))
PY

# ---- zip (PKWARE APPNOTE): fixed times, so the bytes are reproducible.
python3 - <<'PY'
import io, zipfile
T = (2026, 3, 16, 4, 0, 0)
def entry(name, method):
    info = zipfile.ZipInfo(name, T)
    info.compress_type = method
    return info
def write(path, name, src, method):
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr(entry(name, method), open(src, 'rb').read())
write('ctr-zip-deflated.zip',
      'jacana.example!example.com!1773532800!1773619199.xml',
      'src/ctr-zip-deflated.xml', zipfile.ZIP_DEFLATED)
write('ctr-zip-stored.zip',
      'kingfisher.example!example.net!1773619200!1773705599.xml',
      'src/ctr-zip-stored.xml', zipfile.ZIP_STORED)
write('mail-zip.zip', 'nightjar.example!example.net!1773878400!1773964799.xml',
      'src/mail-zip.xml', zipfile.ZIP_DEFLATED)
write('mbox-2.zip', 'vireo.example!example.com!1774569600!1774655999.xml',
      'src/mbox-2.xml', zipfile.ZIP_DEFLATED)

# Two entries: the report, then a note that is no report.
with zipfile.ZipFile('ctr-zip-two-entries.zip', 'w') as z:
    z.writestr(entry('bittern.example!example.com!1772409600!1772495999.xml',
                     zipfile.ZIP_DEFLATED),
               open('src/ctr-zip-two-entries.xml', 'rb').read())
    z.writestr(entry('README.txt', zipfile.ZIP_DEFLATED),
               open('src/ctr-zip-two-entries.txt', 'rb').read())

# A stream that cannot seek makes zipfile write general purpose flag
# bit 3 and a data descriptor after the entry (APPNOTE 4.3.9).
class Unseekable(io.RawIOBase):
    def __init__(self): self.buf = bytearray()
    def writable(self): return True
    def seekable(self): return False
    def write(self, b): self.buf += b; return len(b)
    def tell(self): raise OSError('not seekable')
    def seek(self, *a): raise OSError('not seekable')
s = Unseekable()
with zipfile.ZipFile(s, 'w') as z:
    with z.open(entry('./Lapwing report (1) [example.org].XML',
                      zipfile.ZIP_DEFLATED), 'w') as f:
        f.write(open('src/ctr-zip-descriptor.xml', 'rb').read())
open('ctr-zip-descriptor.zip', 'wb').write(bytes(s.buf))
PY
mv mail-zip.zip mbox-2.zip "$tmp"/
# An encrypted entry (APPNOTE 6.1, traditional PKWARE encryption) only;
# its encryption header is random, so only this file differs per run.
cp src/fail-zip-encrypted.xml \
	"$tmp/avocet.example!example.org!1772323200!1772409599.xml"
touch -d '2026-03-02 01:00:00 UTC' \
	"$tmp/avocet.example!example.org!1772323200!1772409599.xml"
rm -f fail-zip-encrypted.zip
(cd "$tmp" && zip -q -X -P avocet enc.zip \
	"avocet.example!example.org!1772323200!1772409599.xml")
mv "$tmp/enc.zip" fail-zip-encrypted.zip

# ---- messages: src/*.in with @@B64 f@@ (base64 of $tmp/f), @@QP f@@
# (quoted-printable of src/f) and @@RAW f@@ (src/f as is).
for f in mail-gzip-base64 mail-octet-stream-gzip mail-nested-multipart \
	mail-rfc2231-name mail-encoded-word-name mail-forwarded mbox-1 maildir
do
	gz "src/$f.xml" >"$tmp/$f.xml.gz"
done
cp src/arf-mixed-base64.feedback "$tmp/"
python3 - "$tmp" <<'PY'
import base64, quopri, re, sys
tmp = sys.argv[1]
def b64(path):
    text = base64.b64encode(open(path, 'rb').read()).decode()
    return '\n'.join(text[i:i + 76] for i in range(0, len(text), 76))
def fill(src, out, crlf=False):
    text = open('src/' + src, encoding='utf-8').read()
    def sub(m):
        kind, name = m.group(1), m.group(2)
        if kind == 'B64':
            return b64(tmp + '/' + name)
        raw = open('src/' + name, 'rb').read()
        if kind == 'QP':
            return quopri.encodestring(raw).decode().rstrip('\n')
        return raw.decode('utf-8').rstrip('\n')
    text = re.sub(r'@@(B64|QP|RAW) ([^@]+)@@', sub, text)
    if crlf:
        text = text.replace('\n', '\r\n')
    open(out, 'wb').write(text.encode('utf-8'))
fill('mail-gzip-base64.eml.in', 'mail-gzip-base64.eml', crlf=True)
fill('mail-zip.eml.in', 'mail-zip.eml', crlf=True)
fill('mail-qp-xml.eml.in', 'mail-qp-xml.eml')
fill('mail-octet-stream-gzip.eml.in', 'mail-octet-stream-gzip.eml')
fill('mail-nested-multipart.eml.in', 'mail-nested-multipart.eml')
fill('mail-rfc2231-name.eml.in', 'mail-rfc2231-name.eml')
fill('mail-encoded-word-name.eml.in', 'mail-encoded-word-name.eml')
fill('mail-forwarded.eml.in', 'mail-forwarded.eml')
fill('mail-three.mbox.in', 'mail-three.mbox')
fill('mail-maildir.eml.in', 'mail-maildir.1774829401.M512P9077.mx1')
fill('arf-mixed-base64.eml.in', 'arf-mixed-base64.eml')
PY
