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
 * the buffer and the line limit; len counts them all.  bad: something
 * of the row no line can say (a value without a keyword, a string
 * without its NUL). */
struct line_out {
	char *buf;
	size_t room;   /* min(size, DMARC__SPOOL_LINE_MAX) */
	size_t len;
	bool bad;
};

static void put(struct line_out *o, const char *s, size_t n)
{
	if (n <= o->room && o->len <= o->room - n)
		memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void put_text(struct line_out *o, const char *s)
{
	if (s == NULL)
		o->bad = true;
	else
		put(o, s, strlen(s));
}

/* Bytes of s once escaped. */
static size_t escaped_length(const char *s, size_t n)
{
	size_t i, m = n;

	for (i = 0; i < n; i++)
		if (!spool_raw_part((unsigned char)s[i]))
			m += 2;
	return m;
}

/* s escaped into dst, which has room; the bytes written. */
static size_t escape_into(char *dst, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	char *d = dst;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (spool_raw_part(c)) {
			*d++ = (char)c;
			continue;
		}
		d[0] = '%';
		d[1] = hex[c >> 4];
		d[2] = hex[c & 15u];
		d += 3;
	}
	return (size_t)(d - dst);
}

/* s with the bytes a part cannot hold raw written %XX: in place when
 * even all of them escaped fit, else measured first. */
static void put_escaped(struct line_out *o, const char *s, size_t n)
{
	size_t left = o->len <= o->room ? o->room - o->len : 0, m;

	if (n == 0)
		return;
	if (n <= left / 3) {
		o->len += escape_into(o->buf + o->len, s, n);
		return;
	}
	m = escaped_length(s, n);
	if (m <= left)
		escape_into(o->buf + o->len, s, n);
	o->len += m;
}

/* A string of its array (size bytes): escaped, or bad without a NUL. */
static void put_string(struct line_out *o, const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n == size)
		o->bad = true;
	else
		put_escaped(o, s, n);
}

static void put_byte(struct line_out *o, char c)
{
	if (o->len < o->room)
		o->buf[o->len] = c;
	o->len++;
}

/* TAB key= (a key from the keyword table: its length is known) */
static void put_key(struct line_out *o, const struct dmarc__kw *key)
{
	size_t n = (size_t)key->len + 2;

	if (o->len <= o->room && n <= o->room - o->len) {
		char *d = o->buf + o->len;
		d[0] = '\t';
		memcpy(d + 1, key->name, key->len);
		d[key->len + 1] = '=';
	}
	o->len += n;
}

/* A field whose value is a keyword (never escaped: no keyword needs it). */
static void put_keyword(struct line_out *o, const struct dmarc__kw *key,
    const char *kw)
{
	put_key(o, key);
	put_text(o, kw);
}

#define PUT_STRING(o, s) put_string((o), (s), sizeof(s))

static void put_number(struct line_out *o, const struct dmarc__kw *key,
    uint64_t v)
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

/* The keys: the spool's field names and the record's tag names, from
 * sets listed by value from 1 and 0. */
static const struct dmarc__kw *field_name(enum dmarc__spool_field f)
{
	return &dmarc__kw_sets[DMARC__KW_SPOOL_FIELD].kw[f - 1];
}

static const struct dmarc__kw *tag(dmarc_tag t)
{
	return &dmarc__tag_keywords[t];
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

	if (fo == 0 || (fo & ~SPOOL_FO_BITS) != 0)
		o->bad = true;
	put_key(o, tag(DMARC_TAG_FO));
	for (bit = 1; bit <= DMARC_FO_SPF; bit <<= 1) {
		if (!(fo & bit))
			continue;
		if (!first)
			put_byte(o, ':');
		put_text(o, kw(DMARC__KW_FO, bit));
		first = false;
	}
}

static void put_policy(struct line_out *o, const struct report_policy *p)
{
	put_keyword(o, field_name(DMARC__SPOOL_MODE),
	    dmarc__keyword_name(DMARC__KW_MODE, p->mode));
	put_keyword(o, field_name(DMARC__SPOOL_DISCOVERY_METHOD),
	    kw(DMARC__KW_METHOD, p->method));
	put_keyword(o, tag(DMARC_TAG_P), kw(DMARC__KW_POLICY, p->p));
	put_keyword(o, tag(DMARC_TAG_SP), kw(DMARC__KW_POLICY, p->sp));
	put_keyword(o, tag(DMARC_TAG_NP), kw(DMARC__KW_POLICY, p->np));
	put_keyword(o, tag(DMARC_TAG_ADKIM), kw(DMARC__KW_ALIGNMENT, p->adkim));
	put_keyword(o, tag(DMARC_TAG_ASPF), kw(DMARC__KW_ALIGNMENT, p->aspf));
	put_fo(o, p->fo);
	if (p->pct > 100)
		o->bad = true;
	put_number(o, tag(DMARC_TAG_PCT), p->pct);
	put_keyword(o, tag(DMARC_TAG_T), kw(DMARC__KW_TESTING, p->testing));
	put_keyword(o, tag(DMARC_TAG_PSD), kw(DMARC__KW_PSD, p->psd));
	put_number(o, tag(DMARC_TAG_RI), p->ri);
}

