/*
 * libdmarc - which bytes and names XML 1.0 allows, for the XML writer
 * (xml_writer.c): characters of text (UTF-8 well-formedness and the Char
 * production) and element and attribute names.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_XML_CHAR_H
#define DMARC_REPORT_XML_CHAR_H

#include <stdbool.h>
#include <stddef.h>

/* The longest name the writer takes, prefix and colon included. */
#define DMARC__XML_MAX_NAME 64u

/*
 * The character at s (len >= 1 bytes).  True when s starts with a
 * well-formed UTF-8 sequence (RFC 3629 section 4) of a character XML 1.0
 * allows in a document (section 2.2, Char: TAB, LF, CR, U+0020-U+D7FF,
 * U+E000-U+FFFD, U+10000-U+10FFFF); *n is then its length.  Otherwise
 * false, and *n (>= 1) is the number of bytes to replace by one U+FFFD:
 * a whole forbidden character, or the maximal subpart of an ill-formed
 * sequence (the bytes that could still have begun a well-formed one), as
 * Unicode's "substitution of maximal subparts" and the WHATWG decoder
 * do: an overlong form, an encoded surrogate or a stray continuation byte
 * gives one U+FFFD per byte, a sequence cut short gives one.
 */
bool dmarc__xml_char(const unsigned char *s, size_t len, size_t *n);

/*
 * The length of name when it is an ASCII NCName (Namespaces in XML 1.0
 * section 3: a letter or '_', then letters, digits, '-', '.' and '_'),
 * or two joined by one ':' (a prefixed name), at most
 * DMARC__XML_MAX_NAME bytes; else 0.  *prefix_len gets the length of the
 * prefix (0 when there is none).  Only ASCII: the report schemas' names
 * are, and the writer takes only fixed names from its tables.
 */
size_t dmarc__xml_name_len(const char *name, size_t *prefix_len);

#endif /* DMARC_REPORT_XML_CHAR_H */
