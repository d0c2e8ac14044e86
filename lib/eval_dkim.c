/*
 * libdmarc - the DKIM verdicts of an evaluation: signatures given by the
 * caller or read from trusted Authentication-Results fields, kept up to
 * DMARC_LIMIT_DKIM_SIGNATURES in the priority RFC 9990 3.1.3 gives
 * reports (aligned passes first), the rest counted and said.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "eval_int.h"

/* Text that ends up in reports: printable ASCII only, from first (0x20
 * with spaces, 0x21 without). */
static bool printable_from(const char *s, size_t n, unsigned char first)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < first || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

static bool printable(const char *s, size_t n)
{
	return printable_from(s, n, 0x20);
}

/* Copy a selector of n bytes (1 to EVAL_SELECTOR_SIZE - 1) to out with
 * its NUL, checking as it goes that it is printable ASCII without a
 * space: false (out written in part) otherwise. */
static bool copy_selector(char *out, const char *s, size_t n)
{
	unsigned char bad = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bad |= (unsigned char)(c - 0x21) > 0x7e - 0x21;
		out[i] = (char)c;
	}
	out[n] = '\0';
	return bad == 0;
}

void dmarc__eval_dkim_init(const dmarc_eval *ev, struct eval_dkim *k,
    dmarc_verdict result, const char *domain, size_t dlen,
    const char *selector, size_t slen)
{
	k->result = (uint8_t)result;
	k->alignment = DMARC_UNALIGNED;
	k->usable = dmarc__eval_take_domain(ev, k->domain, &k->domain_len,
	    domain, dlen);
	/* not a selector (a space in it too): kept empty, never cut */
	if (slen == 0 || selector == NULL || slen >= sizeof k->selector ||
	    !copy_selector(k->selector, selector, slen))
		slen = 0;
	k->selector[slen] = '\0';
	k->selector_len = (uint8_t)slen;
	k->human[0] = k->b[0] = '\0';
	k->human_len = 0;
	k->field = k->matched = 0;
}

/* The last two labels of a name, or NULL for one label. */
static const char *last_two(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL)
		return NULL;
	while (dot > name && dot[-1] != '.')
		dot--;
	return dot;
}

/* How near a signing domain is to a From domain, as far as it is known
 * before any Organizational Domain is: 4 the same name (strict
 * alignment), 3 one under the other, 2 the same last two labels, 1
 * unrelated. */
static unsigned int nearness(const char *d, const char *from)
{
	size_t n = strlen(d), f = strlen(from);
	const char *td = last_two(d), *tf = last_two(from);

	if (strcmp(d, from) == 0)
		return 4;
	if ((n > f && d[n - f - 1] == '.' && strcmp(d + n - f, from) == 0) ||
	    (f > n && from[f - n - 1] == '.' && strcmp(from + f - n, d) == 0))
		return 3;
	return td != NULL && tf != NULL && strcmp(td, tf) == 0 ? 2 : 1;
}

/* The priority of RFC 9990 3.1.3 (aligned passes first, failures last)
 * from what is known when a signature is given: its verdict, then how
 * near it is to a From domain given so far. */
static unsigned int dkim_rank(const dmarc_eval *ev, const struct eval_dkim *k)
{
	unsigned int v = k->result == DMARC_VERDICT_PASS ? 2u :
	    k->result == DMARC_VERDICT_TEMPERROR ? 1u : 0u, near = 0, i, r;

	if (k->usable) {
		near = 1;
		for (i = 0; ev->n_from_fields == 1 && i < ev->from.n_domains; i++)
			if ((r = nearness(k->domain, ev->from.domains[i])) > near)
				near = r;
	}
	return v * 5u + near;
}

dmarc_status dmarc__eval_dkim_room(dmarc_eval *ev, size_t want)
{
	size_t cap = ev->cap_dkim != 0 ? ev->cap_dkim : 1;
	struct eval_dkim *more;

	if (want > ev->max_dkim)
		want = ev->max_dkim;
	if (want <= ev->cap_dkim)
		return DMARC_OK;
	while (cap < want)
		cap *= 2;
	if (cap > ev->max_dkim)
		cap = ev->max_dkim;
	more = dmarc__realloc(ev->ctx, ev->dkim, cap * sizeof *ev->dkim);
	if (more == NULL)
		return DMARC_ENOMEM;
	ev->dkim = more;
	ev->cap_dkim = cap;
	return DMARC_OK;
}

dmarc_status dmarc__eval_dkim_keep(dmarc_eval *ev, const struct eval_dkim *k)
{
	size_t low = 0, i;

	if (ev->n_dkim < ev->max_dkim) {
		ev->dkim[ev->n_dkim++] = *k;
		return DMARC_OK;
	}
	if (ev->dkim_dropped++ == 0) /* bounded, and said, never silent */
		dmarc__eval_diag(ev, DMARC_DIAG_DKIM_DROPPED,
		    DMARC_SEVERITY_WARNING, 0, 0);
	for (i = 1; i < ev->n_dkim; i++) /* the last of the lowest */
		if (dkim_rank(ev, &ev->dkim[i]) <= dkim_rank(ev, &ev->dkim[low]))
			low = i;
	if (ev->n_dkim == 0 || dkim_rank(ev, k) <= dkim_rank(ev, &ev->dkim[low]))
		return DMARC_ERANGE;
	/* the new one is the last, as callers number them */
	memmove(&ev->dkim[low], &ev->dkim[low + 1],
	    (ev->n_dkim - low - 1) * sizeof *ev->dkim);
	ev->dkim[ev->n_dkim - 1] = *k;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_eval_add_dkim(dmarc_eval *ev,
    dmarc_verdict result, const char *domain, size_t dlen,
    const char *selector, size_t slen)
{
	struct eval_dkim k;
	dmarc_status st;

	if ((st = dmarc__eval_can_add(ev)) != DMARC_OK)
		return st;
	if (!dmarc__known_verdict(result) || (selector == NULL && slen != 0))
		return DMARC_EINVAL;
	if (ev->n_dkim < ev->cap_dkim) { /* room: made in place, not copied */
		dmarc__eval_dkim_init(ev, &ev->dkim[ev->n_dkim++], result,
		    domain, dlen, selector, slen);
		return DMARC_OK;
	}
	if (ev->n_dkim < ev->max_dkim) {
		/* read the caller's bytes before the room moves: they may be
		 * a signature's own (dmarc_eval_get_dkim_domain) */
		dmarc__eval_dkim_init(ev, &k, result, domain, dlen, selector,
		    slen);
		if ((st = dmarc__eval_dkim_room(ev, ev->n_dkim + 1)) != DMARC_OK)
			return st;
		ev->dkim[ev->n_dkim++] = k;
		return DMARC_OK;
	}
	dmarc__eval_dkim_init(ev, &k, result, domain, dlen, selector, slen);
	return dmarc__eval_dkim_keep(ev, &k);
}

DMARC_EXPORT dmarc_status dmarc_eval_set_dkim_human_result(dmarc_eval *ev,
    size_t index, const char *text, size_t len)
{
	dmarc_status st;

	if ((st = dmarc__eval_can_add(ev)) != DMARC_OK)
		return st;
	if (index >= ev->n_dkim || text == NULL || !printable(text, len))
		return DMARC_EINVAL;
	if (len >= EVAL_HUMAN_SIZE)
		return DMARC_ERANGE;
	memcpy(ev->dkim[index].human, text, len);
	ev->dkim[index].human[len] = '\0';
	ev->dkim[index].human_len = (uint8_t)len;
	return DMARC_OK;
}
