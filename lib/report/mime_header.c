/*
 * libdmarc - the header section of a MIME entity (mime_int.h):
 * Content-Type (RFC 2045 5.1), Content-Transfer-Encoding (6.1),
 * Content-Disposition (RFC 2183), parameter continuations and charsets
 * (RFC 2231 3, 4) and encoded words in names (RFC 2047 4, 5).  Fields
 * are split by the RFC 5322 lexer (lib/rfc5322.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "../rfc5322.h"
#include "mime_int.h"

/* RFC 2231 sections kept per parameter (filename*0 ... *31). */
#define SECTIONS 32u

struct span {
	size_t start, len;  /* in the header block */
	bool ext;           /* "*" form: charset'lang' and %XX */
	bool present;
};

/* A name parameter gathered: the plain form and the sections. */
struct name_param {
	struct span plain;
	struct span sec[SECTIONS];
};

enum field_kind { F_OTHER, F_TYPE, F_CTE, F_DISPOSITION };

static void add_diag(struct dmarc__mime_fields *f, enum dmarc__mime_diag code,
    size_t offset)
{
	unsigned int i;

	for (i = 0; i < f->n_diag; i++)
		if (f->diag[i].code == code)
			return;
	if (f->n_diag < DMARC__MIME_HDIAG_MAX) {
		f->diag[f->n_diag].code = code;
		f->diag[f->n_diag].offset = offset;
		f->n_diag++;
	}
}

static bool name_is(const char *s, size_t len, const char *lower)
{
	size_t i;

	if (strlen(lower) != len)
		return false;
	for (i = 0; i < len; i++)
		if (dmarc__lower((unsigned char)s[i]) != (unsigned char)lower[i])
			return false;
	return true;
}

/* A parameter value (RFC 2045 5.1 value: token / quoted-string) at the
 * position: its span, or false. */
static bool param_value(struct rfc5322 *lx, struct span *v)
{
	v->start = cursor_offset(&lx->c);
	if (cursor_is(&lx->c, '"')) {
		if (!dmarc__rfc5322_quoted_string(lx))
			return false;
	} else if (rfc5322_token(lx) == 0) {
		return false;
	}
	v->len = cursor_offset(&lx->c) - v->start;
	v->present = true;
	return true;
}

/* Where attribute (len bytes) goes in np: the plain form, a section, or
 * nowhere (NULL). */
static struct span *name_slot(struct name_param *np, const char *a,
    size_t len, const char *base, bool *ext)
{
	size_t blen = strlen(base), i;
	unsigned int n = 0;

	*ext = false;
	if (len < blen || !name_is(a, blen, base))
		return NULL;
	if (len == blen)
		return &np->plain;
	if (a[blen] != '*')
		return NULL;
	if (len == blen + 1) {  /* name*= : one extended section */
		*ext = true;
		return &np->sec[0];
	}
	for (i = blen + 1; i < len && dmarc__is_digit((unsigned char)a[i]);
	    i++) {
		n = n * 10u + (unsigned int)(a[i] - '0');
		if (n >= SECTIONS)
			return NULL;
	}
	if (i == blen + 1)
		return NULL;
	if (i + 1 == len && a[i] == '*')
		*ext = true;
	else if (i != len)
		return NULL;
	return &np->sec[n];
}

/* Skips to the next ";" (after a bad parameter). */
static void skip_param(struct rfc5322 *lx)
{
	while (!cursor_eof(&lx->c) && !cursor_is(&lx->c, ';')) {
		if (cursor_is(&lx->c, '"') && dmarc__rfc5322_quoted_string(lx))
			continue;
		cursor_advance(&lx->c, 1);
	}
}

/* *(";" attribute "=" value) (RFC 2045 5.1, RFC 2231 3), base the offset
 * of the value in the block.  Names go to np, the boundary to bnd. */
