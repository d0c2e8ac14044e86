/*
 * libdmarc - the spool line codec, reading side: one line (format:
 * lib/report/spool_codec.h, libdmarc-spool(5)) into a report row, every
 * value checked, and for a line that is not one, the status and the byte
 * offset where it broke.  Every read is bounded by the line's length.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "../internal.h"
#include "spool_codec.h"
#include "spool_text.h"

/* Field ids: enum dmarc__spool_field, and the policy's record tags above
 * TAG_BASE; 0 for a key this version does not know. */
#define TAG_BASE 32u
#define TAG_ID(tag) (TAG_BASE + (unsigned int)(tag))
#define BIT(id) ((uint64_t)1 << (id))

/* Fields a line of version 1 always has. */
static const uint64_t REQUIRED = BIT(DMARC__SPOOL_TIME) |
    BIT(DMARC__SPOOL_COUNT) | BIT(DMARC__SPOOL_DOMAIN) |
    BIT(DMARC__SPOOL_MODE) | BIT(DMARC__SPOOL_DISCOVERY_METHOD) |
    BIT(DMARC__SPOOL_HEADER_FROM) | BIT(DMARC__SPOOL_DISPOSITION) |
    BIT(DMARC__SPOOL_DKIM_ALIGNED) | BIT(DMARC__SPOOL_SPF_ALIGNED) |
    BIT(TAG_ID(DMARC_TAG_P)) | BIT(TAG_ID(DMARC_TAG_SP)) |
    BIT(TAG_ID(DMARC_TAG_NP)) | BIT(TAG_ID(DMARC_TAG_ADKIM)) |
    BIT(TAG_ID(DMARC_TAG_ASPF)) | BIT(TAG_ID(DMARC_TAG_FO)) |
    BIT(TAG_ID(DMARC_TAG_PCT)) | BIT(TAG_ID(DMARC_TAG_T)) |
    BIT(TAG_ID(DMARC_TAG_PSD));

/* The most parts a list value has (dkim=d,s,result,human). */
#define MAX_PARTS 4u

struct decoder {
	struct report_row *row;
	const char *line;
	size_t len;
	size_t field_at;  /* where the field being read starts */
	size_t err_at;    /* where the line broke */
	uint64_t seen;    /* BIT(id) of the fields read */
	char text[DMARC__SPOOL_LINE_MAX + 1]; /* a value or part, decoded */
	size_t text_len;
};

