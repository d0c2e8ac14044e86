/*
 * libdmarc - whether a finished evaluation has a row to report, read
 * from the evaluation directly: inline, for the aggregate's hot path
 * (lib/report/agg_eval.c) and for dmarc__row_discovery (row.h).  Never
 * installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_ROW_EVAL_H
#define DMARC_REPORT_ROW_EVAL_H

#include "../discovery_int.h"
#include "../eval_int.h"

/* The discovery whose record applied to a finished evaluation that has
 * something to report, else NULL. */
static inline const dmarc_discovery *dmarc__row_eval_discovery(
    const dmarc_eval *ev)
{
	if (ev->phase != EV_DONE || ev->status != DMARC_OK ||
	    ev->from.n_domains == 0 || ev->best.result == DMARC_RESULT_NONE ||
	    ev->best.result == DMARC_RESULT_PENDING)
		return NULL;
	/* dmarc_discovery_get_result and _get_policy_domain, read
	 * directly */
	if (ev->kept->result != DMARC_DISCOVERY_FOUND ||
	    ev->kept->record == NULL)
		return NULL;
	return ev->kept;
}

#endif /* DMARC_REPORT_ROW_EVAL_H */