static void read_params(struct dmarc__mime_fields *f, struct rfc5322 *lx,
    size_t base, struct name_param *np, const char *name_attr,
    struct span *bnd)
{
	for (;;) {
		struct span v = { 0, 0, false, false }, *slot;
		size_t a;
		size_t alen;
		bool ext;

		(void)dmarc__rfc5322_skip_cfws(lx);
		if (cursor_eof(&lx->c))
			return;
		if (!cursor_accept(&lx->c, ';')) {
			add_diag(f, DMARC__MIME_D_PARAM, base +
			    cursor_offset(&lx->c));
			skip_param(lx);
			continue;
		}
		(void)dmarc__rfc5322_skip_cfws(lx);
		if (cursor_eof(&lx->c))
			return; /* a trailing ";" is common */
		a = cursor_offset(&lx->c);
		alen = rfc5322_token(lx);
		(void)dmarc__rfc5322_skip_cfws(lx);
		if (alen == 0 || !cursor_accept(&lx->c, '=') ||
		    ((void)dmarc__rfc5322_skip_cfws(lx), !param_value(lx, &v))) {
			add_diag(f, DMARC__MIME_D_PARAM, base +
			    cursor_offset(&lx->c));
			skip_param(lx);
			continue;
		}
		v.start += base;
		if (bnd != NULL && name_is(cursor_at(&lx->c, a), alen,
		    "boundary")) {
			*bnd = v;
			continue;
		}
		slot = name_slot(np, cursor_at(&lx->c, a), alen, name_attr,
		    &ext);
		if (slot != NULL && !slot->present) {
			*slot = v;
			slot->ext = ext;
		}
	}
}

/* %XX of an extended value (RFC 2231 4), charset'language' dropped from
 * a first section; in place, the new length. */
static size_t percent_decode(char *s, size_t len, bool first)
{
	size_t i = 0, o = 0;
	const char *q;

	if (first && (q = memchr(s, '\'', len)) != NULL &&
	    (q = memchr(q + 1, '\'', len - (size_t)(q + 1 - s))) != NULL)
		i = (size_t)(q + 1 - s);
	for (; i < len; i++) {
		static const char hex[] = "0123456789abcdef";
		const char *h1, *h2;

		if (s[i] == '%' && i + 2 < len &&
		    (h1 = memchr(hex, dmarc__lower((unsigned char)s[i + 1]),
		    16)) != NULL && s[i + 1] != '\0' &&
		    (h2 = memchr(hex, dmarc__lower((unsigned char)s[i + 2]),
		    16)) != NULL && s[i + 2] != '\0') {
			s[o++] = (char)((h1 - hex) << 4 | (h2 - hex));
			i += 2;
		} else {
			s[o++] = s[i];
		}
	}
	return o;
}

static int hexval(unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	const char *h = c != 0 ? memchr(hex, dmarc__lower(c), 16) : NULL;

	return h != NULL ? (int)(h - hex) : -1;
}

/* Appends len bytes to the name, cut at the limit; NUL bytes (raw or
 * from %00, =00) are dropped, so the name reads as a string. */
static void name_add(struct dmarc__mime_fields *f, const char *s, size_t len,
    size_t offset)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\0')
			continue;
		if (f->name_len == DMARC__MIME_NAME_MAX) {
			add_diag(f, DMARC__MIME_D_NAME_LONG, offset);
			break;
		}
		f->name[f->name_len++] = s[i];
	}
	f->name[f->name_len] = '\0';
}

/* One value into the name: unquoted, or percent-decoded. */
static void name_value(struct dmarc__mime_fields *f, char *block,
    const struct span *v, bool first)
{
	char *s = block + v->start;
	size_t len = dmarc__rfc5322_unquote(s, s, v->len);

	if (v->ext)
		len = percent_decode(s, len, first);
	name_add(f, s, len, v->start);
}

/* The name from np (sections in order, up to the first missing one, over
 * the plain form); encoded words decoded in a plain one.  Whether any. */
static bool name_take(struct dmarc__mime_fields *f, char *block,
    const struct name_param *np)
{
	unsigned int i;

	if (np->sec[0].present) {
		f->name_len = 0;
		for (i = 0; i < SECTIONS && np->sec[i].present; i++)
			name_value(f, block, &np->sec[i], i == 0);
		return true;
	}
	if (!np->plain.present)
		return false;
	f->name_len = 0;
	name_value(f, block, &np->plain, false);
	f->name_len = dmarc__mime_decode_words(f->name, f->name_len);
	f->name[f->name_len] = '\0';
	f->name_len = strlen(f->name); /* a NUL from a word */
	return true;
}

