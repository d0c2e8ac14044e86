/*
 * libdmarc - the public spool (include/dmarc/spool.h) over the file
 * adapter (spool_file.h) and the line codec (spool_codec.h), and the
 * collector's side: reading a spool file into an aggregate.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include "../eval_int.h"
#include "aggregate_int.h"
#include "spool_codec.h"
#include "spool_file.h"

/* The public handle is the adapter itself. */
static struct dmarc__spool *adapter(dmarc_spool *s)
{
	return (struct dmarc__spool *)(void *)s;
}

DMARC_EXPORT dmarc_status dmarc_spool_open(dmarc_spool **out,
    const dmarc_ctx *ctx, const char *path, unsigned int mode,
    unsigned int flags, int *sys_errno)
{
	struct dmarc__spool *s;
	dmarc_status st;

	if (sys_errno != NULL)
		*sys_errno = 0;
	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || path == NULL || mode > 07777 ||
	    (flags & ~(unsigned int)(DMARC_SPOOL_SYNC | DMARC_SPOOL_FOLLOW)))
		return DMARC_EINVAL;
	st = dmarc__spool_open(&s, ctx, path, mode, flags, sys_errno);
	if (st == DMARC_OK)
		*out = (dmarc_spool *)(void *)s;
	return st;
}

DMARC_EXPORT void dmarc_spool_close(dmarc_spool *spool)
{
	dmarc__spool_close(adapter(spool));
}

DMARC_EXPORT dmarc_status dmarc_spool_append_eval(dmarc_spool *spool,
    const dmarc_eval *ev)
{
	if (spool == NULL || ev == NULL)
		return DMARC_EINVAL;
	if (ev->arrival == 0 && dmarc__row_discovery(ev) != NULL)
		return DMARC_EINVAL; /* no period: dmarc_eval_set_time() */
	return dmarc__spool_append_eval(adapter(spool), ev);
}

DMARC_EXPORT dmarc_status dmarc_spool_rotate(dmarc_spool *spool,
    const char *new_path)
{
	if (spool == NULL || new_path == NULL)
		return DMARC_EINVAL;
	return dmarc__spool_rotate(adapter(spool), new_path);
}

DMARC_EXPORT dmarc_status dmarc_spool_follow(dmarc_spool *spool)
{
	if (spool == NULL)
		return DMARC_EINVAL;
	return dmarc__spool_follow(adapter(spool));
}

DMARC_EXPORT int dmarc_spool_get_errno(const dmarc_spool *spool)
{
	if (spool == NULL)
		return 0;
	return dmarc__spool_errno((const struct dmarc__spool *)(const void *)
	    spool);
}

DMARC_EXPORT dmarc_status dmarc_spool_encode_eval(const dmarc_eval *ev,
    char *buf, size_t size, size_t *length)
{
	struct report_row *row;
	const dmarc_ctx *ctx;
	dmarc_status st;

	if (length != NULL)
		*length = 0;
	if (buf != NULL && size > 0)
		buf[0] = '\0';
	if (ev == NULL || (buf == NULL && size != 0))
		return DMARC_EINVAL;
	ctx = ev->ctx;
	if ((row = dmarc__alloc(ctx, sizeof *row)) == NULL)
		return DMARC_ENOMEM;
	st = dmarc__row_from_eval(row, ev);
	if (st == DMARC_OK && ev->arrival == 0)
		st = DMARC_EINVAL; /* no period: dmarc_eval_set_time() */
	if (st == DMARC_OK)
		st = dmarc__spool_encode(row, buf, size, length);
	dmarc__free(ctx, row);
	return st;
}

/* ---- the collector ---- */

static dmarc_status read_rows(struct dmarc_aggregate *agg,
    struct dmarc__spool_reader *r, int *sys_errno)
{
	const struct report_row *row;
	dmarc_status result = DMARC_OK;
	struct agg_key key;

	for (;;) {
		const struct dmarc__spool_where *w;
		switch (dmarc__spool_next(r, &row)) {
		case DMARC__SPOOL_ROW:
			agg->spool_rows++;
			dmarc__agg_key_from_row(&key, agg->blob, &agg->rule, row);
			if (!dmarc__aggregate_take(agg, &key, &result))
				return result;
			break;
		case DMARC__SPOOL_TORN:
			agg->spool_torn++;
			dmarc__aggregate_diag(agg, DMARC_DIAG_SPOOL_TORN,
			    dmarc__spool_where(r)->line);
			break;
		case DMARC__SPOOL_BAD:
			agg->spool_bad++;
			dmarc__aggregate_diag(agg, DMARC_DIAG_SPOOL_BAD,
			    dmarc__spool_where(r)->line);
			break;
		case DMARC__SPOOL_DONE:
			return result;
		default:
			w = dmarc__spool_where(r);
			if (sys_errno != NULL)
				*sys_errno = w->sys_errno;
			return w->status;
		}
	}
}

DMARC_EXPORT dmarc_status dmarc_aggregate_read_spool(dmarc_aggregate *agg,
    const char *path, int *sys_errno)
{
	struct dmarc__spool_reader *r;
	dmarc_status st;

	if (sys_errno != NULL)
		*sys_errno = 0;
	if (agg == NULL || path == NULL)
		return DMARC_EINVAL;
	st = dmarc__spool_reader_open(&r, agg->ctx, path, sys_errno);
	if (st != DMARC_OK)
		return st;
	st = read_rows(agg, r, sys_errno);
	dmarc__spool_reader_close(r);
	return st;
}
