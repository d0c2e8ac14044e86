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

/* Case-folding keyword match; returns 1 + index in words, or 0. */
static unsigned int match_keyword(struct parse_state *st, size_t vs,
    size_t ve, const char *const *words, unsigned int n)
{
	const char *v = st->text + vs;
	size_t len = ve - vs, k;
	unsigned int i;
	bool upper = false;

	for (i = 0; i < n; i++) {
		const char *w = words[i];
		for (k = 0; k < len && w[k] != '\0'; k++) {
			unsigned char c = (unsigned char)v[k];
			upper |= dmarc__is_upper(c);
			if (dmarc__lower(c) != (unsigned char)w[k])
				break;
		}
		if (k == len && w[k] == '\0')
			break;
	}
	if (i == n)
		return 0;
	if (upper) {
		if (st->options & DMARC_PARSE_STRICT)
			return 0;
		dmarc__diag_add(st, DMARC_DIAG_CASE, DMARC_SEVERITY_WARNING,
		    vs, len);
	}
	return i + 1;
}

static bool parse_keyword(struct parse_state *st, size_t vs, size_t ve,
    const char *const *words, unsigned int n, uint8_t *out)
{
	unsigned int k = match_keyword(st, vs, ve, words, n);

	if (k == 0) {
		bad_value(st, vs, ve);
		return false;
	}
	*out = (uint8_t)k;
	return true;
}

static bool parse_policy(struct parse_state *st, size_t vs, size_t ve,
    uint8_t *out)
{
	static const char *const words[] = { "none", "quarantine", "reject" };

	if (parse_keyword(st, vs, ve, words, 3, out))
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
	st->pct = (uint8_t)n;
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
	st->ri = (uint32_t)n;
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
		while (s < e && dmarc__is_wsp((unsigned char)t[s]))
			s++;
		while (e > s && dmarc__is_wsp((unsigned char)t[e - 1]))
			e--;
		if (!item(st, s, e, arg))
			return false;
		if (next == ve)
			return true;
		s = next + 1;
	}
}

static bool fo_item(struct parse_state *st, size_t s, size_t e, void *arg)
{
	static const char *const words[] = { "0", "1", "d", "s" };
	unsigned int *bits = arg;
	unsigned int k = match_keyword(st, s, e, words, 4);
	unsigned int bit;

	if (k == 0)
		return false;
	bit = 1u << (k - 1);
	/* RFC 9989: each option at most once, 0 and 1 exclusive. */
	if (st->mode == DMARC_MODE_RFC9989 && (*bits & bit))
		return false;
	*bits |= bit;
	if (st->mode == DMARC_MODE_RFC9989 &&
	    (*bits & DMARC_FO_ALL_FAIL) && (*bits & DMARC_FO_ANY_FAIL))
		return false;
	return true;
}

static bool parse_fo(struct parse_state *st, size_t vs, size_t ve)
{
	unsigned int bits = 0;

	if (!for_each_colon_item(st, vs, ve, fo_item, &bits)) {
		bad_value(st, vs, ve);
		return false;
	}
	st->fo = (uint8_t)bits;
	return true;
}

/* rf keywords (RFC 5321 Ldh-str); only afrf is registered. */
static bool rf_item(struct parse_state *st, size_t s, size_t e, void *arg)
{
	static const char *const words[] = { "afrf" };
	const char *t = st->text;
	bool *afrf = arg;
	size_t i;

	if (s == e || !dmarc__is_alpha((unsigned char)t[s]) || t[e - 1] == '-')
		return false;
	for (i = s; i < e; i++)
		if (!dmarc__is_alpha((unsigned char)t[i]) &&
		    !dmarc__is_digit((unsigned char)t[i]) && t[i] != '-')
			return false;
	if (match_keyword(st, s, e, words, 1) != 0)
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
	st->rf = DMARC_RF_AFRF; /* the only format there is */
	return afrf;
}

bool dmarc__parse_value(struct parse_state *st, uint8_t id, size_t vs,
    size_t ve)
{
	static const char *const rors[] = { "r", "s" };
	static const char *const psd[] = { "u", "y", "n" };
	static const char *const yorn[] = { "n", "y" };
	uint8_t k;

	switch (id) {
	case DMARC_TAG_P: return parse_policy(st, vs, ve, &st->p);
	case DMARC_TAG_SP: return parse_policy(st, vs, ve, &st->sp);
	case DMARC_TAG_NP: return parse_policy(st, vs, ve, &st->np);
	case DMARC_TAG_ADKIM: return parse_keyword(st, vs, ve, rors, 2, &st->adkim);
	case DMARC_TAG_ASPF: return parse_keyword(st, vs, ve, rors, 2, &st->aspf);
	case DMARC_TAG_PSD: return parse_keyword(st, vs, ve, psd, 3, &st->psd);
	case DMARC_TAG_T:
		if (!parse_keyword(st, vs, ve, yorn, 2, &k))
			return false;
		st->testing = (uint8_t)(k - 1);
		return true;
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
