"""Per-message DMARC evaluation (RFC 9989 5.3; RFC 7489 6.6): From
fields, SPF and DKIM verdicts (given, or read from trusted
Authentication-Results fields), discovery, alignment, the policy to
apply, and the Authentication-Results field to add."""

from __future__ import annotations

import ctypes
import datetime
import ipaddress
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple, Type, TypeVar, Union

from . import _lib
from ._object import Diagnostic, Generations, Owned, TextIn, c_string, \
    diagnostics, read_buffer, to_bytes
from .context import Context
from .discovery import BorrowedDiscovery
from .dns import LookupFn, Question, Reply, drive, fill_answer, \
    step_question
from .enums import (AlignmentResult, AuthresStyle, Disposition, Fo, Policy,
                    Reason, Result, SpfScope, Status, Verdict)
from .errors import DmarcError, StateError, check
from .headers import header_fields

E = TypeVar("E", Verdict, SpfScope, Disposition, Reason, AuthresStyle)


def _enum(cls: Type[E], value: Union[E, str, int]) -> E:
    """An enum argument given as a member, its keyword or its value."""
    if isinstance(value, str):
        return cls.parse(value)
    return cls(value)


@dataclass(frozen=True)
class DkimSignature:
    """A DKIM verdict the evaluation used."""

    result: Verdict
    domain: str
    selector: Optional[str]


@dataclass(frozen=True)
class SpfVerdict:
    """The SPF verdict the evaluation used."""

    result: Verdict
    domain: Optional[str]
    scope: SpfScope


@dataclass(frozen=True)
class AppliedReason:
    """Why the applied disposition differs from the policy."""

    reason: Reason
    comment: Optional[str]


Seconds = Union[int, float, datetime.datetime]
Address = Union[str, ipaddress.IPv4Address, ipaddress.IPv6Address]


