/*
 * libdmarc - the fields of a failure report's machine-readable part
 * (message/feedback-report: RFC 5965 3.5, RFC 6591 3.1, RFC 9991 4 and
 * RFC 7489 7.3), read as real senders write them: folded lines joined,
 * comments after Source-IP dropped, a trailing ";" dropped, Received-Date
 * taken as Arrival-Date, any Version, a missing Feedback-Type read as
 * auth-failure and a missing Auth-Failure as dmarc, each quirk with a
 * diagnostic.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "reader_int.h"

#define ARF_LINE_MAX 8192u

struct arf_field {
	const char *name;     /* lower case, without the colon */
	uint8_t field;        /* dmarc_reader_field, 0: known, not kept */
	bool lower;           /* a keyword: lower-cased */
};

static const struct arf_field arf_fields[] = {
	{ "feedback-type", DMARC_FIELD_FEEDBACK_TYPE, true },
	{ "user-agent", DMARC_FIELD_USER_AGENT, false },
	{ "version", DMARC_FIELD_ARF_VERSION, false },
	{ "auth-failure", DMARC_FIELD_AUTH_FAILURE, true },
	{ "identity-alignment", DMARC_FIELD_IDENTITY_ALIGNMENT, true },
	{ "delivery-result", DMARC_FIELD_DELIVERY_RESULT, true },
	{ "authentication-results", DMARC_FIELD_AUTHENTICATION_RESULTS, false },
	{ "source-ip", DMARC_FIELD_SOURCE_IP, false },
	{ "source-port", DMARC_FIELD_SOURCE_PORT, false },
	{ "reported-domain", DMARC_FIELD_REPORTED_DOMAIN, false },
	{ "reported-uri", DMARC_FIELD_REPORTED_URI, false },
	{ "original-mail-from", DMARC_FIELD_ORIGINAL_MAIL_FROM, false },
	{ "original-rcpt-to", DMARC_FIELD_ORIGINAL_RCPT_TO, false },
	{ "original-envelope-id", DMARC_FIELD_ORIGINAL_ENVELOPE_ID, false },
	{ "arrival-date", DMARC_FIELD_ARRIVAL_DATE, false },
	{ "received-date", DMARC_FIELD_ARRIVAL_DATE, false },
	{ "reporting-mta", DMARC_FIELD_REPORTING_MTA, false },
	{ "incidents", DMARC_FIELD_INCIDENTS, false },
	{ "dkim-domain", DMARC_FIELD_ARF_DKIM_DOMAIN, false },
	{ "dkim-identity", DMARC_FIELD_ARF_DKIM_IDENTITY, false },
	{ "dkim-selector", DMARC_FIELD_ARF_DKIM_SELECTOR, false },
	{ "spf-dns", DMARC_FIELD_SPF_DNS, false },
	{ "dkim-canonicalized-header", 0, false },
	{ "dkim-canonicalized-body", 0, false },
	{ "dkim-selector-dns", 0, false },
	{ "dkim-adsp-dns", 0, false },
	{ "removal-recipient", 0, false },
};

struct arf {
	struct dmarc_reader *rd;
	struct rfields *f;
	dmarc_status st;
	char value[ARF_LINE_MAX];
};

static void quirk(struct arf *a, const char *what)
{
	if (a->st == DMARC_OK)
		a->st = dmarc__reader_item_diag(a->rd, RD_ARF_FIELD, 0, what);
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
}

static const struct arf_field *find(const char *name, size_t n)
{
	size_t i, k;

	for (i = 0; i < sizeof arf_fields / sizeof arf_fields[0]; i++) {
		const char *want = arf_fields[i].name;

		if (strlen(want) != n)
			continue;
		for (k = 0; k < n && lower(name[k]) == want[k]; k++)
			;
		if (k == n)
			return &arf_fields[i];
	}
	return NULL;
}