/* type "/" subtype (RFC 2045 5.1), lower-cased into f->type. */
static bool read_type(struct dmarc__mime_fields *f, struct rfc5322 *lx)
{
	size_t t = cursor_offset(&lx->c), tl, s, sl;

	(void)dmarc__rfc5322_skip_cfws(lx);
	t = cursor_offset(&lx->c);
	tl = rfc5322_token(lx);
	(void)dmarc__rfc5322_skip_cfws(lx);
	if (tl == 0 || !cursor_accept(&lx->c, '/'))
		return false;
	(void)dmarc__rfc5322_skip_cfws(lx);
	s = cursor_offset(&lx->c);
	sl = rfc5322_token(lx);
	if (sl == 0 || tl + sl + 1 > DMARC__MIME_TYPE_MAX)
		return false;
	for (size_t i = 0; i < tl; i++)
		f->type[i] = (char)dmarc__lower(*(const unsigned char *)
		    cursor_at(&lx->c, t + i));
	f->type[tl] = '/';
	for (size_t i = 0; i < sl; i++)
		f->type[tl + 1 + i] = (char)dmarc__lower(
		    *(const unsigned char *)cursor_at(&lx->c, s + i));
	f->type[tl + 1 + sl] = '\0';
	return true;
}

/* Content-Transfer-Encoding (RFC 2045 6.1); unknown: 8bit (6.4). */
static void read_cte(struct dmarc__mime_fields *f, struct rfc5322 *lx,
    size_t base)
{
	static const struct { const char *name; enum dmarc__mime_cte cte; }
	    cte[] = { { "7bit", DMARC__CTE_7BIT }, { "8bit", DMARC__CTE_8BIT },
	    { "binary", DMARC__CTE_BINARY },
	    { "quoted-printable", DMARC__CTE_QP },
	    { "base64", DMARC__CTE_BASE64 } };
	size_t t, tl, i;

	(void)dmarc__rfc5322_skip_cfws(lx);
	t = cursor_offset(&lx->c);
	tl = rfc5322_token(lx);
	for (i = 0; i < sizeof cte / sizeof cte[0]; i++)
		if (name_is(cursor_at(&lx->c, t), tl, cte[i].name)) {
			f->cte = cte[i].cte;
			return;
		}
	f->cte = DMARC__CTE_8BIT;
	add_diag(f, DMARC__MIME_D_CTE_UNKNOWN, base + t);
}

/* One field's value (unfolded in place), by kind. */
static void read_field(struct dmarc__mime_fields *f, char *block,
    enum field_kind kind, size_t vstart, size_t vlen,
    struct name_param *ct_name, struct name_param *cd_name)
{
	struct rfc5322 lx;
	struct span bnd = { 0, 0, false, false };

	vlen = dmarc__rfc5322_unfold(block + vstart, block + vstart, vlen);
	rfc5322_init(&lx, block + vstart, vlen, 0);
	if (kind == F_CTE) {
		read_cte(f, &lx, vstart);
	} else if (kind == F_TYPE) {
		if (!read_type(f, &lx)) {
			f->type[0] = '\0';
			add_diag(f, DMARC__MIME_D_PARAM, vstart);
			return;
		}
		read_params(f, &lx, vstart, ct_name, "name", &bnd);
	} else {
		(void)dmarc__rfc5322_skip_cfws(&lx);
		(void)rfc5322_token(&lx); /* attachment, inline, ... */
		read_params(f, &lx, vstart, cd_name, "filename", NULL);
	}
	if (bnd.present) {
		char *s = block + bnd.start;
		size_t len = dmarc__rfc5322_unquote(s, s, bnd.len);

		if (len > 70)  /* RFC 2046 5.1.1 */
			add_diag(f, DMARC__MIME_D_BOUNDARY_LONG, bnd.start);
		if (len <= DMARC__MIME_BOUNDARY_MAX) {
			memcpy(f->boundary, s, len);
			f->boundary[len] = '\0';
			f->boundary_len = len;
		}
	}
}

static enum field_kind field_kind(const char *name, size_t len)
{
	if (name_is(name, len, "content-type"))
		return F_TYPE;
	if (name_is(name, len, "content-transfer-encoding"))
		return F_CTE;
	if (name_is(name, len, "content-disposition"))
		return F_DISPOSITION;
	return F_OTHER;
}

/* After a line that is not a field: on to the next line. */
static void skip_line(struct rfc5322 *lx)
{
	while (!cursor_eof(&lx->c) && !cursor_accept(&lx->c, '\n'))
		cursor_advance(&lx->c, 1);
}

