/*
 * libdmarc - names of enum values, both ways: for every public enum
 * dmarc_X, dmarc_X_name() gives the keyword of a value and dmarc_X_parse()
 * reads one back.  See libdmarc-keywords(3) for every keyword.
 *
 * Keywords are the RFC ones where the value appears in protocol text
 * (record tags and values, Authentication-Results, aggregate report XML:
 * "reject", "sampled_out", "mfrom", "psl", "r"), else stable lower-case
 * hyphenated names ("pending", "rfc7489-psd", "record-length", "bad-value",
 * "enomem"); DNS types are their mnemonics ("TXT").  For a bit-set enum
 * (dmarc_fo, dmarc_rf, dmarc_uri_flag, dmarc_parse_option,
 * dmarc_eval_option) a name is that of one flag.
 *
 *   const char *dmarc_X_name(dmarc_X value);
 *       The keyword (static storage), or NULL for a value outside the
 *       enum: enums grow, so be ready for NULL.
 *   dmarc_status dmarc_X_parse(const char *text, size_t len, dmarc_X *out);
 *       The value named by the len bytes at text, ASCII letters compared
 *       case-insensitively, nothing trimmed.  DMARC_EINVAL, *out
 *       unchanged, for any other text or a NULL argument.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_KEYWORD_H
#define DMARC_KEYWORD_H

#include <stddef.h>

#include <dmarc/common.h>
#include <dmarc/context.h>
#include <dmarc/record.h>
#include <dmarc/diag.h>
#include <dmarc/discovery.h>
#include <dmarc/eval.h>
#include <dmarc/authres.h>
#include <dmarc/dns.h>
#include <dmarc/domain.h>
#include <dmarc/report.h>
#include <dmarc/spool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* <dmarc/common.h> */
DMARC_EXPORT const char *dmarc_status_name(dmarc_status value);
DMARC_EXPORT dmarc_status dmarc_status_parse(const char *text,
    size_t len, dmarc_status *out);
DMARC_EXPORT const char *dmarc_feature_name(dmarc_feature value);
DMARC_EXPORT dmarc_status dmarc_feature_parse(const char *text,
    size_t len, dmarc_feature *out);

/* <dmarc/context.h> */
DMARC_EXPORT const char *dmarc_mode_name(dmarc_mode value);
DMARC_EXPORT dmarc_status dmarc_mode_parse(const char *text,
    size_t len, dmarc_mode *out);
DMARC_EXPORT const char *dmarc_parse_option_name(dmarc_parse_option value);
DMARC_EXPORT dmarc_status dmarc_parse_option_parse(const char *text,
    size_t len, dmarc_parse_option *out);
DMARC_EXPORT const char *dmarc_limit_name(dmarc_limit value);
DMARC_EXPORT dmarc_status dmarc_limit_parse(const char *text,
    size_t len, dmarc_limit *out);

/* <dmarc/record.h> */
DMARC_EXPORT const char *dmarc_record_state_name(dmarc_record_state value);
DMARC_EXPORT dmarc_status dmarc_record_state_parse(const char *text,
    size_t len, dmarc_record_state *out);
DMARC_EXPORT const char *dmarc_tag_name(dmarc_tag value);
DMARC_EXPORT dmarc_status dmarc_tag_parse(const char *text,
    size_t len, dmarc_tag *out);
DMARC_EXPORT const char *dmarc_policy_name(dmarc_policy value);
DMARC_EXPORT dmarc_status dmarc_policy_parse(const char *text,
    size_t len, dmarc_policy *out);
DMARC_EXPORT const char *dmarc_alignment_name(dmarc_alignment value);
DMARC_EXPORT dmarc_status dmarc_alignment_parse(const char *text,
    size_t len, dmarc_alignment *out);
DMARC_EXPORT const char *dmarc_psd_name(dmarc_psd value);
DMARC_EXPORT dmarc_status dmarc_psd_parse(const char *text,
    size_t len, dmarc_psd *out);
DMARC_EXPORT const char *dmarc_fo_name(dmarc_fo value);
DMARC_EXPORT dmarc_status dmarc_fo_parse(const char *text,
    size_t len, dmarc_fo *out);
DMARC_EXPORT const char *dmarc_rf_name(dmarc_rf value);
DMARC_EXPORT dmarc_status dmarc_rf_parse(const char *text,
    size_t len, dmarc_rf *out);
DMARC_EXPORT const char *dmarc_uri_flag_name(dmarc_uri_flag value);
DMARC_EXPORT dmarc_status dmarc_uri_flag_parse(const char *text,
    size_t len, dmarc_uri_flag *out);
DMARC_EXPORT const char *dmarc_select_name(dmarc_select value);
DMARC_EXPORT dmarc_status dmarc_select_parse(const char *text,
    size_t len, dmarc_select *out);

/* <dmarc/diag.h> */
DMARC_EXPORT const char *dmarc_severity_name(dmarc_severity value);
DMARC_EXPORT dmarc_status dmarc_severity_parse(const char *text,
    size_t len, dmarc_severity *out);
DMARC_EXPORT const char *dmarc_diag_code_name(dmarc_diag_code value);
DMARC_EXPORT dmarc_status dmarc_diag_code_parse(const char *text,
    size_t len, dmarc_diag_code *out);

