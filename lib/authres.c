/*
 * libdmarc - the Authentication-Results field parser (RFC 8601 2.2).
 *
 * The field value is read once, left to right, with the RFC 5322 lexer
 * (rfc5322.h) for comments, folding and quoted strings, straight into
 * the parsed object: one allocation, sized before the parse by what the
 * input can hold (results and properties by its ';' and '=', strings by
 * its length), with the struct, its results, properties and
 * diagnostics, and a pool holding the strings (keywords lower-cased,
 * values unquoted).  Nothing large is on the stack.  A syntax error
 * anywhere discards every result: a field that is not understood cannot
 * be half trusted.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "authres_int.h"
#include "rfc5322.h"

#define AR_MAX_RESULTS 64u
#define AR_MAX_PROPS 16u   /* per result */

/* A piece of the input, from the start of the value. */
struct span {
	size_t off, len;
};

/* The parsed object, in one allocation with everything it points to. */
struct authres_prop {
	const char *ptype, *property, *value;
};

struct authres_result {
	const char *method, *result, *reason;
	const struct authres_prop *props;
	size_t n_props;
};

struct dmarc_authres {
	dmarc_free_fn free_fn;
	dmarc_authres_state state;
	size_t n_results, n_diags;
	const char *authserv_id;
	const struct authres_result *results;
	const dmarc_diag *diags;
};

/* The room of an object: what the input can hold at most. */
struct room {
	size_t results, props, diags, pool;
};

struct ar_parser {
	const dmarc_ctx *ctx;
	struct rfc5322 lx;
	bool failed;           /* syntax error (or too long): no results */
	bool bad_version;      /* header version other than 1 */
	bool diag_overflow;
	bool results_dropped;  /* the too-many diagnostic was given */
	/* the object being filled, and its arrays as far as filled */
	dmarc_authres *ar;
	struct authres_result *results;
	struct authres_prop *props;
	dmarc_diag *diags;
	char *pool;            /* the next free byte of the pool */
	size_t n_results, n_props, n_diags;
};

/* ---- character classes ---- */

/* Unquoted property values: tokens, and the dot-atom local parts and
 * "@" of [[local-part] "@"] domain-name; also ":" so that an IPv6
 * address (smtp.remote-ip, policy.iprev) is not a syntax error, and "/"
 * and "=" for the base64 of header.b (RFC 6008) written unquoted. */
static bool is_pvalue(unsigned char c)
{
	return rfc5322_is_token(c) || (c != 0 && strchr("/=?@:", c) != NULL);
}

/* RFC 5321 Ldh-str, the Keyword of methods, results, ptypes and
 * properties. */
static bool is_ldh(unsigned char c)
{
	return dmarc__is_alpha(c) || dmarc__is_digit(c) || c == '-';
}

static struct span make_span(size_t from, size_t to)
{
	struct span s;

	s.off = from;
	s.len = to - from;
	return s;
}

static size_t here(const struct ar_parser *p)
{
	return cursor_offset(&p->lx.c);
}

static bool at_end(const struct ar_parser *p)
{
	return cursor_eof(&p->lx.c);
}

static int peek(const struct ar_parser *p)
{
	return cursor_peek(&p->lx.c);
}

/* ---- the pool ---- */

/* Copies a keyword into the pool, lower-cased. */
static const char *pool_keyword(struct ar_parser *p, struct span s)
{
	const char *t = cursor_at(&p->lx.c, s.off);
	char *dst = p->pool;
	size_t i;

	for (i = 0; i < s.len; i++)
		dst[i] = (char)dmarc__lower((unsigned char)t[i]);
	dst[s.len] = '\0';
	p->pool += s.len + 1;
	return dst;
}

/* Copies a value into the pool as RFC 5322 reads it: no quotes, no
 * backslashes of quoted-pairs, no line breaks of folds. */
static const char *pool_value(struct ar_parser *p, struct span s)
{
	char *dst = p->pool;
	size_t n = dmarc__rfc5322_unquote(dst, cursor_at(&p->lx.c, s.off),
	    s.len);

	dst[n] = '\0';
	p->pool += n + 1;
	return dst;
}

/* ---- diagnostics ---- */

/* Warnings beyond the cap are replaced by one too-many-diagnostics
 * marker; the single error of a parse is always kept, since it is the
 * one that explains the state. */
