/*
 * libdmarc - the keyword table (lib/keyword_int.h) and the public name
 * and parse function of every enum (include/dmarc/keyword.h).
 *
 * A set lists its values in ascending order, so a dense enum finds its
 * name by index; bit sets and sparse enums by a short scan.  Aliases come
 * last.  A value appended to a public enum needs its name here:
 * test/test-keyword.c reads every enumerator from the headers and fails
 * for one without.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include "internal.h"

/* An RFC keyword, a library name, an alias (parsed, never given). */
#define RFC(v, w) { w, sizeof(w) - 1, 0, v }
#define LIB(v, w) { w, sizeof(w) - 1, DMARC__KW_LOCAL, v }
#define ALIAS(v, w) { w, sizeof(w) - 1, DMARC__KW_ALIAS, v }

static const struct dmarc__kw status_kw[] = {
	LIB(DMARC_OK, "ok"),
	LIB(DMARC_ENOMEM, "enomem"),
	LIB(DMARC_EINVAL, "einval"),
	LIB(DMARC_ERANGE, "erange"),
	LIB(DMARC_EBUFFER, "ebuffer"),
	LIB(DMARC_ERECORD, "erecord"),
	LIB(DMARC_ENOTSUP, "enotsup"),
	LIB(DMARC_ENAME_EMPTY, "ename-empty"),
	LIB(DMARC_ENAME_LABEL, "ename-label"),
	LIB(DMARC_ENAME_LENGTH, "ename-length"),
	LIB(DMARC_ENAME_CHAR, "ename-char"),
	LIB(DMARC_ENAME_IDNA, "ename-idna"),
	LIB(DMARC_ENOPSL, "enopsl"),
	LIB(DMARC_ESTATE, "estate"),
	LIB(DMARC_ENOLOOKUP, "enolookup"),
	LIB(DMARC_ERESOLVER, "eresolver"),
	LIB(DMARC_ETRUNCATED, "etruncated"),
	LIB(DMARC_EMESSAGE, "emessage"),
	LIB(DMARC_EFROM, "efrom"),
	LIB(DMARC_EBUSY, "ebusy"),
	LIB(DMARC_ESYSTEM, "esystem"),
	LIB(DMARC_EFULL, "efull"),
};

static const struct dmarc__kw feature_kw[] = {
	LIB(DMARC_FEATURE_RECORD_PARSER, "record-parser"),
	LIB(DMARC_FEATURE_RFC7489, "rfc7489"),
	LIB(DMARC_FEATURE_RFC9091, "rfc9091"),
	LIB(DMARC_FEATURE_PSL, "psl"),
	LIB(DMARC_FEATURE_TREEWALK, "treewalk"),
	LIB(DMARC_FEATURE_RESOLVER, "resolver"),
	LIB(DMARC_FEATURE_EVALUATION, "evaluation"),
	LIB(DMARC_FEATURE_AGGREGATE, "aggregate"),
	LIB(DMARC_FEATURE_FAILURE, "failure"),
};

static const struct dmarc__kw mode_kw[] = {
	LIB(DMARC_MODE_RFC9989, "rfc9989"),
	LIB(DMARC_MODE_RFC7489, "rfc7489"),
	LIB(DMARC_MODE_RFC7489_PSD, "rfc7489-psd"),
};

static const struct dmarc__kw parse_option_kw[] = {
	LIB(DMARC_PARSE_STRICT, "strict"),
	LIB(DMARC_PARSE_DUPLICATE_FIRST_WINS, "duplicate-first-wins"),
	LIB(DMARC_PARSE_SKIP_LEADING_SPACE, "skip-leading-space"),
};

static const struct dmarc__kw limit_kw[] = {
	LIB(DMARC_LIMIT_RECORD_LENGTH, "record-length"),
	LIB(DMARC_LIMIT_URIS_PER_LIST, "uris-per-list"),
	LIB(DMARC_LIMIT_URI_LENGTH, "uri-length"),
	LIB(DMARC_LIMIT_HEADER_LENGTH, "header-length"),
	LIB(DMARC_LIMIT_FROM_DOMAINS, "from-domains"),
	LIB(DMARC_LIMIT_DKIM_SIGNATURES, "dkim-signatures"),
	LIB(DMARC_LIMIT_EVAL_QUERIES, "eval-queries"),
	LIB(DMARC_LIMIT_RUN_SECONDS, "run-seconds"),
	LIB(DMARC_LIMIT_CACHE_BYTES, "cache-bytes"),
	LIB(DMARC_LIMIT_CACHE_TTL, "cache-ttl"),
	LIB(DMARC_LIMIT_AGGREGATE_ROWS, "aggregate-rows"),
	LIB(DMARC_LIMIT_REPORT_INTERVAL, "report-interval"),
	LIB(DMARC_LIMIT_REPORT_BYTES, "report-bytes"),
	LIB(DMARC_LIMIT_REPORT_RATIO, "report-ratio"),
	LIB(DMARC_LIMIT_XML_DEPTH, "xml-depth"),
	LIB(DMARC_LIMIT_XML_ELEMENTS, "xml-elements"),
	LIB(DMARC_LIMIT_XML_STRING, "xml-string"),
	LIB(DMARC_LIMIT_REPORT_RECORDS, "report-records"),
	LIB(DMARC_LIMIT_MIME_DEPTH, "mime-depth"),
	LIB(DMARC_LIMIT_MIME_PARTS, "mime-parts"),
};

