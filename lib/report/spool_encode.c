/*
 * libdmarc - the spool line codec, writing side: a report row as one
 * line (format: lib/report/spool_codec.h, libdmarc-spool(5)), whole or
 * not at all.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "../internal.h"
#include "spool_codec.h"
#include "spool_text.h"

/* The line being written: bytes land in buf while they fit under both
 * the buffer and the line limit; len counts them all. */
struct line_out {
	char *buf;
	size_t room;   /* min(size, DMARC__SPOOL_LINE_MAX) */
	size_t len;
};

static void put(struct line_out *o, const char *s, size_t n)
{
	if (n <= o->room && o->len <= o->room - n)
		memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void put_text(struct line_out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* s with the bytes a value cannot hold raw written %XX. */
static void put_escaped(struct line_out *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0, run;

	while (i < n) {
		for (run = i; run < n && spool_raw_part((unsigned char)s[run]);
		    run++)
			continue;
		put(o, s + i, run - i);
		if (run == n)
			break;
		char e[3] = { '%', hex[(unsigned char)s[run] >> 4],
		    hex[(unsigned char)s[run] & 15u] };
		put(o, e, sizeof e);
		i = run + 1;
	}
}

/* TAB key= */
static void put_key(struct line_out *o, const char *key)
{
	put(o, "\t", 1);
	put_text(o, key);
	put(o, "=", 1);
}

static void put_field(struct line_out *o, const char *key, const char *value)
{
	put_key(o, key);
	put_escaped(o, value, strlen(value));
}

static void put_number(struct line_out *o, const char *key, uint64_t v)
{
	char digits[20];
	size_t n = sizeof digits;

	do {
		digits[--n] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v != 0);
	put_key(o, key);
	put(o, digits + n, sizeof digits - n);
}

static const char *field_name(enum dmarc__spool_field f)
{
	return dmarc__keyword_name(DMARC__KW_SPOOL_FIELD, (int)f);
}

/* The RFC keyword of value in set, or NULL (then the row is refused). */
static const char *kw(enum dmarc__kw_set set, unsigned int value)
{
	return dmarc__keyword_rfc(set, (int)value);
}

/* fo=0:1:d:s, the options in the order of their bits. */
static void put_fo(struct line_out *o, unsigned int fo)
{
	unsigned int bit;
	bool first = true;

	put_key(o, dmarc__tag_name(DMARC_TAG_FO));
	for (bit = 1; bit <= DMARC_FO_SPF; bit <<= 1) {
		if (!(fo & bit))
			continue;
		if (!first)
			put(o, ":", 1);
		put_text(o, kw(DMARC__KW_FO, bit));
		first = false;
	}
}

static void put_policy(struct line_out *o, const struct report_policy *p)
{
	put_field(o, field_name(DMARC__SPOOL_MODE),
	    dmarc__keyword_name(DMARC__KW_MODE, p->mode));
	put_field(o, field_name(DMARC__SPOOL_DISCOVERY_METHOD),
	    kw(DMARC__KW_METHOD, p->method));
	put_field(o, dmarc__tag_name(DMARC_TAG_P), kw(DMARC__KW_POLICY, p->p));
	put_field(o, dmarc__tag_name(DMARC_TAG_SP), kw(DMARC__KW_POLICY, p->sp));
	put_field(o, dmarc__tag_name(DMARC_TAG_NP), kw(DMARC__KW_POLICY, p->np));
	put_field(o, dmarc__tag_name(DMARC_TAG_ADKIM),
	    kw(DMARC__KW_ALIGNMENT, p->adkim));
	put_field(o, dmarc__tag_name(DMARC_TAG_ASPF),
	    kw(DMARC__KW_ALIGNMENT, p->aspf));
	put_fo(o, p->fo);
	put_number(o, dmarc__tag_name(DMARC_TAG_PCT), p->pct);
	put_field(o, dmarc__tag_name(DMARC_TAG_T),
	    kw(DMARC__KW_TESTING, p->testing));
	put_field(o, dmarc__tag_name(DMARC_TAG_PSD), kw(DMARC__KW_PSD, p->psd));
}

static void put_identifiers(struct line_out *o, const struct report_row *row)
{
	char ip[REPORT_ROW_IP_TEXT_SIZE];

	if (row->ip.family != 0) {
		dmarc__row_ip_text(&row->ip, ip);
		put_field(o, field_name(DMARC__SPOOL_SOURCE_IP), ip);
	}
	put_field(o, field_name(DMARC__SPOOL_HEADER_FROM), row->header_from);
	if (row->has_envelope_from)
		put_field(o, field_name(DMARC__SPOOL_ENVELOPE_FROM),
		    row->envelope_from);
	if (row->has_envelope_to)
		put_field(o, field_name(DMARC__SPOOL_ENVELOPE_TO),
		    row->envelope_to);
}

static const char *pass_fail(bool pass)
{
	return kw(DMARC__KW_VERDICT, pass ? DMARC_VERDICT_PASS :
	    DMARC_VERDICT_FAIL);
}

/* A list value's next part: ",part". */
static void put_part(struct line_out *o, const char *s)
{
	put(o, ",", 1);
	put_escaped(o, s, strlen(s));
}

static void put_evaluated(struct line_out *o, const struct report_row *row)
{
	size_t i;

	put_field(o, field_name(DMARC__SPOOL_DISPOSITION),
	    kw(DMARC__KW_DISPOSITION, row->disposition));
	put_field(o, field_name(DMARC__SPOOL_DKIM_ALIGNED),
	    pass_fail(row->dkim_aligned));
	put_field(o, field_name(DMARC__SPOOL_SPF_ALIGNED),
	    pass_fail(row->spf_aligned));
	for (i = 0; i < row->n_reasons; i++) {
		const struct report_reason *r = &row->reasons[i];
		put_field(o, field_name(DMARC__SPOOL_REASON),
		    kw(DMARC__KW_REASON, r->type));
		if (r->has_comment)
			put_part(o, r->comment);
	}
}

static void put_auth(struct line_out *o, const struct report_row *row)
{
	size_t i;

	if (row->has_spf) {
		put_field(o, field_name(DMARC__SPOOL_SPF), row->spf.domain);
		put_part(o, kw(DMARC__KW_SPF_SCOPE, row->spf.scope));
		put_part(o, kw(DMARC__KW_VERDICT, row->spf.result));
	}
	for (i = 0; i < row->n_dkim; i++) {
		const struct report_dkim *d = &row->dkim[i];
		put_field(o, field_name(DMARC__SPOOL_DKIM), d->domain);
		put_part(o, d->selector);
		put_part(o, kw(DMARC__KW_VERDICT, d->result));
		if (d->human[0] != '\0')
			put_part(o, d->human);
	}
}

/* ---- what a line can say ---- */

/* A NUL within the array, so the string is one. */
#define TERMINATED(a) (memchr((a), '\0', sizeof(a)) != NULL)

static bool policy_sayable(const struct report_policy *p)
{
	return dmarc__keyword_name(DMARC__KW_MODE, p->mode) != NULL &&
	    kw(DMARC__KW_METHOD, p->method) != NULL &&
	    kw(DMARC__KW_POLICY, p->p) != NULL &&
	    kw(DMARC__KW_POLICY, p->sp) != NULL &&
	    kw(DMARC__KW_POLICY, p->np) != NULL &&
	    kw(DMARC__KW_ALIGNMENT, p->adkim) != NULL &&
	    kw(DMARC__KW_ALIGNMENT, p->aspf) != NULL &&
	    p->fo != 0 && (p->fo & ~SPOOL_FO_BITS) == 0 && p->pct <= 100 &&
	    kw(DMARC__KW_TESTING, p->testing) != NULL &&
	    kw(DMARC__KW_PSD, p->psd) != NULL;
}

static bool identifiers_sayable(const struct report_row *row)
{
	return TERMINATED(row->policy_domain) && row->policy_domain[0] != '\0' &&
	    TERMINATED(row->header_from) && row->header_from[0] != '\0' &&
	    TERMINATED(row->envelope_from) && TERMINATED(row->envelope_to) &&
	    (row->ip.family == 0 || row->ip.family == 4 || row->ip.family == 6);
}

static bool auth_sayable(const struct report_row *row)
{
	size_t i;

	if (row->has_spf && (!TERMINATED(row->spf.domain) ||
	    kw(DMARC__KW_SPF_SCOPE, row->spf.scope) == NULL ||
	    kw(DMARC__KW_VERDICT, row->spf.result) == NULL))
		return false;
	if (row->n_dkim > REPORT_ROW_MAX_DKIM)
		return false;
	for (i = 0; i < row->n_dkim; i++) {
		const struct report_dkim *d = &row->dkim[i];
		if (!TERMINATED(d->domain) || kw(DMARC__KW_VERDICT,
		    d->result) == NULL || !TERMINATED(d->selector) ||
		    !spool_selector_ok(d->selector, strlen(d->selector)) ||
		    !TERMINATED(d->human) ||
		    !spool_printable(d->human, strlen(d->human)))
			return false;
	}
	return true;
}

static bool row_sayable(const struct report_row *row)
{
	size_t i;

	if (row->count == 0 || !policy_sayable(&row->policy) ||
	    !identifiers_sayable(row) ||
	    kw(DMARC__KW_DISPOSITION, row->disposition) == NULL ||
	    row->n_reasons > REPORT_ROW_MAX_REASONS)
		return false;
	for (i = 0; i < row->n_reasons; i++) {
		const struct report_reason *r = &row->reasons[i];
		if (kw(DMARC__KW_REASON, r->type) == NULL || (r->has_comment &&
		    (!TERMINATED(r->comment) ||
		    !spool_printable(r->comment, strlen(r->comment)))))
			return false;
	}
	return auth_sayable(row);
}

/* buf "" (when it has room for that) and the outcome. */
static dmarc_status refuse(char *buf, size_t size, dmarc_status st)
{
	if (size != 0)
		buf[0] = '\0';
	return st;
}

dmarc_status dmarc__spool_encode(const struct report_row *row, char *buf,
    size_t size, size_t *length)
{
	struct line_out o;

	if (length != NULL)
		*length = 0;
	if (row == NULL || (buf == NULL && size != 0))
		return DMARC_EINVAL;
	if (!row_sayable(row))
		return refuse(buf, size, DMARC_EINVAL);
	o.buf = buf;
	o.room = size < DMARC__SPOOL_LINE_MAX ? size : DMARC__SPOOL_LINE_MAX;
	o.len = 0;
	put_text(&o, DMARC__SPOOL_MAGIC "1");
	put_number(&o, field_name(DMARC__SPOOL_TIME), row->arrival);
	put_number(&o, field_name(DMARC__SPOOL_COUNT), row->count);
	put_field(&o, field_name(DMARC__SPOOL_DOMAIN), row->policy_domain);
	put_policy(&o, &row->policy);
	put_identifiers(&o, row);
	put_evaluated(&o, row);
	put_auth(&o, row);
	if (length != NULL)
		*length = o.len + 1;
	if (o.len > DMARC__SPOOL_LINE_MAX)
		return refuse(buf, size, DMARC_ERANGE);
	if (o.len + 2 > size)
		return refuse(buf, size, DMARC_EBUFFER);
	buf[o.len] = '\n';
	buf[o.len + 1] = '\0';
	return DMARC_OK;
}
