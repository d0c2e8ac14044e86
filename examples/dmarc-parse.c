/*
 * dmarc-parse: parse DMARC policy records and show what a receiver makes
 * of them: the effective value of every tag, the reporting URIs and every
 * diagnostic.
 *
 *   dmarc-parse [--mode 9989|7489|9091] [--json] [--strict]
 *               [--first-wins] [RECORD]
 *   dmarc-parse [options] --batch FILE   (one record per line)
 *   dmarc-parse --help | --version
 *
 * Input is read as bytes: a NUL is part of the record (the parser says
 * what it makes of it), lines may be of any length, and one line break
 * at the end of a record (LF or CRLF) is not part of it.
 *
 * Exit status: 0 the record is valid, 1 it is not (acts as p=none,
 * invalid, or not a DMARC record), 2 usage or system error.  With
 * --batch: 0 when the file was read, whatever the records say.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "print.h"

/* fo as written in a record: the option keywords joined by ':'. */
static void fo_text(unsigned int fo, char *buf)
{
	unsigned int bit;

	buf[0] = '\0';
	for (bit = DMARC_FO_ALL_FAIL; bit <= DMARC_FO_SPF; bit <<= 1) {
		const char *name = dmarc_fo_name((dmarc_fo)bit);
		if (!(fo & bit) || name == NULL)
			continue;
		if (buf[0] != '\0')
			strcat(buf, ":");
		strcat(buf, name);
	}
}

/* Effective tag values as text; NULL where the tag does not apply (record
 * unusable, or the tag is unknown or historic in this mode). */
struct tag_values {
	const char *p, *sp, *np, *adkim, *aspf, *psd, *t, *rf;
	char fo[8];
	char pct[8];
	char ri[16];
	int has_pct, has_ri;
};

static void effective_values(const dmarc_record *rec, struct tag_values *v)
{
	dmarc_mode mode = dmarc_record_get_mode(rec);
	int usable = policy_word(dmarc_record_get_policy(rec, DMARC_TAG_P)) != NULL;
	int bis = mode == DMARC_MODE_RFC9989;

	memset(v, 0, sizeof *v);
	v->p = policy_word(dmarc_record_get_policy(rec, DMARC_TAG_P));
	v->sp = policy_word(dmarc_record_get_policy(rec, DMARC_TAG_SP));
	v->np = mode == DMARC_MODE_RFC7489 ? NULL :
	    policy_word(dmarc_record_get_policy(rec, DMARC_TAG_NP));
	if (!usable)
		return;
	v->adkim = dmarc_alignment_name(
	    dmarc_record_get_alignment(rec, DMARC_TAG_ADKIM));
	v->aspf = dmarc_alignment_name(
	    dmarc_record_get_alignment(rec, DMARC_TAG_ASPF));
	fo_text(dmarc_record_get_fo(rec), v->fo);
	if (bis) {
		v->psd = dmarc_psd_name(dmarc_record_get_psd(rec));
		v->t = dmarc_record_get_testing(rec) ? "y" : "n";
	} else {
		v->rf = dmarc_rf_name(DMARC_RF_AFRF);
		v->has_pct = v->has_ri = 1;
		sprintf(v->pct, "%u", dmarc_record_get_pct(rec));
		sprintf(v->ri, "%lu", (unsigned long)dmarc_record_get_ri(rec));
	}
}

static void json_member(const char *name, const char *value, int quote)
{
	printf(", \"%s\": ", name);
	if (value == NULL)
		fputs("null", stdout);
	else if (quote)
		json_string(value);
	else
		fputs(value, stdout);
}

