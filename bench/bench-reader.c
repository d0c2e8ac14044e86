/*
 * Report reader benchmark (not a test): makes an aggregate report of
 * --records N records (200,000 by default: about 150 MB of pretty-printed
 * XML, each record with two DKIM results and an SPF result, addresses and
 * domains varying), and its gzip, in memory; then reads it
 *
 *   - with bare expat and empty handlers (the baseline),
 *   - with the reader from plain XML,
 *   - with the reader from gzip,
 *
 * pushing 64 KiB at a time and taking every field of every row through
 * the keyed getters.  Prints MB/s of XML (10^6 bytes per second), best of
 * --runs runs, wall clock, each as a share of the baseline in the same
 * run, and the most memory the reader held at once (its context's
 * allocator, counted).
 *
 *   bench-reader [--records N] [--runs R] [--only expat|xml|gzip]
 *
 * --only runs one of the three (for callgrind: instructions per byte of
 * each, compared in one build).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <expat.h>
#include <zlib.h>

#include <dmarc/dmarc.h>

#define CHUNK 65536u

struct text {
	char *p;
	size_t len, size;
};

static void append(struct text *t, const char *s, size_t n)
{
	if (t->len + n > t->size) {
		t->size = (t->len + n) * 2;
		t->p = realloc(t->p, t->size);
		if (t->p == NULL) {
			perror("realloc");
			exit(1);
		}
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
}

#define RECORD_FORMAT \
    "  <record>\n" \
    "    <row>\n" \
    "      <source_ip>198.51.%u.%u</source_ip>\n" \
    "      <count>%u</count>\n" \
    "      <policy_evaluated>\n" \
    "        <disposition>none</disposition>\n" \
    "        <dkim>pass</dkim>\n" \
    "        <spf>fail</spf>\n" \
    "      </policy_evaluated>\n" \
    "    </row>\n" \
    "    <identifiers>\n" \
    "      <envelope_to>mail.receiver.example</envelope_to>\n" \
    "      <envelope_from>b%u.sender.example</envelope_from>\n" \
    "      <header_from>example.com</header_from>\n" \
    "    </identifiers>\n" \
    "    <auth_results>\n" \
    "      <dkim>\n" \
    "        <domain>example.com</domain>\n" \
    "        <selector>selector2024</selector>\n" \
    "        <result>pass</result>\n" \
    "        <human_result>good signature</human_result>\n" \
    "      </dkim>\n" \
    "      <dkim>\n" \
    "        <domain>esp-signing.example.net</domain>\n" \
    "        <selector>s1024</selector>\n" \
    "        <result>pass</result>\n" \
    "      </dkim>\n" \
    "      <spf>\n" \
    "        <domain>bounces.sender.example</domain>\n" \
    "        <scope>mfrom</scope>\n" \
    "        <result>softfail</result>\n" \
    "      </spf>\n" \
    "    </auth_results>\n" \
    "  </record>\n"

static void append_record(struct text *t, unsigned a, unsigned b,
    unsigned c, unsigned d)
{
	char buf[2048];
	int n = snprintf(buf, sizeof buf, RECORD_FORMAT, a, b, c, d);

	append(t, buf, (size_t)n);
}

static struct text make_report(unsigned records)
{
	static const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback>\n"
	    "  <version>1.0</version>\n  <report_metadata>\n"
	    "    <org_name>Bench Receiver</org_name>\n"
	    "    <email>dmarc@receiver.example</email>\n"
	    "    <report_id>bench-1</report_id>\n"
	    "    <date_range><begin>1700000000</begin>"
	    "<end>1700086399</end></date_range>\n  </report_metadata>\n"
	    "  <policy_published>\n    <domain>example.com</domain>\n"
	    "    <adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp>"
	    "<pct>100</pct><fo>0</fo>\n  </policy_published>\n";
	struct text t = { NULL, 0, 0 };
	unsigned i;

	append(&t, head, sizeof head - 1);
	for (i = 0; i < records; i++)
		append_record(&t, (i >> 8) & 255, i & 255, 1 + i % 97,
		    i * 2654435761u); /* a multiplicative hash: varied text */
	append(&t, "</feedback>\n", 12);
	return t;
}