static const struct dmarc__kw record_state_kw[] = {
	LIB(DMARC_RECORD_VALID, "valid"),
	LIB(DMARC_RECORD_AS_NONE, "as-none"),
	LIB(DMARC_RECORD_INVALID, "invalid"),
	LIB(DMARC_RECORD_NOT_DMARC, "not-dmarc"),
};

/* RFC 9989 4.7, RFC 7489 6.3; indexed by value (keyword_int.h) */
const struct dmarc__kw dmarc__tag_keywords[DMARC_TAG_T + 1] = {
	LIB(DMARC_TAG_NONE, "none"),
	RFC(DMARC_TAG_V, "v"),
	RFC(DMARC_TAG_P, "p"),
	RFC(DMARC_TAG_SP, "sp"),
	RFC(DMARC_TAG_NP, "np"),
	RFC(DMARC_TAG_ADKIM, "adkim"),
	RFC(DMARC_TAG_ASPF, "aspf"),
	RFC(DMARC_TAG_PCT, "pct"),
	RFC(DMARC_TAG_RUA, "rua"),
	RFC(DMARC_TAG_RUF, "ruf"),
	RFC(DMARC_TAG_FO, "fo"),
	RFC(DMARC_TAG_RF, "rf"),
	RFC(DMARC_TAG_RI, "ri"),
	RFC(DMARC_TAG_PSD, "psd"),
	RFC(DMARC_TAG_T, "t"),
};

static const struct dmarc__kw policy_kw[] = {
	LIB(DMARC_POLICY_UNSPECIFIED, "unspecified"),
	RFC(DMARC_POLICY_NONE, "none"),
	RFC(DMARC_POLICY_QUARANTINE, "quarantine"),
	RFC(DMARC_POLICY_REJECT, "reject"),
};

static const struct dmarc__kw alignment_kw[] = {
	RFC(DMARC_ALIGN_RELAXED, "r"),
	RFC(DMARC_ALIGN_STRICT, "s"),
};

static const struct dmarc__kw psd_kw[] = {
	RFC(DMARC_PSD_UNKNOWN, "u"),
	RFC(DMARC_PSD_YES, "y"),
	RFC(DMARC_PSD_NO, "n"),
};

static const struct dmarc__kw fo_kw[] = {
	RFC(DMARC_FO_ALL_FAIL, "0"),
	RFC(DMARC_FO_ANY_FAIL, "1"),
	RFC(DMARC_FO_DKIM, "d"),
	RFC(DMARC_FO_SPF, "s"),
};

static const struct dmarc__kw rf_kw[] = {
	RFC(DMARC_RF_AFRF, "afrf"),
};

static const struct dmarc__kw uri_flag_kw[] = {
	LIB(DMARC_URI_MAILTO, "mailto"),
	LIB(DMARC_URI_UNSUPPORTED, "unsupported"),
	LIB(DMARC_URI_HAS_SIZE, "has-size"),
	LIB(DMARC_URI_SIZE_OBSOLETE, "size-obsolete"),
};

static const struct dmarc__kw select_kw[] = {
	LIB(DMARC_SELECT_NONE, "none"),
	LIB(DMARC_SELECT_ONE, "one"),
	LIB(DMARC_SELECT_DISCARDED, "discarded"),
	LIB(DMARC_SELECT_MULTIPLE, "multiple"),
};

static const struct dmarc__kw severity_kw[] = {
	LIB(DMARC_SEVERITY_ERROR, "error"),
	LIB(DMARC_SEVERITY_WARNING, "warning"),
};

