/*
 * Fuzz target for failure reports (lib/report/arf.c and the reader's
 * MIME side): the input as the body of the message/feedback-report part
 * of an ARF email (RFC 5965 2) built here, and the input as a whole
 * message.  Oracle: the built email gives one FAILURE_REPORT (with the
 * defaults RFC 9991 and RFC 6591 readers assume: a feedback type, an
 * authentication failure, incidents, the reported headers) unless the
 * input holds the boundary, else only FAILURE_REPORT or FAILED events;
 * both read the same whole and a byte at a time (test/reader-log.h:
 * values NUL-terminated and of the length reported).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

#include "../reader-log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BOUNDARY "=_fz.b0undary.7f"

static const char head[] =
    "From: reports@example.net\r\n"
    "To: dmarc-ruf@example.com\r\n"
    "Subject: DMARC failure report for example.com\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=feedback-report;\r\n"
    "\tboundary=\"" BOUNDARY "\"\r\n"
    "\r\n"
    "--" BOUNDARY "\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "A message claiming to be from you failed DMARC.\r\n"
    "\r\n"
    "--" BOUNDARY "\r\n"
    "Content-Type: message/feedback-report\r\n"
    "\r\n";

static const char tail[] =
    "\r\n"
    "--" BOUNDARY "\r\n"
    "Content-Type: text/rfc822-headers\r\n"
    "\r\n"
    "From: someone@example.com\r\n"
    "Subject: hello\r\n"
    "\r\n"
    "--" BOUNDARY "--\r\n";

static void run(const dmarc_ctx *c, const char *in, size_t len,
    struct reader_log *whole)
{
	struct reader_log bytes;
	dmarc_reader *rd;

	reader_log_init(whole);
	reader_log_init(&bytes);
	if (dmarc_reader_new(&rd, c) != DMARC_OK)
		abort();
	if (!reader_log_run(whole, rd, in, len, 0, 0)) {
		fprintf(stderr, "fuzz-arf: %s\n", whole->broken);
		abort();
	}
	dmarc_reader_reset(rd);
	if (!reader_log_run(&bytes, rd, in, len, 1, 0) ||
	    bytes.len != whole->len || (whole->len > 0 &&
	    memcmp(bytes.data, whole->data, whole->len) != 0)) {
		fprintf(stderr, "fuzz-arf: %s\nwhole:\n%s\nbytes:\n%s\n",
		    bytes.broken != NULL ? bytes.broken : "logs differ",
		    whole->data, bytes.data != NULL ? bytes.data : "");
		abort();
	}
	reader_log_free(&bytes);
	dmarc_reader_free(rd);
}

static bool holds(const uint8_t *data, size_t size, const char *lit)
{
	size_t n = strlen(lit), i;

	for (i = 0; i + n <= size; i++)
		if (memcmp(data + i, lit, n) == 0)
			return true;
	return false;
}

/* The one failure report of the built email. */
static void check_email(const struct reader_log *l, bool exact)
{
	static const char *const want[] = {
		" feedback-type[", " auth-failure[", " incidents[",
		" original-headers[1] ", " containers[1] =4:mime "
	};
	size_t i;

	if (!exact) {
		if (l->events[DMARC_READER_REPORT] != 0 ||
		    l->events[DMARC_READER_ROW] != 0 ||
		    l->events[DMARC_READER_FAILURE_REPORT] +
		    l->events[DMARC_READER_FAILED] == 0)
			abort();
		return;
	}
	if (l->events[DMARC_READER_FAILURE_REPORT] != 1 ||
	    l->events[DMARC_READER_FAILED] != 0 ||
	    l->events[DMARC_READER_REPORT] != 0 ||
	    strncmp(l->data, "failure-report none 0 ", 22) != 0) {
		fprintf(stderr, "fuzz-arf: not one failure report:\n%s\n",
		    l->data);
		abort();
	}
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strstr(l->data, want[i]) == NULL) {
			fprintf(stderr, "fuzz-arf: no %s in\n%s\n", want[i],
			    l->data);
			abort();
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static dmarc_ctx *c;
	struct reader_log email, raw;
	char *msg;
	size_t len;

	if (c == NULL && dmarc_ctx_new(&c) != DMARC_OK)
		abort();
	len = sizeof head - 1 + size + sizeof tail - 1;
	msg = malloc(len);
	if (msg == NULL)
		abort();
	memcpy(msg, head, sizeof head - 1);
	if (size > 0)
		memcpy(msg + sizeof head - 1, data, size);
	memcpy(msg + sizeof head - 1 + size, tail, sizeof tail - 1);
	run(c, msg, len, &email);
	check_email(&email, !holds(data, size, BOUNDARY));
	reader_log_free(&email);
	free(msg);
	run(c, (const char *)data, size, &raw);
	reader_log_free(&raw);
	return 0;
}
