"""The library's enums as IntEnum and IntFlag classes.

Member names are the library's own keywords (dmarc_<enum>_name()),
upper-cased with "-" written "_": Policy.REJECT is "reject",
Mode.RFC7489_PSD is "rfc7489-psd", Status.ENAME_EMPTY is "ename-empty".
The test suite checks every class against the library, both ways.  Where
a keyword is a single letter, the C name is an alias (Alignment.R is also
Alignment.RELAXED); fo's keywords "0" and "1" are no Python names, so
those two members take the C names (Fo.ALL_FAIL, Fo.ANY_FAIL).

str() of a member is its keyword, so f"dmarc={result}" reads
"dmarc=pass"; .keyword is the same text, and parse() reads a keyword back
with the library's dmarc_<enum>_parse() (case-insensitive).  A value a
newer library returns that this module does not know yet becomes a
pseudo-member named UNKNOWN_<value> instead of raising.
"""

from __future__ import annotations

import ctypes
import enum
from typing import Any, Callable, Dict, List, Optional, Tuple, Type, TypeVar

from . import _lib

_KEYWORD_FNS: Dict[type, Tuple[Any, Any]] = {}
_C_NAMES: Dict[type, str] = {}

E = TypeVar("E", bound="_Keyworded")


def _keywords(c_name: str) -> Callable[[Type[E]], Type[E]]:
    def attach(cls: Type[E]) -> Type[E]:
        _KEYWORD_FNS[cls] = _lib.declare_keyword(c_name)
        _C_NAMES[cls] = c_name
        return cls
    return attach


class _Keyworded:
    """What _Enum and _Flag share: keywords from the library (a mixin:
    the members are ints)."""

    @property
    def keyword(self: Any) -> Optional[str]:
        """The library's keyword for this value; None for a value the
        library does not name (or, for a bit set, several bits)."""
        name_fn = _KEYWORD_FNS[type(self)][0]
        return _lib.text(name_fn(int(self)))

    @classmethod
    def parse(cls: Type[E], text: str) -> E:
        """The member the library reads text as (dmarc_<enum>_parse)."""
        from .errors import check
        raw = text.encode("utf-8")
        out = ctypes.c_int(0)
        check(_KEYWORD_FNS[cls][1](raw, len(raw), ctypes.byref(out)))
        return cls(out.value)  # type: ignore[call-arg]

    @classmethod
    def c_name(cls) -> str:
        """The enum's C name without the dmarc_ prefix ("policy")."""
        return _C_NAMES[cls]

    def __str__(self: Any) -> str:
        word: Optional[str] = self.keyword
        return word if word is not None else str(int(self))

    def __format__(self: Any, spec: str) -> str:
        if spec and spec[-1] in "bcdoxXn":
            return int.__format__(self, spec)
        return format(str(self), spec)


class _Enum(_Keyworded, enum.IntEnum):
    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, int):
            return None
        member = int.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member


class _Flag(_Keyworded, enum.IntFlag):  # type: ignore[misc]
    @property
    def keywords(self: Any) -> List[str]:
        """The keyword of every bit set, lowest first."""
        out = []
        bit = 1
        while bit <= int(self):
            if int(self) & bit:
                word = type(self)(bit).keyword
                out.append(word if word is not None else str(bit))
            bit <<= 1
        return out


@_keywords("status")
class Status(_Enum):
    """dmarc_status of <dmarc/common.h>."""
    OK = 0
    ENOMEM = 1
    EINVAL = 2
    ERANGE = 3
    EBUFFER = 4
    ERECORD = 5
    ENOTSUP = 6
    ENAME_EMPTY = 7
    ENAME_LABEL = 8
    ENAME_LENGTH = 9
    ENAME_CHAR = 10
    ENAME_IDNA = 11
    ENOPSL = 12
    ESTATE = 13
    ENOLOOKUP = 14
    ERESOLVER = 15
    ETRUNCATED = 16
    EMESSAGE = 17
    EFROM = 18
    EBUSY = 19
    ESYSTEM = 20
    EFULL = 21


