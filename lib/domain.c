/*
 * libdmarc - domain name normalization: one trailing dot stripped,
 * U-labels to A-labels (IDNA2008, UTS #46 non-transitional, by libidn2),
 * lower case, and the host-name limits enforced.  A name is accepted
 * whole or refused: never shortened.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include <idn2.h>

#include "internal.h"
#include "name_plain.h"

#define MAX_NAME 253u
#define MAX_LABEL 63u
/* UTF-8 input longer than this cannot give a 253-octet A-label name. */
#define MAX_UTF8_INPUT 1024u

static bool is_ldh(unsigned char c)
{
	return (dmarc__ctype[c] & DMARC_CT_LDH) != 0;
}

/* Whether the label [s, e) starts with "xn--" (an A-label). */
static bool is_ace(const char *name, size_t s, size_t e)
{
	return e - s >= 4 && name[s + 2] == '-' && name[s + 3] == '-' &&
	    dmarc__lower((unsigned char)name[s]) == 'x' &&
	    dmarc__lower((unsigned char)name[s + 1]) == 'n';
}

/* End of a label at e (a dot or the end): its length and edges. */
static dmarc_status end_label(const char *name, size_t s, size_t e,
    bool *ace)
{
	if (e == s)
		return DMARC_ENAME_EMPTY;
	if (e - s > MAX_LABEL)
		return DMARC_ENAME_LABEL;
	if (name[s] == '-' || name[e - 1] == '-')
		return DMARC_ENAME_CHAR; /* a hyphen neither starts nor ends */
	*ace |= is_ace(name, s, e);
	return DMARC_OK;
}

/* Check an ASCII name of len bytes (no trailing dot) and write it lower
 * case to out (which has room for len + 1).  *ace is set when a label
 * starts with "xn--", whose punycode libidn2 must still check. */
static dmarc_status check_ascii(char *out, const char *name, size_t len,
    bool *ace)
{
	size_t i, start = 0;
	dmarc_status st;

	*ace = false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		unsigned char k = dmarc__ctype[c];
		/* DMARC_CT_UPPER is 8: shifted, it is the 0x20 of lower case */
		out[i] = (char)(c | (unsigned char)((k & DMARC_CT_UPPER) << 2));
		if (k & DMARC_CT_LDH)
			continue;
		if (c != '.')
			return DMARC_ENAME_CHAR;
		if ((st = end_label(name, start, i, ace)) != DMARC_OK)
			return st;
		start = i + 1;
	}
	if ((st = end_label(name, start, len, ace)) != DMARC_OK)
		return st;
	out[len] = '\0';
	return len > MAX_NAME ? DMARC_ENAME_LENGTH : DMARC_OK;
}

/* Whether every label of a plain name of len bytes is at most 63 long
 * (only a name longer than that can have a longer one). */
bool dmarc__labels_fit(const char *name, size_t len)
{
	const char *end = name + len, *dot;

	while ((dot = memchr(name, '.', (size_t)(end - name))) != NULL) {
		if ((size_t)(dot - name) > MAX_LABEL)
			return false;
		name = dot + 1;
	}
	return (size_t)(end - name) <= MAX_LABEL;
}

/* A libidn2 failure as a status: limits keep their own. */
static dmarc_status idna_error(int rc)
{
	switch (rc) {
	case IDN2_TOO_BIG_LABEL:
	case IDN2_PUNYCODE_BIG_OUTPUT: /* a label's A-label is over 63 */
		return DMARC_ENAME_LABEL;
	case IDN2_TOO_BIG_DOMAIN:
		return DMARC_ENAME_LENGTH;
	case IDN2_MALLOC: /* libidn2 allocates with malloc, not ours */
		return DMARC_ENOMEM;
	default:
		return DMARC_ENAME_IDNA;
	}
}

/* Run libidn2 over a name holding U-labels or A-labels; the result must
 * then pass the ASCII checks. */
static dmarc_status to_alabels(char *out, const char *name, size_t len)
{
	char in[MAX_UTF8_INPUT + 1];
	uint8_t *ascii = NULL;
	dmarc_status st;
	bool ace;
	size_t n;
	int rc;

	if (len > MAX_UTF8_INPUT)
		return DMARC_ENAME_LENGTH;
	memcpy(in, name, len);
	in[len] = '\0';
	rc = idn2_lookup_u8((const uint8_t *)in, &ascii,
	    IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
	if (rc != IDN2_OK) {
		idn2_free(ascii);
		return idna_error(rc);
	}
	n = strlen((const char *)ascii);
	st = n > MAX_NAME ? DMARC_ENAME_LENGTH
	    : check_ascii(out, (const char *)ascii, n, &ace);
	idn2_free(ascii);
	return st;
}

/* Structural checks that apply before any conversion: empty labels, NUL
 * and ASCII bytes no host name has (so "example.net(.example.com" is
 * refused, not cut short). */
static dmarc_status precheck(const char *name, size_t len, bool *utf8)
{
	size_t i;
	bool empty = true;

	*utf8 = false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c >= 0x80) {
			*utf8 = true;
			empty = false;
		} else if (c == '.') {
			if (empty)
				return DMARC_ENAME_EMPTY;
			empty = true;
		} else if (is_ldh(c)) {
			empty = false;
		} else {
			return DMARC_ENAME_CHAR;
		}
	}
	return empty ? DMARC_ENAME_EMPTY : DMARC_OK;
}

/* Any name but the usual one (name_plain.h): lower-cased, or converted by
 * libidn2.  Out of line, so that the usual name's path does not carry
 * its kilobyte of stack. */
dmarc_status dmarc__domain_normalize_other(const char *name, size_t len,
    char *out, size_t size, size_t *length)
{
	char buf[MAX_UTF8_INPUT + 1];
	dmarc_status st;
	bool utf8, ace;

	if (size != 0)
		out[0] = '\0';
	if (len == 0)
		return DMARC_ENAME_EMPTY;
	if (len > MAX_UTF8_INPUT)
		return DMARC_ENAME_LENGTH;
	if (len < size && len <= MAX_NAME &&
	    (st = check_ascii(out, name, len, &ace)) == DMARC_OK && !ace) {
		*length = len;
		return DMARC_OK;
	}
	if (size != 0) /* the fast path may have written part of a name */
		out[0] = '\0';
	/* One pass for other ASCII names; the precheck only when it may
	 * hold UTF-8, which libidn2 must see. */
	st = check_ascii(buf, name, len, &ace);
	if (st == DMARC_ENAME_CHAR || st == DMARC_ENAME_LABEL ||
	    st == DMARC_ENAME_LENGTH) {
		if ((st = precheck(name, len, &utf8)) != DMARC_OK)
			return st;
		st = utf8 ? to_alabels(buf, name, len)
		    : check_ascii(buf, name, len, &ace);
	} else if (st == DMARC_OK && ace) {
		st = to_alabels(buf, buf, len);
	}
	if (st != DMARC_OK)
		return st;
	*length = len = strlen(buf);
	if (len >= size)
		return DMARC_EBUFFER;
	memcpy(out, buf, len + 1);
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_domain_normalize(const char *name,
    size_t len, char *buf, size_t size, size_t *length)
{
	size_t n = 0;
	dmarc_status st;

	if (buf == NULL || (name == NULL && len != 0))
		return DMARC_EINVAL;
	st = dmarc__domain_normalize(name, len, buf, size, &n);
	if (length != NULL)
		*length = st == DMARC_OK || st == DMARC_EBUFFER ? n : 0;
	return st;
}
