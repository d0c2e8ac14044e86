/*
 * dmarc-milter's configuration file (milter-config.h): a line is
 * "key = value", "# comment" or blank; lists are separated by commas or
 * white space and may be given on several lines.  Every error names the
 * file, the line and what is wrong; nothing is truncated.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "milter-config.h"

/* The parse in progress: where errors point. */
struct parser {
	struct milter_config *c;
	const char *name;
	unsigned long line;
	unsigned int seen;       /* bit per scalar key given */
	char *err;
	size_t errsize;
};

static int fail(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n = p->line > 0 ?
	    snprintf(p->err, p->errsize, "%s:%lu: ", p->name, p->line) :
	    snprintf(p->err, p->errsize, "%s: ", p->name);

	if (n >= 0 && (size_t)n < p->errsize) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errsize - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static char *copy(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

/* ------------------------------------------------------------- values */

/* *dst = a copy of v (replacing the default). */
static int set_text(struct parser *p, char **dst, const char *v)
{
	char *d = copy(v);

	if (d == NULL)
		return fail(p, "out of memory");
	free(*dst);
	*dst = d;
	return 0;
}

/* A keyword of words[] (NULL-terminated) to the value beside it. */
static int set_choice(struct parser *p, const char *key, const char *v,
    const char *const *words, const int *values, int *out)
{
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (strcasecmp(v, words[i]) == 0) {
			*out = values[i];
			return 0;
		}
	return fail(p, "%s: \"%s\" is not one of the allowed values", key, v);
}

static int set_number(struct parser *p, const char *key, const char *v,
    unsigned long long lo, unsigned long long hi, int base,
    unsigned long long *out)
{
	char *end;
	unsigned long long n;

	errno = 0;
	if (*v < '0' || *v > '9')
		return fail(p, "%s: \"%s\" is not a number", key, v);
	n = strtoull(v, &end, base);
	if (*end != '\0' || errno != 0)
		return fail(p, "%s: \"%s\" is not a number", key, v);
	if (n < lo || n > hi)
		return fail(p, "%s: %s is outside %llu..%llu", key, v, lo, hi);
	*out = n;
	return 0;
}

/* An authserv-id we write or trust: printable ASCII, no white space
 * and no ';' (RFC 8601 2.2: it ends at the first ';'). */
static int check_id(struct parser *p, const char *key, const char *v)
{
	const char *s;

	for (s = v; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f || *s == ';')
			return fail(p, "%s: \"%s\": byte %zu is not allowed in an "
			    "authserv-id", key, v, (size_t)(s - v) + 1);
	return 0;
}

/* "ADDR" or "ADDR/PREFIX" to a network; 1 when v is not an address. */
static int parse_net(struct parser *p, const char *v, struct milter_net *n)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(v, '/');
	size_t alen = slash != NULL ? (size_t)(slash - v) : strlen(v);
	unsigned long long prefix;
	unsigned int max;

	if (alen >= sizeof buf)
		return 1;
	memcpy(buf, v, alen);
	buf[alen] = '\0';
	memset(n, 0, sizeof *n);
	if (inet_pton(AF_INET, buf, n->addr) == 1) {
		n->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, n->addr) == 1) {
		n->family = AF_INET6;
		max = 128;
	} else {
		return slash != NULL ? fail(p, "skip: \"%s\" is not an address "
		    "with a prefix length", v) : 1;
	}
	prefix = max;
	if (slash != NULL && set_number(p, "skip", slash + 1, 0, max, 10,
	    &prefix) != 0)
		return -1;
	n->prefix = (unsigned int)prefix;
	return 0;
}

/* A host name to skip: letters, digits, '-', '.', '_'; a leading '.'
 * means every name under it. */
static int check_host(struct parser *p, const char *v)
{
	const char *s;

	for (s = v; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '.' ||
		    *s == '_'))
			return fail(p, "skip: \"%s\" is neither an address, a "
			    "network nor a host name", v);
	return 0;
}

/* Append one item to a list of strings. */
static int push(struct parser *p, char ***list, size_t *n, const char *v)
{
	char **l;

	if (*n >= MILTER_CONFIG_MAX_LIST)
		return fail(p, "more than %d list entries",
		    MILTER_CONFIG_MAX_LIST);
	if ((l = realloc(*list, (*n + 1) * sizeof *l)) == NULL)
		return fail(p, "out of memory");
	*list = l;
	if ((l[*n] = copy(v)) == NULL)
		return fail(p, "out of memory");
	(*n)++;
	return 0;
}

