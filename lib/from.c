/*
 * libdmarc - the RFC 5322 From field parser (section 3.4 with the
 * obsolete list, route and phrase forms of section 4, RFC 6532 UTF-8):
 * one pass of the RFC 5322 one-token lexer (rfc5322.h) over the value,
 * no recursion.  It yields the domains of the mailboxes; display names,
 * comments, local parts and routes are only skipped.
 *
 * Choices where RFC 5322 leaves room, each for not being fooled:
 * - a domain is a dot-atom or RFC 5322 4.4 obs-domain, with CFWS
 *   around its dots ("a@relaxed . example", "a@x(c).y"): the comments
 *   and white space are dropped, as any conforming reader drops them,
 *   so the name evaluated is the one replies go to;
 * - a local part is words and dots, any dots (RFC 5322 refuses
 *   "a..b@x", mail has it); two words with no dot between are a phrase,
 *   so "a b@x" and the display name "a@bank.example <x@evil.example>"
 *   (an addr-spec followed by garbage) are malformed;
 * - an address without '@' ("user", "<user>"), a domain literal and a
 *   group without members count as a mailbox with no domain;
 * - "<>", a value with no address (empty, only commas), a group without
 *   its ';' and a nested group are malformed;
 * - folding, controls and 8-bit bytes as the lexer takes them (bare LF
 *   folds, no control, 8-bit text unchecked); a domain's 8-bit bytes
 *   must pass dmarc_domain_normalize.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "from_int.h"
#include "rfc5322.h"

/* The longest value parsed; callers cap header fields well below. */
#define MAX_VALUE 65536u
/* The longest domain text handed to dmarc_domain_normalize (which
 * refuses more than 1024 bytes, a trailing dot apart). */
#define MAX_DOMAIN_TEXT 1025u

/* The specials that make tokens of their own here; any other byte that
 * starts no token (a control, ')', ']', '\\') is an error. */
#define FROM_SPECIALS (RFC5322_SPECIAL('<') | RFC5322_SPECIAL('>') | \
	RFC5322_SPECIAL('@') | RFC5322_SPECIAL(',') | RFC5322_SPECIAL(':') | \
	RFC5322_SPECIAL(';') | RFC5322_SPECIAL('.'))

struct parser {
	struct rfc5322 lx;
	struct rfc5322_token tok;  /* the one token of lookahead */
	struct from_result *out;
	unsigned int max;   /* domains to keep */
	size_t err;         /* offset of the error, when one is returned */
};

/* Words and dots before an address's other tokens: a display name or a
 * local part, which only the next token tells apart. */
struct words {
	unsigned int n;     /* atoms and quoted strings */
	bool phrase;        /* two words with no dot between */
	size_t bad;         /* the second of those words */
};

static bool fail(struct parser *p, size_t offset)
{
	p->err = offset;
	return false;
}

static bool is_special(const struct parser *p, unsigned char c)
{
	return p->tok.type == RFC5322_T_SPECIAL && p->tok.special == c;
}

static bool is_word(const struct parser *p)
{
	return p->tok.type == RFC5322_T_ATOM || p->tok.type == RFC5322_T_QUOTED;
}

/* The next token into p->tok, after any CFWS. */
static bool next_token(struct parser *p)
{
	if (dmarc__rfc5322_next_token(&p->lx, FROM_SPECIALS, &p->tok))
		return true;
	return fail(p, p->lx.error_offset);
}

/* ---- results ---- */

/* Normalize the domain text of len bytes, found at offset start, and
 * keep it if it is new. */
static bool add_domain(struct parser *p, const char *text, size_t len,
    size_t start)
{
	char name[DMARC_DOMAIN_SIZE];
	struct from_result *out = p->out;
	unsigned int i;
	size_t n;

	if (dmarc_domain_normalize(text, len, name, sizeof name,
	    &n) != DMARC_OK)
		return fail(p, start);
	for (i = 0; i < out->n_domains; i++)
		if (out->domain_len[i] == n &&
		    memcmp(out->domains[i], name, n) == 0)
			return true;
	if (out->n_domains < p->max) {
		memcpy(out->domains[out->n_domains], name, n + 1);
		out->domain_len[out->n_domains++] = (uint8_t)n;
	} else
		out->more_domains = true;
	return true;
}

/* ---- parser ---- */

/* Consume words and dots; what follows decides what they were. */
static bool scan_words(struct parser *p, struct words *w)
{
	bool after_word = false;

	w->n = 0;
	w->phrase = false;
	w->bad = 0;
	for (;;) {
		if (is_word(p)) {
			if (after_word && !w->phrase) {
				w->phrase = true;
				w->bad = p->tok.start;
			}
			after_word = true;
			w->n++;
		} else if (is_special(p, '.')) {
			after_word = false;
		} else {
			return true;
		}
		if (!next_token(p))
			return false;
	}
}

/* Whether the words were a local part; the error is at the first word
 * too many, or at the current token when there was none. */
static bool local_part(struct parser *p, const struct words *w)
{
	if (w->n == 0)
		return fail(p, p->tok.start);
	if (w->phrase)
		return fail(p, w->bad);
	return true;
}

/* At '@': the domain after it (kept when keep is set), atoms and dots
 * with any CFWS between them (RFC 5322 3.4.1 dot-atom, 4.4 obs-domain);
 * the CFWS is not part of the name.  A domain literal is never a domain
 * here. */
