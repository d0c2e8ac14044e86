/*
 * libdmarc - the DMARC policy record parser (RFC 9989 4.7-4.8,
 * RFC 7489 6.3-6.4): version check, tag splitting and tag dispatch.
 * Values are read in lib/record_values.c, URI lists in lib/uri.c, the
 * diagnostics kept and the final verdict given in lib/record_outcome.c.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "record_int.h"
#include "record_values.h"

static bool is_bis(dmarc_mode mode)
{
	return mode == DMARC_MODE_RFC9989;
}

struct version_scan {
	dmarc_diag_code error; /* 0, NO_VERSION or BAD_VERSION */
	size_t error_off, error_len;
	size_t leading;        /* white space skipped before v */
	bool upper_v;
	size_t next;           /* where the next tag starts */
};

/* The record must start with v=DMARC1 (DMARC1 case-sensitive). */
static void scan_version(unsigned int options, const char *text, size_t len,
    struct version_scan *vs)
{
	bool lenient = !(options & DMARC_PARSE_STRICT);
	size_t i = 0, v_end;
	const char *semi;

	memset(vs, 0, sizeof *vs);
	/* the common spelling, "v=DMARC1;" or "v=DMARC1" alone */
	if (dmarc__is_dmarc_common(text, len)) {
		vs->next = len == 8 ? 8 : 9;
		return;
	}
	if (options & DMARC_PARSE_SKIP_LEADING_SPACE)
		i = dmarc__space_skip(text, i, len, lenient);
	vs->leading = i;
	vs->error = DMARC_DIAG_NO_VERSION;
	vs->error_off = i;
	if (i >= len || dmarc__lower((unsigned char)text[i]) != 'v')
		return;
	vs->upper_v = text[i] == 'V';
	if (vs->upper_v && (options & DMARC_PARSE_STRICT))
		return;
	i = dmarc__space_skip(text, i + 1, len, lenient);
	if (i >= len || text[i] != '=')
		return;
	i = dmarc__space_skip(text, i + 1, len, lenient);
	semi = memchr(text + i, ';', len - i);
	vs->next = semi != NULL ? (size_t)(semi - text) + 1 : len;
	v_end = dmarc__space_trim(text, i,
	    semi != NULL ? (size_t)(semi - text) : len, lenient);
	if (v_end - i != 6 || memcmp(text + i, "DMARC1", 6) != 0) {
		vs->error = DMARC_DIAG_BAD_VERSION;
		vs->error_off = i;
		vs->error_len = v_end - i;
		return;
	}
	vs->error = DMARC_DIAG_NONE;
}

bool dmarc__is_dmarc_scanned(const dmarc_ctx *ctx, const char *text,
    size_t len)
{
	struct version_scan vs;

	scan_version(ctx->parse_options, text, len, &vs);
	return vs.error == 0;
}

/* A tag name: letters only, folded to lower case and packed into an
 * integer (last letter in the low byte) while it is scanned. */
struct tag_name {
	size_t off, len;
	uint64_t key;
	bool upper;
};

#define KEY2(a, b) ((uint64_t)(a) << 8 | (uint64_t)(b))
#define KEY3(a, b, c) (KEY2(a, b) << 8 | (uint64_t)(c))
#define KEY4(a, b, c, d) (KEY3(a, b, c) << 8 | (uint64_t)(d))
#define KEY5(a, b, c, d, e) (KEY4(a, b, c, d) << 8 | (uint64_t)(e))

/* Scan letters from i; fills n and returns where they end. */
static size_t scan_tag_name(const char *t, size_t i, size_t e,
    struct tag_name *n)
{
	unsigned int all = 0xff;
	uint64_t key = 0;

	n->off = i;
	while (i < e && dmarc__is_alpha((unsigned char)t[i])) {
		unsigned char c = (unsigned char)t[i++];
		all &= c;
		key = key << 8 | (c | 0x20u);
	}
	n->len = i - n->off;
	n->key = key;
	/* Letters without bit 0x20 are upper case. */
	n->upper = (all & 0x20u) == 0;
	return i;
}

/* The dmarc_tag of a name, 0 when unknown. */
static uint8_t lookup_tag(const struct tag_name *n)
{
	if (n->len > 5)
		return 0;
	switch (n->key) {
	case 'v': return DMARC_TAG_V;
	case 'p': return DMARC_TAG_P;
	case 't': return DMARC_TAG_T;
	case KEY2('s', 'p'): return DMARC_TAG_SP;
	case KEY2('n', 'p'): return DMARC_TAG_NP;
	case KEY2('f', 'o'): return DMARC_TAG_FO;
	case KEY2('r', 'f'): return DMARC_TAG_RF;
	case KEY2('r', 'i'): return DMARC_TAG_RI;
	case KEY3('p', 'c', 't'): return DMARC_TAG_PCT;
	case KEY3('r', 'u', 'a'): return DMARC_TAG_RUA;
	case KEY3('r', 'u', 'f'): return DMARC_TAG_RUF;
	case KEY3('p', 's', 'd'): return DMARC_TAG_PSD;
	case KEY4('a', 's', 'p', 'f'): return DMARC_TAG_ASPF;
	case KEY5('a', 'd', 'k', 'i', 'm'): return DMARC_TAG_ADKIM;
	default: return 0;
	}
}

