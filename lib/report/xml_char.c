/*
 * libdmarc - XML 1.0 characters and names (xml_char.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include "xml_char.h"

/* ASCII: TAB, LF, CR and 0x20-0x7F are Chars (XML 1.0 section 2.2). */
static bool ascii_is_char(unsigned char c)
{
	return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
}

bool dmarc__xml_char(const unsigned char *s, size_t len, size_t *n)
{
	unsigned char c = s[0];
	/* RFC 3629 section 4: the range of the second byte depends on the
	 * first; later bytes are 80-BF */
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;

	*n = 1;
	if (c < 0x80)
		return ascii_is_char(c);
	if (c < 0xC2 || c > 0xF4)
		return false; /* continuation byte, overlong lead, beyond U+10FFFF */
	need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (c == 0xE0)
		lo = 0xA0; /* overlong below U+0800 */
	else if (c == 0xED)
		hi = 0x9F; /* surrogates U+D800-U+DFFF */
	else if (c == 0xF0)
		lo = 0x90; /* overlong below U+10000 */
	else if (c == 0xF4)
		hi = 0x8F; /* beyond U+10FFFF */
	for (i = 1; i < need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*n = i; /* the maximal subpart */
			return false;
		}
		lo = 0x80;
		hi = 0xBF;
	}
	*n = need;
	/* U+FFFE and U+FFFF are not Chars */
	return !(c == 0xEF && s[1] == 0xBF && s[2] >= 0xBE);
}

static bool name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(unsigned char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* The length of the ASCII NCName at s, 0 if there is none. */
static size_t ncname_len(const char *s)
{
	size_t i = 0;

	if (!name_start((unsigned char)s[0]))
		return 0;
	while (name_char((unsigned char)s[++i]))
		;
	return i;
}

size_t dmarc__xml_name_len(const char *name, size_t *prefix_len)
{
	size_t first = ncname_len(name), second, len;

	*prefix_len = 0;
	if (first == 0)
		return 0;
	len = first;
	if (name[first] == ':') {
		second = ncname_len(name + first + 1);
		if (second == 0)
			return 0;
		*prefix_len = first;
		len = first + 1 + second;
	}
	return name[len] == '\0' && len <= DMARC__XML_MAX_NAME ? len : 0;
}