static void json_uris(const dmarc_record *rec, dmarc_tag tag)
{
	size_t i, n = dmarc_record_get_uri_count(rec, tag);

	printf(", \"%s\": [", dmarc_tag_name(tag));
	for (i = 0; i < n; i++) {
		const dmarc_uri *u = dmarc_record_get_uri(rec, tag, i);
		unsigned int flags = dmarc_uri_get_flags(u);
		printf("%s{\"uri\": ", i > 0 ? ", " : "");
		json_string(dmarc_uri_get_text(u));
		json_member("scheme", dmarc_uri_get_scheme(u), 1);
		json_member("address", dmarc_uri_get_address(u), 1);
		if ((flags & (DMARC_URI_HAS_SIZE | DMARC_URI_SIZE_OBSOLETE)) ==
		    DMARC_URI_HAS_SIZE)
			printf(", \"size\": %" PRIu64, dmarc_uri_get_size_limit(u));
		else
			fputs(", \"size\": null", stdout);
		printf(", \"supported\": %s}",
		    flags & DMARC_URI_UNSUPPORTED ? "false" : "true");
	}
	putchar(']');
}

static void json_diags(const dmarc_record *rec)
{
	size_t i, n = dmarc_record_get_diag_count(rec);

	fputs(", \"diagnostics\": [", stdout);
	for (i = 0; i < n; i++) {
		const dmarc_diag *d = dmarc_record_get_diag(rec, i);
		printf("%s{\"code\": ", i > 0 ? ", " : "");
		json_string(dmarc_diag_get_name(d));
		json_member("severity", dmarc_diag_get_severity(d) ==
		    DMARC_SEVERITY_ERROR ? "error" : "warning", 1);
		printf(", \"offset\": %lu, \"length\": %lu",
		    (unsigned long)dmarc_diag_get_offset(d),
		    (unsigned long)dmarc_diag_get_length(d));
		json_member("tag", dmarc_diag_get_tag(d), 1);
		json_member("text", dmarc_diag_get_text(d), 1);
		putchar('}');
	}
	putchar(']');
}

static void print_json(const char *text, size_t len, const dmarc_record *rec)
{
	struct tag_values v;

	effective_values(rec, &v);
	fputs("{\"record\": ", stdout);
	json_string_len(text, len);
	json_member("mode", dmarc_mode_name(dmarc_record_get_mode(rec)), 1);
	json_member("status",
	    dmarc_record_state_name(dmarc_record_get_state(rec)), 1);
	json_member("p", v.p, 1);
	json_member("sp", v.sp, 1);
	json_member("np", v.np, 1);
	json_member("adkim", v.adkim, 1);
	json_member("aspf", v.aspf, 1);
	json_member("fo", v.adkim != NULL ? v.fo : NULL, 1);
	json_member("pct", v.has_pct ? v.pct : NULL, 0);
	json_member("ri", v.has_ri ? v.ri : NULL, 0);
	json_member("rf", v.rf, 1);
	json_member("t", v.t, 1);
	json_member("psd", v.psd, 1);
	json_uris(rec, DMARC_TAG_RUA);
	json_uris(rec, DMARC_TAG_RUF);
	json_diags(rec);
	fputs("}\n", stdout);
}

/* ------------------------------------------------------------- text */

static void text_tag(const char *name, const char *value)
{
	if (value != NULL)
		printf(" %s=%s", name, value);
}

static void text_uris(const dmarc_record *rec, dmarc_tag tag)
{
	size_t i, n = dmarc_record_get_uri_count(rec, tag);

	for (i = 0; i < n; i++) {
		const dmarc_uri *u = dmarc_record_get_uri(rec, tag, i);
		unsigned int flags = dmarc_uri_get_flags(u);
		printf("  %s: %s", dmarc_tag_name(tag), dmarc_uri_get_text(u));
		if (dmarc_uri_get_address(u) != NULL)
			printf("  address %s", dmarc_uri_get_address(u));
		if ((flags & (DMARC_URI_HAS_SIZE | DMARC_URI_SIZE_OBSOLETE)) ==
		    DMARC_URI_HAS_SIZE)
			printf("  max %" PRIu64 " bytes", dmarc_uri_get_size_limit(u));
		if (flags & DMARC_URI_UNSUPPORTED)
			fputs("  (unsupported scheme)", stdout);
		putchar('\n');
	}
}