static int add_skip(struct parser *p, const char *v)
{
	struct milter_config *c = p->c;
	struct milter_net net, *nets;
	int r = parse_net(p, v, &net);

	if (r < 0)
		return -1;
	if (r > 0)
		return check_host(p, v) != 0 ? -1 :
		    push(p, &c->hosts, &c->n_hosts, v);
	if (c->n_nets >= MILTER_CONFIG_MAX_LIST)
		return fail(p, "more than %d list entries",
		    MILTER_CONFIG_MAX_LIST);
	if ((nets = realloc(c->nets, (c->n_nets + 1) * sizeof *nets)) == NULL)
		return fail(p, "out of memory");
	c->nets = nets;
	nets[c->n_nets++] = net;
	return 0;
}

static int add_trusted(struct parser *p, const char *v)
{
	if (check_id(p, "trusted_authserv_ids", v) != 0)
		return -1;
	return push(p, &p->c->trusted, &p->c->n_trusted, v);
}

/* Each item of a list value (commas or white space between). */
static int each_item(struct parser *p, char *v,
    int (*add)(struct parser *, const char *))
{
	char *save = NULL, *item;

	for (item = strtok_r(v, ", \t", &save); item != NULL;
	    item = strtok_r(NULL, ", \t", &save))
		if (add(p, item) != 0)
			return -1;
	return 0;
}

/* -------------------------------------------------------------- keys */

static const char *const on_reject_words[] = { "reject", "quarantine", NULL };
static const int on_reject_values[] = { MILTER_REJECT, MILTER_QUARANTINE };
static const char *const on_quar_words[] = { "hold", "header", NULL };
static const int on_quar_values[] = { MILTER_HOLD, MILTER_HEADER };
static const char *const on_temp_words[] = { "tempfail", "accept", NULL };
static const int on_temp_values[] = { MILTER_TEMPFAIL, MILTER_ACCEPT };
static const char *const on_from_words[] = { "reject", "tempfail", "accept",
	NULL };
static const int on_from_values[] = { MILTER_REJECT, MILTER_TEMPFAIL,
	MILTER_ACCEPT };
static const char *const yes_no_words[] = { "yes", "no", NULL };
static const int yes_no_values[] = { 1, 0 };
static const char *const log_words[] = { "syslog", "stderr", NULL };
static const int log_values[] = { 1, 0 };
static const char *const mode_words[] = { "9989", "7489", NULL };
static const int mode_values[] = { DMARC_MODE_RFC9989, DMARC_MODE_RFC7489 };

/* Keys with one value; each may be given once. */
enum scalar_key {
	K_SOCKET, K_SOCKET_MODE, K_USER, K_PIDFILE, K_LOG, K_AUTHSERV_ID,
	K_ON_REJECT, K_ON_QUARANTINE, K_QUARANTINE_HEADER, K_ON_TEMPERROR,
	K_ON_FROM_ERROR, K_MULTI_FROM, K_MODE, K_DNS_SERVER, K_DNS_TIMEOUT,
	K_DNS_RETRIES, K_DNS_CACHE, K_SPOOL, K_COUNT
};

static const char *const scalar_names[K_COUNT] = {
	"socket", "socket_mode", "user", "pidfile", "log", "authserv_id",
	"on_reject", "on_quarantine", "quarantine_header", "on_temperror",
	"on_from_error", "multi_from", "mode", "dns_server", "dns_timeout",
	"dns_retries", "dns_cache", "spool"
};

static int set_choice_key(struct parser *p, enum scalar_key k, const char *v)
{
	struct milter_config *c = p->c;
	const char *key = scalar_names[k];
	int out = 0, r;

	switch (k) {
	case K_LOG:
		r = set_choice(p, key, v, log_words, log_values, &c->log_syslog);
		return r;
	case K_ON_REJECT:
		r = set_choice(p, key, v, on_reject_words, on_reject_values, &out);
		c->on_reject = (enum milter_action)out;
		return r;
	case K_ON_QUARANTINE:
		r = set_choice(p, key, v, on_quar_words, on_quar_values, &out);
		c->on_quarantine = (enum milter_action)out;
		return r;
	case K_ON_TEMPERROR:
		r = set_choice(p, key, v, on_temp_words, on_temp_values, &out);
		c->on_temperror = (enum milter_action)out;
		return r;
	case K_ON_FROM_ERROR:
		r = set_choice(p, key, v, on_from_words, on_from_values, &out);
		c->on_from_error = (enum milter_action)out;
		return r;
	case K_MULTI_FROM:
		return set_choice(p, key, v, yes_no_words, yes_no_values,
		    &c->multi_from);
	case K_MODE:
		r = set_choice(p, key, v, mode_words, mode_values, &out);
		c->mode = (dmarc_mode)out;
		return r;
	default:
		return fail(p, "%s: internal error", key);
	}
}