/* Historic tags in RFC 9989 mode, tags RFC 7489 does not know in the
 * other modes. */
static uint16_t ignored_tags(dmarc_mode mode)
{
	if (is_bis(mode))
		return DMARC_TAG_BIT(DMARC_TAG_PCT) | DMARC_TAG_BIT(DMARC_TAG_RF) |
		    DMARC_TAG_BIT(DMARC_TAG_RI);
	return (uint16_t)(DMARC_TAG_BIT(DMARC_TAG_PSD) |
	    DMARC_TAG_BIT(DMARC_TAG_T) | (mode == DMARC_MODE_RFC7489 ?
	    DMARC_TAG_BIT(DMARC_TAG_NP) : 0));
}

/* True, after a warning, when this mode ignores tag id: historic in
 * RFC 9989, unknown in RFC 7489. */
static bool tag_ignored_in_mode(struct parse_state *st, uint8_t id)
{
	if (!(st->ignored & DMARC_TAG_BIT(id)))
		return false;
	dmarc__diag_add(st, dmarc__ignored_tag_code(st->mode),
	    DMARC_SEVERITY_WARNING, st->tag_off, st->tag_len);
	return true;
}

/* Order and duplicate rules; false when the tag must be skipped. */
static bool tag_position_ok(struct parse_state *st, uint8_t id)
{
	bool strict = (st->options & DMARC_PARSE_STRICT) != 0;

	if (st->seen & DMARC_TAG_BIT(id)) {
		bool first_wins =
		    (st->options & DMARC_PARSE_DUPLICATE_FIRST_WINS) != 0;
		dmarc__diag_add(st, DMARC_DIAG_DUPLICATE_TAG,
		    first_wins ? DMARC_SEVERITY_WARNING : DMARC_SEVERITY_ERROR,
		    st->tag_off, st->tag_len);
		st->fatal |= !first_wins;
		return false;
	}
	st->seen |= DMARC_TAG_BIT(id);
	if (id == DMARC_TAG_P && st->tag_index != 1 && !is_bis(st->mode)) {
		dmarc__diag_add(st, DMARC_DIAG_P_NOT_SECOND,
		    strict ? DMARC_SEVERITY_ERROR : DMARC_SEVERITY_WARNING,
		    st->tag_off, st->tag_len);
		st->fatal |= strict;
	}
	return true;
}

static void syntax_error(struct parse_state *st, size_t at, size_t len);

/* A value nobody reads must still be printable ASCII (tagchar). */
static void check_ignored_value(struct parse_state *st, size_t vs, size_t ve)
{
	size_t i;

	for (i = vs; i < ve; i++) {
		unsigned char c = (unsigned char)st->text[i];
		if (c < 0x20 || c > 0x7e) {
			syntax_error(st, i, 1);
			return;
		}
	}
}

static void handle_tag(struct parse_state *st, const struct tag_name *n,
    size_t vs, size_t ve)
{
	uint8_t id = lookup_tag(n);

	st->tag_off = (uint32_t)n->off;
	st->tag_len = (uint32_t)n->len;
	st->tag_id = 0;
	if (id != 0 && n->upper) {
		if (st->options & DMARC_PARSE_STRICT)
			id = 0;
		else
			dmarc__diag_add(st, DMARC_DIAG_CASE,
			    DMARC_SEVERITY_WARNING, n->off, n->len);
	}
	if (id == 0) {
		dmarc__diag_add(st, DMARC_DIAG_UNKNOWN_TAG,
		    DMARC_SEVERITY_WARNING, n->off, n->len);
		check_ignored_value(st, vs, ve);
		return;
	}
	st->tag_id = id;
	if (tag_ignored_in_mode(st, id)) {
		check_ignored_value(st, vs, ve);
		return;
	}
	if (!tag_position_ok(st, id))
		return;
	if (id == DMARC_TAG_FO) {
		st->fo_off = st->tag_off;
		st->fo_len = st->tag_len;
	}
	if (dmarc__parse_value(st, id, vs, ve))
		st->v.present |= DMARC_TAG_BIT(id);
}

static void syntax_error(struct parse_state *st, size_t at, size_t len)
{
	bool strict = (st->options & DMARC_PARSE_STRICT) != 0;

	dmarc__diag_add(st, DMARC_DIAG_SYNTAX,
	    strict ? DMARC_SEVERITY_ERROR : DMARC_SEVERITY_WARNING, at, len);
	st->fatal |= strict;
}

