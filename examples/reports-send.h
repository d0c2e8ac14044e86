/*
 * dmarc-reports: where one aggregate report goes and how it gets there
 * (reports-send.c).  The destinations come from the policy domain's
 * record and the verification of its rua URIs; the report is written
 * into a directory (the .xml.gz file, and one .eml file per email) or
 * its emails are piped to a command.
 *
 * Only the public libdmarc API is used.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_REPORTS_SEND_H
#define DMARC_EXAMPLES_REPORTS_SEND_H

#include <stddef.h>
#include <stdint.h>

#include <dmarc/dmarc.h>

/* What became of one destination (the JSON "status" words). */
enum dest_status {
	DEST_PENDING = 0,      /* to be sent (not an outcome) */
	DEST_SENT,             /* piped to the --sendmail command */
	DEST_WRITTEN,          /* written into the directory as .eml */
	DEST_REFUSED,          /* external and not authorized */
	DEST_TEMPFAIL,         /* the authorization check failed (DNS) */
	DEST_TOO_BIG,          /* over its !size limit; another URI took it */
	DEST_OVERRIDE_REFUSED, /* the authorizing record names another host */
	DEST_ERROR_REPORT,     /* over its !size limit: the RFC 7489 error
	                          report went there instead */
	DEST_UNSUPPORTED,      /* not mailto, or an address not passed on */
	DEST_FAILED            /* writing or sending failed */
};

/* One place a report goes: a rua URI, or one of the URIs its
 * authorizing record put in its place.  The strings are borrowed from
 * the discovery: valid until it starts again. */
struct dest {
	const char *rua;      /* the URI as the record lists it */
	const char *uri;      /* where the reports go */
	const char *address;  /* its mailto address; NULL if none */
	uint64_t limit;       /* its RFC 7489 !size limit; 0: none */
	uint64_t size;        /* the largest email measured for it */
	uint64_t last_size;   /* the size of the current part's email */
	unsigned int parts_ok, parts_big;
	int big_now, failed, error_sent;
	enum dest_status status;
};

/* A report file (one per part) and its Report-ID. */
struct part_name {
	char file[1024];
	char id[1024];
};

/* What happened to one report. */
struct outcome {
	dmarc_discovery_result lookup;
	unsigned int parts;
	struct part_name *names;   /* parts of them */
	struct dest *dests;
	size_t n_dests, cap;
	int tempfail;              /* something to try again: exit 1 */
	int syserr;                /* a system error: exit 3 */
};

struct send_opts {
	const char *prog;      /* for messages */
	const char *outdir;
	const char *sendmail;  /* NULL: write .eml files */
	uint64_t now;          /* the emails' Date */
	uint64_t max_size;     /* split emails over it; 0: never */
	unsigned int flags;    /* DMARC_REPORT_GZIP, _PRETTY */
	const char *stand_in;  /* an address to measure emails with */
};

/* The JSON status word. */
const char *dest_status_name(enum dest_status s);

/* Look up the record of r's policy domain with d and verify its rua
 * URIs: out->dests, in record order, each URI replaced by the
 * destinations its authorization gives.  0, or -1 (out of memory). */
int find_destinations(dmarc_discovery *d, const dmarc_report *r,
    const struct send_opts *o, struct outcome *out);

/* Choose the parts, write the report files into the directory, and send
 * or write every email.  0, or -1 when nothing could be done (out->syserr
 * set).  Outcomes are in out. */
int deliver_report(const dmarc_report *r, const struct send_opts *o,
    struct outcome *out);

void outcome_free(struct outcome *out);

#endif /* DMARC_EXAMPLES_REPORTS_SEND_H */
