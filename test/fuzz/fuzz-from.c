/*
 * Fuzz target for the From field parser: the first byte picks how many
 * domains are kept (1 + b % 8), the rest is the field value; the result
 * is an error with an offset inside the input and nothing kept, or at
 * most that many distinct domains, each non-empty, lower case, and
 * normalizing to itself.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "from_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_domain(const char *name)
{
	char again[DMARC_DOMAIN_SIZE];
	const char *nul = memchr(name, '\0', DMARC_DOMAIN_SIZE);
	size_t i, n;

	if (nul == NULL || nul == name)
		abort(); /* unterminated or empty */
	n = (size_t)(nul - name);
	for (i = 0; i < n; i++)
		if (name[i] >= 'A' && name[i] <= 'Z')
			abort();
	if (dmarc_domain_normalize(name, n, again, sizeof again,
	    NULL) != DMARC_OK ||
	    strcmp(again, name) != 0)
		abort(); /* a kept domain is already normalized */
}

static void check_result(const struct from_result *r, unsigned int max)
{
	unsigned int i, j;

	if (r->n_domains > max || r->n_domains > r->n_mailboxes)
		abort();
	if (r->more_domains && r->n_domains != max)
		abort(); /* more only once the cap is full */
	for (i = 0; i < r->n_domains; i++) {
		check_domain(r->domains[i]);
		for (j = 0; j < i; j++)
			if (strcmp(r->domains[i], r->domains[j]) == 0)
				abort(); /* distinct */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct from_room room;
	struct from_result *r = dmarc__from_room(&room);
	size_t off = SIZE_MAX;
	dmarc_status st;
	unsigned int max;

	if (size == 0)
		return 0;
	max = 1u + data[0] % 8u;
	data++;
	size--;
	st = dmarc__from_parse((const char *)data, size, max, r, &off);
	if (st == DMARC_OK) {
		if (off != 0 || r->n_mailboxes == 0)
			abort();
		check_result(r, max);
	} else if (st == DMARC_EFROM) {
		if (off > size || r->n_domains != 0 || r->n_mailboxes != 0 ||
		    r->more_domains)
			abort(); /* nothing kept from a malformed value */
	} else {
		abort();
	}
	return 0;
}
