/*
 * Fuzz target for the unzip filter (lib/report/unzip.c): any bytes after
 * a selector byte (fuzz-decode.h) as a zip archive, decoded in one piece
 * and in chunks, which must agree, with entry events that pair up around
 * each entry's bytes.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "fuzz-decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_run r;

	if (size < 1 || size > 65536)
		return 0;
	fuzz_both(1, data, size, &r);
	fuzz_dispose(&r);
	return 0;
}