/* A header field name (RFC 5322 2.2: printable ASCII but ':'). */
static int check_field_name(struct parser *p, const char *v)
{
	const char *s;

	for (s = v; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f || *s == ':')
			return fail(p, "quarantine_header: \"%s\" is not a header "
			    "field name", v);
	return 0;
}

static int set_scalar(struct parser *p, enum scalar_key k, const char *v)
{
	struct milter_config *c = p->c;
	const char *key = scalar_names[k];
	unsigned long long n;

	switch (k) {
	case K_SOCKET: return set_text(p, &c->socket, v);
	case K_USER: return set_text(p, &c->user, v);
	case K_PIDFILE: return set_text(p, &c->pidfile, v);
	case K_SPOOL: return set_text(p, &c->spool, v);
	case K_AUTHSERV_ID:
		return check_id(p, key, v) != 0 ? -1 :
		    set_text(p, &c->authserv_id, v);
	case K_QUARANTINE_HEADER:
		return check_field_name(p, v) != 0 ? -1 :
		    set_text(p, &c->quarantine_header, v);
	case K_DNS_SERVER:
		if (strcasecmp(v, "system") == 0) {
			free(c->dns_server);
			c->dns_server = NULL;
			return 0;
		}
		return set_text(p, &c->dns_server, v);
	case K_SOCKET_MODE:
		if (set_number(p, key, v, 0, 0777, 8, &n) != 0)
			return -1;
		c->socket_mode = (unsigned int)n;
		return 0;
	case K_DNS_TIMEOUT:
	case K_DNS_RETRIES:
		if (set_number(p, key, v, 1, k == K_DNS_TIMEOUT ? 60 : 10, 10,
		    &n) != 0)
			return -1;
		*(k == K_DNS_TIMEOUT ? &c->dns_timeout : &c->dns_retries) =
		    (unsigned int)n;
		return 0;
	case K_DNS_CACHE:
		if (set_number(p, key, v, 0, 10000000, 10, &n) != 0)
			return -1;
		c->dns_cache = (size_t)n;
		return 0;
	default:
		return set_choice_key(p, k, v);
	}
}

static int set_key(struct parser *p, const char *key, char *v)
{
	int k;

	if (strcmp(key, "trusted_authserv_ids") == 0)
		return each_item(p, v, add_trusted);
	if (strcmp(key, "skip") == 0)
		return each_item(p, v, add_skip);
	for (k = 0; k < K_COUNT; k++)
		if (strcmp(key, scalar_names[k]) == 0)
			break;
	if (k == K_COUNT)
		return fail(p, "unknown key \"%s\"", key);
	if (p->seen & (1u << k))
		return fail(p, "%s given twice", key);
	p->seen |= 1u << k;
	return set_scalar(p, (enum scalar_key)k, v);
}

