/*
 * The MIME reader's events as text (lib/report/mime.h), for the unit
 * tests and the fuzz target: a message pushed in some chunking gives an
 * event log (begin, data, end; mbox messages), a diagnostic log and a
 * result, to compare between chunkings.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_TEST_MIME_LOG_H
#define DMARC_TEST_MIME_LOG_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/mbox.h"
#include "report/mime.h"

struct text {
	char *p;
	size_t len, cap;
};

struct mime_log {
	struct text ev, dg;
	dmarc_status result;
	enum dmarc__mime_failure fail;
	uint64_t fail_off;
	struct dmarc__mime *mime;
};

static void text_add(struct text *t, const void *p, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->p = realloc(t->p, t->cap);
		if (t->p == NULL)
			abort();
	}
	memcpy(t->p + t->len, p, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void text_printf(struct text *t, const char *fmt, ...)
{
	char buf[2200];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	text_add(t, buf, n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n :
	    sizeof buf - 1);
}

static dmarc_status log_begin(void *user, const struct dmarc__mime_part *p)
{
	struct mime_log *l = user;

	if (strlen(p->name) != p->name_len || p->type[0] == '\0')
		abort();
	text_printf(&l->ev, "[%s|%s|%d|%u]", p->type, p->name, (int)p->cte,
	    p->depth);
	return DMARC_OK;
}

static dmarc_status log_data(void *user, const char *data, size_t len)
{
	struct mime_log *l = user;

	if (len == 0)
		abort();
	text_add(&l->ev, data, len);
	return DMARC_OK;
}

static dmarc_status log_end(void *user)
{
	text_printf(&((struct mime_log *)user)->ev, "[end]");
	return DMARC_OK;
}

/* code@offset>where: where is the event log's length when it came, so
 * that which decoded byte a diagnostic follows is compared too. */
static void log_diag(void *user, enum dmarc__mime_diag code, uint64_t off)
{
	struct mime_log *l = user;

	text_printf(&l->dg, "%d@%llu>%zu;", (int)code, (unsigned long long)off,
	    l->ev.len);
}

static dmarc_status log_msg_begin(void *user, unsigned int i, uint64_t off)
{
	text_printf(&((struct mime_log *)user)->ev, "{msg %u@%llu}", i,
	    (unsigned long long)off);
	return DMARC_OK;
}

static dmarc_status log_msg_end(void *user, dmarc_status r)
{
	struct mime_log *l = user;
	uint64_t off;
	enum dmarc__mime_failure f = dmarc__mime_failure(l->mime, &off);

	text_printf(&l->ev, "{end %d %d@%llu}", (int)r, (int)f,
	    (unsigned long long)off);
	return DMARC_OK;
}

static const struct dmarc__mime_ops log_ops = {
	log_begin, log_data, log_end, log_diag, NULL
};
static const struct dmarc__mbox_ops log_mbox_ops = {
	log_msg_begin, log_msg_end
};

static void mime_log_free(struct mime_log *l)
{
	free(l->ev.p);
	free(l->dg.p);
	memset(l, 0, sizeof *l);
}

/* Chunk sizes: 0 whole, 1 a byte at a time, else pseudo-random sizes
 * from 1 to max, from seed. */
static size_t next_chunk(size_t max, uint32_t *seed, size_t left)
{
	size_t n;

	if (max == 0)
		return left;
	*seed = *seed * 1103515245u + 12345u;
	n = max == 1 ? 1 : 1 + (*seed >> 8) % max;
	return n < left ? n : left;
}

/* Pushes msg in the chunking into a new parser (or an mbox splitter in
 * front of it) on ctx and logs it.  The status of the first call that
 * failed to set things up (DMARC_ENOMEM), else DMARC_OK; the message's
 * own outcome is in l->result. */
static dmarc_status mime_log_run(struct mime_log *l, const dmarc_ctx *c,
    const struct dmarc__mime_limits *lim, const char *msg, size_t len,
    size_t max, uint32_t seed, bool mbox)
{
	struct dmarc__mbox *b = NULL;
	dmarc_status st;
	size_t i, n;

	memset(l, 0, sizeof *l);
	text_add(&l->ev, "", 0);
	text_add(&l->dg, "", 0);
	st = dmarc__mime_new(&l->mime, c, lim, &log_ops, l);
	if (st != DMARC_OK)
		return st;
	if (mbox && (st = dmarc__mbox_new(&b, c, l->mime, &log_mbox_ops,
	    l)) != DMARC_OK) {
		dmarc__mime_free(l->mime);
		return st;
	}
	st = DMARC_OK;
	for (i = 0; i < len && st == DMARC_OK; i += n) {
		n = next_chunk(max, &seed, len - i);
		st = mbox ? dmarc__mbox_push(b, msg + i, n) :
		    dmarc__mime_push(l->mime, msg + i, n);
	}
	if (st == DMARC_OK)
		st = mbox ? dmarc__mbox_finish(b) :
		    dmarc__mime_finish(l->mime);
	l->result = st;
	l->fail = dmarc__mime_failure(l->mime, &l->fail_off);
	dmarc__mbox_free(b);
	dmarc__mime_free(l->mime);
	l->mime = NULL;
	return DMARC_OK;
}

/* Whether two runs logged the same. */
static bool mime_log_same(const struct mime_log *a, const struct mime_log *b)
{
	return a->result == b->result && a->fail == b->fail &&
	    a->fail_off == b->fail_off && a->ev.len == b->ev.len &&
	    memcmp(a->ev.p, b->ev.p, a->ev.len) == 0 && a->dg.len == b->dg.len &&
	    memcmp(a->dg.p, b->dg.p, a->dg.len) == 0;
}

#endif /* DMARC_TEST_MIME_LOG_H */