static dmarc_status fail(struct decoder *d, dmarc_status st, size_t at)
{
	d->err_at = at;
	return st;
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = dmarc__lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The syntax of a value [s, e): raw bytes and %XX escapes. */
static dmarc_status check_value(struct decoder *d, size_t s, size_t e)
{
	const unsigned char *t = (const unsigned char *)d->line;
	size_t i;

	for (i = s; i < e; i++) {
		if (t[i] == '%') {
			if (e - i < 3 || hex_value(t[i + 1]) < 0 ||
			    hex_value(t[i + 2]) < 0)
				return fail(d, DMARC_EINVAL, i);
			i += 2;
		} else if (!spool_raw_value(t[i])) {
			return fail(d, DMARC_EINVAL, i);
		}
	}
	return DMARC_OK;
}

/* [s, e), already checked, with its escapes decoded into d->text. */
static void decode_text(struct decoder *d, size_t s, size_t e)
{
	const unsigned char *t = (const unsigned char *)d->line;
	size_t n = 0, i;

	for (i = s; i < e; i++) {
		if (t[i] == '%') {
			d->text[n++] = (char)(hex_value(t[i + 1]) << 4 |
			    hex_value(t[i + 2]));
			i += 2;
		} else {
			d->text[n++] = (char)t[i];
		}
	}
	d->text[n] = '\0';
	d->text_len = n;
}

/* Split [s, e) on raw ',' into at least min and at most max parts. */
static dmarc_status split_parts(struct decoder *d, size_t s, size_t e,
    size_t min, size_t max, size_t cut[MAX_PARTS + 1], size_t *n)
{
	size_t i;

	*n = 0;
	cut[0] = s;
	for (i = s; i < e; i++) {
		if (d->line[i] != ',')
			continue;
		if (++*n == max)
			return fail(d, DMARC_EINVAL, i);
		cut[*n] = i + 1;
	}
	if (++*n < min)
		return fail(d, DMARC_EINVAL, e);
	cut[*n] = e + 1; /* part k is [cut[k], cut[k + 1] - 1) */
	return DMARC_OK;
}

/* Decimal, no sign, no leading zero, from min up to UINT64_MAX. */
static dmarc_status number(struct decoder *d, size_t s, size_t e,
    uint64_t min, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	decode_text(d, s, e);
	if (d->text_len == 0 || (d->text[0] == '0' && d->text_len > 1))
		return fail(d, DMARC_EINVAL, s);
	for (i = 0; i < d->text_len; i++) {
		unsigned int digit = (unsigned int)(d->text[i] - '0');
		if (!dmarc__is_digit((unsigned char)d->text[i]))
			return fail(d, DMARC_EINVAL, s);
		if (v > (UINT64_MAX - digit) / 10u)
			return fail(d, DMARC_ERANGE, s);
		v = v * 10u + digit;
	}
	if (v < min)
		return fail(d, DMARC_ERANGE, s);
	*out = v;
	return DMARC_OK;
}

/* A keyword of set, exactly as written (skip: entry flags not taken). */
static dmarc_status keyword(struct decoder *d, size_t s, size_t e,
    enum dmarc__kw_set set, unsigned int skip, uint8_t *out)
{
	int v;

	decode_text(d, s, e);
	if (dmarc__keyword_lookup(set, d->text, d->text_len, skip, &v) !=
	    DMARC__KW_EXACT)
		return fail(d, DMARC_EINVAL, s);
	*out = (uint8_t)v;
	return DMARC_OK;
}

#define RFC_ONLY (DMARC__KW_LOCAL | DMARC__KW_ALIAS)

static dmarc_status pass_fail(struct decoder *d, size_t s, size_t e,
    bool *pass)
{
	uint8_t v;

	if (keyword(d, s, e, DMARC__KW_VERDICT, RFC_ONLY, &v) != DMARC_OK ||
	    (v != DMARC_VERDICT_PASS && v != DMARC_VERDICT_FAIL))
		return fail(d, DMARC_EINVAL, s);
	*pass = v == DMARC_VERDICT_PASS;
	return DMARC_OK;
}

/* A domain name, normalized again; "" only when empty_ok. */
static dmarc_status domain(struct decoder *d, size_t s, size_t e,
    char dst[DMARC_DOMAIN_SIZE], bool empty_ok)
{
	decode_text(d, s, e);
	if (d->text_len == 0 && empty_ok) {
		dst[0] = '\0';
		return DMARC_OK;
	}
	if (dmarc_domain_normalize(d->text, d->text_len, dst,
	    DMARC_DOMAIN_SIZE, NULL) != DMARC_OK)
		return fail(d, DMARC_EINVAL, s);
	return DMARC_OK;
}

/* Printable text under size bytes with its NUL (comments, human
 * results); no space at all when a selector. */
static dmarc_status text(struct decoder *d, size_t s, size_t e, char *dst,
    size_t size, bool selector)
{
	decode_text(d, s, e);
	if (d->text_len >= size)
		return fail(d, DMARC_ERANGE, s);
	if (selector ? !spool_selector_ok(d->text, d->text_len) :
	    !spool_printable(d->text, d->text_len))
		return fail(d, DMARC_EINVAL, s);
	memcpy(dst, d->text, d->text_len + 1);
	return DMARC_OK;
}

static dmarc_status source_ip(struct decoder *d, size_t s, size_t e)
{
	decode_text(d, s, e);
	if (!dmarc__row_ip_parse(&d->row->ip, d->text, d->text_len))
		return fail(d, DMARC_EINVAL, s);
	return DMARC_OK;
}

/* fo=0:1:d:s: each option once. */
static dmarc_status fo(struct decoder *d, size_t s, size_t e)
{
	unsigned int bits = 0;
	size_t i = 0, j;
	int bit;

	decode_text(d, s, e);
	for (;;) {
		for (j = i; j < d->text_len && d->text[j] != ':'; j++)
			continue;
		if (dmarc__keyword_match(DMARC__KW_FO, d->text + i, j - i,
		    &bit) != DMARC__KW_EXACT || (bits & (unsigned int)bit))
			return fail(d, DMARC_EINVAL, s);
		bits |= (unsigned int)bit;
		if (j == d->text_len)
			break;
		i = j + 1;
	}
	d->row->policy.fo = (uint8_t)bits;
	return DMARC_OK;
}

static dmarc_status pct(struct decoder *d, size_t s, size_t e)
{
	uint64_t v;
	dmarc_status st = number(d, s, e, 0, &v);

	if (st != DMARC_OK)
		return st;
	if (v > 100)
		return fail(d, DMARC_ERANGE, s);
	d->row->policy.pct = (uint8_t)v;
	return DMARC_OK;
}

/* ri=<seconds>: 32 bits, like the record's (optional: 86400). */
static dmarc_status ri(struct decoder *d, size_t s, size_t e)
{
	uint64_t v;
	dmarc_status st = number(d, s, e, 0, &v);

	if (st != DMARC_OK)
		return st;
	if (v > UINT32_MAX)
		return fail(d, DMARC_ERANGE, s);
	d->row->policy.ri = (uint32_t)v;
	return DMARC_OK;
}

/* error=<text>, at most REPORT_ROW_MAX_ERRORS times. */
static dmarc_status error_text(struct decoder *d, size_t s, size_t e)
{
	struct report_row *row = d->row;
	dmarc_status st;

	if (row->n_errors == REPORT_ROW_MAX_ERRORS)
		return fail(d, DMARC_ERANGE, d->field_at);
	st = text(d, s, e, row->errors[row->n_errors],
	    sizeof row->errors[0], false);
	if (st == DMARC_OK)
		row->n_errors++;
	return st;
}

/* reason=type[,comment] */
static dmarc_status reason(struct decoder *d, size_t s, size_t e)
{
	struct report_row *row = d->row;
	struct report_reason *r;
	size_t cut[MAX_PARTS + 1], n;
	dmarc_status st;

	if (row->n_reasons == REPORT_ROW_MAX_REASONS)
		return fail(d, DMARC_ERANGE, d->field_at);
	if ((st = split_parts(d, s, e, 1, 2, cut, &n)) != DMARC_OK)
		return st;
	r = &row->reasons[row->n_reasons];
	if ((st = keyword(d, cut[0], cut[1] - 1, DMARC__KW_REASON, RFC_ONLY,
	    &r->type)) != DMARC_OK)
		return st;
	r->has_comment = n == 2;
	r->comment[0] = '\0';
	if (n == 2 && (st = text(d, cut[1], cut[2] - 1, r->comment,
	    sizeof r->comment, false)) != DMARC_OK)
		return st;
	row->n_reasons++;
	return DMARC_OK;
}

/* spf=domain,scope,result */
static dmarc_status spf(struct decoder *d, size_t s, size_t e)
{
	struct report_spf *f = &d->row->spf;
	size_t cut[MAX_PARTS + 1], n;
	dmarc_status st;

	if ((st = split_parts(d, s, e, 3, 3, cut, &n)) != DMARC_OK ||
	    (st = domain(d, cut[0], cut[1] - 1, f->domain, true)) !=
	    DMARC_OK ||
	    (st = keyword(d, cut[1], cut[2] - 1, DMARC__KW_SPF_SCOPE, RFC_ONLY,
	    &f->scope)) != DMARC_OK)
		return st;
	if ((st = keyword(d, cut[2], cut[3] - 1, DMARC__KW_VERDICT, RFC_ONLY,
	    &f->result)) != DMARC_OK)
		return st;
	d->row->has_spf = true;
	return DMARC_OK;
}

/* dkim=domain,selector,result[,human] */
static dmarc_status dkim(struct decoder *d, size_t s, size_t e)
{
	struct report_row *row = d->row;
	struct report_dkim *k;
	size_t cut[MAX_PARTS + 1], n;
	dmarc_status st;

	if (row->n_dkim == REPORT_ROW_MAX_DKIM)
		return fail(d, DMARC_ERANGE, d->field_at);
	if ((st = split_parts(d, s, e, 3, 4, cut, &n)) != DMARC_OK)
		return st;
	k = &row->dkim[row->n_dkim];
	k->human[0] = '\0';
	if ((st = domain(d, cut[0], cut[1] - 1, k->domain, true)) != DMARC_OK ||
	    (st = text(d, cut[1], cut[2] - 1, k->selector,
	    sizeof k->selector, true)) != DMARC_OK ||
	    (st = keyword(d, cut[2], cut[3] - 1, DMARC__KW_VERDICT, RFC_ONLY,
	    &k->result)) != DMARC_OK)
		return st;
	if (n == 4 && (st = text(d, cut[3], cut[4] - 1, k->human,
	    sizeof k->human, false)) != DMARC_OK)
		return st;
	row->n_dkim++;
	return DMARC_OK;
}

static dmarc_status policy_field(struct decoder *d, unsigned int tag,
    size_t s, size_t e)
{
	struct report_policy *p = &d->row->policy;

	switch (tag) {
	case DMARC_TAG_P:
		return keyword(d, s, e, DMARC__KW_POLICY, RFC_ONLY, &p->p);
	case DMARC_TAG_SP:
		return keyword(d, s, e, DMARC__KW_POLICY, RFC_ONLY, &p->sp);
	case DMARC_TAG_NP:
		return keyword(d, s, e, DMARC__KW_POLICY, RFC_ONLY, &p->np);
	case DMARC_TAG_ADKIM:
		return keyword(d, s, e, DMARC__KW_ALIGNMENT, RFC_ONLY,
		    &p->adkim);
	case DMARC_TAG_ASPF:
		return keyword(d, s, e, DMARC__KW_ALIGNMENT, RFC_ONLY, &p->aspf);
	case DMARC_TAG_FO:
		return fo(d, s, e);
	case DMARC_TAG_PCT:
		return pct(d, s, e);
	case DMARC_TAG_T:
		return keyword(d, s, e, DMARC__KW_TESTING, RFC_ONLY,
		    &p->testing);
	case DMARC_TAG_PSD:
		return keyword(d, s, e, DMARC__KW_PSD, RFC_ONLY, &p->psd);
	case DMARC_TAG_RI:
		return ri(d, s, e);
	default:
		return DMARC_OK;
	}
}

static dmarc_status take_field(struct decoder *d, unsigned int id, size_t s,
    size_t e)
{
	struct report_row *row = d->row;

	switch (id) {
	case DMARC__SPOOL_TIME: return number(d, s, e, 0, &row->arrival);
	case DMARC__SPOOL_COUNT: return number(d, s, e, 1, &row->count);
	case DMARC__SPOOL_DOMAIN:
		return domain(d, s, e, row->policy_domain, false);
	case DMARC__SPOOL_MODE: /* library names, not RFC keywords */
		return keyword(d, s, e, DMARC__KW_MODE, DMARC__KW_ALIAS,
		    &row->policy.mode);
	case DMARC__SPOOL_DISCOVERY_METHOD:
		return keyword(d, s, e, DMARC__KW_METHOD, RFC_ONLY,
		    &row->policy.method);
	case DMARC__SPOOL_SOURCE_IP: return source_ip(d, s, e);
	case DMARC__SPOOL_HEADER_FROM:
		return domain(d, s, e, row->header_from, false);
	case DMARC__SPOOL_ENVELOPE_FROM:
		row->has_envelope_from = true;
		return domain(d, s, e, row->envelope_from, true);
	case DMARC__SPOOL_ENVELOPE_TO:
		row->has_envelope_to = true;
		return domain(d, s, e, row->envelope_to, true);
	case DMARC__SPOOL_DISPOSITION:
		return keyword(d, s, e, DMARC__KW_DISPOSITION, RFC_ONLY,
		    &row->disposition);
	case DMARC__SPOOL_DKIM_ALIGNED:
		return pass_fail(d, s, e, &row->dkim_aligned);
	case DMARC__SPOOL_SPF_ALIGNED:
		return pass_fail(d, s, e, &row->spf_aligned);
	case DMARC__SPOOL_REASON: return reason(d, s, e);
	case DMARC__SPOOL_SPF: return spf(d, s, e);
	case DMARC__SPOOL_DKIM: return dkim(d, s, e);
	case DMARC__SPOOL_ERROR: return error_text(d, s, e);
	default:
		return id > TAG_BASE ? policy_field(d, id - TAG_BASE, s, e) :
		    DMARC_OK; /* unknown: skipped, the format may grow */
	}
}

/* The id of key [s, e), 0 when unknown: the spool's own field names,
 * then the record tags that name the policy. */
static unsigned int field_id(const struct decoder *d, size_t s, size_t e)
{
	int v;

	if (dmarc__keyword_lookup(DMARC__KW_SPOOL_FIELD, d->line + s, e - s,
	    DMARC__KW_ALIAS, &v) == DMARC__KW_EXACT)
		return (unsigned int)v;
	if (dmarc__keyword_match(DMARC__KW_TAG, d->line + s, e - s, &v) !=
	    DMARC__KW_EXACT)
		return 0;
	switch (v) {
	case DMARC_TAG_P: case DMARC_TAG_SP: case DMARC_TAG_NP:
	case DMARC_TAG_ADKIM: case DMARC_TAG_ASPF: case DMARC_TAG_FO:
	case DMARC_TAG_PCT: case DMARC_TAG_T: case DMARC_TAG_PSD:
	case DMARC_TAG_RI:
		return TAG_ID(v);
	default:
		return 0; /* v, rua, ruf, rf: not spool fields */
	}
}

static bool key_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || dmarc__is_digit(c) || c == '_' ||
	    c == '-';
}