static bool parse_at_domain(struct parser *p, bool keep)
{
	char text[MAX_DOMAIN_TEXT];
	size_t start, n = 0, k;
	bool want_atom = true;

	if (!next_token(p))
		return false;
	start = p->tok.start;
	if (p->tok.type == RFC5322_T_LITERAL)
		return next_token(p);
	if (p->tok.type != RFC5322_T_ATOM)
		return fail(p, start);
	/* an atom after an atom ends the domain: "a@x y" is not "x.y" */
	while ((p->tok.type == RFC5322_T_ATOM && want_atom) ||
	    is_special(p, '.')) {
		k = p->tok.end - p->tok.start;
		if (k > sizeof text - n)
			return fail(p, start); /* longer than any name */
		memcpy(text + n, cursor_at(&p->lx.c, p->tok.start), k);
		n += k;
		want_atom = p->tok.type != RFC5322_T_ATOM;
		if (!next_token(p))
			return false;
	}
	return !keep || add_domain(p, text, n, start);
}

/* obs-route, at its first '@' or ',': "@" domain *("," ["@" domain])
 * ":".  Its domains are ignored. */
static bool parse_route(struct parser *p)
{
	unsigned int n = 0;
	bool need_comma = false;

	for (;;) {
		if (is_special(p, ',')) {
			need_comma = false;
			if (!next_token(p))
				return false;
		} else if (is_special(p, '@') && !need_comma) {
			if (!parse_at_domain(p, false))
				return false;
			n++;
			need_comma = true;
		} else {
			break;
		}
	}
	if (n == 0 || !is_special(p, ':'))
		return fail(p, p->tok.start);
	return next_token(p);
}

/* At '<': [obs-route] addr-spec ">".  "<>" is malformed; "<user>" is a
 * mailbox without domain.  A missing '>' is an error at the '<'. */
static bool parse_angle(struct parser *p)
{
	size_t open = p->tok.start;
	struct words w;

	if (!next_token(p))
		return false;
	if ((is_special(p, '@') || is_special(p, ',')) && !parse_route(p))
		return false;
	if (!scan_words(p, &w) || !local_part(p, &w))
		return false;
	if (is_special(p, '@') && !parse_at_domain(p, true))
		return false;
	if (!is_special(p, '>'))
		return fail(p, p->tok.type == RFC5322_T_END ? open : p->tok.start);
	p->out->n_mailboxes++;
	return next_token(p);
}

static bool parse_address(struct parser *p, bool allow_group);

/* At ':' after a display name: members up to ';'.  No members counts as
 * one mailbox without domain. */
static bool parse_group(struct parser *p)
{
	unsigned int members = 0;

	if (!next_token(p))
		return false;
	while (!is_special(p, ';')) {
		if (is_special(p, ',')) {
			if (!next_token(p))
				return false;
			continue;
		}
		if (p->tok.type == RFC5322_T_END)
			return fail(p, p->tok.start);
		if (!parse_address(p, false))
			return false;
		members++;
		if (!is_special(p, ',') && !is_special(p, ';'))
			return fail(p, p->tok.start);
	}
	if (members == 0)
		p->out->n_mailboxes++;
	return next_token(p);
}

/* One address: name-addr, addr-spec, a bare local part, or (when
 * allow_group) a group, whose members may not be groups: one level, so
 * the mutual call with parse_group is bounded. */
static bool parse_address(struct parser *p, bool allow_group)
{
	struct words w;

	if (!scan_words(p, &w))
		return false;
	if (is_special(p, '<'))
		return parse_angle(p);
	if (is_special(p, ':') && allow_group && w.n > 0)
		return parse_group(p);
	if (!local_part(p, &w))
		return false;
	if (is_special(p, '@')) {
		if (!parse_at_domain(p, true))
			return false;
	} else if (p->tok.type != RFC5322_T_END && !is_special(p, ',') &&
	    !is_special(p, ';')) {
		return fail(p, p->tok.start);
	}
	p->out->n_mailboxes++;
	return true;
}

/* address-list with obs-addr-list's empty elements; at least one
 * address. */
static bool parse_list(struct parser *p)
{
	bool any = false;

	if (!next_token(p))
		return false;
	for (;;) {
		if (p->tok.type == RFC5322_T_END)
			return any || fail(p, p->tok.start);
		if (is_special(p, ',')) {
			if (!next_token(p))
				return false;
			continue;
		}
		if (!parse_address(p, true))
			return false;
		any = true;
		if (p->tok.type != RFC5322_T_END && !is_special(p, ','))
			return fail(p, p->tok.start);
	}
}

static void clear_counts(struct from_result *out)
{
	out->n_mailboxes = out->n_domains = 0;
	out->more_domains = false;
}

dmarc_status dmarc__from_parse_general(const char *value, size_t len,
    unsigned int max_domains, struct from_result *out, size_t *error_offset)
{
	struct parser p;
	bool ok;

	if (out == NULL || (value == NULL && len != 0))
		return DMARC_EINVAL;
	clear_counts(out); /* the names are set as they are kept */
	rfc5322_init(&p.lx, value, len, 0);
	p.err = 0;
	p.out = out;
	p.max = max_domains < out->cap ? max_domains : out->cap;
	ok = len <= MAX_VALUE ? parse_list(&p) : fail(&p, MAX_VALUE);
	if (error_offset != NULL)
		*error_offset = ok ? 0 : p.err;
	if (ok)
		return DMARC_OK;
	/* nothing half-parsed leaks out of a malformed value */
	clear_counts(out);
	return DMARC_EFROM;
}

dmarc_status dmarc__from_parse(const char *value, size_t len,
    unsigned int max_domains, struct from_result *out, size_t *error_offset)
{
	if (out != NULL && value != NULL &&
	    dmarc__from_parse_fast(value, len, max_domains, out)) {
		if (error_offset != NULL)
			*error_offset = 0;
		return DMARC_OK;
	}
	return dmarc__from_parse_general(value, len, max_domains, out,
	    error_offset);
}
