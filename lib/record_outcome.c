/*
 * libdmarc - what parsing a record found: its diagnostics, bounded and
 * in order, and the state they leave it in (RFC 9989 4.7-4.8, RFC 7489
 * 6.3: usable, acting as p=none, or unusable).  Shared by the full
 * parser and the fast path.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include "record_int.h"

void dmarc__diag_add(struct parse_state *st, dmarc_diag_code code,
    dmarc_severity severity, size_t offset, size_t length)
{
	dmarc_diag *d;

	if (st->n_diags >= DMARC_MAX_DIAGS - 1 && !st->final_diags) {
		if (st->diag_overflow)
			return;
		st->diag_overflow = true;
		code = DMARC_DIAG_TOO_MANY_DIAGS;
		severity = DMARC_SEVERITY_WARNING;
		st->tag_id = 0;
		st->tag_len = 0;
		offset = length = 0;
	}
	d = &st->diags[st->n_diags];
	d->code = (uint8_t)code;
	d->severity = (uint8_t)severity;
	d->tag_id = st->tag_id;
	d->offset = offset > UINT32_MAX ? UINT32_MAX : (uint32_t)offset;
	d->length = length > UINT32_MAX ? UINT32_MAX : (uint32_t)length;
	d->domain = "";
	if (st->tag_id != 0) {
		d->tag = dmarc__tag_name(st->tag_id);
	} else if (st->tag_len != 0) { /* copied when the record is built */
		d->tag = NULL;
		st->diag_names[st->n_diags].off = st->tag_off;
		st->diag_names[st->n_diags].len = st->tag_len;
		st->pool += st->tag_len + 1u;
	} else {
		d->tag = "";
	}
	st->n_diags++;
}

void dmarc__record_decide(struct parse_state *st)
{
	st->final_diags = true;
	if (!(st->seen & DMARC_TAG_BIT(DMARC_TAG_P))) {
		bool bis = st->mode == DMARC_MODE_RFC9989;
		st->tag_id = DMARC_TAG_P;
		dmarc__diag_add(st, DMARC_DIAG_MISSING_P, bis ?
		    DMARC_SEVERITY_WARNING : DMARC_SEVERITY_ERROR, 0, 0);
		st->tag_id = 0;
		if (bis)
			st->v.p = DMARC_POLICY_NONE;
		else
			st->policy_bad = true;
	}
	if ((st->v.present & DMARC_TAG_BIT(DMARC_TAG_FO)) &&
	    !(st->v.present & DMARC_TAG_BIT(DMARC_TAG_RUF))) {
		st->tag_id = DMARC_TAG_FO;
		dmarc__diag_add(st, DMARC_DIAG_FO_WITHOUT_RUF,
		    DMARC_SEVERITY_WARNING, st->fo_off, st->fo_len);
		st->tag_id = 0;
	}
	if (st->fatal) {
		st->v.state = DMARC_RECORD_INVALID;
	} else if (st->policy_bad && st->n_uris[LIST_RUA] > 0) {
		dmarc__diag_add(st, DMARC_DIAG_AS_NONE, DMARC_SEVERITY_WARNING,
		    0, 0);
		st->v.state = DMARC_RECORD_AS_NONE;
	} else if (st->policy_bad) {
		dmarc__diag_add(st, DMARC_DIAG_NO_POLICY, DMARC_SEVERITY_ERROR,
		    0, 0);
		st->v.state = DMARC_RECORD_INVALID;
	} else {
		st->v.state = DMARC_RECORD_VALID;
	}
}