static void add_diag(struct ar_parser *p, dmarc_diag_code code,
    dmarc_severity severity, size_t offset, size_t length)
{
	dmarc_diag *d;

	if (severity != DMARC_SEVERITY_ERROR &&
	    p->n_diags >= DMARC_MAX_DIAGS - 1) {
		if (p->diag_overflow)
			return;
		p->diag_overflow = true;
		code = DMARC_DIAG_TOO_MANY_DIAGS;
		offset = length = 0;
	}
	d = &p->diags[p->n_diags++];
	d->code = (uint8_t)code;
	d->severity = (uint8_t)severity;
	d->tag_id = 0;
	d->offset = offset > UINT32_MAX ? UINT32_MAX : (uint32_t)offset;
	d->length = length > UINT32_MAX ? UINT32_MAX : (uint32_t)length;
	d->tag = "";
	d->domain = "";
}

/* A syntax error at [offset, offset + length): it ends the parse, so
 * only the first is reported.  Returns false for the callers to pass up. */
static bool fail(struct ar_parser *p, size_t offset, size_t length)
{
	if (!p->failed) {
		p->failed = true;
		add_diag(p, DMARC_DIAG_AR_SYNTAX, DMARC_SEVERITY_ERROR, offset,
		    length);
	}
	return false;
}

/* The byte at the cursor does not fit the grammar (or the input ended
 * where something was required). */
static bool fail_here(struct ar_parser *p)
{
	return fail(p, here(p), at_end(p) ? 0 : 1);
}

/* The lexer failed: an unterminated comment or string spans the rest of
 * the input, anything else is the one byte at the error. */
static bool fail_lexer(struct ar_parser *p)
{
	size_t off = p->lx.error_offset, len = cursor_length(&p->lx.c);

	if (p->lx.error == RFC5322_EUNTERMINATED)
		return fail(p, off, len - off);
	return fail(p, off, off < len ? 1 : 0);
}

static bool expect(struct ar_parser *p, char c)
{
	return cursor_accept(&p->lx.c, (unsigned char)c) || fail_here(p);
}

/* [CFWS]: white space, folds and comments, in any order. */
static bool skip_cfws(struct ar_parser *p)
{
	return dmarc__rfc5322_skip_cfws(&p->lx) || fail_lexer(p);
}

/* ---- lexical items ---- */

/* A quoted-string at the cursor; the span keeps the quotes, which the
 * copy into the pool removes. */
static bool scan_quoted(struct ar_parser *p, struct span *s)
{
	size_t start = here(p);

	if (!dmarc__rfc5322_quoted_string(&p->lx))
		return fail_lexer(p);
	*s = make_span(start, here(p));
	return true;
}

/* value = token / quoted-string (authserv-id, reason). */
static bool scan_value(struct ar_parser *p, struct span *s)
{
	size_t start = here(p);

	if (peek(p) == '"')
		return scan_quoted(p, s);
	if (rfc5322_token(&p->lx) == 0)
		return fail_here(p);
	*s = make_span(start, here(p));
	return true;
}

/* A Keyword: Ldh-str, which cannot end in a hyphen. */
static bool scan_keyword(struct ar_parser *p, struct span *s)
{
	size_t start = here(p);

	if (cursor_skip_while(&p->lx.c, is_ldh) == 0)
		return fail_here(p);
	if (*cursor_at(&p->lx.c, here(p) - 1) == '-')
		return fail(p, here(p) - 1, 1);
	*s = make_span(start, here(p));
	return true;
}

/* 1*DIGIT (header and method versions). */
static bool scan_digits(struct ar_parser *p, struct span *s)
{
	size_t start = here(p);

	if (cursor_skip_while(&p->lx.c, dmarc__is_digit) == 0)
		return fail_here(p);
	*s = make_span(start, here(p));
	return true;
}

/* Whether a version is 1; leading zeros are allowed, as 1*DIGIT reads
 * as a number, and no length of digits can overflow. */
static bool version_is_one(const struct ar_parser *p, struct span v)
{
	const char *d = cursor_at(&p->lx.c, v.off);
	size_t n = v.len;

	while (n > 1 && *d == '0') {
		d++;
		n--;
	}
	return n == 1 && *d == '1';
}

