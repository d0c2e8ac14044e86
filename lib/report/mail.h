/*
 * libdmarc - the email an aggregate report travels in (RFC 9990 section
 * 3.5.2, RFC 7489 section 7.2.1.1; DMARC-DIGEST 6.7), as the last filter
 * of the chain xml -> gzip -> mail (sink.h), and the RFC 7489 section
 * 7.2.2 error report (DMARC-DIGEST 6.8).  Pure: the date, the
 * Message-ID and every name come from the caller; the MIME boundary is
 * derived from the Report-ID.  Never installed.
 *
 * The report's message (RFC 5322, MIME of RFC 2045/2046):
 *
 *   From: <from>                       To: <to>
 *   Subject: Report Domain: <policy_domain> Submitter: <submitter>
 *    Report-ID: <<report_id>>          (folded before "Submitter:" and
 *                                       "Report-ID:" past 78 characters)
 *   Date: <date>                       Message-ID: <<message_id>>
 *   MIME-Version: 1.0
 *   Content-Type: multipart/mixed; boundary="=_dmarc_report_<hash>"
 *   [ text/plain part: spec->text ]
 *   application/gzip (or text/xml) part, base64 in lines of 76, with
 *   name="<filename>" and filename="<filename>" on lines of their own
 *
 * The report is always the last part; the Subject always carries the
 * Report-ID in angle brackets, which both RFCs' grammars accept.  What
 * goes into a header is checked, so no field can be injected:
 * addresses and the Message-ID are dot-atom "@" dot-atom, the Report-ID
 * RFC 9990's ridfmt, domains letters, digits, '-', '_' and dots (no
 * empty label), the file name printable ASCII without '"', '\' or '/',
 * and no header line may pass 998 characters (RFC 5322 section 2.1.1).
 * The text parts are 7-bit ASCII (RFC 2045 section 2.7): printable
 * characters and HTAB, lines of at most 998 characters ending in LF or
 * CRLF (written CRLF); they may not contain the boundary.  Anything else
 * is DMARC_EINVAL, before any byte is written.
 *
 * The filter's writes are the attachment's bytes (the gzip filter's
 * output, or the XML); the message's headers go out with the first
 * write or at finish, which ends the attachment and closes the
 * multipart.  Status: as the other filters (sink.h), DMARC_ENOMEM from
 * dmarc__mail_new and dmarc__mail_error_report.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_MAIL_H
#define DMARC_REPORT_MAIL_H

#include "sink.h"

/* Longest header line and text line, CRLF excluded (RFC 5322 2.1.1). */
#define DMARC__MAIL_LINE_MAX 998u
/* Where the Subject and the Submitting-URI field fold (RFC 5322 2.1.1's
 * SHOULD). */
#define DMARC__MAIL_FOLD_AT 78u

/* An aggregate report's message.  The strings are read by
 * dmarc__mail_new only. */
struct dmarc__mail_spec {
	const char *from;          /* the reporting address, local@domain */
	const char *to;            /* the rua mailbox, local@domain */
	const char *policy_domain; /* Subject: Report Domain */
	const char *submitter;     /* Subject: Submitter (the generator) */
	const char *report_id;     /* without angle brackets */
	const char *message_id;    /* without angle brackets */
	uint64_t date;             /* Date, seconds since the epoch (UTC) */
	const char *filename;      /* the attachment's (report_name.h) */
	bool gzip;                 /* application/gzip, else text/xml */
	const char *text;          /* a text/plain part; NULL or "": none */
};

struct dmarc__mail;

/* The message, into next; *out is NULL on failure. */
dmarc_status dmarc__mail_new(struct dmarc__mail **out, const dmarc_ctx *ctx,
    struct dmarc__sink next, const struct dmarc__mail_spec *spec);
/* Frees the filter (NULL is accepted). */
void dmarc__mail_free(struct dmarc__mail *m);

/* The attachment's next bytes (a dmarc_sink_fn: self is the mail). */
dmarc_status dmarc__mail_write(void *self, const char *data, size_t len);
/* The end of the attachment and of the message. */
dmarc_status dmarc__mail_finish(void *self);
/* The filter for the stage before it (sink.h). */
struct dmarc__filter dmarc__mail_filter(struct dmarc__mail *m);

/* Bytes of the message handed to the next sink so far: after finish,
 * the size RFC 7489 section 7.2.1's "!size" limits. */
uint64_t dmarc__mail_bytes_out(const struct dmarc__mail *m);

/*
 * The RFC 7489 section 7.2.2 error report, sent when no URI could take
 * a report.  multipart/mixed (RFC 2046 section 5.1.3), not
 * multipart/report: RFC 6522 wants the human-readable part first and a
 * registered report type, while section 7.2.2 wants a text/plain part
 * of "Field: value" lines (RFC 3464 section 2 style) and allows a
 * second, explanatory one.  The first part:
 *
 *   Report-Date: <date>            Report-Domain: <report_domain>
 *   Report-ID: <report_id>         Report-Size: <report_size>
 *   Submitter: <submitter>         Submitting-URI: <uri>, <uri>, ...
 *
 * (the URIs folded past 78 characters).  Subject: "DMARC report not
 * delivered: Domain: <report_domain> Submitter: <submitter> Report-ID:
 * <<report_id>>", folded as the report's.  The same checks as the
 * report's; a URI is printable ASCII without ',' or space.
 */
struct dmarc__mail_error_spec {
	const char *from;          /* the reporting address */
	const char *to;            /* a mailto address of the rua list */
	uint64_t date;             /* Date and Report-Date */
	const char *message_id;    /* without angle brackets */
	const char *report_domain; /* the policy domain of the report */
	const char *report_id;     /* the report's, without brackets */
	uint64_t report_size;      /* bytes of the attempt (7489 7.2.2) */
	const char *submitter;     /* the generator's domain */
	const char *const *uris;   /* the URIs tried: at least one */
	size_t n_uris;
	const char *text;          /* the explanation; NULL or "": none */
};

/* Writes the whole error report into sink (one call). */
dmarc_status dmarc__mail_error_report(const dmarc_ctx *ctx,
    struct dmarc__sink sink, const struct dmarc__mail_error_spec *spec);

#endif /* DMARC_REPORT_MAIL_H */
