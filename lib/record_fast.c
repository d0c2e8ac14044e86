/*
 * libdmarc - the record parser's fast path.  Records written the usual
 * way ("v=DMARC1; p=reject; rua=mailto:d@example.com") are read in one
 * pass: lower-case known tags, '=' right after the name, values without
 * white space, plain mailto URIs, spaces only after ';'.  Anything else
 * makes it give up, and the general parser (lib/record_parse.c) reads the
 * record from the start.  Both leave the same state for every input the
 * fast path accepts; test/test-record-fast.c and the fuzz target
 * test/fuzz/fuzz-record-fast.c check that they do.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "record_int.h"
#include "uri_fast.h"

/* Where a value ends if it is one: a ';' or the end of the record. */
static const char *value_end(const char *p, const char *end)
{
	return p == end || *p == ';' ? p : NULL;
}

/* The text at p starts with word. */
static inline bool starts(const char *p, const char *end, const char *word,
    size_t n)
{
	return (size_t)(end - p) >= n && memcmp(p, word, n) == 0;
}

/* The value at p is word. */
static inline bool is_word(const char *p, const char *end, const char *word,
    size_t n)
{
	return starts(p, end, word, n) && value_end(p + n, end) != NULL;
}

/* p, sp and np: none, quarantine or reject. */
static const char *read_policy(const char *p, const char *end, uint8_t *out)
{
	if (is_word(p, end, "reject", 6)) {
		*out = DMARC_POLICY_REJECT;
		return p + 6;
	}
	if (is_word(p, end, "none", 4)) {
		*out = DMARC_POLICY_NONE;
		return p + 4;
	}
	if (is_word(p, end, "quarantine", 10)) {
		*out = DMARC_POLICY_QUARANTINE;
		return p + 10;
	}
	return NULL;
}

/* A one-letter keyword: its position in letters plus one goes to *out. */
static inline const char *read_letter(const char *p, const char *end,
    const char *letters, uint8_t *out)
{
	uint8_t i;

	if (p == end || value_end(p + 1, end) == NULL)
		return NULL;
	for (i = 0; letters[i] != '\0'; i++) {
		if (*p == letters[i]) {
			*out = (uint8_t)(i + 1u);
			return p + 1;
		}
	}
	return NULL;
}

/* fo: options 0, 1, d, s joined by ':'.  RFC 9989 allows each once and
 * not 0 with 1; the general parser says so, this one gives up. */
static const char *read_fo(struct parse_state *st, const char *p,
    const char *end)
{
	bool bis = st->mode == DMARC_MODE_RFC9989;
	unsigned int bits = 0, bit;

	for (;;) {
		switch (p < end ? *p : '\0') {
		case '0': bit = DMARC_FO_ALL_FAIL; break;
		case '1': bit = DMARC_FO_ANY_FAIL; break;
		case 'd': bit = DMARC_FO_DKIM; break;
		case 's': bit = DMARC_FO_SPF; break;
		default: return NULL;
		}
		if (bis && (bits & bit))
			return NULL;
		bits |= bit;
		if (++p == end || *p != ':')
			break;
		p++;
	}
	if (value_end(p, end) == NULL || (bis && (bits & DMARC_FO_ALL_FAIL) &&
	    (bits & DMARC_FO_ANY_FAIL)))
		return NULL;
	st->v.fo = (uint8_t)bits;
	return p;
}

/* 1 to max_digits digits, at most max. */
static const char *read_number(const char *p, const char *end,
    size_t max_digits, uint32_t max, uint32_t *out)
{
	const char *s = p;
	const char *stop = (size_t)(end - p) > max_digits ? p + max_digits : end;
	uint32_t n = 0, d;

	while (p < stop && (d = (uint32_t)((unsigned char)*p - '0')) < 10) {
		n = n * 10u + d;
		p++;
	}
	if (p == s || n > max || value_end(p, end) == NULL)
		return NULL;
	*out = n;
	return p;
}

/* pct (RFC 7489): 0 to 100 in up to three digits. */
static const char *read_pct(struct parse_state *st, const char *p,
    const char *end)
{
	uint32_t n;

	if ((p = read_number(p, end, 3, 100, &n)) != NULL)
		st->v.pct = (uint8_t)n;
	return p;
}

/* ri (RFC 7489): seconds; nine digits always fit in 32 bits, more go to
 * the general parser. */
static const char *read_ri(struct parse_state *st, const char *p,
    const char *end)
{
	return read_number(p, end, 9, UINT32_MAX, &st->v.ri);
}

/* A value this mode ignores: printable, no white space. */
static const char *skip_value(const char *p, const char *end)
{
	while (p < end && (dmarc__ctype[(unsigned char)*p] & DMARC_CT_VALUE))
		p++;
	return value_end(p, end);
}

/* The value of a tag the mode processes; NULL to give up. */
static const char *read_value(struct parse_state *st, uint8_t id,
    const char *p, const char *end)
{
	uint8_t k;

	switch (id) {
	case DMARC_TAG_P:
	case DMARC_TAG_SP:
	case DMARC_TAG_NP:
		p = read_policy(p, end, id == DMARC_TAG_P ? &st->v.p :
		    id == DMARC_TAG_SP ? &st->v.sp : &st->v.np);
		break;
	case DMARC_TAG_ADKIM: p = read_letter(p, end, "rs", &st->v.adkim); break;
	case DMARC_TAG_ASPF: p = read_letter(p, end, "rs", &st->v.aspf); break;
	case DMARC_TAG_PSD: p = read_letter(p, end, "uyn", &st->v.psd); break;
	case DMARC_TAG_T:
		if ((p = read_letter(p, end, "ny", &k)) != NULL)
			st->v.testing = (uint8_t)(k - 1u);
		break;
	case DMARC_TAG_FO: p = read_fo(st, p, end); break;
	case DMARC_TAG_PCT: p = read_pct(st, p, end); break;
	case DMARC_TAG_RI: p = read_ri(st, p, end); break;
	case DMARC_TAG_RF:
		p = is_word(p, end, "afrf", 4) ? p + 4 : NULL;
		break;
	case DMARC_TAG_RUA:
	case DMARC_TAG_RUF:
		p = uri_list_fast(st,
		    id == DMARC_TAG_RUA ? LIST_RUA : LIST_RUF, p, end);
		break;
	default:
		return NULL;
	}
	return p;
}