/* <dmarc/discovery.h> */
DMARC_EXPORT const char *dmarc_step_name(dmarc_step value);
DMARC_EXPORT dmarc_status dmarc_step_parse(const char *text,
    size_t len, dmarc_step *out);
DMARC_EXPORT const char *dmarc_discovery_result_name(
    dmarc_discovery_result value);
DMARC_EXPORT dmarc_status dmarc_discovery_result_parse(const char *text,
    size_t len, dmarc_discovery_result *out);
DMARC_EXPORT const char *dmarc_source_name(dmarc_source value);
DMARC_EXPORT dmarc_status dmarc_source_parse(const char *text,
    size_t len, dmarc_source *out);
DMARC_EXPORT const char *dmarc_method_name(dmarc_method value);
DMARC_EXPORT dmarc_status dmarc_method_parse(const char *text,
    size_t len, dmarc_method *out);
DMARC_EXPORT const char *dmarc_authorization_name(dmarc_authorization value);
DMARC_EXPORT dmarc_status dmarc_authorization_parse(const char *text,
    size_t len, dmarc_authorization *out);

/* <dmarc/eval.h> */
DMARC_EXPORT const char *dmarc_result_name(dmarc_result value);
DMARC_EXPORT dmarc_status dmarc_result_parse(const char *text,
    size_t len, dmarc_result *out);
DMARC_EXPORT const char *dmarc_verdict_name(dmarc_verdict value);
DMARC_EXPORT dmarc_status dmarc_verdict_parse(const char *text,
    size_t len, dmarc_verdict *out);
DMARC_EXPORT const char *dmarc_spf_scope_name(dmarc_spf_scope value);
DMARC_EXPORT dmarc_status dmarc_spf_scope_parse(const char *text,
    size_t len, dmarc_spf_scope *out);
DMARC_EXPORT const char *dmarc_alignment_result_name(
    dmarc_alignment_result value);
DMARC_EXPORT dmarc_status dmarc_alignment_result_parse(const char *text,
    size_t len, dmarc_alignment_result *out);
DMARC_EXPORT const char *dmarc_disposition_name(dmarc_disposition value);
DMARC_EXPORT dmarc_status dmarc_disposition_parse(const char *text,
    size_t len, dmarc_disposition *out);
DMARC_EXPORT const char *dmarc_reason_name(dmarc_reason value);
DMARC_EXPORT dmarc_status dmarc_reason_parse(const char *text,
    size_t len, dmarc_reason *out);
DMARC_EXPORT const char *dmarc_eval_option_name(dmarc_eval_option value);
DMARC_EXPORT dmarc_status dmarc_eval_option_parse(const char *text,
    size_t len, dmarc_eval_option *out);

/* <dmarc/authres.h> */
DMARC_EXPORT const char *dmarc_authres_state_name(dmarc_authres_state value);
DMARC_EXPORT dmarc_status dmarc_authres_state_parse(const char *text,
    size_t len, dmarc_authres_state *out);

/* <dmarc/dns.h> */
DMARC_EXPORT const char *dmarc_rrtype_name(dmarc_rrtype value);
DMARC_EXPORT dmarc_status dmarc_rrtype_parse(const char *text,
    size_t len, dmarc_rrtype *out);
DMARC_EXPORT const char *dmarc_dns_outcome_name(dmarc_dns_outcome value);
DMARC_EXPORT dmarc_status dmarc_dns_outcome_parse(const char *text,
    size_t len, dmarc_dns_outcome *out);

/* <dmarc/domain.h> */
DMARC_EXPORT const char *dmarc_psl_sections_name(dmarc_psl_sections value);
DMARC_EXPORT dmarc_status dmarc_psl_sections_parse(const char *text,
    size_t len, dmarc_psl_sections *out);

/* <dmarc/eval.h> */
DMARC_EXPORT const char *dmarc_authres_style_name(dmarc_authres_style value);
DMARC_EXPORT dmarc_status dmarc_authres_style_parse(const char *text,
    size_t len, dmarc_authres_style *out);
DMARC_EXPORT const char *dmarc_reporter_field_name(dmarc_reporter_field value);
DMARC_EXPORT dmarc_status dmarc_reporter_field_parse(const char *text,
    size_t len, dmarc_reporter_field *out);
DMARC_EXPORT const char *dmarc_report_flag_name(dmarc_report_flag value);
DMARC_EXPORT dmarc_status dmarc_report_flag_parse(const char *text,
    size_t len, dmarc_report_flag *out);
DMARC_EXPORT const char *dmarc_aggregate_count_name(
    dmarc_aggregate_count value);
DMARC_EXPORT dmarc_status dmarc_aggregate_count_parse(const char *text,
    size_t len, dmarc_aggregate_count *out);
DMARC_EXPORT const char *dmarc_spool_flag_name(dmarc_spool_flag value);
DMARC_EXPORT dmarc_status dmarc_spool_flag_parse(const char *text,
    size_t len, dmarc_spool_flag *out);

#ifdef __cplusplus
}
#endif
#endif /* DMARC_KEYWORD_H */