/* One "name = value" between separators, in [s, e). */
static void parse_segment(struct parse_state *st, size_t s, size_t e,
    bool last)
{
	const char *t = st->text;
	struct tag_name name;
	size_t i = s, vs, ve;

	st->tag_len = 0;
	st->tag_id = 0;
	i = dmarc__skip_space(st, i, e);
	if (i == e) {
		if (!last) {
			bool strict = (st->options & DMARC_PARSE_STRICT) != 0;
			dmarc__diag_add(st, DMARC_DIAG_EMPTY_TAG, strict ?
			    DMARC_SEVERITY_ERROR : DMARC_SEVERITY_WARNING, e, 1);
			st->fatal |= strict;
		}
		return;
	}
	i = scan_tag_name(t, i, e, &name);
	if (name.len == 0) {
		syntax_error(st, i, e - i);
		return;
	}
	i = dmarc__skip_space(st, i, e);
	if (i == e || t[i] != '=') {
		size_t at = i < e ? i : name.off;
		syntax_error(st, at, e - at);
		return;
	}
	vs = dmarc__skip_space(st, i + 1, e);
	ve = dmarc__trim_space(st, vs, e);
	st->tag_index++;
	handle_tag(st, &name, vs, ve);
}

static void parse_tags(struct parse_state *st, size_t pos)
{
	const char *semi;

	for (;;) {
		size_t end;

		semi = memchr(st->text + pos, ';', st->len - pos);
		end = semi != NULL ? (size_t)(semi - st->text) : st->len;
		parse_segment(st, pos, end, semi == NULL);
		if (semi == NULL)
			break;
		pos = end + 1;
	}
	st->tag_len = 0;
	st->tag_id = 0;
}

void dmarc__record_init(struct parse_state *st, const dmarc_ctx *ctx,
    const char *text, size_t len)
{
	static const struct record_values defaults = {
		.state = DMARC_RECORD_NOT_DMARC,
		.adkim = DMARC_ALIGN_RELAXED,
		.aspf = DMARC_ALIGN_RELAXED,
		.psd = DMARC_PSD_UNKNOWN,
		.pct = 100,
		.fo = DMARC_FO_ALL_FAIL,
		.rf = DMARC_RF_AFRF,
		.ri = 86400,
	};

	st->ctx = ctx;
	st->text = text;
	st->len = len;
	st->options = ctx->parse_options;
	st->mode = ctx->mode;
	st->ignored = ignored_tags(ctx->mode);
	st->v = defaults;
	st->v.mode = (uint8_t)ctx->mode;
	memset(&st->seen, 0, offsetof(struct parse_state, uris) -
	    offsetof(struct parse_state, seen));
}

/* Version first: what is not v=DMARC1 is discarded without a look at the
 * rest, and only a DMARC record is held to the length limit. */
static void parse_record(struct parse_state *st)
{
	struct version_scan vs;

	scan_version(st->options, st->text, st->len, &vs);
	if (vs.leading > 0)
		dmarc__diag_add(st, DMARC_DIAG_LEADING_SPACE,
		    DMARC_SEVERITY_WARNING, 0, vs.leading);
	st->tag_id = DMARC_TAG_V;
	if (vs.error != 0) {
		dmarc__diag_add(st, vs.error, DMARC_SEVERITY_ERROR,
		    vs.error_off, vs.error_len);
		return;
	}
	if (vs.upper_v)
		dmarc__diag_add(st, DMARC_DIAG_CASE, DMARC_SEVERITY_WARNING,
		    vs.leading, 1);
	dmarc__warn_space(st, 0, vs.next);
	st->tag_id = 0;
	st->seen = DMARC_TAG_BIT(DMARC_TAG_V);
	st->v.present = DMARC_TAG_BIT(DMARC_TAG_V);
	if (st->len > st->ctx->max_record_length) {
		dmarc__diag_add(st, DMARC_DIAG_RECORD_TOO_LONG,
		    DMARC_SEVERITY_ERROR, st->ctx->max_record_length,
		    st->len - st->ctx->max_record_length);
		st->v.state = DMARC_RECORD_INVALID;
		return;
	}
	parse_tags(st, vs.next);
	dmarc__record_decide(st);
}

/* Both entry points: fast says whether the fast path may be tried. */
static dmarc_status record_parse(dmarc_record **out, const dmarc_ctx *ctx,
    const char *text, size_t len, bool fast, dmarc_record *spare)
{
	struct parse_state st;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || (text == NULL && len != 0))
		return DMARC_EINVAL;
	if (text == NULL)
		text = "";
	dmarc__record_init(&st, ctx, text, len);
	if (!fast || !dmarc__record_parse_fast(&st)) {
		dmarc__record_init(&st, ctx, text, len);
		parse_record(&st);
	}
	return dmarc__record_build(out, &st, spare);
}

dmarc_status dmarc__record_parse_general(dmarc_record **out,
    const dmarc_ctx *ctx, const char *text, size_t len)
{
	return record_parse(out, ctx, text, len, false, NULL);
}

dmarc_status dmarc__record_parse_into(dmarc_record **out,
    const dmarc_ctx *ctx, const char *text, size_t len, dmarc_record *spare)
{
	return record_parse(out, ctx, text, len, true, spare);
}

DMARC_EXPORT dmarc_status dmarc_record_parse(dmarc_record **out,
    const dmarc_ctx *ctx, const char *text, size_t len)
{
	return record_parse(out, ctx, text, len, true, NULL);
}