/* dmarc_diag_get_name(3), libdmarc-errors(3) */
static const struct dmarc__kw diag_code_kw[] = {
	LIB(DMARC_DIAG_NONE, "none"),
	LIB(DMARC_DIAG_NO_VERSION, "no-version"),
	LIB(DMARC_DIAG_BAD_VERSION, "bad-version"),
	LIB(DMARC_DIAG_SYNTAX, "syntax"),
	LIB(DMARC_DIAG_DUPLICATE_TAG, "duplicate-tag"),
	LIB(DMARC_DIAG_BAD_VALUE, "bad-value"),
	LIB(DMARC_DIAG_MISSING_P, "missing-p"),
	LIB(DMARC_DIAG_P_NOT_SECOND, "p-not-second"),
	LIB(DMARC_DIAG_UNKNOWN_TAG, "unknown-tag"),
	LIB(DMARC_DIAG_HISTORIC_TAG, "historic-tag"),
	LIB(DMARC_DIAG_URI_NO_SCHEME, "uri-no-scheme"),
	LIB(DMARC_DIAG_URI_UNSUPPORTED, "uri-unsupported"),
	LIB(DMARC_DIAG_URI_MALFORMED, "uri-malformed"),
	LIB(DMARC_DIAG_BAD_SIZE, "bad-size"),
	LIB(DMARC_DIAG_SIZE_OBSOLETE, "size-obsolete"),
	LIB(DMARC_DIAG_RECORD_TOO_LONG, "record-too-long"),
	LIB(DMARC_DIAG_TOO_MANY_URIS, "too-many-uris"),
	LIB(DMARC_DIAG_URI_TOO_LONG, "uri-too-long"),
	LIB(DMARC_DIAG_EMPTY_TAG, "empty-tag"),
	LIB(DMARC_DIAG_CASE, "case"),
	LIB(DMARC_DIAG_LEADING_SPACE, "leading-space"),
	LIB(DMARC_DIAG_AS_NONE, "as-none"),
	LIB(DMARC_DIAG_NO_POLICY, "no-policy"),
	LIB(DMARC_DIAG_FO_WITHOUT_RUF, "fo-without-ruf"),
	LIB(DMARC_DIAG_TOO_MANY_DIAGS, "too-many-diagnostics"),
	LIB(DMARC_DIAG_MULTIPLE_RECORDS, "multiple-records"),
	LIB(DMARC_DIAG_INVALID_RECORD, "invalid-record"),
	LIB(DMARC_DIAG_DNS_TEMPFAIL, "dns-tempfail"),
	LIB(DMARC_DIAG_DNS_PERMFAIL, "dns-permfail"),
	LIB(DMARC_DIAG_ORG_NOT_QUERIED, "org-not-queried"),
	LIB(DMARC_DIAG_AR_SYNTAX, "ar-syntax"),
	LIB(DMARC_DIAG_AR_VERSION, "ar-version"),
	LIB(DMARC_DIAG_AR_METHOD_VERSION, "ar-method-version"),
	LIB(DMARC_DIAG_AR_TOO_MANY, "ar-too-many"),
	LIB(DMARC_DIAG_AR_TOO_LONG, "ar-too-long"),
	LIB(DMARC_DIAG_LINE_BREAK, "line-break"),
	LIB(DMARC_DIAG_UNICODE_SPACE, "unicode-space"),
	LIB(DMARC_DIAG_ORG_UNKNOWN, "org-unknown"),
	LIB(DMARC_DIAG_QUERY_LIMIT, "query-limit"),
	LIB(DMARC_DIAG_DEADLINE, "deadline"),
	LIB(DMARC_DIAG_FROM_MISSING, "from-missing"),
	LIB(DMARC_DIAG_FROM_REPEATED, "from-repeated"),
	LIB(DMARC_DIAG_FROM_SYNTAX, "from-syntax"),
	LIB(DMARC_DIAG_FROM_TOO_LONG, "from-too-long"),
	LIB(DMARC_DIAG_FROM_DOMAINS, "from-domains"),
	LIB(DMARC_DIAG_FROM_NO_DOMAIN, "from-no-domain"),
	LIB(DMARC_DIAG_AR_UNTRUSTED, "ar-untrusted"),
	LIB(DMARC_DIAG_DKIM_DROPPED, "dkim-dropped"),
	LIB(DMARC_DIAG_AGGREGATE_FULL, "aggregate-full"),
	LIB(DMARC_DIAG_SPOOL_TORN, "spool-torn"),
	LIB(DMARC_DIAG_SPOOL_BAD, "spool-bad"),
	LIB(DMARC_DIAG_REPORT_NAMESPACE, "report-namespace"),
	LIB(DMARC_DIAG_REPORT_WRAPPER, "report-wrapper"),
	LIB(DMARC_DIAG_REPORT_UNKNOWN_ELEMENT, "report-unknown-element"),
	LIB(DMARC_DIAG_REPORT_ORDER, "report-order"),
	LIB(DMARC_DIAG_REPORT_MISSING, "report-missing"),
	LIB(DMARC_DIAG_REPORT_REPEATED, "report-repeated"),
	LIB(DMARC_DIAG_REPORT_KEYWORD, "report-keyword"),
	LIB(DMARC_DIAG_REPORT_VALUE, "report-value"),
	LIB(DMARC_DIAG_REPORT_TEXT, "report-text"),
	LIB(DMARC_DIAG_REPORT_REPAIRED, "report-repaired"),
	LIB(DMARC_DIAG_REPORT_MARKUP, "report-markup"),
	LIB(DMARC_DIAG_REPORT_RANGE, "report-range"),
	LIB(DMARC_DIAG_REPORT_COUNT_ZERO, "report-count-zero"),
	LIB(DMARC_DIAG_REPORT_CONTAINER, "report-container"),
	LIB(DMARC_DIAG_REPORT_FAILED, "report-failed"),
	LIB(DMARC_DIAG_ARF_FIELD, "arf-field"),
};

static const struct dmarc__kw step_kw[] = {
	LIB(DMARC_STEP_QUERY, "query"),
	LIB(DMARC_STEP_DONE, "done"),
};

static const struct dmarc__kw discovery_result_kw[] = {
	LIB(DMARC_DISCOVERY_PENDING, "pending"),
	LIB(DMARC_DISCOVERY_FOUND, "found"),
	LIB(DMARC_DISCOVERY_NONE, "none"),
	LIB(DMARC_DISCOVERY_TEMPERROR, "temperror"),
	LIB(DMARC_DISCOVERY_PERMERROR, "permerror"),
};

