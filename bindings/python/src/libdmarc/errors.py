"""Exceptions: one class per dmarc_status, all under DmarcError.

A call that returns a status other than DMARC_OK raises the class of that
status, with dmarc_strerror()'s text as its message and the status in
.status.  Classes group where Python has a matching built-in: the domain
name errors are DomainNameError (a ValueError), DMARC_ENOMEM is also a
MemoryError, DMARC_ESYSTEM is also an OSError (with .errno).
"""

from __future__ import annotations

import os
from typing import Dict, Optional, Tuple, Type

from . import _lib
from .enums import Status


class DmarcError(Exception):
    """A libdmarc call failed; .status says how."""

    status: Status = Status.OK  # overridden by every subclass

    def __init__(self, status: int, detail: Optional[str] = None) -> None:
        self.status = Status(status)
        self.strerror = _lib.text(_lib.lib.dmarc_strerror(int(status))) or ""
        message = self.strerror if detail is None else (
            f"{self.strerror}: {detail}")
        super().__init__(message)


class OutOfMemoryError(DmarcError, MemoryError):
    status = Status.ENOMEM


class InvalidArgumentError(DmarcError, ValueError):
    status = Status.EINVAL


class OutOfRangeError(DmarcError, ValueError):
    status = Status.ERANGE


class BufferTooSmallError(DmarcError):
    status = Status.EBUFFER


class RecordUnusableError(DmarcError):
    status = Status.ERECORD


class NotSupportedError(DmarcError):
    status = Status.ENOTSUP


class DomainNameError(DmarcError, ValueError):
    """A domain name that cannot be normalized (the DMARC_ENAME_* family)."""


class NameEmptyError(DomainNameError):
    status = Status.ENAME_EMPTY


class NameLabelError(DomainNameError):
    status = Status.ENAME_LABEL


class NameLengthError(DomainNameError):
    status = Status.ENAME_LENGTH


class NameCharError(DomainNameError):
    status = Status.ENAME_CHAR


class NameIdnaError(DomainNameError):
    status = Status.ENAME_IDNA


class NoPslError(DmarcError):
    status = Status.ENOPSL


class StateError(DmarcError):
    status = Status.ESTATE


class NoLookupError(DmarcError):
    status = Status.ENOLOOKUP


class ResolverError(DmarcError):
    status = Status.ERESOLVER


class TruncatedError(DmarcError):
    status = Status.ETRUNCATED


class MalformedMessageError(DmarcError):
    status = Status.EMESSAGE


class FromFieldError(DmarcError):
    """The From fields give no Author Domain DMARC can evaluate (the
    evaluation's diagnostics say why and where)."""
    status = Status.EFROM


class BusyError(DmarcError):
    status = Status.EBUSY


class SystemCallError(DmarcError, OSError):
    """A system call failed (spool file I/O); .errno is its errno."""
    status = Status.ESYSTEM

    def __init__(self, status: int, detail: Optional[str] = None,
                 sys_errno: int = 0) -> None:
        DmarcError.__init__(self, status, detail)
        self.errno = sys_errno
        self.filename = detail
        if sys_errno:
            self.args = (f"{self.args[0]} ({os.strerror(sys_errno)})",)

    def __str__(self) -> str:  # not OSError's "[Errno n] ..." form
        return str(self.args[0])


class AggregateFullError(DmarcError):
    """The aggregate holds as many rows as its limit allows: the message
    was counted as dropped."""
    status = Status.EFULL


_CLASSES: Tuple[Type[DmarcError], ...] = (
        OutOfMemoryError, InvalidArgumentError, OutOfRangeError,
        BufferTooSmallError, RecordUnusableError, NotSupportedError,
        NameEmptyError, NameLabelError, NameLengthError, NameCharError,
        NameIdnaError, NoPslError, StateError, NoLookupError, ResolverError,
        TruncatedError, MalformedMessageError, FromFieldError, BusyError,
        SystemCallError, AggregateFullError)
ERRORS: Dict[Status, Type[DmarcError]] = {cls.status: cls for cls in _CLASSES}


def error_for(status: int, detail: Optional[str] = None) -> DmarcError:
    """The exception for a status (DmarcError itself for one this module
    does not know)."""
    cls = ERRORS.get(Status(status), DmarcError)
    return cls(status, detail)


def check(status: int, detail: Optional[str] = None) -> None:
    """Raise the exception of status unless it is DMARC_OK."""
    if status != Status.OK:
        raise error_for(status, detail)