static struct text gzip_of(const struct text *x)
{
	struct text t = { NULL, 0, 0 };
	z_stream zs;
	int r;

	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		exit(1);
	t.size = deflateBound(&zs, x->len);
	t.p = malloc(t.size);
	zs.next_in = (Bytef *)x->p;
	zs.avail_in = (uInt)x->len;
	zs.next_out = (Bytef *)t.p;
	zs.avail_out = (uInt)t.size;
	r = deflate(&zs, Z_FINISH);
	if (r != Z_STREAM_END)
		exit(1);
	t.len = zs.total_out;
	deflateEnd(&zs);
	return t;
}

/* ---- the context's allocator, counting what is held ---- */

static size_t held, peak;

static void *count_malloc(size_t n)
{
	size_t *p = malloc(n + sizeof(size_t) * 2);

	if (p == NULL)
		return NULL;
	*p = n;
	held += n;
	if (held > peak)
		peak = held;
	return p + 2;
}

static void count_free(void *q)
{
	size_t *p = q;

	if (p == NULL)
		return;
	held -= p[-2];
	free(p - 2);
}

static void *count_realloc(void *q, size_t n)
{
	size_t *p = q, old;

	if (p == NULL)
		return count_malloc(n);
	old = p[-2];
	p = realloc(p - 2, n + sizeof(size_t) * 2);
	if (p == NULL)
		return NULL;
	*p = n;
	held = held - old + n;
	if (held > peak)
		peak = held;
	return p + 2;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the three readers ---- */

static void XMLCALL on_start(void *u, const XML_Char *n, const XML_Char **a)
{
	(void)u;
	(void)n;
	(void)a;
}

static void XMLCALL on_end(void *u, const XML_Char *n)
{
	(void)u;
	(void)n;
}

static void XMLCALL on_text(void *u, const XML_Char *s, int len)
{
	(void)u;
	(void)s;
	(void)len;
}

static uint64_t bare_expat(const struct text *x)
{
	XML_Parser p = XML_ParserCreateNS(NULL, '\x01');
	size_t pos = 0, n;
	uint64_t elements = 0;

	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	while (pos < x->len) {
		n = x->len - pos < CHUNK ? x->len - pos : CHUNK;
		if (XML_Parse(p, x->p + pos, (int)n, 0) != XML_STATUS_OK)
			exit(1);
		pos += n;
	}
	if (XML_Parse(p, NULL, 0, 1) != XML_STATUS_OK)
		exit(1);
	elements = (uint64_t)XML_GetCurrentByteIndex(p);
	XML_ParserFree(p);
	return elements;
}

static const dmarc_reader_field row_fields[] = {
	DMARC_FIELD_SOURCE_IP, DMARC_FIELD_COUNT, DMARC_FIELD_DISPOSITION,
	DMARC_FIELD_DKIM_ALIGNED, DMARC_FIELD_SPF_ALIGNED, DMARC_FIELD_HEADER_FROM,
	DMARC_FIELD_ENVELOPE_FROM, DMARC_FIELD_ENVELOPE_TO, DMARC_FIELD_DKIM_DOMAIN,
	DMARC_FIELD_DKIM_SELECTOR, DMARC_FIELD_DKIM_RESULT, DMARC_FIELD_SPF_DOMAIN,
	DMARC_FIELD_SPF_RESULT,
};

/* Reads the whole input; the sum of counts, to check against. */
static uint64_t with_reader(dmarc_ctx *ctx, const struct text *in)
{
	dmarc_reader *rd;
	dmarc_reader_event ev;
	size_t pos = 0, n, i, k, len;
	uint64_t messages = 0, count, sum = 0, bytes = 0;

	if (dmarc_reader_new(&rd, ctx) != DMARC_OK)
		exit(1);
	for (;;) {
		if (pos < in->len) {
			n = in->len - pos < CHUNK ? in->len - pos : CHUNK;
			(void)dmarc_reader_push(rd, in->p + pos, n);
			pos += n;
		} else
			(void)dmarc_reader_finish(rd);
		while ((ev = dmarc_reader_next(rd)) != DMARC_READER_NEED_INPUT &&
		    ev != DMARC_READER_DONE) {
			if (ev == DMARC_READER_ROW) {
				for (i = 0; i < sizeof row_fields /
				    sizeof row_fields[0]; i++)
					for (k = 0; k < dmarc_reader_get_count(rd,
					    row_fields[i]); k++)
						if (dmarc_reader_get_text(rd,
						    row_fields[i], k, &len) !=
						    NULL)
							bytes += len;
				if (dmarc_reader_get_number(rd, DMARC_FIELD_COUNT,
				    0, &count) == DMARC_OK)
					sum += count;
			} else if (ev == DMARC_READER_REPORT_END)
				(void)dmarc_reader_get_number(rd,
				    DMARC_FIELD_MESSAGES, 0, &messages);
			else if (ev == DMARC_READER_FAILED) {
				fprintf(stderr, "bench-reader: failed: %s\n",
				    dmarc_reader_get_text(rd,
				    DMARC_FIELD_FAILURE_TEXT, 0, NULL));
				exit(1);
			}
		}
		if (ev == DMARC_READER_DONE)
			break;
	}
	dmarc_reader_free(rd);
	if (sum != messages || bytes == 0) {
		fprintf(stderr, "bench-reader: rows sum %llu, report %llu\n",
		    (unsigned long long)sum, (unsigned long long)messages);
		exit(1);
	}
	return messages;
}

int main(int argc, char **argv)
{
	unsigned records = 200000, runs = 3, r;
	const char *only = "";
	struct text xml, gz;
	dmarc_ctx *ctx;
	double best[3] = { 1e9, 1e9, 1e9 }, t;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--records") == 0)
			records = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--runs") == 0)
			runs = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--only") == 0)
			only = argv[i + 1];
	}
	xml = make_report(records);
	gz = gzip_of(&xml);
	if (dmarc_ctx_new_with_allocator(&ctx, count_malloc, count_realloc,
	    count_free) != DMARC_OK)
		return 1;
	for (r = 0; r < runs; r++) {
		t = now();
		if (*only == '\0' || strcmp(only, "expat") == 0)
			(void)bare_expat(&xml);
		if ((t = now() - t) < best[0])
			best[0] = t;
		t = now();
		if (*only == '\0' || strcmp(only, "xml") == 0)
			(void)with_reader(ctx, &xml);
		if ((t = now() - t) < best[1])
			best[1] = t;
		t = now();
		if (*only == '\0' || strcmp(only, "gzip") == 0)
			(void)with_reader(ctx, &gz);
		if ((t = now() - t) < best[2])
			best[2] = t;
	}
	printf("report: %u records, %.1f MB of XML, %.1f MB gzip\n", records,
	    (double)xml.len / 1e6, (double)gz.len / 1e6);
	printf("bare expat, empty handlers: %6.1f MB/s\n",
	    (double)xml.len / 1e6 / best[0]);
	printf("reader, plain XML:          %6.1f MB/s (%.0f%% of expat)\n",
	    (double)xml.len / 1e6 / best[1], 100.0 * best[0] / best[1]);
	printf("reader, gzip:               %6.1f MB/s of XML (%.0f%% of "
	    "expat)\n", (double)xml.len / 1e6 / best[2],
	    100.0 * best[0] / best[2]);
	printf("reader's peak memory:       %.2f MB\n", (double)peak / 1e6);
	dmarc_ctx_free(ctx);
	free(xml.p);
	free(gz.p);
	return 0;
}
