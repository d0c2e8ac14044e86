/*
 * Support code shared by the dmarc-demo and dmarc-eval examples: the
 * zone file reader with its lookup function, and the message header
 * reader.  See zone-file.h; the zone file format is described at the top
 * of examples/data/demo.zone.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zone-file.h"

#define ZONE_LINE_MAX 4096      /* longest zone file line */
#define ZONE_NAME_MAX 253       /* longest owner name */
#define ZONE_TTL 300ul          /* TTL of every answer */

/* Zone entry types beside the DNS types of dmarc_rrtype. */
#define Z_NXDOMAIN (-1)
#define Z_SERVFAIL (-2)

struct zentry {
	char name[ZONE_NAME_MAX + 1]; /* lower case, no trailing dot */
	int type;                     /* dmarc_rrtype, Z_NXDOMAIN, Z_SERVFAIL */
	char *text;                   /* TXT: the joined strings */
	size_t len;
};

struct zone {
	struct zentry *e;
	size_t n, cap;
	FILE *trace;
};

static void say(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
}

static int is_space(int c)
{
	return c == ' ' || c == '\t';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int same_word(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (lower(*a) != lower(*b))
			return 0;
	return *a == *b;
}

/* ------------------------------------------------------------ zone file */

static const struct {
	const char *word;
	int type;
} zone_types[] = {
	{ "TXT", DMARC_RR_TXT }, { "A", DMARC_RR_A }, { "AAAA", DMARC_RR_AAAA },
	{ "MX", DMARC_RR_MX }, { "NXDOMAIN", Z_NXDOMAIN },
	{ "SERVFAIL", Z_SERVFAIL }
};

static const char *type_word(int type)
{
	size_t i;

	for (i = 0; i < sizeof zone_types / sizeof zone_types[0]; i++)
		if (zone_types[i].type == type)
			return zone_types[i].word;
	return "?";
}

/* The next white-space delimited word of *p: its start and length. */
static size_t next_word(char **p, char **word)
{
	char *s = *p;
	size_t n = 0;

	while (is_space(*s))
		s++;
	*word = s;
	while (s[n] != '\0' && !is_space(s[n]))
		n++;
	*p = s + n;
	return n;
}

/* An owner name: letters, digits, '-', '_', dots between labels; one
 * trailing dot allowed.  Copied in lower case. */
static int take_name(char *dst, const char *src, size_t len)
{
	size_t i, label = 0;

	if (len > 1 && src[len - 1] == '.')
		len--;
	if (len == 0 || len > ZONE_NAME_MAX)
		return -1;
	for (i = 0; i < len; i++) {
		char c = lower(src[i]);
		if (c == '.') {
			if (label == 0)
				return -1;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_') {
			if (++label > 63)
				return -1;
		} else {
			return -1;
		}
		dst[i] = c;
	}
	if (label == 0)
		return -1;
	dst[len] = '\0';
	return 0;
}

/* A TXT value: one or more "quoted strings" (\" and \\ escapes), joined,
 * or a single unquoted word.  Written to out (as large as s); its length,
 * or -1 on a syntax error. */
static long take_txt(const char *s, char *out)
{
	size_t n = 0;

	while (is_space(*s))
		s++;
	if (*s == '\0')
		return -1;
	if (*s != '"') {
		while (*s != '\0' && !is_space(*s))
			out[n++] = *s++;
		while (is_space(*s))
			s++;
		return *s == '\0' ? (long)n : -1;
	}
	while (*s == '"') {
		for (s++; *s != '"'; s++) {
			if (*s == '\\')
				s++;
			if (*s == '\0')
				return -1; /* unterminated */
			out[n++] = *s;
		}
		for (s++; is_space(*s); s++)
			;
	}
	return *s == '\0' ? (long)n : -1;
}

static struct zentry *zone_add(struct zone *z)
{
	struct zentry *grown;

	if (z->n == z->cap) {
		size_t cap = z->cap != 0 ? 2 * z->cap : 32;
		grown = realloc(z->e, cap * sizeof *grown);
		if (grown == NULL)
			return NULL;
		z->e = grown;
		z->cap = cap;
	}
	grown = &z->e[z->n++];
	memset(grown, 0, sizeof *grown);
	return grown;
}

/* One non-comment line. */
static int zone_line(struct zone *z, char *line, char *err, size_t errsize)
{
	char *p = line, *name, *w, word[16];
	size_t i, nlen, tlen;
	struct zentry *e;
	int type = 0;
	long len;

	nlen = next_word(&p, &name);
	tlen = next_word(&p, &w);
	if (tlen == 0) {
		say(err, errsize, "expected NAME TYPE [VALUE]");
		return -1;
	}
	if (tlen >= sizeof word)
		tlen = sizeof word - 1; /* too long for any type: unknown */
	memcpy(word, w, tlen);
	word[tlen] = '\0';
	for (i = 0; i < sizeof zone_types / sizeof zone_types[0]; i++)
		if (same_word(word, zone_types[i].word))
			type = zone_types[i].type;
	if (type == 0) {
		say(err, errsize, "unknown type \"%s\"", word);
		return -1;
	}
	if ((e = zone_add(z)) == NULL) {
		say(err, errsize, "out of memory");
		return -1;
	}
	e->type = type;
	if (take_name(e->name, name, nlen) != 0) {
		say(err, errsize, "bad owner name \"%.*s\"", (int)nlen, name);
		return -1;
	}
	while (is_space(*p))
		p++;
	switch (type) {
	case Z_NXDOMAIN:
	case Z_SERVFAIL:
		if (*p != '\0') {
			say(err, errsize, "%s takes no value", word);
			return -1;
		}
		return 0;
	case DMARC_RR_TXT:
		if ((e->text = malloc(strlen(p) + 1)) == NULL) {
			say(err, errsize, "out of memory");
			return -1;
		}
		if ((len = take_txt(p, e->text)) < 0) {
			say(err, errsize, "bad TXT value (quote each string)");
			return -1;
		}
		e->len = (size_t)len;
		return 0;
	default:
		if (*p == '\0') {
			say(err, errsize, "%s needs a value", word);
			return -1;
		}
		return 0;
	}
}

/* NXDOMAIN and records at one name contradict each other. */
static int zone_check(const struct zone *z, char *err, size_t errsize)
{
	size_t i, k;

	for (i = 0; i < z->n; i++) {
		if (z->e[i].type != Z_NXDOMAIN)
			continue;
		for (k = 0; k < z->n; k++)
			if (k != i && z->e[k].type != Z_NXDOMAIN &&
			    strcmp(z->e[k].name, z->e[i].name) == 0) {
				say(err, errsize, "%s: NXDOMAIN beside %s",
				    z->e[i].name, type_word(z->e[k].type));
				return -1;
			}
	}
	return 0;
}

int zone_load(struct zone **out, const char *path, char *err,
    size_t errsize)
{
	char line[ZONE_LINE_MAX + 2], msg[160];
	unsigned long line_no = 0;
	struct zone *z;
	FILE *fp;
	int rc = 0;

	*out = NULL;
	if ((fp = fopen(path, "r")) == NULL) {
		say(err, errsize, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((z = calloc(1, sizeof *z)) == NULL) {
		fclose(fp);
		say(err, errsize, "out of memory");
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof line, fp) != NULL) {
		size_t n = strlen(line);
		char *s = line;
		line_no++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		else if (!feof(fp)) {
			say(err, errsize, "%s:%lu: line longer than %d bytes", path,
			    line_no, ZONE_LINE_MAX);
			rc = -1;
			break;
		}
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		while (is_space(*s))
			s++;
		if (*s == '\0' || *s == '#')
			continue;
		if (zone_line(z, s, msg, sizeof msg) != 0) {
			say(err, errsize, "%s:%lu: %s", path, line_no, msg);
			rc = -1;
		}
	}
	if (rc == 0 && ferror(fp)) {
		say(err, errsize, "%s: read error", path);
		rc = -1;
	}
	if (rc == 0 && zone_check(z, msg, sizeof msg) != 0) {
		say(err, errsize, "%s: %s", path, msg);
		rc = -1;
	}
	fclose(fp);
	if (rc != 0) {
		zone_free(z);
		return -1;
	}
	*out = z;
	return 0;
}

void zone_free(struct zone *z)
{
	size_t i;

	if (z == NULL)
		return;
	for (i = 0; i < z->n; i++)
		free(z->e[i].text);
	free(z->e);
	free(z);
}

void zone_set_trace(struct zone *z, FILE *fp)
{
	z->trace = fp;
}

/* name lies strictly below qname (qname is an empty non-terminal). */
static int below(const char *name, const char *qname)
{
	size_t n = strlen(name), q = strlen(qname);

	return n > q + 1 && name[n - q - 1] == '.' &&
	    strcmp(name + n - q, qname) == 0;
}

void zone_lookup(void *user, const char *qname, dmarc_rrtype qtype,
    dmarc_dns_answer *answer)
{
	const struct zone *z = user;
	char q[ZONE_NAME_MAX + 1];
	int exists = 0, nx = 0, servfail = 0;
	size_t i, n = strlen(qname), records = 0;
	const char *what;

	if (n > ZONE_NAME_MAX) {
		dmarc_dns_answer_set(answer, DMARC_DNS_NXDOMAIN, ZONE_TTL);
		return;
	}
	for (i = 0; i <= n; i++)
		q[i] = lower(qname[i]);
	for (i = 0; i < z->n; i++) {
		const struct zentry *e = &z->e[i];
		if (strcmp(e->name, q) != 0) {
			if (e->type != Z_NXDOMAIN && below(e->name, q))
				exists = 1;
			continue;
		}
		if (e->type == Z_SERVFAIL)
			servfail = 1;
		else if (e->type == Z_NXDOMAIN)
			nx = 1;
		else
			exists = 1;
	}
	if (servfail) {
		dmarc_dns_answer_set(answer, DMARC_DNS_TEMPFAIL, 0);
		what = "SERVFAIL";
	} else if (nx || !exists) {
		dmarc_dns_answer_set(answer, DMARC_DNS_NXDOMAIN, ZONE_TTL);
		what = "NXDOMAIN";
	} else {
		dmarc_dns_answer_set(answer, DMARC_DNS_NODATA, ZONE_TTL);
		for (i = 0; i < z->n; i++) {
			const struct zentry *e = &z->e[i];
			if (e->type != (int)qtype || strcmp(e->name, q) != 0)
				continue;
			if (records++ == 0)
				dmarc_dns_answer_set(answer, DMARC_DNS_RECORDS, ZONE_TTL);
			if (e->type == DMARC_RR_TXT)
				dmarc_dns_answer_add_txt(answer, e->text, e->len);
		}
		what = records > 0 ? "records" : "NODATA";
	}
	if (z->trace != NULL) {
		fprintf(z->trace, "  dns: %s %s -> %s", qname, type_word((int)qtype),
		    what);
		if (records > 0)
			fprintf(z->trace, " (%lu)", (unsigned long)records);
		fputc('\n', z->trace);
	}
}

/* ------------------------------------------------------- message headers */

static int valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 33 || (unsigned char)s[i] > 126 ||
		    s[i] == ':')
			return 0;
	return 1;
}

