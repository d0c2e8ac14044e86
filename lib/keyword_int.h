/*
 * libdmarc - the keyword table: every keyword of the protocols (record
 * tags and values, Authentication-Results and report keywords) and every
 * name of a public enum value, both ways.  Never installed.
 *
 * One set per public enum, and sets of protocol keywords no public enum
 * carries (t=y/n).  Each name is either an RFC keyword, which protocol
 * parsers (dmarc__keyword_match) and writers (dmarc__keyword_rfc) use, or
 * a library name ("pending", "unspecified", "rfc7489-psd") that only the
 * public name and parse functions give and take.  Aliases ("mailfrom" for
 * the SPF scope mfrom) are taken by dmarc__keyword_find() but never given.
 * A value appended to a public enum needs its name in lib/keyword.c.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_KEYWORD_INT_H
#define DMARC_KEYWORD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dmarc/dmarc.h>

#include "internal.h"

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
	DMARC__KW_AUTHRES_STYLE,
	/* protocol keywords without a public enum */
	DMARC__KW_TESTING, /* t=n 0, t=y 1 (record; report "testing") */
	DMARC__KW_SPOOL_FIELD, /* enum dmarc__spool_field */
	DMARC__KW_REPORTER_FIELD,
	DMARC__KW_REPORT_FLAG,
	DMARC__KW_AGGREGATE_COUNT,
	DMARC__KW_SPOOL_FLAG,
	DMARC__KW_READER_EVENT,
	DMARC__KW_READER_FAILURE,
	DMARC__KW_READER_FIELD,
	DMARC__KW_SETS
};

/* The fields of a spool line (lib/report/spool_codec.c, libdmarc-spool(5))
 * other than the policy's, which are named by the record tags (p, sp,
 * np, adkim, aspf, pct, fo, psd, t).  Append-only: lines already written
 * use these names. */
enum dmarc__spool_field {
	DMARC__SPOOL_TIME = 1,
	DMARC__SPOOL_COUNT = 2,
	DMARC__SPOOL_DOMAIN = 3,
	DMARC__SPOOL_MODE = 4,
	DMARC__SPOOL_DISCOVERY_METHOD = 5,
	DMARC__SPOOL_SOURCE_IP = 6,
	DMARC__SPOOL_HEADER_FROM = 7,
	DMARC__SPOOL_ENVELOPE_FROM = 8,
	DMARC__SPOOL_ENVELOPE_TO = 9,
	DMARC__SPOOL_DISPOSITION = 10,
	DMARC__SPOOL_DKIM_ALIGNED = 11,
	DMARC__SPOOL_SPF_ALIGNED = 12,
	DMARC__SPOOL_REASON = 13,
	DMARC__SPOOL_SPF = 14,
	DMARC__SPOOL_DKIM = 15,
	DMARC__SPOOL_ERROR = 16
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

/* One entry of a set. */
struct dmarc__kw {
	const char *name;
	uint8_t len;
	uint8_t flags; /* DMARC__KW_LOCAL, DMARC__KW_ALIAS */
	int16_t value;
};

enum {
	DMARC__KW_LOCAL = 1, /* a library name, not an RFC keyword */
	DMARC__KW_ALIAS = 2  /* parsed, never given */
};

struct dmarc__kw_list {
	const struct dmarc__kw *kw;
	size_t n;
};

/* Every set, in lib/keyword.c: its entries in ascending order of value,
 * aliases last. */
extern const struct dmarc__kw_list dmarc__kw_sets[DMARC__KW_SETS];

/* Compare text with a keyword of n bytes: only letters fold (a letter
 * and the same letter in the other case differ in bit 0x20 alone). */
static inline enum dmarc__kw_match dmarc__keyword_compare(const char *text,
    const char *word, size_t n)
{
	enum dmarc__kw_match result = DMARC__KW_EXACT;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == (unsigned char)word[i])
			continue;
		if ((c ^ (unsigned char)word[i]) != 0x20u || !dmarc__is_alpha(c))
			return DMARC__KW_NO_MATCH;
		result = DMARC__KW_FOLDED;
	}
	return result;
}

/* The first entry of set, without the flags in skip, that text matches
 * (no keyword is empty, so neither is a match).  Inline: the record
 * parser reads every keyword value with it. */
static inline enum dmarc__kw_match dmarc__keyword_lookup(
    enum dmarc__kw_set set, const char *text, size_t len, unsigned int skip,
    int *value)
{
	const struct dmarc__kw *k = dmarc__kw_sets[set].kw;
	const struct dmarc__kw *end = k + dmarc__kw_sets[set].n;
	enum dmarc__kw_match m;

	for (; k != end; k++) {
		if (k->len != len ||
		    (m = dmarc__keyword_compare(text, k->name, len)) ==
		    DMARC__KW_NO_MATCH || (k->flags & skip))
			continue;
		*value = k->value;
		return m;
	}
	return DMARC__KW_NO_MATCH;
}

/* The value whose RFC keyword is text[0, len) (no library names, no
 * aliases), for protocol parsers: DMARC__KW_FOLDED when only the case of
 * letters differs, so the caller can warn or refuse. */
static inline enum dmarc__kw_match dmarc__keyword_match(
    enum dmarc__kw_set set, const char *text, size_t len, int *value)
{
	return dmarc__keyword_lookup(set, text, len,
	    DMARC__KW_LOCAL | DMARC__KW_ALIAS, value);
}

/* The set of dmarc_tag, indexed by value (the record parsers name the
 * tag of every diagnostic with it). */
extern const struct dmarc__kw dmarc__tag_keywords[DMARC_TAG_T + 1];

/* Lower-case name of a known dmarc_tag, for diagnostics and records;
 * "none" for DMARC_TAG_NONE and any other value. */
static inline const char *dmarc__tag_name(unsigned int tag)
{
	return dmarc__tag_keywords[tag <= DMARC_TAG_T ? tag : 0].name;
}

#endif /* DMARC_KEYWORD_INT_H */
