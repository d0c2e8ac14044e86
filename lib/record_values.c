/*
 * libdmarc - values of the known record tags: keywords (p, sp, np, adkim,
 * aspf, psd, t), numbers (pct, ri) and colon lists (fo, rf).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include "record_values.h"

static void bad_value(struct parse_state *st, size_t vs, size_t ve)
{
	dmarc__diag_add(st, DMARC_DIAG_BAD_VALUE, DMARC_SEVERITY_ERROR, vs,
	    ve - vs);
}

/* The value of the RFC keyword [vs, ve) of set, or -1.  Upper case is a
 * warning, or no match when strict. */
static inline int match_keyword(struct parse_state *st, size_t vs, size_t ve,
    enum dmarc__kw_set set)
{
	int value;

	switch (dmarc__keyword_match(set, st->text + vs, ve - vs, &value)) {
	case DMARC__KW_EXACT:
		return value;
	case DMARC__KW_FOLDED:
		if (st->options & DMARC_PARSE_STRICT)
			return -1;
		dmarc__diag_add(st, DMARC_DIAG_CASE, DMARC_SEVERITY_WARNING,
		    vs, ve - vs);
		return value;
	default:
		return -1;
	}
}

static inline bool parse_keyword(struct parse_state *st, size_t vs, size_t ve,
    enum dmarc__kw_set set, uint8_t *out)
{
	int k = match_keyword(st, vs, ve, set);

	if (k < 0) {
		bad_value(st, vs, ve);
		return false;
	}
	*out = (uint8_t)k;
	return true;
}

static bool parse_policy(struct parse_state *st, size_t vs, size_t ve,
    uint8_t *out)
{
	if (parse_keyword(st, vs, ve, DMARC__KW_POLICY, out))
		return true;
	st->policy_bad = true;
	return false;
}

/* 1*DIGIT up to max; false on anything else. */
static bool parse_number(const char *v, size_t len, size_t max_digits,
    uint64_t max, uint64_t *out)
{
	uint64_t n = 0;
	size_t i;

	if (len == 0 || len > max_digits)
		return false;
	for (i = 0; i < len; i++) {
		if (!dmarc__is_digit((unsigned char)v[i]))
			return false;
		n = n * 10u + (uint64_t)(v[i] - '0');
	}
	if (n > max)
		return false;
	*out = n;
	return true;
}

static bool parse_pct(struct parse_state *st, size_t vs, size_t ve)
{
	uint64_t n;

	if (!parse_number(st->text + vs, ve - vs, 3, 100, &n)) {
		bad_value(st, vs, ve);
		return false;
	}
	st->v.pct = (uint8_t)n;
	return true;
}

static bool parse_ri(struct parse_state *st, size_t vs, size_t ve)
{
	const char *v = st->text + vs;
	size_t len = ve - vs;
	uint64_t n;

	while (len > 1 && *v == '0') { /* leading zeros do not count */
		v++;
		len--;
	}
	if (!parse_number(v, len, 10, UINT32_MAX, &n)) {
		bad_value(st, vs, ve);
		return false;
	}
	st->v.ri = (uint32_t)n;
	return true;
}

/* Split [vs, ve) on ':' with optional WSP around it; calls item() for
 * each element and stops at the first false. */
static bool for_each_colon_item(struct parse_state *st, size_t vs, size_t ve,
    bool (*item)(struct parse_state *, size_t, size_t, void *), void *arg)
{
	const char *t = st->text;
	size_t s = vs;

	for (;;) {
		size_t e = s, next;
		while (e < ve && t[e] != ':')
			e++;
		next = e;
		s = dmarc__skip_space(st, s, e);
		e = dmarc__trim_space(st, s, e);
		if (!item(st, s, e, arg))
			return false;
		if (next == ve)
			return true;
		s = next + 1;
	}
}

/* fo bit for one option character, 0 if it is none; *upper is set for
 * an upper-case letter. */
static unsigned int fo_bit(const char *c, bool *upper)
{
	int bit;

	switch (dmarc__keyword_match(DMARC__KW_FO, c, 1, &bit)) {
	case DMARC__KW_FOLDED:
		*upper = true;
		return (unsigned int)bit;
	case DMARC__KW_EXACT:
		return (unsigned int)bit;
	default:
		return 0;
	}
}

