/*
 * libdmarc - the record parser's working state, shared by the parser,
 * the URI list parser and the code that turns it into a dmarc_record.
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_RECORD_INT_H
#define DMARC_RECORD_INT_H

#include "internal.h"

enum { LIST_RUA = 0, LIST_RUF = 1 };

/* decide_state() adds at most this many diagnostics (missing-p,
 * fo-without-ruf, and as-none or no-policy); they always fit. */
#define DMARC_FINAL_DIAGS 3u

/* One usable URI, as spans of the input text. */
struct uri_span {
	uint32_t off, len;           /* URI without the !size suffix */
	uint32_t addr_off, addr_len; /* encoded mailto address, len 0 if none */
	uint32_t addr_decoded_len;
	uint32_t scheme_len;
	unsigned int flags;          /* dmarc_uri_flag */
	uint64_t size_limit;
};

/* Where the name of an unknown tag is, for a diagnostic about it. */
struct name_span {
	uint32_t off, len;
};

struct parse_state {
	const dmarc_ctx *ctx;
	const char *text;
	size_t len;
	unsigned int options;
	dmarc_mode mode;
	uint16_t ignored;  /* tags this mode ignores, with a warning */
	struct record_values v;
	/* From seen to uris, all zero at the start (one memset). */
	uint16_t seen;
	bool policy_bad;   /* p, sp or np unusable: the rua rule decides */
	bool fatal;        /* the record cannot be used at all */
	bool diag_overflow;
	bool final_diags;  /* the verdict's own diagnostics, past the cap */
	bool uri_overflow[2];
	uint8_t tag_id;    /* the tag being parsed, for diagnostics */
	uint32_t tag_off, tag_len;
	unsigned int tag_index;
	uint32_t fo_off, fo_len; /* where fo is, for fo-without-ruf */
	uint32_t n_uris[2];
	uint32_t n_diags;
	size_t pool;       /* bytes of strings the record will hold */
	struct uri_span uris[2][DMARC_MAX_URIS_PER_LIST];
	/* Diagnostics as the record will hold them; tag NULL for an unknown
	 * tag, whose name is still at diag_names[i] in the input. */
	dmarc_diag diags[DMARC_MAX_DIAGS + DMARC_FINAL_DIAGS];
	struct name_span diag_names[DMARC_MAX_DIAGS + DMARC_FINAL_DIAGS];
};

/* The warning for a tag the mode ignores: historic under RFC 9989,
 * unknown under RFC 7489. */
static inline dmarc_diag_code dmarc__ignored_tag_code(dmarc_mode mode)
{
	return mode == DMARC_MODE_RFC9989 ? DMARC_DIAG_HISTORIC_TAG :
	    DMARC_DIAG_UNKNOWN_TAG;
}

/* Record a diagnostic about [offset, offset + length) of the input,
 * attributed to the tag being parsed (lib/record_parse.c). */
void dmarc__diag_add(struct parse_state *st, dmarc_diag_code code,
    dmarc_severity severity, size_t offset, size_t length);

/* White space (lib/record_space.c): WSP, and when lenient also line
 * breaks and Unicode spaces.  skip returns the first other byte from i,
 * trim the end of [s, e) without its trailing white space. */
size_t dmarc__space_skip(const char *t, size_t i, size_t e, bool lenient);
size_t dmarc__space_trim(const char *t, size_t s, size_t e, bool lenient);

/* The same on the record being parsed, under its options, with a
 * line-break or unicode-space warning for what is not WSP. */
size_t dmarc__skip_space(struct parse_state *st, size_t i, size_t e);
size_t dmarc__trim_space(struct parse_state *st, size_t s, size_t e);

/* Warn about the line breaks and Unicode spaces in [i, e), a span known
 * to hold only white space and literals. */
void dmarc__warn_space(struct parse_state *st, size_t i, size_t e);

/* Parse the rua or ruf value in [vs, ve); true when at least one URI is
 * usable (lib/uri.c). */
bool dmarc__parse_uri_list(struct parse_state *st, unsigned int list,
    size_t vs, size_t ve);

/* Write the percent-decoded form of in[0..n) to out; returns its length
 * (lib/uri.c). */
size_t dmarc__percent_decode(char *out, const char *in, size_t n);

/* The verdict once all tags are read: missing p, unused fo, the rua rule
 * for an unusable policy (lib/record_parse.c). */
void dmarc__record_decide(struct parse_state *st);

/* A fresh state for parsing text under ctx (lib/record_parse.c). */
void dmarc__record_init(struct parse_state *st, const dmarc_ctx *ctx,
    const char *text, size_t len);

/* The whole parse without the fast path, for the tests that compare the
 * two (lib/record_parse.c). */
dmarc_status dmarc__record_parse_general(dmarc_record **out,
    const dmarc_ctx *ctx, const char *text, size_t len);

/* Parse a record written the usual way in one pass; false, with st in
 * any state, when the general parser must read it (lib/record_fast.c). */
bool dmarc__record_parse_fast(struct parse_state *st);

/* Turn the finished state into one allocation (lib/record.c), or into
 * spare (a record no one holds any more, NULL for none) when its block
 * is large enough: then *out is spare, else spare is left as it was. */
dmarc_status dmarc__record_build(dmarc_record **out,
    const struct parse_state *st, dmarc_record *spare);

/* dmarc_record_parse, the record built into spare when it fits (see
 * dmarc__record_build): a record cache replacing one it held. */
dmarc_status dmarc__record_parse_into(dmarc_record **out,
    const dmarc_ctx *ctx, const char *text, size_t len, dmarc_record *spare);

#endif /* DMARC_RECORD_INT_H */