/* The whole input, at most MSG_MAX_SIZE bytes. */
static char *read_all(FILE *fp, size_t *len, char *err, size_t errsize)
{
	char *buf = malloc(MSG_MAX_SIZE + 1);
	size_t n = 0, got;

	if (buf == NULL) {
		say(err, errsize, "out of memory");
		return NULL;
	}
	while (n <= MSG_MAX_SIZE &&
	    (got = fread(buf + n, 1, MSG_MAX_SIZE + 1 - n, fp)) > 0)
		n += got;
	if (ferror(fp)) {
		say(err, errsize, "read error: %s", strerror(errno));
		free(buf);
		return NULL;
	}
	if (n > MSG_MAX_SIZE) {
		say(err, errsize, "message larger than %lu bytes",
		    (unsigned long)MSG_MAX_SIZE);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static int msg_fail(struct msg *m, char *buf, char *err, size_t errsize,
    unsigned long line, const char *what)
{
	say(err, errsize, "line %lu: %s", line, what);
	free(buf);
	msg_free(m);
	return -1;
}

int msg_read(struct msg *m, FILE *fp, size_t max_field, char *err,
    size_t errsize)
{
	char *buf, *text, toolong[96];
	size_t n, pos = 0, out = 0, cap = 0, cur = 0;
	unsigned long line = 0;
	int have = 0;

	memset(m, 0, sizeof *m);
	if ((buf = read_all(fp, &n, err, errsize)) == NULL)
		return -1;
	/* every field gives up its colon and line end, the last maybe not */
	if ((m->text = text = malloc(n + 2)) == NULL)
		return msg_fail(m, buf, err, errsize, 0, "out of memory");
	snprintf(toolong, sizeof toolong, "header field longer than %lu bytes",
	    (unsigned long)max_field);
	if (n >= 5 && memcmp(buf, "From ", 5) == 0) { /* mbox separator */
		const char *nl = memchr(buf, '\n', n);
		pos = nl != NULL ? (size_t)(nl - buf) + 1 : n;
		line = 1;
	}
	while (pos < n) {
		const char *s = buf + pos, *nl = memchr(s, '\n', n - pos);
		size_t len = nl != NULL ? (size_t)(nl - s) : n - pos;
		const char *colon;
		size_t name_len, vlen;

		pos += len + (nl != NULL);
		line++;
		if (len > 0 && s[len - 1] == '\r')
			len--;
		if (len == 0)
			break; /* end of the header block */
		if (is_space(s[0])) { /* folded: append to the field */
			if (!have)
				return msg_fail(m, buf, err, errsize, line,
				    "continuation line before the first field");
			if (m->fields[cur].value_len + len > max_field)
				return msg_fail(m, buf, err, errsize, line, toolong);
			memcpy(text + out, s, len);
			out += len;
			m->fields[cur].value_len += len;
			continue;
		}
		if (have)
			text[out++] = '\0';
		colon = memchr(s, ':', len);
		if (colon == NULL)
			return msg_fail(m, buf, err, errsize, line,
			    "not a header field (no colon)");
		name_len = (size_t)(colon - s);
		while (name_len > 0 && is_space(s[name_len - 1]))
			name_len--; /* obsolete "Name :" */
		if (!valid_name(s, name_len))
			return msg_fail(m, buf, err, errsize, line,
			    "malformed field name");
		vlen = len - (size_t)(colon - s) - 1;
		if (vlen > max_field)
			return msg_fail(m, buf, err, errsize, line, toolong);
		if (m->n_fields == cap) {
			struct msg_field *grown;
			cap = cap != 0 ? 2 * cap : 32;
			grown = realloc(m->fields, cap * sizeof *grown);
			if (grown == NULL)
				return msg_fail(m, buf, err, errsize, line,
				    "out of memory");
			m->fields = grown;
		}
		cur = m->n_fields++;
		have = 1;
		m->fields[cur].line = line;
		m->fields[cur].name = text + out;
		memcpy(text + out, s, name_len);
		out += name_len;
		text[out++] = '\0';
		m->fields[cur].value = text + out;
		m->fields[cur].value_len = vlen;
		memcpy(text + out, colon + 1, vlen);
		out += vlen;
	}
	if (have)
		text[out] = '\0';
	free(buf);
	return 0;
}

void msg_free(struct msg *m)
{
	free(m->text);
	free(m->fields);
	memset(m, 0, sizeof *m);
}

int msg_field_is(const struct msg_field *f, const char *name)
{
	return same_word(f->name, name);
}

int msg_return_path(const char *value, const char **domain, size_t *len)
{
	const char *s = value, *end, *at = NULL;
	int quoted = 0;

	while (is_space(*s))
		s++;
	if (*s == '<') {
		for (end = ++s; *end != '\0' && (quoted || *end != '>'); end++) {
			if (*end == '\\' && end[1] != '\0')
				end++;
			else if (*end == '"')
				quoted = !quoted;
		}
		if (*end != '>')
			return -1;
		if (end == s)
			return 0; /* <> */
	} else {
		for (end = s; *end != '\0' && !is_space(*end); end++)
			;
	}
	for (; s < end; s++)
		if (*s == '@')
			at = s;
	if (at == NULL || at + 1 == end)
		return -1;
	*domain = at + 1;
	*len = (size_t)(end - at - 1);
	return 1;
}

int dns_setup(dmarc_ctx *ctx, const char *prog, const char *zone,
    const char *server, struct zone **z, dmarc_resolver **r)
{
	char err[512];
	dmarc_status st;

	if (zone != NULL) {
		if (zone_load(z, zone, err, sizeof err) != 0) {
			fprintf(stderr, "%s: %s\n", prog, err);
			return -1;
		}
		dmarc_ctx_set_lookup(ctx, zone_lookup, *z);
		return 0;
	}
	st = dmarc_resolver_new(r, ctx);
	if (st == DMARC_ENOTSUP) {
		fprintf(stderr, "%s: this libdmarc was built without the default "
		    "resolver; use --zone FILE\n", prog);
		return -1;
	}
	if (st != DMARC_OK || (server != NULL &&
	    dmarc_resolver_set_server(*r, server) != DMARC_OK)) {
		fprintf(stderr, "%s: cannot set up the resolver\n", prog);
		return -1;
	}
	dmarc_ctx_set_lookup(ctx, dmarc_resolver_lookup, *r);
	return 0;
}