static const struct dmarc__kw source_kw[] = {
	LIB(DMARC_SOURCE_NONE, "none"),
	LIB(DMARC_SOURCE_AUTHOR, "author"),
	LIB(DMARC_SOURCE_ORG, "org"),
	LIB(DMARC_SOURCE_PSD, "psd"),
};

/* RFC 9990 discovery_method */
static const struct dmarc__kw method_kw[] = {
	RFC(DMARC_METHOD_PSL, "psl"),
	RFC(DMARC_METHOD_TREEWALK, "treewalk"),
};

static const struct dmarc__kw authorization_kw[] = {
	LIB(DMARC_AUTH_UNCHECKED, "unchecked"),
	LIB(DMARC_AUTH_INTERNAL, "internal"),
	LIB(DMARC_AUTH_AUTHORIZED, "authorized"),
	LIB(DMARC_AUTH_REFUSED, "refused"),
	LIB(DMARC_AUTH_TEMPFAIL, "tempfail"),
	LIB(DMARC_AUTH_OVERRIDE_REFUSED, "override-refused"),
};

/* RFC 8601 2.7.1 method dmarc (RFC 9989 9.1) */
static const struct dmarc__kw result_kw[] = {
	LIB(DMARC_RESULT_PENDING, "pending"),
	RFC(DMARC_RESULT_NONE, "none"),
	RFC(DMARC_RESULT_PASS, "pass"),
	RFC(DMARC_RESULT_FAIL, "fail"),
	RFC(DMARC_RESULT_TEMPERROR, "temperror"),
	RFC(DMARC_RESULT_PERMERROR, "permerror"),
};

/* RFC 8601 2.7.1-2.7.2; RFC 9990 DKIMResultType and SPFResultType */
static const struct dmarc__kw verdict_kw[] = {
	RFC(DMARC_VERDICT_NONE, "none"),
	RFC(DMARC_VERDICT_PASS, "pass"),
	RFC(DMARC_VERDICT_FAIL, "fail"),
	RFC(DMARC_VERDICT_SOFTFAIL, "softfail"),
	RFC(DMARC_VERDICT_NEUTRAL, "neutral"),
	RFC(DMARC_VERDICT_TEMPERROR, "temperror"),
	RFC(DMARC_VERDICT_PERMERROR, "permerror"),
	RFC(DMARC_VERDICT_POLICY, "policy"),
};

/* RFC 9990 / RFC 7489 SPFDomainScope; "mailfrom" as RFC 8601 writes it */
static const struct dmarc__kw spf_scope_kw[] = {
	RFC(DMARC_SPF_MAILFROM, "mfrom"),
	RFC(DMARC_SPF_HELO, "helo"),
	ALIAS(DMARC_SPF_MAILFROM, "mailfrom"),
};

static const struct dmarc__kw alignment_result_kw[] = {
	LIB(DMARC_UNALIGNED, "unaligned"),
	LIB(DMARC_ALIGNED_EXACT, "exact"),
	LIB(DMARC_ALIGNED_ORG, "org"),
};

/* RFC 9990 ActionDispositionType */
static const struct dmarc__kw disposition_kw[] = {
	RFC(DMARC_DISPOSITION_NONE, "none"),
	RFC(DMARC_DISPOSITION_QUARANTINE, "quarantine"),
	RFC(DMARC_DISPOSITION_REJECT, "reject"),
	RFC(DMARC_DISPOSITION_PASS, "pass"),
};

/* RFC 9990 / RFC 7489 PolicyOverrideType */
static const struct dmarc__kw reason_kw[] = {
	LIB(DMARC_REASON_NONE, "none"),
	RFC(DMARC_REASON_FORWARDED, "forwarded"),
	RFC(DMARC_REASON_SAMPLED_OUT, "sampled_out"),
	RFC(DMARC_REASON_TRUSTED_FORWARDER, "trusted_forwarder"),
	RFC(DMARC_REASON_MAILING_LIST, "mailing_list"),
	RFC(DMARC_REASON_LOCAL_POLICY, "local_policy"),
	RFC(DMARC_REASON_OTHER, "other"),
	RFC(DMARC_REASON_POLICY_TEST_MODE, "policy_test_mode"),
};

static const struct dmarc__kw eval_option_kw[] = {
	LIB(DMARC_EVAL_MULTI_FROM, "multi-from"),
	LIB(DMARC_EVAL_REJECT_EVIDENCE, "reject-evidence"),
};

static const struct dmarc__kw authres_state_kw[] = {
	LIB(DMARC_AUTHRES_VALID, "valid"),
	LIB(DMARC_AUTHRES_BAD_VERSION, "bad-version"),
	LIB(DMARC_AUTHRES_SYNTAX, "syntax"),
};

