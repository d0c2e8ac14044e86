/*
 * libdmarc - the From field's fast path: the shapes nearly every From
 * field has, read in one pass without the lexer:
 *
 *   local@domain
 *   <local@domain>
 *   Display Name <local@domain>
 *   "Quoted, Display Name" <local@domain>
 *
 * with spaces and tabs around them.  The local part is a dot-atom, the
 * display name atoms and quoted strings (no quoted pair), the domain
 * atext and dots, handed to dmarc_domain_normalize as the general parser
 * hands it (RFC 5322 3.4).  Anything else (comments, folding, lists,
 * groups, routes, white space inside the angle brackets, a name that does
 * not normalize) is declined, and lib/from.c's general parser reads the
 * value from the start: the fast path never fails a value, so its only
 * duty is to give the general parser's result for what it takes, which
 * test/test-from-fast and the fuzz-from-fast target check.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "from_int.h"
#include "name_plain.h"
#include "rfc5322.h"

static size_t skip_wsp(const unsigned char *s, size_t i, size_t len)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static size_t skip_atext(const unsigned char *s, size_t i, size_t len)
{
	while (i < len && rfc5322_is_atext(s[i]))
		i++;
	return i;
}

/* A dot-atom from i (RFC 5322 3.2.3): its end, or i when there is none. */
static size_t dot_atom(const unsigned char *s, size_t i, size_t len)
{
	size_t e = skip_atext(s, i, len);

	if (e == i)
		return i;
	while (e + 1 < len && s[e] == '.' && rfc5322_is_atext(s[e + 1]))
		e = skip_atext(s, e + 1, len);
	return e;
}

/* A quoted string at i (at its '"') without quoted pairs, controls or
 * line breaks: the index after the closing quote, or 0. */
static size_t quoted(const unsigned char *s, size_t i, size_t len)
{
	for (i++; i < len; i++) {
		if (s[i] == '"')
			return i + 1;
		if (s[i] == '\\' || rfc5322_is_ctl(s[i]))
			return 0;
	}
	return 0;
}

/* local@domain from i: the domain's span in *d, *dlen; the index after
 * it, or 0 when it is not that shape. */
static size_t addr_spec(const unsigned char *s, size_t i, size_t len,
    size_t *d, size_t *dlen)
{
	size_t e = dot_atom(s, i, len);

	if (e == i || e >= len || s[e] != '@')
		return 0;
	*d = e + 1;
	/* atoms and dots, as the general parser joins them for the name */
	for (e = *d; e < len &&
	    (dmarc__ctype[s[e]] & (DMARC_CT_ATEXT | DMARC_CT_DOT)) != 0; e++)
		;
	if (e == *d || s[*d] == '.')
		return 0;
	*dlen = e - *d;
	return e;
}

/* A display name, then the angle address, from i (after white space). */
static size_t name_addr(const unsigned char *s, size_t i, size_t len,
    size_t *d, size_t *dlen)
{
	size_t e;

	while (i < len && s[i] != '<') {
		if (s[i] == '"')
			e = quoted(s, i, len);
		else
			e = skip_atext(s, i, len);
		if (e <= i)
			return 0;
		i = skip_wsp(s, e, len);
	}
	if (i == len)
		return 0;
	e = addr_spec(s, i + 1, len, d, dlen);
	if (e == 0 || e >= len || s[e] != '>')
		return 0;
	return e + 1;
}

bool dmarc__from_parse_fast(const char *value, size_t len,
    unsigned int max_domains, struct from_result *out)
{
	const unsigned char *s = (const unsigned char *)value;
	size_t i, e, d = 0, dlen = 0, n;

	if (max_domains == 0 || out->cap == 0 || len > DMARC_FROM_FAST_MAX)
		return false;
	i = skip_wsp(s, 0, len);
	/* a name-addr has a '<', which an addr-spec cannot hold */
	if (memchr(s + i, '<', len - i) == NULL)
		e = addr_spec(s, i, len, &d, &dlen);
	else
		e = name_addr(s, i, len, &d, &dlen);
	if (e == 0 || skip_wsp(s, e, len) != len)
		return false;
	if (dmarc__domain_normalize(value + d, dlen, out->domains[0],
	    sizeof out->domains[0], &n) != DMARC_OK)
		return false; /* the general parser says where */
	out->domain_len[0] = (uint8_t)n;
	out->n_mailboxes = 1;
	out->n_domains = 1;
	out->more_domains = false;
	return true;
}
