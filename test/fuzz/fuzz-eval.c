/*
 * Fuzz target for a whole evaluation: a mode and option byte, a From
 * value and verdicts (an SPF byte with bit 5 set gives none, so the
 * field's SPF result counts) from the input, and DNS answers from the rest of it
 * as questions come.  The evaluation must finish, never crash, and give
 * a result consistent with its status; its Authentication-Results field
 * must be one line per property with no byte from the input in it but
 * the normalized Author Domain.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


static void answer(struct input *in, dmarc_rrtype qtype, dmarc_dns_answer *a)
{
	int b = take(in);
	const char *line;
	size_t len;

	if (b < 0 || qtype != DMARC_RR_TXT || b % 4 != 0) {
		dmarc_dns_answer_set(a, b < 0 ? DMARC_DNS_NXDOMAIN :
		    (dmarc_dns_outcome)(1 + b % 5), 60);
		return;
	}
	len = take_line(in, &line);
	dmarc_dns_answer_add_txt(a, line, len);
}

/* The context for a mode byte: made once per mode (the PSL is costly). */
static dmarc_ctx *context(int m)
{
	static dmarc_ctx *ctxs[4];
	static const dmarc_mode modes[] = { DMARC_MODE_RFC9989,
		DMARC_MODE_RFC7489, DMARC_MODE_RFC7489_PSD, DMARC_MODE_RFC9989 };

	if (ctxs[m] == NULL && dmarc_ctx_new(&ctxs[m]) == DMARC_OK) {
		dmarc_ctx_set_mode(ctxs[m], modes[m]);
		dmarc_ctx_add_authserv_id(ctxs[m], "mx.example");
		dmarc_ctx_set_eval_options(ctxs[m], m == 3 ?
		    DMARC_EVAL_MULTI_FROM : 0u);
	}
	return ctxs[m];
}

static void inputs(dmarc_eval *ev, struct input *in)
{
	const char *s;
	size_t n;
	int v;

	n = take_line(in, &s);
	dmarc_eval_add_from(ev, s, n);
	v = take(in);
	n = take_line(in, &s);
	/* bit 5 leaves SPF to the Authentication-Results field: a direct
	 * verdict always beats it */
	if (v >= 0 && !(v & 32))
		dmarc_eval_set_spf(ev, (dmarc_verdict)(1 + v % 8), s, n,
		    v & 8 ? DMARC_SPF_HELO : DMARC_SPF_MAILFROM);
	if (v & 16)
		dmarc_eval_set_envelope_from(ev, "", 0);
	v = take(in);
	n = take_line(in, &s);
	if (v >= 0)
		dmarc_eval_add_dkim(ev, (dmarc_verdict)(1 + v % 8), s, n, "s", 1);
	n = take_line(in, &s);
	dmarc_eval_add_authres(ev, s, n, NULL);
}

static void check_field(const dmarc_eval *ev)
{
	char buf[2048];
	size_t i, len;

	if (dmarc_eval_format_authres(ev, "mx.example", DMARC_AUTHRES_FIELD,
	    buf, sizeof buf, &len) !=
	    DMARC_OK)
		return;
	for (i = 0; i < len; i++) /* only CRLF-TAB folding, no other control */
		if ((unsigned char)buf[i] < 0x20 && !(buf[i] == '\r' &&
		    buf[i + 1] == '\n') && !(buf[i] == '\n' && i > 0 &&
		    buf[i - 1] == '\r') && buf[i] != '\t')
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	dmarc_eval *ev;
	dmarc_ctx *ctx;
	const char *qname;
	dmarc_rrtype qtype;
	unsigned int steps = 0;
	int m = take(&in);

	if (m < 0 || (ctx = context(m % 4)) == NULL ||
	    dmarc_eval_new(&ev, ctx) != DMARC_OK)
		return 0;
	inputs(ev, &in);
	while (dmarc_eval_step(ev, &qname, &qtype) == DMARC_STEP_QUERY) {
		if (++steps > 400)
			abort(); /* it must terminate */
		answer(&in, qtype, dmarc_eval_get_answer(ev));
	}
	if ((dmarc_eval_get_status(ev) == DMARC_OK) !=
	    (dmarc_eval_get_result(ev) != DMARC_RESULT_PENDING))
		abort();
	check_field(ev);
	dmarc_eval_free(ev);
	return 0;
}
