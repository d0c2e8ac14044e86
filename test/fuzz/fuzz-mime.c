/*
 * Fuzz target for the MIME reader (lib/report/mime.c) and the mbox
 * splitter: any bytes as a message (as an mbox when the first byte is
 * odd, with small limits when its second bit is set).  Oracle: pushed
 * whole, a byte at a time and in pieces of 1 to 13 bytes, it gives the
 * same events, diagnostics and outcome; a failure has a class and an
 * offset within the input.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "../mime-log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static dmarc_ctx *c;
	struct dmarc__mime_limits lim, *lp = NULL;
	struct mime_log a, b, d;
	const char *msg = (const char *)data;
	bool mbox = size > 0 && (data[0] & 1u) != 0;

	if (c == NULL && dmarc_ctx_new(&c) != DMARC_OK)
		abort();
	if (size > 0 && (data[0] & 2u) != 0) {
		dmarc__mime_default_limits(&lim);
		lim.header_max = 256;
		lim.parts_max = 4;
		lim.depth_max = 3;
		lim.decoded_max = 200;
		lp = &lim;
	}
	if (mime_log_run(&a, c, lp, msg, size, 0, 0, mbox) != DMARC_OK ||
	    mime_log_run(&b, c, lp, msg, size, 1, 0, mbox) != DMARC_OK ||
	    mime_log_run(&d, c, lp, msg, size, 13, (uint32_t)size, mbox) !=
	    DMARC_OK)
		abort();
	if (!mime_log_same(&a, &b) || !mime_log_same(&a, &d))
		abort();
	if (a.result != DMARC_OK && a.result != DMARC_EMESSAGE)
		abort();
	/* (an mbox reports failures per message) */
	if ((!mbox && (a.result == DMARC_EMESSAGE) !=
	    (a.fail != DMARC__MIME_F_NONE)) || a.fail_off > size)
		abort();
	mime_log_free(&a);
	mime_log_free(&b);
	mime_log_free(&d);
	return 0;
}