/* RFC 1035 3.2.2, RFC 3596: the mnemonics of the type registry */
static const struct dmarc__kw rrtype_kw[] = {
	RFC(DMARC_RR_A, "A"),
	RFC(DMARC_RR_MX, "MX"),
	RFC(DMARC_RR_TXT, "TXT"),
	RFC(DMARC_RR_AAAA, "AAAA"),
};

static const struct dmarc__kw dns_outcome_kw[] = {
	LIB(DMARC_DNS_RECORDS, "records"),
	LIB(DMARC_DNS_NODATA, "nodata"),
	LIB(DMARC_DNS_NXDOMAIN, "nxdomain"),
	LIB(DMARC_DNS_TEMPFAIL, "tempfail"),
	LIB(DMARC_DNS_PERMFAIL, "permfail"),
};

static const struct dmarc__kw psl_sections_kw[] = {
	LIB(DMARC_PSL_ALL, "all"),
	LIB(DMARC_PSL_ICANN_ONLY, "icann-only"),
};

static const struct dmarc__kw authres_style_kw[] = {
	LIB(DMARC_AUTHRES_FIELD, "field"),
	LIB(DMARC_AUTHRES_VALUE, "value"),
	LIB(DMARC_AUTHRES_VALUE_LF, "value-lf"),
};

/* t (RFC 9989 4.7), testing (RFC 9990) */
static const struct dmarc__kw testing_kw[] = {
	RFC(0, "n"),
	RFC(1, "y"),
};

/* libdmarc-spool(5): fields of a spool line beside the record tags */
static const struct dmarc__kw spool_field_kw[] = {
	LIB(DMARC__SPOOL_TIME, "time"),
	LIB(DMARC__SPOOL_COUNT, "count"),
	LIB(DMARC__SPOOL_DOMAIN, "domain"),
	LIB(DMARC__SPOOL_MODE, "mode"),
	LIB(DMARC__SPOOL_DISCOVERY_METHOD, "discovery_method"),
	LIB(DMARC__SPOOL_SOURCE_IP, "source_ip"),
	LIB(DMARC__SPOOL_HEADER_FROM, "header_from"),
	LIB(DMARC__SPOOL_ENVELOPE_FROM, "envelope_from"),
	LIB(DMARC__SPOOL_ENVELOPE_TO, "envelope_to"),
	LIB(DMARC__SPOOL_DISPOSITION, "disposition"),
	LIB(DMARC__SPOOL_DKIM_ALIGNED, "dkim_aligned"),
	LIB(DMARC__SPOOL_SPF_ALIGNED, "spf_aligned"),
	LIB(DMARC__SPOOL_REASON, "reason"),
	LIB(DMARC__SPOOL_SPF, "spf"),
	LIB(DMARC__SPOOL_DKIM, "dkim"),
	LIB(DMARC__SPOOL_ERROR, "error"),
};

static const struct dmarc__kw reporter_field_kw[] = {
	LIB(DMARC_REPORTER_ORG_NAME, "org-name"),
	LIB(DMARC_REPORTER_EMAIL, "email"),
	LIB(DMARC_REPORTER_EXTRA_CONTACT, "extra-contact"),
	LIB(DMARC_REPORTER_SUBMITTER, "submitter"),
	LIB(DMARC_REPORTER_GENERATOR, "generator"),
	LIB(DMARC_REPORTER_HOST_ID, "host-id"),
	LIB(DMARC_REPORTER_FROM, "from"),
};

static const struct dmarc__kw report_flag_kw[] = {
	LIB(DMARC_REPORT_GZIP, "gzip"),
	LIB(DMARC_REPORT_PRETTY, "pretty"),
};

static const struct dmarc__kw aggregate_count_kw[] = {
	LIB(DMARC_COUNT_ROWS, "rows"),
	LIB(DMARC_COUNT_MESSAGES, "messages"),
	LIB(DMARC_COUNT_DROPPED, "dropped"),
	LIB(DMARC_COUNT_REPORTS, "reports"),
	LIB(DMARC_COUNT_SPOOL_ROWS, "spool-rows"),
	LIB(DMARC_COUNT_SPOOL_TORN, "spool-torn"),
	LIB(DMARC_COUNT_SPOOL_BAD, "spool-bad"),
};

static const struct dmarc__kw spool_flag_kw[] = {
	LIB(DMARC_SPOOL_SYNC, "sync"),
	LIB(DMARC_SPOOL_FOLLOW, "follow"),
};

/* dmarc/reader.h */
static const struct dmarc__kw reader_event_kw[] = {
	LIB(DMARC_READER_NEED_INPUT, "need-input"),
	LIB(DMARC_READER_REPORT, "report"),
	LIB(DMARC_READER_ROW, "row"),
	LIB(DMARC_READER_REPORT_END, "report-end"),
	LIB(DMARC_READER_FAILURE_REPORT, "failure-report"),
	LIB(DMARC_READER_FAILED, "failed"),
	LIB(DMARC_READER_DONE, "done"),
};

