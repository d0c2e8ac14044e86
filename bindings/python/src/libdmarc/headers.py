"""The header fields of a message as raw bytes (RFC 5322 2.2): what an
evaluation reads (From, Authentication-Results) without decoding or
unfolding anything, so the library sees the bytes that came in the mail
and its diagnostics' offsets point into them."""

from __future__ import annotations

from typing import List, Tuple, Union


def header_fields(message: Union[bytes, bytearray]) -> List[Tuple[str, bytes]]:
    """(name, value) of every header field up to the empty line that ends
    the header block: the value is everything after the colon, folding
    line breaks kept, the field's own line break dropped.  Lines that are
    no field (no colon, nothing to continue) are skipped."""
    fields: List[Tuple[str, bytearray]] = []
    for line in bytes(message).splitlines(keepends=True):
        if line in (b"\n", b"\r\n", b"\r"):
            break
        if line[:1] in (b" ", b"\t"):
            if fields:
                fields[-1][1].extend(line)
            continue
        name, colon, value = line.partition(b":")
        if not colon or not name.strip() or b" " in name.strip():
            continue
        fields.append((name.strip().decode("ascii", "replace"),
                       bytearray(value)))
    return [(name, _drop_line_end(bytes(value))) for name, value in fields]


def _drop_line_end(value: bytes) -> bytes:
    if value.endswith(b"\r\n"):
        return value[:-2]
    if value.endswith((b"\n", b"\r")):
        return value[:-1]
    return value
