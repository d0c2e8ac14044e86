/*
 * Fuzz target: the Public Suffix List table (lib/psl_table.c).  The
 * input is a list in publicsuffix.org text format, then, after the
 * first NUL byte (if any), names one a line.  Those names and the names
 * made from each rule (itself, a child, a grandchild, its parent) are
 * looked up in both views (all sections, ICANN only) and must get:
 *  - the answer of a plain model of the list's algorithm written here
 *    (every rule tried against the name; an exception, else the rule of
 *    most labels, prevails; "*" for an unlisted top-level label), always;
 *  - libpsl's answer corrected by lib/psl_wild.c (the library's answer
 *    before the table), when libpsl reads the list by the same
 *    algorithm (see regular()).
 * Aborts on the first difference.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "psl_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { PLAIN, WILD, EXCEPT };
enum { ICANN = 1, PRIVATE = 2 };

#define MAX_RULES 1500
#define MAX_NAMES 3000

struct model_rule {
	char base[DMARC_DOMAIN_SIZE]; /* normalized, without "!" or "*." */
	size_t len;
	unsigned char kind, sec;
};

static struct model_rule rules[MAX_RULES];
static size_t n_rules;
static bool irregular; /* libpsl would read the list otherwise */

static size_t labels(const char *s, size_t len)
{
	size_t n = 1, i;

	for (i = 0; i < len; i++)
		n += s[i] == '.';
	return n;
}

/* The suffix of name with k labels; NULL when name has fewer. */
static const char *tail_labels(const char *name, size_t k)
{
	const char *p = name + strlen(name);

	while (k > 0) {
		while (p > name && p[-1] != '.')
			p--;
		if (--k == 0)
			return p;
		if (p == name)
			return NULL;
		p--;
	}
	return NULL;
}

static bool ends_with(const char *name, size_t nlen, const char *base,
    size_t blen)
{
	return nlen >= blen && memcmp(name + nlen - blen, base, blen) == 0 &&
	    (nlen == blen || name[nlen - blen - 1] == '.');
}

/* The list's algorithm, rule by rule. */
static const char *model_org(const char *name, bool icann_only)
{
	size_t nlen = strlen(name), nl = labels(name, nlen), best = 1, i, k;
	size_t exc = 0;
	const struct model_rule *r;

	for (i = 0; i < n_rules; i++) {
		r = &rules[i];
		if ((icann_only && r->sec != ICANN) ||
		    !ends_with(name, nlen, r->base, r->len))
			continue;
		k = labels(r->base, r->len);
		if (r->kind == EXCEPT) {
			if (k > exc)
				exc = k;
		} else if (r->kind == PLAIN) {
			if (k > best)
				best = k;
		} else if (nl > k && k + 1 > best) {
			best = k + 1;
		}
	}
	if (exc != 0)
		return tail_labels(name, exc);
	return nl > best ? tail_labels(name, best + 1) : NULL;
}

/* Sections as the list's comments open and close them (libpsl's way:
 * BEGIN only outside both, END only of the open one). */
static unsigned char section_after(const char *c, unsigned char sec)
{
	if (sec == 0) {
		if (strstr(c, "===BEGIN ICANN DOMAINS===") != NULL)
			return ICANN;
		if (strstr(c, "===BEGIN PRIVATE DOMAINS===") != NULL)
			return PRIVATE;
	} else if (strstr(c, sec == ICANN ? "===END ICANN DOMAINS==="
	    : "===END PRIVATE DOMAINS===") != NULL) {
		return 0;
	}
	return sec;
}

/* One rule's text into the model; false when the table must refuse the
 * list (a rule over the limit). */
static bool model_rule(const char *r, size_t len, unsigned char sec)
{
	struct model_rule *m = &rules[n_rules];
	unsigned char kind = PLAIN;
	size_t n;

	if (len > PSL_RULE_MAX)
		return false;
	if (r[0] == '!') {
		kind = EXCEPT;
		r++;
		len--;
	} else if (r[0] == '*') {
		if (len < 2 || r[1] != '.') {
			irregular = true;
			return true;
		}
		kind = WILD;
		r += 2;
		len -= 2;
	}
	if (len == 0 || r[len - 1] == '.' || (kind == EXCEPT &&
	    memchr(r, '.', len) == NULL) || n_rules == MAX_RULES ||
	    dmarc_domain_normalize(r, len, m->base, sizeof m->base, &n) !=
	    DMARC_OK) {
		irregular = true; /* skipped by the table, not by libpsl */
		return true;
	}
	if (n != len || memcmp(m->base, r, n) != 0 || len > 60)
		irregular = true; /* libpsl takes the text as it is */
	m->len = n;
	m->kind = kind;
	m->sec = sec != 0 ? sec : PRIVATE;
	n_rules++;
	return true;
}

static bool model_list(const char *data, size_t size)
{
	static char line[4097];
	const char *p = data, *end = data + size, *eol, *q;
	unsigned char sec = 0;
	size_t n;

	n_rules = 0;
	irregular = false;
	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (eol - p >= 250)
			irregular = true; /* libpsl reads 254 bytes at a time */
		while (p < eol && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (eol - p >= 2 && p[0] == '/' && p[1] == '/') {
			n = (size_t)(eol - p - 2) < sizeof line - 1 ?
			    (size_t)(eol - p - 2) : sizeof line - 1;
			memcpy(line, p + 2, n);
			line[n] = '\0';
			sec = section_after(line, sec);
			continue;
		}
		for (q = p; q < eol && *q != ' ' && *q != '\t' && *q != '\r';
		    q++)
			;
		if (q > p && !model_rule(p, (size_t)(q - p), sec))
			return false;
	}
	return true;
}