/* The record as text, control bytes (NUL, CR, LF...) as \xHH. */
static void print_bytes(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void print_text(const char *text, size_t len, const dmarc_record *rec)
{
	struct tag_values v;
	size_t i, n = dmarc_record_get_diag_count(rec);

	effective_values(rec, &v);
	fputs("record: ", stdout);
	print_bytes(text, len);
	putchar('\n');
	printf("  status: %s (%s)\n",
	    dmarc_record_state_name(dmarc_record_get_state(rec)),
	    dmarc_mode_name(dmarc_record_get_mode(rec)));
	if (v.p != NULL) {
		fputs("  effective:", stdout);
		text_tag("p", v.p);
		text_tag("sp", v.sp);
		text_tag("np", v.np);
		text_tag("adkim", v.adkim);
		text_tag("aspf", v.aspf);
		text_tag("fo", v.fo);
		text_tag("pct", v.has_pct ? v.pct : NULL);
		text_tag("ri", v.has_ri ? v.ri : NULL);
		text_tag("rf", v.rf);
		text_tag("psd", v.psd);
		text_tag("t", v.t);
		putchar('\n');
	}
	text_uris(rec, DMARC_TAG_RUA);
	text_uris(rec, DMARC_TAG_RUF);
	for (i = 0; i < n; i++) {
		const dmarc_diag *d = dmarc_record_get_diag(rec, i);
		printf("  %-7s at %-3lu %-5s %s: %s\n",
		    dmarc_diag_get_severity(d) == DMARC_SEVERITY_ERROR ?
		    "error" : "warning", (unsigned long)dmarc_diag_get_offset(d),
		    dmarc_diag_get_tag(d) != NULL ? dmarc_diag_get_tag(d) : "",
		    dmarc_diag_get_name(d),
		    dmarc_diag_get_text(d));
	}
}

/* ------------------------------------------------------------- main */

struct options {
	int json;
	const char *batch;
	const char *record;
};

/* The usage text: on stdout and status 0 for --help, else on stderr. */
static int usage(FILE *fp, int status)
{
	fputs("usage: dmarc-parse [--mode 9989|7489|9091] [--json] [--strict]\n"
	    "                   [--first-wins] [--batch FILE | RECORD]\n"
	    "       dmarc-parse --help | --version\n"
	    "With no RECORD and no --batch, the record is read from stdin.\n",
	    fp);
	return status;
}

static int set_mode(dmarc_ctx *ctx, const char *arg)
{
	dmarc_mode mode;

	if (strcmp(arg, "9989") == 0)
		mode = DMARC_MODE_RFC9989;
	else if (strcmp(arg, "7489") == 0)
		mode = DMARC_MODE_RFC7489;
	else if (strcmp(arg, "9091") == 0)
		mode = DMARC_MODE_RFC7489_PSD;
	else
		return -1;
	return dmarc_ctx_set_mode(ctx, mode) == DMARC_OK ? 0 : -1;
}

static int parse_args(int argc, char **argv, dmarc_ctx *ctx,
    struct options *o)
{
	unsigned int popts = 0;
	int i;

	memset(o, 0, sizeof *o);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--json") == 0)
			o->json = 1;
		else if (strcmp(a, "--strict") == 0)
			popts |= DMARC_PARSE_STRICT;
		else if (strcmp(a, "--first-wins") == 0)
			popts |= DMARC_PARSE_DUPLICATE_FIRST_WINS;
		else if (strcmp(a, "--mode") == 0 && i + 1 < argc) {
			if (set_mode(ctx, argv[++i]) != 0)
				return -1;
		} else if (strcmp(a, "--batch") == 0 && i + 1 < argc)
			o->batch = argv[++i];
		else if (a[0] == '-' && a[1] == '-')
			return -1;
		else if (o->record == NULL)
			o->record = a;
		else
			return -1;
	}
	if (o->batch != NULL && o->record != NULL)
		return -1;
	return dmarc_ctx_set_parse_options(ctx, popts) == DMARC_OK ? 0 : -1;
}

