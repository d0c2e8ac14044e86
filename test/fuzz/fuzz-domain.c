/*
 * Fuzz target for domain name normalization: any bytes in; the result is
 * either an error with an empty output, or a name that is short enough,
 * lower case LDH with dots, and normalizes to itself.  An ASCII input
 * without an A-label is also held to the host-name rules written out
 * plainly (the reference for the normalizer's eight-bytes-a-step path).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_shape(const char *name)
{
	size_t i, n = strlen(name), label = 0;

	if (n == 0 || n > 253)
		abort();
	for (i = 0; i < n; i++) {
		char c = name[i];
		if (c == '.') {
			if (label == 0)
				abort();
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			abort();
		if (++label > 63)
			abort();
	}
}

/* The rules for an ASCII name (trailing dot stripped): labels of 1 to 63
 * letters, digits and hyphens, no hyphen first or last, at most 253
 * bytes; its lower-case form in out.  *skip for a label starting with
 * "xn--" (libidn2's to judge) or a byte above 0x7f. */
static int reference(const uint8_t *s, size_t len, char *out, int *skip)
{
	size_t i, start = 0;

	*skip = 0;
	if (len > 0 && s[len - 1] == '.')
		len--;
	for (i = 0; i < len; i++)
		if (s[i] > 0x7f)
			*skip = 1;
	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i <= len; i++) {
		int c = i < len ? s[i] : '.';
		if (c == '.') {
			size_t n = i - start;
			if (n == 0 || n > 63 || s[start] == '-' || s[i - 1] == '-')
				return 0;
			if (n >= 4 && (s[start] | 0x20) == 'x' &&
			    (s[start + 1] | 0x20) == 'n' && s[start + 2] == '-' &&
			    s[start + 3] == '-')
				*skip = 1;
			start = i + 1;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	for (i = 0; i < len; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]);
	out[len] = '\0';
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[DMARC_DOMAIN_SIZE], again[DMARC_DOMAIN_SIZE], want[256];
	dmarc_status st;
	int ok, skip;

	st = dmarc_domain_normalize((const char *)data, size, out, sizeof out,
	    NULL);
	ok = reference(data, size, want, &skip);
	if (!skip && (ok != (st == DMARC_OK) || (ok && strcmp(out, want) != 0)))
		abort(); /* not what the plain rules say */
	if (st != DMARC_OK) {
		if (out[0] != '\0')
			abort(); /* a refused name leaves nothing behind */
		return 0;
	}
	check_shape(out);
	if (dmarc_domain_normalize(out, strlen(out), again, sizeof again,
	    NULL) !=
	    DMARC_OK || strcmp(out, again) != 0)
		abort(); /* normalizing is idempotent */
	return 0;
}
