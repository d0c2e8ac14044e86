"""Authentication-Results header fields (RFC 8601): the library's parser
on its own."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from . import _lib
from ._object import Diagnostic, Owned, TextIn, c_string, diagnostics, \
    to_bytes
from .context import Context
from .enums import AuthresState
from .errors import check


@dataclass(frozen=True)
class AuthResult:
    """One method's result (a copy).  properties maps (ptype, property),
    lower-cased, to the values of those asked for."""

    method: str
    result: str
    reason: Optional[str]
    properties: Dict[Tuple[str, str], str] = field(default_factory=dict)


class AuthenticationResults(Owned):
    """One parsed field value (the text after "Authentication-Results:",
    folding allowed), whatever its state."""

    _free = _lib.lib.dmarc_authres_free

    def __init__(self, value: TextIn, context: Context) -> None:
        raw = to_bytes(value)
        out = _lib.handle()
        ctx = context._adopt()
        try:
            check(_lib.lib.dmarc_authres_parse(ctypes.byref(out), ctx, raw,
                                               len(raw)))
        except BaseException:
            context._release()
            raise
        self._context = context
        self._ptr = out.value

    def _after_close(self) -> None:
        self._context._release()

    @property
    def state(self) -> AuthresState:
        return AuthresState(_lib.lib.dmarc_authres_get_state(self._p()))

    @property
    def authserv_id(self) -> Optional[str]:
        return _lib.text(_lib.lib.dmarc_authres_get_authserv_id(self._p()))

    def __len__(self) -> int:
        return int(_lib.lib.dmarc_authres_get_result_count(self._p()))

    def get_property(self, index: int, ptype: str, name: str) -> Optional[str]:
        """The value of ptype.name (e.g. "smtp", "mailfrom") of result
        index, unquoted; None when absent."""
        if not 0 <= index < len(self):
            raise IndexError(index)
        return _lib.text(_lib.lib.dmarc_authres_get_property(
            self._p(), index, c_string(ptype), c_string(name)))

    def result(self, index: int,
               properties: Tuple[Tuple[str, str], ...] = (
                   ("smtp", "mailfrom"), ("smtp", "helo"),
                   ("header", "d"), ("header", "s"),
                   ("header", "from"))) -> AuthResult:
        """Result index, with the properties asked for that it has."""
        if not 0 <= index < len(self):
            raise IndexError(index)
        lib = _lib.lib
        ptr = self._p()
        found = {}
        for ptype, name in properties:
            value = self.get_property(index, ptype, name)
            if value is not None:
                found[(ptype.lower(), name.lower())] = value
        return AuthResult(_lib.text(lib.dmarc_authres_get_method(ptr, index))
                          or "",
                          _lib.text(lib.dmarc_authres_get_result(ptr, index))
                          or "",
                          _lib.text(lib.dmarc_authres_get_reason(ptr, index)),
                          found)

    @property
    def results(self) -> List[AuthResult]:
        return [self.result(i) for i in range(len(self))]

    @property
    def diagnostics(self) -> List[Diagnostic]:
        lib = _lib.lib
        return diagnostics(self._p(), lib.dmarc_authres_get_diag_count,
                           lib.dmarc_authres_get_diag)
