/*
 * How the example programs print libdmarc's values (print.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdbool.h>
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

/* Length of the valid UTF-8 sequence at s (RFC 3629 section 4: no
 * overlong forms, no surrogates, nothing above U+10FFFF), 0 if none. */
static size_t utf8_length(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

void json_text(FILE *fp, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	putc('"', fp);
	while (p < end) {
		size_t len = utf8_length(p, (size_t)(end - p));
		if (len == 0) {
			fputs("\\ufffd", fp);
			p++;
		} else if (len == 3 && p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9)) {
			fprintf(fp, "\\u%04x", 0x2000u + (p[2] & 0x3fu));
			p += 3;
		} else if (len > 1) {
			fwrite(p, 1, len, fp);
			p += len;
		} else {
			unsigned char c = *p++;
			if (c == '"' || c == '\\')
				fprintf(fp, "\\%c", c);
			else if (c == '\n')
				fputs("\\n", fp);
			else if (c == '\r')
				fputs("\\r", fp);
			else if (c == '\t')
				fputs("\\t", fp);
			else if (c < 0x20 || c == 0x7f)
				fprintf(fp, "\\u%04x", c);
			else
				putc(c, fp);
		}
	}
	putc('"', fp);
}

void json_str(FILE *fp, const char *s)
{
	if (s == NULL)
		fputs("null", fp);
	else
		json_text(fp, s, strlen(s));
}

void csv_field(FILE *fp, const char *s)
{
	/* a spreadsheet runs a cell that starts so as a formula: the text
	 * came from a report, so it gets an apostrophe first (OWASP, "CSV
	 * Injection") */
	bool formula;

	if (s == NULL)
		return;
	formula = *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	putc('"', fp);
	if (formula)
		putc('\'', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}

void text_safe(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	while (n > 0) {
		size_t len = utf8_length(p, n);
		/* C0, DEL, C1 (U+0080..U+009F) and bytes that are no UTF-8 */
		if (len == 0 || (len == 1 && (*p < 0x20 || *p == 0x7f)) ||
		    (len == 2 && p[0] == 0xc2 && p[1] < 0xa0)) {
			putc('?', fp);
			len = len == 0 ? 1 : len;
		} else
			fwrite(p, 1, len, fp);
		p += len;
		n -= len;
	}
}