class Evaluation(Generations, Owned):
    """One message at a time: give its inputs, run(), read the results,
    reset() for the next message."""

    _free = _lib.lib.dmarc_eval_free

    def __init__(self, context: Context) -> None:
        out = _lib.handle()
        ctx = context._adopt()
        try:
            check(_lib.lib.dmarc_eval_new(ctypes.byref(out), ctx))
        except BaseException:
            context._release()
            raise
        self._context = context
        self._ptr = out.value
        self._question: Optional[Question] = None

    def _after_close(self) -> None:
        self._changed()
        self._context._release()

    @property
    def context(self) -> Context:
        return self._context

    def reset(self) -> None:
        """Forget the message (buffers are kept for the next one)."""
        self._changed()
        self._question = None
        _lib.lib.dmarc_eval_reset(self._p())

    # ---- inputs

    def add_from(self, value: TextIn) -> None:
        """One From header field value (once per From field)."""
        raw = to_bytes(value)
        check(_lib.lib.dmarc_eval_add_from(self._p(), raw, len(raw)))

    def set_spf(self, result: Union[Verdict, str], domain: TextIn,
                scope: Union[SpfScope, str] = SpfScope.MFROM) -> None:
        """The SPF verdict and the domain it was for (the MAIL FROM
        domain, or the HELO name with scope SpfScope.HELO)."""
        raw = to_bytes(domain)
        check(_lib.lib.dmarc_eval_set_spf(
            self._p(), int(_enum(Verdict, result)), raw, len(raw),
            int(_enum(SpfScope, scope))))

    def add_dkim(self, result: Union[Verdict, str], domain: TextIn,
                 selector: Optional[TextIn] = None,
                 human_result: Optional[str] = None) -> None:
        """One DKIM signature's verdict, d= and s= (and the checker's
        human-readable result, for reports)."""
        raw = to_bytes(domain)
        sel = None if selector is None else to_bytes(selector)
        check(_lib.lib.dmarc_eval_add_dkim(
            self._p(), int(_enum(Verdict, result)), raw, len(raw), sel,
            0 if sel is None else len(sel)))
        if human_result is not None:
            index = _lib.lib.dmarc_eval_get_dkim_count(self._p()) - 1
            text = human_result.encode("ascii")
            check(_lib.lib.dmarc_eval_set_dkim_human_result(
                self._p(), index, text, len(text)))

    def set_time(self, when: Seconds) -> None:
        """When the message arrived (seconds since the epoch, or an
        aware datetime), for reports."""
        if isinstance(when, datetime.datetime):
            if when.tzinfo is None:
                raise ValueError("a naive datetime has no epoch time: "
                                 "give it a tzinfo")
            when = when.timestamp()
        check(_lib.lib.dmarc_eval_set_time(self._p(), int(when)))

    def set_ip(self, address: Address) -> None:
        """The connecting client's IPv4 or IPv6 address."""
        raw = str(address).encode("ascii")
        check(_lib.lib.dmarc_eval_set_ip(self._p(), raw, len(raw)), str(
            address))

    def set_envelope_from(self, domain: TextIn) -> None:
        """The MAIL FROM domain ("" for the null reverse-path)."""
        raw = to_bytes(domain)
        check(_lib.lib.dmarc_eval_set_envelope_from(self._p(), raw,
                                                    len(raw)))

    def set_envelope_to(self, domain: TextIn) -> None:
        raw = to_bytes(domain)
        check(_lib.lib.dmarc_eval_set_envelope_to(self._p(), raw, len(raw)))

    def add_authres(self, value: TextIn) -> bool:
        """One Authentication-Results field value: True when it was used
        (trusted authserv-id, parsed); a diagnostic says why not."""
        raw = to_bytes(value)
        used = ctypes.c_int(0)
        check(_lib.lib.dmarc_eval_add_authres(self._p(), raw, len(raw),
                                              ctypes.byref(used)))
        return bool(used.value)

    def add_header(self, name: str, value: TextIn) -> bool:
        """A header field: From and Authentication-Results go to the
        evaluation (True), any other is ignored (False)."""
        key = name.strip().lower()
        if key == "from":
            self.add_from(value)
            return True
        if key == "authentication-results":
            self.add_authres(value)
            return True
        return False

    def add_headers(self, message: Union[bytes, bytearray, str,
                                         Iterable[Tuple[str, TextIn]]]
                    ) -> int:
        """Every From and Authentication-Results field of a message (its
        bytes, or (name, value) pairs such as email.message.Message's
        items() with the compat32 policy): how many were taken."""
        if isinstance(message, str):
            message = message.encode("utf-8", "surrogateescape")
        pairs: Iterable[Tuple[str, TextIn]] = (
            header_fields(message) if isinstance(message, (bytes, bytearray))
            else message)
        return sum(1 for name, value in pairs
                   if self.add_header(name, _header_text(value)))

    # ---- running

    def step(self) -> Optional[Question]:
        """The next DNS question, or None when finished (then read
        .status_error or the results)."""
        self._changed()
        self._question = step_question(_lib.lib.dmarc_eval_step, self._p())
        return self._question

    def answer(self, reply: Reply) -> None:
        """Answer the question step() gave."""
        answer = _lib.lib.dmarc_eval_get_answer(self._p())
        if not answer or self._question is None:
            raise StateError(Status.ESTATE, "no question is pending")
        fill_answer(answer, int(self._question.qtype), reply)

    def run(self, lookup: Optional[LookupFn] = None) -> Result:
        """Evaluate: with lookup answering each DNS question (step API),
        or with the context's lookup function.  FromFieldError when the
        From fields give no Author Domain (its .diagnostics say why);
        what the lookup function raised, after the library finished."""
        self._changed()
        if lookup is not None:
            drive(_lib.lib.dmarc_eval_step, _lib.lib.dmarc_eval_get_answer,
                  self._p, lookup)
            status = _lib.lib.dmarc_eval_get_status(self._p())
        else:
            status = _lib.lib.dmarc_eval_run(self._p())
            self._context._raise_lookup_error()
        self._raise_status(status)
        return self.result

    def _raise_status(self, status: int) -> None:
        try:
            check(status)
        except DmarcError as exc:
            exc.diagnostics = self.diagnostics  # type: ignore[attr-defined]
            raise

    def finish(self) -> Result:
        """After step() returned None: the result, or the error run()
        would have raised."""
        self._raise_status(_lib.lib.dmarc_eval_get_status(self._p()))
        return self.result

    def override(self, applied: Union[Disposition, str],
                 reason: Union[Reason, str],
                 comment: Optional[str] = None) -> None:
        """Record a local policy override: the disposition applied and
        why."""
        raw = None if comment is None else c_string(comment)
        check(_lib.lib.dmarc_eval_override(
            self._p(), int(_enum(Disposition, applied)),
            int(_enum(Reason, reason)), raw))

    # ---- results

    @property
    def result(self) -> Result:
        return Result(_lib.lib.dmarc_eval_get_result(self._p()))

    @property
    def author_domain(self) -> Optional[str]:
        return _lib.text(_lib.lib.dmarc_eval_get_author_domain(self._p()))

    @property
    def discovery(self) -> Optional[BorrowedDiscovery]:
        """The discovery of the Author Domain's policy (borrowed: valid
        until the evaluation is reset, run again or closed); None until
        one ran for this message."""
        ptr = _lib.lib.dmarc_eval_get_discovery(self._p())
        return None if not ptr else BorrowedDiscovery(self, ptr)

    @property
    def spf_alignment(self) -> AlignmentResult:
        return AlignmentResult(
            _lib.lib.dmarc_eval_get_spf_alignment(self._p()))

    @property
    def dkim_alignment(self) -> AlignmentResult:
        return AlignmentResult(
            _lib.lib.dmarc_eval_get_dkim_alignment(self._p()))

    @property
    def aligned_dkim(self) -> Optional[int]:
        """Index (in .dkim) of the aligned passing signature, or None."""
        index = _lib.lib.dmarc_eval_get_aligned_dkim(self._p())
        return None if index < 0 else index

    @property
    def requested_policy(self) -> Policy:
        return Policy(_lib.lib.dmarc_eval_get_requested_policy(self._p()))

    @property
    def disposition(self) -> Disposition:
        """What libdmarc suggests doing with the message."""
        return Disposition(_lib.lib.dmarc_eval_get_disposition(self._p()))

    @property
    def applied_disposition(self) -> Disposition:
        return Disposition(
            _lib.lib.dmarc_eval_get_applied_disposition(self._p()))

    @property
    def reasons(self) -> List[AppliedReason]:
        lib = _lib.lib
        ptr = self._p()
        return [AppliedReason(Reason(lib.dmarc_eval_get_reason(ptr, i)),
                              _lib.text(lib.dmarc_eval_get_reason_comment(
                                  ptr, i)))
                for i in range(lib.dmarc_eval_get_reason_count(ptr))]

    @property
    def failure_reports(self) -> Fo:
        return Fo(_lib.lib.dmarc_eval_get_failure_reports(self._p()))

    @property
    def diagnostics(self) -> List[Diagnostic]:
        """Problems with the inputs (those of the policy discovery are
        .discovery.diagnostics)."""
        lib = _lib.lib
        return diagnostics(self._p(), lib.dmarc_eval_get_diag_count,
                           lib.dmarc_eval_get_diag)

    @property
    def spf(self) -> SpfVerdict:
        lib = _lib.lib
        ptr = self._p()
        return SpfVerdict(Verdict(lib.dmarc_eval_get_spf_result(ptr)),
                          _lib.text(lib.dmarc_eval_get_spf_domain(ptr)),
                          SpfScope(lib.dmarc_eval_get_spf_scope(ptr)))

    @property
    def dkim(self) -> List[DkimSignature]:
        lib = _lib.lib
        ptr = self._p()
        return [DkimSignature(Verdict(lib.dmarc_eval_get_dkim_result(ptr, i)),
                              _lib.text(lib.dmarc_eval_get_dkim_domain(
                                  ptr, i)) or "",
                              _lib.text(lib.dmarc_eval_get_dkim_selector(
                                  ptr, i)))
                for i in range(lib.dmarc_eval_get_dkim_count(ptr))]

    @property
    def dkim_dropped(self) -> int:
        return int(_lib.lib.dmarc_eval_get_dkim_dropped(self._p()))

    def authentication_results(
            self, authserv_id: str,
            style: Union[AuthresStyle, str] = AuthresStyle.VALUE) -> str:
        """The Authentication-Results field to add (by default its value
        on one line; AuthresStyle.FIELD gives the whole field with CRLF,
        VALUE_LF the value folded with LF)."""
        ptr = self._p()
        sid = c_string(authserv_id)
        kind = int(_enum(AuthresStyle, style))
        out = read_buffer(lambda buf, size, length:
                          _lib.lib.dmarc_eval_format_authres(
                              ptr, sid, kind, buf, size, length), 512)
        return out.decode("ascii")

    def spool_line(self) -> bytes:
        """The evaluation's row as a spool line (libdmarc-spool(5)), LF
        included."""
        ptr = self._p()
        return read_buffer(lambda buf, size, length:
                           _lib.lib.dmarc_spool_encode_eval(
                               ptr, buf, size, length), 1024)


def _header_text(value: object) -> TextIn:
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return value
    return str(value)  # email.header.Header and the like
