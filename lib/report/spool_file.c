/*
 * libdmarc - the spool file adapter (lib/report/spool_file.h): appending
 * rows with one write(2) each, rotation by rename(2), and the
 * collector's reader that tells torn lines from rows.  The one file of
 * the library that opens files.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../internal.h"
#include "spool_codec.h"
#include "spool_file.h"

#ifdef PIPE_BUF
/* a line and its LF in one write, below what POSIX keeps whole */
_Static_assert(DMARC__SPOOL_LINE_MAX + 1 < PIPE_BUF, "rows below PIPE_BUF");
#endif

/* What the reader holds at once: any line whole, and several. */
#define READ_BUFFER_SIZE 65536u
_Static_assert(READ_BUFFER_SIZE >= 4 * DMARC__SPOOL_LINE_SIZE, "buffer");

/* Owned text through the context's allocator. */
static char *copy_path(const dmarc_ctx *ctx, const char *path)
{
	size_t n = strlen(path) + 1;
	char *p = dmarc__alloc(ctx, n);

	if (p != NULL)
		memcpy(p, path, n);
	return p;
}

/* ---- appending ---- */

struct dmarc__spool {
	const dmarc_ctx *ctx;
	int fd;
	unsigned int mode, flags;
	dev_t dev;                 /* the file fd writes to */
	ino_t ino;
	int sys_errno;
	char *path;
	struct report_row *scratch; /* dmarc__spool_append_eval's row */
	char line[DMARC__SPOOL_LINE_SIZE];
};

static dmarc_status system_failed(struct dmarc__spool *s, int err)
{
	s->sys_errno = err;
	return DMARC_ESYSTEM;
}

/* Open the path (again); the old descriptor is closed only once the new
 * one is open. */
static dmarc_status open_path(struct dmarc__spool *s)
{
	struct stat st;
	int fd = open(s->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    (mode_t)s->mode);

	if (fd < 0)
		return system_failed(s, errno);
	if (fstat(fd, &st) != 0) {
		int err = errno;
		close(fd);
		return system_failed(s, err);
	}
	if (s->fd >= 0)
		close(s->fd);
	s->fd = fd;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	return DMARC_OK;
}

dmarc_status dmarc__spool_open(struct dmarc__spool **out,
    const dmarc_ctx *ctx, const char *path, unsigned int mode,
    unsigned int flags, int *errno_out)
{
	struct dmarc__spool *s;
	dmarc_status st;

	if (errno_out != NULL)
		*errno_out = 0;
	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || path == NULL || mode > 07777u ||
	    (flags & ~(unsigned int)(DMARC__SPOOL_SYNC | DMARC__SPOOL_FOLLOW)))
		return DMARC_EINVAL;
	if ((s = dmarc__alloc(ctx, sizeof *s)) == NULL)
		return DMARC_ENOMEM;
	memset(s, 0, offsetof(struct dmarc__spool, line));
	s->ctx = ctx;
	s->fd = -1;
	s->mode = mode != 0 ? mode : DMARC__SPOOL_MODE;
	s->flags = flags;
	if ((s->path = copy_path(ctx, path)) == NULL) {
		dmarc__spool_close(s);
		return DMARC_ENOMEM;
	}
	if ((st = open_path(s)) != DMARC_OK) {
		if (errno_out != NULL)
			*errno_out = s->sys_errno;
		dmarc__spool_close(s);
		return st;
	}
	*out = s;
	return DMARC_OK;
}

void dmarc__spool_close(struct dmarc__spool *s)
{
	if (s == NULL)
		return;
	if (s->fd >= 0)
		close(s->fd);
	if (s->path != NULL)
		dmarc__free(s->ctx, s->path);
	if (s->scratch != NULL)
		dmarc__free(s->ctx, s->scratch);
	dmarc__free(s->ctx, s);
}

dmarc_status dmarc__spool_follow(struct dmarc__spool *s)
{
	struct stat st;

	if (s == NULL)
		return DMARC_EINVAL;
	if (stat(s->path, &st) != 0) {
		if (errno != ENOENT)
			return system_failed(s, errno);
		return open_path(s); /* renamed away: a new file */
	}
	if (st.st_dev == s->dev && st.st_ino == s->ino)
		return DMARC_OK;
	return open_path(s); /* another file under the name now */
}

/* One write(2) of the whole line: again only when nothing was written
 * (EINTR); never the rest of a short write. */
