"""libdmarc for Python: a ctypes binding of the installed libdmarc.so.1.

    import libdmarc
    from libdmarc import Context, Evaluation, Rrtype

    zone = {"_dmarc.example.com": ["v=DMARC1; p=reject"]}

    def lookup(qname, qtype):
        return zone.get(qname, []) if qtype == Rrtype.TXT else []

    with Context(lookup=lookup) as ctx, Evaluation(ctx) as ev:
        ev.add_from(b"Jane <jane@example.com>")
        ev.add_dkim("pass", "example.com", "s1")
        print(ev.run(), ev.authentication_results("mx.example.net"))

Modules: context (Context), record (Record, select_records), dns
(lookup replies), discovery (Discovery), evaluation (Evaluation), authres
(AuthenticationResults), report (Aggregate, Report), spool (Spool),
reader (Reader: received aggregate and failure reports, read as events;
its event classes Report, Row, ReportEnd, FailureReport and Failed stay
in libdmarc.reader, where Report is not the aggregate's), headers
(header_fields), enums, errors.

Set LIBDMARC_PATH to load a libdmarc.so.1 other than the installed one.
"""

from __future__ import annotations

from typing import Tuple

from . import _lib
from ._object import ClosedError, Diagnostic, TextIn, read_buffer, to_bytes
from .authres import AuthenticationResults, AuthResult
from .context import Context
from .discovery import BorrowedDiscovery, Discovery, DiscoveryView, discover
from .dns import DEFAULT_TTL, DnsReply, LookupFn, Question, Reply
from .enums import (AggregateCount, Alignment, AlignmentResult,
                    Authorization, AuthresState, AuthresStyle, DiagCode,
                    DiscoveryResult, Disposition, DnsOutcome, EvalOption,
                    Feature, Fo, Limit, Method, Mode, ParseOption, Policy,
                    Psd, PslSections, Reason, RecordState, ReporterField,
                    ReportFlag, Result, Rf, Rrtype, Select, Severity, Source,
                    SpfScope, SpoolFlag, Status, Step, Tag, UriFlag, Verdict)
from .errors import (AggregateFullError, BufferTooSmallError, BusyError,
                     DmarcError, DomainNameError, FromFieldError,
                     InvalidArgumentError, MalformedMessageError,
                     NameCharError, NameEmptyError, NameIdnaError,
                     NameLabelError, NameLengthError, NoLookupError,
                     NoPslError, NotSupportedError, OutOfMemoryError,
                     OutOfRangeError, RecordUnusableError, ResolverError,
                     StateError, SystemCallError, TruncatedError)
from .evaluation import AppliedReason, DkimSignature, Evaluation, SpfVerdict
from .headers import header_fields
from .record import BorrowedRecord, Record, RecordView, Uri, parse_record, \
    select_records
from .reader import Reader, ReaderEvent, ReaderFailure, ReaderField
from .report import Aggregate, Report
from .spool import Spool

__version__ = "0.1.0"


def version() -> str:
    """The C library's version ("0.1.0")."""
    return _lib.text(_lib.lib.dmarc_version()) or ""


def version_info() -> Tuple[int, int, int]:
    number = int(_lib.lib.dmarc_version_number())
    return (number >> 16) & 0xFF, (number >> 8) & 0xFF, number & 0xFF


def has_feature(feature: Feature) -> bool:
    """Whether this build of the library provides feature."""
    return bool(_lib.lib.dmarc_has_feature(int(feature)))


def strerror(status: int) -> str:
    """dmarc_strerror(): the library's text for a status."""
    return _lib.text(_lib.lib.dmarc_strerror(int(status))) or ""


def normalize_domain(name: TextIn) -> str:
    """A domain name as the library compares it: A-labels (IDNA2008, UTS
    #46), lower case, no trailing dot.  DomainNameError when it cannot
    be a host name."""
    raw = to_bytes(name)
    return read_buffer(lambda buf, size, length:
                       _lib.lib.dmarc_domain_normalize(raw, len(raw), buf,
                                                       size, length),
                       254).decode("ascii")


__all__ = ['Aggregate', 'AggregateCount', 'AggregateFullError', 'Alignment',
           'AlignmentResult', 'AppliedReason', 'AuthResult',
           'AuthenticationResults', 'Authorization', 'AuthresState',
           'AuthresStyle', 'BorrowedDiscovery', 'BorrowedRecord',
           'BufferTooSmallError', 'BusyError', 'ClosedError', 'Context',
           'DEFAULT_TTL', 'DiagCode', 'Diagnostic', 'Discovery',
           'DiscoveryResult', 'DiscoveryView', 'Disposition',
           'DkimSignature', 'DmarcError', 'DnsOutcome', 'DnsReply',
           'DomainNameError', 'EvalOption', 'Evaluation', 'Feature', 'Fo',
           'FromFieldError', 'InvalidArgumentError', 'Limit', 'LookupFn',
           'MalformedMessageError', 'Method', 'Mode', 'NameCharError',
           'NameEmptyError', 'NameIdnaError', 'NameLabelError',
           'NameLengthError', 'NoLookupError', 'NoPslError',
           'NotSupportedError', 'OutOfMemoryError', 'OutOfRangeError',
           'ParseOption', 'Policy', 'Psd', 'PslSections', 'Question',
           'Reader', 'ReaderEvent', 'ReaderFailure', 'ReaderField',
           'Reason', 'Record', 'RecordState', 'RecordUnusableError',
           'RecordView', 'Reply', 'Report', 'ReportFlag', 'ReporterField',
           'ResolverError', 'Result', 'Rf', 'Rrtype', 'Select', 'Severity',
           'Source', 'SpfScope', 'SpfVerdict', 'Spool', 'SpoolFlag',
           'StateError', 'Status', 'Step', 'SystemCallError', 'Tag',
           'TextIn', 'TruncatedError', 'Uri', 'UriFlag', 'Verdict',
           'discover', 'has_feature', 'header_fields', 'normalize_domain',
           'parse_record', 'select_records', 'strerror', 'version',
           'version_info']
