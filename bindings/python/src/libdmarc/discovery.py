"""Policy discovery (RFC 9989 4.10 tree walk; RFC 7489 6.6.3 with the
Public Suffix List; RFC 9091) and verification of external report
destinations, driven with a Python lookup function or step by step."""

from __future__ import annotations

import ctypes
from typing import Callable, List, Optional

from . import _lib
from ._object import Borrowed, Diagnostic, Generations, Owned, TextIn, \
    diagnostics, to_bytes
from .context import Context
from .dns import LookupFn, Question, Reply, drive, fill_answer, \
    step_question
from .enums import (Authorization, DiscoveryResult, Method, Policy, Source,
                    Status, Tag)
from .errors import StateError, check
from .record import BorrowedRecord, Uri


class DiscoveryView:
    """The results of a discovery: its own (Discovery) or an
    evaluation's (Evaluation.discovery)."""

    _p: Callable[[], int]  # from Owned or Borrowed

    def _record_owner(self) -> object:
        raise NotImplementedError

    @property
    def result(self) -> DiscoveryResult:
        return DiscoveryResult(_lib.lib.dmarc_discovery_get_result(self._p()))

    @property
    def record(self) -> Optional[BorrowedRecord]:
        """The applied record, borrowed: valid until the next start."""
        ptr = _lib.lib.dmarc_discovery_get_record(self._p())
        return None if not ptr else BorrowedRecord(self._record_owner(), ptr)

    @property
    def domain(self) -> Optional[str]:
        """The normalized Author Domain (or start name of an org lookup)."""
        return _lib.text(_lib.lib.dmarc_discovery_get_domain(self._p()))

    @property
    def policy_domain(self) -> Optional[str]:
        return _lib.text(
            _lib.lib.dmarc_discovery_get_policy_domain(self._p()))

    @property
    def org_domain(self) -> Optional[str]:
        return _lib.text(_lib.lib.dmarc_discovery_get_org_domain(self._p()))

    @property
    def source(self) -> Source:
        return Source(_lib.lib.dmarc_discovery_get_source(self._p()))

    @property
    def method(self) -> Method:
        return Method(_lib.lib.dmarc_discovery_get_method(self._p()))

    @property
    def applied_tag(self) -> Tag:
        """Tag.P, SP or NP; Tag.NONE when no policy applies."""
        return Tag(_lib.lib.dmarc_discovery_get_applied_tag(self._p()))

    @property
    def policy(self) -> Policy:
        return Policy(_lib.lib.dmarc_discovery_get_policy(self._p()))

    @property
    def author_exists(self) -> Optional[bool]:
        """Whether the Author Domain exists; None when not tested."""
        value = _lib.lib.dmarc_discovery_get_author_exists(self._p())
        return None if value < 0 else bool(value)

    @property
    def query_count(self) -> int:
        return int(_lib.lib.dmarc_discovery_get_query_count(self._p()))

    @property
    def failed_name(self) -> Optional[str]:
        return _lib.text(_lib.lib.dmarc_discovery_get_failed_name(self._p()))

    def authorization(self, tag: Tag, index: int) -> Authorization:
        """Verification result of URI index of rua or ruf."""
        return Authorization(_lib.lib.dmarc_discovery_get_authorization(
            self._p(), int(tag), index))

    def destinations(self, tag: Tag, index: int) -> List[Uri]:
        """Where the reports for URI index of rua or ruf go, after
        verification."""
        lib = _lib.lib
        ptr = self._p()
        count = lib.dmarc_discovery_get_destination_count(ptr, int(tag),
                                                          index)
        return [Uri.from_c(lib.dmarc_discovery_get_destination(
            ptr, int(tag), index, n)) for n in range(count)]

    @property
    def diagnostics(self) -> List[Diagnostic]:
        lib = _lib.lib
        return diagnostics(self._p(), lib.dmarc_discovery_get_diag_count,
                           lib.dmarc_discovery_get_diag)


class Discovery(DiscoveryView, Generations, Owned):
    """One lookup at a time: start(), then run() or step()/answer()."""

    _free = _lib.lib.dmarc_discovery_free

    def __init__(self, context: Context) -> None:
        out = _lib.handle()
        ctx = context._adopt()
        try:
            check(_lib.lib.dmarc_discovery_new(ctypes.byref(out), ctx))
        except BaseException:
            context._release()
            raise
        self._context = context
        self._ptr = out.value
        self._question: Optional[Question] = None

    def _after_close(self) -> None:
        self._changed()
        self._context._release()

    def _record_owner(self) -> object:
        return self

    def start(self, author_domain: TextIn) -> "Discovery":
        """Begin policy discovery for an Author Domain (str: Unicode
        names are converted to A-labels)."""
        raw = to_bytes(author_domain)
        self._changed()
        self._question = None
        check(_lib.lib.dmarc_discovery_start(self._p(), raw, len(raw)),
              repr(author_domain))
        return self

    def start_org(self, domain: TextIn) -> "Discovery":
        """Begin a lookup of the Organizational Domain of any name."""
        raw = to_bytes(domain)
        self._changed()
        self._question = None
        check(_lib.lib.dmarc_discovery_start_org(self._p(), raw, len(raw)),
              repr(domain))
        return self

    def start_verify(self) -> "Discovery":
        """After a discovery that found a record: verify its external
        rua and ruf destinations (the discovery's results, its record
        too, stay as they were)."""
        check(_lib.lib.dmarc_discovery_start_verify(self._p()))
        return self

    def step(self) -> Optional[Question]:
        """The next question, or None when finished."""
        self._question = step_question(_lib.lib.dmarc_discovery_step,
                                       self._p())
        return self._question

    def answer(self, reply: Reply) -> None:
        """Answer the question step() gave (see libdmarc.dns for the
        forms of a reply)."""
        answer = _lib.lib.dmarc_discovery_get_answer(self._p())
        question = self._question
        if not answer or question is None:
            raise StateError(Status.ESTATE, "no question is pending")
        fill_answer(answer, int(question.qtype), reply)

    def run(self, lookup: Optional[LookupFn] = None) -> DiscoveryResult:
        """Run to the end: with lookup, answering each question through
        the step API; without, with the context's lookup function (and
        cache).  Raises what the lookup function raised, after the
        library finished with the question answered as a temporary
        failure."""
        if lookup is not None:
            drive(_lib.lib.dmarc_discovery_step,
                  _lib.lib.dmarc_discovery_get_answer, self._p, lookup)
            check(_lib.lib.dmarc_discovery_get_status(self._p()))
        else:
            status = _lib.lib.dmarc_discovery_run(self._p())
            self._context._raise_lookup_error()
            check(status)
        return self.result

    @property
    def status_ok(self) -> bool:
        """True when finished without an allocation failure."""
        status = _lib.lib.dmarc_discovery_get_status(self._p())
        return bool(status == Status.OK)


class BorrowedDiscovery(DiscoveryView, Borrowed):
    """The discovery an evaluation made (Evaluation.discovery): valid
    until the evaluation is reset, run again or closed."""

    def _record_owner(self) -> object:
        return self._owner


def discover(context: Context, author_domain: TextIn,
             lookup: Optional[LookupFn] = None) -> Discovery:
    """Start and run a discovery; the caller closes it."""
    d = Discovery(context)
    try:
        d.start(author_domain)
        d.run(lookup)
    except BaseException:
        d.close()
        raise
    return d
