/*
 * libdmarc - a report's Report-ID, file name and dates (report_name.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../strbuf.h"
#include "report_name.h"

/* Text going into a strbuf, all of it or (the file name's unique-id,
 * DMARC-DIGEST choice A8) only its letters and digits. */
struct out {
	struct strbuf sb;
	bool alnum_only;
};

static bool is_alnum(unsigned char c)
{
	return dmarc__is_alpha(c) || dmarc__is_digit(c);
}

static void put(struct out *o, const char *s, size_t n)
{
	size_t i;

	if (!o->alnum_only) {
		strbuf_put(&o->sb, s, n);
		return;
	}
	for (i = 0; i < n; i++)
		if (is_alnum((unsigned char)s[i]))
			strbuf_put(&o->sb, s + i, 1);
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_u64(struct out *o, uint64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof num, "%" PRIu64, v);

	put(o, num, (size_t)n);
}

/* A domain's letters (lower-cased), digits and '-', its labels joined by
 * single dots; the other bytes and the empty labels are dropped.  Returns
 * the characters written: 0 when nothing was left. */
static size_t put_domain(struct out *o, const char *d)
{
	size_t n = 0;
	bool dot = false;
	char c;

	for (; *d != '\0'; d++) {
		if (*d == '.') {
			dot = n > 0;
			continue;
		}
		if (!is_alnum((unsigned char)*d) && *d != '-')
			continue;
		if (dot) {
			put(o, ".", 1);
			n++;
			dot = false;
		}
		c = (char)dmarc__lower((unsigned char)*d);
		put(o, &c, 1);
		n++;
	}
	return n;
}

/* NULL or "": none; else 1 to DMARC__REPORT_HOST_ID_MAX letters and
 * digits. */
static bool host_id_ok(const char *h)
{
	size_t i;

	if (h == NULL)
		return true;
	for (i = 0; h[i] != '\0'; i++)
		if (i == DMARC__REPORT_HOST_ID_MAX || !is_alnum((unsigned char)h[i]))
			return false;
	return true;
}

static bool parts_ok(unsigned int part, unsigned int n_parts)
{
	return n_parts >= 1 && part >= 1 && part <= n_parts;
}

/* The Report-ID (report_name.h); false when a domain has nothing left. */
static bool put_id(struct out *o, const char *policy_domain, uint64_t begin,
    const char *submitter, const char *host_id, unsigned int part,
    unsigned int n_parts)
{
	put_u64(o, begin);
	put(o, ".", 1);
	if (put_domain(o, policy_domain) == 0)
		return false;
	if (host_id != NULL && host_id[0] != '\0') {
		put(o, ".", 1);
		put_str(o, host_id);
	}
	if (n_parts > 1) {
		put(o, ".", 1);
		put_u64(o, part);
		put(o, "-of-", 4);
		put_u64(o, n_parts);
	}
	put(o, "@", 1);
	return put_domain(o, submitter) != 0;
}

/* The end of every call: the text, or "" and status. */
static dmarc_status finish(struct out *o, size_t *length, dmarc_status st)
{
	if (st == DMARC_OK)
		return strbuf_finish(&o->sb, length);
	if (o->sb.size != 0)
		o->sb.buf[0] = '\0';
	if (length != NULL)
		*length = 0;
	return st;
}

dmarc_status dmarc__report_id(char *buf, size_t size, size_t *length,
    const char *policy_domain, uint64_t begin, const char *submitter,
    const char *host_id, unsigned int part, unsigned int n_parts)
{
	struct out o = { { buf, buf != NULL ? size : 0, 0 }, false };

	if (policy_domain == NULL || submitter == NULL || !host_id_ok(host_id) ||
	    !parts_ok(part, n_parts))
		return finish(&o, length, DMARC_EINVAL);
	if (!put_id(&o, policy_domain, begin, submitter, host_id, part,
	    n_parts))
		return finish(&o, length, DMARC_EINVAL);
	return finish(&o, length, DMARC_OK);
}

dmarc_status dmarc__report_filename(char *buf, size_t size, size_t *length,
    const char *submitter, const char *policy_domain, uint64_t begin,
    uint64_t end, const char *host_id, unsigned int part,
    unsigned int n_parts, bool gzip)
{
	struct out o = { { buf, buf != NULL ? size : 0, 0 }, false };

	if (policy_domain == NULL || submitter == NULL || !host_id_ok(host_id) ||
	    !parts_ok(part, n_parts) || end < begin)
		return finish(&o, length, DMARC_EINVAL);
	if (put_domain(&o, submitter) == 0)
		return finish(&o, length, DMARC_EINVAL);
	put(&o, "!", 1);
	if (put_domain(&o, policy_domain) == 0)
		return finish(&o, length, DMARC_EINVAL);
	put(&o, "!", 1);
	put_u64(&o, begin);
	put(&o, "!", 1);
	put_u64(&o, end);
	if ((host_id != NULL && host_id[0] != '\0') || n_parts > 1) {
		put(&o, "!", 1);
		o.alnum_only = true; /* the domains were checked above */
		(void)put_id(&o, policy_domain, begin, submitter, host_id, part,
		    n_parts);
		o.alnum_only = false;
	}
	put_str(&o, gzip ? ".xml.gz" : ".xml");
	return finish(&o, length, DMARC_OK);
}

/* ---- RFC 5322 section 3.3 date-time ---- */

/* Days since 1970-01-01 to the proleptic Gregorian date: the
 * civil_from_days algorithm of H. Hinnant, "chrono-Compatible Low-Level
 * Date Algorithms" (eras of 400 years, March-based years), unsigned. */
static void civil_from_days(uint64_t days, unsigned int *year,
    unsigned int *month, unsigned int *day)
{
	uint64_t z = days + 719468; /* days since 0000-03-01 */
	uint64_t era = z / 146097;
	uint64_t doe = z - era * 146097;                  /* [0, 146096] */
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* [0, 365] */
	uint64_t mp = (5 * doy + 2) / 153;                /* March = 0 */
	uint64_t m = mp < 10 ? mp + 3 : mp - 9;

	*day = (unsigned int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (unsigned int)m;
	*year = (unsigned int)(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

dmarc_status dmarc__report_date(char buf[DMARC__REPORT_DATE_SIZE],
    uint64_t epoch)
{
	static const char wdays[7][4] = { "Thu", "Fri", "Sat", "Sun", "Mon",
	    "Tue", "Wed" }; /* 1970-01-01 was a Thursday */
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	uint64_t days = epoch / 86400, secs = epoch % 86400;
	unsigned int y, m, d;

	if (buf == NULL)
		return DMARC_EINVAL;
	buf[0] = '\0';
	if (epoch > DMARC__REPORT_DATE_MAX)
		return DMARC_EINVAL;
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, DMARC__REPORT_DATE_SIZE,
	    "%s, %02u %s %04u %02u:%02u:%02u +0000", wdays[days % 7], d,
	    months[m - 1], y, (unsigned int)(secs / 3600),
	    (unsigned int)(secs / 60 % 60), (unsigned int)(secs % 60));
	return DMARC_OK;
}