static const struct dmarc__kw reader_failure_kw[] = {
	LIB(DMARC_READER_FAILURE_NONE, "none"),
	LIB(DMARC_READER_FAILURE_TRUNCATED, "truncated"),
	LIB(DMARC_READER_FAILURE_CORRUPT, "corrupt"),
	LIB(DMARC_READER_FAILURE_LIMIT, "limit"),
	LIB(DMARC_READER_FAILURE_DTD_FORBIDDEN, "dtd-forbidden"),
	LIB(DMARC_READER_FAILURE_INVALID_VALUE, "invalid-value"),
	LIB(DMARC_READER_FAILURE_NOT_A_REPORT, "not-a-report"),
	LIB(DMARC_READER_FAILURE_UNSUPPORTED, "unsupported"),
};

static const struct dmarc__kw reader_field_kw[] = {
	LIB(DMARC_FIELD_NONE, "none"),
	LIB(DMARC_FIELD_CONTAINERS, "containers"),
	LIB(DMARC_FIELD_PART_NAME, "part-name"),
	LIB(DMARC_FIELD_MESSAGE_INDEX, "message-index"),
	LIB(DMARC_FIELD_FAILURE_TEXT, "failure-text"),
	LIB(DMARC_FIELD_FORMAT, "format"),
	LIB(DMARC_FIELD_VERSION, "version"),
	LIB(DMARC_FIELD_ORG_NAME, "org-name"),
	LIB(DMARC_FIELD_EMAIL, "email"),
	LIB(DMARC_FIELD_EXTRA_CONTACT_INFO, "extra-contact-info"),
	LIB(DMARC_FIELD_REPORT_ID, "report-id"),
	LIB(DMARC_FIELD_BEGIN, "begin"),
	LIB(DMARC_FIELD_END, "end"),
	LIB(DMARC_FIELD_ERROR, "error"),
	LIB(DMARC_FIELD_GENERATOR, "generator"),
	LIB(DMARC_FIELD_POLICY_DOMAIN, "policy-domain"),
	LIB(DMARC_FIELD_DISCOVERY_METHOD, "discovery-method"),
	LIB(DMARC_FIELD_P, "p"),
	LIB(DMARC_FIELD_SP, "sp"),
	LIB(DMARC_FIELD_NP, "np"),
	LIB(DMARC_FIELD_PCT, "pct"),
	LIB(DMARC_FIELD_FO, "fo"),
	LIB(DMARC_FIELD_ADKIM, "adkim"),
	LIB(DMARC_FIELD_ASPF, "aspf"),
	LIB(DMARC_FIELD_TESTING, "testing"),
	LIB(DMARC_FIELD_RECORDS, "records"),
	LIB(DMARC_FIELD_MESSAGES, "messages"),
	LIB(DMARC_FIELD_SOURCE_IP, "source-ip"),
	LIB(DMARC_FIELD_COUNT, "count"),
	LIB(DMARC_FIELD_DISPOSITION, "disposition"),
	LIB(DMARC_FIELD_DKIM_ALIGNED, "dkim-aligned"),
	LIB(DMARC_FIELD_SPF_ALIGNED, "spf-aligned"),
	LIB(DMARC_FIELD_REASON_TYPE, "reason-type"),
	LIB(DMARC_FIELD_REASON_COMMENT, "reason-comment"),
	LIB(DMARC_FIELD_HEADER_FROM, "header-from"),
	LIB(DMARC_FIELD_ENVELOPE_FROM, "envelope-from"),
	LIB(DMARC_FIELD_ENVELOPE_TO, "envelope-to"),
	LIB(DMARC_FIELD_DKIM_DOMAIN, "dkim-domain"),
	LIB(DMARC_FIELD_DKIM_SELECTOR, "dkim-selector"),
	LIB(DMARC_FIELD_DKIM_RESULT, "dkim-result"),
	LIB(DMARC_FIELD_DKIM_HUMAN_RESULT, "dkim-human-result"),
	LIB(DMARC_FIELD_SPF_DOMAIN, "spf-domain"),
	LIB(DMARC_FIELD_SPF_SCOPE, "spf-scope"),
	LIB(DMARC_FIELD_SPF_RESULT, "spf-result"),
	LIB(DMARC_FIELD_SPF_HUMAN_RESULT, "spf-human-result"),
	LIB(DMARC_FIELD_FEEDBACK_TYPE, "feedback-type"),
	LIB(DMARC_FIELD_USER_AGENT, "user-agent"),
	LIB(DMARC_FIELD_ARF_VERSION, "arf-version"),
	LIB(DMARC_FIELD_AUTH_FAILURE, "auth-failure"),
	LIB(DMARC_FIELD_IDENTITY_ALIGNMENT, "identity-alignment"),
	LIB(DMARC_FIELD_DELIVERY_RESULT, "delivery-result"),
	LIB(DMARC_FIELD_AUTHENTICATION_RESULTS, "authentication-results"),
	LIB(DMARC_FIELD_SOURCE_PORT, "source-port"),
	LIB(DMARC_FIELD_REPORTED_DOMAIN, "reported-domain"),
	LIB(DMARC_FIELD_REPORTED_URI, "reported-uri"),
	LIB(DMARC_FIELD_ORIGINAL_MAIL_FROM, "original-mail-from"),
	LIB(DMARC_FIELD_ORIGINAL_RCPT_TO, "original-rcpt-to"),
	LIB(DMARC_FIELD_ORIGINAL_ENVELOPE_ID, "original-envelope-id"),
	LIB(DMARC_FIELD_ARRIVAL_DATE, "arrival-date"),
	LIB(DMARC_FIELD_REPORTING_MTA, "reporting-mta"),
	LIB(DMARC_FIELD_INCIDENTS, "incidents"),
	LIB(DMARC_FIELD_ARF_DKIM_DOMAIN, "arf-dkim-domain"),
	LIB(DMARC_FIELD_ARF_DKIM_IDENTITY, "arf-dkim-identity"),
	LIB(DMARC_FIELD_ARF_DKIM_SELECTOR, "arf-dkim-selector"),
	LIB(DMARC_FIELD_SPF_DNS, "spf-dns"),
	LIB(DMARC_FIELD_ORIGINAL_HEADERS, "original-headers"),
};

