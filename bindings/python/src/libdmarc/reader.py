"""Reading received reports (the library's dmarc_reader_*, see
libdmarc-reader(3)): aggregate reports (RFC 9990, RFC 7489 7.2) and
failure reports (ARF: RFC 9991, RFC 6591, RFC 5965), as XML, gzip, zip,
email or mbox, recognised by their content.

    with Context() as ctx, Reader(ctx) as reader:
        for event in reader.read("report.xml.gz"):
            if isinstance(event, Row):
                print(event.source_ip, event.count, event.disposition)

Events are snapshots: their fields are read into Python values when the
event is yielded (the C values last only until the reader reads on).  A
report's rows are provisional until its ReportEnd: a report that fails
later ends with a Failed event instead, and its rows must be dropped.
Text from a report is str (the library gives UTF-8, bytes that are
not replaced by U+FFFD); keywords (results, dispositions, policies)
are the library's names when the report used one, else the text sent.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass, replace
from typing import (Any, BinaryIO, Dict, Iterator, List, NamedTuple, Optional,
                    Sequence, Tuple, Union)

from . import _lib
from ._object import Diagnostic, Owned
from .context import Context
from .enums import Status, _Enum, _keywords
from .errors import check

PathLike = Union[str, "os.PathLike[str]", "os.PathLike[bytes]"]
Source = Union[bytes, bytearray, memoryview, BinaryIO, PathLike]


@_keywords("reader_event")
class ReaderEvent(_Enum):
    """dmarc_reader_event of <dmarc/reader.h>."""
    NEED_INPUT = 0
    REPORT = 1
    ROW = 2
    REPORT_END = 3
    FAILURE_REPORT = 4
    FAILED = 5
    DONE = 6


@_keywords("reader_failure")
class ReaderFailure(_Enum):
    """dmarc_reader_failure of <dmarc/reader.h>: why a report or a part
    could not be read."""
    NONE = 0
    TRUNCATED = 1
    CORRUPT = 2
    LIMIT = 3
    DTD_FORBIDDEN = 4
    INVALID_VALUE = 5
    NOT_A_REPORT = 6
    UNSUPPORTED = 7


@_keywords("reader_field")
class ReaderField(_Enum):
    """dmarc_reader_field of <dmarc/reader.h>: the keys of
    Reader.get_text(), get_number() and count()."""
    NONE = 0
    CONTAINERS = 1
    PART_NAME = 2
    MESSAGE_INDEX = 3
    FAILURE_TEXT = 4
    FORMAT = 10
    VERSION = 11
    ORG_NAME = 12
    EMAIL = 13
    EXTRA_CONTACT_INFO = 14
    REPORT_ID = 15
    BEGIN = 16
    END = 17
    ERROR = 18
    GENERATOR = 19
    POLICY_DOMAIN = 30
    DISCOVERY_METHOD = 31
    P = 32
    SP = 33
    NP = 34
    PCT = 35
    FO = 36
    ADKIM = 37
    ASPF = 38
    TESTING = 39
    RECORDS = 45
    MESSAGES = 46
    SOURCE_IP = 50
    COUNT = 51
    DISPOSITION = 52
    DKIM_ALIGNED = 53
    SPF_ALIGNED = 54
    REASON_TYPE = 55
    REASON_COMMENT = 56
    HEADER_FROM = 57
    ENVELOPE_FROM = 58
    ENVELOPE_TO = 59
    DKIM_DOMAIN = 60
    DKIM_SELECTOR = 61
    DKIM_RESULT = 62
    DKIM_HUMAN_RESULT = 63
    SPF_DOMAIN = 64
    SPF_SCOPE = 65
    SPF_RESULT = 66
    SPF_HUMAN_RESULT = 67
    FEEDBACK_TYPE = 80
    USER_AGENT = 81
    ARF_VERSION = 82
    AUTH_FAILURE = 83
    IDENTITY_ALIGNMENT = 84
    DELIVERY_RESULT = 85
    AUTHENTICATION_RESULTS = 86
    SOURCE_PORT = 87
    REPORTED_DOMAIN = 88
    REPORTED_URI = 89
    ORIGINAL_MAIL_FROM = 90
    ORIGINAL_RCPT_TO = 91
    ORIGINAL_ENVELOPE_ID = 92
    ARRIVAL_DATE = 93
    REPORTING_MTA = 94
    INCIDENTS = 95
    ARF_DKIM_DOMAIN = 96
    ARF_DKIM_IDENTITY = 97
    ARF_DKIM_SELECTOR = 98
    SPF_DNS = 99
    ORIGINAL_HEADERS = 100


_F = ReaderField


class PolicyReason(NamedTuple):
    """A row's policy_evaluated reason (RFC 9990 reason, RFC 7489
    PolicyOverrideReason); either may be None when the report left it
    out."""
    type: Optional[str]
    comment: Optional[str]


class DkimAuthResult(NamedTuple):
    """One dkim element of a row's auth_results."""
    domain: Optional[str]
    selector: Optional[str]
    result: Optional[str]
    human_result: Optional[str]


