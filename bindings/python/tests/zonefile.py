"""The zone file format of examples/data/demo.zone (described at its
top), answered in Python: the lookup function the tests give the binding,
so its results can be compared with the C tools reading the same file."""

from __future__ import annotations

import pathlib
import shlex
from dataclasses import dataclass, field
from typing import Dict, List, Set, Tuple

from libdmarc import DnsOutcome, Reply, Rrtype


def _txt_value(text: str) -> str:
    """One TXT record: quoted strings joined, or one unquoted word."""
    text = text.strip()
    if not text.startswith('"'):
        return text
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.escape = "\\"
    lexer.escapedquotes = '"'
    lexer.quotes = '"'
    return "".join(lexer)


@dataclass
class Zone:
    records: Dict[Tuple[str, str], List[str]] = field(default_factory=dict)
    names: Set[str] = field(default_factory=set)
    nxdomain: Set[str] = field(default_factory=set)
    servfail: Set[str] = field(default_factory=set)
    asked: List[Tuple[str, Rrtype]] = field(default_factory=list)

    @classmethod
    def read(cls, path: pathlib.Path) -> "Zone":
        zone = cls()
        for line in path.read_text().splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split(None, 2)
            name = parts[0].lower().rstrip(".")
            rtype = parts[1].upper()
            if rtype == "NXDOMAIN":
                zone.nxdomain.add(name)
            elif rtype == "SERVFAIL":
                zone.servfail.add(name)
            else:
                value = parts[2] if len(parts) > 2 else ""
                if rtype == "TXT":
                    value = _txt_value(value)
                zone.records.setdefault((name, rtype), []).append(value)
                zone.names.add(name)
        return zone

    def lookup(self, qname: str, qtype: Rrtype) -> Reply:
        self.asked.append((qname, qtype))
        if qname in self.servfail:
            return DnsOutcome.TEMPFAIL
        if qname in self.nxdomain:
            return DnsOutcome.NXDOMAIN
        found = self.records.get((qname, qtype.keyword or ""))
        if found:
            return found
        if qname in self.names or any(n.endswith("." + qname)
                                      for n in self.names):
            return DnsOutcome.NODATA
        return DnsOutcome.NXDOMAIN