#define SET(id, table) [id] = { table, sizeof table / sizeof table[0] }

const struct dmarc__kw_list dmarc__kw_sets[DMARC__KW_SETS] = {
	SET(DMARC__KW_STATUS, status_kw),
	SET(DMARC__KW_FEATURE, feature_kw),
	SET(DMARC__KW_MODE, mode_kw),
	SET(DMARC__KW_PARSE_OPTION, parse_option_kw),
	SET(DMARC__KW_LIMIT, limit_kw),
	SET(DMARC__KW_RECORD_STATE, record_state_kw),
	SET(DMARC__KW_TAG, dmarc__tag_keywords),
	SET(DMARC__KW_POLICY, policy_kw),
	SET(DMARC__KW_ALIGNMENT, alignment_kw),
	SET(DMARC__KW_PSD, psd_kw),
	SET(DMARC__KW_FO, fo_kw),
	SET(DMARC__KW_RF, rf_kw),
	SET(DMARC__KW_URI_FLAG, uri_flag_kw),
	SET(DMARC__KW_SELECT, select_kw),
	SET(DMARC__KW_SEVERITY, severity_kw),
	SET(DMARC__KW_DIAG_CODE, diag_code_kw),
	SET(DMARC__KW_STEP, step_kw),
	SET(DMARC__KW_DISCOVERY_RESULT, discovery_result_kw),
	SET(DMARC__KW_SOURCE, source_kw),
	SET(DMARC__KW_METHOD, method_kw),
	SET(DMARC__KW_AUTHORIZATION, authorization_kw),
	SET(DMARC__KW_RESULT, result_kw),
	SET(DMARC__KW_VERDICT, verdict_kw),
	SET(DMARC__KW_SPF_SCOPE, spf_scope_kw),
	SET(DMARC__KW_ALIGNMENT_RESULT, alignment_result_kw),
	SET(DMARC__KW_DISPOSITION, disposition_kw),
	SET(DMARC__KW_REASON, reason_kw),
	SET(DMARC__KW_EVAL_OPTION, eval_option_kw),
	SET(DMARC__KW_AUTHRES_STATE, authres_state_kw),
	SET(DMARC__KW_RRTYPE, rrtype_kw),
	SET(DMARC__KW_DNS_OUTCOME, dns_outcome_kw),
	SET(DMARC__KW_PSL_SECTIONS, psl_sections_kw),
	SET(DMARC__KW_AUTHRES_STYLE, authres_style_kw),
	SET(DMARC__KW_TESTING, testing_kw),
	SET(DMARC__KW_SPOOL_FIELD, spool_field_kw),
	SET(DMARC__KW_REPORTER_FIELD, reporter_field_kw),
	SET(DMARC__KW_REPORT_FLAG, report_flag_kw),
	SET(DMARC__KW_AGGREGATE_COUNT, aggregate_count_kw),
	SET(DMARC__KW_SPOOL_FLAG, spool_flag_kw),
	SET(DMARC__KW_READER_EVENT, reader_event_kw),
	SET(DMARC__KW_READER_FAILURE, reader_failure_kw),
	SET(DMARC__KW_READER_FIELD, reader_field_kw),
};

/* The entry naming value (never an alias), or NULL. */
static const struct dmarc__kw *entry_of(enum dmarc__kw_set set, int value)
{
	const struct dmarc__kw_list *s = &dmarc__kw_sets[set];
	size_t i = (size_t)((unsigned int)value - (unsigned int)s->kw[0].value);

	if (i < s->n && s->kw[i].value == value) /* a dense enum */
		return &s->kw[i];
	for (i = 0; i < s->n; i++)
		if (s->kw[i].value == value && !(s->kw[i].flags & DMARC__KW_ALIAS))
			return &s->kw[i];
	return NULL;
}

const char *dmarc__keyword_name(enum dmarc__kw_set set, int value)
{
	const struct dmarc__kw *k = entry_of(set, value);

	return k != NULL ? k->name : NULL;
}

const char *dmarc__keyword_rfc(enum dmarc__kw_set set, int value)
{
	const struct dmarc__kw *k = entry_of(set, value);

	return k != NULL && !(k->flags & DMARC__KW_LOCAL) ? k->name : NULL;
}

