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

static const char *policy_word(uint8_t p)
{
	static const char *const words[] = { "", "none", "quarantine", "reject" };

	return words[p < 4 ? p : 0];
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

	if (n == 0)
		return;
	strbuf_puts(o, tag == DMARC_TAG_RUA ? "; rua=" : "; ruf=");
	for (i = 0; i < n; i++) {
		const dmarc_uri *u = dmarc_record_get_uri(rec, tag, i);
		if (i > 0)
			strbuf_put(o, ",", 1);
		strbuf_puts(o, dmarc_uri_get_text(u));
		if ((dmarc_uri_get_flags(u) & (DMARC_URI_HAS_SIZE |
		    DMARC_URI_SIZE_OBSOLETE)) == DMARC_URI_HAS_SIZE)
			put_size(o, dmarc_uri_get_size_limit(u));
	}
}

static void put_fo(struct strbuf *o, unsigned int fo)
{
	static const char opts[] = "01ds";
	bool first = true;
	int i;

	strbuf_puts(o, "; fo=");
	for (i = 0; i < 4; i++) {
		if (!(fo & (1u << i)))
			continue;
		if (!first)
			strbuf_put(o, ":", 1);
		strbuf_put(o, &opts[i], 1);
		first = false;
	}
}

static void put_policies(struct strbuf *o, const dmarc_record *rec)
{
	bool as_none = rec->v.state == DMARC_RECORD_AS_NONE;

	if (as_none || has(rec, DMARC_TAG_P)) {
		strbuf_puts(o, "; p=");
		strbuf_puts(o, as_none ? "none" : policy_word(rec->v.p));
	}
	if (!as_none && has(rec, DMARC_TAG_SP)) {
		strbuf_puts(o, "; sp=");
		strbuf_puts(o, policy_word(rec->v.sp));
	}
	if (!as_none && has(rec, DMARC_TAG_NP)) {
		strbuf_puts(o, "; np=");
		strbuf_puts(o, policy_word(rec->v.np));
	}
}

static void put_record(struct strbuf *o, const dmarc_record *rec)
{
	static const char *const psd[] = { "", "u", "y", "n" };

	strbuf_puts(o, "v=DMARC1");
	put_policies(o, rec);
	if (has(rec, DMARC_TAG_ADKIM))
		strbuf_puts(o, rec->v.adkim == DMARC_ALIGN_STRICT ? "; adkim=s" : "; adkim=r");
	if (has(rec, DMARC_TAG_ASPF))
		strbuf_puts(o, rec->v.aspf == DMARC_ALIGN_STRICT ? "; aspf=s" : "; aspf=r");
	if (has(rec, DMARC_TAG_PCT)) {
		strbuf_puts(o, "; pct=");
		put_u64(o, rec->v.pct);
	}
	if (has(rec, DMARC_TAG_FO))
		put_fo(o, rec->v.fo);
	if (has(rec, DMARC_TAG_RF))
		strbuf_puts(o, "; rf=afrf");
	if (has(rec, DMARC_TAG_RI)) {
		strbuf_puts(o, "; ri=");
		put_u64(o, rec->v.ri);
	}
	put_uris(o, rec, DMARC_TAG_RUA);
	put_uris(o, rec, DMARC_TAG_RUF);
	if (has(rec, DMARC_TAG_PSD)) {
		strbuf_puts(o, "; psd=");
		strbuf_puts(o, psd[rec->v.psd < 4 ? rec->v.psd : 0]);
	}
	if (has(rec, DMARC_TAG_T))
		strbuf_puts(o, rec->v.testing ? "; t=y" : "; t=n");
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
