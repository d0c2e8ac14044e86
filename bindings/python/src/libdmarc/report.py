"""Aggregate reports for receivers (RFC 9990; RFC 7489 7.2): collect
evaluations or spool rows, one report per policy domain and period,
written as XML, gzip or a whole email to bytes or a binary file.

Reading received reports is a separate concern: libdmarc.reader."""

from __future__ import annotations

import ctypes
import os
from typing import (Any, BinaryIO, Callable, Iterator, List, Optional,
                    Sequence, Union)

from . import _lib
from ._object import Borrowed, Diagnostic, Generations, Owned, TextIn, \
    c_string, diagnostics, read_buffer, to_bytes
from .context import Context
from .enums import AggregateCount, Policy, ReporterField, ReportFlag, \
    Status, Tag
from .errors import DmarcError, SystemCallError, check, error_for
from .evaluation import Evaluation

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


class _Sink:
    """A dmarc_sink_fn writing to a binary file-like object (or
    collecting bytes).  Whoever passes .c_function keeps this object
    referenced during the call.  What the target raises stops the writer
    and is raised again once the library has returned."""

    def __init__(self, target: Optional[BinaryIO]) -> None:
        self.target = target
        self.chunks: List[bytes] = []
        self.error: Optional[BaseException] = None
        self.c_function = _lib.SINK_FN(self._call)

    def _call(self, _user: Any, data: Any, length: int) -> int:
        try:
            chunk = ctypes.string_at(data, length)
            if self.target is None:
                self.chunks.append(chunk)
            else:
                self.target.write(chunk)
            return int(Status.OK)
        except BaseException as exc:  # noqa: B902 - raised in finish()
            self.error = exc
            return int(Status.ESYSTEM)

    def finish(self, status: int) -> Optional[bytes]:
        if self.error is not None:
            raise self.error
        check(status)
        return b"".join(self.chunks) if self.target is None else None


def _write(target: Optional[BinaryIO],
           call: Callable[[Any], Any]) -> Optional[bytes]:
    sink = _Sink(target)
    status = call(sink.c_function)
    return sink.finish(status)


class Report(Borrowed):
    """One report of an aggregate (a policy domain and a period),
    borrowed: valid until the aggregate changes or is closed."""

    @property
    def domain(self) -> str:
        return _lib.text(_lib.lib.dmarc_report_get_domain(self._p())) or ""

    @property
    def begin(self) -> int:
        """Start of the period, seconds since the epoch (included)."""
        return int(_lib.lib.dmarc_report_get_begin(self._p()))

    @property
    def end(self) -> int:
        """End of the period, seconds since the epoch (included)."""
        return int(_lib.lib.dmarc_report_get_end(self._p()))

    def count(self, which: AggregateCount) -> int:
        return int(_lib.lib.dmarc_report_get_count(self._p(), int(which)))

    def policy(self, tag: Tag = Tag.P) -> Policy:
        """The published policy the report gives (p, sp or np)."""
        return Policy(_lib.lib.dmarc_report_get_policy(self._p(), int(tag)))

    def report_id(self, part: int = 1, n_parts: int = 1) -> str:
        ptr = self._p()
        return read_buffer(lambda buf, size, length:
                           _lib.lib.dmarc_report_get_id(
                               ptr, part, n_parts, buf, size, length),
                           600).decode("ascii")

    def filename(self, part: int = 1, n_parts: int = 1,
                 flags: ReportFlag = ReportFlag(0)) -> str:
        ptr = self._p()
        return read_buffer(lambda buf, size, length:
                           _lib.lib.dmarc_report_get_filename(
                               ptr, part, n_parts, int(flags), buf, size,
                               length), 1200).decode("ascii")

    def write(self, file: Optional[BinaryIO] = None, *,
              flags: ReportFlag = ReportFlag(0), part: int = 1,
              n_parts: int = 1) -> Optional[bytes]:
        """The report as XML (gzip with ReportFlag.GZIP): written to a
        binary file piece by piece, or returned as bytes without one."""
        ptr = self._p()
        return _write(file, lambda sink: _lib.lib.dmarc_report_write(
            ptr, part, n_parts, int(flags), sink, None))

    def write_email(self, to: str, date: int,
                    file: Optional[BinaryIO] = None, *,
                    flags: ReportFlag = ReportFlag.GZIP, part: int = 1,
                    n_parts: int = 1) -> Optional[bytes]:
        """The report email to the rua address to (local@domain), dated
        date (seconds since the epoch)."""
        ptr = self._p()
        rcpt = c_string(to)
        return _write(file, lambda sink: _lib.lib.dmarc_report_write_email(
            ptr, part, n_parts, int(flags), rcpt, int(date), sink, None))

    def write_error_email(self, to: str, uri: str, size: int, date: int,
                          file: Optional[BinaryIO] = None, *,
                          part: int = 1,
                          n_parts: int = 1) -> Optional[bytes]:
        """RFC 7489 7.2.2: the short error report to to when the report
        (size bytes) could not go to uri."""
        ptr = self._p()
        rcpt = c_string(to)
        dest = c_string(uri)
        return _write(file, lambda sink:
                      _lib.lib.dmarc_report_write_error_email(
                          ptr, part, n_parts, rcpt, dest, int(size),
                          int(date), sink, None))

    def write_spool(self, file: Optional[BinaryIO] = None
                    ) -> Optional[bytes]:
        """The report's rows as spool lines (read back, they give the
        report again)."""
        ptr = self._p()
        return _write(file, lambda sink: _lib.lib.dmarc_report_write_spool(
            ptr, sink, None))

    def __repr__(self) -> str:
        try:
            return (f"<Report {self.domain} {self.begin}..{self.end} "
                    f"messages={self.count(AggregateCount.MESSAGES)}>")
        except ValueError:
            return "<Report (no longer valid)>"