class SpfAuthResult(NamedTuple):
    """One spf element of a row's auth_results."""
    domain: Optional[str]
    scope: Optional[str]
    result: Optional[str]
    human_result: Optional[str]


@dataclass(frozen=True)
class Event:
    """What every event has: its kind, where it came from (containers
    such as "mbox mime gzip xml", the MIME part's or zip entry's file
    name, the mbox message's index) and its diagnostics: the report's
    (or failure report's, or failed part's) quirks read so far, complete
    at ReportEnd and Failed."""

    kind: ReaderEvent
    containers: Optional[str]
    part_name: Optional[str]
    message_index: Optional[int]
    diagnostics: Tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Report(Event):
    """An aggregate report begins: report_metadata and policy_published.
    Its rows follow, then its ReportEnd or a Failed."""

    format: Optional[str]  # "dmarc-2.0", "7489-0.1", "draft-0.2", "none"
    version: Optional[str]
    org_name: Optional[str]
    email: Optional[str]
    extra_contact_info: Optional[str]
    report_id: Optional[str]
    begin: Optional[int]  # seconds since the epoch
    end: Optional[int]
    errors: List[str]
    generator: Optional[str]
    policy_domain: Optional[str]
    discovery_method: Optional[str]
    p: Optional[str]
    sp: Optional[str]
    np: Optional[str]
    pct: Optional[int]
    fo: Optional[str]
    adkim: Optional[str]
    aspf: Optional[str]
    testing: Optional[str]

    @property
    def key(self) -> Tuple[Optional[str], Optional[str], Optional[str],
                           Optional[int], Optional[int]]:
        """What tells a report from another (a report sent twice has the
        same key): (org_name, report_id, policy_domain, begin, end)."""
        return (self.org_name, self.report_id, self.policy_domain,
                self.begin, self.end)


@dataclass(frozen=True)
class Row(Event):
    """One record of the report that began (provisional until its
    ReportEnd)."""

    source_ip: Optional[str]
    count: Optional[int]
    disposition: Optional[str]
    dkim_aligned: Optional[str]  # policy_evaluated dkim: pass, fail
    spf_aligned: Optional[str]   # policy_evaluated spf: pass, fail
    header_from: Optional[str]
    envelope_from: Optional[str]  # "" for the null path
    envelope_to: Optional[str]
    reasons: List[PolicyReason]
    dkim: List[DkimAuthResult]
    spf: List[SpfAuthResult]


@dataclass(frozen=True)
class ReportEnd(Event):
    """The report was read whole: its rows are final."""

    records: Optional[int]   # record elements
    messages: Optional[int]  # the sum of their counts


@dataclass(frozen=True)
class FailureReport(Event):
    """A failure report (ARF, Feedback-Type auth-failure): the
    feedback-report fields (RFC 5965 3.5, RFC 6591 3.1, RFC 9991 4) and
    the reported message's header section, as sent."""

    feedback_type: Optional[str]
    user_agent: Optional[str]
    arf_version: Optional[str]
    auth_failure: Optional[str]
    identity_alignment: Optional[str]
    delivery_result: Optional[str]
    authentication_results: List[str]
    source_ip: Optional[str]
    source_port: Optional[int]
    reported_domain: List[str]
    reported_uri: List[str]
    original_mail_from: Optional[str]
    original_rcpt_to: List[str]
    original_envelope_id: Optional[str]
    arrival_date: Optional[str]
    reporting_mta: Optional[str]
    incidents: Optional[int]
    dkim_domain: Optional[str]
    dkim_identity: Optional[str]
    dkim_selector: Optional[str]
    spf_dns: Optional[str]
    original_headers: Optional[str]