/* Cuts a comment "(...)" and what follows from an address. */
static size_t cut_comment(const char *v, size_t n)
{
	const char *p = memchr(v, '(', n);

	if (p == NULL)
		return n;
	n = (size_t)(p - v);
	while (n > 0 && space(v[n - 1]))
		n--;
	return n;
}

static void keep(struct arf *a, const struct arf_field *d, char *v, size_t n)
{
	size_t i;
	dmarc_status st;

	while (n > 0 && space(v[n - 1]))
		n--;
	if (n > 0 && v[n - 1] == ';') {
		quirk(a, d->name);
		n--;
		while (n > 0 && space(v[n - 1]))
			n--;
	}
	if (d->field == DMARC_FIELD_SOURCE_IP)
		n = cut_comment(v, n);
	if (d->lower)
		for (i = 0; i < n; i++)
			v[i] = lower(v[i]);
	if (d->field == DMARC_FIELD_ARF_VERSION && !(n == 1 && v[0] == '1'))
		quirk(a, "version");
	st = dmarc__rfields_add(a->f, d->field, v, n);
	if (a->st == DMARC_OK && st != DMARC_OK)
		a->st = st;
}

/* One unfolded field "name: value". */
static void field(struct arf *a, const char *line, size_t n)
{
	const char *colon = memchr(line, ':', n);
	const struct arf_field *d;
	size_t k, vn;

	if (colon == NULL || colon == line) {
		quirk(a, "arf");
		return;
	}
	k = (size_t)(colon - line);
	while (k > 0 && space(line[k - 1]))
		k--;
	d = find(line, k);
	if (d == NULL) {
		quirk(a, "arf");
		return;
	}
	if (d->field == 0)
		return;
	colon++;
	vn = n - (size_t)(colon - line);
	while (vn > 0 && space(*colon)) {
		colon++;
		vn--;
	}
	if (vn > sizeof a->value)
		vn = sizeof a->value;
	memcpy(a->value, colon, vn);
	keep(a, d, a->value, vn);
}

/* Splits text into unfolded fields (RFC 5322 2.2.3). */
static void fields(struct arf *a, const char *text, size_t len)
{
	char line[ARF_LINE_MAX];
	size_t n = 0, i = 0;

	while (i < len && a->st == DMARC_OK) {
		size_t end = i;

		while (end < len && text[end] != '\n')
			end++;
		if (end > i && text[end - 1] == '\r')
			end--;
		if (end == i && n == 0) { /* a blank line before any field */
			i = end + 1;
			continue;
		}
		if (n > 0 && (end == i || !(text[i] == ' ' || text[i] == '\t'))) {
			field(a, line, n);
			n = 0;
		}
		if (end > i) {
			size_t take = end - i;

			if (take > sizeof line - n)
				take = sizeof line - n;
			memcpy(line + n, text + i, take);
			n += take;
		}
		while (i < len && text[i] != '\n')
			i++;
		i++;
	}
	if (n > 0 && a->st == DMARC_OK)
		field(a, line, n);
}

static void default_to(struct arf *a, unsigned f, const char *value,
    const char *name)
{
	if (dmarc__rfields_count(a->f, f) > 0 || a->st != DMARC_OK)
		return;
	quirk(a, name);
	a->st = dmarc__rfields_add(a->f, f, value, strlen(value));
}

dmarc_status dmarc__arf_parse(struct dmarc_reader *rd, struct rfields *f,
    const char *text, size_t len)
{
	struct arf a;

	a.rd = rd;
	a.f = f;
	a.st = DMARC_OK;
	fields(&a, text, len);
	default_to(&a, DMARC_FIELD_FEEDBACK_TYPE, "auth-failure", "feedback-type");
	default_to(&a, DMARC_FIELD_AUTH_FAILURE, "dmarc", "auth-failure");
	if (a.st == DMARC_OK && dmarc__rfields_count(f, DMARC_FIELD_INCIDENTS) == 0)
		a.st = dmarc__rfields_add(f, DMARC_FIELD_INCIDENTS, "1", 1);
	return a.st;
}
