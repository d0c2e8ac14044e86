/*
 * libdmarc - what an evaluation says about its inputs: a bounded list of
 * diagnostics (From fields, Authentication-Results fields not used,
 * signatures dropped) and their getters.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "eval_int.h"

void dmarc__eval_diag(dmarc_eval *ev, dmarc_diag_code code,
    dmarc_severity severity, size_t offset, size_t length)
{
	/* why the message is outside DMARC is never crowded out: two slots
	 * are kept for the From fields' diagnostics (a malformed first
	 * field and a second field at most), so what is kept does not
	 * depend on the order of the inputs */
	bool from = code >= DMARC_DIAG_FROM_MISSING &&
	    code <= DMARC_DIAG_FROM_NO_DOMAIN;
	dmarc_diag *g;

	if (from ? ev->n_diags >= EVAL_MAX_DIAGS :
	    ev->n_other_diags >= EVAL_MAX_DIAGS - 2)
		return; /* bounded; an entry says so */
	if (!from && ++ev->n_other_diags == EVAL_MAX_DIAGS - 2) {
		code = DMARC_DIAG_TOO_MANY_DIAGS;
		severity = DMARC_SEVERITY_WARNING;
		offset = length = 0;
	}
	g = &ev->diags[ev->n_diags++];
	memset(g, 0, sizeof *g);
	g->code = (uint8_t)code;
	g->severity = (uint8_t)severity;
	g->offset = (uint32_t)offset;
	g->length = (uint32_t)length;
	g->tag = g->domain = "";
}

DMARC_EXPORT size_t dmarc_eval_get_diag_count(const dmarc_eval *ev)
{
	return ev != NULL ? ev->n_diags : 0;
}

DMARC_EXPORT const dmarc_diag *dmarc_eval_get_diag(const dmarc_eval *ev,
    size_t index)
{
	return ev != NULL && index < ev->n_diags ? &ev->diags[index] : NULL;
}