static dmarc_status write_once(struct dmarc__spool *s, const char *line,
    size_t len)
{
	ssize_t n;

	do
		n = write(s->fd, line, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return system_failed(s, errno);
	if ((size_t)n != len)
		return system_failed(s, EIO); /* torn: the reader says so */
	if ((s->flags & DMARC__SPOOL_SYNC) && fsync(s->fd) != 0)
		return system_failed(s, errno);
	return DMARC_OK;
}

dmarc_status dmarc__spool_append_line(struct dmarc__spool *s,
    const char *line, size_t len)
{
	dmarc_status st;

	if (s == NULL || line == NULL || len == 0 || line[len - 1] != '\n')
		return DMARC_EINVAL;
	if (len > DMARC__SPOOL_LINE_MAX + 1)
		return DMARC_ERANGE;
	if ((s->flags & DMARC__SPOOL_FOLLOW) &&
	    (st = dmarc__spool_follow(s)) != DMARC_OK)
		return st;
	return write_once(s, line, len);
}

dmarc_status dmarc__spool_append(struct dmarc__spool *s,
    const struct report_row *row)
{
	size_t len;
	dmarc_status st;

	if (s == NULL || row == NULL)
		return DMARC_EINVAL;
	st = dmarc__spool_encode(row, s->line, sizeof s->line, &len);
	if (st != DMARC_OK)
		return st;
	return dmarc__spool_append_line(s, s->line, len);
}

dmarc_status dmarc__spool_append_eval(struct dmarc__spool *s,
    const dmarc_eval *ev)
{
	dmarc_status st;

	if (s == NULL || ev == NULL)
		return DMARC_EINVAL;
	if (s->scratch == NULL &&
	    (s->scratch = dmarc__alloc(s->ctx, sizeof *s->scratch)) == NULL)
		return DMARC_ENOMEM;
	if ((st = dmarc__row_from_eval(s->scratch, ev)) != DMARC_OK)
		return st;
	return dmarc__spool_append(s, s->scratch);
}

dmarc_status dmarc__spool_rotate(struct dmarc__spool *s, const char *new_path)
{
	if (s == NULL || new_path == NULL)
		return DMARC_EINVAL;
	if (rename(s->path, new_path) != 0)
		return system_failed(s, errno);
	return open_path(s);
}

int dmarc__spool_errno(const struct dmarc__spool *s)
{
	return s != NULL ? s->sys_errno : 0;
}

/* ---- reading ---- */

struct dmarc__spool_reader {
	const dmarc_ctx *ctx;
	int fd;
	bool eof;
	bool skipping;             /* in a line over the limit, up to its LF */
	enum dmarc__spool_event final; /* DONE or FAILED once there */
	size_t start, end;         /* unread bytes of buf */
	size_t pending, pending_end; /* a row after torn bytes, to decode */
	bool has_pending;
	uint64_t lines;            /* LFs seen */
	struct dmarc__spool_where where;
	struct report_row *row;
	char *buf;
};

dmarc_status dmarc__spool_reader_open(struct dmarc__spool_reader **out,
    const dmarc_ctx *ctx, const char *path, int *errno_out)
{
	struct dmarc__spool_reader *r;

	if (errno_out != NULL)
		*errno_out = 0;
	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || path == NULL)
		return DMARC_EINVAL;
	if ((r = dmarc__alloc(ctx, sizeof *r)) == NULL)
		return DMARC_ENOMEM;
	memset(r, 0, sizeof *r);
	r->ctx = ctx;
	r->fd = -1;
	r->row = dmarc__alloc(ctx, sizeof *r->row);
	r->buf = dmarc__alloc(ctx, READ_BUFFER_SIZE);
	if (r->row == NULL || r->buf == NULL) {
		dmarc__spool_reader_close(r);
		return DMARC_ENOMEM;
	}
	if ((r->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno_out != NULL)
			*errno_out = errno;
		dmarc__spool_reader_close(r);
		return DMARC_ESYSTEM;
	}
	*out = r;
	return DMARC_OK;
}

void dmarc__spool_reader_close(struct dmarc__spool_reader *r)
{
	if (r == NULL)
		return;
	if (r->fd >= 0)
		close(r->fd);
	if (r->row != NULL)
		dmarc__free(r->ctx, r->row);
	if (r->buf != NULL)
		dmarc__free(r->ctx, r->buf);
	dmarc__free(r->ctx, r);
}

const struct dmarc__spool_where *dmarc__spool_where(
    const struct dmarc__spool_reader *r)
{
	return r != NULL ? &r->where : NULL;
}

/* Where the last row in [s, e) starts: the last "dmarc-spool/" (a raw
 * '/' is in no value), or s when there is none after s. */