class Aggregate(Generations, Owned):
    """Counted rows of evaluated messages, grouped into reports."""

    _free = _lib.lib.dmarc_aggregate_free

    def __init__(self, context: Context, *, org_name: Optional[str] = None,
                 email: Optional[str] = None,
                 submitter: Optional[str] = None) -> None:
        out = _lib.handle()
        ctx = context._adopt()
        try:
            check(_lib.lib.dmarc_aggregate_new(ctypes.byref(out), ctx))
        except BaseException:
            context._release()
            raise
        self._context = context
        self._ptr = out.value
        for field, value in ((ReporterField.ORG_NAME, org_name),
                             (ReporterField.EMAIL, email),
                             (ReporterField.SUBMITTER, submitter)):
            if value is not None:
                self.set_reporter(field, value)

    def _after_close(self) -> None:
        self._changed()
        self._context._release()

    def set_reporter(self, field: ReporterField,
                     value: Optional[str]) -> None:
        """A reporter field (printable ASCII; None unsets it)."""
        raw = None if value is None else c_string(value)
        self._changed()
        check(_lib.lib.dmarc_aggregate_set_reporter(self._p(), int(field),
                                                    raw), field.keyword)

    def get_reporter(self, field: ReporterField) -> Optional[str]:
        return _lib.text(_lib.lib.dmarc_aggregate_get_reporter(self._p(),
                                                               int(field)))

    def add(self, evaluation: Evaluation) -> None:
        """Count a finished evaluation.  StateError when it has nothing to
        report; AggregateFullError when its row is new and the aggregate
        is full (the message is counted as dropped)."""
        self._changed()
        check(_lib.lib.dmarc_aggregate_add_eval(self._p(), evaluation._p()))

    def add_spool_line(self, line: TextIn) -> None:
        """Count one spool line; an error for a line that is not a row
        has .offset, where reading broke."""
        raw = to_bytes(line)
        offset = ctypes.c_size_t(0)
        self._changed()
        status = _lib.lib.dmarc_aggregate_add_spool_line(
            self._p(), raw, len(raw), ctypes.byref(offset))
        if status != Status.OK:
            exc = error_for(status, f"at byte {offset.value}")
            exc.offset = offset.value  # type: ignore[attr-defined]
            raise exc

    def merge(self, other: "Aggregate") -> None:
        """Add every row of other (unchanged)."""
        self._changed()
        check(_lib.lib.dmarc_aggregate_merge(self._p(), other._p()))

    def read_spool(self, path: PathLike) -> None:
        """Read a spool file a collector rotated away from its
        appenders; torn and bad lines are skipped and counted."""
        raw = c_string(os.fsencode(path))
        sys_errno = ctypes.c_int(0)
        self._changed()
        status = _lib.lib.dmarc_aggregate_read_spool(self._p(), raw,
                                                     ctypes.byref(sys_errno))
        if status == Status.ESYSTEM:
            raise SystemCallError(status, os.fsdecode(path), sys_errno.value)
        check(status, os.fsdecode(path))

    def count(self, which: AggregateCount) -> int:
        return int(_lib.lib.dmarc_aggregate_get_count(self._p(), int(which)))

    @property
    def diagnostics(self) -> List[Diagnostic]:
        lib = _lib.lib
        return diagnostics(self._p(), lib.dmarc_aggregate_get_diag_count,
                           lib.dmarc_aggregate_get_diag)

    @property
    def reports(self) -> List[Report]:
        """Every report, in the order their first rows came (borrowed:
        valid until the aggregate changes)."""
        return list(self)

    def __len__(self) -> int:
        return self.count(AggregateCount.REPORTS)

    def __getitem__(self, index: int) -> Report:
        if index < 0:
            index += len(self)
        ptr = _lib.lib.dmarc_aggregate_get_report(self._p(), index)
        if not ptr:
            raise IndexError(index)
        return Report(self, ptr)

    def __iter__(self) -> Iterator[Report]:
        for i in range(len(self)):
            yield self[i]


__all__: Sequence[str] = ["Aggregate", "Report", "DmarcError"]
