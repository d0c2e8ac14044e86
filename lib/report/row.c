/*
 * libdmarc - report rows: one from a finished evaluation (RFC 9989
 * 5.3.3 and 5.3.7 say what a receiver keeps per message; RFC 9990 3.1.1
 * what a record reports), and the tuple that makes rows distinct (RFC
 * 9990 3.1.1.7): compared and hashed for the aggregate's table.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "row.h"
#include "row_eval.h"

/* The evaluation keeps what a row holds, in arrays of the same sizes. */
_Static_assert(EVAL_MAX_REASONS == REPORT_ROW_MAX_REASONS, "reasons");
_Static_assert(EVAL_COMMENT_SIZE == REPORT_ROW_COMMENT_SIZE, "comment");
_Static_assert(EVAL_SELECTOR_SIZE == REPORT_ROW_SELECTOR_SIZE, "selector");
_Static_assert(EVAL_HUMAN_SIZE == REPORT_ROW_HUMAN_SIZE, "human result");
_Static_assert(DMARC_MAX_DKIM_SIGNATURES == REPORT_ROW_MAX_DKIM, "dkim");

/* A finished evaluation with a policy record that applied. */
const dmarc_discovery *dmarc__row_discovery(const dmarc_eval *ev)
{
	return dmarc__row_eval_discovery(ev);
}

static void copy_text(char *dst, const char *src)
{
	memcpy(dst, src, strlen(src) + 1);
}

/* policy_published with defaults (RFC 9990 3.1.1.5). */
void dmarc__row_policy(struct report_policy *p, const dmarc_discovery *d)
{
	const dmarc_record *rec = dmarc_discovery_get_record(d);

	p->mode = (uint8_t)dmarc_record_get_mode(rec);
	p->method = (uint8_t)dmarc_discovery_get_method(d);
	p->p = (uint8_t)dmarc_record_get_policy(rec, DMARC_TAG_P);
	p->sp = (uint8_t)dmarc_record_get_policy(rec, DMARC_TAG_SP);
	p->np = (uint8_t)dmarc_record_get_policy(rec, DMARC_TAG_NP);
	p->adkim = (uint8_t)dmarc_record_get_alignment(rec, DMARC_TAG_ADKIM);
	p->aspf = (uint8_t)dmarc_record_get_alignment(rec, DMARC_TAG_ASPF);
	p->fo = (uint8_t)dmarc_record_get_fo(rec);
	p->pct = (uint8_t)dmarc_record_get_pct(rec);
	p->testing = dmarc_record_get_testing(rec) != 0;
	p->psd = (uint8_t)dmarc_record_get_psd(rec);
	p->zero = 0;
	p->ri = dmarc_record_get_ri(rec);
}

void dmarc__row_error_text(char dst[REPORT_ROW_COMMENT_SIZE],
    const dmarc_diag *diag)
{
	const char *tag = dmarc_diag_get_tag(diag), *text;
	size_t n = 0, t;

	if (tag != NULL && tag[0] != '\0' &&
	    strlen(tag) + 2 < REPORT_ROW_COMMENT_SIZE)
		n = (size_t)snprintf(dst, REPORT_ROW_COMMENT_SIZE, "%s: ", tag);
	text = dmarc_diag_get_text(diag);
	t = strlen(text);
	if (t > REPORT_ROW_COMMENT_SIZE - 1 - n)
		t = REPORT_ROW_COMMENT_SIZE - 1 - n;
	memcpy(dst + n, text, t);
	dst[n + t] = '\0';
	for (; *dst != '\0'; dst++) /* a tag name comes from the record */
		if (*dst < 0x20 || *dst > 0x7e)
			*dst = '?';
}

/* Record problems for the error element (RFC 9990 3.1.5): the record's
 * diagnostics as text, distinct, sorted, the first few. */
static void take_errors(struct report_row *row, const dmarc_record *rec)
{
	size_t i, n = dmarc_record_get_diag_count(rec);
	char text[REPORT_ROW_COMMENT_SIZE];

	row->n_errors = 0;
	for (i = 0; i < n; i++) {
		dmarc__row_error_text(text, dmarc_record_get_diag(rec, i));
		dmarc__row_add_error(row->errors, &row->n_errors, text);
	}
}

