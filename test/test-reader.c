/*
 * The report reader (dmarc/reader.h) through its API: states and misuse,
 * reset and reuse, the getters on every kind of event (index alignment
 * of the DKIM, SPF and reason fields, number against text fields), every
 * limit of the context giving a FAILED of class limit (a gzip bomb made
 * here by zlib for the ratio), a sum of counts past 2^64, allocation
 * failures (each allocation in turn: the same events as without, or a
 * FAILED with DMARC_ENOMEM, and no leak), the same events in every
 * chunking of generated reports and containers, and rows read in
 * constant memory.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "check-main.h"
#include "failing-alloc.h"
#include "reader-log.h"

#define OK(call) ck_assert_int_eq((call), DMARC_OK)
#define REQUIRE(cond) do { \
	if (!(cond)) \
		ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #cond); \
} while (0)

static dmarc_ctx *ctx;

static void setup(void)
{
	fail_at = -1;
	n_allocs = live = 0;
	OK(dmarc_ctx_new_with_allocator(&ctx, failing_malloc, failing_realloc,
	    failing_free));
}

static void teardown(void)
{
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(live, 0);
}

/* ---- inputs ---- */

struct text {
	char *p;
	size_t len, cap;
};

static void add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->p = realloc(t->p, t->cap);
		ck_assert_ptr_nonnull(t->p);
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void adds(struct text *t, const char *s)
{
	add(t, s, strlen(s));
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void addf(struct text *t, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ck_assert(n >= 0 && (size_t)n < sizeof buf);
	add(t, buf, (size_t)n);
}

static const char meta[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<feedback>\n <version>1.0</version>\n"
    " <report_metadata><org_name>Example Receiver</org_name>"
    "<email>dmarc@example.net</email><report_id>r-%u</report_id>"
    "<date_range><begin>1700000000</begin><end>1700086400</end>"
    "</date_range></report_metadata>\n"
    " <policy_published><domain>example.com</domain><adkim>r</adkim>"
    "<aspf>s</aspf><p>quarantine</p><sp>none</sp><pct>100</pct><fo>1</fo>"
    "</policy_published>\n";

static uint32_t next_rand(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 8;
}

/* A record: random address, count and results, optional elements left
 * out at random (seed 0: all there, count given). */
static void add_record(struct text *t, uint32_t *x, uint64_t count)
{
	static const char *const disp[] = { "none", "quarantine", "reject" };
	static const char *const res[] = { "pass", "fail", "none",
	    "temperror", "permerror", "neutral" };
	uint32_t r = next_rand(x), i, ndkim = r % 3;

	addf(t, "<record><row><source_ip>192.0.%u.%u</source_ip>"
	    "<count>%llu</count><policy_evaluated>"
	    "<disposition>%s</disposition><dkim>%s</dkim><spf>%s</spf>",
	    (r >> 3) % 256, (r >> 11) % 256, (unsigned long long)count,
	    disp[r % 3], r & 64 ? "pass" : "fail", r & 128 ? "pass" : "fail");
	if (r & 256)
		adds(t, "<reason><type>forwarded</type></reason>");
	addf(t, "</policy_evaluated></row><identifiers>"
	    "<header_from>example.com</header_from>%s</identifiers>"
	    "<auth_results>", r & 512 ?
	    "<envelope_from>bounce.example.com</envelope_from>" : "");
	for (i = 0; i < ndkim; i++)
		addf(t, "<dkim><domain>d%u.example</domain>%s"
		    "<result>%s</result></dkim>", i,
		    (r >> (12 + i)) & 1 ? "<selector>s1</selector>" : "",
		    res[(r >> (14 + i)) % 6]);
	addf(t, "<spf><domain>example.com</domain><result>%s</result></spf>"
	    "</auth_results></record>\n", res[(r >> 20) % 6]);
}

/* A report of n records with random counts; their sum in *sum. */
static struct text make_report(unsigned n, uint32_t seed, uint64_t *sum)
{
	struct text t = { NULL, 0, 0 };
	uint32_t x = seed;
	unsigned i;

	addf(&t, meta, seed);
	if (sum != NULL)
		*sum = 0;
	for (i = 0; i < n; i++) {
		uint64_t c = next_rand(&x) % 5000;

		if (sum != NULL)
			*sum += c;
		add_record(&t, &x, c);
	}
	adds(&t, "</feedback>\n");
	return t;
}

static struct text gzip_of(const char *data, size_t len)
{
	struct text t = { NULL, 0, 0 };
	unsigned char buf[16384];
	z_stream zs;
	int rc;

	memset(&zs, 0, sizeof zs);
	ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	do {
		zs.next_out = buf;
		zs.avail_out = sizeof buf;
		rc = deflate(&zs, Z_FINISH);
		ck_assert(rc == Z_OK || rc == Z_STREAM_END);
		add(&t, (const char *)buf, sizeof buf - zs.avail_out);
	} while (rc != Z_STREAM_END);
	deflateEnd(&zs);
	return t;
}

static void base64_into(struct text *t, const char *s, size_t n)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789+/";
	size_t i;
	char q[4];

	for (i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)(unsigned char)s[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)(unsigned char)s[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)s[i + 2];
		q[0] = a[v >> 18];
		q[1] = a[(v >> 12) & 63];
		q[2] = i + 1 < n ? a[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? a[v & 63] : '=';
		add(t, q, 4);
		if (i % 57 == 54)
			add(t, "\r\n", 2);
	}
	add(t, "\r\n", 2);
}

/* An email with the report as a base64 attachment. */
static void add_email(struct text *t, const char *name, const char *type,
    const char *att, size_t att_len)
{
	addf(t, "From: reports@example.net\r\nTo: dmarc@example.com\r\n"
	    "Subject: Report Domain: example.com\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
	    "--b1\r\nContent-Type: text/plain\r\n\r\nA report.\r\n"
	    "--b1\r\nContent-Type: %s; name=\"%s\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", type, name);
	base64_into(t, att, att_len);
	adds(t, "--b1--\r\n");
}

static const char arf_email[] =
    "From: fr@example.net\r\nTo: ruf@example.com\r\nSubject: FR\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=feedback-report;"
    " boundary=\"q\"\r\n\r\n"
    "--q\r\nContent-Type: text/plain\r\n\r\nA failure.\r\n"
    "--q\r\nContent-Type: message/feedback-report\r\n\r\n"
    "Feedback-Type: auth-failure\r\nUser-Agent: gen/1.0\r\nVersion: 1\r\n"
    "Auth-Failure: dmarc\r\nSource-IP: 192.0.2.9 (mx.example)\r\n"
    "Source-Port: 4025\r\nReported-Domain: example.com\r\n"
    "Original-Rcpt-To: <a@example.com>\r\nOriginal-Rcpt-To: <b@example.com>\r\n"
    "Authentication-Results: mx.example; dmarc=fail\r\n"
    "\theader.from=example.com\r\n"
    "\r\n--q\r\nContent-Type: text/rfc822-headers\r\n\r\n"
    "From: x@example.com\r\nSubject: hi\r\n\r\n--q--\r\n";

/* Reads data with a fresh reader on the test context; the log in l. */
static void read_into(struct reader_log *l, const dmarc_ctx *c,
    const char *data, size_t len, long chunk, int strict)
{
	dmarc_reader *rd;

	reader_log_init(l);
	OK(dmarc_reader_new(&rd, c));
	OK(dmarc_reader_set_strict(rd, strict));
	if (!reader_log_run(l, rd, data, len, chunk, 0))
		ck_abort_msg("reader: %s", l->broken);
	dmarc_reader_free(rd);
}

/* Pushes all of data; the events to the first of kind want (or DONE). */
static dmarc_reader_event read_until(dmarc_reader *rd, const char *data,
    size_t len, dmarc_reader_event want)
{
	dmarc_reader_event ev;

	OK(dmarc_reader_push(rd, data, len));
	while ((ev = dmarc_reader_next(rd)) != DMARC_READER_NEED_INPUT)
		if (ev == want)
			return ev;
	OK(dmarc_reader_finish(rd));
	while ((ev = dmarc_reader_next(rd)) != DMARC_READER_DONE)
		if (ev == want)
			return ev;
	return ev;
}

/* The next event, the input finished when more is wanted (all of it
 * was pushed). */
static dmarc_reader_event next_event(dmarc_reader *rd)
{
	dmarc_reader_event ev = dmarc_reader_next(rd);

	if (ev == DMARC_READER_NEED_INPUT) {
		OK(dmarc_reader_finish(rd));
		ev = dmarc_reader_next(rd);
	}
	return ev;
}

/* ---- states ---- */

START_TEST(test_null_arguments)
{
	dmarc_reader *rd = (dmarc_reader *)1;
	uint64_t v;

	ck_assert_int_eq(dmarc_reader_new(NULL, ctx), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_reader_new(&rd, NULL), DMARC_EINVAL);
	ck_assert_ptr_null(rd);
	dmarc_reader_free(NULL);
	dmarc_reader_reset(NULL);
	ck_assert_int_eq(dmarc_reader_set_strict(NULL, 1), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_reader_push(NULL, "x", 1), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_reader_finish(NULL), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_reader_next(NULL), DMARC_READER_DONE);
	ck_assert_int_eq(dmarc_reader_get_failure(NULL),
	    DMARC_READER_FAILURE_NONE);
	ck_assert_int_eq(dmarc_reader_get_status(NULL), DMARC_EINVAL);
	ck_assert_uint_eq(dmarc_reader_get_offset(NULL), 0);
	ck_assert_uint_eq(dmarc_reader_get_count(NULL, DMARC_FIELD_COUNT), 0);
	ck_assert_ptr_null(dmarc_reader_get_text(NULL, DMARC_FIELD_COUNT, 0,
	    NULL));
	ck_assert_int_eq(dmarc_reader_get_number(NULL, DMARC_FIELD_COUNT, 0,
	    &v), DMARC_EINVAL);
	ck_assert_uint_eq(dmarc_reader_get_diag_count(NULL), 0);
	ck_assert_ptr_null(dmarc_reader_get_diag(NULL, 0));

	OK(dmarc_reader_new(&rd, ctx));
	ck_assert_int_eq(dmarc_reader_push(rd, NULL, 1), DMARC_EINVAL);
	OK(dmarc_reader_push(rd, NULL, 0)); /* no bytes: nothing to keep */
	ck_assert_int_eq(dmarc_reader_next(rd), DMARC_READER_NEED_INPUT);
	ck_assert_int_eq(dmarc_reader_get_number(rd, DMARC_FIELD_COUNT, 0,
	    NULL), DMARC_EINVAL);
	dmarc_reader_free(rd);
}
END_TEST

START_TEST(test_states)
{
	struct text r = make_report(3, 1, NULL);
	dmarc_reader *rd;
	dmarc_reader_event ev;
	unsigned long rows = 0;

	OK(dmarc_reader_new(&rd, ctx));
	/* nothing pushed: input wanted, no event's fields */
	ck_assert_int_eq(dmarc_reader_next(rd), DMARC_READER_NEED_INPUT);
	ck_assert_uint_eq(dmarc_reader_get_diag_count(rd), 0);
	OK(dmarc_reader_set_strict(rd, 1));
	OK(dmarc_reader_set_strict(rd, 0));
	OK(dmarc_reader_push(rd, r.p, 100));
	/* the 100 bytes are not read yet */
	ck_assert_int_eq(dmarc_reader_push(rd, r.p + 100, 10), DMARC_ESTATE);
	ck_assert_int_eq(dmarc_reader_finish(rd), DMARC_ESTATE);
	ck_assert_int_eq(dmarc_reader_set_strict(rd, 1), DMARC_ESTATE);
	ck_assert_int_eq(dmarc_reader_next(rd), DMARC_READER_NEED_INPUT);
	ck_assert_uint_eq(dmarc_reader_get_offset(rd), 100);
	OK(dmarc_reader_push(rd, r.p + 100, r.len - 100));
	while ((ev = dmarc_reader_next(rd)) != DMARC_READER_NEED_INPUT) {
		ck_assert(ev == DMARC_READER_REPORT || ev == DMARC_READER_ROW);
		rows += ev == DMARC_READER_ROW;
		/* all bytes were handed on, but queued XML may still point
		 * into them: new ones wait for NEED_INPUT */
		ck_assert_int_eq(dmarc_reader_push(rd, "x", 1), DMARC_ESTATE);
	}
	ck_assert_uint_eq(dmarc_reader_get_offset(rd), r.len);
	OK(dmarc_reader_finish(rd));
	ck_assert_int_eq(dmarc_reader_finish(rd), DMARC_ESTATE);
	ck_assert_int_eq(dmarc_reader_push(rd, "x", 1), DMARC_ESTATE);
	while ((ev = dmarc_reader_next(rd)) != DMARC_READER_DONE) {
		ck_assert(ev == DMARC_READER_ROW || ev == DMARC_READER_REPORT_END);
		rows += ev == DMARC_READER_ROW;
	}
	ck_assert_uint_eq(rows, 3);
	ck_assert_int_eq(dmarc_reader_next(rd), DMARC_READER_DONE);
	ck_assert_int_eq(dmarc_reader_next(rd), DMARC_READER_DONE);
	ck_assert_uint_eq(dmarc_reader_get_diag_count(rd), 0);
	ck_assert_ptr_null(dmarc_reader_get_text(rd, DMARC_FIELD_ORG_NAME, 0,
	    NULL));
	ck_assert_int_eq(dmarc_reader_finish(rd), DMARC_ESTATE);
	/* an empty input */
	dmarc_reader_reset(rd);
	OK(dmarc_reader_finish(rd));
	ck_assert_int_eq(dmarc_reader_next(rd), DMARC_READER_FAILED);
	ck_assert_int_eq(dmarc_reader_get_failure(rd),
	    DMARC_READER_FAILURE_NOT_A_REPORT);
	ck_assert_int_eq(dmarc_reader_next(rd), DMARC_READER_DONE);
	dmarc_reader_free(rd);
	free(r.p);
}
END_TEST

/* Reset, in the middle of an input or after it, leaves nothing of it:
 * the second input reads as with a fresh reader, strict mode settable
 * again. */
START_TEST(test_reset_reuse)
{
	struct text a = make_report(5, 2, NULL), b = make_report(4, 3, NULL);
	struct text gz = gzip_of(a.p, a.len);
	struct reader_log fresh, again;
	dmarc_reader *rd;
	int stop;

	read_into(&fresh, ctx, b.p, b.len, 0, 0);
	ck_assert_uint_eq(fresh.events[DMARC_READER_ROW], 4);
	for (stop = 0; stop < 4; stop++) {
		static const dmarc_reader_event at[] = { DMARC_READER_REPORT,
		    DMARC_READER_ROW, DMARC_READER_REPORT_END, DMARC_READER_DONE };

		OK(dmarc_reader_new(&rd, ctx));
		/* the first input gzipped, so a decoder is left mid-way */
		ck_assert_int_eq(read_until(rd, gz.p, gz.len, at[stop]),
		    at[stop]);
		ck_assert_int_eq(dmarc_reader_set_strict(rd, 1), DMARC_ESTATE);
		dmarc_reader_reset(rd);
		OK(dmarc_reader_set_strict(rd, 1)); /* settable again */
		OK(dmarc_reader_set_strict(rd, 0));
		reader_log_init(&again);
		REQUIRE(reader_log_run(&again, rd, b.p, b.len, 7, 0));
		ck_assert_str_eq(again.data, fresh.data);
		reader_log_free(&again);
		dmarc_reader_free(rd);
	}
	reader_log_free(&fresh);
	free(a.p);
	free(b.p);
	free(gz.p);
}
END_TEST

/* ---- getters ---- */

static const char groups_report[] =
    "<?xml version=\"1.0\"?>\n"
    "<feedback>"
    "<version>1.0</version><report_metadata><org_name>Org</org_name>"
    "<email>a@example.net</email><report_id>id-1</report_id>"
    "<date_range><begin>1700000000</begin><end>1700086400</end>"
    "</date_range><error>e one</error><error>e two</error>"
    "</report_metadata><policy_published><domain>example.com</domain>"
    "<p>reject</p></policy_published>"
    "<record><row><source_ip>198.51.100.7</source_ip><count>12</count>"
    "<policy_evaluated><disposition>reject</disposition><dkim>fail</dkim>"
    "<spf>fail</spf><reason><type>local_policy</type></reason>"
    "<reason><comment>only a comment</comment></reason>"
    "<reason><type>other</type><comment>both</comment></reason>"
    "</policy_evaluated></row><identifiers>"
    "<header_from>example.com</header_from>"
    "<envelope_from></envelope_from></identifiers><auth_results>"
    "<dkim><domain>a.example</domain><result>fail</result></dkim>"
    "<dkim><domain>b.example</domain><selector>s2</selector>"
    "<result>pass</result><human_result>good</human_result></dkim>"
    "<dkim><selector>s3</selector><result>none</result></dkim>"
    "<spf><domain>example.com</domain><scope>mfrom</scope>"
    "<result>fail</result></spf>"
    "<spf><result>pass</result></spf>"
    "</auth_results></record></feedback>\n";

static void text_is(const dmarc_reader *rd, dmarc_reader_field f,
    size_t i, const char *want)
{
	size_t len = 999;
	const char *t = dmarc_reader_get_text(rd, f, i, &len);

	if (want == NULL) {
		ck_assert_msg(t == NULL, "%s[%zu]: %s where absent",
		    dmarc_reader_field_name(f), i, t);
		return;
	}
	ck_assert_msg(t != NULL, "%s[%zu] absent", dmarc_reader_field_name(f),
	    i);
	ck_assert_str_eq(t, want);
	ck_assert_uint_eq(len, strlen(want));
}

static void number_is(const dmarc_reader *rd, dmarc_reader_field f,
    uint64_t want)
{
	uint64_t v = 0;

	OK(dmarc_reader_get_number(rd, f, 0, &v));
	ck_assert_uint_eq(v, want);
	ck_assert_int_eq(dmarc_reader_get_number(rd, f, 1, &v), DMARC_EINVAL);
}

START_TEST(test_getters_aggregate)
{
	dmarc_reader *rd;
	uint64_t v;

	OK(dmarc_reader_new(&rd, ctx));
	OK(dmarc_reader_push(rd, groups_report, strlen(groups_report)));
	ck_assert_int_eq(dmarc_reader_next(rd), DMARC_READER_REPORT);
	text_is(rd, DMARC_FIELD_FORMAT, 0, "none");
	text_is(rd, DMARC_FIELD_CONTAINERS, 0, "xml");
	text_is(rd, DMARC_FIELD_ORG_NAME, 0, "Org");
	text_is(rd, DMARC_FIELD_P, 0, "reject");
	ck_assert_uint_eq(dmarc_reader_get_count(rd, DMARC_FIELD_ERROR), 2);
	text_is(rd, DMARC_FIELD_ERROR, 1, "e two");
	text_is(rd, DMARC_FIELD_ERROR, 2, NULL);
	number_is(rd, DMARC_FIELD_BEGIN, 1700000000);
	/* no row yet, no totals yet, no message index outside an mbox */
	ck_assert_uint_eq(dmarc_reader_get_count(rd, DMARC_FIELD_SOURCE_IP), 0);
	ck_assert_uint_eq(dmarc_reader_get_count(rd, DMARC_FIELD_MESSAGES), 0);
	ck_assert_int_eq(dmarc_reader_get_number(rd, DMARC_FIELD_MESSAGES, 0,
	    &v), DMARC_EINVAL);
	ck_assert_uint_eq(dmarc_reader_get_count(rd,
	    DMARC_FIELD_MESSAGE_INDEX), 0);
	/* text fields are no numbers, whatever their text */
	ck_assert_int_eq(dmarc_reader_get_number(rd, DMARC_FIELD_ORG_NAME, 0,
	    &v), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_reader_get_number(rd, DMARC_FIELD_REPORT_ID, 0,
	    &v), DMARC_EINVAL);
	ck_assert_uint_eq(dmarc_reader_get_count(rd, DMARC_FIELD_NONE), 0);
	ck_assert_uint_eq(dmarc_reader_get_count(rd, (dmarc_reader_field)200),
	    0);
	ck_assert_ptr_null(dmarc_reader_get_text(rd, (dmarc_reader_field)200,
	    0, NULL));

	ck_assert_int_eq(dmarc_reader_next(rd), DMARC_READER_ROW);
	text_is(rd, DMARC_FIELD_SOURCE_IP, 0, "198.51.100.7");
	number_is(rd, DMARC_FIELD_COUNT, 12);
	text_is(rd, DMARC_FIELD_ORG_NAME, 0, "Org"); /* the report's too */
	text_is(rd, DMARC_FIELD_ENVELOPE_FROM, 0, ""); /* the null path */
	ck_assert_int_eq(dmarc_reader_get_number(rd, DMARC_FIELD_SOURCE_IP, 0,
	    &v), DMARC_EINVAL);
	/* one value per reason element, absent where it lacked one */
	ck_assert_uint_eq(dmarc_reader_get_count(rd, DMARC_FIELD_REASON_TYPE),
	    3);
	ck_assert_uint_eq(dmarc_reader_get_count(rd,
	    DMARC_FIELD_REASON_COMMENT), 3);
	text_is(rd, DMARC_FIELD_REASON_TYPE, 0, "local_policy");
	text_is(rd, DMARC_FIELD_REASON_COMMENT, 0, NULL);
	text_is(rd, DMARC_FIELD_REASON_TYPE, 1, NULL);
	text_is(rd, DMARC_FIELD_REASON_COMMENT, 1, "only a comment");
	text_is(rd, DMARC_FIELD_REASON_TYPE, 2, "other");
	text_is(rd, DMARC_FIELD_REASON_COMMENT, 2, "both");
	/* dkim: three elements, each field three values */
	ck_assert_uint_eq(dmarc_reader_get_count(rd, DMARC_FIELD_DKIM_DOMAIN),
	    3);
	ck_assert_uint_eq(dmarc_reader_get_count(rd,
	    DMARC_FIELD_DKIM_SELECTOR), 3);
	ck_assert_uint_eq(dmarc_reader_get_count(rd, DMARC_FIELD_DKIM_RESULT),
	    3);
	ck_assert_uint_eq(dmarc_reader_get_count(rd,
	    DMARC_FIELD_DKIM_HUMAN_RESULT), 3);
	text_is(rd, DMARC_FIELD_DKIM_DOMAIN, 0, "a.example");
	text_is(rd, DMARC_FIELD_DKIM_SELECTOR, 0, NULL);
	text_is(rd, DMARC_FIELD_DKIM_HUMAN_RESULT, 0, NULL);
	text_is(rd, DMARC_FIELD_DKIM_SELECTOR, 1, "s2");
	text_is(rd, DMARC_FIELD_DKIM_HUMAN_RESULT, 1, "good");
	text_is(rd, DMARC_FIELD_DKIM_DOMAIN, 2, NULL);
	text_is(rd, DMARC_FIELD_DKIM_SELECTOR, 2, "s3");
	text_is(rd, DMARC_FIELD_DKIM_RESULT, 2, "none");
	text_is(rd, DMARC_FIELD_DKIM_RESULT, 3, NULL);
	/* spf: two */
	ck_assert_uint_eq(dmarc_reader_get_count(rd, DMARC_FIELD_SPF_DOMAIN), 2);
	ck_assert_uint_eq(dmarc_reader_get_count(rd, DMARC_FIELD_SPF_SCOPE), 2);
	ck_assert_uint_eq(dmarc_reader_get_count(rd,
	    DMARC_FIELD_SPF_HUMAN_RESULT), 2);
	text_is(rd, DMARC_FIELD_SPF_SCOPE, 0, "mfrom");
	text_is(rd, DMARC_FIELD_SPF_HUMAN_RESULT, 0, NULL);
	text_is(rd, DMARC_FIELD_SPF_DOMAIN, 1, NULL);
	text_is(rd, DMARC_FIELD_SPF_SCOPE, 1, NULL);
	text_is(rd, DMARC_FIELD_SPF_RESULT, 1, "pass");
	text_is(rd, DMARC_FIELD_SPF_HUMAN_RESULT, 1, NULL); /* RFC 9990 */
	ck_assert_int_eq(dmarc_reader_get_number(rd, DMARC_FIELD_DKIM_DOMAIN,
	    0, &v), DMARC_EINVAL);

	OK(dmarc_reader_finish(rd));
	ck_assert_int_eq(dmarc_reader_next(rd), DMARC_READER_REPORT_END);
	number_is(rd, DMARC_FIELD_RECORDS, 1);
	number_is(rd, DMARC_FIELD_MESSAGES, 12);
	text_is(rd, DMARC_FIELD_REPORT_ID, 0, "id-1");
	ck_assert_uint_eq(dmarc_reader_get_count(rd, DMARC_FIELD_SOURCE_IP), 0);
	ck_assert_int_eq(dmarc_reader_next(rd), DMARC_READER_DONE);
	dmarc_reader_free(rd);
}
END_TEST

START_TEST(test_getters_failure_report)
{
	struct text mbox = { NULL, 0, 0 };
	dmarc_reader *rd;
	uint64_t v;

	adds(&mbox, "From x Thu Jan  1 00:00:00 2024\n");
	add(&mbox, arf_email, strlen(arf_email));
	adds(&mbox, "\nFrom x Thu Jan  1 00:00:00 2024\n");
	adds(&mbox, "Subject: nothing\n\njust text\n");
	OK(dmarc_reader_new(&rd, ctx));
	OK(dmarc_reader_push(rd, mbox.p, mbox.len));
	ck_assert_int_eq(next_event(rd), DMARC_READER_FAILURE_REPORT);
	ck_assert_int_eq(dmarc_reader_get_failure(rd),
	    DMARC_READER_FAILURE_NONE);
	text_is(rd, DMARC_FIELD_FEEDBACK_TYPE, 0, "auth-failure");
	text_is(rd, DMARC_FIELD_AUTH_FAILURE, 0, "dmarc");
	text_is(rd, DMARC_FIELD_SOURCE_IP, 0, "192.0.2.9");
	text_is(rd, DMARC_FIELD_REPORTED_DOMAIN, 0, "example.com");
	ck_assert_uint_eq(dmarc_reader_get_count(rd,
	    DMARC_FIELD_ORIGINAL_RCPT_TO), 2);
	text_is(rd, DMARC_FIELD_ORIGINAL_RCPT_TO, 1, "<b@example.com>");
	number_is(rd, DMARC_FIELD_SOURCE_PORT, 4025);
	number_is(rd, DMARC_FIELD_INCIDENTS, 1); /* absent: 1 */
	number_is(rd, DMARC_FIELD_MESSAGE_INDEX, 0);
	ck_assert_ptr_nonnull(strstr(dmarc_reader_get_text(rd,
	    DMARC_FIELD_ORIGINAL_HEADERS, 0, NULL), "Subject: hi"));
	ck_assert_ptr_nonnull(strstr(dmarc_reader_get_text(rd,
	    DMARC_FIELD_AUTHENTICATION_RESULTS, 0, NULL), "header.from"));
	ck_assert_int_eq(dmarc_reader_get_number(rd, DMARC_FIELD_USER_AGENT, 0,
	    &v), DMARC_EINVAL);
	ck_assert_uint_eq(dmarc_reader_get_count(rd, DMARC_FIELD_ORG_NAME), 0);
	/* the second message: no report */
	ck_assert_int_eq(next_event(rd), DMARC_READER_FAILED);
	ck_assert_int_eq(dmarc_reader_get_failure(rd),
	    DMARC_READER_FAILURE_NOT_A_REPORT);
	ck_assert_int_eq(dmarc_reader_get_status(rd), DMARC_OK);
	number_is(rd, DMARC_FIELD_MESSAGE_INDEX, 1);
	ck_assert_ptr_nonnull(dmarc_reader_get_text(rd,
	    DMARC_FIELD_FAILURE_TEXT, 0, NULL));
	ck_assert_ptr_nonnull(dmarc_reader_get_text(rd, DMARC_FIELD_CONTAINERS,
	    0, NULL));
	ck_assert_uint_eq(dmarc_reader_get_count(rd,
	    DMARC_FIELD_FEEDBACK_TYPE), 0);
	ck_assert_uint_ge(dmarc_reader_get_diag_count(rd), 1);
	ck_assert_int_eq(next_event(rd), DMARC_READER_DONE);
	/* after DONE the failure class is gone */
	ck_assert_int_eq(dmarc_reader_get_failure(rd),
	    DMARC_READER_FAILURE_NONE);
	dmarc_reader_free(rd);
	free(mbox.p);
}
END_TEST

/* ---- limits ---- */

/* The events of data read under limit = value: a FAILED of class limit
 * among them, no REPORT_END; read under the default limits, the same
 * input gives a REPORT_END (so the limit is what failed it). */
static void limited(dmarc_limit limit, size_t value, const char *data,
    size_t len)
{
	struct reader_log l;
	dmarc_ctx *c;

	read_into(&l, ctx, data, len, 0, 0);
	ck_assert_msg(l.events[DMARC_READER_REPORT_END] >= 1 &&
	    l.events[DMARC_READER_FAILED] == 0, "unlimited:\n%.3000s", l.data);
	reader_log_free(&l);
	OK(dmarc_ctx_new_with_allocator(&c, failing_malloc, failing_realloc,
	    failing_free));
	OK(dmarc_ctx_set_limit(c, limit, value));
	read_into(&l, c, data, len, 0, 0);
	ck_assert_msg(l.events[DMARC_READER_REPORT_END] == 0 &&
	    strstr(l.data, "failed limit 0 ") != NULL, "limit %d = %zu:\n%.3000s",
	    (int)limit, value, l.data);
	reader_log_free(&l);
	/* and in pieces */
	read_into(&l, c, data, len, 3, 0);
	ck_assert(l.events[DMARC_READER_REPORT_END] == 0 &&
	    strstr(l.data, "failed limit 0 ") != NULL);
	reader_log_free(&l);
	dmarc_ctx_free(c);
}

/* A report with extra inserted before its first record. */
static struct text report_with(unsigned records, const char *extra)
{
	struct text r = make_report(records, 9, NULL), t = { NULL, 0, 0 };
	const char *at = strstr(r.p, "<record>");

	add(&t, r.p, (size_t)(at - r.p));
	add(&t, extra, strlen(extra));
	add(&t, at, strlen(at));
	free(r.p);
	return t;
}

START_TEST(test_limit_xml_depth)
{
	struct text deep = { NULL, 0, 0 }, r;
	int i;

	for (i = 0; i < 9; i++)
		adds(&deep, "<x>");
	for (i = 0; i < 9; i++)
		adds(&deep, "</x>");
	r = report_with(2, deep.p);
	limited(DMARC_LIMIT_XML_DEPTH, 8, r.p, r.len);
	free(deep.p);
	free(r.p);
}
END_TEST

START_TEST(test_limit_xml_elements)
{
	struct text r = make_report(60, 4, NULL); /* over 1,000 elements */

	limited(DMARC_LIMIT_XML_ELEMENTS, 1000, r.p, r.len);
	free(r.p);
}
END_TEST

START_TEST(test_limit_xml_string)
{
	char name[400];
	struct text r = make_report(2, 5, NULL), t = { NULL, 0, 0 };
	const char *at = strstr(r.p, "Example Receiver");

	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	add(&t, r.p, (size_t)(at - r.p));
	add(&t, name, strlen(name));
	add(&t, at, strlen(at));
	limited(DMARC_LIMIT_XML_STRING, 256, t.p, t.len);
	free(r.p);
	free(t.p);
}
END_TEST

START_TEST(test_limit_records)
{
	struct text r = make_report(3, 6, NULL);
	struct reader_log l;
	dmarc_ctx *c;

	limited(DMARC_LIMIT_REPORT_RECORDS, 2, r.p, r.len);
	/* two records are within it, and come out as rows first */
	OK(dmarc_ctx_new_with_allocator(&c, failing_malloc, failing_realloc,
	    failing_free));
	OK(dmarc_ctx_set_limit(c, DMARC_LIMIT_REPORT_RECORDS, 2));
	read_into(&l, c, r.p, r.len, 0, 0);
	ck_assert_uint_eq(l.events[DMARC_READER_ROW], 2);
	reader_log_free(&l);
	free(r.p);
	r = make_report(2, 6, NULL);
	read_into(&l, c, r.p, r.len, 0, 0);
	ck_assert_uint_eq(l.events[DMARC_READER_REPORT_END], 1);
	reader_log_free(&l);
	dmarc_ctx_free(c);
	free(r.p);
}
END_TEST

START_TEST(test_limit_report_bytes)
{
	/* 2 MiB of report, gzipped: more decoded than 1 MiB */
	struct text r = make_report(5000, 7, NULL);
	struct text gz = gzip_of(r.p, r.len);

	ck_assert_uint_gt(r.len, 2u << 20);
	limited(DMARC_LIMIT_REPORT_BYTES, 1u << 20, gz.p, gz.len);
	free(r.p);
	free(gz.p);
}
END_TEST

/* A gzip bomb: a report whose first record's source_ip holds 64 MiB of
 * spaces (about 1000 to 1 in deflate).  Under ratio 10 it fails after a
 * little over the first MiB, long before its end. */
START_TEST(test_limit_ratio_bomb)
{
	struct text r = make_report(1, 8, NULL);
	const char *at = strstr(r.p, "</source_ip>");
	size_t head = (size_t)(at - r.p), pad = 64u << 20;
	char *bomb = malloc(r.len + pad);
	struct text gz;
	struct reader_log l;
	dmarc_reader *rd;
	dmarc_ctx *c;

	ck_assert_ptr_nonnull(bomb);
	memcpy(bomb, r.p, head);
	memset(bomb + head, ' ', pad);
	memcpy(bomb + head + pad, at, r.len - head);
	gz = gzip_of(bomb, r.len + pad);
	free(bomb);
	ck_assert_uint_lt(gz.len, 200u << 10);
	OK(dmarc_ctx_new_with_allocator(&c, failing_malloc, failing_realloc,
	    failing_free));
	OK(dmarc_ctx_set_limit(c, DMARC_LIMIT_REPORT_RATIO, 10));
	/* the string limit would stop it too: out of its way */
	OK(dmarc_ctx_set_limit(c, DMARC_LIMIT_XML_STRING, 16u << 20));
	OK(dmarc_reader_new(&rd, c));
	reader_log_init(&l);
	REQUIRE(reader_log_run(&l, rd, gz.p, gz.len, 4096, 0));
	ck_assert_msg(l.events[DMARC_READER_REPORT_END] == 0 &&
	    strstr(l.data, "failed limit 0 ") != NULL, "%.3000s", l.data);
	reader_log_free(&l);
	dmarc_reader_free(rd);
	dmarc_ctx_free(c);
	free(gz.p);
	free(r.p);
}
END_TEST

START_TEST(test_limit_mime_depth)
{
	struct text r = make_report(2, 10, NULL), inner = { NULL, 0, 0 };
	struct text mail = { NULL, 0, 0 };

	add_email(&inner, "r.xml", "text/xml", r.p, r.len);
	/* the email forwarded inside another: two levels of multipart */
	adds(&mail, "From: fw@example.org\r\nTo: d@example.com\r\n"
	    "Subject: Fwd\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
	    "--outer\r\nContent-Type: message/rfc822\r\n\r\n");
	add(&mail, inner.p, inner.len);
	adds(&mail, "\r\n--outer--\r\n");
	limited(DMARC_LIMIT_MIME_DEPTH, 1, mail.p, mail.len);
	free(r.p);
	free(inner.p);
	free(mail.p);
}
END_TEST

START_TEST(test_limit_mime_parts)
{
	struct text r = make_report(2, 11, NULL), mail = { NULL, 0, 0 };

	/* three text parts before the report */
	adds(&mail, "From: r@example.net\r\nTo: d@example.com\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n"
	    "--p\r\nContent-Type: text/plain\r\n\r\none\r\n"
	    "--p\r\nContent-Type: text/plain\r\n\r\ntwo\r\n"
	    "--p\r\nContent-Type: text/plain\r\n\r\nthree\r\n"
	    "--p\r\nContent-Type: text/xml\r\n\r\n");
	add(&mail, r.p, r.len);
	adds(&mail, "\r\n--p--\r\n");
	limited(DMARC_LIMIT_MIME_PARTS, 2, mail.p, mail.len);
	free(r.p);
	free(mail.p);
}
END_TEST

/* RFC 9990 3.1: counts are unsigned 64-bit; a sum past 2^64 would be a
 * wrong total, so the report fails.  2^64 - 1 alone is read. */
START_TEST(test_count_sum_overflow)
{
	static const char *const counts[][2] = {
		{ "18446744073709551615", NULL },
		{ "18446744073709551615", "1" },
		{ "9223372036854775808", "9223372036854775808" },
		{ "18446744073709551616", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		struct text r = make_report(2, 12, NULL), t = { NULL, 0, 0 };
		const char *p = r.p, *c;
		struct reader_log l;
		int k;

		for (k = 0; k < 2; k++) {
			c = strstr(p, "<count>") + 7;
			add(&t, p, (size_t)(c - p));
			add(&t, counts[i][k] != NULL ? counts[i][k] : "0",
			    strlen(counts[i][k] != NULL ? counts[i][k] : "0"));
			p = strstr(c, "</count>");
		}
		add(&t, p, strlen(p));
		read_into(&l, ctx, t.p, t.len, 0, 0);
		if (i == 0) {
			ck_assert_uint_eq(l.events[DMARC_READER_REPORT_END], 1);
			ck_assert_ptr_nonnull(strstr(l.data,
			    "messages[1] =20:18446744073709551615 "
			    "#18446744073709551615"));
		} else {
			ck_assert_uint_eq(l.events[DMARC_READER_REPORT_END], 0);
			ck_assert_ptr_nonnull(strstr(l.data,
			    "failed invalid-value 0 "));
		}
		reader_log_free(&l);
		free(r.p);
		free(t.p);
	}
}
END_TEST

/* ---- allocation failures ---- */

/* The first line of a where it differs from b, or NULL. */
static const char *first_difference(const char *a, const char *b)
{
	const char *line = a;

	while (*a != '\0' && *a == *b) {
		if (*a == '\n')
			line = a + 1;
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0' ? NULL : line;
}

/* Fails allocation k for k = 0, 1, ... until a run completes without
 * reaching it: each run gives the events of the run without failures,
 * or the same up to a FAILED of class limit with DMARC_ENOMEM; no leak. */
static void alloc_loop(const char *data, size_t len, long chunk)
{
	struct reader_log ref, l;
	char want[64];
	long k, base = live; /* the context's own */

	read_into(&ref, ctx, data, len, chunk, 0);
	(void)snprintf(want, sizeof want, "failed limit %d ",
	    (int)DMARC_ENOMEM);
	for (k = 0;; k++) {
		dmarc_reader *rd;
		const char *diff;
		bool ran;

		n_allocs = 0;
		fail_at = k;
		if (dmarc_reader_new(&rd, ctx) != DMARC_OK) {
			REQUIRE(live == base);
			continue;
		}
		reader_log_init(&l);
		ran = reader_log_run(&l, rd, data, len, chunk, 0);
		dmarc_reader_free(rd);
		ck_assert_msg(live == base, "allocation %ld failed: %ld blocks "
		    "leaked", k, live - base);
		if (!ran)
			ck_abort_msg("allocation %ld failed: %s", k, l.broken);
		diff = first_difference(l.data != NULL ? l.data : "", ref.data);
		if (diff != NULL && strncmp(diff, want, strlen(want)) != 0)
			ck_abort_msg("allocation %ld failed: events differ at\n"
			    "%.1500s\nexpected\n%.1500s", k, diff, ref.data);
		reader_log_free(&l);
		if (n_allocs <= k)
			break;
	}
	fail_at = -1;
	reader_log_free(&ref);
	ck_assert_int_gt(k, 10);
}

START_TEST(test_alloc_failures_xml)
{
	struct text r = make_report(3, 13, NULL);

	alloc_loop(groups_report, strlen(groups_report), 0);
	alloc_loop(r.p, r.len, 50);
	free(r.p);
}
END_TEST

START_TEST(test_alloc_failures_containers)
{
	struct text r = make_report(3, 14, NULL), gz = gzip_of(r.p, r.len);
	struct text mbox = { NULL, 0, 0 };

	adds(&mbox, "From x Thu Jan  1 00:00:00 2024\n");
	add_email(&mbox, "r.xml.gz", "application/gzip", gz.p, gz.len);
	adds(&mbox, "\nFrom x Thu Jan  1 00:00:00 2024\n");
	add(&mbox, arf_email, strlen(arf_email));
	alloc_loop(gz.p, gz.len, 0);
	alloc_loop(mbox.p, mbox.len, 0);
	free(r.p);
	free(gz.p);
	free(mbox.p);
}
END_TEST

/* ---- chunkings ---- */

START_TEST(test_chunkings_generated)
{
	uint32_t seed;

	for (seed = 1; seed <= 24; seed++) {
		uint64_t sum;
		unsigned n = (seed * 7) % 23;
		struct text r = make_report(n, seed, &sum), in = { NULL, 0, 0 };
		struct text gz = { NULL, 0, 0 };
		struct reader_log whole, l;
		char want[64];
		long chunks[] = { 1, 2, 13, 256, 4096, -(long)seed };
		size_t i;

		/* as it is, gzipped, in an email, gzipped in an mbox */
		switch (seed % 4) {
		case 0:
			add(&in, r.p, r.len);
			break;
		case 1:
			in = gzip_of(r.p, r.len);
			break;
		case 2:
			add_email(&in, "r.xml", "text/xml", r.p, r.len);
			break;
		default:
			gz = gzip_of(r.p, r.len);
			adds(&in, "From x Thu Jan  1 00:00:00 2024\n");
			add_email(&in, "r.xml.gz", "application/gzip", gz.p,
			    gz.len);
			break;
		}
		read_into(&whole, ctx, in.p, in.len, 0, 0);
		ck_assert_uint_eq(whole.events[DMARC_READER_ROW], n);
		ck_assert_uint_eq(whole.events[DMARC_READER_REPORT_END], 1);
		(void)snprintf(want, sizeof want, "%llu",
		    (unsigned long long)sum);
		(void)snprintf(want, sizeof want, " messages[1] =%zu:%llu ",
		    strlen(want), (unsigned long long)sum);
		ck_assert_msg(strstr(whole.data, want) != NULL,
		    "no total %s in\n%s", want, whole.data);
		for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
			read_into(&l, ctx, in.p, in.len, chunks[i], 0);
			ck_assert_msg(strcmp(l.data, whole.data) == 0,
			    "seed %u, chunks of %ld", seed, chunks[i]);
			reader_log_free(&l);
		}
		reader_log_free(&whole);
		free(r.p);
		free(in.p);
		free(gz.p);
	}
}
END_TEST

/* ---- memory ---- */

/* An allocator that knows the bytes held and their peak. */
static size_t held, peak;

static void *counting_malloc(size_t n)
{
	size_t *p = malloc(n + sizeof(size_t) * 2);

	if (p == NULL)
		return NULL;
	p[0] = n;
	held += n;
	if (held > peak)
		peak = held;
	return p + 2;
}

static void counting_free(void *q)
{
	size_t *p = q;

	if (p == NULL)
		return;
	held -= p[-2];
	free(p - 2);
}

static void *counting_realloc(void *q, size_t n)
{
	size_t *p = q, *r;

	if (p == NULL)
		return counting_malloc(n);
	r = realloc(p - 2, n + sizeof(size_t) * 2);
	if (r == NULL)
		return NULL;
	held = held - r[0] + n;
	r[0] = n;
	if (held > peak)
		peak = held;
	return r + 2;
}

/* The peak of the bytes a reader holds reading n records pushed in
 * pieces of 64 KiB, and its rows. */
static size_t peak_reading(unsigned n, unsigned long *rows)
{
	struct text r = make_report(n, 15, NULL);
	struct reader_log l;
	dmarc_reader *rd;
	dmarc_ctx *c;

	held = peak = 0;
	OK(dmarc_ctx_new_with_allocator(&c, counting_malloc, counting_realloc,
	    counting_free));
	OK(dmarc_reader_new(&rd, c));
	reader_log_init(&l);
	REQUIRE(reader_log_run(&l, rd, r.p, r.len, 65536, 0));
	*rows = l.events[DMARC_READER_ROW];
	ck_assert_uint_eq(l.events[DMARC_READER_REPORT_END], 1);
	reader_log_free(&l);
	dmarc_reader_free(rd);
	dmarc_ctx_free(c);
	ck_assert_uint_eq(held, 0);
	free(r.p);
	return peak;
}

START_TEST(test_rows_constant_memory)
{
	unsigned long rows_small, rows_large;
	size_t small = peak_reading(2000, &rows_small);
	size_t large = peak_reading(20000, &rows_large);

	ck_assert_uint_eq(rows_small, 2000);
	ck_assert_uint_eq(rows_large, 20000);
	/* ten times the rows, not a byte more than a few KiB of slack */
	if (getenv("READER_SHOW_PEAK") != NULL)
		printf("peak bytes: 2,000 records %zu, 20,000 records %zu\n",
		    small, large);
	ck_assert_msg(large <= small + 4096, "2,000 records: %zu bytes at "
	    "most, 20,000: %zu", small, large);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("reader");
	TCase *api = tcase_create("api"), *lim = tcase_create("limits");
	TCase *mem = tcase_create("allocation"), *chk = tcase_create("chunks");

	tcase_add_checked_fixture(api, setup, teardown);
	tcase_add_test(api, test_null_arguments);
	tcase_add_test(api, test_states);
	tcase_add_test(api, test_reset_reuse);
	tcase_add_test(api, test_getters_aggregate);
	tcase_add_test(api, test_getters_failure_report);
	suite_add_tcase(s, api);
	tcase_add_checked_fixture(lim, setup, teardown);
	tcase_set_timeout(lim, 60);
	tcase_add_test(lim, test_limit_xml_depth);
	tcase_add_test(lim, test_limit_xml_elements);
	tcase_add_test(lim, test_limit_xml_string);
	tcase_add_test(lim, test_limit_records);
	tcase_add_test(lim, test_limit_report_bytes);
	tcase_add_test(lim, test_limit_ratio_bomb);
	tcase_add_test(lim, test_limit_mime_depth);
	tcase_add_test(lim, test_limit_mime_parts);
	tcase_add_test(lim, test_count_sum_overflow);
	suite_add_tcase(s, lim);
	tcase_add_checked_fixture(mem, setup, teardown);
	tcase_set_timeout(mem, 120);
	tcase_add_test(mem, test_alloc_failures_xml);
	tcase_add_test(mem, test_alloc_failures_containers);
	tcase_add_test(mem, test_rows_constant_memory);
	suite_add_tcase(s, mem);
	tcase_add_checked_fixture(chk, setup, teardown);
	tcase_set_timeout(chk, 120);
	tcase_add_test(chk, test_chunkings_generated);
	suite_add_tcase(s, chk);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
