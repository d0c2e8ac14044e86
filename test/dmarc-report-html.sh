#!/bin/sh
# dmarc-report --html: the page of the inputs test/dmarc-report-inputs.py
# writes, rendered by headless Chromium.  Checked: the page fetches
# nothing (no script, link, image, frame, url() or address); the
# screenshot is a PNG of the window's size, not blank, with the charts'
# colours in it; the numbers on the rendered page (--dump-dom) are the
# summary's (per domain and day, the pass/fail split, the sources, the
# report counts).  Skipped (77) without chromium; python3 is required.
# DMARC_TEST_KEEP=1 keeps the temporary directory.
set -u
build=$(cd "$top_builddir" && pwd) || exit 1
tool="$build/examples/dmarc-report"
wrap=${DMARC_TEST_WRAPPER:-}
W=1200
H=2400

browser=$(command -v chromium || command -v chromium-browser) || {
	echo "dmarc-report-html: chromium not found: skipped"
	exit 77
}
if ! command -v python3 >/dev/null 2>&1; then
	echo "dmarc-report-html: python3 not found (Debian: python3)"
	exit 1
fi
tmp=$(mktemp -d) || exit 1
[ -n "${DMARC_TEST_KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
python3 "$top_srcdir/test/dmarc-report-inputs.py" "$tmp/in" || exit 1

if ! $wrap "$tool" --html "$tmp/page.html" "$tmp/in/good" >"$tmp/summary.txt" \
    2>"$tmp/tool.err"; then
	echo "FAIL dmarc-report --html: $(cat "$tmp/tool.err")"
	exit 1
fi
# Chromium's flags: no sandbox (containers, root), its own profile
chrome() {
	HOME="$tmp" timeout 180 "$browser" --headless --no-sandbox --disable-gpu \
		--hide-scrollbars --user-data-dir="$tmp/profile" \
		--window-size="$W,$H" "$@" "file://$tmp/page.html" 2>>"$tmp/chromium.err"
}
chrome --screenshot="$tmp/shot.png" >/dev/null ||
	{ echo "FAIL chromium --screenshot: $(tail -5 "$tmp/chromium.err")"; exit 1; }
chrome --dump-dom >"$tmp/dom.html" ||
	{ echo "FAIL chromium --dump-dom: $(tail -5 "$tmp/chromium.err")"; exit 1; }

python3 - "$tmp" "$W" "$H" <<'PYEOF'
import html.parser
import re
import struct
import sys
import zlib

tmp, W, H = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
failures = []


def fail(msg):
    failures.append(msg)


# --- the page fetches nothing
page = open(f"{tmp}/page.html", encoding="utf-8").read()
for bad in ("<script", "<link", "<img", "<iframe", "<object", "url(", "http:",
            "https:", "src=", "@import"):
    if bad in page.lower():
        fail(f"the page holds {bad!r}")


# --- the screenshot
def png_pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype = ihdr[:4]
    if depth != 8 or ctype not in (2, 6):
        raise ValueError(f"unexpected PNG depth {depth} colour type {ctype}")
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):   # PNG filters (ISO 15948 section 9)
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


try:
    w, h, bpp, rows = png_pixels(f"{tmp}/shot.png")
    if (w, h) != (W, H):
        fail(f"screenshot is {w}x{h}, want {W}x{H}")
    colours = {}
    for line in rows:
        for i in range(0, len(line), bpp):
            px = bytes(line[i:i + 3])
            colours[px] = colours.get(px, 0) + 1
    white = colours.get(b"\xff\xff\xff", 0)
    if white == w * h or len(colours) < 8:
        fail(f"screenshot is blank: {len(colours)} colours")
    for name, rgb in (("DKIM and SPF", (0x2e, 0x7d, 0x32)),
                      ("neither", (0xc6, 0x28, 0x28)),
                      ("sources", (0x15, 0x65, 0xc0))):
        if colours.get(bytes(rgb), 0) < 200:
            fail(f"screenshot: the {name} colour is missing")
except (ValueError, OSError, zlib.error, TypeError) as e:
    fail(f"screenshot: {e}")


