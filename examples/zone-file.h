/*
 * Support code shared by the dmarc-demo and dmarc-eval examples:
 *
 *  - a zone file reader and a dmarc_lookup_fn answering from it, so the
 *    examples run without a network (format: examples/data/demo.zone);
 *  - a reader of a message's header block (bounded, unfolded), so both
 *    programs find the From, Authentication-Results and Return-Path
 *    fields the same way.
 *
 * Only the public libdmarc API is used.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_ZONE_FILE_H
#define DMARC_EXAMPLES_ZONE_FILE_H

#include <stddef.h>
#include <stdio.h>

#include <dmarc/dmarc.h>

/* ------------------------------------------------------------ zone file */

struct zone;

/* Read a zone file.  0 and *out set, or -1 with a message in err. */
int zone_load(struct zone **out, const char *path, char *err,
    size_t errsize);
void zone_free(struct zone *z);
/* Print each question and its outcome to fp (NULL: quiet). */
void zone_set_trace(struct zone *z, FILE *fp);
/* A dmarc_lookup_fn; user is the struct zone. */
void zone_lookup(void *user, const char *qname, dmarc_rrtype qtype,
    dmarc_dns_answer *answer);

/* Answer ctx's questions from the zone file at zone, or else through the
 * default resolver (asking server when it is not NULL); what is made goes
 * to *z or *r, for the caller to free.  0, or -1 with a message on
 * stderr that starts with prog. */
int dns_setup(dmarc_ctx *ctx, const char *prog, const char *zone,
    const char *server, struct zone **z, dmarc_resolver **r);

/* ------------------------------------------------------- message headers */

/* Largest message read (the body counts too). */
#define MSG_MAX_SIZE ((size_t)1024 * 1024)

/* One header field, unfolded (CRLF before white space removed).  name
 * and value are NUL-terminated; value is what follows the colon, leading
 * white space included. */
struct msg_field {
	const char *name;
	const char *value;
	size_t value_len;
	unsigned long line;   /* where the field starts, from 1 */
};

struct msg {
	char *text;                /* the unfolded fields */
	struct msg_field *fields;
	size_t n_fields;
};

/* Read a message (header block up to the first empty line; the body is
 * read, counted against MSG_MAX_SIZE and ignored).  A message over
 * MSG_MAX_SIZE, a field value over max_field bytes or a malformed header
 * line is an error: -1 with a message in err, never a truncated message.
 * Lines may end in CRLF or LF; an mbox "From " line at the top is
 * skipped. */
int msg_read(struct msg *m, FILE *fp, size_t max_field, char *err,
    size_t errsize);
void msg_free(struct msg *m);
/* 1 when field f is called name (case-insensitive). */
int msg_field_is(const struct msg_field *f, const char *name);
/* The envelope sender's domain from a Return-Path value: 1 and *domain,
 * *len set; 0 for the null path <>; -1 when there is no domain. */
int msg_return_path(const char *value, const char **domain, size_t *len);

#endif /* DMARC_EXAMPLES_ZONE_FILE_H */
