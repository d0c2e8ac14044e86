"""The spool file (libdmarc-spool(5)): many processes append one row per
evaluated message, a collector rotates it away and reads it into an
Aggregate (Aggregate.read_spool)."""

from __future__ import annotations

import ctypes
import os
from typing import Union

from . import _lib
from ._object import Owned, c_string
from .context import Context
from .enums import SpoolFlag, Status
from .errors import SystemCallError, check
from .evaluation import Evaluation

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


class Spool(Owned):
    """A spool file open for appending (created with mode, 0 for 0640).
    It uses the context's allocator but does not keep it busy."""

    _free = _lib.lib.dmarc_spool_close

    def __init__(self, context: Context, path: PathLike, *, mode: int = 0,
                 flags: SpoolFlag = SpoolFlag(0)) -> None:
        out = _lib.handle()
        sys_errno = ctypes.c_int(0)
        self._path = os.fsdecode(path)
        status = _lib.lib.dmarc_spool_open(
            ctypes.byref(out), context._adopt(), c_string(os.fsencode(path)),
            mode, int(flags), ctypes.byref(sys_errno))
        if status != Status.OK:
            context._release()
            self._raise(status, sys_errno.value)
        self._context = context
        self._ptr = out.value

    def _after_close(self) -> None:
        self._context._release()

    def _raise(self, status: int, sys_errno: int) -> None:
        if status == Status.ESYSTEM:
            raise SystemCallError(status, self._path, sys_errno)
        check(status, self._path)

    def _check(self, status: int) -> None:
        if status != Status.OK:
            self._raise(status, _lib.lib.dmarc_spool_get_errno(self._p()))

    def append(self, evaluation: Evaluation) -> None:
        """Append the row of a finished evaluation (one write(2))."""
        self._check(_lib.lib.dmarc_spool_append_eval(self._p(),
                                                     evaluation._p()))

    def rotate(self, new_path: PathLike) -> None:
        """Rename the file to new_path and go on in a new file."""
        self._check(_lib.lib.dmarc_spool_rotate(
            self._p(), c_string(os.fsencode(new_path))))

    def follow(self) -> None:
        """Reopen the path when it names another file than the one
        open."""
        self._check(_lib.lib.dmarc_spool_follow(self._p()))