@_keywords("feature")
class Feature(_Enum):
    """dmarc_feature of <dmarc/common.h>."""
    RECORD_PARSER = 1
    RFC7489 = 2
    RFC9091 = 3
    PSL = 4
    TREEWALK = 5
    RESOLVER = 6
    EVALUATION = 7
    AGGREGATE = 8
    FAILURE = 9


@_keywords("mode")
class Mode(_Enum):
    """dmarc_mode of <dmarc/context.h>."""
    RFC9989 = 0
    RFC7489 = 1
    RFC7489_PSD = 2


@_keywords("parse_option")
class ParseOption(_Flag):
    """dmarc_parse_option of <dmarc/context.h>."""
    STRICT = 1
    DUPLICATE_FIRST_WINS = 2
    SKIP_LEADING_SPACE = 4


@_keywords("limit")
class Limit(_Enum):
    """dmarc_limit of <dmarc/context.h>."""
    RECORD_LENGTH = 1
    URIS_PER_LIST = 2
    URI_LENGTH = 3
    HEADER_LENGTH = 4
    FROM_DOMAINS = 5
    DKIM_SIGNATURES = 6
    EVAL_QUERIES = 7
    RUN_SECONDS = 8
    CACHE_BYTES = 9
    CACHE_TTL = 10
    AGGREGATE_ROWS = 11
    REPORT_INTERVAL = 12
    REPORT_BYTES = 13
    REPORT_RATIO = 14
    XML_DEPTH = 15
    XML_ELEMENTS = 16
    XML_STRING = 17
    REPORT_RECORDS = 18
    MIME_DEPTH = 19
    MIME_PARTS = 20


@_keywords("record_state")
class RecordState(_Enum):
    """dmarc_record_state of <dmarc/record.h>."""
    VALID = 1
    AS_NONE = 2
    INVALID = 3
    NOT_DMARC = 4


@_keywords("tag")
class Tag(_Enum):
    """dmarc_tag of <dmarc/record.h>."""
    NONE = 0
    V = 1
    P = 2
    SP = 3
    NP = 4
    ADKIM = 5
    ASPF = 6
    PCT = 7
    RUA = 8
    RUF = 9
    FO = 10
    RF = 11
    RI = 12
    PSD = 13
    T = 14


@_keywords("policy")
class Policy(_Enum):
    """dmarc_policy of <dmarc/record.h>."""
    UNSPECIFIED = 0
    NONE = 1
    QUARANTINE = 2
    REJECT = 3


@_keywords("alignment")
class Alignment(_Enum):
    """dmarc_alignment of <dmarc/record.h>."""
    R = 1
    S = 2
    RELAXED = 1
    STRICT = 2


@_keywords("psd")
class Psd(_Enum):
    """dmarc_psd of <dmarc/record.h>."""
    U = 1
    Y = 2
    N = 3
    UNKNOWN = 1
    YES = 2
    NO = 3


@_keywords("fo")
class Fo(_Flag):
    """dmarc_fo of <dmarc/record.h>.  The keywords of the first two, "0"
    and "1", are no Python names: those members take the C names."""
    ALL_FAIL = 1
    ANY_FAIL = 2
    D = 4
    S = 8
    DKIM = 4
    SPF = 8


@_keywords("rf")
class Rf(_Flag):
    """dmarc_rf of <dmarc/record.h>."""
    AFRF = 1


@_keywords("uri_flag")
class UriFlag(_Flag):
    """dmarc_uri_flag of <dmarc/record.h>."""
    MAILTO = 1
    UNSUPPORTED = 2
    HAS_SIZE = 4
    SIZE_OBSOLETE = 8


@_keywords("select")
class Select(_Enum):
    """dmarc_select of <dmarc/record.h>."""
    NONE = 1
    ONE = 2
    DISCARDED = 3
    MULTIPLE = 4


