"""Loading libdmarc.so.1 and the C prototypes of the functions used.

The library is found, in this order, at the path in the LIBDMARC_PATH
environment variable (the test suite points it at the build tree), by
ctypes.util.find_library("dmarc"), and as "libdmarc.so.1" through the
dynamic loader's own search.  Every function gets its argtypes and
restype here, so a wrong call fails in Python, not in C.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import (POINTER, c_char_p, c_int, c_size_t, c_uint, c_uint32,
                    c_uint64, c_void_p)
from typing import Any, Dict, List, Optional, Sequence, Tuple

SONAME = "libdmarc.so.1"

# Handles are opaque: plain pointers.
handle = c_void_p
c_int_p = POINTER(c_int)
c_size_t_p = POINTER(c_size_t)
c_uint64_p = POINTER(c_uint64)
c_char_ptr = POINTER(ctypes.c_char)

# dmarc_lookup_fn, dmarc_sink_fn, dmarc_clock_fn, dmarc_random_fn.
LOOKUP_FN = ctypes.CFUNCTYPE(None, c_void_p, c_char_p, c_int, c_void_p)
SINK_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_char_ptr, c_size_t)
CLOCK_FN = ctypes.CFUNCTYPE(c_uint64, c_void_p)
RANDOM_FN = ctypes.CFUNCTYPE(c_uint32, c_void_p)


def _candidates() -> List[str]:
    override = os.environ.get("LIBDMARC_PATH")
    if override:
        return [override]
    found = ctypes.util.find_library("dmarc")
    names = [found] if found else []
    names.append(SONAME)
    return names


def _load() -> ctypes.CDLL:
    errors = []
    for name in _candidates():
        try:
            return ctypes.CDLL(name)
        except OSError as exc:
            errors.append(f"{name}: {exc}")
    raise ImportError("libdmarc: cannot load the C library ("
                      + "; ".join(errors) + "); install libdmarc or set "
                      "LIBDMARC_PATH to libdmarc.so.1")


lib = _load()

_S = c_int  # dmarc_status and every other enum travel as int
_SIG: Dict[str, Tuple[Any, Sequence[Any]]] = {
    # common.h
    "dmarc_strerror": (c_char_p, [_S]),
    "dmarc_version": (c_char_p, []),
    "dmarc_version_number": (c_uint32, []),
    "dmarc_has_feature": (c_int, [c_int]),
    # context.h, dns.h, domain.h, eval.h (context part)
    "dmarc_ctx_new": (_S, [POINTER(handle)]),
    "dmarc_ctx_free": (None, [handle]),
    "dmarc_ctx_set_mode": (_S, [handle, c_int]),
    "dmarc_ctx_get_mode": (c_int, [handle]),
    "dmarc_ctx_set_parse_options": (_S, [handle, c_uint]),
    "dmarc_ctx_get_parse_options": (c_uint, [handle]),
    "dmarc_ctx_set_limit": (_S, [handle, c_int, c_size_t]),
    "dmarc_ctx_get_limit": (c_size_t, [handle, c_int]),
    "dmarc_ctx_set_lookup": (_S, [handle, LOOKUP_FN, c_void_p]),
    "dmarc_ctx_set_clock": (_S, [handle, CLOCK_FN, c_void_p]),
    "dmarc_ctx_set_cache": (_S, [handle, c_size_t]),
    "dmarc_ctx_get_cache_stats": (None, [handle, c_uint64_p, c_uint64_p]),
    "dmarc_ctx_load_psl": (_S, [handle, c_char_p]),
    "dmarc_ctx_load_psl_buffer": (_S, [handle, c_char_p, c_size_t]),
    "dmarc_ctx_set_psl_sections": (_S, [handle, c_int]),
    "dmarc_ctx_get_psl_sections": (c_int, [handle]),
    "dmarc_ctx_add_psd": (_S, [handle, c_char_p]),
    "dmarc_ctx_set_eval_options": (_S, [handle, c_uint]),
    "dmarc_ctx_get_eval_options": (c_uint, [handle]),
    "dmarc_ctx_set_random": (_S, [handle, RANDOM_FN, c_void_p]),
    "dmarc_ctx_add_authserv_id": (_S, [handle, c_char_p]),
    "dmarc_domain_normalize": (_S, [c_char_p, c_size_t, c_char_p, c_size_t,
                                    c_size_t_p]),
    "dmarc_psl_org_domain": (_S, [handle, c_char_p, c_size_t, c_char_p,
                                  c_size_t, c_size_t_p]),
    # dns.h
    "dmarc_dns_answer_set": (_S, [handle, c_int, c_uint32]),
    "dmarc_dns_answer_add_txt": (_S, [handle, c_char_p, c_size_t]),
    "dmarc_dns_answer_parse": (_S, [handle, c_int, c_char_p, c_size_t]),
    # resolver.h
    "dmarc_resolver_new": (_S, [POINTER(handle), handle]),
    "dmarc_resolver_free": (None, [handle]),
    "dmarc_resolver_set_server": (_S, [handle, c_char_p]),
    "dmarc_resolver_set_timeout": (_S, [handle, c_uint]),
    "dmarc_resolver_set_retries": (_S, [handle, c_uint]),
    # diag.h
    "dmarc_diag_get_code": (c_int, [handle]),
    "dmarc_diag_get_severity": (c_int, [handle]),
    "dmarc_diag_get_offset": (c_size_t, [handle]),
    "dmarc_diag_get_length": (c_size_t, [handle]),
    "dmarc_diag_get_tag": (c_char_p, [handle]),
    "dmarc_diag_get_name": (c_char_p, [handle]),
    "dmarc_diag_get_text": (c_char_p, [handle]),
    "dmarc_diag_get_domain": (c_char_p, [handle]),
    # record.h
    "dmarc_record_parse": (_S, [POINTER(handle), handle, c_char_p, c_size_t]),
    "dmarc_record_select": (_S, [POINTER(handle), c_int_p, handle,
                                 POINTER(c_char_p), c_size_t_p, c_size_t]),
    "dmarc_record_free": (None, [handle]),
    "dmarc_record_format": (_S, [handle, c_char_p, c_size_t, c_size_t_p]),
    "dmarc_record_get_state": (c_int, [handle]),
    "dmarc_record_get_mode": (c_int, [handle]),
    "dmarc_record_has_tag": (c_int, [handle, c_int]),
    "dmarc_record_get_policy": (c_int, [handle, c_int]),
    "dmarc_record_get_alignment": (c_int, [handle, c_int]),
    "dmarc_record_get_pct": (c_uint, [handle]),
    "dmarc_record_get_ri": (c_uint32, [handle]),
    "dmarc_record_get_fo": (c_uint, [handle]),
    "dmarc_record_get_rf": (c_uint, [handle]),
    "dmarc_record_get_psd": (c_int, [handle]),
    "dmarc_record_get_testing": (c_int, [handle]),
    "dmarc_record_get_uri_count": (c_size_t, [handle, c_int]),
    "dmarc_record_get_uri": (handle, [handle, c_int, c_size_t]),
    "dmarc_record_get_diag_count": (c_size_t, [handle]),
    "dmarc_record_get_diag": (handle, [handle, c_size_t]),
    "dmarc_uri_get_text": (c_char_p, [handle]),
    "dmarc_uri_get_scheme": (c_char_p, [handle]),
    "dmarc_uri_get_address": (c_char_p, [handle]),
    "dmarc_uri_get_size_limit": (c_uint64, [handle]),
    "dmarc_uri_get_flags": (c_uint, [handle]),
    # discovery.h
    "dmarc_discovery_new": (_S, [POINTER(handle), handle]),
    "dmarc_discovery_free": (None, [handle]),
    "dmarc_discovery_start": (_S, [handle, c_char_p, c_size_t]),
    "dmarc_discovery_start_org": (_S, [handle, c_char_p, c_size_t]),
    "dmarc_discovery_start_verify": (_S, [handle]),
    "dmarc_discovery_step": (c_int, [handle, POINTER(c_char_p), c_int_p]),
    "dmarc_discovery_get_answer": (handle, [handle]),
    "dmarc_discovery_run": (_S, [handle]),
    "dmarc_discovery_get_status": (_S, [handle]),
    "dmarc_discovery_get_result": (c_int, [handle]),
    "dmarc_discovery_get_record": (handle, [handle]),
    "dmarc_discovery_get_domain": (c_char_p, [handle]),
    "dmarc_discovery_get_policy_domain": (c_char_p, [handle]),
    "dmarc_discovery_get_org_domain": (c_char_p, [handle]),
    "dmarc_discovery_get_source": (c_int, [handle]),
    "dmarc_discovery_get_method": (c_int, [handle]),
    "dmarc_discovery_get_applied_tag": (c_int, [handle]),
    "dmarc_discovery_get_policy": (c_int, [handle]),
    "dmarc_discovery_get_author_exists": (c_int, [handle]),
    "dmarc_discovery_get_query_count": (c_uint, [handle]),
    "dmarc_discovery_get_failed_name": (c_char_p, [handle]),
    "dmarc_discovery_get_authorization": (c_int, [handle, c_int, c_size_t]),
    "dmarc_discovery_get_destination_count": (c_size_t,
                                              [handle, c_int, c_size_t]),
    "dmarc_discovery_get_destination": (handle, [handle, c_int, c_size_t,
                                                 c_size_t]),
    "dmarc_discovery_get_diag_count": (c_size_t, [handle]),
    "dmarc_discovery_get_diag": (handle, [handle, c_size_t]),
    # authres.h
    "dmarc_authres_parse": (_S, [POINTER(handle), handle, c_char_p,
                                 c_size_t]),
    "dmarc_authres_free": (None, [handle]),
    "dmarc_authres_get_state": (c_int, [handle]),
    "dmarc_authres_get_authserv_id": (c_char_p, [handle]),
    "dmarc_authres_get_result_count": (c_size_t, [handle]),
    "dmarc_authres_get_method": (c_char_p, [handle, c_size_t]),
    "dmarc_authres_get_result": (c_char_p, [handle, c_size_t]),
    "dmarc_authres_get_reason": (c_char_p, [handle, c_size_t]),
    "dmarc_authres_get_property": (c_char_p, [handle, c_size_t, c_char_p,
                                              c_char_p]),
    "dmarc_authres_get_diag_count": (c_size_t, [handle]),
    "dmarc_authres_get_diag": (handle, [handle, c_size_t]),
    # eval.h
    "dmarc_eval_new": (_S, [POINTER(handle), handle]),
    "dmarc_eval_free": (None, [handle]),
    "dmarc_eval_reset": (None, [handle]),
    "dmarc_eval_add_from": (_S, [handle, c_char_p, c_size_t]),
    "dmarc_eval_set_spf": (_S, [handle, c_int, c_char_p, c_size_t, c_int]),
    "dmarc_eval_add_dkim": (_S, [handle, c_int, c_char_p, c_size_t,
                                 c_char_p, c_size_t]),
    "dmarc_eval_set_dkim_human_result": (_S, [handle, c_size_t, c_char_p,
                                              c_size_t]),
    "dmarc_eval_set_time": (_S, [handle, c_uint64]),
    "dmarc_eval_set_ip": (_S, [handle, c_char_p, c_size_t]),
    "dmarc_eval_set_envelope_from": (_S, [handle, c_char_p, c_size_t]),
    "dmarc_eval_set_envelope_to": (_S, [handle, c_char_p, c_size_t]),
    "dmarc_eval_add_authres": (_S, [handle, c_char_p, c_size_t, c_int_p]),
    "dmarc_eval_step": (c_int, [handle, POINTER(c_char_p), c_int_p]),
    "dmarc_eval_get_answer": (handle, [handle]),
    "dmarc_eval_run": (_S, [handle]),
    "dmarc_eval_get_status": (_S, [handle]),
    "dmarc_eval_override": (_S, [handle, c_int, c_int, c_char_p]),
    "dmarc_eval_get_result": (c_int, [handle]),
    "dmarc_eval_get_author_domain": (c_char_p, [handle]),
    "dmarc_eval_get_discovery": (handle, [handle]),
    "dmarc_eval_get_spf_alignment": (c_int, [handle]),
    "dmarc_eval_get_dkim_alignment": (c_int, [handle]),
    "dmarc_eval_get_aligned_dkim": (c_int, [handle]),
    "dmarc_eval_get_requested_policy": (c_int, [handle]),
    "dmarc_eval_get_disposition": (c_int, [handle]),
    "dmarc_eval_get_applied_disposition": (c_int, [handle]),
    "dmarc_eval_get_reason_count": (c_size_t, [handle]),
    "dmarc_eval_get_reason": (c_int, [handle, c_size_t]),
    "dmarc_eval_get_reason_comment": (c_char_p, [handle, c_size_t]),
    "dmarc_eval_get_failure_reports": (c_uint, [handle]),
    "dmarc_eval_get_diag_count": (c_size_t, [handle]),
    "dmarc_eval_get_diag": (handle, [handle, c_size_t]),
    "dmarc_eval_get_spf_result": (c_int, [handle]),
    "dmarc_eval_get_spf_domain": (c_char_p, [handle]),
    "dmarc_eval_get_spf_scope": (c_int, [handle]),
    "dmarc_eval_get_dkim_count": (c_size_t, [handle]),
    "dmarc_eval_get_dkim_dropped": (c_size_t, [handle]),
    "dmarc_eval_get_dkim_result": (c_int, [handle, c_size_t]),
    "dmarc_eval_get_dkim_domain": (c_char_p, [handle, c_size_t]),
    "dmarc_eval_get_dkim_selector": (c_char_p, [handle, c_size_t]),
    "dmarc_eval_format_authres": (_S, [handle, c_char_p, c_int, c_char_p,
                                       c_size_t, c_size_t_p]),
    # spool.h
    "dmarc_spool_open": (_S, [POINTER(handle), handle, c_char_p, c_uint,
                              c_uint, c_int_p]),
    "dmarc_spool_close": (None, [handle]),
    "dmarc_spool_append_eval": (_S, [handle, handle]),
    "dmarc_spool_rotate": (_S, [handle, c_char_p]),
    "dmarc_spool_follow": (_S, [handle]),
    "dmarc_spool_get_errno": (c_int, [handle]),
    "dmarc_spool_encode_eval": (_S, [handle, c_char_p, c_size_t,
                                     c_size_t_p]),
    # report.h
    "dmarc_aggregate_new": (_S, [POINTER(handle), handle]),
    "dmarc_aggregate_free": (None, [handle]),
    "dmarc_aggregate_set_reporter": (_S, [handle, c_int, c_char_p]),
    "dmarc_aggregate_get_reporter": (c_char_p, [handle, c_int]),
    "dmarc_aggregate_add_eval": (_S, [handle, handle]),
    "dmarc_aggregate_add_spool_line": (_S, [handle, c_char_p, c_size_t,
                                            c_size_t_p]),
    "dmarc_aggregate_merge": (_S, [handle, handle]),
    "dmarc_aggregate_read_spool": (_S, [handle, c_char_p, c_int_p]),
    "dmarc_aggregate_get_count": (c_uint64, [handle, c_int]),
    "dmarc_aggregate_get_diag_count": (c_size_t, [handle]),
    "dmarc_aggregate_get_diag": (handle, [handle, c_size_t]),
    "dmarc_aggregate_get_report": (handle, [handle, c_size_t]),
    "dmarc_report_get_domain": (c_char_p, [handle]),
    "dmarc_report_get_begin": (c_uint64, [handle]),
    "dmarc_report_get_end": (c_uint64, [handle]),
    "dmarc_report_get_count": (c_uint64, [handle, c_int]),
    "dmarc_report_get_policy": (c_int, [handle, c_int]),
    "dmarc_report_get_id": (_S, [handle, c_uint, c_uint, c_char_p, c_size_t,
                                 c_size_t_p]),
    "dmarc_report_get_filename": (_S, [handle, c_uint, c_uint, c_uint,
                                       c_char_p, c_size_t, c_size_t_p]),
    "dmarc_report_write": (_S, [handle, c_uint, c_uint, c_uint, SINK_FN,
                                c_void_p]),
    "dmarc_report_write_email": (_S, [handle, c_uint, c_uint, c_uint,
                                      c_char_p, c_uint64, SINK_FN, c_void_p]),
    "dmarc_report_write_spool": (_S, [handle, SINK_FN, c_void_p]),
    "dmarc_report_write_error_email": (_S, [handle, c_uint, c_uint, c_char_p,
                                            c_char_p, c_uint64, c_uint64,
                                            SINK_FN, c_void_p]),
    # reader.h (get_text gives an address: the text's length is *len,
    # read with ctypes.string_at; push takes the caller's bytes uncopied)
    "dmarc_reader_new": (_S, [POINTER(handle), handle]),
    "dmarc_reader_free": (None, [handle]),
    "dmarc_reader_reset": (None, [handle]),
    "dmarc_reader_set_strict": (_S, [handle, c_int]),
    "dmarc_reader_push": (_S, [handle, c_char_p, c_size_t]),
    "dmarc_reader_finish": (_S, [handle]),
    "dmarc_reader_next": (c_int, [handle]),
    "dmarc_reader_get_failure": (c_int, [handle]),
    "dmarc_reader_get_status": (_S, [handle]),
    "dmarc_reader_get_offset": (c_uint64, [handle]),
    "dmarc_reader_get_count": (c_size_t, [handle, c_int]),
    "dmarc_reader_get_text": (c_void_p, [handle, c_int, c_size_t,
                                         c_size_t_p]),
    "dmarc_reader_get_number": (_S, [handle, c_int, c_size_t, c_uint64_p]),
    "dmarc_reader_get_diag_count": (c_size_t, [handle]),
    "dmarc_reader_get_diag": (handle, [handle, c_size_t]),
}


def _declare() -> None:
    for name, (restype, argtypes) in _SIG.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = list(argtypes)


_declare()

# dmarc_resolver_lookup is handed to dmarc_ctx_set_lookup as a C function
# pointer, never called from Python.
RESOLVER_LOOKUP = ctypes.cast(lib.dmarc_resolver_lookup, LOOKUP_FN)


def declare_keyword(enum_name: str) -> Tuple[Any, Any]:
    """The dmarc_<enum>_name and dmarc_<enum>_parse functions."""
    name_fn = getattr(lib, f"dmarc_{enum_name}_name")
    name_fn.restype = c_char_p
    name_fn.argtypes = [c_int]
    parse_fn = getattr(lib, f"dmarc_{enum_name}_parse")
    parse_fn.restype = c_int
    parse_fn.argtypes = [c_char_p, c_size_t, c_int_p]
    return name_fn, parse_fn


def text(value: Optional[bytes]) -> Optional[str]:
    """A C string from the library as str (the library's strings are
    ASCII: normalized domain names, keywords, its own messages)."""
    return None if value is None else value.decode("utf-8", "replace")
