"""Every enum class against the library's own names (dmarc_<enum>_name)
and the public headers' values, both ways."""

from __future__ import annotations

import re

import pytest

import libdmarc
from libdmarc import enums
from libdmarc._lib import declare_keyword

from conftest import SRCDIR

# Values to probe: every enum is small or a bit set; rrtype has DNS numbers.
CANDIDATES = list(range(0, 300)) + [1 << i for i in range(9, 31)]


def library_names(c_name: str) -> dict:
    name_fn, _ = declare_keyword(c_name)
    out = {}
    for value in CANDIDATES:
        word = name_fn(value)
        if word is not None:
            out[value] = word.decode()
    return out


def python_name(keyword: str) -> str:
    return keyword.upper().replace("-", "_")


ENUMS = enums.all_enums()


def test_every_keyword_enum_of_the_library_has_a_class():
    """keyword.h names most enums; reader.h declares its own."""
    header = "".join((SRCDIR / "include" / "dmarc" / name).read_text()
                     for name in ("keyword.h", "reader.h"))
    c_names = set(re.findall(r"const char \*dmarc_([a-z_]+)_name\(", header))
    assert c_names == {cls.c_name() for cls in ENUMS}


@pytest.mark.parametrize("cls", ENUMS, ids=lambda c: c.__name__)
def test_members_are_the_library_names(cls):
    names = library_names(cls.c_name())
    assert names, "the library names no value"
    canonical = {m.value: m.name for m in cls.__members__.values()}
    assert set(canonical) == set(names)
    for value, keyword in names.items():
        member = cls(value)
        assert member.keyword == keyword
        assert str(member) == keyword
        if python_name(keyword).isidentifier():
            assert member.name == python_name(keyword)
        assert cls.parse(keyword) is member
        assert cls.parse(keyword.swapcase()) is member


@pytest.mark.parametrize("cls", ENUMS, ids=lambda c: c.__name__)
def test_values_are_the_headers(cls):
    """The C enum's constants, read from the public header, have the
    members' values (DMARC_POLICY_REJECT = 3 is Policy.REJECT)."""
    text = "".join(p.read_text() for p in
                   (SRCDIR / "include" / "dmarc").glob("*.h"))
    body = re.search(r"typedef enum dmarc_%s \{(.*?)\}" % cls.c_name(),
                     text, re.S)
    assert body, cls.c_name()
    values = {int(v) for v in re.findall(r"DMARC_\w+\s*=\s*(\d+)",
                                          body.group(1))}
    assert values == {m.value for m in cls.__members__.values()}


def test_parse_refuses_other_text():
    with pytest.raises(libdmarc.InvalidArgumentError) as info:
        libdmarc.Policy.parse("rejected")
    assert str(info.value) == libdmarc.strerror(libdmarc.Status.EINVAL)


def test_unknown_value_is_a_pseudo_member():
    member = libdmarc.Policy(97)
    assert isinstance(member, libdmarc.Policy)
    assert member.name == "UNKNOWN_97" and member == 97
    assert member.keyword is None and str(member) == "97"


def test_flags_combine_and_name_their_bits():
    both = libdmarc.Fo.ANY_FAIL | libdmarc.Fo.DKIM
    assert both.keywords == ["1", "d"]
    assert libdmarc.Fo.ALL_FAIL.keyword == "0"
    assert libdmarc.Alignment.RELAXED is libdmarc.Alignment.R


def test_format_is_keyword_or_number():
    assert f"{libdmarc.Mode.RFC7489_PSD}" == "rfc7489-psd"
    assert f"{libdmarc.Mode.RFC7489_PSD:d}" == "2"
    assert f"{libdmarc.Rrtype.TXT:>5}" == "  TXT"