/* Options separated by ':'.  RFC 7489 6.4 allows WSP around ':', RFC
 * 9989 4.8 does not, and allows each option at most once and not 0 with
 * 1. */
static bool read_fo(struct parse_state *st, size_t vs, size_t ve,
    unsigned int *out, bool *upper)
{
	const char *t = st->text;
	bool bis = st->mode == DMARC_MODE_RFC9989;
	unsigned int bits = 0, bit;
	size_t i = vs;

	for (;;) {
		if (!bis)
			i = dmarc__skip_space(st, i, ve);
		if (i == ve || (bit = fo_bit(t + i, upper)) == 0)
			return false;
		if (bis && (bits & bit) != 0)
			return false;
		bits |= bit;
		i = bis ? i + 1 : dmarc__skip_space(st, i + 1, ve);
		if (i == ve)
			break;
		if (t[i++] != ':')
			return false;
	}
	if (bis && (bits & DMARC_FO_ALL_FAIL) && (bits & DMARC_FO_ANY_FAIL))
		return false;
	*out = bits;
	return true;
}

static bool parse_fo(struct parse_state *st, size_t vs, size_t ve)
{
	unsigned int bits = 0;
	bool upper = false;

	if (!read_fo(st, vs, ve, &bits, &upper) ||
	    (upper && (st->options & DMARC_PARSE_STRICT))) {
		bad_value(st, vs, ve);
		return false;
	}
	if (upper)
		dmarc__diag_add(st, DMARC_DIAG_CASE, DMARC_SEVERITY_WARNING,
		    vs, ve - vs);
	st->v.fo = (uint8_t)bits;
	return true;
}

/* rf keywords (RFC 5321 Ldh-str); only afrf is registered. */
static bool rf_item(struct parse_state *st, size_t s, size_t e, void *arg)
{
	const char *t = st->text;
	bool *afrf = arg;
	size_t i;

	if (s == e || !dmarc__is_alpha((unsigned char)t[s]) || t[e - 1] == '-')
		return false;
	for (i = s; i < e; i++)
		if (!dmarc__is_alpha((unsigned char)t[i]) &&
		    !dmarc__is_digit((unsigned char)t[i]) && t[i] != '-')
			return false;
	if (match_keyword(st, s, e, DMARC__KW_RF) >= 0)
		*afrf = true;
	else
		dmarc__diag_add(st, DMARC_DIAG_BAD_VALUE,
		    DMARC_SEVERITY_WARNING, s, e - s);
	return true;
}

static bool parse_rf(struct parse_state *st, size_t vs, size_t ve)
{
	bool afrf = false;

	if (!for_each_colon_item(st, vs, ve, rf_item, &afrf)) {
		bad_value(st, vs, ve);
		return false;
	}
	st->v.rf = DMARC_RF_AFRF; /* the only format there is */
	return afrf;
}

bool dmarc__parse_value(struct parse_state *st, uint8_t id, size_t vs,
    size_t ve)
{
	switch (id) {
	case DMARC_TAG_P: return parse_policy(st, vs, ve, &st->v.p);
	case DMARC_TAG_SP: return parse_policy(st, vs, ve, &st->v.sp);
	case DMARC_TAG_NP: return parse_policy(st, vs, ve, &st->v.np);
	case DMARC_TAG_ADKIM:
		return parse_keyword(st, vs, ve, DMARC__KW_ALIGNMENT,
		    &st->v.adkim);
	case DMARC_TAG_ASPF:
		return parse_keyword(st, vs, ve, DMARC__KW_ALIGNMENT,
		    &st->v.aspf);
	case DMARC_TAG_PSD:
		return parse_keyword(st, vs, ve, DMARC__KW_PSD, &st->v.psd);
	case DMARC_TAG_T:
		return parse_keyword(st, vs, ve, DMARC__KW_TESTING,
		    &st->v.testing);
	case DMARC_TAG_PCT: return parse_pct(st, vs, ve);
	case DMARC_TAG_RI: return parse_ri(st, vs, ve);
	case DMARC_TAG_FO: return parse_fo(st, vs, ve);
	case DMARC_TAG_RF: return parse_rf(st, vs, ve);
	case DMARC_TAG_RUA:
		return dmarc__parse_uri_list(st, LIST_RUA, vs, ve);
	case DMARC_TAG_RUF:
		return dmarc__parse_uri_list(st, LIST_RUF, vs, ve);
	default:
		return false;
	}
}
