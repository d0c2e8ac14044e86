/*
 * libdmarc - the bytes of a spool line (lib/report/spool_codec.h): what a
 * value holds raw and what text a row may carry, shared by the writing
 * and the reading side so that every line written reads back.  Never
 * installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_SPOOL_TEXT_H
#define DMARC_REPORT_SPOOL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "row.h"

/* Every dmarc_fo bit. */
#define SPOOL_FO_BITS 15u

/* Bit c set for a byte c below 128 in a set (two 64-bit words). */
static inline bool spool_in_set(const uint64_t set[2], unsigned char c)
{
	return c < 128 && ((set[c >> 6] >> (c & 63u)) & 1u) != 0;
}

/* A byte a value may hold raw: printable ASCII but '%' (escapes), '/'
 * (only the version field has one) and '=' (ends a key). */
static inline bool spool_raw_value(unsigned char c)
{
	static const uint64_t raw[2] = {
		0xdfff7fdf00000000u, /* 0x20-0x3f but 0x25 0x2f 0x3d */
		0x7fffffffffffffffu  /* 0x40-0x7e */
	};

	return spool_in_set(raw, c);
}

/* A byte the writer leaves raw in a value or a part of a list value
 * (',' separates the parts, so it is escaped too). */
static inline bool spool_raw_part(unsigned char c)
{
	static const uint64_t raw[2] = {
		0xdfff6fdf00000000u, /* the same but 0x2c too */
		0x7fffffffffffffffu
	};

	return spool_in_set(raw, c);
}

/* Text for reports: printable ASCII (comments, human results). */
static inline bool spool_printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

/* A DKIM selector as an evaluation keeps one: printable ASCII without
 * spaces, or empty. */
static inline bool spool_selector_ok(const char *s, size_t n)
{
	return n < REPORT_ROW_SELECTOR_SIZE && spool_printable(s, n) &&
	    memchr(s, ' ', n) == NULL;
}

#endif /* DMARC_REPORT_SPOOL_TEXT_H */
