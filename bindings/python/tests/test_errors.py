"""Statuses raise the exception of their class, with the library's
text."""

from __future__ import annotations

import errno

import pytest

import libdmarc
from libdmarc import Status, errors


@pytest.mark.parametrize("status", [s for s in Status if s != Status.OK],
                         ids=str)
def test_every_status_has_its_class(status):
    exc = errors.error_for(status)
    assert type(exc) is errors.ERRORS[status]
    assert exc.status is status
    assert str(exc) == libdmarc.strerror(status)
    assert isinstance(exc, libdmarc.DmarcError)


def test_strerror_is_the_librarys_own_for_unknown_values():
    exc = errors.error_for(999)
    assert type(exc) is libdmarc.DmarcError
    assert str(exc) == libdmarc.strerror(999) != ""


def test_python_families():
    assert issubclass(libdmarc.NameLabelError, ValueError)
    assert issubclass(libdmarc.NameLabelError, libdmarc.DomainNameError)
    assert issubclass(libdmarc.OutOfMemoryError, MemoryError)
    assert issubclass(libdmarc.SystemCallError, OSError)


@pytest.mark.parametrize("name,error", [
    ("", libdmarc.NameEmptyError),
    ("a..example", libdmarc.NameEmptyError),
    ("x" * 64 + ".example", libdmarc.NameLabelError),
    (".".join(["abcdefghi"] * 26), libdmarc.NameLengthError),
    ("exa mple.com", libdmarc.NameCharError),
])
def test_domain_name_errors(name, error):
    with pytest.raises(error) as info:
        libdmarc.normalize_domain(name)
    assert str(info.value) == libdmarc.strerror(error.status)


def test_limit_out_of_range(ctx):
    with pytest.raises(libdmarc.OutOfRangeError) as info:
        ctx.set_limit(libdmarc.Limit.URIS_PER_LIST, 33)
    assert str(info.value).startswith(libdmarc.strerror(Status.ERANGE))
    assert ctx.get_limit(libdmarc.Limit.URIS_PER_LIST) == 8
    ctx.set_limit(libdmarc.Limit.URIS_PER_LIST, 32)
    assert ctx.get_limit(libdmarc.Limit.URIS_PER_LIST) == 32


def test_configuration_while_in_use_is_busy(ctx):
    with libdmarc.Evaluation(ctx):
        with pytest.raises(libdmarc.BusyError):
            ctx.mode = libdmarc.Mode.RFC7489
        assert ctx.mode is libdmarc.Mode.RFC9989
    ctx.mode = libdmarc.Mode.RFC7489
    assert ctx.mode is libdmarc.Mode.RFC7489


def test_running_without_lookup(ctx):
    with libdmarc.Discovery(ctx) as d:
        d.start("example.com")
        with pytest.raises(libdmarc.NoLookupError):
            d.run()


def test_spool_file_error_carries_errno(ctx, tmp_path):
    with libdmarc.Aggregate(ctx) as agg:
        with pytest.raises(libdmarc.SystemCallError) as info:
            agg.read_spool(tmp_path / "missing")
    assert info.value.errno == errno.ENOENT
    assert isinstance(info.value, OSError)
    assert str(tmp_path / "missing") in str(info.value)