/* Whether a keyword span is word (lower case), ignoring case. */
static bool keyword_is(const struct ar_parser *p, struct span s,
    const char *word)
{
	const char *t = cursor_at(&p->lx.c, s.off);
	size_t i;

	if (s.len != strlen(word))
		return false;
	for (i = 0; i < s.len; i++)
		if (dmarc__lower((unsigned char)t[i]) != word[i])
			return false;
	return true;
}

/* pvalue = [CFWS] (value / [[local-part] "@"] domain-name) [CFWS]; the
 * CFWS is the caller's.  Read leniently (is_pvalue), and a quoted local
 * part may be followed by "@domain".  "<>" and an empty value (before
 * ";" or the end) are accepted: producers write them for a null MAIL
 * FROM, and the consumer must see them to fall back to smtp.helo. */
static bool scan_pvalue(struct ar_parser *p, struct span *s)
{
	size_t start = here(p);

	if (at_end(p) || peek(p) == ';') {
		*s = make_span(start, start);
		return true;
	}
	if (peek(p) == '<' && cursor_peek_at(&p->lx.c, 1) == '>') {
		cursor_advance(&p->lx.c, 2);
		*s = make_span(start, here(p));
		return true;
	}
	if (peek(p) == '"') {
		if (!scan_quoted(p, s))
			return false;
		if (peek(p) != '@')
			return true;
	}
	(void)cursor_skip_while(&p->lx.c, is_pvalue);
	if (here(p) == start)
		return fail_here(p);
	*s = make_span(start, here(p));
	return true;
}

/* ---- grammar ---- */

/* A result being read: where it goes in the object (NULL when it is
 * dropped), and its properties so far. */
struct resinfo {
	struct authres_result *kept;
	size_t n_props;
	bool props_dropped;    /* the too-many diagnostic was given */
};

/* The rest of a propspec once its ptype (and the CFWS after it) is
 * read: "." [CFWS] property [CFWS] "=" pvalue. */
static bool parse_prop_rest(struct ar_parser *p, struct span *property,
    struct span *value)
{
	return expect(p, '.') && skip_cfws(p) &&
	    scan_keyword(p, property) && skip_cfws(p) &&
	    expect(p, '=') && skip_cfws(p) && scan_pvalue(p, value) &&
	    skip_cfws(p);
}

/* Keeps a property of a kept result, up to the cap; the rest are
 * dropped with one diagnostic per result. */
static void store_prop(struct ar_parser *p, struct resinfo *r,
    struct span ptype, struct span property, struct span value)
{
	struct authres_prop *prop;

	if (r->n_props >= AR_MAX_PROPS) {
		if (!r->props_dropped)
			add_diag(p, DMARC_DIAG_AR_TOO_MANY,
			    DMARC_SEVERITY_WARNING, ptype.off,
			    value.off + value.len - ptype.off);
		r->props_dropped = true;
		return;
	}
	prop = &p->props[p->n_props + r->n_props++];
	prop->ptype = pool_keyword(p, ptype);
	prop->property = pool_keyword(p, property);
	prop->value = pool_value(p, value);
}

/* reasonspec after its "reason" keyword and CFWS: "=" [CFWS] value. */
static bool parse_reason(struct ar_parser *p, struct resinfo *r)
{
	struct span reason;

	cursor_advance(&p->lx.c, 1); /* '=' */
	if (!skip_cfws(p) || !scan_value(p, &reason))
		return false;
	if (r->kept != NULL)
		r->kept->reason = pool_value(p, reason);
	return true;
}

/* [CFWS reasonspec] [CFWS 1*propspec] after the result, up to the next
 * ";" or the end.  The reason, if any, comes first (RFC 8601 order);
 * white space must separate the result and the reason from what
 * follows.  Properties are kept only for a kept result. */
static bool parse_result_tail(struct ar_parser *p, struct resinfo *r)
{
	bool need_cfws = true, reason_ok = true;

	for (;;) {
		size_t before = here(p);
		struct span ptype, property, value = { 0, 0 };

		if (!skip_cfws(p))
			return false;
		if (at_end(p) || peek(p) == ';')
			return true;
		if (need_cfws && here(p) == before)
			return fail_here(p);
		if (!scan_keyword(p, &ptype) || !skip_cfws(p))
			return false;
		if (reason_ok && peek(p) == '=' &&
		    keyword_is(p, ptype, "reason")) {
			if (!parse_reason(p, r))
				return false;
			reason_ok = false;
			continue;
		}
		reason_ok = need_cfws = false;
		if (!parse_prop_rest(p, &property, &value))
			return false;
		if (r->kept != NULL)
			store_prop(p, r, ptype, property, value);
	}
}