static bool has_rule(const char *base, size_t len, unsigned char kind,
    unsigned char sec)
{
	size_t i;

	for (i = 0; i < n_rules; i++)
		if (rules[i].kind == kind && (sec == 0 || rules[i].sec == sec) &&
		    rules[i].len == len && memcmp(rules[i].base, base, len) == 0)
			return true;
	return false;
}

/* Whether libpsl (with lib/psl_wild.c) reads the list by the algorithm:
 * rules as written normalized, a name's rules in one section and not
 * both plain and wildcard (libpsl keeps one of the two), each
 * exception under a wildcard of its section and with no rule of its own
 * name or below it, and no rule of the private section right under an
 * ICANN wildcard (libpsl's ICANN view stops at the private rule), no
 * public suffix over six labels. */
static bool regular(void)
{
	const struct model_rule *a, *b;
	const char *dot;
	size_t i, j;

	if (irregular)
		return false;
	for (i = 0; i < n_rules; i++) {
		a = &rules[i];
		dot = memchr(a->base, '.', a->len);
		for (j = 0; j < n_rules; j++) {
			b = &rules[j];
			if (b->len == a->len && memcmp(b->base, a->base,
			    a->len) == 0 && (b->sec != a->sec || (a->kind ==
			    EXCEPT && b->kind != EXCEPT) || (a->kind == PLAIN &&
			    b->kind == WILD)))
				return false;
			if (a->kind == EXCEPT && b->len > a->len &&
			    ends_with(b->base, b->len, a->base, a->len))
				return false;
		}
		/* libpsl looks at the last eight or nine labels of a name */
		if (labels(a->base, a->len) + (a->kind == WILD) > 6)
			return false;
		if (dot == NULL)
			continue;
		if (a->kind == EXCEPT && !has_rule(dot + 1, a->len -
		    (size_t)(dot + 1 - a->base), WILD, a->sec))
			return false;
		if (a->sec == PRIVATE && has_rule(dot + 1, a->len -
		    (size_t)(dot + 1 - a->base), WILD, ICANN))
			return false;
	}
	return true;
}

static char names[MAX_NAMES][DMARC_DOMAIN_SIZE];
static size_t n_names;

static void add_name(const char *prefix, const char *s, size_t len)
{
	char raw[600];
	int n = snprintf(raw, sizeof raw, "%s%.*s", prefix, (int)len, s);

	if (n_names < MAX_NAMES && n > 0 && (size_t)n < sizeof raw &&
	    dmarc_domain_normalize(raw, (size_t)n, names[n_names],
	    DMARC_DOMAIN_SIZE, NULL) == DMARC_OK)
		n_names++;
}

static void collect_names(const char *text, size_t size)
{
	const char *p = text, *end = text + size, *eol, *dot;
	size_t i;

	n_names = 0;
	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		add_name("", p, (size_t)(eol - p));
	}
	for (i = 0; i < n_rules; i++) {
		add_name("", rules[i].base, rules[i].len);
		add_name("x.", rules[i].base, rules[i].len);
		add_name("y.x.", rules[i].base, rules[i].len);
		if ((dot = memchr(rules[i].base, '.', rules[i].len)) != NULL)
			add_name("", dot + 1, rules[i].len -
			    (size_t)(dot + 1 - rules[i].base));
	}
}

static void check(dmarc_ctx *ctx, const struct psl_table *t, bool oracle)
{
	const char *got, *want, *libpsl;
	size_t i, v;

	for (i = 0; i < n_names; i++)
		for (v = 0; v < 2; v++) {
			got = dmarc__psl_table_org(t, names[i], v == 1);
			want = model_org(names[i], v == 1);
			if (got != want) {
				fprintf(stderr, "%s (%s): table %s, model %s\n",
				    names[i], v ? "icann" : "all",
				    got ? got : "-", want ? want : "-");
				abort();
			}
			if (!oracle)
				continue;
			if (dmarc_ctx_set_psl_sections(ctx, v == 1 ?
			    DMARC_PSL_ICANN_ONLY : DMARC_PSL_ALL) != DMARC_OK ||
			    dmarc__psl_org_libpsl(ctx, names[i], &libpsl) !=
			    DMARC_OK)
				abort();
			if (got != libpsl) {
				fprintf(stderr, "%s (%s): table %s, libpsl %s\n",
				    names[i], v ? "icann" : "all",
				    got ? got : "-", libpsl ? libpsl : "-");
				abort();
			}
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t list = nul != NULL ? (size_t)(nul - text) : size;
	const struct psl_table *t;
	dmarc_ctx *ctx;
	dmarc_status st;
	bool fits;

	if (list == 0 || (list >= 11 && memcmp(text, ".DAFSA@PSL_", 11) == 0))
		return 0;
	fits = model_list(text, list);
	if (dmarc_ctx_new(&ctx) != DMARC_OK)
		abort();
	dmarc__psl_keep_libpsl(ctx, true);
	st = dmarc_ctx_load_psl_buffer(ctx, text, list);
	if (st != (fits ? DMARC_OK : DMARC_ENOPSL))
		abort();
	if (st == DMARC_OK) {
		if ((t = dmarc__psl_get_table(ctx)) == NULL)
			abort();
		collect_names(nul != NULL ? nul + 1 : text + size,
		    nul != NULL ? size - list - 1 : 0);
		check(ctx, t, regular());
	}
	dmarc_ctx_free(ctx);
	return 0;
}