bool dmarc__keyword_find(enum dmarc__kw_set set, const char *text,
    size_t len, int *value)
{
	return text != NULL &&
	    dmarc__keyword_lookup(set, text, len, 0, value) != DMARC__KW_NO_MATCH;
}

/* ---- the public functions: a name and a parser per enum ---- */

#define KEYWORD_FUNCTIONS(type, set)                                      \
	DMARC_EXPORT const char *type##_name(type value)                   \
	{                                                                  \
		return dmarc__keyword_name(set, (int)value);               \
	}                                                                  \
	DMARC_EXPORT dmarc_status type##_parse(const char *text, size_t len, \
	    type *out)                                                     \
	{                                                                  \
		int value;                                                 \
		if (out == NULL ||                                         \
		    !dmarc__keyword_find(set, text, len, &value))          \
			return DMARC_EINVAL;                               \
		*out = (type)value;                                        \
		return DMARC_OK;                                           \
	}

KEYWORD_FUNCTIONS(dmarc_status, DMARC__KW_STATUS)
KEYWORD_FUNCTIONS(dmarc_feature, DMARC__KW_FEATURE)
KEYWORD_FUNCTIONS(dmarc_mode, DMARC__KW_MODE)
KEYWORD_FUNCTIONS(dmarc_parse_option, DMARC__KW_PARSE_OPTION)
KEYWORD_FUNCTIONS(dmarc_limit, DMARC__KW_LIMIT)
KEYWORD_FUNCTIONS(dmarc_record_state, DMARC__KW_RECORD_STATE)
KEYWORD_FUNCTIONS(dmarc_tag, DMARC__KW_TAG)
KEYWORD_FUNCTIONS(dmarc_policy, DMARC__KW_POLICY)
KEYWORD_FUNCTIONS(dmarc_alignment, DMARC__KW_ALIGNMENT)
KEYWORD_FUNCTIONS(dmarc_psd, DMARC__KW_PSD)
KEYWORD_FUNCTIONS(dmarc_fo, DMARC__KW_FO)
KEYWORD_FUNCTIONS(dmarc_rf, DMARC__KW_RF)
KEYWORD_FUNCTIONS(dmarc_uri_flag, DMARC__KW_URI_FLAG)
KEYWORD_FUNCTIONS(dmarc_select, DMARC__KW_SELECT)
KEYWORD_FUNCTIONS(dmarc_severity, DMARC__KW_SEVERITY)
KEYWORD_FUNCTIONS(dmarc_diag_code, DMARC__KW_DIAG_CODE)
KEYWORD_FUNCTIONS(dmarc_step, DMARC__KW_STEP)
KEYWORD_FUNCTIONS(dmarc_discovery_result, DMARC__KW_DISCOVERY_RESULT)
KEYWORD_FUNCTIONS(dmarc_source, DMARC__KW_SOURCE)
KEYWORD_FUNCTIONS(dmarc_method, DMARC__KW_METHOD)
KEYWORD_FUNCTIONS(dmarc_authorization, DMARC__KW_AUTHORIZATION)
KEYWORD_FUNCTIONS(dmarc_result, DMARC__KW_RESULT)
KEYWORD_FUNCTIONS(dmarc_verdict, DMARC__KW_VERDICT)
KEYWORD_FUNCTIONS(dmarc_spf_scope, DMARC__KW_SPF_SCOPE)
KEYWORD_FUNCTIONS(dmarc_alignment_result, DMARC__KW_ALIGNMENT_RESULT)
KEYWORD_FUNCTIONS(dmarc_disposition, DMARC__KW_DISPOSITION)
KEYWORD_FUNCTIONS(dmarc_reason, DMARC__KW_REASON)
KEYWORD_FUNCTIONS(dmarc_eval_option, DMARC__KW_EVAL_OPTION)
KEYWORD_FUNCTIONS(dmarc_authres_state, DMARC__KW_AUTHRES_STATE)
KEYWORD_FUNCTIONS(dmarc_rrtype, DMARC__KW_RRTYPE)
KEYWORD_FUNCTIONS(dmarc_dns_outcome, DMARC__KW_DNS_OUTCOME)
KEYWORD_FUNCTIONS(dmarc_psl_sections, DMARC__KW_PSL_SECTIONS)
KEYWORD_FUNCTIONS(dmarc_authres_style, DMARC__KW_AUTHRES_STYLE)
KEYWORD_FUNCTIONS(dmarc_reporter_field, DMARC__KW_REPORTER_FIELD)
KEYWORD_FUNCTIONS(dmarc_report_flag, DMARC__KW_REPORT_FLAG)
KEYWORD_FUNCTIONS(dmarc_aggregate_count, DMARC__KW_AGGREGATE_COUNT)
KEYWORD_FUNCTIONS(dmarc_spool_flag, DMARC__KW_SPOOL_FLAG)
KEYWORD_FUNCTIONS(dmarc_reader_event, DMARC__KW_READER_EVENT)
KEYWORD_FUNCTIONS(dmarc_reader_failure, DMARC__KW_READER_FAILURE)
KEYWORD_FUNCTIONS(dmarc_reader_field, DMARC__KW_READER_FIELD)