@_keywords("severity")
class Severity(_Enum):
    """dmarc_severity of <dmarc/diag.h>."""
    ERROR = 1
    WARNING = 2


@_keywords("diag_code")
class DiagCode(_Enum):
    """dmarc_diag_code of <dmarc/diag.h>."""
    NONE = 0
    NO_VERSION = 1
    BAD_VERSION = 2
    SYNTAX = 3
    DUPLICATE_TAG = 4
    BAD_VALUE = 5
    MISSING_P = 6
    P_NOT_SECOND = 7
    UNKNOWN_TAG = 8
    HISTORIC_TAG = 9
    URI_NO_SCHEME = 10
    URI_UNSUPPORTED = 11
    URI_MALFORMED = 12
    BAD_SIZE = 13
    SIZE_OBSOLETE = 14
    RECORD_TOO_LONG = 15
    TOO_MANY_URIS = 16
    URI_TOO_LONG = 17
    EMPTY_TAG = 18
    CASE = 19
    LEADING_SPACE = 20
    AS_NONE = 21
    NO_POLICY = 22
    FO_WITHOUT_RUF = 23
    TOO_MANY_DIAGNOSTICS = 24
    MULTIPLE_RECORDS = 25
    INVALID_RECORD = 26
    DNS_TEMPFAIL = 27
    DNS_PERMFAIL = 28
    ORG_NOT_QUERIED = 29
    AR_SYNTAX = 30
    AR_VERSION = 31
    AR_METHOD_VERSION = 32
    AR_TOO_MANY = 33
    AR_TOO_LONG = 34
    LINE_BREAK = 35
    UNICODE_SPACE = 36
    ORG_UNKNOWN = 37
    QUERY_LIMIT = 38
    DEADLINE = 39
    FROM_MISSING = 40
    FROM_REPEATED = 41
    FROM_SYNTAX = 42
    FROM_TOO_LONG = 43
    FROM_DOMAINS = 44
    FROM_NO_DOMAIN = 45
    AR_UNTRUSTED = 46
    DKIM_DROPPED = 47
    AGGREGATE_FULL = 48
    SPOOL_TORN = 49
    SPOOL_BAD = 50
    REPORT_NAMESPACE = 51
    REPORT_WRAPPER = 52
    REPORT_UNKNOWN_ELEMENT = 53
    REPORT_ORDER = 54
    REPORT_MISSING = 55
    REPORT_REPEATED = 56
    REPORT_KEYWORD = 57
    REPORT_VALUE = 58
    REPORT_TEXT = 59
    REPORT_REPAIRED = 60
    REPORT_MARKUP = 61
    REPORT_RANGE = 62
    REPORT_COUNT_ZERO = 63
    REPORT_CONTAINER = 64
    REPORT_FAILED = 65
    ARF_FIELD = 66


@_keywords("step")
class Step(_Enum):
    """dmarc_step of <dmarc/discovery.h>."""
    QUERY = 1
    DONE = 2


@_keywords("discovery_result")
class DiscoveryResult(_Enum):
    """dmarc_discovery_result of <dmarc/discovery.h>."""
    PENDING = 0
    FOUND = 1
    NONE = 2
    TEMPERROR = 3
    PERMERROR = 4


@_keywords("source")
class Source(_Enum):
    """dmarc_source of <dmarc/discovery.h>."""
    NONE = 0
    AUTHOR = 1
    ORG = 2
    PSD = 3


@_keywords("method")
class Method(_Enum):
    """dmarc_method of <dmarc/discovery.h>."""
    PSL = 1
    TREEWALK = 2


@_keywords("authorization")
class Authorization(_Enum):
    """dmarc_authorization of <dmarc/discovery.h>."""
    UNCHECKED = 0
    INTERNAL = 1
    AUTHORIZED = 2
    REFUSED = 3
    TEMPFAIL = 4
    OVERRIDE_REFUSED = 5