static void take_envelope(struct report_row *row, const dmarc_eval *ev)
{
	row->has_envelope_from = ev->env_from_set;
	copy_text(row->envelope_from, ev->env_from_set ? ev->env_from : "");
	row->has_envelope_to = ev->env_to[0] != '\0';
	copy_text(row->envelope_to, ev->env_to);
	row->ip.family = ev->ip_family;
	memcpy(row->ip.addr, ev->ip_addr, sizeof row->ip.addr);
}

static void take_reasons(struct report_row *row, const dmarc_eval *ev)
{
	size_t i;

	row->n_reasons = (uint8_t)ev->n_reasons;
	for (i = 0; i < ev->n_reasons; i++) {
		struct report_reason *r = &row->reasons[i];
		r->type = ev->reasons[i].type;
		r->has_comment = ev->reasons[i].has_comment;
		copy_text(r->comment, r->has_comment ? ev->reasons[i].comment :
		    "");
	}
}

static void take_spf(struct report_row *row, const dmarc_eval *ev)
{
	row->has_spf = ev->spf_set;
	row->spf.result = ev->spf_set ? ev->spf_result : DMARC_VERDICT_NONE;
	row->spf.scope = ev->spf_scope;
	copy_text(row->spf.domain, ev->spf_set && ev->spf_usable ?
	    ev->spf_domain : "");
}

/* RFC 9990 3.1.3: 0 passing and strictly aligned, 1 passing and
 * relaxed-aligned, 2 other passing, 3 the rest.  Alignment as far as the
 * evaluation settled it: a signature's own mark is of the last From
 * domain evaluated, so with several it counts only for the one chosen. */
static unsigned int dkim_class(const dmarc_eval *ev, size_t i,
    const char *header_from)
{
	const struct eval_dkim *k = &ev->dkim[i];
	bool marks = ev->from.n_domains == 1;

	if (k->result != DMARC_VERDICT_PASS)
		return 3;
	if (!k->usable)
		return 2;
	if (strcmp(k->domain, header_from) == 0)
		return 0;
	if ((marks && k->alignment == DMARC_ALIGNED_ORG) ||
	    ((int)i == ev->best.aligned_dkim &&
	    ev->best.dkim_alignment == DMARC_ALIGNED_ORG))
		return 1;
	return 2;
}

size_t dmarc__row_dkim_order(const dmarc_eval *ev, const char *header_from,
    uint8_t order[REPORT_ROW_MAX_DKIM])
{
	size_t n = ev->n_dkim < REPORT_ROW_MAX_DKIM ? ev->n_dkim :
	    REPORT_ROW_MAX_DKIM, i, m = 0;
	uint8_t cls[REPORT_ROW_MAX_DKIM];
	unsigned int c, seen = 0;

	if (n <= 1) { /* one signature is in order */
		order[0] = 0;
		return n;
	}
	for (i = 0; i < n; i++) {
		cls[i] = (uint8_t)dkim_class(ev, i, header_from);
		seen |= 1u << cls[i];
	}
	for (c = 0; c < 4; c++) /* stable: given order within a class */
		for (i = 0; (seen & (1u << c)) && i < n; i++)
			if (cls[i] == c)
				order[m++] = (uint8_t)i;
	return m;
}

static void take_dkim(struct report_row *row, const dmarc_eval *ev)
{
	uint8_t order[REPORT_ROW_MAX_DKIM];
	size_t n = dmarc__row_dkim_order(ev, row->header_from, order), i;

	for (i = 0; i < n; i++) {
		const struct eval_dkim *k = &ev->dkim[order[i]];
		struct report_dkim *d = &row->dkim[i];
		d->result = k->result;
		copy_text(d->domain, k->domain);
		copy_text(d->selector, k->selector);
		copy_text(d->human, k->human);
	}
	row->n_dkim = (uint8_t)n;
}

dmarc_status dmarc__row_from_eval(struct report_row *row,
    const dmarc_eval *ev)
{
	const dmarc_discovery *d;

	if (row == NULL || ev == NULL)
		return DMARC_EINVAL;
	if ((d = dmarc__row_discovery(ev)) == NULL)
		return DMARC_ESTATE;
	row->count = 1;
	row->arrival = ev->arrival;
	copy_text(row->policy_domain, dmarc_discovery_get_policy_domain(d));
	dmarc__row_policy(&row->policy, d);
	take_errors(row, dmarc_discovery_get_record(d));
	copy_text(row->header_from, ev->from.domains[ev->best_domain]);
	take_envelope(row, ev);
	row->disposition = (uint8_t)dmarc_eval_get_applied_disposition(ev);
	row->dkim_aligned = ev->best.dkim_alignment != DMARC_UNALIGNED;
	row->spf_aligned = ev->best.spf_alignment != DMARC_UNALIGNED;
	take_reasons(row, ev);
	take_spf(row, ev);
	take_dkim(row, ev);
	return DMARC_OK;
}

