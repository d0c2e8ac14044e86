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

/* ASCII name characters (Namespaces in XML 1.0 section 3, NCName, less
 * what is not ASCII): START may begin a name (letters, '_'), CHAR may
 * follow (also digits, '-', '.'). */
enum { START = 1, CHAR = 2, BOTH = 3 };
static const unsigned char name_class[256] = {
	['-'] = CHAR, ['.'] = CHAR,
	['0'] = CHAR, ['1'] = CHAR, ['2'] = CHAR, ['3'] = CHAR, ['4'] = CHAR,
	['5'] = CHAR, ['6'] = CHAR, ['7'] = CHAR, ['8'] = CHAR, ['9'] = CHAR,
	['A'] = BOTH, ['B'] = BOTH, ['C'] = BOTH, ['D'] = BOTH, ['E'] = BOTH,
	['F'] = BOTH, ['G'] = BOTH, ['H'] = BOTH, ['I'] = BOTH, ['J'] = BOTH,
	['K'] = BOTH, ['L'] = BOTH, ['M'] = BOTH, ['N'] = BOTH, ['O'] = BOTH,
	['P'] = BOTH, ['Q'] = BOTH, ['R'] = BOTH, ['S'] = BOTH, ['T'] = BOTH,
	['U'] = BOTH, ['V'] = BOTH, ['W'] = BOTH, ['X'] = BOTH, ['Y'] = BOTH,
	['Z'] = BOTH, ['_'] = BOTH,
	['a'] = BOTH, ['b'] = BOTH, ['c'] = BOTH, ['d'] = BOTH, ['e'] = BOTH,
	['f'] = BOTH, ['g'] = BOTH, ['h'] = BOTH, ['i'] = BOTH, ['j'] = BOTH,
	['k'] = BOTH, ['l'] = BOTH, ['m'] = BOTH, ['n'] = BOTH, ['o'] = BOTH,
	['p'] = BOTH, ['q'] = BOTH, ['r'] = BOTH, ['s'] = BOTH, ['t'] = BOTH,
	['u'] = BOTH, ['v'] = BOTH, ['w'] = BOTH, ['x'] = BOTH, ['y'] = BOTH,
	['z'] = BOTH,
};

/* The length of the ASCII NCName at s, 0 if there is none. */
static size_t ncname_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 1;

	if (!(name_class[u[0]] & START))
		return 0;
	while (name_class[u[i]] & CHAR)
		i++;
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