@dataclass(frozen=True)
class Failed(Event):
    """A report or a part could not be read; reading goes on with the
    next.  status is Status.ENOMEM when an allocation failed."""

    failure: ReaderFailure
    text: Optional[str]
    status: Status


# The Event subclass of each kind that carries fields.
_EVENT_KINDS = (ReaderEvent.REPORT, ReaderEvent.ROW, ReaderEvent.REPORT_END,
                ReaderEvent.FAILURE_REPORT, ReaderEvent.FAILED)
# The next event after these starts a new list of diagnostics.
_DIAG_ENDS = (ReaderEvent.REPORT_END, ReaderEvent.FAILURE_REPORT,
              ReaderEvent.FAILED)


class Reader(Owned):
    """A report reader for one input at a time: push() bytes and take
    events() until it needs more, finish() and take the rest; or let
    read() do all of it for a file, a path or bytes.  Its limits come
    from the context (Limit.REPORT_BYTES, XML_DEPTH, MIME_PARTS...),
    taken when it is made.  With strict=True only reports that follow
    their schema to the letter are given; the others fail with
    ReaderFailure.INVALID_VALUE.  One thread at a time."""

    _free = _lib.lib.dmarc_reader_free

    def __init__(self, context: Context, strict: bool = False) -> None:
        out = _lib.handle()
        ctx = context._adopt()
        try:
            check(_lib.lib.dmarc_reader_new(ctypes.byref(out), ctx))
        except BaseException:
            context._release()
            raise
        self._context = context
        self._ptr = out.value
        self._strict = bool(strict)
        # Every push the library may read in place, until NEED_INPUT: it
        # takes a push once its slices are handed on, before their events
        # are out (plain XML is parsed from the caller's bytes).
        self._held: List[bytes] = []
        self._diags: Tuple[Diagnostic, ...] = ()
        self._last = ReaderEvent.NEED_INPUT
        if strict:
            check(_lib.lib.dmarc_reader_set_strict(self._ptr, 1))

    def _after_close(self) -> None:
        self._held = []  # the C reader is gone: nothing reads them now
        self._context._release()

    @property
    def strict(self) -> bool:
        return self._strict

    @property
    def offset(self) -> int:
        """Bytes of input read so far."""
        return int(_lib.lib.dmarc_reader_get_offset(self._p()))

    def push(self, data: Union[bytes, bytearray, memoryview]) -> None:
        """The next bytes of the input.  StateError while bytes pushed
        before are still being read (take events() until it stops) or
        after finish().  The reader reads them in place: it keeps a
        reference to them (a bytes copy of a bytearray or memoryview)
        until it has used them all (every push until events() stops)."""
        if isinstance(data, (bytearray, memoryview)):
            data = bytes(data)
        elif not isinstance(data, bytes):
            raise TypeError(f"expected bytes, not {type(data).__name__}")
        check(_lib.lib.dmarc_reader_push(self._p(), data, len(data)))
        self._held.append(data)

    def finish(self) -> None:
        """The input is complete: events() goes on to the end."""
        check(_lib.lib.dmarc_reader_finish(self._p()))

    def reset(self) -> None:
        """Ready for a new input (strict mode stays)."""
        _lib.lib.dmarc_reader_reset(self._p())
        self._held = []
        self._diags = ()
        self._last = ReaderEvent.NEED_INPUT

    def events(self) -> Iterator[Event]:
        """The events of the bytes pushed so far (after finish(): all
        that remain), each read whole when it is yielded."""
        lib = _lib.lib
        while True:
            kind = ReaderEvent(lib.dmarc_reader_next(self._p()))
            if self._last in _DIAG_ENDS:
                self._diags = ()  # the library began a new list
            self._last = kind
            if kind == ReaderEvent.NEED_INPUT or kind == ReaderEvent.DONE:
                self._held = []
                return
            if kind not in _EVENT_KINDS:
                continue  # an event a newer library added: skipped
            yield self._event(kind)

    def read(self, source: Source, chunk: int = 65536) -> Iterator[Event]:
        """Every event of one whole input: bytes, a binary file object,
        or a path (str or os.PathLike; bytes are data, not a path), read
        and pushed chunk bytes at a time.  The reader is reset first."""
        if chunk <= 0:
            raise ValueError("chunk must be positive")
        self.reset()
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            for pos in range(0, len(data), chunk):
                self.push(data[pos:pos + chunk])
                yield from self.events()
        elif isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as file:
                yield from self._read_file(file, chunk)
            return
        elif hasattr(source, "read"):
            yield from self._read_file(source, chunk)
            return
        else:
            raise TypeError("expected bytes, a binary file or a path, not "
                            f"{type(source).__name__}")
        self.finish()
        yield from self.events()

    def _read_file(self, file: BinaryIO, chunk: int) -> Iterator[Event]:
        while True:
            data = file.read(chunk)
            if not isinstance(data, bytes):
                raise TypeError("the file gives "
                                f"{type(data).__name__}, not bytes")
            if not data:
                break
            self.push(data)
            yield from self.events()
        self.finish()
        yield from self.events()

    # ---- the current event's fields, for what the events do not map

    def count(self, field: ReaderField) -> int:
        """How many values field has in the current event (0: none)."""
        return int(_lib.lib.dmarc_reader_get_count(self._p(), int(field)))

    def get_text(self, field: ReaderField, index: int = 0) -> Optional[str]:
        """Value index of field in the current event as text; None when
        absent.  Valid only while that event is the current one: the
        events() generator has not been resumed."""
        length = ctypes.c_size_t(0)
        address = _lib.lib.dmarc_reader_get_text(
            self._p(), int(field), index, ctypes.byref(length))
        if address is None:
            return None
        return ctypes.string_at(address, length.value).decode("utf-8",
                                                              "replace")

    def get_number(self, field: ReaderField,
                   index: int = 0) -> Optional[int]:
        """Value index of a number field (BEGIN, COUNT, PCT...) in the
        current event; None when absent or not a number."""
        value = ctypes.c_uint64(0)
        status = _lib.lib.dmarc_reader_get_number(
            self._p(), int(field), index, ctypes.byref(value))
        return int(value.value) if status == Status.OK else None

    def _texts(self, field: ReaderField, n: Optional[int] = None
               ) -> List[Optional[str]]:
        count = self.count(field) if n is None else n
        return [self.get_text(field, i) for i in range(count)]

    def _present(self, field: ReaderField) -> List[str]:
        return [t for t in self._texts(field) if t is not None]

    @property
    def diagnostics(self) -> Tuple[Diagnostic, ...]:
        """The current report's (or failure report's, or failed part's)
        diagnostics.  The library only adds to them until the report
        ends: the copy made for the previous event is extended, so the
        rows of a report share their Diagnostic objects."""
        lib = _lib.lib
        ptr = self._p()
        n = lib.dmarc_reader_get_diag_count(ptr)
        if n < len(self._diags):
            self._diags = ()
        if n > len(self._diags):
            new = tuple(_diagnostic(lib.dmarc_reader_get_diag(ptr, i))
                        for i in range(len(self._diags), n))
            self._diags = self._diags + new
        return self._diags

    # ---- events read whole

    def _event(self, kind: ReaderEvent) -> Event:
        common: Dict[str, Any] = dict(
                      kind=kind,
                      containers=self.get_text(_F.CONTAINERS),
                      part_name=self.get_text(_F.PART_NAME),
                      message_index=self.get_number(_F.MESSAGE_INDEX),
                      diagnostics=self.diagnostics)
        if kind == ReaderEvent.REPORT:
            return self._report(common)
        if kind == ReaderEvent.ROW:
            return self._row(common)
        if kind == ReaderEvent.REPORT_END:
            return ReportEnd(records=self.get_number(_F.RECORDS),
                             messages=self.get_number(_F.MESSAGES),
                             **common)
        if kind == ReaderEvent.FAILURE_REPORT:
            return self._failure_report(common)
        lib = _lib.lib
        return Failed(failure=ReaderFailure(
                          lib.dmarc_reader_get_failure(self._p())),
                      text=self.get_text(_F.FAILURE_TEXT),
                      status=Status(lib.dmarc_reader_get_status(self._p())),
                      **common)

    def _report(self, common: Dict[str, Any]) -> Report:
        t = self.get_text
        return Report(format=t(_F.FORMAT), version=t(_F.VERSION),
                      org_name=t(_F.ORG_NAME), email=t(_F.EMAIL),
                      extra_contact_info=t(_F.EXTRA_CONTACT_INFO),
                      report_id=t(_F.REPORT_ID),
                      begin=self.get_number(_F.BEGIN),
                      end=self.get_number(_F.END),
                      errors=self._present(_F.ERROR),
                      generator=t(_F.GENERATOR),
                      policy_domain=t(_F.POLICY_DOMAIN),
                      discovery_method=t(_F.DISCOVERY_METHOD),
                      p=t(_F.P), sp=t(_F.SP), np=t(_F.NP),
                      pct=self.get_number(_F.PCT), fo=t(_F.FO),
                      adkim=t(_F.ADKIM), aspf=t(_F.ASPF),
                      testing=t(_F.TESTING), **common)

    def _parallel(self, fields: Sequence[ReaderField]
                  ) -> List[Tuple[Optional[str], ...]]:
        """Fields with one value per element (None where the element
        lacked it), zipped: index i of each is the same element."""
        n = max(self.count(f) for f in fields)
        columns = [self._texts(f, n) for f in fields]
        return list(zip(*columns))

    def _row(self, common: Dict[str, Any]) -> Row:
        t = self.get_text
        return Row(source_ip=t(_F.SOURCE_IP),
                   count=self.get_number(_F.COUNT),
                   disposition=t(_F.DISPOSITION),
                   dkim_aligned=t(_F.DKIM_ALIGNED),
                   spf_aligned=t(_F.SPF_ALIGNED),
                   header_from=t(_F.HEADER_FROM),
                   envelope_from=t(_F.ENVELOPE_FROM),
                   envelope_to=t(_F.ENVELOPE_TO),
                   reasons=[PolicyReason(*v) for v in self._parallel(
                       (_F.REASON_TYPE, _F.REASON_COMMENT))],
                   dkim=[DkimAuthResult(*v) for v in self._parallel(
                       (_F.DKIM_DOMAIN, _F.DKIM_SELECTOR, _F.DKIM_RESULT,
                        _F.DKIM_HUMAN_RESULT))],
                   spf=[SpfAuthResult(*v) for v in self._parallel(
                       (_F.SPF_DOMAIN, _F.SPF_SCOPE, _F.SPF_RESULT,
                        _F.SPF_HUMAN_RESULT))],
                   **common)

    def _failure_report(self, common: Dict[str, Any]) -> FailureReport:
        t = self.get_text
        return FailureReport(
            feedback_type=t(_F.FEEDBACK_TYPE), user_agent=t(_F.USER_AGENT),
            arf_version=t(_F.ARF_VERSION), auth_failure=t(_F.AUTH_FAILURE),
            identity_alignment=t(_F.IDENTITY_ALIGNMENT),
            delivery_result=t(_F.DELIVERY_RESULT),
            authentication_results=self._present(_F.AUTHENTICATION_RESULTS),
            source_ip=t(_F.SOURCE_IP),
            source_port=self.get_number(_F.SOURCE_PORT),
            reported_domain=self._present(_F.REPORTED_DOMAIN),
            reported_uri=self._present(_F.REPORTED_URI),
            original_mail_from=t(_F.ORIGINAL_MAIL_FROM),
            original_rcpt_to=self._present(_F.ORIGINAL_RCPT_TO),
            original_envelope_id=t(_F.ORIGINAL_ENVELOPE_ID),
            arrival_date=t(_F.ARRIVAL_DATE), reporting_mta=t(_F.REPORTING_MTA),
            incidents=self.get_number(_F.INCIDENTS),
            dkim_domain=t(_F.ARF_DKIM_DOMAIN),
            dkim_identity=t(_F.ARF_DKIM_IDENTITY),
            dkim_selector=t(_F.ARF_DKIM_SELECTOR), spf_dns=t(_F.SPF_DNS),
            original_headers=t(_F.ORIGINAL_HEADERS), **common)

    def __repr__(self) -> str:
        state = "closed" if self.closed else (
            "strict" if self._strict else "tolerant")
        return f"<Reader {state}>"


def _diagnostic(ptr: int) -> Diagnostic:
    """A reader diagnostic: its tag is the element or container, and it
    names no domain (the library gives "" for both when there is
    none)."""
    diag = Diagnostic.from_c(ptr)
    return replace(diag, tag=diag.tag or None, domain=diag.domain or None)


__all__: Sequence[str] = [
    "DkimAuthResult", "Event", "Failed", "FailureReport", "PolicyReason",
    "Reader", "ReaderEvent", "ReaderFailure", "ReaderField", "Report",
    "ReportEnd", "Row", "SpfAuthResult"]