@_keywords("result")
class Result(_Enum):
    """dmarc_result of <dmarc/eval.h>."""
    PENDING = 0
    NONE = 1
    PASS = 2
    FAIL = 3
    TEMPERROR = 4
    PERMERROR = 5


@_keywords("verdict")
class Verdict(_Enum):
    """dmarc_verdict of <dmarc/eval.h>."""
    NONE = 1
    PASS = 2
    FAIL = 3
    SOFTFAIL = 4
    NEUTRAL = 5
    TEMPERROR = 6
    PERMERROR = 7
    POLICY = 8


@_keywords("spf_scope")
class SpfScope(_Enum):
    """dmarc_spf_scope of <dmarc/eval.h>."""
    MFROM = 1
    HELO = 2


@_keywords("alignment_result")
class AlignmentResult(_Enum):
    """dmarc_alignment_result of <dmarc/eval.h>."""
    UNALIGNED = 0
    EXACT = 1
    ORG = 2


@_keywords("disposition")
class Disposition(_Enum):
    """dmarc_disposition of <dmarc/eval.h>."""
    NONE = 1
    QUARANTINE = 2
    REJECT = 3
    PASS = 4


@_keywords("reason")
class Reason(_Enum):
    """dmarc_reason of <dmarc/eval.h>."""
    NONE = 0
    FORWARDED = 1
    SAMPLED_OUT = 2
    TRUSTED_FORWARDER = 3
    MAILING_LIST = 4
    LOCAL_POLICY = 5
    OTHER = 6
    POLICY_TEST_MODE = 7


@_keywords("eval_option")
class EvalOption(_Flag):
    """dmarc_eval_option of <dmarc/eval.h>."""
    MULTI_FROM = 1
    REJECT_EVIDENCE = 2


@_keywords("authres_state")
class AuthresState(_Enum):
    """dmarc_authres_state of <dmarc/authres.h>."""
    VALID = 1
    BAD_VERSION = 2
    SYNTAX = 3


@_keywords("authres_style")
class AuthresStyle(_Enum):
    """dmarc_authres_style of <dmarc/eval.h>."""
    FIELD = 1
    VALUE = 2
    VALUE_LF = 3


@_keywords("rrtype")
class Rrtype(_Enum):
    """dmarc_rrtype of <dmarc/dns.h>."""
    A = 1
    MX = 15
    TXT = 16
    AAAA = 28


@_keywords("dns_outcome")
class DnsOutcome(_Enum):
    """dmarc_dns_outcome of <dmarc/dns.h>."""
    RECORDS = 1
    NODATA = 2
    NXDOMAIN = 3
    TEMPFAIL = 4
    PERMFAIL = 5


@_keywords("psl_sections")
class PslSections(_Enum):
    """dmarc_psl_sections of <dmarc/domain.h>."""
    ALL = 1
    ICANN_ONLY = 2


@_keywords("reporter_field")
class ReporterField(_Enum):
    """dmarc_reporter_field of <dmarc/report.h>."""
    ORG_NAME = 1
    EMAIL = 2
    EXTRA_CONTACT = 3
    SUBMITTER = 4
    GENERATOR = 5
    HOST_ID = 6
    FROM = 7


@_keywords("report_flag")
class ReportFlag(_Flag):
    """dmarc_report_flag of <dmarc/report.h>."""
    GZIP = 1
    PRETTY = 2


@_keywords("aggregate_count")
class AggregateCount(_Enum):
    """dmarc_aggregate_count of <dmarc/report.h>."""
    ROWS = 1
    MESSAGES = 2
    DROPPED = 3
    REPORTS = 4
    SPOOL_ROWS = 5
    SPOOL_TORN = 6
    SPOOL_BAD = 7


@_keywords("spool_flag")
class SpoolFlag(_Flag):
    """dmarc_spool_flag of <dmarc/spool.h>."""
    SYNC = 1
    FOLLOW = 2



def all_enums() -> List[type]:
    """Every enum class of this module (for tests and tools)."""
    return list(_KEYWORD_FNS)
