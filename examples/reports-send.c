/*
 * dmarc-reports: where one aggregate report goes and how it gets there
 * (see reports-send.h and the top of dmarc-reports.c).
 *
 *  - Destinations: the rua URIs of the policy domain's record, in order,
 *    each verified (RFC 9990 4, RFC 7489 7.1) and replaced by the URIs
 *    its authorizing record names (dmarc_discovery_get_destination()).
 *  - Parts (DMARC-DIGEST choice A13): with a maximum email size, a report
 *    whose email is larger is cut into 2, 4, 8, ... parts (at most one
 *    per row) until every part's email fits.
 *  - RFC 7489 !size: a destination whose limit is below the size of the
 *    email as it would be sent (after gzip and base64: the whole message)
 *    does not get it; when no destination can take a part and one refused
 *    it for its size, every such destination gets the RFC 7489 7.2.2
 *    error report instead (DMARC-DIGEST 6.8).
 *  - Delivery: files in the output directory written under a temporary
 *    name and renamed, or the email piped to the --sendmail command run
 *    as  /bin/sh -c 'COMMAND "$@"' sh ADDRESS,  so the address is one
 *    argument, never shell text.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reports-send.h"

const char *dest_status_name(enum dest_status s)
{
	switch (s) {
	case DEST_PENDING: return "pending";
	case DEST_SENT: return "sent";
	case DEST_WRITTEN: return "written";
	case DEST_REFUSED: return "refused";
	case DEST_TEMPFAIL: return "tempfail";
	case DEST_TOO_BIG: return "too-big";
	case DEST_OVERRIDE_REFUSED: return "override-refused";
	case DEST_ERROR_REPORT: return "error-report";
	case DEST_UNSUPPORTED: return "unsupported";
	case DEST_FAILED: return "failed";
	}
	return "?";
}

void outcome_free(struct outcome *out)
{
	free(out->names);
	free(out->dests);
	memset(out, 0, sizeof *out);
}

/* ------------------------------------------------------------ sinks */

struct membuf {
	char *p;
	size_t len, cap;
};