/* methodspec once the method keyword (and the CFWS after it) is read:
 * [ "/" [CFWS] version [CFWS] ] "=" [CFWS] result.  A method version
 * other than 1 is not understood (RFC 8601 2.6): *supported is false. */
static bool parse_methodspec(struct ar_parser *p, struct span *result,
    bool *supported)
{
	*supported = true;
	if (cursor_accept(&p->lx.c, '/')) {
		struct span v;

		if (!skip_cfws(p) || !scan_digits(p, &v) || !skip_cfws(p))
			return false;
		if (!version_is_one(p, v)) {
			*supported = false;
			add_diag(p, DMARC_DIAG_AR_METHOD_VERSION,
			    DMARC_SEVERITY_WARNING, v.off, v.len);
		}
	}
	return expect(p, '=') && skip_cfws(p) && scan_keyword(p, result);
}

/* Room for one more result?  Past the cap, results are dropped with one
 * diagnostic (at the first one dropped). */
static bool room_for_result(struct ar_parser *p, struct span method)
{
	if (p->n_results < AR_MAX_RESULTS)
		return true;
	if (!p->results_dropped)
		add_diag(p, DMARC_DIAG_AR_TOO_MANY, DMARC_SEVERITY_WARNING,
		    method.off, method.len);
	p->results_dropped = true;
	return false;
}

/* The next result of the object, its method and result copied. */
static struct authres_result *keep_result(struct ar_parser *p,
    struct span method, struct span result)
{
	struct authres_result *res = &p->results[p->n_results];

	res->method = pool_keyword(p, method);
	res->result = pool_keyword(p, result);
	res->reason = NULL;
	res->props = p->props + p->n_props;
	res->n_props = 0;
	return res;
}

/* One resinfo once its method keyword is read.  A dropped result is
 * still parsed in full: its syntax decides the fate of the field. */
static bool parse_resinfo(struct ar_parser *p, struct span method)
{
	struct resinfo r;
	struct span result;
	bool supported;

	if (!parse_methodspec(p, &result, &supported))
		return false;
	r.kept = supported && room_for_result(p, method) ?
	    keep_result(p, method, result) : NULL;
	r.n_props = 0;
	r.props_dropped = false;
	if (!parse_result_tail(p, &r))
		return false;
	if (r.kept != NULL) {
		r.kept->n_props = r.n_props;
		p->n_results++;
		p->n_props += r.n_props;
	}
	return true;
}

/* After "none" (no-result): only [CFWS], and a tolerated ";". */
static bool parse_none_tail(struct ar_parser *p)
{
	if (!at_end(p) && !(expect(p, ';') && skip_cfws(p)))
		return false;
	return at_end(p) || fail_here(p);
}

/* ( ";" "none" / 1*resinfo ), with a ";" at the very end tolerated.
 * "none" is a no-result only as the first and only item and when no
 * "=" or "/" follows (else it is a method called none). */
static bool parse_results(struct ar_parser *p)
{
	bool first = true;

	for (;;) {
		struct span kw;
		int c;

		if (!expect(p, ';') || !skip_cfws(p))
			return false;
		if (at_end(p) && !first)
			return true;
		if (!scan_keyword(p, &kw) || !skip_cfws(p))
			return false;
		c = peek(p);
		if (first && c != '=' && c != '/' && keyword_is(p, kw, "none"))
			return parse_none_tail(p);
		if (!parse_resinfo(p, kw))
			return false;
		if (at_end(p))
			return true;
		first = false;
	}
}

/* [CFWS] authserv-id [CFWS version] [CFWS].  A version needs white
 * space or a comment before it (else it would be part of the id); one
 * other than 1 stops the parse (RFC 8601 2.6: ignore the field). */