/* ---- the tuple ---- */

static bool same_policy(const struct report_policy *a,
    const struct report_policy *b)
{
	return a->mode == b->mode && a->method == b->method && a->p == b->p &&
	    a->sp == b->sp && a->np == b->np && a->adkim == b->adkim &&
	    a->aspf == b->aspf && a->fo == b->fo && a->pct == b->pct &&
	    a->testing == b->testing && a->psd == b->psd && a->ri == b->ri;
}

static bool same_errors(const struct report_row *a,
    const struct report_row *b)
{
	size_t i;

	if (a->n_errors != b->n_errors)
		return false;
	for (i = 0; i < a->n_errors; i++)
		if (strcmp(a->errors[i], b->errors[i]) != 0)
			return false;
	return true;
}

void dmarc__row_add_error(char (*errors)[REPORT_ROW_COMMENT_SIZE],
    uint8_t *n_errors, const char *text)
{
	size_t i = 0, n = *n_errors;
	int cmp = 1;

	while (i < n && (cmp = strcmp(errors[i], text)) < 0)
		i++;
	if (cmp == 0 || i == REPORT_ROW_MAX_ERRORS)
		return; /* known, or after the first few */
	if (n == REPORT_ROW_MAX_ERRORS)
		n--; /* the last one makes room */
	memmove(errors[i + 1], errors[i], (n - i) * sizeof errors[0]);
	copy_text(errors[i], text);
	*n_errors = (uint8_t)(n + 1);
}

static bool same_reason(const struct report_reason *a,
    const struct report_reason *b)
{
	return a->type == b->type && a->has_comment == b->has_comment &&
	    (!a->has_comment || strcmp(a->comment, b->comment) == 0);
}

static bool same_dkim(const struct report_dkim *a, const struct report_dkim *b)
{
	return a->result == b->result && strcmp(a->domain, b->domain) == 0 &&
	    strcmp(a->selector, b->selector) == 0 &&
	    strcmp(a->human, b->human) == 0;
}

/* The bytes of the address that count. */
static size_t ip_length(const struct report_ip *ip)
{
	return ip->family == 4 ? 4u : ip->family == 6 ? 16u : 0u;
}

/* An absent optional domain compares as present and "" would not. */
static bool same_optional(bool has_a, const char *a, bool has_b,
    const char *b)
{
	return has_a == has_b && (!has_a || strcmp(a, b) == 0);
}

static bool same_identifiers(const struct report_row *a,
    const struct report_row *b)
{
	return a->ip.family == b->ip.family &&
	    memcmp(a->ip.addr, b->ip.addr, ip_length(&a->ip)) == 0 &&
	    strcmp(a->header_from, b->header_from) == 0 &&
	    same_optional(a->has_envelope_from, a->envelope_from,
	    b->has_envelope_from, b->envelope_from) &&
	    same_optional(a->has_envelope_to, a->envelope_to,
	    b->has_envelope_to, b->envelope_to);
}

static bool same_results(const struct report_row *a,
    const struct report_row *b)
{
	size_t i;

	if (a->disposition != b->disposition ||
	    a->dkim_aligned != b->dkim_aligned ||
	    a->spf_aligned != b->spf_aligned || a->n_reasons != b->n_reasons ||
	    a->has_spf != b->has_spf || a->n_dkim != b->n_dkim)
		return false;
	if (a->has_spf && (a->spf.result != b->spf.result ||
	    a->spf.scope != b->spf.scope ||
	    strcmp(a->spf.domain, b->spf.domain) != 0))
		return false;
	for (i = 0; i < a->n_reasons; i++)
		if (!same_reason(&a->reasons[i], &b->reasons[i]))
			return false;
	for (i = 0; i < a->n_dkim; i++)
		if (!same_dkim(&a->dkim[i], &b->dkim[i]))
			return false;
	return true;
}

bool dmarc__row_same_tuple(const struct report_row *a,
    const struct report_row *b)
{
	return strcmp(a->policy_domain, b->policy_domain) == 0 &&
	    same_policy(&a->policy, &b->policy) && same_errors(a, b) &&
	    same_identifiers(a, b) &&
	    same_results(a, b);
}

