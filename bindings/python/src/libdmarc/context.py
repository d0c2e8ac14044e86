"""The library context (dmarc_ctx): mode, options, limits, the lookup
function, the DNS cache, the Public Suffix List, trusted authserv-ids."""

from __future__ import annotations

import ctypes
import threading
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Tuple

from . import _lib
from ._object import ClosedError, Owned, TextIn, c_string, read_buffer, \
    to_bytes
from .dns import LookupFn, LookupThunk
from .enums import EvalOption, Limit, Mode, ParseOption, PslSections
from .errors import check


class Context(Owned):
    """Configuration shared by the records, discoveries, evaluations and
    aggregates made from it.  Configure first: while a discovery or
    evaluation made from it is open, setters raise BusyError.

    The C context is freed by close() (or a with block, or garbage
    collection) once every object made from it is closed too; closing it
    earlier only stops it from making new objects.
    """

    _free = _lib.lib.dmarc_ctx_free

    def __init__(self, mode: Mode = Mode.RFC9989, *,
                 lookup: Optional[LookupFn] = None,
                 cache: int = 0,
                 parse_options: ParseOption = ParseOption(0),
                 eval_options: EvalOption = EvalOption(0),
                 limits: Optional[Mapping[Limit, int]] = None,
                 authserv_ids: Iterable[str] = (),
                 psds: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._children = 0
        self._closing = False
        out = _lib.handle()
        check(_lib.lib.dmarc_ctx_new(ctypes.byref(out)))
        self._ptr = out.value
        self._lookup: Optional[LookupThunk] = None
        self._resolver: Optional[Any] = None
        self._callbacks: Dict[str, Any] = {}
        self.mode = mode
        if parse_options:
            self.parse_options = parse_options
        if eval_options:
            self.eval_options = eval_options
        for limit, value in (limits or {}).items():
            self.set_limit(limit, value)
        for authserv_id in authserv_ids:
            self.add_authserv_id(authserv_id)
        for psd in psds:
            self.add_psd(psd)
        if cache:
            self.set_cache(cache)
        if lookup is not None:
            self.set_lookup(lookup)

    # ---- lifetime: the C context outlives what was made from it

    def _adopt(self) -> int:
        """A new object is made from the context: its handle."""
        with self._lock:
            if self._closing:
                raise ClosedError("Context is closed")
            ptr = self._p()
            self._children += 1
            return ptr

    def _release(self) -> None:
        with self._lock:
            self._children -= 1
            last = self._closing and self._children == 0
        if last:
            Owned.close(self)

    def close(self) -> None:
        with self._lock:
            self._closing = True
            last = self._children == 0
        if last:
            Owned.close(self)

    def _before_free(self) -> None:
        # dmarc_resolver_new(3): the resolver goes before its context
        if self._resolver is not None:
            _lib.lib.dmarc_resolver_free(self._resolver)
            self._resolver = None

    def _after_close(self) -> None:
        self._lookup = None
        self._callbacks.clear()

    def _config(self) -> int:
        if self._closing:
            raise ClosedError("Context is closed")
        return self._p()

    # ---- settings

    @property
    def mode(self) -> Mode:
        return Mode(_lib.lib.dmarc_ctx_get_mode(self._p()))

    @mode.setter
    def mode(self, mode: Mode) -> None:
        check(_lib.lib.dmarc_ctx_set_mode(self._config(), int(mode)))

    @property
    def parse_options(self) -> ParseOption:
        return ParseOption(_lib.lib.dmarc_ctx_get_parse_options(self._p()))

    @parse_options.setter
    def parse_options(self, options: ParseOption) -> None:
        check(_lib.lib.dmarc_ctx_set_parse_options(self._config(),
                                                   int(options)))

    @property
    def eval_options(self) -> EvalOption:
        return EvalOption(_lib.lib.dmarc_ctx_get_eval_options(self._p()))

    @eval_options.setter
    def eval_options(self, options: EvalOption) -> None:
        check(_lib.lib.dmarc_ctx_set_eval_options(self._config(),
                                                  int(options)))

    def set_limit(self, limit: Limit, value: int) -> None:
        check(_lib.lib.dmarc_ctx_set_limit(self._config(), int(limit),
                                           value), limit.keyword)

    def get_limit(self, limit: Limit) -> int:
        return int(_lib.lib.dmarc_ctx_get_limit(self._p(), int(limit)))

    def add_authserv_id(self, authserv_id: str) -> None:
        """Trust Authentication-Results fields with this authserv-id."""
        check(_lib.lib.dmarc_ctx_add_authserv_id(self._config(),
                                                 c_string(authserv_id)))

    def add_psd(self, name: str) -> None:
        """RFC 9091: accept PSD DMARC records for this Public Suffix
        Domain (mode RFC7489_PSD)."""
        check(_lib.lib.dmarc_ctx_add_psd(self._config(), c_string(name)))

    # ---- the Public Suffix List (RFC 7489 modes)

    def load_psl(self, path: Optional[str] = None) -> None:
        """Load a list from a file (text or DAFSA), or the system list."""
        raw = None if path is None else c_string(path)
        check(_lib.lib.dmarc_ctx_load_psl(self._config(), raw), path)

    def load_psl_buffer(self, data: TextIn) -> None:
        raw = to_bytes(data)
        check(_lib.lib.dmarc_ctx_load_psl_buffer(self._config(), raw,
                                                 len(raw)))

    @property
    def psl_sections(self) -> PslSections:
        return PslSections(_lib.lib.dmarc_ctx_get_psl_sections(self._p()))

    @psl_sections.setter
    def psl_sections(self, sections: PslSections) -> None:
        check(_lib.lib.dmarc_ctx_set_psl_sections(self._config(),
                                                  int(sections)))

    def psl_org_domain(self, name: TextIn) -> Optional[str]:
        """The RFC 7489 Organizational Domain of name; None for a public
        suffix."""
        raw = to_bytes(name)
        out = read_buffer(lambda buf, size, length:
                          _lib.lib.dmarc_psl_org_domain(
                              self._p(), raw, len(raw), buf, size, length))
        return out.decode("ascii") or None

    # ---- DNS

    def set_lookup(self, fn: Optional[LookupFn]) -> None:
        """The function that run() calls to answer DNS questions (None
        removes it).  The context keeps it referenced until it is
        replaced or the context is freed."""
        if fn is None:
            check(_lib.lib.dmarc_ctx_set_lookup(self._config(),
                                                _lib.LOOKUP_FN(0), None))
            self._lookup = None
            return
        thunk = LookupThunk(fn)
        check(_lib.lib.dmarc_ctx_set_lookup(self._config(), thunk.c_function,
                                            None))
        self._lookup = thunk

    def use_resolver(self, server: Optional[str] = None, *,
                     timeout: Optional[int] = None,
                     retries: Optional[int] = None) -> None:
        """Answer with libdmarc's default resolver (the system's
        configuration, or server: "ADDR", "ADDR:PORT", "[ADDR]:PORT").
        NotSupportedError when the library was built without it."""
        lib = _lib.lib
        out = _lib.handle()
        check(lib.dmarc_resolver_new(ctypes.byref(out), self._config()))
        resolver = out.value
        try:
            if server is not None:
                check(lib.dmarc_resolver_set_server(resolver,
                                                    c_string(server)), server)
            if timeout is not None:
                check(lib.dmarc_resolver_set_timeout(resolver, timeout))
            if retries is not None:
                check(lib.dmarc_resolver_set_retries(resolver, retries))
            check(lib.dmarc_ctx_set_lookup(self._config(),
                                           _lib.RESOLVER_LOOKUP, resolver))
        except BaseException:
            lib.dmarc_resolver_free(resolver)
            raise
        if self._resolver is not None:
            lib.dmarc_resolver_free(self._resolver)
        self._resolver = resolver
        self._lookup = None

    def set_cache(self, max_entries: int) -> None:
        """Keep up to max_entries DNS answers for their TTL (0: off)."""
        check(_lib.lib.dmarc_ctx_set_cache(self._config(), max_entries))

    @property
    def cache_stats(self) -> Tuple[int, int]:
        """(hits, misses) of the DNS cache so far."""
        hits = ctypes.c_uint64(0)
        misses = ctypes.c_uint64(0)
        _lib.lib.dmarc_ctx_get_cache_stats(self._p(), ctypes.byref(hits),
                                           ctypes.byref(misses))
        return hits.value, misses.value

    def set_clock(self, fn: Callable[[], int]) -> None:
        """A clock in seconds for TTLs and run deadlines (kept referenced
        by the context)."""
        thunk = _lib.CLOCK_FN(lambda _user: int(fn()))
        check(_lib.lib.dmarc_ctx_set_clock(self._config(), thunk, None))
        self._callbacks["clock"] = thunk

    def set_random(self, fn: Callable[[], int]) -> None:
        """A 32-bit random source for pct sampling (RFC 7489), kept
        referenced by the context."""
        thunk = _lib.RANDOM_FN(lambda _user: int(fn()) & 0xFFFFFFFF)
        check(_lib.lib.dmarc_ctx_set_random(self._config(), thunk, None))
        self._callbacks["random"] = thunk

    def _raise_lookup_error(self) -> None:
        """After a run: the lookup function's exception, if it raised."""
        if self._lookup is not None:
            self._lookup.errors.raise_pending()
