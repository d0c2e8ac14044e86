"""What every wrapper shares: owning a C handle, borrowing one, text in
and out, and reading diagnostics."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Union

from . import _lib
from .enums import DiagCode, Severity

TextIn = Union[str, bytes, bytearray, memoryview]


class ClosedError(ValueError):
    """The object was closed (or its owner was), or a borrowed object
    outlived what it was borrowed from."""


def to_bytes(value: TextIn) -> bytes:
    """Text for the library: str as UTF-8 (surrogate escapes, as
    os.fsdecode and email's parser make them, become their bytes again),
    byte strings as they are."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"expected str or bytes, not {type(value).__name__}")


def c_string(value: TextIn) -> bytes:
    """A C string argument: no NUL inside (ctypes would cut it there)."""
    raw = to_bytes(value)
    if b"\0" in raw:
        raise ValueError("embedded NUL byte")
    return raw


class Owned:
    """An object owning one C handle, freed by close(), on leaving a with
    block, or when the object is garbage-collected."""

    _free: Callable[[Any], None]
    _ptr: Optional[int] = None

    def _p(self) -> int:
        if self._ptr is None:
            raise ClosedError(f"{type(self).__name__} is closed")
        return self._ptr

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def close(self) -> None:
        """Free the C object (again: nothing)."""
        ptr, self._ptr = self._ptr, None
        if ptr is not None:
            self._before_free()
            type(self)._free(ptr)
            self._after_close()

    def _before_free(self) -> None:
        pass

    def _after_close(self) -> None:
        pass

    def __enter__(self: Any) -> Any:
        self._p()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: modules half gone
            pass


class Generations:
    """Mixin of an owner whose borrowed objects become invalid when it
    changes (a discovery started again, an aggregate added to)."""

    _generation = 0

    def _changed(self) -> None:
        self._generation += 1


class Borrowed:
    """A C object owned by another wrapper, valid while that owner is open
    and unchanged."""

    def __init__(self, owner: Any, ptr: int) -> None:
        self._owner = owner
        self._generation = owner._generation
        self._raw = ptr

    def _p(self) -> int:
        self._owner._p()
        if self._owner._generation != self._generation:
            raise ClosedError(f"this {type(self).__name__} was borrowed from "
                              f"a {type(self._owner).__name__} that has "
                              "changed since")
        return self._raw


@dataclass(frozen=True)
class Diagnostic:
    """One problem with an input and where it is (a copy: it outlives the
    object it came from)."""

    code: DiagCode
    severity: Severity
    offset: int
    length: int
    name: str
    text: str
    tag: Optional[str] = None
    domain: Optional[str] = None

    @classmethod
    def from_c(cls, ptr: int) -> "Diagnostic":
        lib = _lib.lib
        return cls(code=DiagCode(lib.dmarc_diag_get_code(ptr)),
                   severity=Severity(lib.dmarc_diag_get_severity(ptr)),
                   offset=lib.dmarc_diag_get_offset(ptr),
                   length=lib.dmarc_diag_get_length(ptr),
                   name=_lib.text(lib.dmarc_diag_get_name(ptr)) or "",
                   text=_lib.text(lib.dmarc_diag_get_text(ptr)) or "",
                   tag=_lib.text(lib.dmarc_diag_get_tag(ptr)),
                   domain=_lib.text(lib.dmarc_diag_get_domain(ptr)))

    def __str__(self) -> str:
        where = f" at {self.offset}" if self.domain is None else (
            f" at {self.domain}")
        tag = f" ({self.tag})" if self.tag else ""
        return f"{self.severity}: {self.name}{tag}{where}: {self.text}"


def diagnostics(ptr: int, count_fn: Any, get_fn: Any) -> List[Diagnostic]:
    return [Diagnostic.from_c(get_fn(ptr, i)) for i in range(count_fn(ptr))]


def read_buffer(call: Callable[[Any, int, Any], Any],
                first_size: int = 256) -> bytes:
    """Run a formatter that writes into a caller's buffer and says the
    length it needs (DMARC_EBUFFER when short): grow once and retry."""
    from .errors import check
    from .enums import Status
    size = first_size
    length = ctypes.c_size_t(0)
    for _ in range(3):
        buf = ctypes.create_string_buffer(size)
        status = call(buf, size, ctypes.byref(length))
        if status == Status.EBUFFER and length.value >= size:
            size = length.value + 1
            continue
        check(status)
        return buf.raw[:length.value]
    check(Status.EBUFFER)
    return b""  # not reached
