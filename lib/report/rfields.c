/*
 * libdmarc - the values of one reader event, by field (rfields.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rfields.h"

void dmarc__rfields_init(struct rfields *f, const dmarc_ctx *ctx)
{
	memset(f, 0, sizeof *f);
	dmarc__growbuf_init(&f->entries, ctx,
	    RFIELDS_MAX_ENTRIES * sizeof(struct rfield_entry));
	dmarc__growbuf_init(&f->text, ctx, RFIELDS_MAX_BYTES);
}

void dmarc__rfields_dispose(struct rfields *f)
{
	dmarc__growbuf_dispose(&f->entries);
	dmarc__growbuf_dispose(&f->text);
}

void dmarc__rfields_clear(struct rfields *f)
{
	dmarc__growbuf_clear(&f->entries);
	dmarc__growbuf_clear(&f->text);
	memset(f->count, 0, sizeof f->count);
}

static struct rfield_entry *entry_at(const struct rfields *f, size_t i)
{
	return (struct rfield_entry *)(void *)f->entries.data + i;
}

static size_t entry_count(const struct rfields *f)
{
	return f->entries.len / sizeof(struct rfield_entry);
}

static dmarc_status bounded(dmarc_status st)
{
	return st == DMARC_EBUFFER ? DMARC_ERANGE : st;
}

/* Appends text and a NUL to the string area, each NUL byte of it as
 * U+FFFD: values are handed out as C strings of the length reported
 * (a failure report's fields and headers, a part's name, come as sent).
 * Its length there in *out_len. */
static dmarc_status append_text(struct rfields *f, const char *text,
    size_t len, size_t *out_len)
{
	const char *nul;
	size_t nuls = 0, i;
	dmarc_status st;

	for (i = 0; i < len; i++)
		nuls += text[i] == '\0';
	if (len + 2 * nuls > UINT32_MAX - 1)
		return DMARC_ERANGE;
	st = dmarc__growbuf_reserve(&f->text, len + 2 * nuls + 1);
	if (st != DMARC_OK)
		return bounded(st);
	*out_len = len + 2 * nuls;
	while (len > 0 && (nul = memchr(text, '\0', len)) != NULL) {
		size_t k = (size_t)(nul - text);

		(void)dmarc__growbuf_append(&f->text, text, k);
		(void)dmarc__growbuf_append(&f->text, "\xEF\xBF\xBD", 3);
		text += k + 1;
		len -= k + 1;
	}
	(void)dmarc__growbuf_append(&f->text, text, len);
	(void)dmarc__growbuf_append_byte(&f->text, '\0');
	return DMARC_OK;
}

dmarc_status dmarc__rfields_add(struct rfields *f, unsigned int field,
    const char *text, size_t len)
{
	struct rfield_entry e = { 0, 0, 0, 0, 0 };
	size_t n;
	dmarc_status st;

	if (field >= RFIELDS_FIELDS || f->count[field] == UINT16_MAX)
		return DMARC_ERANGE;
	if (f->entries.len == 0) { /* entry 0 stands for "none" */
		st = dmarc__growbuf_append(&f->entries, &e, sizeof e);
		if (st != DMARC_OK)
			return bounded(st);
	}
	e.field = (uint8_t)field;
	e.absent = text == NULL;
	e.off = (uint32_t)f->text.len;
	st = dmarc__growbuf_reserve(&f->entries, sizeof e);
	if (st != DMARC_OK)
		return bounded(st);
	if (text != NULL) {
		st = append_text(f, text, len, &len);
		if (st != DMARC_OK)
			return st;
	}
	e.len = text != NULL ? (uint32_t)len : 0;
	n = entry_count(f);
	(void)dmarc__growbuf_append(&f->entries, &e, sizeof e);
	if (f->count[field]++ == 0)
		f->first[field] = (uint16_t)n;
	else
		entry_at(f, f->last[field])->next = (uint16_t)n;
	f->last[field] = (uint16_t)n;
	return DMARC_OK;
}

dmarc_status dmarc__rfields_set(struct rfields *f, unsigned int field,
    const char *text, size_t len)
{
	struct rfield_entry *e;

	if (field < RFIELDS_FIELDS && f->count[field] == 1) {
		/* the old text stays in the area, unreferenced: values are
		 * replaced a few times per report at most */
		e = entry_at(f, f->first[field]);
		if (text != NULL) {
			uint32_t off = (uint32_t)f->text.len;
			dmarc_status st = append_text(f, text, len, &len);

			if (st != DMARC_OK)
				return st;
			e->off = off;
		}
		e->absent = text == NULL;
		e->len = text != NULL ? (uint32_t)len : 0;
		return DMARC_OK;
	}
	return dmarc__rfields_add(f, field, text, len);
}

dmarc_status dmarc__rfields_set_number(struct rfields *f, unsigned int field,
    uint64_t value)
{
	char buf[24];
	int n = snprintf(buf, sizeof buf, "%" PRIu64, value);

	return dmarc__rfields_set(f, field, buf, (size_t)n);
}

bool dmarc__rfields_read_number(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned char)s[i] - (unsigned)'0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

size_t dmarc__rfields_count(const struct rfields *f, unsigned int field)
{
	return field < RFIELDS_FIELDS ? f->count[field] : 0;
}

const char *dmarc__rfields_get(const struct rfields *f, unsigned int field,
    size_t index, size_t *len)
{
	const struct rfield_entry *e;
	size_t i;

	if (field >= RFIELDS_FIELDS || index >= f->count[field])
		return NULL;
	e = entry_at(f, f->first[field]);
	for (i = 0; i < index; i++)
		e = entry_at(f, e->next);
	if (e->absent)
		return NULL;
	if (len != NULL)
		*len = e->len;
	return f->text.data + e->off;
}