/* One field starting at s; *next is where the next TAB (or the end) is. */
static dmarc_status one_field(struct decoder *d, size_t s, size_t *next)
{
	const char *tab;
	size_t k = s, e;
	unsigned int id;
	dmarc_status st;

	while (k < d->len && key_byte((unsigned char)d->line[k]))
		k++;
	if (k == s || k == d->len || d->line[k] != '=')
		return fail(d, DMARC_EINVAL, k);
	tab = memchr(d->line + k, '\t', d->len - k);
	e = tab != NULL ? (size_t)(tab - d->line) : d->len;
	*next = e;
	if ((st = check_value(d, k + 1, e)) != DMARC_OK)
		return st;
	id = field_id(d, s, k);
	if (id != 0 && id != DMARC__SPOOL_REASON && id != DMARC__SPOOL_DKIM &&
	    id != DMARC__SPOOL_ERROR) {
		if (d->seen & BIT(id))
			return fail(d, DMARC_EINVAL, s); /* said twice */
		d->seen |= BIT(id);
	}
	d->field_at = s;
	return take_field(d, id, k + 1, e);
}

/* "dmarc-spool/1": a later major version is refused, not misread. */
static dmarc_status version(struct decoder *d, size_t *end)
{
	size_t m = sizeof DMARC__SPOOL_MAGIC - 1, i, n;
	uint64_t major = 0;

	for (i = 0; i < m; i++)
		if (i == d->len || d->line[i] != DMARC__SPOOL_MAGIC[i])
			return fail(d, DMARC_EINVAL, i);
	for (n = m; n < d->len && d->line[n] != '\t'; n++) {
		if (!dmarc__is_digit((unsigned char)d->line[n]))
			return fail(d, DMARC_EINVAL, n);
		if (n - m < 9)
			major = major * 10u + (uint64_t)(d->line[n] - '0');
	}
	*end = n;
	if (n == m || d->line[m] == '0')
		return fail(d, DMARC_EINVAL, m);
	if (n - m > 9 || major != DMARC__SPOOL_MAJOR)
		return fail(d, DMARC_ENOTSUP, m);
	return DMARC_OK;
}

