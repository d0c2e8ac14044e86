/*
 * How the example programs print libdmarc's values (print.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <string.h>

#include "print.h"

const char *tag_word(dmarc_tag t)
{
	return t != DMARC_TAG_NONE ? dmarc_tag_name(t) : NULL;
}

const char *policy_word(dmarc_policy p)
{
	return p != DMARC_POLICY_UNSPECIFIED ? dmarc_policy_name(p) : NULL;
}

void json_string(const char *s)
{
	if (s == NULL)
		fputs("null", stdout);
	else
		json_string_len(s, strlen(s));
}

void json_string_len(const char *s, size_t n)
{
	const char *end = s + n;

	putchar('"');
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

int parse_decimal(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;

	if (*s == '\0' || strlen(s) > 19)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long long)(*s - '0');
	}
	*out = v;
	return 0;
}
