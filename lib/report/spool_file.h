/*
 * libdmarc - the spool file adapter: the one part of the library that
 * touches files (as lib/resolver.c is the one that touches the network).
 * Many processes append rows to one file; a collector rotates it by
 * rename(2) and reads the rotated file.  Lines are those of the codec
 * (lib/report/spool_codec.h, libdmarc-spool(5)).  Never installed.
 *
 * Appending.  The file is opened O_WRONLY | O_APPEND | O_CREAT |
 * O_CLOEXEC and every row is one write(2) of at most 4001 bytes (line
 * and LF), below PIPE_BUF: appends of many processes land whole, one
 * after another, never interleaved (Linux and the BSDs serialize writes
 * to one file).  A write interrupted before it wrote anything (EINTR) is
 * made again; a short write is never completed (the rest would land
 * after other processes' rows) but reported: the row's start stays in
 * the file without its LF, and the reader reports it as torn.
 *
 * Rotation.  dmarc__spool_rotate() renames the file and opens a new one
 * under the old name; other appenders keep writing to the renamed file
 * until they call dmarc__spool_follow() (or append with
 * DMARC__SPOOL_FOLLOW, which checks before every row at the cost of a
 * stat(2)).  A collector renames the file (itself, or through this
 * call), waits until every appender has followed, then reads the
 * renamed file.
 *
 * Reading.  A pull API, no callbacks: dmarc__spool_next() gives the
 * next row, the end, or what was wrong with a line (with its number),
 * in a bounded buffer whatever the file's size.  Bytes a writer left
 * without their LF (a process killed mid-write) are reported as torn and
 * never counted: at the end of the file, and also in the middle, where
 * the next process's row was appended to them (a raw '/' starts every
 * row and appears nowhere else, so the reader finds where it starts).
 *
 * Everything is allocated through the context's allocator.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_SPOOL_FILE_H
#define DMARC_REPORT_SPOOL_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "row.h"


/* ---- appending ---- */

struct dmarc__spool;

enum dmarc__spool_flag {
	DMARC__SPOOL_SYNC = 1,   /* fsync(2) after every row */
	DMARC__SPOOL_FOLLOW = 2  /* before every row, reopen the path when
	                            it names another file (rotated) */
};

/* The default file mode (before the umask). */
#define DMARC__SPOOL_MODE 0640u

/* Open path for appending (created with mode, 0 for the default);
 * flags are dmarc__spool_flag bits.  DMARC_ESYSTEM when open(2)
 * fails (*out is NULL; errno_out, optional, gets the value). */
dmarc_status dmarc__spool_open(struct dmarc__spool **out,
    const dmarc_ctx *ctx, const char *path, unsigned int mode,
    unsigned int flags, int *errno_out);
/* NULL is accepted. */
void dmarc__spool_close(struct dmarc__spool *s);

/* Append one row as one write(2).  The codec's statuses for a row no
 * line can hold (DMARC_ERANGE, DMARC_EINVAL: nothing written);
 * DMARC_ESYSTEM when writing failed (nothing written, or a short write,
 * kept as EIO: a torn line the reader reports) or, with
 * DMARC__SPOOL_SYNC, when fsync failed (the row was written). */
dmarc_status dmarc__spool_append(struct dmarc__spool *s,
    const struct report_row *row);
/* The same for a finished evaluation (dmarc__row_from_eval's statuses
 * too: DMARC_ESTATE when there is nothing to report). */
dmarc_status dmarc__spool_append_eval(struct dmarc__spool *s,
    const dmarc_eval *ev);
/* A line encoded already (with its LF, at most DMARC__SPOOL_LINE_MAX + 1
 * bytes, else DMARC_ERANGE). */
dmarc_status dmarc__spool_append_line(struct dmarc__spool *s,
    const char *line, size_t len);

/* Rename the file to new_path and open a new one under the old name.
 * DMARC_ESYSTEM when rename(2) fails (nothing changed) or the new file
 * cannot be opened (rows then still go to new_path). */
dmarc_status dmarc__spool_rotate(struct dmarc__spool *s, const char *new_path);
/* Reopen the path when it no longer names the file open (another
 * process rotated it); DMARC_OK when nothing had to be done. */
dmarc_status dmarc__spool_follow(struct dmarc__spool *s);
/* The errno value of the last DMARC_ESYSTEM, else 0. */
int dmarc__spool_errno(const struct dmarc__spool *s);

/* ---- reading (the collector) ---- */

struct dmarc__spool_reader;

enum dmarc__spool_event {
	DMARC__SPOOL_ROW = 1,    /* the next row */
	DMARC__SPOOL_DONE = 2,   /* the end of the file */
	DMARC__SPOOL_TORN = 3,   /* bytes left without their LF by a writer
	                            that died mid-write: not a row */
	DMARC__SPOOL_BAD = 4,    /* a line that is not a row (status and
	                            offset say why); reading goes on */
	DMARC__SPOOL_FAILED = 5  /* reading failed: status, errno */
};

/* Where the last event happened, and why for BAD and FAILED. */
struct dmarc__spool_where {
	uint64_t line;           /* 1-based number of the line */
	dmarc_status status;     /* BAD: the codec's; FAILED: DMARC_ESYSTEM */
	size_t offset;           /* BAD: byte offset in the line's row */
	int sys_errno;           /* FAILED: the errno value */
};

/* Open path for reading.  DMARC_ESYSTEM when open(2) fails (*out is
 * NULL; errno_out, optional, gets the value). */
dmarc_status dmarc__spool_reader_open(struct dmarc__spool_reader **out,
    const dmarc_ctx *ctx, const char *path, int *errno_out);
/* The next event; for DMARC__SPOOL_ROW *row (borrowed until the next
 * call) is the row.  After DONE or FAILED, the same again. */
enum dmarc__spool_event dmarc__spool_next(struct dmarc__spool_reader *r,
    const struct report_row **row);
const struct dmarc__spool_where *dmarc__spool_where(
    const struct dmarc__spool_reader *r);
/* NULL is accepted. */
void dmarc__spool_reader_close(struct dmarc__spool_reader *r);

#endif /* DMARC_REPORT_SPOOL_FILE_H */
