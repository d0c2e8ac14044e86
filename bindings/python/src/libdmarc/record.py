"""DMARC policy records (RFC 9989 4.7, RFC 7489 6.3): parsing, the
record's values, its URIs and diagnostics, canonical form, and the
selection among the TXT records at one name."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Callable, Any, List, Optional, Sequence, Tuple

from . import _lib
from ._object import Borrowed, Diagnostic, Owned, TextIn, diagnostics, \
    read_buffer, to_bytes
from .context import Context
from .enums import (Alignment, Fo, Mode, Policy, Psd, RecordState, Rf,
                    Select, Tag, UriFlag)
from .errors import check


@dataclass(frozen=True)
class Uri:
    """A reporting URI of a rua or ruf list (a copy)."""

    text: str
    scheme: str
    address: Optional[str]
    size_limit: int
    flags: UriFlag

    @classmethod
    def from_c(cls, ptr: int) -> "Uri":
        lib = _lib.lib
        return cls(text=_lib.text(lib.dmarc_uri_get_text(ptr)) or "",
                   scheme=_lib.text(lib.dmarc_uri_get_scheme(ptr)) or "",
                   address=_lib.text(lib.dmarc_uri_get_address(ptr)),
                   size_limit=lib.dmarc_uri_get_size_limit(ptr),
                   flags=UriFlag(lib.dmarc_uri_get_flags(ptr)))


class RecordView:
    """Read access to a record: owned (Record) or borrowed from a
    discovery (valid until that discovery starts again)."""

    _p: Callable[[], int]  # from Owned or Borrowed

    @property
    def state(self) -> RecordState:
        return RecordState(_lib.lib.dmarc_record_get_state(self._p()))

    @property
    def mode(self) -> Mode:
        return Mode(_lib.lib.dmarc_record_get_mode(self._p()))

    @property
    def usable(self) -> bool:
        """Valid, or to be acted on as p=none (RecordState.AS_NONE)."""
        return self.state in (RecordState.VALID, RecordState.AS_NONE)

    def has_tag(self, tag: Tag) -> bool:
        """Whether the tag was present with a usable value."""
        return bool(_lib.lib.dmarc_record_has_tag(self._p(), int(tag)))

    def policy(self, tag: Tag = Tag.P) -> Policy:
        """Effective p, sp or np (sp falls back to p, np to sp)."""
        return Policy(_lib.lib.dmarc_record_get_policy(self._p(), int(tag)))

    def alignment(self, tag: Tag) -> Alignment:
        """Effective adkim or aspf."""
        return Alignment(_lib.lib.dmarc_record_get_alignment(self._p(),
                                                             int(tag)))

    @property
    def pct(self) -> int:
        return int(_lib.lib.dmarc_record_get_pct(self._p()))

    @property
    def ri(self) -> int:
        return int(_lib.lib.dmarc_record_get_ri(self._p()))

    @property
    def fo(self) -> Fo:
        return Fo(_lib.lib.dmarc_record_get_fo(self._p()))

    @property
    def rf(self) -> Rf:
        return Rf(_lib.lib.dmarc_record_get_rf(self._p()))

    @property
    def psd(self) -> Psd:
        return Psd(_lib.lib.dmarc_record_get_psd(self._p()))

    @property
    def testing(self) -> bool:
        """t=y."""
        return bool(_lib.lib.dmarc_record_get_testing(self._p()))

    def uris(self, tag: Tag) -> List[Uri]:
        """The syntactically valid URIs of rua or ruf, in record order."""
        lib = _lib.lib
        ptr = self._p()
        return [Uri.from_c(lib.dmarc_record_get_uri(ptr, int(tag), i))
                for i in range(lib.dmarc_record_get_uri_count(ptr,
                                                              int(tag)))]

    @property
    def rua(self) -> List[Uri]:
        return self.uris(Tag.RUA)

    @property
    def ruf(self) -> List[Uri]:
        return self.uris(Tag.RUF)

    @property
    def diagnostics(self) -> List[Diagnostic]:
        lib = _lib.lib
        return diagnostics(self._p(), lib.dmarc_record_get_diag_count,
                           lib.dmarc_record_get_diag)

    def format(self) -> str:
        """The canonical form; RecordUnusableError unless usable."""
        ptr = self._p()
        out = read_buffer(lambda buf, size, length:
                          _lib.lib.dmarc_record_format(ptr, buf, size,
                                                       length))
        return out.decode("ascii")

    def __repr__(self) -> str:
        try:
            state = self.state
        except ValueError:
            return f"<{type(self).__name__} (closed)>"
        text = f" {self.format()!r}" if self.usable else ""
        return f"<{type(self).__name__} {state}{text}>"


class Record(RecordView, Owned):
    """One parsed TXT record, whatever its state (read .state)."""

    _free = _lib.lib.dmarc_record_free

    def __init__(self, text: TextIn, context: Context) -> None:
        raw = to_bytes(text)
        out = _lib.handle()
        ctx = context._adopt()
        try:
            check(_lib.lib.dmarc_record_parse(ctypes.byref(out), ctx, raw,
                                              len(raw)))
        except BaseException:
            context._release()
            raise
        self._context = context
        self._ptr = out.value

    @classmethod
    def _adopt_handle(cls, context: Context, ptr: int) -> "Record":
        """Own a record the library made (dmarc_record_select)."""
        record = cls.__new__(cls)
        context._adopt()
        record._context = context
        record._ptr = ptr
        return record

    def _after_close(self) -> None:
        self._context._release()


class BorrowedRecord(RecordView, Borrowed):
    """A record a discovery holds: valid until that discovery starts
    again or is closed."""


def parse_record(text: TextIn, context: Context) -> Record:
    """Parse one TXT record (its strings already joined)."""
    return Record(text, context)


def select_records(texts: Sequence[TextIn],
                   context: Context) -> Tuple[Select, Optional[Record]]:
    """Apply the discard and multiple-record rules to the TXT records
    found at one name: (how they resolve, the one record or None)."""
    raws = [to_bytes(t) for t in texts]
    n = len(raws)
    arr = (ctypes.c_char_p * max(n, 1))(*raws)
    lengths = (ctypes.c_size_t * max(n, 1))(*[len(r) for r in raws])
    out = _lib.handle()
    result = ctypes.c_int(0)
    check(_lib.lib.dmarc_record_select(ctypes.byref(out),
                                       ctypes.byref(result), context._p(),
                                       arr, lengths, n))
    record = None if not out.value else Record._adopt_handle(context,
                                                             out.value)
    return Select(result.value), record


__all__: Any = ["Record", "RecordView", "BorrowedRecord", "Uri",
                "parse_record", "select_records"]
