/*
 * libdmarc - writing text into a caller's buffer of fixed size: what fits
 * is written, the full length is counted, and the result is either whole
 * or refused (DMARC_EBUFFER), never cut.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_STRBUF_H
#define DMARC_STRBUF_H

#include <string.h>

#include "internal.h"

struct strbuf {
	char *buf;
	size_t size, len;
};

static inline void strbuf_init(struct strbuf *o, char *buf, size_t size)
{
	o->buf = buf;
	o->size = size;
	o->len = 0;
}

static inline void strbuf_put(struct strbuf *o, const char *s, size_t n)
{
	if (o->len + n < o->size)
		memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static inline void strbuf_puts(struct strbuf *o, const char *s)
{
	strbuf_put(o, s, strlen(s));
}

/* NUL-terminate; DMARC_EBUFFER (buffer "") when the text did not fit.
 * *length, if given, gets the length needed without the NUL. */
static inline dmarc_status strbuf_finish(struct strbuf *o, size_t *length)
{
	if (length != NULL)
		*length = o->len;
	if (o->len >= o->size) {
		if (o->size != 0)
			o->buf[0] = '\0';
		return DMARC_EBUFFER;
	}
	o->buf[o->len] = '\0';
	return DMARC_OK;
}

#endif /* DMARC_STRBUF_H */