/* A domain that must not be empty. */
static void put_name(struct line_out *o, const struct dmarc__kw *key,
    const char *s, size_t size)
{
	if (s[0] == '\0')
		o->bad = true;
	put_key(o, key);
	put_string(o, s, size);
}

static void put_identifiers(struct line_out *o, const struct report_row *row)
{
	char ip[REPORT_ROW_IP_TEXT_SIZE];

	if (row->ip.family != 0) {
		dmarc__row_ip_text(&row->ip, ip);
		put_name(o, field_name(DMARC__SPOOL_SOURCE_IP), ip, sizeof ip);
	}
	put_name(o, field_name(DMARC__SPOOL_HEADER_FROM), row->header_from,
	    sizeof row->header_from);
	if (row->has_envelope_from) {
		put_key(o, field_name(DMARC__SPOOL_ENVELOPE_FROM));
		PUT_STRING(o, row->envelope_from);
	}
	if (row->has_envelope_to) {
		put_key(o, field_name(DMARC__SPOOL_ENVELOPE_TO));
		PUT_STRING(o, row->envelope_to);
	}
}

static const char *pass_fail(bool pass)
{
	return kw(DMARC__KW_VERDICT, pass ? DMARC_VERDICT_PASS :
	    DMARC_VERDICT_FAIL);
}

/* Report text (comments, human results; selectors without spaces):
 * printable ASCII with its NUL in its array, else bad. */
static void put_report_text(struct line_out *o, const char *s, size_t size,
    bool selector)
{
	size_t n = strnlen(s, size);

	if (n == size || (selector ? !spool_selector_ok(s, n) :
	    !spool_printable(s, n)))
		o->bad = true;
	else
		put_escaped(o, s, n);
}

static void put_errors(struct line_out *o, const struct report_row *row)
{
	size_t i;

	if (row->n_errors > REPORT_ROW_MAX_ERRORS)
		o->bad = true;
	for (i = 0; i < row->n_errors && !o->bad; i++) {
		put_key(o, field_name(DMARC__SPOOL_ERROR));
		put_report_text(o, row->errors[i], sizeof row->errors[i],
		    false);
	}
}

static void put_evaluated(struct line_out *o, const struct report_row *row)
{
	size_t i;

	put_keyword(o, field_name(DMARC__SPOOL_DISPOSITION),
	    kw(DMARC__KW_DISPOSITION, row->disposition));
	put_keyword(o, field_name(DMARC__SPOOL_DKIM_ALIGNED),
	    pass_fail(row->dkim_aligned));
	put_keyword(o, field_name(DMARC__SPOOL_SPF_ALIGNED),
	    pass_fail(row->spf_aligned));
	if (row->n_reasons > REPORT_ROW_MAX_REASONS)
		o->bad = true;
	for (i = 0; i < row->n_reasons && !o->bad; i++) {
		const struct report_reason *r = &row->reasons[i];
		put_keyword(o, field_name(DMARC__SPOOL_REASON),
		    kw(DMARC__KW_REASON, r->type));
		if (!r->has_comment)
			continue;
		put_byte(o, ',');
		put_report_text(o, r->comment, sizeof r->comment, false);
	}
}

/* ",keyword": a list value's part that is a keyword. */
static void put_keyword_part(struct line_out *o, const char *k)
{
	put_byte(o, ',');
	put_text(o, k);
}

static void put_dkim(struct line_out *o, const struct report_dkim *d)
{
	put_key(o, field_name(DMARC__SPOOL_DKIM));
	PUT_STRING(o, d->domain);
	put_byte(o, ',');
	put_report_text(o, d->selector, sizeof d->selector, true);
	put_keyword_part(o, kw(DMARC__KW_VERDICT, d->result));
	if (d->human[0] == '\0')
		return;
	put_byte(o, ',');
	put_report_text(o, d->human, sizeof d->human, false);
}

static void put_auth(struct line_out *o, const struct report_row *row)
{
	size_t i;

	if (row->has_spf) {
		put_key(o, field_name(DMARC__SPOOL_SPF));
		PUT_STRING(o, row->spf.domain);
		put_keyword_part(o, kw(DMARC__KW_SPF_SCOPE, row->spf.scope));
		put_keyword_part(o, kw(DMARC__KW_VERDICT, row->spf.result));
	}
	if (row->n_dkim > REPORT_ROW_MAX_DKIM)
		o->bad = true;
	for (i = 0; i < row->n_dkim && !o->bad; i++)
		put_dkim(o, &row->dkim[i]);
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
	o.buf = buf;
	o.room = size < DMARC__SPOOL_LINE_MAX ? size : DMARC__SPOOL_LINE_MAX;
	o.len = 0;
	o.bad = row->count == 0;
	put_text(&o, DMARC__SPOOL_MAGIC "1");
	put_number(&o, field_name(DMARC__SPOOL_TIME), row->arrival);
	put_number(&o, field_name(DMARC__SPOOL_COUNT), row->count);
	put_name(&o, field_name(DMARC__SPOOL_DOMAIN), row->policy_domain,
	    sizeof row->policy_domain);
	put_policy(&o, &row->policy);
	put_errors(&o, row);
	put_identifiers(&o, row);
	put_evaluated(&o, row);
	put_auth(&o, row);
	if (o.bad)
		return refuse(buf, size, DMARC_EINVAL);
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
