"""The DNS boundary: answering libdmarc's questions from Python.

libdmarc asks questions (a name and a type) and never opens a socket by
itself.  A lookup function, given to Context(lookup=...) or to a run()
call, answers them:

    def lookup(qname: str, qtype: Rrtype) -> Reply: ...

where the reply is one of

- a sequence of TXT records (str or bytes, each record's strings already
  joined): DMARC_DNS_RECORDS, or NODATA when empty; for A, AAAA and MX
  questions only whether the sequence is empty matters;
- a DnsOutcome (NXDOMAIN, NODATA, TEMPFAIL, PERMFAIL);
- a DnsReply, for a TTL of one's choosing (the context's cache keeps an
  answer that long);
- bytes: a whole DNS response message in wire format, as an asynchronous
  resolver hands it back (dmarc_dns_answer_parse);
- None: no answer, a temporary failure (DnsOutcome.TEMPFAIL).

An exception raised by the lookup function is answered as a temporary
failure, and raised again from the run() that asked the question once the
library has finished.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple, Optional, Sequence, Union

from . import _lib
from ._object import TextIn, to_bytes
from .enums import DnsOutcome, Rrtype
from .errors import check

DEFAULT_TTL = 300


@dataclass(frozen=True)
class DnsReply:
    """An answer with its TTL in seconds (for NXDOMAIN and NODATA: the
    SOA minimum)."""

    outcome: DnsOutcome
    records: Sequence[TextIn] = field(default_factory=tuple)
    ttl: int = DEFAULT_TTL


Reply = Union[DnsReply, DnsOutcome, Sequence[TextIn], bytes, bytearray,
              None]
LookupFn = Callable[[str, Rrtype], Reply]


class Question(NamedTuple):
    """A question of the step API."""

    qname: str
    qtype: Rrtype


def fill_answer(answer: int, qtype: int, reply: Reply) -> None:
    """Write reply into the library's answer sink."""
    lib = _lib.lib
    if reply is None:  # the step API would ask an unanswered question again
        reply = DnsReply(DnsOutcome.TEMPFAIL, ttl=0)
    if isinstance(reply, (bytes, bytearray)):
        msg = bytes(reply)
        check(lib.dmarc_dns_answer_parse(answer, qtype, msg, len(msg)))
        return
    if isinstance(reply, DnsOutcome):
        reply = DnsReply(reply)
    elif not isinstance(reply, DnsReply):
        if isinstance(reply, str):
            raise TypeError("a lookup reply of TXT records is a sequence "
                            "of strings, not one string")
        records = list(reply)
        reply = DnsReply(DnsOutcome.RECORDS if records else
                         DnsOutcome.NODATA, records)
    outcome = reply.outcome
    if outcome == DnsOutcome.RECORDS and not reply.records:
        outcome = DnsOutcome.NODATA
    if outcome == DnsOutcome.RECORDS and qtype == Rrtype.TXT:
        for record in reply.records:
            raw = to_bytes(record)
            check(lib.dmarc_dns_answer_add_txt(answer, raw, len(raw)))
    check(lib.dmarc_dns_answer_set(answer, int(outcome), reply.ttl))


class PendingErrors(threading.local):
    """The first exception a Python callback raised in this thread while
    the library was running; run() raises it once the library returns."""

    error: Optional[BaseException] = None

    def keep(self, exc: BaseException) -> None:
        if self.error is None:
            self.error = exc

    def raise_pending(self) -> None:
        exc, self.error = self.error, None
        if exc is not None:
            raise exc


class LookupThunk:
    """A Python lookup function as a C dmarc_lookup_fn.  Whoever hands
    .c_function to the library keeps this object referenced for as long
    as the library may call it."""

    def __init__(self, fn: LookupFn) -> None:
        if not callable(fn):
            raise TypeError("the lookup function must be callable")
        self.fn = fn
        self.errors = PendingErrors()
        self.c_function = _lib.LOOKUP_FN(self._call)

    def _call(self, _user: Any, qname: bytes, qtype: int,
              answer: int) -> None:
        try:
            reply = self.fn(qname.decode("ascii"), Rrtype(qtype))
            fill_answer(answer, qtype, reply)
        except BaseException as exc:  # noqa: B902 - kept, raised later
            self.errors.keep(exc)
            _lib.lib.dmarc_dns_answer_set(answer, int(DnsOutcome.TEMPFAIL),
                                          0)


def step_question(step_fn: Any, ptr: int) -> Optional[Question]:
    """One dmarc_*_step(): the question, or None when done."""
    qname = ctypes.c_char_p()
    qtype = ctypes.c_int(0)
    from .enums import Step
    if step_fn(ptr, ctypes.byref(qname), ctypes.byref(qtype)) != Step.QUERY:
        return None
    return Question((qname.value or b"").decode("ascii"),
                    Rrtype(qtype.value))


def drive(step_fn: Any, answer_fn: Any, ptr_fn: Callable[[], int],
          lookup: LookupFn) -> None:
    """Run a discovery or evaluation through the step API, answering
    with a Python function (no C callback involved).  As with a context's
    lookup function, an exception is answered as a temporary failure and
    raised once the run is done."""
    first_error: Optional[BaseException] = None
    while True:
        question = step_question(step_fn, ptr_fn())
        if question is None:
            break
        answer = answer_fn(ptr_fn())
        try:
            fill_answer(answer, question.qtype,
                        lookup(question.qname, question.qtype))
        except BaseException as exc:  # noqa: B902 - raised below
            first_error = first_error or exc
            _lib.lib.dmarc_dns_answer_set(answer,
                                          int(DnsOutcome.TEMPFAIL), 0)
    if first_error is not None:
        raise first_error