/* FNV-1a, 64 bits: strings with their NUL, so fields cannot run into
 * each other. */
#define FNV_OFFSET 0xcbf29ce484222325u
#define FNV_PRIME 0x100000001b3u

static uint64_t hash_bytes(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

static uint64_t hash_text(uint64_t h, const char *s)
{
	return hash_bytes(h, s, strlen(s) + 1);
}

static uint64_t hash_byte(uint64_t h, unsigned int b)
{
	return (h ^ (b & 0xffu)) * FNV_PRIME;
}

static uint64_t hash_policy(uint64_t h, const struct report_policy *p)
{
	const uint8_t v[] = { p->mode, p->method, p->p, p->sp, p->np,
	    p->adkim, p->aspf, p->fo, p->pct, p->testing, p->psd,
	    (uint8_t)(p->ri >> 24), (uint8_t)(p->ri >> 16),
	    (uint8_t)(p->ri >> 8), (uint8_t)p->ri };

	return hash_bytes(h, v, sizeof v);
}

static uint64_t hash_auth(uint64_t h, const struct report_row *row)
{
	size_t i;

	h = hash_byte(h, row->has_spf);
	if (row->has_spf) {
		h = hash_byte(hash_byte(h, row->spf.result), row->spf.scope);
		h = hash_text(h, row->spf.domain);
	}
	h = hash_byte(h, row->n_dkim);
	for (i = 0; i < row->n_dkim; i++) {
		const struct report_dkim *d = &row->dkim[i];
		h = hash_text(hash_byte(h, d->result), d->domain);
		h = hash_text(hash_text(h, d->selector), d->human);
	}
	return h;
}

uint64_t dmarc__row_hash(const struct report_row *row)
{
	uint64_t h = hash_text(FNV_OFFSET, row->policy_domain);
	size_t i;

	h = hash_policy(h, &row->policy);
	h = hash_byte(h, row->n_errors);
	for (i = 0; i < row->n_errors; i++)
		h = hash_text(h, row->errors[i]);
	h = hash_bytes(hash_byte(h, row->ip.family), row->ip.addr,
	    ip_length(&row->ip));
	h = hash_text(h, row->header_from);
	h = hash_byte(h, row->has_envelope_from);
	if (row->has_envelope_from)
		h = hash_text(h, row->envelope_from);
	h = hash_byte(h, row->has_envelope_to);
	if (row->has_envelope_to)
		h = hash_text(h, row->envelope_to);
	h = hash_byte(h, row->disposition);
	h = hash_byte(hash_byte(h, row->dkim_aligned), row->spf_aligned);
	h = hash_byte(h, row->n_reasons);
	for (i = 0; i < row->n_reasons; i++) {
		const struct report_reason *r = &row->reasons[i];
		h = hash_byte(hash_byte(h, r->type), r->has_comment);
		if (r->has_comment)
			h = hash_text(h, r->comment);
	}
	return hash_auth(h, row);
}

/* ---- source IP ---- */

/* Dotted decimal (inet_ntop's is a sprintf, and rows are many). */
static void ipv4_text(const uint8_t a[4], char *buf)
{
	char *p = buf;
	unsigned int i, v;

	for (i = 0; i < 4; i++) {
		v = a[i];
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = i < 3 ? '.' : '\0';
	}
}

void dmarc__row_ip_text(const struct report_ip *ip,
    char buf[REPORT_ROW_IP_TEXT_SIZE])
{
	if (ip->family == 4)
		ipv4_text(ip->addr, buf);
	else if (ip->family != 6 ||
	    inet_ntop(AF_INET6, ip->addr, buf, REPORT_ROW_IP_TEXT_SIZE) == NULL)
		buf[0] = '\0';
}

bool dmarc__row_ip_parse(struct report_ip *ip, const char *text, size_t len)
{
	char s[REPORT_ROW_IP_TEXT_SIZE];

	if (len == 0 || len >= sizeof s || memchr(text, '\0', len) != NULL)
		return false;
	memcpy(s, text, len); /* inet_pton reads a C string */
	s[len] = '\0';
	memset(ip->addr, 0, sizeof ip->addr);
	if (inet_pton(AF_INET, s, ip->addr) == 1) {
		ip->family = 4;
		return true;
	}
	if (inet_pton(AF_INET6, s, ip->addr) == 1) {
		ip->family = 6;
		return true;
	}
	return false;
}
