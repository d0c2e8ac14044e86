/*
 * libdmarc - an mbox splitter in front of the MIME reader (mime.h).
 * Never installed.
 *
 * The stream is mboxrd: a line starting "From " begins a message (the
 * line itself is no part of it), and a line starting ">From ", ">>From "
 * ... loses one ">" (so mboxo's ">From " lines are unescaped too).
 * Bytes before the first "From " line are ignored.  Each message goes
 * through the one MIME parser, reset between messages; a message that
 * fails (DMARC_EMESSAGE) is reported at its end and the next one is
 * read.  Offsets of a message count from its first byte in the stream,
 * less the ">" removed before them.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_MBOX_H
#define DMARC_REPORT_MBOX_H

#include "mime.h"

struct dmarc__mbox_ops {
	/* a message begins at offset (its first byte after the From line) */
	dmarc_status (*message_begin)(void *user, unsigned int index,
	    uint64_t offset);
	/* it ended: DMARC_OK, or DMARC_EMESSAGE (dmarc__mime_failure) */
	dmarc_status (*message_end)(void *user, dmarc_status result);
};

struct dmarc__mbox;

/* A splitter feeding mime (not owned); DMARC_EINVAL, DMARC_ENOMEM. */
dmarc_status dmarc__mbox_new(struct dmarc__mbox **out, const dmarc_ctx *ctx,
    struct dmarc__mime *mime, const struct dmarc__mbox_ops *ops, void *user);
void dmarc__mbox_free(struct dmarc__mbox *b);
/* Statuses: DMARC_OK, DMARC_ENOMEM, an op's stopping status,
 * DMARC_ESTATE after finish; never DMARC_EMESSAGE (per message). */
dmarc_status dmarc__mbox_push(struct dmarc__mbox *b, const char *data,
    size_t len);
dmarc_status dmarc__mbox_finish(struct dmarc__mbox *b);

#endif /* DMARC_REPORT_MBOX_H */
