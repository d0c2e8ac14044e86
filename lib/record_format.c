/*
 * libdmarc - canonical text of a record: fixed tag order, lower-case
 * keywords, only tags that were given with a usable value.  Parsing the
 * output under the same mode gives the same record; an AS_NONE record is
 * written as the p=none record it acts as.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "strbuf.h"

static void put_u64(struct strbuf *o, uint64_t n)
{
	char digits[24];
	size_t i = sizeof digits;

	do {
		digits[--i] = (char)('0' + n % 10u);
		n /= 10u;
	} while (n != 0);
	strbuf_put(o, digits + i, sizeof digits - i);
}

/* "; tag=" */
static void put_tag(struct strbuf *o, dmarc_tag tag)
{
	strbuf_puts(o, "; ");
	strbuf_puts(o, dmarc__tag_name(tag));
	strbuf_puts(o, "=");
}

/* "; tag=keyword", the keyword of value in set. */
static void put_keyword(struct strbuf *o, dmarc_tag tag,
    enum dmarc__kw_set set, int value)
{
	const char *word = dmarc__keyword_rfc(set, value);

	put_tag(o, tag);
	strbuf_puts(o, word != NULL ? word : "");
}

static bool has(const dmarc_record *rec, dmarc_tag tag)
{
	return dmarc_record_has_tag(rec, tag) != 0;
}

/* Largest binary unit that divides the size exactly. */
static void put_size(struct strbuf *o, uint64_t size)
{
	static const char units[] = "kmgt";
	int u = 0;

	while (u < 4 && size != 0 && (size & 1023u) == 0) {
		size >>= 10;
		u++;
	}
	strbuf_put(o, "!", 1);
	put_u64(o, size);
	if (u > 0)
		strbuf_put(o, &units[u - 1], 1);
}

static void put_uris(struct strbuf *o, const dmarc_record *rec, dmarc_tag tag)
{
	size_t i, n = dmarc_record_get_uri_count(rec, tag);

	for (i = 0; i < n; i++) {
		const dmarc_uri *u = dmarc_record_get_uri(rec, tag, i);
		if (i == 0)
			put_tag(o, tag);
		else
			strbuf_put(o, ",", 1);
		strbuf_puts(o, dmarc_uri_get_text(u));
		if ((dmarc_uri_get_flags(u) & (DMARC_URI_HAS_SIZE |
		    DMARC_URI_SIZE_OBSOLETE)) == DMARC_URI_HAS_SIZE)
			put_size(o, dmarc_uri_get_size_limit(u));
	}
}

static void put_fo(struct strbuf *o, unsigned int fo)
{
	unsigned int bit;
	bool first = true;

	put_tag(o, DMARC_TAG_FO);
	for (bit = DMARC_FO_ALL_FAIL; bit <= DMARC_FO_SPF; bit <<= 1) {
		if (!(fo & bit))
			continue;
		if (!first)
			strbuf_put(o, ":", 1);
		strbuf_puts(o, dmarc__keyword_rfc(DMARC__KW_FO, (int)bit));
		first = false;
	}
}

static void put_policies(struct strbuf *o, const dmarc_record *rec)
{
	bool as_none = rec->v.state == DMARC_RECORD_AS_NONE;

	if (as_none || has(rec, DMARC_TAG_P))
		put_keyword(o, DMARC_TAG_P, DMARC__KW_POLICY,
		    as_none ? DMARC_POLICY_NONE : rec->v.p);
	if (!as_none && has(rec, DMARC_TAG_SP))
		put_keyword(o, DMARC_TAG_SP, DMARC__KW_POLICY, rec->v.sp);
	if (!as_none && has(rec, DMARC_TAG_NP))
		put_keyword(o, DMARC_TAG_NP, DMARC__KW_POLICY, rec->v.np);
}

static void put_record(struct strbuf *o, const dmarc_record *rec)
{
	strbuf_puts(o, "v=DMARC1");
	put_policies(o, rec);
	if (has(rec, DMARC_TAG_ADKIM))
		put_keyword(o, DMARC_TAG_ADKIM, DMARC__KW_ALIGNMENT, rec->v.adkim);
	if (has(rec, DMARC_TAG_ASPF))
		put_keyword(o, DMARC_TAG_ASPF, DMARC__KW_ALIGNMENT, rec->v.aspf);
	if (has(rec, DMARC_TAG_PCT)) {
		put_tag(o, DMARC_TAG_PCT);
		put_u64(o, rec->v.pct);
	}
	if (has(rec, DMARC_TAG_FO))
		put_fo(o, rec->v.fo);
	if (has(rec, DMARC_TAG_RF))
		put_keyword(o, DMARC_TAG_RF, DMARC__KW_RF, DMARC_RF_AFRF);
	if (has(rec, DMARC_TAG_RI)) {
		put_tag(o, DMARC_TAG_RI);
		put_u64(o, rec->v.ri);
	}
	put_uris(o, rec, DMARC_TAG_RUA);
	put_uris(o, rec, DMARC_TAG_RUF);
	if (has(rec, DMARC_TAG_PSD))
		put_keyword(o, DMARC_TAG_PSD, DMARC__KW_PSD, rec->v.psd);
	if (has(rec, DMARC_TAG_T))
		put_keyword(o, DMARC_TAG_T, DMARC__KW_TESTING, rec->v.testing);
}

DMARC_EXPORT dmarc_status dmarc_record_format(const dmarc_record *rec,
    char *buf, size_t size, size_t *length)
{
	struct strbuf o;

	if (rec == NULL || (buf == NULL && size != 0))
		return DMARC_EINVAL;
	if (rec->v.state != DMARC_RECORD_VALID &&
	    rec->v.state != DMARC_RECORD_AS_NONE)
		return DMARC_ERECORD;
	strbuf_init(&o, buf, size);
	put_record(&o, rec);
	return strbuf_finish(&o, length);
}