/* Parse and print one record; returns its state, or 0 on error. */
static int show(const dmarc_ctx *ctx, const struct options *o,
    const char *text, size_t len)
{
	dmarc_record *rec;
	dmarc_status st = dmarc_record_parse(&rec, ctx, text, len);
	int state;

	if (st != DMARC_OK) {
		fprintf(stderr, "dmarc-parse: %s\n", dmarc_strerror(st));
		return 0;
	}
	if (o->json)
		print_json(text, len, rec);
	else
		print_text(text, len, rec);
	state = (int)dmarc_record_get_state(rec);
	dmarc_record_free(rec);
	return state;
}

/* One line break (LF or CRLF) at the end of n bytes is not part of the
 * record; returns the length without it. */
static size_t chomp(const char *s, size_t n)
{
	if (n > 0 && s[n - 1] == '\n')
		n--;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	return n;
}

/* Append c to the growing buffer *buf; false when memory runs out. */
static int put_byte(char **buf, size_t *len, size_t *size, int c)
{
	if (*len == *size) {
		size_t grown = *size == 0 ? 4096 : *size * 2;
		char *p = grown > *size ? realloc(*buf, grown) : NULL;
		if (p == NULL)
			return 0;
		*buf = p;
		*size = grown;
	}
	(*buf)[(*len)++] = (char)c;
	return 1;
}

/* The next line of f, of any length, NULs kept, with its line break;
 * 1 when a line was read, 0 at the end, -1 on an error (said). */
static int read_line(FILE *f, char **buf, size_t *len, size_t *size)
{
	int c;

	*len = 0;
	while ((c = getc(f)) != EOF) {
		if (!put_byte(buf, len, size, c)) {
			fputs("dmarc-parse: out of memory\n", stderr);
			return -1;
		}
		if (c == '\n')
			break;
	}
	if (ferror(f)) {
		perror("dmarc-parse");
		return -1;
	}
	return *len > 0 ? 1 : 0;
}

static int run_batch(const dmarc_ctx *ctx, const struct options *o)
{
	FILE *f = strcmp(o->batch, "-") == 0 ? stdin : fopen(o->batch, "r");
	size_t len, size = 0;
	char *line = NULL;
	int rc = 0, got;

	if (f == NULL) {
		perror(o->batch);
		return 2;
	}
	while ((got = read_line(f, &line, &len, &size)) > 0) {
		size_t n = chomp(line, len);
		if (n == 0 || line[0] == '#')
			continue;
		if (!o->json)
			putchar('\n');
		if (show(ctx, o, line, n) == 0) {
			rc = 2;
			break;
		}
	}
	if (got < 0)
		rc = 2;
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

static int run_one(const dmarc_ctx *ctx, const struct options *o)
{
	size_t len = 0, size = 0;
	char *buf = NULL;
	int state, c;

	if (o->record != NULL) {
		state = show(ctx, o, o->record, strlen(o->record));
	} else {
		/* all of standard input, as bytes */
		while ((c = getc(stdin)) != EOF) {
			if (!put_byte(&buf, &len, &size, c)) {
				fputs("dmarc-parse: out of memory\n", stderr);
				free(buf);
				return 2;
			}
		}
		if (ferror(stdin)) {
			perror("dmarc-parse");
			free(buf);
			return 2;
		}
		state = show(ctx, o, buf != NULL ? buf : "", chomp(buf, len));
		free(buf);
	}
	if (state == 0)
		return 2;
	return state == DMARC_RECORD_VALID ? 0 : 1;
}

int main(int argc, char **argv)
{
	dmarc_ctx *ctx;
	struct options o;
	int rc;

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		return usage(stdout, 0);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("dmarc-parse (libdmarc) %s\n", dmarc_version());
		return 0;
	}
	if (dmarc_ctx_new(&ctx) != DMARC_OK) {
		fputs("dmarc-parse: out of memory\n", stderr);
		return 2;
	}
	if (parse_args(argc, argv, ctx, &o) != 0) {
		dmarc_ctx_free(ctx);
		return usage(stderr, 2);
	}
	rc = o.batch != NULL ? run_batch(ctx, &o) : run_one(ctx, &o);
	dmarc_ctx_free(ctx);
	return rc;
}
