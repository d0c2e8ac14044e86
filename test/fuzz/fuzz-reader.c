/*
 * Fuzz target for the report reader (dmarc/reader.h): the whole chain of
 * containers (mbox, MIME, gzip, zip) and the XML stage over any bytes.
 * The first byte chooses strict mode (bit 0), small limits (bit 1) and
 * a chunk size (the other bits); the rest is the input.  Oracle: pushed
 * whole, in pieces of that size and in pieces of random sizes, it gives
 * the same events with the same field values and diagnostics
 * (test/reader-log.h); every event's getters work, values are
 * NUL-terminated and of the length reported, rows come inside a report
 * and the sum of their counts is MESSAGES at REPORT_END; the reader,
 * reset, reads it again the same.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <dmarc/dmarc.h>

#include "../reader-log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dmarc_ctx *context(bool small)
{
	static dmarc_ctx *c[2];
	dmarc_ctx **p = &c[small ? 1 : 0];

	if (*p != NULL)
		return *p;
	if (dmarc_ctx_new(p) != DMARC_OK)
		abort();
	if (small &&
	    (dmarc_ctx_set_limit(*p, DMARC_LIMIT_XML_DEPTH, 8) != DMARC_OK ||
	    dmarc_ctx_set_limit(*p, DMARC_LIMIT_XML_ELEMENTS, 1000) != DMARC_OK ||
	    dmarc_ctx_set_limit(*p, DMARC_LIMIT_XML_STRING, 256) != DMARC_OK ||
	    dmarc_ctx_set_limit(*p, DMARC_LIMIT_REPORT_RECORDS, 3) != DMARC_OK ||
	    dmarc_ctx_set_limit(*p, DMARC_LIMIT_REPORT_BYTES, 1u << 20) !=
	    DMARC_OK ||
	    dmarc_ctx_set_limit(*p, DMARC_LIMIT_REPORT_RATIO, 10) != DMARC_OK ||
	    dmarc_ctx_set_limit(*p, DMARC_LIMIT_MIME_DEPTH, 2) != DMARC_OK ||
	    dmarc_ctx_set_limit(*p, DMARC_LIMIT_MIME_PARTS, 4) != DMARC_OK))
		abort();
	return *p;
}

static void broken(const struct reader_log *l, const char *how)
{
	fprintf(stderr, "fuzz-reader: %s: %s\n", how,
	    l->broken != NULL ? l->broken : "logs differ");
	abort();
}

static bool same(const struct reader_log *a, const struct reader_log *b)
{
	return a->len == b->len &&
	    (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader_log whole, chunked, random;
	dmarc_reader *rd;
	const char *in = (const char *)data + 1;
	size_t len;
	bool strict;
	long chunk;

	if (size < 1)
		return 0;
	strict = (data[0] & 1u) != 0;
	chunk = 1 + (long)(data[0] >> 2) * 5;
	len = size - 1;
	if (dmarc_reader_new(&rd, context((data[0] & 2u) != 0)) != DMARC_OK ||
	    dmarc_reader_set_strict(rd, strict) != DMARC_OK)
		abort();
	reader_log_init(&whole);
	reader_log_init(&chunked);
	reader_log_init(&random);
	if (!reader_log_run(&whole, rd, in, len, 0, 0))
		broken(&whole, "whole");
	if (getenv("FUZZ_READER_LOG") != NULL) /* to look at, by hand */
		fputs(whole.data != NULL ? whole.data : "", stderr);
	dmarc_reader_reset(rd);
	if (dmarc_reader_set_strict(rd, strict) != DMARC_OK)
		abort();
	if (!reader_log_run(&chunked, rd, in, len, chunk, 0))
		broken(&chunked, "chunked");
	if (!same(&chunked, &whole)) {
		fprintf(stderr, "whole:\n%s\nchunks of %ld:\n%s\n", whole.data,
		    chunk, chunked.data);
		broken(&chunked, "chunked");
	}
	dmarc_reader_free(rd);
	/* a fresh reader, pieces of random sizes */
	if (dmarc_reader_new(&rd, context((data[0] & 2u) != 0)) != DMARC_OK ||
	    dmarc_reader_set_strict(rd, strict) != DMARC_OK)
		abort();
	if (!reader_log_run(&random, rd, in, len, -(long)(size + 1), 0))
		broken(&random, "random");
	if (!same(&random, &whole)) {
		fprintf(stderr, "whole:\n%s\nrandom chunks:\n%s\n", whole.data,
		    random.data);
		broken(&random, "random");
	}
	dmarc_reader_free(rd);
	reader_log_free(&whole);
	reader_log_free(&chunked);
	reader_log_free(&random);
	return 0;
}
