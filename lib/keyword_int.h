/*
 * libdmarc - the keyword table: every keyword of the protocols (record
 * tags and values, Authentication-Results and report keywords) and every
 * name of a public enum value, both ways.  Never installed.
 *
 * One set per public enum (and a few sets of protocol keywords that no
 * public enum carries).  Each name is either an RFC keyword, which the
 * protocol parsers and writers use, or a library name ("pending",
 * "unspecified", "rfc7489-psd") that only the public name and parse
 * functions give and take.  Aliases are taken by dmarc__keyword_find()
 * but never given.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_KEYWORD_INT_H
#define DMARC_KEYWORD_INT_H

#include <stdbool.h>
#include <stddef.h>

enum dmarc__kw_set {
	/* one per public enum, named after it */
	DMARC__KW_STATUS,
	DMARC__KW_FEATURE,
	DMARC__KW_MODE,
	DMARC__KW_PARSE_OPTION,
	DMARC__KW_LIMIT,
	DMARC__KW_RECORD_STATE,
	DMARC__KW_TAG,
	DMARC__KW_POLICY,
	DMARC__KW_ALIGNMENT,
	DMARC__KW_PSD,
	DMARC__KW_FO,
	DMARC__KW_RF,
	DMARC__KW_URI_FLAG,
	DMARC__KW_SELECT,
	DMARC__KW_SEVERITY,
	DMARC__KW_DIAG_CODE,
	DMARC__KW_STEP,
	DMARC__KW_DISCOVERY_RESULT,
	DMARC__KW_SOURCE,
	DMARC__KW_METHOD,
	DMARC__KW_AUTHORIZATION,
	DMARC__KW_RESULT,
	DMARC__KW_VERDICT,
	DMARC__KW_SPF_SCOPE,
	DMARC__KW_ALIGNMENT_RESULT,
	DMARC__KW_DISPOSITION,
	DMARC__KW_REASON,
	DMARC__KW_EVAL_OPTION,
	DMARC__KW_AUTHRES_STATE,
	DMARC__KW_RRTYPE,
	DMARC__KW_DNS_OUTCOME,
	DMARC__KW_PSL_SECTIONS,
	/* protocol keywords without a public enum */
	DMARC__KW_TESTING, /* t=n 0, t=y 1 (record; report "testing") */
	DMARC__KW_SETS
};

/* How dmarc__keyword_match() found the text. */
enum dmarc__kw_match {
	DMARC__KW_NO_MATCH = 0,
	DMARC__KW_EXACT = 1,
	DMARC__KW_FOLDED = 2 /* equal but for the case of letters */
};

/* The name of value in set (an RFC keyword or a library name); NULL when
 * the value has none. */
const char *dmarc__keyword_name(enum dmarc__kw_set set, int value);

/* The same, but only an RFC keyword: NULL for library names, for what
 * protocol text is written with. */
const char *dmarc__keyword_rfc(enum dmarc__kw_set set, int value);

/* The value whose name or alias is text[0, len), ASCII letters compared
 * case-insensitively, nothing trimmed: the public parse functions. */
bool dmarc__keyword_find(enum dmarc__kw_set set, const char *text,
    size_t len, int *value);

/* The value whose RFC keyword is text[0, len) (no library names, no
 * aliases), for protocol parsers: DMARC__KW_FOLDED when only the case of
 * letters differs, so the caller can warn or refuse. */
enum dmarc__kw_match dmarc__keyword_match(enum dmarc__kw_set set,
    const char *text, size_t len, int *value);

/* Lower-case name of a dmarc_tag for diagnostics; "" for no tag. */
static inline const char *dmarc__tag_name(unsigned int tag)
{
	const char *name = tag != 0 ?
	    dmarc__keyword_rfc(DMARC__KW_TAG, (int)tag) : NULL;

	return name != NULL ? name : "";
}

#endif /* DMARC_KEYWORD_INT_H */
