/*
 * Fuzz target for domain name normalization: any bytes in; the result is
 * either an error with an empty output, or a name that is short enough,
 * lower case LDH with dots, and normalizes to itself.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_shape(const char *name)
{
	size_t i, n = strlen(name), label = 0;

	if (n == 0 || n > 253)
		abort();
	for (i = 0; i < n; i++) {
		char c = name[i];
		if (c == '.') {
			if (label == 0)
				abort();
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			abort();
		if (++label > 63)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[DMARC_DOMAIN_SIZE], again[DMARC_DOMAIN_SIZE];
	dmarc_status st;

	st = dmarc_domain_normalize((const char *)data, size, out, sizeof out,
	    NULL);
	if (st != DMARC_OK) {
		if (out[0] != '\0')
			abort(); /* a refused name leaves nothing behind */
		return 0;
	}
	check_shape(out);
	if (dmarc_domain_normalize(out, strlen(out), again, sizeof again,
	    NULL) !=
	    DMARC_OK || strcmp(out, again) != 0)
		abort(); /* normalizing is idempotent */
	return 0;
}