static size_t last_row_start(const char *buf, size_t s, size_t e)
{
	size_t m = sizeof DMARC__SPOOL_MAGIC - 1, i;

	for (i = e; i >= s + m; i--)
		if (buf[i - 1] == '/' &&
		    memcmp(buf + i - m, DMARC__SPOOL_MAGIC, m) == 0)
			return i - m;
	return s;
}

static enum dmarc__spool_event event(struct dmarc__spool_reader *r,
    enum dmarc__spool_event e, uint64_t line, dmarc_status st, size_t off)
{
	r->where.line = line;
	r->where.status = st;
	r->where.offset = off;
	r->where.sys_errno = 0;
	return e;
}

static enum dmarc__spool_event decode_row(struct dmarc__spool_reader *r,
    size_t s, size_t e, const struct report_row **row)
{
	size_t off;
	dmarc_status st = dmarc__spool_decode(r->row, r->buf + s, e - s, &off);

	if (st != DMARC_OK)
		return event(r, DMARC__SPOOL_BAD, r->lines, st, off);
	*row = r->row;
	return event(r, DMARC__SPOOL_ROW, r->lines, DMARC_OK, 0);
}

/* A whole line [s, e) (its LF at e): torn bytes before its row, if a
 * writer died and the next row was appended to what it left. */
static enum dmarc__spool_event take_line(struct dmarc__spool_reader *r,
    size_t s, size_t e, const struct report_row **row)
{
	size_t k = last_row_start(r->buf, s, e);

	r->lines++;
	if (k == s)
		return decode_row(r, s, e, row);
	r->has_pending = true;
	r->pending = k;
	r->pending_end = e;
	return event(r, DMARC__SPOOL_TORN, r->lines, DMARC_OK, 0);
}

/* Move the unread bytes to the front and read more; false at the end of
 * the file or on an error (r->final set for the error). */
static bool fill(struct dmarc__spool_reader *r)
{
	ssize_t n;

	memmove(r->buf, r->buf + r->start, r->end - r->start);
	r->end -= r->start;
	r->start = 0;
	do
		n = read(r->fd, r->buf + r->end, READ_BUFFER_SIZE - r->end);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int err = errno;
		event(r, DMARC__SPOOL_FAILED, r->lines + 1, DMARC_ESYSTEM, 0);
		r->where.sys_errno = err;
		r->final = DMARC__SPOOL_FAILED;
		return false;
	}
	r->end += (size_t)n;
	r->eof = n == 0;
	return n != 0;
}

/* The buffer is full and holds no LF: torn bytes before the last row
 * start go, or the line is over any limit and is skipped to its LF. */
static enum dmarc__spool_event overlong(struct dmarc__spool_reader *r)
{
	size_t k = last_row_start(r->buf, r->start, r->end);

	if (k > r->start) {
		r->start = k;
		return event(r, DMARC__SPOOL_TORN, r->lines + 1, DMARC_OK, 0);
	}
	r->skipping = true;
	r->start = r->end;
	return event(r, DMARC__SPOOL_BAD, r->lines + 1, DMARC_ERANGE,
	    DMARC__SPOOL_LINE_MAX);
}

/* The end of the file: bytes after the last LF are torn. */
static enum dmarc__spool_event at_end(struct dmarc__spool_reader *r)
{
	if (r->final == 0 && r->start < r->end && !r->skipping) {
		r->start = r->end;
		return event(r, DMARC__SPOOL_TORN, r->lines + 1, DMARC_OK, 0);
	}
	if (r->final == DMARC__SPOOL_FAILED)
		return DMARC__SPOOL_FAILED;
	r->final = DMARC__SPOOL_DONE;
	return event(r, DMARC__SPOOL_DONE, r->lines, DMARC_OK, 0);
}

enum dmarc__spool_event dmarc__spool_next(struct dmarc__spool_reader *r,
    const struct report_row **row)
{
	const char *lf;

	if (r == NULL || row == NULL)
		return DMARC__SPOOL_FAILED;
	*row = NULL;
	if (r->has_pending) {
		r->has_pending = false;
		return decode_row(r, r->pending, r->pending_end, row);
	}
	if (r->final != 0)
		return r->final;
	for (;;) {
		lf = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (lf != NULL) {
			size_t s = r->start, e = (size_t)(lf - r->buf);
			r->start = e + 1;
			if (!r->skipping)
				return take_line(r, s, e, row);
			r->skipping = false; /* reported when it began */
			r->lines++;
			continue;
		}
		if (r->skipping)
			r->start = r->end; /* nothing of it is kept */
		if (r->end - r->start == READ_BUFFER_SIZE)
			return overlong(r);
		if (r->eof || !fill(r))
			return at_end(r);
	}
}