void dmarc__mime_fields_read(struct dmarc__mime_fields *f, char *block,
    size_t len)
{
	struct name_param ct_name, cd_name;
	struct rfc5322 lx;
	struct rfc5322_field fld;
	bool seen[4] = { false, false, false, false };
	enum rfc5322_field_result r;

	memset(f, 0, sizeof *f);
	memset(&ct_name, 0, sizeof ct_name);
	memset(&cd_name, 0, sizeof cd_name);
	f->cte = DMARC__CTE_7BIT;
	rfc5322_init(&lx, block, len, 0);
	while ((r = dmarc__rfc5322_next_field(&lx, &fld)) !=
	    RFC5322_FIELDS_END) {
		enum field_kind k;

		if (r == RFC5322_FIELD_ERROR) {
			add_diag(f, DMARC__MIME_D_HEADER_LINE,
			    lx.error_offset);
			skip_line(&lx);
			continue;
		}
		f->n_fields++;
		k = field_kind(block + fld.name, fld.name_len);
		if (k == F_OTHER || seen[k])
			continue;
		seen[k] = true;
		read_field(f, block, k, fld.value, fld.value_len, &ct_name,
		    &cd_name);
	}
	/* Content-Disposition filename over Content-Type name */
	if (!name_take(f, block, &cd_name))
		(void)name_take(f, block, &ct_name);
}

/* At s[i] == '=' and s[i+1] == '?': an encoded word (RFC 2047 2)
 * "=?charset?B|Q?text?=", its text decoded into out (RFC 2047 4.1, 4.2;
 * "_" is a space in Q).  The word's length, 0 if it is none. */
static size_t encoded_word(const char *s, size_t len, size_t i,
    unsigned char *out, size_t *out_len)
{
	const char *q1, *q2, *end;
	size_t t, n, o = 0, bad;
	char enc;

	if ((q1 = memchr(s + i + 2, '?', len - i - 2)) == NULL ||
	    (size_t)(q1 - s) + 3 >= len || q1[2] != '?')
		return 0;
	enc = (char)dmarc__lower((unsigned char)q1[1]);
	t = (size_t)(q1 - s) + 3;
	for (q2 = s + t; (end = memchr(q2, '?', len - (size_t)(q2 - s))) !=
	    NULL && (size_t)(end - s) + 1 < len && end[1] != '='; q2 = end + 1)
		;
	if (end == NULL || (size_t)(end - s) + 1 >= len || q1 == s + i + 2 ||
	    (enc != 'b' && enc != 'q'))
		return 0;
	n = (size_t)(end - s) - t;
	if (enc == 'b') {
		struct dmarc__b64dec d = { 0, 0 };
		bool partial;

		o = dmarc__b64dec_run(&d, s + t, n, out, &bad);
		o += dmarc__b64dec_end(&d, out + o, &partial);
	} else {
		for (size_t k = 0; k < n; k++) {
			int h1 = k + 2 < n ?
			    hexval((unsigned char)s[t + k + 1]) : -1;
			int h2 = h1 >= 0 ?
			    hexval((unsigned char)s[t + k + 2]) : -1;

			if (s[t + k] == '=' && h1 >= 0 && h2 >= 0) {
				out[o++] = (unsigned char)(h1 << 4 | h2);
				k += 2;
			} else {
				out[o++] = s[t + k] == '_' ? ' ' :
				    (unsigned char)s[t + k];
			}
		}
	}
	*out_len = o;
	return (size_t)(end - s) + 2 - i;
}

size_t dmarc__mime_decode_words(char *s, size_t len)
{
	unsigned char buf[DMARC__MIME_NAME_MAX];
	size_t i = 0, o = 0, last_word_end = SIZE_MAX;

	if (len > sizeof buf)
		return len;
	while (i < len) {
		size_t n = 0, wl;

		if (s[i] == '=' && i + 1 < len && s[i + 1] == '?')
			wl = encoded_word(s, len, i, buf, &n);
		else
			wl = 0;
		if (wl == 0) {
			s[o++] = s[i++];
			continue;
		}
		/* white space between two words is dropped (RFC 2047 6.2) */
		if (last_word_end != SIZE_MAX) {
			size_t k;

			for (k = last_word_end; k < o && dmarc__is_wsp(
			    (unsigned char)s[k]); k++)
				;
			if (k == o)
				o = last_word_end;
		}
		memcpy(s + o, buf, n); /* n < wl: never past i */
		o += n;
		i += wl;
		last_word_end = o;
	}
	return o;
}