/* What a line that lacks an optional field leaves. */
static void row_init(struct report_row *row)
{
	row->count = 0;
	row->arrival = 0;
	row->policy_domain[0] = row->header_from[0] = '\0';
	memset(&row->policy, 0, sizeof row->policy);
	row->policy.ri = 86400; /* RFC 7489 6.3: the default */
	row->n_errors = 0;
	memset(&row->ip, 0, sizeof row->ip);
	row->has_envelope_from = row->has_envelope_to = false;
	row->envelope_from[0] = row->envelope_to[0] = '\0';
	row->disposition = 0;
	row->dkim_aligned = row->spf_aligned = false;
	row->n_reasons = row->n_dkim = 0;
	row->has_spf = false;
	memset(&row->spf, 0, sizeof row->spf);
}

static dmarc_status decode(struct decoder *d)
{
	size_t pos, fields = 0;
	dmarc_status st;

	if (d->len > DMARC__SPOOL_LINE_MAX)
		return fail(d, DMARC_ERANGE, DMARC__SPOOL_LINE_MAX);
	if ((st = version(d, &pos)) != DMARC_OK)
		return st;
	while (pos < d->len) { /* at a TAB */
		if (++fields > DMARC__SPOOL_MAX_FIELDS)
			return fail(d, DMARC_ERANGE, pos);
		if ((st = one_field(d, pos + 1, &pos)) != DMARC_OK)
			return st;
	}
	if ((d->seen & REQUIRED) != REQUIRED)
		return fail(d, DMARC_EINVAL, d->len);
	return DMARC_OK;
}

dmarc_status dmarc__spool_decode(struct report_row *row, const char *line,
    size_t len, size_t *offset)
{
	struct decoder d;
	dmarc_status st;

	if (offset != NULL)
		*offset = 0;
	if (row == NULL || (line == NULL && len != 0))
		return DMARC_EINVAL;
	if (len > 0 && line[len - 1] == '\n')
		len--;
	d.row = row;
	d.line = line != NULL ? line : "";
	d.len = len;
	d.seen = 0;
	d.err_at = 0;
	row_init(row);
	st = decode(&d);
	if (st != DMARC_OK && offset != NULL)
		*offset = d.err_at;
	return st;
}