static bool parse_authserv(struct ar_parser *p)
{
	struct span id, v;
	size_t before;

	if (!skip_cfws(p) || !scan_value(p, &id))
		return false;
	p->ar->authserv_id = pool_value(p, id);
	before = here(p);
	if (!skip_cfws(p))
		return false;
	if (here(p) == before || at_end(p) ||
	    !dmarc__is_digit((unsigned char)peek(p)))
		return true;
	(void)scan_digits(p, &v);
	if (!version_is_one(p, v)) {
		p->bad_version = true;
		add_diag(p, DMARC_DIAG_AR_VERSION, DMARC_SEVERITY_ERROR, v.off,
		    v.len);
		return false;
	}
	return skip_cfws(p);
}

/* ---- the object ---- */

/* The value without the CRLF that ends the field, if the caller left
 * it on. */
static size_t value_length(const char *value, size_t len)
{
	if (len >= 2 && value[len - 2] == '\r' && value[len - 1] == '\n')
		return len - 2;
	if (len >= 1 && value[len - 1] == '\n')
		return len - 1;
	return len;
}

/* The most the value can yield: a result takes a ";" and an "=", a
 * property an "=" (quoted or commented ones only make this larger);
 * diagnostics are per result (method version, too many properties),
 * plus the too-many-results one and the error; every string is a piece
 * of the value, plus its NUL.  A value that is not read needs room for
 * its one error. */
static struct room room_for(const char *value, size_t len, bool read)
{
	struct room r;
	size_t semis = 0, equals = 0, i;

	for (i = 0; read && i < len; i++) {
		semis += value[i] == ';';
		equals += value[i] == '=';
	}
	r.results = semis < AR_MAX_RESULTS ? semis : AR_MAX_RESULTS;
	r.props = equals < AR_MAX_RESULTS * AR_MAX_PROPS ? equals :
	    AR_MAX_RESULTS * AR_MAX_PROPS;
	r.diags = 2 * r.results + 2;
	if (r.diags > DMARC_MAX_DIAGS + 1)
		r.diags = DMARC_MAX_DIAGS + 1;
	r.pool = (read ? len : 0) + 1 + 3 * (r.results + r.props);
	return r;
}

/* The object with room for r, its arrays laid out after it. */
static dmarc_authres *new_object(struct ar_parser *p, struct room r)
{
	dmarc_authres *ar = dmarc__alloc(p->ctx, sizeof *ar +
	    r.results * sizeof *p->results + r.props * sizeof *p->props +
	    r.diags * sizeof *p->diags + r.pool);

	if (ar == NULL)
		return NULL;
	p->results = (struct authres_result *)(void *)(ar + 1);
	p->props = (struct authres_prop *)(void *)(p->results + r.results);
	p->diags = (dmarc_diag *)(void *)(p->props + r.props);
	p->pool = (char *)(p->diags + r.diags);
	ar->free_fn = p->ctx->free_fn;
	ar->authserv_id = "";
	ar->results = p->results;
	ar->diags = p->diags;
	p->ar = ar;
	return ar;
}

/* Only the state and counts: what is not usable is left out. */
static void finish_object(struct ar_parser *p)
{
	dmarc_authres *ar = p->ar;

	ar->state = p->failed ? DMARC_AUTHRES_SYNTAX : p->bad_version ?
	    DMARC_AUTHRES_BAD_VERSION : DMARC_AUTHRES_VALID;
	ar->n_results = p->failed || p->bad_version ? 0 : p->n_results;
	ar->n_diags = p->n_diags;
	if (p->failed)
		ar->authserv_id = "";
}

/* ---- the authserv-id alone ---- */

bool dmarc__authres_trusted(const dmarc_ctx *ctx, const char *value,
    size_t len)
{
	struct rfc5322 lx;
	const char *start;
	char id[512];
	size_t n;

	if (value == NULL || len > ctx->max_header_length)
		return false;
	rfc5322_init(&lx, value, value_length(value, len), 0);
	if (!dmarc__rfc5322_skip_cfws(&lx))
		return false;
	start = cursor_at(&lx.c, cursor_offset(&lx.c));
	if (cursor_is(&lx.c, '"') ? !dmarc__rfc5322_quoted_string(&lx) :
	    rfc5322_token(&lx) == 0)
		return false;
	/* an unquoted copy is never longer than the span */
	n = cursor_offset(&lx.c) - (size_t)(start - value);
	if (n >= sizeof id)
		return false;
	id[dmarc__rfc5322_unquote(id, start, n)] = '\0';
	return dmarc__strlist_has(&ctx->authserv_ids, id, true);
}

