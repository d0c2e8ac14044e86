/*
 * Fuzz target for the spool line codec: any bytes as a line.  A line
 * that does not decode gives one of the codec's statuses and an offset
 * within it; one that does decodes to a row that is written again (or
 * refused as over the line limit: normalizing a domain may lengthen it)
 * as a line that decodes to the same row and is written the same again.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/row.h"
#include "report/spool_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_rows(const struct report_row *a, const struct report_row *b)
{
	if (!dmarc__row_same_tuple(a, b) || !dmarc__row_same_tuple(b, a) ||
	    dmarc__row_hash(a) != dmarc__row_hash(b) || a->count != b->count ||
	    a->arrival != b->arrival)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct report_row first, second;
	static char line[DMARC__SPOOL_LINE_SIZE], again[DMARC__SPOOL_LINE_SIZE];
	size_t off = SIZE_MAX, len, len2;
	dmarc_status st;

	st = dmarc__spool_decode(&first, (const char *)data, size, &off);
	if (st != DMARC_OK) {
		if ((st != DMARC_EINVAL && st != DMARC_ERANGE &&
		    st != DMARC_ENOTSUP) || off > size)
			abort();
		return 0;
	}
	if (off != 0)
		abort();
	st = dmarc__spool_encode(&first, line, sizeof line, &len);
	if (st == DMARC_ERANGE && len > DMARC__SPOOL_LINE_MAX + 1)
		return 0;
	if (st != DMARC_OK || len != strlen(line) || line[len - 1] != '\n' ||
	    memchr(line, '\n', len - 1) != NULL)
		abort(); /* a row read from a line can always be written */
	if (dmarc__spool_decode(&second, line, len, &off) != DMARC_OK)
		abort();
	same_rows(&first, &second);
	if (dmarc__spool_encode(&second, again, sizeof again, &len2) !=
	    DMARC_OK || len2 != len || memcmp(line, again, len) != 0)
		abort(); /* canonical */
	return 0;
}
