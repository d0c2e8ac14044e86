/*
 * libdmarc - the Authentication-Results field parser (RFC 8601 2.2).
 *
 * The field value is read once, left to right, into spans of the input
 * kept in a parser on the stack (fixed caps, no allocation); the parsed
 * object is then built in one allocation: the struct, its results,
 * properties and diagnostics, and a pool holding the strings (keywords
 * lower-cased, values unquoted).  A syntax error anywhere discards every
 * result: a field that is not understood cannot be half trusted.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "authres_int.h"

#define AR_MAX_RESULTS 64u
#define AR_MAX_PROPS 16u   /* per result */
#define AR_MAX_DEPTH 32u   /* comment nesting: bounds the work per '(' */

/* A piece of the input.  The input is at most 65536 bytes (the ceiling
 * of DMARC_LIMIT_HEADER_LENGTH), so 32 bits are plenty. */
struct span {
	uint32_t off, len;
};

struct prop_span {
	struct span ptype, property, value;
};

struct result_span {
	struct span method, result, reason;
	bool has_reason;
	bool props_dropped;    /* the too-many diagnostic was given */
	uint32_t first_prop;   /* index in ar_parser.props */
	uint32_t n_props;
};

struct ar_parser {
	const dmarc_ctx *ctx;
	const char *t;
	size_t len;
	size_t pos;
	bool failed;           /* syntax error (or too long): no results */
	bool bad_version;      /* header version other than 1 */
	bool diag_overflow;
	bool results_dropped;  /* the too-many diagnostic was given */
	struct span authserv_id;
	uint32_t n_results, n_props, n_diags;
	struct result_span results[AR_MAX_RESULTS];
	struct prop_span props[AR_MAX_RESULTS * AR_MAX_PROPS];
	/* warnings up to the cap, its marker, and the one error that ends
	 * a parse (syntax, version, length): it always fits */
	dmarc_diag diags[DMARC_MAX_DIAGS + 1];
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

/* ---- character classes ---- */

/* Content of comments and quoted strings besides their delimiters: WSP
 * and VCHAR, and bytes of UTF-8 (RFC 6532) taken as they come. */
static bool is_text(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* RFC 2045 token characters, and UTF-8 bytes. */
static bool is_token(unsigned char c)
{
	if (c >= 0x80)
		return true;
	if (c <= 0x20 || c == 0x7f)
		return false;
	return strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/* Unquoted property values: tokens, and the dot-atom local parts and
 * "@" of [[local-part] "@"] domain-name; also ":" so that an IPv6
 * address (smtp.remote-ip, policy.iprev) is not a syntax error, and "/"
 * and "=" for the base64 of header.b (RFC 6008) written unquoted. */
static bool is_pvalue(unsigned char c)
{
	return is_token(c) || (c != 0 && strchr("/=?@:", c) != NULL);
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

	s.off = (uint32_t)from;
	s.len = (uint32_t)(to - from);
	return s;
}

/* The byte at the cursor, or -1 at the end. */
static int peek(const struct ar_parser *p)
{
	return p->pos < p->len ? (unsigned char)p->t[p->pos] : -1;
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
	return fail(p, p->pos, p->pos < p->len ? 1 : 0);
}

static bool expect(struct ar_parser *p, char c)
{
	if (peek(p) != (unsigned char)c)
		return fail_here(p);
	p->pos++;
	return true;
}

/* ---- comments and folding white space ---- */

/* Length of a folding line break at i: CRLF followed by WSP, or a bare
 * LF followed by WSP (fields read from Unix mailboxes); 0 if none. */
static size_t fold_len(const struct ar_parser *p, size_t i)
{
	size_t n = i < p->len && p->t[i] == '\r' ? 1 : 0;

	if (i + n >= p->len || p->t[i + n] != '\n')
		return 0;
	n++;
	return i + n < p->len && dmarc__is_wsp((unsigned char)p->t[i + n]) ?
	    n : 0;
}

/* Length of the unit at the cursor inside a comment or a quoted string:
 * a text byte, a quoted-pair or a fold; 0 when the byte is not allowed.
 * A backslash that ends the input counts as 1, so that the caller runs
 * out of input and reports the construct as unterminated. */
static size_t content_len(const struct ar_parser *p)
{
	unsigned char c = (unsigned char)p->t[p->pos];

	if (c == '\\') {
		if (p->pos + 1 >= p->len)
			return 1;
		return is_text((unsigned char)p->t[p->pos + 1]) ? 2 : 0;
	}
	if (c == '\r' || c == '\n')
		return fold_len(p, p->pos);
	return is_text(c) ? 1 : 0;
}

/* A comment at the cursor, nested comments included.  Nesting is
 * counted instead of recursed, and capped. */
static bool skip_comment(struct ar_parser *p)
{
	size_t start = p->pos;
	unsigned int depth = 0;

	while (p->pos < p->len) {
		char c = p->t[p->pos];
		size_t n;

		if (c == '(' || c == ')') {
			if (c == '(' && ++depth > AR_MAX_DEPTH)
				return fail(p, p->pos, 1);
			p->pos++;
			if (c == ')' && --depth == 0)
				return true;
			continue;
		}
		n = content_len(p);
		if (n == 0)
			return fail_here(p);
		p->pos += n;
	}
	return fail(p, start, p->len - start);
}

/* [CFWS]: white space, folds and comments, in any order. */
static bool skip_cfws(struct ar_parser *p)
{
	while (p->pos < p->len) {
		unsigned char c = (unsigned char)p->t[p->pos];
		size_t n;

		if (dmarc__is_wsp(c))
			p->pos++;
		else if ((n = fold_len(p, p->pos)) != 0)
			p->pos += n;
		else if (c == '(') {
			if (!skip_comment(p))
				return false;
		} else
			break;
	}
	return true;
}

/* ---- lexical items ---- */

/* A quoted-string at the cursor; the span keeps the quotes, which the
 * copy into the pool removes. */
static bool scan_quoted(struct ar_parser *p, struct span *s)
{
	size_t start = p->pos++;

	while (p->pos < p->len) {
		size_t n;

		if (p->t[p->pos] == '"') {
			*s = make_span(start, ++p->pos);
			return true;
		}
		n = content_len(p);
		if (n == 0)
			return fail_here(p);
		p->pos += n;
	}
	return fail(p, start, p->len - start);
}

/* value = token / quoted-string (authserv-id, reason). */
static bool scan_value(struct ar_parser *p, struct span *s)
{
	size_t start = p->pos;

	if (peek(p) == '"')
		return scan_quoted(p, s);
	while (p->pos < p->len && is_token((unsigned char)p->t[p->pos]))
		p->pos++;
	if (p->pos == start)
		return fail_here(p);
	*s = make_span(start, p->pos);
	return true;
}

/* A Keyword: Ldh-str, which cannot end in a hyphen. */
static bool scan_keyword(struct ar_parser *p, struct span *s)
{
	size_t start = p->pos;

	while (p->pos < p->len && is_ldh((unsigned char)p->t[p->pos]))
		p->pos++;
	if (p->pos == start)
		return fail_here(p);
	if (p->t[p->pos - 1] == '-')
		return fail(p, p->pos - 1, 1);
	*s = make_span(start, p->pos);
	return true;
}

/* 1*DIGIT (header and method versions). */
static bool scan_digits(struct ar_parser *p, struct span *s)
{
	size_t start = p->pos;

	while (p->pos < p->len && dmarc__is_digit((unsigned char)p->t[p->pos]))
		p->pos++;
	if (p->pos == start)
		return fail_here(p);
	*s = make_span(start, p->pos);
	return true;
}

/* Whether a version is 1; leading zeros are allowed, as 1*DIGIT reads
 * as a number, and no length of digits can overflow. */
static bool version_is_one(const struct ar_parser *p, struct span v)
{
	const char *d = p->t + v.off;
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
	size_t i;

	if (s.len != strlen(word))
		return false;
	for (i = 0; i < s.len; i++)
		if (dmarc__lower((unsigned char)p->t[s.off + i]) != word[i])
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
	size_t start = p->pos;

	if (p->pos >= p->len || p->t[p->pos] == ';') {
		*s = make_span(start, start);
		return true;
	}
	if (p->len - p->pos >= 2 && memcmp(p->t + p->pos, "<>", 2) == 0) {
		p->pos += 2;
		*s = make_span(start, p->pos);
		return true;
	}
	if (p->t[p->pos] == '"') {
		if (!scan_quoted(p, s))
			return false;
		if (peek(p) != '@')
			return true;
	}
	while (p->pos < p->len && is_pvalue((unsigned char)p->t[p->pos]))
		p->pos++;
	if (p->pos == start)
		return fail_here(p);
	*s = make_span(start, p->pos);
	return true;
}

/* ---- grammar ---- */

/* The rest of a propspec once its ptype (and the CFWS after it) is
 * read: "." [CFWS] property [CFWS] "=" pvalue. */
static bool parse_prop_rest(struct ar_parser *p, struct prop_span *ps)
{
	return expect(p, '.') && skip_cfws(p) &&
	    scan_keyword(p, &ps->property) && skip_cfws(p) &&
	    expect(p, '=') && skip_cfws(p) && scan_pvalue(p, &ps->value) &&
	    skip_cfws(p);
}

/* Keeps a property of a kept result, up to the cap; the rest are
 * dropped with one diagnostic per result. */
static void store_prop(struct ar_parser *p, struct result_span *r,
    const struct prop_span *ps)
{
	if (r->n_props >= AR_MAX_PROPS) {
		if (!r->props_dropped)
			add_diag(p, DMARC_DIAG_AR_TOO_MANY,
			    DMARC_SEVERITY_WARNING, ps->ptype.off,
			    ps->value.off + ps->value.len - ps->ptype.off);
		r->props_dropped = true;
		return;
	}
	p->props[r->first_prop + r->n_props++] = *ps;
}

/* reasonspec after its "reason" keyword and CFWS: "=" [CFWS] value. */
static bool parse_reason(struct ar_parser *p, struct result_span *r)
{
	p->pos++; /* '=' */
	if (!skip_cfws(p) || !scan_value(p, &r->reason))
		return false;
	r->has_reason = true;
	return true;
}

/* [CFWS reasonspec] [CFWS 1*propspec] after the result, up to the next
 * ";" or the end.  The reason, if any, comes first (RFC 8601 order);
 * white space must separate the result and the reason from what
 * follows.  Properties are kept only when keep is true. */
static bool parse_result_tail(struct ar_parser *p, struct result_span *r,
    bool keep)
{
	bool need_cfws = true, reason_ok = true;

	for (;;) {
		size_t before = p->pos;
		struct prop_span ps;

		if (!skip_cfws(p))
			return false;
		if (p->pos >= p->len || p->t[p->pos] == ';')
			return true;
		if (need_cfws && p->pos == before)
			return fail_here(p);
		if (!scan_keyword(p, &ps.ptype) || !skip_cfws(p))
			return false;
		if (reason_ok && peek(p) == '=' &&
		    keyword_is(p, ps.ptype, "reason")) {
			if (!parse_reason(p, r))
				return false;
			reason_ok = false;
			continue;
		}
		reason_ok = need_cfws = false;
		if (!parse_prop_rest(p, &ps))
			return false;
		if (keep)
			store_prop(p, r, &ps);
	}
}

/* methodspec once the method keyword (and the CFWS after it) is read:
 * [ "/" [CFWS] version [CFWS] ] "=" [CFWS] result.  A method version
 * other than 1 is not understood (RFC 8601 2.6): *supported is false. */
static bool parse_methodspec(struct ar_parser *p, struct result_span *r,
    bool *supported)
{
	*supported = true;
	if (peek(p) == '/') {
		struct span v;

		p->pos++;
		if (!skip_cfws(p) || !scan_digits(p, &v) || !skip_cfws(p))
			return false;
		if (!version_is_one(p, v)) {
			*supported = false;
			add_diag(p, DMARC_DIAG_AR_METHOD_VERSION,
			    DMARC_SEVERITY_WARNING, v.off, v.len);
		}
	}
	return expect(p, '=') && skip_cfws(p) &&
	    scan_keyword(p, &r->result);
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

/* One resinfo once its method keyword is read.  A dropped result is
 * still parsed in full: its syntax decides the fate of the field. */
static bool parse_resinfo(struct ar_parser *p, struct span method)
{
	struct result_span r;
	bool supported, keep;

	memset(&r, 0, sizeof r);
	r.method = method;
	if (!parse_methodspec(p, &r, &supported))
		return false;
	keep = supported && room_for_result(p, method);
	r.first_prop = p->n_props;
	if (!parse_result_tail(p, &r, keep))
		return false;
	if (keep) {
		p->results[p->n_results++] = r;
		p->n_props += r.n_props;
	}
	return true;
}

/* After "none" (no-result): only [CFWS], and a tolerated ";". */
static bool parse_none_tail(struct ar_parser *p)
{
	if (p->pos < p->len && !(expect(p, ';') && skip_cfws(p)))
		return false;
	return p->pos >= p->len || fail_here(p);
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
		if (p->pos >= p->len && !first)
			return true;
		if (!scan_keyword(p, &kw) || !skip_cfws(p))
			return false;
		c = peek(p);
		if (first && c != '=' && c != '/' && keyword_is(p, kw, "none"))
			return parse_none_tail(p);
		if (!parse_resinfo(p, kw))
			return false;
		if (p->pos >= p->len)
			return true;
		first = false;
	}
}

/* [CFWS] authserv-id [CFWS version] [CFWS].  A version needs white
 * space or a comment before it (else it would be part of the id); one
 * other than 1 stops the parse (RFC 8601 2.6: ignore the field). */
static bool parse_authserv(struct ar_parser *p)
{
	size_t before;
	struct span v;

	if (!skip_cfws(p) || !scan_value(p, &p->authserv_id))
		return false;
	before = p->pos;
	if (!skip_cfws(p))
		return false;
	if (p->pos == before || p->pos >= p->len ||
	    !dmarc__is_digit((unsigned char)p->t[p->pos]))
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

static void parse_field(struct ar_parser *p)
{
	size_t max = p->ctx->max_header_length;

	if (p->len > max) {
		/* not read at all: the limit bounds the work per field */
		p->failed = true;
		add_diag(p, DMARC_DIAG_AR_TOO_LONG, DMARC_SEVERITY_ERROR, max,
		    p->len - max);
		return;
	}
	if (parse_authserv(p))
		(void)parse_results(p);
}

/* Only the scalars: the arrays are filled as far as the counts say. */
static void init_parser(struct ar_parser *p, const dmarc_ctx *ctx,
    const char *value, size_t len)
{
	/* the CRLF that ends the field, if the caller left it on */
	if (len >= 2 && value[len - 2] == '\r' && value[len - 1] == '\n')
		len -= 2;
	else if (len >= 1 && value[len - 1] == '\n')
		len--;
	p->ctx = ctx;
	p->t = value;
	p->len = len;
	p->pos = 0;
	p->failed = p->bad_version = false;
	p->diag_overflow = p->results_dropped = false;
	p->authserv_id = make_span(0, 0);
	p->n_results = p->n_props = p->n_diags = 0;
}

/* ---- the object ---- */

/* Copies a keyword into the pool, lower-cased. */
static const char *pool_keyword(char **pool, const char *t, struct span s)
{
	char *dst = *pool;
	size_t i;

	for (i = 0; i < s.len; i++)
		dst[i] = (char)dmarc__lower((unsigned char)t[s.off + i]);
	dst[s.len] = '\0';
	*pool += s.len + 1;
	return dst;
}

/* Copies a value into the pool without its quotes, the backslashes of
 * its quoted-pairs and the line breaks of its folds (RFC 5322 3.2.4:
 * none of them is part of the value).  The scanners guarantee that a
 * backslash inside quotes is followed by a byte, and that quotes,
 * backslashes and line breaks occur only inside quotes. */
static const char *pool_value(char **pool, const char *t, struct span s)
{
	char *dst = *pool, *o = dst;
	size_t i, end = (size_t)s.off + s.len;
	bool quoted = false;

	for (i = s.off; i < end; i++) {
		char c = t[i];

		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (c == '\r' || c == '\n')
			continue;
		if (c == '\\')
			c = t[++i];
		*o++ = c;
	}
	*o = '\0';
	*pool = o + 1;
	return dst;
}

/* Bytes of strings the object holds: each span as written is at least
 * as long as its copy. */
static size_t pool_size(const struct ar_parser *p)
{
	size_t n = (size_t)p->authserv_id.len + 1, i;

	for (i = 0; i < p->n_results; i++) {
		const struct result_span *r = &p->results[i];
		n += (size_t)r->method.len + r->result.len + r->reason.len + 3;
	}
	for (i = 0; i < p->n_props; i++) {
		const struct prop_span *ps = &p->props[i];
		n += (size_t)ps->ptype.len + ps->property.len + ps->value.len + 3;
	}
	return n;
}

static void build_results(struct authres_result *res,
    struct authres_prop *props, const struct ar_parser *p, char **pool)
{
	size_t i;

	for (i = 0; i < p->n_props; i++) {
		const struct prop_span *ps = &p->props[i];
		props[i].ptype = pool_keyword(pool, p->t, ps->ptype);
		props[i].property = pool_keyword(pool, p->t, ps->property);
		props[i].value = pool_value(pool, p->t, ps->value);
	}
	for (i = 0; i < p->n_results; i++) {
		const struct result_span *r = &p->results[i];
		res[i].method = pool_keyword(pool, p->t, r->method);
		res[i].result = pool_keyword(pool, p->t, r->result);
		res[i].reason = r->has_reason ?
		    pool_value(pool, p->t, r->reason) : NULL;
		res[i].props = props + r->first_prop;
		res[i].n_props = r->n_props;
	}
}

/* One allocation: struct, results, properties, diagnostics, strings.
 * What the state says is not usable is left out. */
static dmarc_status build(dmarc_authres **out, struct ar_parser *p)
{
	dmarc_authres *ar;
	struct authres_result *res;
	struct authres_prop *props;
	dmarc_diag *diags;
	char *pool;

	if (p->failed || p->bad_version)
		p->n_results = p->n_props = 0;
	if (p->failed)
		p->authserv_id = make_span(0, 0);
	ar = dmarc__alloc(p->ctx, sizeof *ar +
	    p->n_results * sizeof *res + p->n_props * sizeof *props +
	    p->n_diags * sizeof *diags + pool_size(p));
	if (ar == NULL)
		return DMARC_ENOMEM;
	res = (struct authres_result *)(void *)(ar + 1);
	props = (struct authres_prop *)(void *)(res + p->n_results);
	diags = (dmarc_diag *)(void *)(props + p->n_props);
	pool = (char *)(diags + p->n_diags);
	memcpy(diags, p->diags, p->n_diags * sizeof *diags);
	ar->free_fn = p->ctx->free_fn;
	ar->state = p->failed ? DMARC_AUTHRES_SYNTAX : p->bad_version ?
	    DMARC_AUTHRES_BAD_VERSION : DMARC_AUTHRES_VALID;
	ar->n_results = p->n_results;
	ar->n_diags = p->n_diags;
	ar->authserv_id = pool_value(&pool, p->t, p->authserv_id);
	ar->results = res;
	ar->diags = diags;
	build_results(res, props, p, &pool);
	*out = ar;
	return DMARC_OK;
}

/* ---- the authserv-id alone ---- */

bool dmarc__authres_trusted(const dmarc_ctx *ctx, const char *value,
    size_t len)
{
	struct ar_parser p;
	char id[512], *pool = id;

	if (value == NULL || len > ctx->max_header_length)
		return false;
	init_parser(&p, ctx, value, len);
	/* an unquoted copy is never longer than the span */
	if (!skip_cfws(&p) || !scan_value(&p, &p.authserv_id) ||
	    p.authserv_id.len >= sizeof id)
		return false;
	(void)pool_value(&pool, p.t, p.authserv_id);
	return dmarc__strlist_has(&ctx->authserv_ids, id, true);
}

/* ---- public interface ---- */

DMARC_EXPORT dmarc_status dmarc_authres_parse(dmarc_authres **out,
    const dmarc_ctx *ctx, const char *value, size_t len)
{
	struct ar_parser p;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || (value == NULL && len != 0))
		return DMARC_EINVAL;
	init_parser(&p, ctx, value != NULL ? value : "", len);
	parse_field(&p);
	return build(out, &p);
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
	if (ar == NULL || ar->authserv_id[0] == '\0')
		return NULL; /* absent: a malformed field */
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