/* The tag whose lower-case name and '=' start the text at p, 0 for any
 * other text; *len gets the name's length. */
static uint8_t tag_at(const char *p, const char *end, size_t *len)
{
	*len = 1;
	switch (*p) {
	case 'p':
		if (starts(p + 1, end, "=", 1))
			return DMARC_TAG_P;
		*len = 3;
		if (starts(p + 1, end, "ct=", 3))
			return DMARC_TAG_PCT;
		return starts(p + 1, end, "sd=", 3) ? DMARC_TAG_PSD : 0;
	case 'r':
		*len = 3;
		if (starts(p + 1, end, "ua=", 3))
			return DMARC_TAG_RUA;
		if (starts(p + 1, end, "uf=", 3))
			return DMARC_TAG_RUF;
		*len = 2;
		if (starts(p + 1, end, "f=", 2))
			return DMARC_TAG_RF;
		return starts(p + 1, end, "i=", 2) ? DMARC_TAG_RI : 0;
	case 'a':
		*len = 5;
		if (starts(p + 1, end, "dkim=", 5))
			return DMARC_TAG_ADKIM;
		*len = 4;
		return starts(p + 1, end, "spf=", 4) ? DMARC_TAG_ASPF : 0;
	case 's':
		*len = 2;
		return starts(p + 1, end, "p=", 2) ? DMARC_TAG_SP : 0;
	case 'n':
		*len = 2;
		return starts(p + 1, end, "p=", 2) ? DMARC_TAG_NP : 0;
	case 'f':
		*len = 2;
		return starts(p + 1, end, "o=", 2) ? DMARC_TAG_FO : 0;
	case 't':
		return starts(p + 1, end, "=", 1) ? DMARC_TAG_T : 0;
	case 'v':
		return starts(p + 1, end, "=", 1) ? DMARC_TAG_V : 0;
	default:
		return 0;
	}
}

/* Past this many diagnostics the fast path gives up, so it never meets
 * the cap the general parser handles (DMARC_MAX_DIAGS). */
#define FAST_MAX_DIAGS 8u

/* The warning for a tag this mode ignores, as the general parser writes
 * it; false to give up. */
static bool warn_ignored(struct parse_state *st, uint8_t id, const char *name,
    size_t len)
{
	dmarc_diag *d;

	if (st->n_diags == FAST_MAX_DIAGS)
		return false;
	d = &st->diags[st->n_diags++];
	d->code = (uint8_t)dmarc__ignored_tag_code(st->mode);
	d->severity = DMARC_SEVERITY_WARNING;
	d->tag_id = id;
	d->offset = (uint32_t)(name - st->text);
	d->length = (uint32_t)len;
	d->tag = dmarc__tag_name(id);
	d->domain = "";
	return true;
}

/* One tag from p; returns where it ends or NULL.  A tag read goes into
 * *seen, unless it is one of refuse, which make the fast path give up.
 * (Here every tag read is also usable: seen and present are the same.) */
static const char *read_tag(struct parse_state *st, const char *p,
    const char *end, uint16_t *seen, uint16_t refuse)
{
	size_t len;
	uint8_t id = tag_at(p, end, &len);
	uint16_t bit = DMARC_TAG_BIT(id);

	if (st->ignored & bit)
		return warn_ignored(st, id, p, len) ?
		    skip_value(p + len + 1, end) : NULL;
	if (id == 0 || (refuse & bit))
		return NULL;
	*seen |= bit;
	if (id == DMARC_TAG_FO) {
		st->fo_off = (uint32_t)(p - st->text);
		st->fo_len = (uint32_t)len;
	}
	return read_value(st, id, p + len + 1, end);
}

bool dmarc__record_parse_fast(struct parse_state *st)
{
	const char *p = st->text, *end = p + st->len;
	/* RFC 7489 wants p first; the general parser says so */
	uint16_t late = st->mode == DMARC_MODE_RFC9989 ? 0 :
	    DMARC_TAG_BIT(DMARC_TAG_P);
	uint16_t seen = DMARC_TAG_BIT(DMARC_TAG_V), refuse = seen;
	const char *last2;

	if (st->len < 8 || st->len > st->ctx->max_record_length ||
	    memcmp(p, "v=DMARC1", 8) != 0)
		return false;
	last2 = end - 2;
	p += 8;
	if (p != end && *p != ';')
		return false;
	/* at a ';' (each value ends at one) or the end */
	for (; p != end; refuse = seen | late) {
		if (p < last2 && p[1] == ' ' && p[2] != ' ') {
			p += 2; /* the usual "; " */
		} else {
			do
				p++;
			while (p != end && *p == ' ');
			if (p == end)
				break;
		}
		if ((p = read_tag(st, p, end, &seen, refuse)) == NULL)
			return false;
	}
	st->seen = st->v.present = seen;
	dmarc__record_decide(st);
	return true;
}