/* ---- public interface ---- */

DMARC_EXPORT dmarc_status dmarc_authres_parse(dmarc_authres **out,
    const dmarc_ctx *ctx, const char *value, size_t len)
{
	struct ar_parser p;
	size_t max;
	bool read;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || (value == NULL && len != 0))
		return DMARC_EINVAL;
	memset(&p, 0, sizeof p);
	p.ctx = ctx;
	len = value != NULL ? value_length(value, len) : 0;
	rfc5322_init(&p.lx, value, len, 0);
	max = ctx->max_header_length;
	/* a value over the limit is not read at all: the limit bounds the
	 * work per field */
	read = len <= max;
	if (new_object(&p, room_for(value, len, read)) == NULL)
		return DMARC_ENOMEM;
	if (!read) {
		p.failed = true;
		add_diag(&p, DMARC_DIAG_AR_TOO_LONG, DMARC_SEVERITY_ERROR, max,
		    len - max);
	} else if (parse_authserv(&p)) {
		(void)parse_results(&p);
	}
	finish_object(&p);
	*out = p.ar;
	return DMARC_OK;
}

DMARC_EXPORT void dmarc_authres_free(dmarc_authres *ar)
{
	if (ar != NULL)
		ar->free_fn(ar);
}

DMARC_EXPORT dmarc_authres_state dmarc_authres_get_state(
    const dmarc_authres *ar)
{
	return ar != NULL ? ar->state : DMARC_AUTHRES_SYNTAX;
}

DMARC_EXPORT const char *dmarc_authres_get_authserv_id(
    const dmarc_authres *ar)
{
	if (ar == NULL || ar->state == DMARC_AUTHRES_SYNTAX)
		return NULL; /* absent: a malformed field ("" may be quoted) */
	return ar->authserv_id;
}

DMARC_EXPORT size_t dmarc_authres_get_result_count(const dmarc_authres *ar)
{
	return ar != NULL ? ar->n_results : 0;
}

static const struct authres_result *result_at(const dmarc_authres *ar,
    size_t index)
{
	return ar != NULL && index < ar->n_results ? &ar->results[index] : NULL;
}

DMARC_EXPORT const char *dmarc_authres_get_method(const dmarc_authres *ar,
    size_t index)
{
	const struct authres_result *r = result_at(ar, index);

	return r != NULL ? r->method : NULL;
}

DMARC_EXPORT const char *dmarc_authres_get_result(const dmarc_authres *ar,
    size_t index)
{
	const struct authres_result *r = result_at(ar, index);

	return r != NULL ? r->result : NULL;
}

DMARC_EXPORT const char *dmarc_authres_get_reason(const dmarc_authres *ar,
    size_t index)
{
	const struct authres_result *r = result_at(ar, index);

	return r != NULL ? r->reason : NULL;
}

/* Whether a stored (lower-case) keyword equals the caller's, ignoring
 * the caller's case; ASCII only, whatever the locale. */
static bool same_keyword(const char *stored, const char *asked)
{
	while (*stored != '\0' &&
	    *stored == (char)dmarc__lower((unsigned char)*asked)) {
		stored++;
		asked++;
	}
	return *stored == '\0' && *asked == '\0';
}

DMARC_EXPORT const char *dmarc_authres_get_property(const dmarc_authres *ar,
    size_t index, const char *ptype, const char *property)
{
	const struct authres_result *r = result_at(ar, index);
	size_t i;

	if (r == NULL || ptype == NULL || property == NULL)
		return NULL;
	for (i = 0; i < r->n_props; i++)
		if (same_keyword(r->props[i].ptype, ptype) &&
		    same_keyword(r->props[i].property, property))
			return r->props[i].value;
	return NULL;
}

DMARC_EXPORT size_t dmarc_authres_get_diag_count(const dmarc_authres *ar)
{
	return ar != NULL ? ar->n_diags : 0;
}

DMARC_EXPORT const dmarc_diag *dmarc_authres_get_diag(const dmarc_authres *ar,
    size_t index)
{
	return ar != NULL && index < ar->n_diags ? &ar->diags[index] : NULL;
}
