/*
 * libdmarc - the report spool: many processes (an MTA's, a milter's)
 * append one line per evaluated message to a file, and a collector
 * rotates it away and reads it into an aggregate (dmarc/report.h).  The
 * line format is libdmarc-spool(5).  Callers with a queue of their own
 * use dmarc_spool_encode_eval() and dmarc_aggregate_add_spool_line()
 * only.  This file adapter is the one part of the library that touches
 * files.
 *
 *   dmarc_spool_open(&spool, ctx, "/var/spool/dmarc/rows", 0,
 *       DMARC_SPOOL_FOLLOW, &err);
 *   ... dmarc_eval_run(ev); dmarc_spool_append_eval(spool, ev); ...
 *
 * Every row is one write(2) below PIPE_BUF on an O_APPEND descriptor:
 * appends of many processes land whole, never interleaved.  A process
 * killed mid-write leaves a torn line, which the reader skips and
 * counts, never takes for a row.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_SPOOL_H
#define DMARC_SPOOL_H

#include <stddef.h>
#include <dmarc/common.h>
#include <dmarc/context.h>
#include <dmarc/eval.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dmarc_spool dmarc_spool;

typedef enum dmarc_spool_flag {
	DMARC_SPOOL_SYNC = 1,  /* fsync(2) after every row */
	DMARC_SPOOL_FOLLOW = 2 /* before every row, reopen the path when a
	                          collector renamed the file (a stat(2)) */
} dmarc_spool_flag;

/* The longest spool line, its LF included. */
#define DMARC_SPOOL_LINE_MAX 4001

/* Open path for appending, created with mode (0: 0640, before the
 * umask); flags are dmarc_spool_flag bits.  DMARC_ESYSTEM when open(2)
 * fails (*sys_errno, optional, gets errno). */
DMARC_EXPORT dmarc_status dmarc_spool_open(dmarc_spool **out,
    const dmarc_ctx *ctx, const char *path, unsigned int mode,
    unsigned int flags, int *sys_errno);
/* NULL is accepted. */
DMARC_EXPORT void dmarc_spool_close(dmarc_spool *spool);

/* Append the row of a finished evaluation.  DMARC_ESTATE when it has
 * nothing to report, DMARC_EINVAL when it has no arrival time
 * (dmarc_aggregate_add_eval()); DMARC_ESYSTEM when write(2) (or fsync)
 * failed: dmarc_spool_get_errno(). */
DMARC_EXPORT dmarc_status dmarc_spool_append_eval(dmarc_spool *spool,
    const dmarc_eval *ev);
/* Rename the file to new_path and go on in a new file under the old
 * name (the collector's side; appenders follow). */
DMARC_EXPORT dmarc_status dmarc_spool_rotate(dmarc_spool *spool,
    const char *new_path);
/* Reopen the path when it names another file than the one open. */
DMARC_EXPORT dmarc_status dmarc_spool_follow(dmarc_spool *spool);
/* The errno of the last DMARC_ESYSTEM, else 0. */
DMARC_EXPORT int dmarc_spool_get_errno(const dmarc_spool *spool);

/* The spool line of a finished evaluation, its LF included, into buf
 * (at most DMARC_SPOOL_LINE_MAX bytes and a NUL). */
DMARC_EXPORT dmarc_status dmarc_spool_encode_eval(const dmarc_eval *ev,
    char *buf, size_t size, size_t *length);

#ifdef __cplusplus
}
#endif
#endif /* DMARC_SPOOL_H */
