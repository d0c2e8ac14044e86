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
 * hands it (RFC 5322 3.4); the usual domain, a plain name that ends at
 * the '>' or the value's end, is copied by the normalizer's plain path
 * without being scanned first.  Anything else (comments, folding, lists,
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

/* Where an address's domain is found, and where it went. */
struct fast_domain {
	char *out;          /* DMARC_DOMAIN_SIZE bytes */
	size_t d, len;      /* its span in the value */
	size_t n;           /* its length in out, once copied */
	bool copied;
};

/* The domain from dom->d, which ends at stop if anywhere (an angle
 * address's '>', or where an addr-spec's trailing white space begins).
 * A plain name there is copied out as the normalizer would copy it
 * (lib/name_plain.h: one trailing dot dropped), since the general
 * parser would take exactly those bytes; anything else is the run of
 * atoms and dots from d, as the general parser joins them, for the
 * normalizer.  The index after the domain, or 0 when there is none. */
static size_t domain_at(const unsigned char *s, size_t len, size_t stop,
    struct fast_domain *dom)
{
	size_t d = dom->d, e, m = stop - d;

	if (m > 0 && s[stop - 1] == '.')
		m--;
	if (m - 1 < 253u && dmarc__plain_copy(dom->out,
	    (const char *)s + d, m)) {
		dom->n = m;
		dom->copied = true;
		return stop;
	}
	for (e = d; e < len &&
	    (dmarc__ctype[s[e]] & (DMARC_CT_ATEXT | DMARC_CT_DOT)) != 0; e++)
		;
	if (e == d || s[d] == '.')
		return 0;
	dom->len = e - d;
	return e;
}

/* local@domain from i, the domain ending at stop if anywhere; the
 * index after it, or 0 when it is not that shape. */
static size_t addr_spec(const unsigned char *s, size_t i, size_t len,
    size_t stop, struct fast_domain *dom)
{
	size_t e = dot_atom(s, i, len);

	if (e == i || e >= len || s[e] != '@')
		return 0;
	dom->d = e + 1;
	return domain_at(s, len, stop < dom->d ? dom->d : stop, dom);
}

/* A display name from i (after white space): atoms, quoted strings and
 * white space up to a '<'; its index, or len when something else comes
 * first (an addr-spec's '@', say) or nothing does.  Atoms and white
 * space are read in one loop: only their sequence matters here. */
static size_t display_name(const unsigned char *s, size_t i, size_t len)
{
	for (;;) {
		while (i < len && (dmarc__ctype[s[i]] &
		    (DMARC_CT_ATEXT | DMARC_CT_WSP)) != 0)
			i++;
		if (i >= len)
			return len;
		if (s[i] == '<')
			return i;
		if (s[i] != '"' || (i = quoted(s, i, len)) == 0)
			return len;
	}
}

/* The angle address at lt (its '<'); value's last byte not white space
 * is at last - 1: its '>', so the domain ends before it unless it holds
 * one itself (then it is no plain name, and the run of atoms and dots
 * decides). */
static size_t angle_addr(const unsigned char *s, size_t lt, size_t last,
    size_t len, struct fast_domain *dom)
{
	size_t e = addr_spec(s, lt + 1, len, last - 1, dom);

	if (e == 0 || e >= len || s[e] != '>')
		return 0;
	return e + 1;
}

bool dmarc__from_parse_fast(const char *value, size_t len,
    unsigned int max_domains, struct from_result *out)
{
	const unsigned char *s = (const unsigned char *)value;
	struct fast_domain dom = { out->domains[0], 0, 0, 0, false };
	size_t i, e, last, lt;

	if (max_domains == 0 || out->cap == 0 || len > DMARC_FROM_FAST_MAX)
		return false;
	i = skip_wsp(s, 0, len);
	for (last = len; last > i && (s[last - 1] == ' ' ||
	    s[last - 1] == '\t'); last--)
		;
	/* a display name ends at a '<'; anything else that stops it is
	 * an addr-spec's (which cannot hold a '<'), or no usual shape */
	if ((lt = display_name(s, i, len)) < len)
		e = angle_addr(s, lt, last, len, &dom);
	else
		e = addr_spec(s, i, len, last, &dom);
	if (e == 0 || skip_wsp(s, e, len) != len)
		return false;
	if (!dom.copied && dmarc__domain_normalize(value + dom.d, dom.len,
	    out->domains[0], sizeof out->domains[0], &dom.n) != DMARC_OK)
		return false; /* the general parser says where */
	out->domain_len[0] = (uint8_t)dom.n;
	out->n_mailboxes = 1;
	out->n_domains = 1;
	out->more_domains = false;
	return true;
}