/* ------------------------------------------------------------- lines */

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* One line (NUL-terminated, no LF). */
static int parse_line(struct parser *p, char *s)
{
	char *key, *eq, *end;

	while (is_space(*s))
		s++;
	if (*s == '\0' || *s == '#')
		return 0;
	key = s;
	if ((eq = strchr(s, '=')) == NULL)
		return fail(p, "no '=' after the key");
	for (end = eq; end > key && is_space(end[-1]); end--)
		;
	if (end == key)
		return fail(p, "no key before '='");
	*end = '\0';
	for (s = key; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
			return fail(p, "the key \"%s\" has a byte other than a-z "
			    "and '_' at %zu", key, (size_t)(s - key) + 1);
	for (s = eq + 1; is_space(*s); s++)
		;
	for (end = s + strlen(s); end > s && is_space(end[-1]); end--)
		;
	*end = '\0';
	if (*s == '\0')
		return fail(p, "%s: no value", key);
	for (end = s; *end != '\0'; end++)
		if ((unsigned char)*end < ' ' && *end != '\t')
			return fail(p, "%s: control byte at column %zu", key,
			    (size_t)(end - key) + 1);
	return set_key(p, key, s);
}

static void set_defaults(struct milter_config *c)
{
	memset(c, 0, sizeof *c);
	c->socket_mode = 0660;
	c->log_syslog = 1;
	c->on_reject = MILTER_REJECT;
	c->on_quarantine = MILTER_HOLD;
	c->on_temperror = MILTER_TEMPFAIL;
	c->on_from_error = MILTER_REJECT;
	c->mode = DMARC_MODE_RFC9989;
	c->dns_timeout = 5;
	c->dns_retries = 2;
	c->dns_cache = 10000;
}

/* What is required, and what must not meet, once every line is read. */
static int check_whole(struct parser *p)
{
	struct milter_config *c = p->c;
	size_t i;

	if (c->authserv_id == NULL)
		return fail(p, "authserv_id is required");
	for (i = 0; i < c->n_trusted; i++)
		if (strcasecmp(c->trusted[i], c->authserv_id) == 0)
			return fail(p, "trusted_authserv_ids names authserv_id %s: "
			    "fields claiming it are removed, never trusted",
			    c->authserv_id);
	if (c->socket == NULL &&
	    (c->socket = copy("unix:/run/dmarc-milter/dmarc-milter.sock")) ==
	    NULL)
		return fail(p, "out of memory");
	if (c->quarantine_header == NULL &&
	    (c->quarantine_header = copy("X-DMARC-Quarantine")) == NULL)
		return fail(p, "out of memory");
	return 0;
}

int milter_config_parse(struct milter_config *c, const char *text,
    size_t len, const char *name, char *err, size_t errsize)
{
	struct parser p = { c, name, 0, 0, err, errsize };
	char line[MILTER_CONFIG_MAX_LINE + 1];
	size_t pos = 0, n;
	const char *nl;

	set_defaults(c);
	if (len > MILTER_CONFIG_MAX_BYTES) {
		fail(&p, "larger than %zu bytes", MILTER_CONFIG_MAX_BYTES);
		return -1;
	}
	while (pos < len) {
		p.line++;
		nl = memchr(text + pos, '\n', len - pos);
		n = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;
		if (n > MILTER_CONFIG_MAX_LINE) {
			fail(&p, "line longer than %d bytes",
			    MILTER_CONFIG_MAX_LINE);
			goto bad;
		}
		if (memchr(text + pos, '\0', n) != NULL) {
			fail(&p, "NUL byte");
			goto bad;
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + (nl != NULL);
		if (parse_line(&p, line) != 0)
			goto bad;
	}
	p.line = 0;
	if (check_whole(&p) == 0)
		return 0;
bad:
	milter_config_free(c);
	return -1;
}

int milter_config_load(struct milter_config *c, const char *path,
    char *err, size_t errsize)
{
	FILE *fp = fopen(path, "r");
	char *text;
	size_t n;
	int r;

	memset(c, 0, sizeof *c);
	if (fp == NULL) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((text = malloc(MILTER_CONFIG_MAX_BYTES + 1)) == NULL) {
		fclose(fp);
		snprintf(err, errsize, "%s: out of memory", path);
		return -1;
	}
	n = fread(text, 1, MILTER_CONFIG_MAX_BYTES + 1, fp);
	if (ferror(fp)) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		r = -1;
	} else {
		r = milter_config_parse(c, text, n, path, err, errsize);
	}
	fclose(fp);
	free(text);
	return r;
}

static void free_list(char **l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

void milter_config_free(struct milter_config *c)
{
	free(c->socket);
	free(c->user);
	free(c->pidfile);
	free(c->authserv_id);
	free_list(c->trusted, c->n_trusted);
	free(c->quarantine_header);
	free(c->dns_server);
	free(c->spool);
	free(c->nets);
	free_list(c->hosts, c->n_hosts);
	memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------- use and print */

const char *milter_action_name(enum milter_action a)
{
	switch (a) {
	case MILTER_ACCEPT: return "accept";
	case MILTER_REJECT: return "reject";
	case MILTER_TEMPFAIL: return "tempfail";
	case MILTER_QUARANTINE: return "quarantine";
	case MILTER_HOLD: return "hold";
	case MILTER_HEADER: return "header";
	}
	return "?";
}

/* Whether the first prefix bits of a and b agree. */
static int prefix_match(const unsigned char *a, const unsigned char *b,
    unsigned int prefix)
{
	unsigned int whole = prefix / 8, rest = prefix % 8;
	unsigned char mask;

	if (memcmp(a, b, whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (unsigned char)(0xffu << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

static int addr_skips(const struct milter_config *c, const char *addr)
{
	unsigned char bin[16];
	int family;
	size_t i;

	if (inet_pton(AF_INET, addr, bin) == 1) {
		family = AF_INET;
	} else if (inet_pton(AF_INET6, addr, bin) == 1) {
		family = AF_INET6;
		/* an IPv4 client on an IPv6 socket (RFC 4291 2.5.5.2) */
		if (memcmp(bin, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
			memmove(bin, bin + 12, 4);
			family = AF_INET;
		}
	} else {
		return 0;
	}
	for (i = 0; i < c->n_nets; i++)
		if (c->nets[i].family == family &&
		    prefix_match(c->nets[i].addr, bin, c->nets[i].prefix))
			return 1;
	return 0;
}

/* name is entry, or under it when entry starts with '.'. */
static int host_matches(const char *entry, const char *name)
{
	size_t e = strlen(entry), n = strlen(name);

	if (n > 0 && name[n - 1] == '.')
		n--;     /* the root's dot */
	if (entry[0] != '.')
		return e == n && strncasecmp(entry, name, n) == 0;
	return n > e && strncasecmp(entry, name + n - e, e) == 0;
}

int milter_config_skips(const struct milter_config *c, const char *host,
    const char *addr)
{
	size_t i;

	if (addr != NULL && addr_skips(c, addr))
		return 1;
	if (host == NULL || host[0] == '[')   /* "[addr]": no name */
		return 0;
	for (i = 0; i < c->n_hosts; i++)
		if (host_matches(c->hosts[i], host))
			return 1;
	return 0;
}

static void print_list(FILE *fp, const char *key, char **l, size_t n)
{
	size_t i;

	fprintf(fp, "%s =", key);
	for (i = 0; i < n; i++)
		fprintf(fp, "%s %s", i > 0 ? "," : "", l[i]);
	fputc('\n', fp);
}

static void print_skip(FILE *fp, const struct milter_config *c)
{
	char buf[INET6_ADDRSTRLEN];
	size_t i;

	fputs("skip =", fp);
	for (i = 0; i < c->n_nets; i++)
		fprintf(fp, "%s %s/%u", i > 0 ? "," : "",
		    inet_ntop(c->nets[i].family, c->nets[i].addr, buf,
		    sizeof buf) != NULL ? buf : "?", c->nets[i].prefix);
	for (i = 0; i < c->n_hosts; i++)
		fprintf(fp, "%s %s", i + c->n_nets > 0 ? "," : "", c->hosts[i]);
	fputc('\n', fp);
}

void milter_config_print(const struct milter_config *c, FILE *fp)
{
	fprintf(fp, "socket = %s\n", c->socket);
	fprintf(fp, "socket_mode = %04o\n", c->socket_mode);
	fprintf(fp, "user = %s\n", c->user != NULL ? c->user : "");
	fprintf(fp, "pidfile = %s\n", c->pidfile != NULL ? c->pidfile : "");
	fprintf(fp, "log = %s\n", c->log_syslog ? "syslog" : "stderr");
	fprintf(fp, "authserv_id = %s\n", c->authserv_id);
	print_list(fp, "trusted_authserv_ids", c->trusted, c->n_trusted);
	fprintf(fp, "on_reject = %s\n", milter_action_name(c->on_reject));
	fprintf(fp, "on_quarantine = %s\n",
	    milter_action_name(c->on_quarantine));
	fprintf(fp, "quarantine_header = %s\n", c->quarantine_header);
	fprintf(fp, "on_temperror = %s\n", milter_action_name(c->on_temperror));
	fprintf(fp, "on_from_error = %s\n",
	    milter_action_name(c->on_from_error));
	fprintf(fp, "multi_from = %s\n", c->multi_from ? "yes" : "no");
	fprintf(fp, "mode = %s\n", c->mode == DMARC_MODE_RFC7489 ?
	    "7489" : "9989");
	fprintf(fp, "dns_server = %s\n", c->dns_server != NULL ?
	    c->dns_server : "system");
	fprintf(fp, "dns_timeout = %u\n", c->dns_timeout);
	fprintf(fp, "dns_retries = %u\n", c->dns_retries);
	fprintf(fp, "dns_cache = %zu\n", c->dns_cache);
	fprintf(fp, "spool = %s\n", c->spool != NULL ? c->spool : "");
	print_skip(fp, c);
}