# --- the numbers on the rendered page
class Numbers(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.domain = self.day = self.key = None
        self.text = ""
        self.got = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.domain = a.get("data-domain")
        if tag == "tr":
            self.day = a.get("data-day")
        if "data-k" in a:
            self.key = (self.domain, self.day if tag == "td" and "data-key" not in a
                        else None, a.get("data-key"), a["data-k"])
            self.text = ""

    def handle_endtag(self, tag):
        if tag == "section":
            self.domain = None
        if tag == "tr":
            self.day = None
        if self.key is not None and tag in ("td", "span"):
            self.got[self.key] = int(self.text)
            self.key = None

    def handle_data(self, data):
        if self.key is not None:
            self.text += data


parser = Numbers()
parser.feed(open(f"{tmp}/dom.html", encoding="utf-8").read())
got = parser.got

# the same numbers from the summary text
KEYS = ("total", "both", "dkim_only", "spf_only", "neither")
want = {}
summary = open(f"{tmp}/summary.txt", encoding="utf-8").read().splitlines()
m = re.match(r"(\d+) reports?, (\d+) duplicates? skipped, (\d+) failure reports?$",
             summary[0])
for k, v in zip(("reports", "duplicates", "failure_reports"), m.groups()):
    want[(None, None, None, k)] = int(v)
doms = {}   # domain: {"days": {day: [5 numbers]}, "sources": {day: text}, ...}
dom = day = None
for line in summary[1:]:
    m = re.match(r"^(\S.*): (\d+) reports?$", line)
    if m:
        dom = doms.setdefault(m.group(1), {"reports": int(m.group(2)), "days": {},
                                           "sources": {}, "failure_reports": 0,
                                           "duplicates": 0, "unenforced": {}})
        continue
    m = re.match(r"^  (\S.*?): (\d+) messages?; aligned dkim and spf (\d+), "
                 r"dkim only (\d+), spf only (\d+), neither (\d+)$", line)
    if m:
        day = "all" if m.group(1) == "all days" else m.group(1)
        dom["days"][day] = [int(x) for x in m.groups()[1:]]
        continue
    m = re.match(r"^    (sources|dispositions|reasons): (.*)$", line)
    if m:
        dom.setdefault(m.group(1), {})[day] = m.group(2)
    m = re.match(r"^  failure reports: (\d+)", line)
    if m:
        dom["failure_reports"] = int(m.group(1))
    m = re.match(r"^  anomaly: reject not enforced: (\S+): (\d+) ", line)
    if m:
        dom["unenforced"][m.group(1)] = int(m.group(2))
    m = re.match(r"^  anomaly: duplicate report: .*: (\d+) cop(?:y|ies) skipped$", line)
    if m:
        dom["duplicates"] += int(m.group(1))
for name, d in doms.items():
    for k in ("reports", "failure_reports", "duplicates"):
        want[(name, None, None, k)] = d[k]
    if "all" not in d["days"]:          # one day: "all" is that day
        (only,) = d["days"].values()
        d["days"]["all"] = only
        for k in ("sources", "dispositions", "reasons"):
            if k in d:
                d[k]["all"] = list(d[k].values())[0]
    d["unenforced"]["all"] = sum(d["unenforced"].values())
    for day, numbers in d["days"].items():
        for k, v in zip(KEYS, numbers):
            want[(name, day, None, k)] = v
        want[(name, day, None, "reject_unenforced")] = d["unenforced"].get(day, 0)
    for k, v in zip(KEYS[1:], d["days"]["all"][1:]):
        want[(name, None, None, "split-" + k)] = v
    for k, key in (("sources", "source"), ("dispositions", "disposition"),
                   ("reasons", "reason")):
        for part in d.get(k, {}).get("all", "").split(", "):
            if part and not part.startswith("and "):
                value, n = part.rsplit(" ", 1)
                want[(name, None, value, key)] = int(n)
for k in sorted(set(want) | set(got), key=str):
    if want.get(k) != got.get(k):
        fail(f"page {k}: {got.get(k)!r}, summary {want.get(k)!r}")
if len(got) < 40:
    fail(f"only {len(got)} numbers on the page")
if ("example.com", "2026-12-01", None, "total") not in got:
    fail("no day row for example.com on the page")

for f in failures:
    print("FAIL", f)
if not failures:
    print(f"dmarc-report-html: page rendered {W}x{H}, {len(got)} numbers match the summary")
sys.exit(1 if failures else 0)
PYEOF
