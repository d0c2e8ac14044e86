/*
 * libdmarc - sinks and filters of the report wing (DESIGN.md, Reports).
 *
 * A sink is where output goes: the public dmarc_sink_fn and its user
 * pointer.  A filter (gzip, base64, later the mail builder) transforms
 * what it is given and writes the result into the next sink; it has a
 * write function of the dmarc_sink_fn shape, taking the filter itself as
 * user, so a filter is the sink of the stage before it.  A chain
 * xml -> gzip -> base64 -> mail is built from the end: each stage gets
 * the next one's sink.  When the first stage is done, the filters are
 * finished in chain order, each flushing what it holds and writing its
 * trailer into the next one before that one is finished.
 *
 * Status: the first status other than DMARC_OK, from the next sink or
 * from the filter itself, stops the filter; it is returned by that call
 * and by every later write or finish (the chain is dead from there, and
 * each stage sees why).  Sinks are never called with 0 bytes.
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_SINK_H
#define DMARC_REPORT_SINK_H

#include "../internal.h"

struct dmarc__sink {
	dmarc_sink_fn fn;
	void *user;
};

static inline struct dmarc__sink dmarc__sink_make(dmarc_sink_fn fn,
    void *user)
{
	struct dmarc__sink s = { fn, user };
	return s;
}

/* Hands len bytes to the sink (nothing when len is 0). */
static inline dmarc_status dmarc__sink_put(const struct dmarc__sink *s,
    const char *data, size_t len)
{
	return len == 0 ? DMARC_OK : s->fn(s->user, data, len);
}

/* What a filter's write or finish returns before doing anything: the
 * status that stopped it, DMARC_ESTATE once it is finished, else
 * DMARC_OK (go on). */
static inline dmarc_status dmarc__filter_check(dmarc_status stopped,
    bool finished)
{
	if (stopped != DMARC_OK)
		return stopped;
	return finished ? DMARC_ESTATE : DMARC_OK;
}

/* A filter seen from the stage before it, whatever its type. */
struct dmarc__filter {
	dmarc_sink_fn write;                 /* (self, data, len) */
	dmarc_status (*finish)(void *self);  /* flush, trailer; once */
	void *self;
};

/* The filter as the sink of the stage before it. */
static inline struct dmarc__sink dmarc__filter_sink(
    const struct dmarc__filter *f)
{
	return dmarc__sink_make(f->write, f->self);
}

static inline dmarc_status dmarc__filter_write(const struct dmarc__filter *f,
    const char *data, size_t len)
{
	return f->write(f->self, data, len);
}

static inline dmarc_status dmarc__filter_finish(const struct dmarc__filter *f)
{
	return f->finish(f->self);
}

#endif /* DMARC_REPORT_SINK_H */
