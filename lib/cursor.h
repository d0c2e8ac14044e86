/*
 * libdmarc - a bounded cursor over untrusted bytes: a start, an end and
 * a position between them.  Every read is checked against the end, so a
 * parser built on it cannot read past its input however it errs; and
 * every position it reports (errors, diagnostics, spans) is a byte
 * offset from the start.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_CURSOR_H
#define DMARC_CURSOR_H

#include <stdbool.h>
#include <stddef.h>

struct cursor {
	const unsigned char *start;
	const unsigned char *end;  /* one past the last byte */
	const unsigned char *pos;  /* next byte to read; start <= pos <= end */
};

/* A cursor over len bytes at data (NULL only with len 0). */
static inline void cursor_init(struct cursor *c, const void *data, size_t len)
{
	c->start = data != NULL ? (const unsigned char *)data :
	    (const unsigned char *)"";
	c->end = c->start + (data != NULL ? len : 0);
	c->pos = c->start;
}

static inline bool cursor_eof(const struct cursor *c)
{
	return c->pos >= c->end;
}

/* Bytes left to read. */
static inline size_t cursor_left(const struct cursor *c)
{
	return (size_t)(c->end - c->pos);
}

/* Offset of the position from the start. */
static inline size_t cursor_offset(const struct cursor *c)
{
	return (size_t)(c->pos - c->start);
}

/* Length of the whole input. */
static inline size_t cursor_length(const struct cursor *c)
{
	return (size_t)(c->end - c->start);
}

/* The byte at the position, or -1 at the end. */
static inline int cursor_peek(const struct cursor *c)
{
	return c->pos < c->end ? *c->pos : -1;
}

/* The byte k bytes after the position, or -1 past the end. */
static inline int cursor_peek_at(const struct cursor *c, size_t k)
{
	return k < cursor_left(c) ? c->pos[k] : -1;
}

/* Whether the byte at the position is ch (never true at the end). */
static inline bool cursor_is(const struct cursor *c, unsigned char ch)
{
	return c->pos < c->end && *c->pos == ch;
}

/* Moves n bytes on, stopping at the end. */
static inline void cursor_advance(struct cursor *c, size_t n)
{
	c->pos += n < cursor_left(c) ? n : cursor_left(c);
}

/* Consumes ch if it is the byte at the position. */
static inline bool cursor_accept(struct cursor *c, unsigned char ch)
{
	if (!cursor_is(c, ch))
		return false;
	c->pos++;
	return true;
}

/* Moves to offset (from the start), stopping at the end. */
static inline void cursor_seek(struct cursor *c, size_t offset)
{
	c->pos = c->start + (offset < cursor_length(c) ? offset :
	    cursor_length(c));
}

/* The input's bytes from offset on (offset as returned by
 * cursor_offset, so never past the end). */
static inline const char *cursor_at(const struct cursor *c, size_t offset)
{
	return (const char *)c->start + offset;
}

/* Consumes the bytes for which in_class holds; returns how many. */
static inline size_t cursor_skip_while(struct cursor *c,
    bool (*in_class)(unsigned char))
{
	const unsigned char *p = c->pos, *from = c->pos;

	/* a local pointer: stores through c would alias the bytes read */
	while (p < c->end && in_class(*p))
		p++;
	c->pos = p;
	return (size_t)(p - from);
}

#endif /* DMARC_CURSOR_H */
