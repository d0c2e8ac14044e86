/*
 * libdmarc - the RFC 5322 From field parser inside the library.  Never
 * installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_FROM_INT_H
#define DMARC_FROM_INT_H

#include "internal.h"

/* Most distinct domains one From field value can yield before the rest
 * is only counted. */
#define DMARC_FROM_MAX_DOMAINS 8u

/* The domains of the mailboxes of one From field value, in room the
 * caller provides: cap names (1 to DMARC_FROM_MAX_DOMAINS) at domains,
 * which a parse never changes.  At most cap domains are kept, whatever
 * max_domains says. */
struct from_result {
	unsigned int n_mailboxes;  /* addresses seen, with or without domain */
	unsigned int n_domains;    /* distinct normalized domains kept */
	bool more_domains;         /* more distinct domains than were kept */
	unsigned int cap;
	char (*domains)[DMARC_DOMAIN_SIZE];
	uint8_t domain_len[DMARC_FROM_MAX_DOMAINS]; /* strlen of each */
};
/* Only the first n_domains entries are set: a parse clears the counts,
 * not the names. */

/* A result with room for every domain a parse may keep. */
struct from_room {
	struct from_result r;
	char names[DMARC_FROM_MAX_DOMAINS][DMARC_DOMAIN_SIZE];
};

static inline struct from_result *dmarc__from_room(struct from_room *room)
{
	room->r.domains = room->names;
	room->r.cap = DMARC_FROM_MAX_DOMAINS;
	return &room->r;
}

/* Parse a From field value (the text after "From:", folding allowed) of
 * len bytes, RFC 5322 section 3.4 with the obsolete forms of section 4:
 * mailbox-list or address-list (groups), display names (phrases, quoted
 * strings, RFC 2047 encoded words: all ignored), comments (nested),
 * angle addresses with obsolete routes, addr-specs with quoted or dotted
 * local parts, and domains that dmarc_domain_normalize accepts (U-labels
 * included), as dot-atoms or obs-domains with CFWS around the dots.  An address without a domain, with a domain literal
 * ([192.0.2.1]) or inside an empty group counts as a mailbox with no
 * domain.  Distinct domains are kept in order of appearance, up to
 * max_domains (at most DMARC_FROM_MAX_DOMAINS).
 * Returns DMARC_OK, or DMARC_EFROM on malformed syntax or a domain that
 * fails normalization, with *error_offset the byte where it was found. */
dmarc_status dmarc__from_parse(const char *value, size_t len,
    unsigned int max_domains, struct from_result *out, size_t *error_offset);

/* The same without the fast path (the differential tests' reference). */
dmarc_status dmarc__from_parse_general(const char *value, size_t len,
    unsigned int max_domains, struct from_result *out, size_t *error_offset);

/* The longest value the fast path reads (lib/from_fast.c). */
#define DMARC_FROM_FAST_MAX 4096u

/* The usual shapes of a From field (lib/from_fast.c): true with *out set
 * as dmarc__from_parse sets it for a valid value; false, *out's counts
 * untouched, when the general parser must read the value. */
bool dmarc__from_parse_fast(const char *value, size_t len,
    unsigned int max_domains, struct from_result *out);

#endif /* DMARC_FROM_INT_H */
