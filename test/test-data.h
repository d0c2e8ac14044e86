/*
 * Small helpers the discovery and evaluation suites share: where the
 * test Public Suffix List is, and a short name for each mode in messages.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_TEST_DATA_H
#define DMARC_TEST_DATA_H

#include <stdio.h>
#include <stdlib.h>

#include <dmarc/dmarc.h>

/* test/data/psl-test.dat under $top_srcdir (automake sets it), else "..". */
static inline const char *psl_path(void)
{
	static char path[4096];
	const char *top = getenv("top_srcdir");

	snprintf(path, sizeof path, "%s/test/data/psl-test.dat",
	    top != NULL && top[0] != '\0' ? top : "..");
	return path;
}

static inline const char *mode_name(dmarc_mode mode)
{
	switch (mode) {
	case DMARC_MODE_RFC9989:
		return "bis";
	case DMARC_MODE_RFC7489:
		return "7489";
	case DMARC_MODE_RFC7489_PSD:
		return "9091";
	}
	return "?";
}

#endif /* DMARC_TEST_DATA_H */