static dmarc_status mem_sink(void *user, const char *data, size_t len)
{
	struct membuf *b = user;
	size_t cap = b->cap != 0 ? b->cap : 65536;
	char *p;

	while (len > cap - b->len) {
		if (cap > (size_t)-1 / 2)
			return DMARC_ENOMEM;
		cap *= 2;
	}
	if (cap != b->cap) {
		if ((p = realloc(b->p, cap)) == NULL)
			return DMARC_ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
	return DMARC_OK;
}

static dmarc_status count_sink(void *user, const char *data, size_t len)
{
	(void)data;
	*(uint64_t *)user += len;
	return DMARC_OK;
}

static dmarc_status file_sink(void *user, const char *data, size_t len)
{
	return fwrite(data, 1, len, (FILE *)user) == len ? DMARC_OK :
	    DMARC_ESYSTEM;
}

/* ------------------------------------------------------ destinations */

static struct dest *add_dest(struct outcome *out, const char *rua)
{
	struct dest *d;

	if (out->n_dests == out->cap) {
		size_t cap = out->cap != 0 ? out->cap * 2 : 8;
		if ((d = realloc(out->dests, cap * sizeof *d)) == NULL)
			return NULL;
		out->dests = d;
		out->cap = cap;
	}
	d = &out->dests[out->n_dests++];
	memset(d, 0, sizeof *d);
	d->rua = d->uri = rua;
	return d;
}

/* RFC 5322 atext (ASCII). */
static int is_atext(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* An address the report email's To field takes and that can be one
 * argument of a mail command: dot-atom "@" dot-atom (no quoted local
 * part, no 8-bit), not starting with "-" (an option). */
static int address_ok(const char *a)
{
	int at = 0, atom = 0;

	if (a == NULL || a[0] == '-')
		return 0;
	for (; *a != '\0'; a++) {
		if (is_atext(*a))
			atom++;
		else if ((*a == '.' || (*a == '@' && at++ == 0)) && atom > 0)
			atom = 0;
		else
			return 0;
	}
	return at == 1 && atom > 0;
}

static enum dest_status refusal(dmarc_authorization a)
{
	switch (a) {
	case DMARC_AUTH_REFUSED: return DEST_REFUSED;
	case DMARC_AUTH_OVERRIDE_REFUSED: return DEST_OVERRIDE_REFUSED;
	default: return DEST_TEMPFAIL; /* TEMPFAIL; UNCHECKED cannot be */
	}
}

/* The destinations of rua URI i of the discovery's record. */
static int add_uri(const dmarc_discovery *d, size_t i, struct outcome *out)
{
	const dmarc_uri *u = dmarc_record_get_uri(dmarc_discovery_get_record(d),
	    DMARC_TAG_RUA, i);
	dmarc_authorization a = dmarc_discovery_get_authorization(d,
	    DMARC_TAG_RUA, i);
	size_t k, n = dmarc_discovery_get_destination_count(d, DMARC_TAG_RUA, i);
	struct dest *t;

	if (!(dmarc_uri_get_flags(u) & DMARC_URI_MAILTO) ||
	    (a != DMARC_AUTH_INTERNAL && a != DMARC_AUTH_AUTHORIZED) || n == 0) {
		if ((t = add_dest(out, dmarc_uri_get_text(u))) == NULL)
			return -1;
		t->address = dmarc_uri_get_address(u);
		t->status = !(dmarc_uri_get_flags(u) & DMARC_URI_MAILTO) ?
		    DEST_UNSUPPORTED : n == 0 && (a == DMARC_AUTH_INTERNAL ||
		    a == DMARC_AUTH_AUTHORIZED) ? DEST_OVERRIDE_REFUSED :
		    refusal(a);
		out->tempfail |= t->status == DEST_TEMPFAIL;
		return 0;
	}
	for (k = 0; k < n; k++) {
		const dmarc_uri *to = dmarc_discovery_get_destination(d,
		    DMARC_TAG_RUA, i, k);
		unsigned int f = dmarc_uri_get_flags(to);
		if ((t = add_dest(out, dmarc_uri_get_text(u))) == NULL)
			return -1;
		t->uri = dmarc_uri_get_text(to);
		t->address = dmarc_uri_get_address(to);
		if ((f & DMARC_URI_HAS_SIZE) && !(f & DMARC_URI_SIZE_OBSOLETE))
			t->limit = dmarc_uri_get_size_limit(to);
		if (!address_ok(t->address))
			t->status = DEST_UNSUPPORTED;
	}
	return 0;
}

int find_destinations(dmarc_discovery *d, const dmarc_report *r,
    const struct send_opts *o, struct outcome *out)
{
	const char *domain = dmarc_report_get_domain(r);
	const dmarc_record *rec;
	size_t i, n;

	out->lookup = DMARC_DISCOVERY_TEMPERROR;
	if (dmarc_discovery_start(d, domain, strlen(domain)) != DMARC_OK ||
	    dmarc_discovery_run(d) == DMARC_ENOMEM)
		return -1;
	out->lookup = dmarc_discovery_get_result(d);
	if (out->lookup == DMARC_DISCOVERY_TEMPERROR) {
		fprintf(stderr, "%s: %s: the record could not be looked up "
		    "(DNS failure at %s); try again later\n", o->prog, domain,
		    dmarc_discovery_get_failed_name(d) != NULL ?
		    dmarc_discovery_get_failed_name(d) : "?");
		out->tempfail = 1;
		return 0;
	}
	rec = dmarc_discovery_get_record(d);
	if (out->lookup != DMARC_DISCOVERY_FOUND || rec == NULL ||
	    (n = dmarc_record_get_uri_count(rec, DMARC_TAG_RUA)) == 0)
		return 0;
	if (dmarc_discovery_start_verify(d) != DMARC_OK ||
	    dmarc_discovery_run(d) == DMARC_ENOMEM)
		return -1;
	for (i = 0; i < n; i++)
		if (add_uri(d, i, out) != 0)
			return -1;
	return 0;
}

/* ---------------------------------------------------------- delivery */

typedef dmarc_status (*put_fn)(const void *arg, FILE *fp);

/* Write dir/name through put: under a temporary name, then renamed, so
 * the name never holds half a file.  0, or -1 with a message. */
static int write_file(const struct send_opts *o, const char *name,
    put_fn put, const void *arg)
{
	size_t n = strlen(o->outdir) + strlen(name) + 8;
	char *path = malloc(n), *tmp = malloc(n);
	dmarc_status st = DMARC_ENOMEM;
	int e = 0, rc = -1;
	FILE *fp = NULL;

	if (path != NULL && tmp != NULL) {
		snprintf(path, n, "%s/%s", o->outdir, name);
		snprintf(tmp, n, "%s/.%s.tmp", o->outdir, name);
		errno = 0;
		if ((fp = fopen(tmp, "wb")) == NULL)
			e = errno;
		else if ((st = put(arg, fp)) == DMARC_ESYSTEM || ferror(fp))
			e = errno != 0 ? errno : EIO;
		if (fp != NULL && fclose(fp) != 0 && e == 0)
			e = errno;
		if (fp != NULL && e == 0 && st == DMARC_OK &&
		    rename(tmp, path) == 0)
			rc = 0;
		else if (fp != NULL && e == 0 && st == DMARC_OK)
			e = errno;
		if (rc != 0 && fp != NULL)
			remove(tmp);
	}
	if (rc != 0)
		fprintf(stderr, "%s: %s/%s: %s\n", o->prog, o->outdir, name,
		    e != 0 ? strerror(e) : dmarc_strerror(st));
	free(path);
	free(tmp);
	return rc;
}

struct report_part {
	const dmarc_report *r;
	unsigned int part, n_parts, flags;
};

static dmarc_status put_report(const void *arg, FILE *fp)
{
	const struct report_part *p = arg;

	return dmarc_report_write(p->r, p->part, p->n_parts, p->flags,
	    file_sink, fp);
}

static dmarc_status put_bytes(const void *arg, FILE *fp)
{
	const struct membuf *b = arg;

	return b->len == 0 || fwrite(b->p, 1, b->len, fp) == b->len ?
	    DMARC_OK : DMARC_ESYSTEM;
}

/* Pipe data to the command, the address as its last argument.  0 when
 * it exited 0, else -1 with a message. */
static int run_command(const struct send_opts *o, const char *address,
    const struct membuf *b)
{
	size_t n = strlen(o->sendmail) + 8, off = 0;
	char *script = malloc(n);
	int fd[2], status = 0;
	pid_t pid;

	if (script == NULL || pipe(fd) != 0) {
		free(script);
		fprintf(stderr, "%s: %s\n", o->prog, strerror(errno));
		return -1;
	}
	snprintf(script, n, "%s \"$@\"", o->sendmail);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		execl("/bin/sh", "sh", "-c", script, "sh", address, (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	while (pid > 0 && off < b->len) {
		ssize_t w = write(fd[1], b->p + off, b->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd[1]);
	free(script);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pid > 0 && off == b->len && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)
		return 0;
	fprintf(stderr, "%s: --sendmail command for %s failed\n", o->prog,
	    address);
	return -1;
}

/* Hand an email to its destination number k (from 1): the command, or
 * the file <base>.<k><what>.eml.  0, -1 (command failed) or -3. */
static int hand_over(const struct send_opts *o, const struct dest *d,
    size_t k, const char *base, const char *what, const struct membuf *b)
{
	char name[1200];

	if (o->sendmail != NULL)
		return run_command(o, d->address, b);
	snprintf(name, sizeof name, "%s.%zu%s.eml", base, k, what);
	return write_file(o, name, put_bytes, b) == 0 ? 0 : -3;
}

static void note_failure(struct outcome *out, struct dest *d, int rc)
{
	d->failed = 1;
	if (rc == -3)
		out->syserr = 1;
	else
		out->tempfail = 1;
}

/* Every destination over its limit for this part gets the error report
 * (RFC 7489 7.2.2) for it. */
static void send_errors(const dmarc_report *r, unsigned int part,
    const struct send_opts *o, struct outcome *out, const char *base)
{
	size_t k;

	for (k = 0; k < out->n_dests; k++) {
		struct dest *d = &out->dests[k];
		struct membuf b = { NULL, 0, 0 };
		dmarc_status st;
		int rc;
		if (d->status != DEST_PENDING || !d->big_now)
			continue;
		st = dmarc_report_write_error_email(r, part, out->parts,
		    d->address, d->uri, d->last_size, o->now, mem_sink, &b);
		if (st != DMARC_OK) {
			fprintf(stderr, "%s: error report to %s: %s\n", o->prog,
			    d->address, dmarc_strerror(st));
			d->failed = out->syserr = 1;
		} else if ((rc = hand_over(o, d, k + 1, base, ".error", &b)) != 0)
			note_failure(out, d, rc);
		else
			d->error_sent = 1;
		free(b.p);
	}
}

/* Send (or write) the part's email to every destination that can take
 * it; when none can and some refused it for its size, the error reports. */
static void deliver_part(const dmarc_report *r, unsigned int part,
    const struct send_opts *o, struct outcome *out, const char *base)
{
	int taken = 0, big = 0, rc;
	size_t k;

	for (k = 0; k < out->n_dests; k++) {
		struct dest *d = &out->dests[k];
		struct membuf b = { NULL, 0, 0 };
		dmarc_status st;
		d->big_now = 0;
		if (d->status != DEST_PENDING)
			continue;
		st = dmarc_report_write_email(r, part, out->parts, o->flags,
		    d->address, o->now, mem_sink, &b);
		if (st == DMARC_EINVAL) { /* not an address a To field takes */
			fprintf(stderr, "%s: %s: %s cannot be an email's To "
			    "address\n", o->prog, dmarc_report_get_domain(r),
			    d->address);
			d->status = DEST_UNSUPPORTED;
		} else if (st != DMARC_OK) {
			fprintf(stderr, "%s: email to %s: %s\n", o->prog,
			    d->address, dmarc_strerror(st));
			d->failed = out->syserr = 1;
		}
		if (st != DMARC_OK) {
			free(b.p);
			continue;
		}
		d->last_size = b.len;
		if (b.len > d->size)
			d->size = b.len;
		if (d->limit != 0 && b.len > d->limit) {
			d->big_now = big = 1;
			d->parts_big++;
		} else {
			taken = 1;
			if ((rc = hand_over(o, d, k + 1, base, "", &b)) != 0)
				note_failure(out, d, rc);
			else
				d->parts_ok++;
		}
		free(b.p);
	}
	if (!taken && big)
		send_errors(r, part, o, out, base);
}

/* The number of parts: 1, or with a maximum size the first of 2, 4,
 * 8, ... (at most the row count) whose every part's email fits when
 * sent to the longest address.  0 on error. */
static unsigned int choose_parts(const dmarc_report *r,
    const struct send_opts *o, const struct outcome *out)
{
	uint64_t rows = dmarc_report_get_count(r, DMARC_COUNT_ROWS), size;
	const char *to = o->stand_in;
	unsigned int n = 1, p;
	size_t k;
	int fits;

	if (rows > 65535)
		rows = 65535;
	for (k = 0; k < out->n_dests; k++)
		if (out->dests[k].status == DEST_PENDING &&
		    strlen(out->dests[k].address) > strlen(to))
			to = out->dests[k].address;
	while (o->max_size != 0) {
		for (fits = 1, p = 1; p <= n && fits; p++) {
			size = 0;
			if (dmarc_report_write_email(r, p, n, o->flags, to, o->now,
			    count_sink, &size) != DMARC_OK)
				return 0;
			fits = size <= o->max_size;
		}
		if (fits || n >= rows)
			break;
		n = (uint64_t)n * 2 > rows ? (unsigned int)rows : n * 2;
	}
	return n;
}

/* The report files, named by the library, written into the directory. */
static int write_reports(const dmarc_report *r, const struct send_opts *o,
    struct outcome *out)
{
	unsigned int flags = o->flags | DMARC_REPORT_GZIP, p;

	if ((out->names = calloc(out->parts, sizeof *out->names)) == NULL)
		return -1;
	for (p = 1; p <= out->parts; p++) {
		struct part_name *pn = &out->names[p - 1];
		struct report_part rp;
		rp.r = r;
		rp.part = p;
		rp.n_parts = out->parts;
		rp.flags = flags;
		if (dmarc_report_get_filename(r, p, out->parts, flags, pn->file,
		    sizeof pn->file, NULL) != DMARC_OK ||
		    dmarc_report_get_id(r, p, out->parts, pn->id, sizeof pn->id,
		    NULL) != DMARC_OK ||
		    write_file(o, pn->file, put_report, &rp) != 0)
			return -1;
	}
	return 0;
}

static enum dest_status final_status(const struct send_opts *o,
    const struct dest *d)
{
	if (d->failed)
		return DEST_FAILED;
	if (d->parts_big > 0)
		return d->error_sent ? DEST_ERROR_REPORT : DEST_TOO_BIG;
	return o->sendmail != NULL ? DEST_SENT : DEST_WRITTEN;
}

int deliver_report(const dmarc_report *r, const struct send_opts *o,
    struct outcome *out)
{
	unsigned int p;
	size_t k;

	if ((out->parts = choose_parts(r, o, out)) == 0 ||
	    write_reports(r, o, out) != 0) {
		fprintf(stderr, "%s: %s: the report could not be written\n",
		    o->prog, dmarc_report_get_domain(r));
		out->syserr = 1;
		return -1;
	}
	for (p = 1; p <= out->parts; p++) {
		/* the emails are named after the part's file: its name
		 * without ".xml.gz" */
		char base[1024];
		size_t len = strlen(out->names[p - 1].file);
		snprintf(base, sizeof base, "%.*s", (int)(len > 7 ? len - 7 : len),
		    out->names[p - 1].file);
		deliver_part(r, p, o, out, base);
	}
	for (k = 0; k < out->n_dests; k++)
		if (out->dests[k].status == DEST_PENDING)
			out->dests[k].status = final_status(o, &out->dests[k]);
	return 0;
}
