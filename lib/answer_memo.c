/*
 * libdmarc - the answers one evaluation was given, so that it never asks
 * the same DNS question twice (RFC 9989 4.10: an identifier's tree walk
 * climbs through names the Author Domain's walk has just asked).  The
 * caller's answer is kept as given, failures included, until the next
 * evaluation.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "dns_int.h"

_Static_assert(DMARC_QNAME_SIZE < 1u << 16, "a name's length fits a key");

#define MEMO_FIRST_ENTRIES 4u
#define MEMO_FIRST_BYTES 256u

void dmarc__memo_free(struct answer_memo *m, const dmarc_ctx *ctx)
{
	if (m->entry != NULL)
		dmarc__free(ctx, m->entry);
	if (m->bytes != NULL)
		dmarc__free(ctx, m->bytes);
	memset(m, 0, sizeof *m);
}

/* Room for one more entry and n more bytes, grown by doubling. */
DMARC_COLD static bool room(struct answer_memo *m, const dmarc_ctx *ctx, size_t n)
{
	if (m->n == m->cap) {
		size_t cap = m->cap != 0 ? 2 * m->cap : MEMO_FIRST_ENTRIES;
		struct memo_entry *e = dmarc__realloc(ctx, m->entry,
		    cap * sizeof *e);
		if (e == NULL)
			return false;
		m->entry = e;
		m->cap = cap;
	}
	if (n > m->size - m->used) {
		size_t size = m->size != 0 ? m->size : MEMO_FIRST_BYTES;
		char *b;
		while (size - m->used < n) {
			if (size > UINT32_MAX / 2)
				return false; /* offsets are 32 bits */
			size *= 2;
		}
		if ((b = dmarc__realloc(ctx, m->bytes, size)) == NULL)
			return false;
		m->bytes = b;
		m->size = size;
	}
	return true;
}

/* The last 8 bytes of a name (all of a shorter one, zero-padded). */
static uint64_t tail_of(const char *name, size_t len)
{
	uint64_t t = 0;

	if (len >= sizeof t)
		memcpy(&t, name + len - sizeof t, sizeof t);
	else
		memcpy(&t, name, len);
	return t;
}

bool dmarc__memo_keep_text(struct answer_memo *m, const dmarc_ctx *ctx,
    const char *qname, size_t len, dmarc_rrtype qtype,
    const dmarc_dns_answer *a, const char *text, size_t text_len)
{
	struct memo_entry *e;
	char *at;

	if (a->outcome != DMARC_DNS_RECORDS)
		text_len = 0;
	if ((m->n == m->cap || len + text_len > m->size - m->used) &&
	    !room(m, ctx, len + text_len))
		return false;
	e = &m->entry[m->n++];
	at = m->bytes + m->used;
	e->tail = tail_of(qname, len);
	e->key = (uint32_t)len | (uint32_t)qtype << 16;
	e->name_at = (uint32_t)m->used;
	e->text_at = (uint32_t)(m->used + len);
	e->text_len = (uint32_t)text_len;
	memcpy(at, qname, len);
	if (text_len != 0)
		memcpy(at + len, text, text_len);
	m->used += len + text_len;
	e->outcome = (uint8_t)a->outcome;
	e->ttl = a->ttl;
	e->n_txt = a->n_txt;
	e->n_dmarc = a->n_dmarc;
	return true;
}

bool dmarc__memo_keep(struct answer_memo *m, const dmarc_ctx *ctx,
    const char *qname, size_t len, dmarc_rrtype qtype,
    const dmarc_dns_answer *a)
{
	return dmarc__memo_keep_text(m, ctx, qname, len, qtype, a, a->text,
	    a->text_len);
}

int dmarc__memo_find(const struct answer_memo *m, const char *qname,
    size_t len, dmarc_rrtype qtype, dmarc_dns_answer *out)
{
	uint64_t tail = tail_of(qname, len);
	uint32_t key = (uint32_t)len | (uint32_t)qtype << 16;
	const struct memo_entry *e = m->entry, *end = e + m->n;

	for (; e < end; e++) {
		if (e->tail != tail || e->key != key ||
		    memcmp(m->bytes + e->name_at, qname, len) != 0)
			continue;
		return dmarc__answer_fill(out, (dmarc_dns_outcome)e->outcome,
		    e->ttl, e->n_txt, e->n_dmarc, m->bytes + e->text_at,
		    e->text_len) ? 1 : -1;
	}
	return 0;
}
