/*
 * dmarc-report: output held back until a report is final (spill.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "spill.h"

FILE *spill_open(void)
{
	return tmpfile();
}

int spill_reset(FILE *fp)
{
	if (fflush(fp) != 0 || ftruncate(fileno(fp), 0) != 0)
		return -1;
	rewind(fp);
	return 0;
}

int spill_copy(FILE *fp, FILE *out)
{
	char buf[65536];
	size_t n;

	if (fflush(fp) != 0)
		return -1;
	rewind(fp);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return -1;
	if (ferror(fp))
		return -1;
	return spill_reset(fp);
}
