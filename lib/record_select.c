/*
 * libdmarc - choosing the DMARC record among the TXT records at one name
 * (RFC 9989 4.10 steps 2 and 6, RFC 7489 6.6.3 steps 3-5): other TXT
 * records are discarded; several DMARC records are discarded under RFC
 * 9989 and stop DMARC under RFC 7489.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include "internal.h"

DMARC_EXPORT dmarc_status dmarc_record_select(dmarc_record **out,
    dmarc_select *result, const dmarc_ctx *ctx,
    const char *const *texts, const size_t *lengths, size_t count)
{
	size_t i, found = 0, which = 0;
	dmarc_status status;

	if (out == NULL || result == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	*result = DMARC_SELECT_NONE;
	if (ctx == NULL || (count != 0 && (texts == NULL || lengths == NULL)))
		return DMARC_EINVAL;
	for (i = 0; i < count; i++) {
		if (texts[i] == NULL && lengths[i] != 0)
			return DMARC_EINVAL;
		if (texts[i] != NULL && dmarc__is_dmarc(ctx, texts[i], lengths[i])) {
			found++;
			which = i;
		}
	}
	if (found == 0)
		return DMARC_OK;
	if (found > 1) {
		*result = ctx->mode == DMARC_MODE_RFC9989 ?
		    DMARC_SELECT_DISCARDED : DMARC_SELECT_MULTIPLE;
		return DMARC_OK;
	}
	status = dmarc_record_parse(out, ctx, texts[which], lengths[which]);
	if (status == DMARC_OK)
		*result = DMARC_SELECT_ONE;
	return status;
}
