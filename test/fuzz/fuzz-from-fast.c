/*
 * Fuzz target: the From field's fast path (lib/from_fast.c) against the
 * general parser.  The first byte picks how many domains are kept
 * (b % 9: 0 included, which the fast path declines), the rest is the
 * value; dmarc__from_parse (fast path first) and the general parser
 * alone must give the same status, error offset, counts and domains.
 * Each result starts from a block of garbage, so that a field the fast
 * path forgets to set shows.  Aborts on the first difference.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../from-compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct from_room fast_room, general_room;
	struct from_result *fast, *general;
	size_t off_fast = 7, off_general = 7;
	dmarc_status st_fast, st_general;
	unsigned int max;

	if (size == 0)
		return 0;
	max = data[0] % 9u;
	data++;
	size--;
	memset(&fast_room, 0xa5, sizeof fast_room);
	memset(&general_room, 0x5a, sizeof general_room);
	fast = dmarc__from_room(&fast_room);
	general = dmarc__from_room(&general_room);
	st_fast = dmarc__from_parse((const char *)data, size, max, fast,
	    &off_fast);
	st_general = dmarc__from_parse_general((const char *)data, size, max,
	    general, &off_general);
	if (from_results_differ(st_fast, off_fast, fast, st_general,
	    off_general, general) != NULL)
		abort();
	return 0;
}
