/*
 * libdmarc - the MIME reader (mime.h): a line scanner that holds the
 * start of each line until it knows whether it is a delimiter (RFC 2046
 * 5.1.1), and the walk over entities it drives.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "../growbuf.h"
#include "mime_int.h"

/* The start of a line held: "--", a boundary, "--", transport padding. */
#define LINE_HOLD (DMARC__MIME_BOUNDARY_MAX + 4u + 64u)
/* Encoded bytes decoded per step, and the room for what they give. */
#define STEP 1024u
#define OUT_ROOM (STEP + DMARC__QP_HOLD + 8u)

enum state { ST_HEADER, ST_LEAF, ST_SKIP };

struct boundary {
	char b[DMARC__MIME_BOUNDARY_MAX];
	size_t len;
	unsigned int depth;  /* of the multipart entity */
	bool digest;         /* multipart/digest: parts default to
	                        message/rfc822 (RFC 2046 5.1.5) */
	bool seen_part;
};

struct dmarc__mime {
	const dmarc_ctx *ctx;
	const struct dmarc__mime_ops *ops;
	void *user;
	struct dmarc__mime_limits lim;
	dmarc_status status;       /* the first failure, then returned */
	bool finished;
	enum dmarc__mime_failure fail;
	uint64_t fail_off;
	uint64_t base, pos;        /* pos: bytes consumed */
	/* the line scanner */
	char lb[LINE_HOLD];
	size_t lb_len;
	bool passthru;             /* the line is known not a delimiter */
	bool cr_held;              /* a CR at a chunk's end, LF to come? */
	bool line_content;         /* the line had content */
	uint64_t line_off;
	/* the walk */
	enum state st;
	unsigned int depth;
	unsigned int n_bnd;
	struct boundary bnd[DMARC__MIME_DEPTH_HARD];
	unsigned int parts, leaves;
	struct growbuf hdr;
	uint64_t hdr_off;
	bool digest_part;          /* the header is a digest's part's */
	bool embedded;             /* the header is a message/rfc822's */
	struct dmarc__mime_fields f;
	/* the leaf */
	enum dmarc__mime_cte cte;
	struct dmarc__b64dec b64;
	struct dmarc__qpdec qp;
	char eol[2];
	size_t eol_len;            /* the line break held (RFC 2046 5.1.1:
	                              the one before a delimiter is its) */
	uint32_t diag_seen;
	uint64_t decoded;
	unsigned char out[OUT_ROOM];
};

void dmarc__mime_default_limits(struct dmarc__mime_limits *l)
{
	l->header_max = DMARC__MIME_HEADER_MAX;
	l->parts_max = DMARC__MIME_PARTS_MAX;
	l->depth_max = DMARC__MIME_DEPTH_MAX;
	l->decoded_max = DMARC__MIME_DECODED_MAX;
}

void dmarc__mime_reset(struct dmarc__mime *m, uint64_t base)
{
	m->status = DMARC_OK;
	m->finished = false;
	m->fail = DMARC__MIME_F_NONE;
	m->fail_off = 0;
	m->base = base;
	m->pos = 0;
	m->lb_len = 0;
	m->passthru = m->cr_held = m->line_content = false;
	m->embedded = false;
	m->line_off = 0;
	m->st = ST_HEADER;
	m->depth = 0;
	m->n_bnd = 0;
	m->parts = m->leaves = 0;
	dmarc__growbuf_clear(&m->hdr);
	m->hdr_off = 0;
	m->digest_part = false;
	m->eol_len = 0;
	m->decoded = 0;
}

dmarc_status dmarc__mime_new(struct dmarc__mime **out, const dmarc_ctx *ctx,
    const struct dmarc__mime_limits *limits,
    const struct dmarc__mime_ops *ops, void *user)
{
	struct dmarc__mime *m;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (ctx == NULL || ops == NULL || ops->begin == NULL ||
	    ops->data == NULL || ops->end == NULL || ops->diag == NULL)
		return DMARC_EINVAL;
	if (limits != NULL && (limits->depth_max > DMARC__MIME_DEPTH_HARD ||
	    limits->header_max == 0))
		return DMARC_ERANGE;
	m = dmarc__alloc(ctx, sizeof *m);
	if (m == NULL)
		return DMARC_ENOMEM;
	memset(m, 0, offsetof(struct dmarc__mime, out));
	m->ctx = ctx;
	m->ops = ops;
	m->user = user;
	if (limits != NULL)
		m->lim = *limits;
	else
		dmarc__mime_default_limits(&m->lim);
	dmarc__growbuf_init(&m->hdr, ctx, m->lim.header_max);
	dmarc__mime_reset(m, 0);
	*out = m;
	return DMARC_OK;
}

void dmarc__mime_free(struct dmarc__mime *m)
{
	if (m == NULL)
		return;
	dmarc__growbuf_dispose(&m->hdr);
	dmarc__free(m->ctx, m);
}

enum dmarc__mime_failure dmarc__mime_failure(const struct dmarc__mime *m,
    uint64_t *offset)
{
	if (offset != NULL)
		*offset = m->fail != DMARC__MIME_F_NONE ?
		    m->base + m->fail_off : 0;
	return m->fail;
}

/* The parser stops: class at offset. */
static void fail(struct dmarc__mime *m, enum dmarc__mime_failure cls,
    uint64_t off)
{
	if (m->status != DMARC_OK)
		return;
	m->fail = cls;
	m->fail_off = off;
	m->status = DMARC_EMESSAGE;
}

static void diag(struct dmarc__mime *m, enum dmarc__mime_diag code,
    uint64_t off)
{
	m->ops->diag(m->user, code, m->base + off);
}

/* A leaf's quirk: once per part. */
static void leaf_diag(struct dmarc__mime *m, enum dmarc__mime_diag code,
    uint64_t off)
{
	if ((m->diag_seen & (1u << code)) == 0) {
		m->diag_seen |= 1u << code;
		diag(m, code, off);
	}
}

/* Decoded bytes to the output, counted against the limit. */
static void emit(struct dmarc__mime *m, const void *p, size_t n, uint64_t off)
{
	if (n == 0 || m->status != DMARC_OK)
		return;
	(void)off;
	if (n > m->lim.decoded_max - m->decoded) {
		/* what fits, then the failure at the line's start: the same
		 * in every chunking */
		size_t fits = (size_t)(m->lim.decoded_max - m->decoded);

		m->decoded += fits;
		if (fits > 0)
			m->status = m->ops->data(m->user, p, fits);
		fail(m, DMARC__MIME_F_LIMIT, m->line_off);
		return;
	}
	m->decoded += n;
	m->status = m->ops->data(m->user, p, n);
}

static size_t decode_run(struct dmarc__mime *m, const char *p, size_t k,
    size_t *bad)
{
	if (m->cte == DMARC__CTE_BASE64)
		return dmarc__b64dec_run(&m->b64, p, k, m->out, bad);
	return dmarc__qpdec_run(&m->qp, p, k, m->out, bad);
}

/* Decodes and emits up to k encoded bytes; returns the bytes taken.  At
 * a part's first bad byte only the bytes before it are taken, so that
 * their output goes ahead of the diagnostic: which decoded byte the
 * diagnostic follows must not depend on how the input was cut. */
static size_t decode_step(struct dmarc__mime *m, const char *p, size_t k,
    uint64_t off)
{
	enum dmarc__mime_diag code = m->cte == DMARC__CTE_BASE64 ?
	    DMARC__MIME_D_BASE64_CHAR : DMARC__MIME_D_QP_ESCAPE;
	struct dmarc__b64dec b64 = m->b64;
	struct dmarc__qpdec qp = m->qp;
	size_t o, bad;

	o = decode_run(m, p, k, &bad);
	if (bad != SIZE_MAX && bad > 0 &&
	    (m->diag_seen & (1u << code)) == 0) {
		m->b64 = b64;
		m->qp = qp;
		k = bad;
		o = decode_run(m, p, k, &bad);
		bad = SIZE_MAX;
	}
	if (bad != SIZE_MAX)
		leaf_diag(m, code, off + bad);
	emit(m, m->out, o, off);
	return k;
}

/* Encoded bytes of a leaf (line content, or a line break). */
static void leaf_bytes(struct dmarc__mime *m, const char *p, size_t n,
    uint64_t off)
{
	if (m->cte != DMARC__CTE_BASE64 && m->cte != DMARC__CTE_QP) {
		emit(m, p, n, off);
		return;
	}
	while (n > 0 && m->status == DMARC_OK) {
		size_t k = n < STEP ? n : STEP;

		/* near the decoded limit, a byte at a time: the limit is met
		 * at the same byte, after the same diagnostics, in every
		 * chunking */
		if (m->lim.decoded_max - m->decoded < OUT_ROOM)
			k = 1;
		k = decode_step(m, p, k, off);
		p += k;
		n -= k;
		off += k;
	}
}

/* The line break held goes to the body: it was no delimiter's. */
static void leaf_eol(struct dmarc__mime *m)
{
	size_t n = m->eol_len, o;
	bool bad;

	m->eol_len = 0;
	if (n == 0)
		return;
	if (m->cte == DMARC__CTE_QP) {
		o = dmarc__qpdec_eol(&m->qp, m->eol, n, m->out, &bad);
		if (bad)
			leaf_diag(m, DMARC__MIME_D_QP_ESCAPE, m->line_off);
		emit(m, m->out, o, m->line_off);
	} else if (m->cte != DMARC__CTE_BASE64) {
		emit(m, m->eol, n, m->line_off);
	}
}

static void leaf_begin(struct dmarc__mime *m, const char *type)
{
	struct dmarc__mime_part p;

	p.type = type;
	p.name = m->f.name;
	p.name_len = m->f.name_len;
	p.cte = m->cte = m->f.cte;
	p.depth = m->depth;
	p.index = m->leaves++;
	p.offset = m->base + m->hdr_off;
	memset(&m->b64, 0, sizeof m->b64);
	memset(&m->qp, 0, sizeof m->qp);
	m->eol_len = 0;
	m->diag_seen = 0;
	m->st = ST_LEAF;
	m->status = m->ops->begin(m->user, &p);
}

/* The end of a leaf: what the decoders hold, then end. */
static void leaf_end(struct dmarc__mime *m, uint64_t off)
{
	size_t o = 0;
	bool bad = false;

	m->st = ST_SKIP;
	if (m->cte == DMARC__CTE_BASE64)
		o = dmarc__b64dec_end(&m->b64, m->out, &bad);
	else if (m->cte == DMARC__CTE_QP)
		o = dmarc__qpdec_eol(&m->qp, NULL, 0, m->out, &bad);
	if (bad)
		leaf_diag(m, m->cte == DMARC__CTE_QP ? DMARC__MIME_D_QP_ESCAPE :
		    DMARC__MIME_D_BASE64_END, off);
	emit(m, m->out, o, off);
	if (m->status == DMARC_OK)
		m->status = m->ops->end(m->user);
}

/* A new header section begins at the current position. */
static void header_begin(struct dmarc__mime *m, unsigned int depth,
    bool digest)
{
	if (depth > m->lim.depth_max) {
		fail(m, DMARC__MIME_F_LIMIT, m->pos);
		return;
	}
	m->depth = depth;
	m->st = ST_HEADER;
	m->digest_part = digest;
	m->hdr_off = m->pos;
	dmarc__growbuf_clear(&m->hdr);
}

static bool is_message(const char *type)
{
	return strcmp(type, "message/rfc822") == 0 ||
	    strcmp(type, "message/global") == 0;
}

/* The empty line after a header section: what the entity is. */
static void header_done(struct dmarc__mime *m)
{
	struct dmarc__mime_fields *f = &m->f;
	const char *type;
	unsigned int i;

	dmarc__mime_fields_read(f, m->hdr.data, growbuf_len(&m->hdr));
	if (m->embedded && m->ops->headers != NULL)
		m->ops->headers(m->user, growbuf_data(&m->hdr),
		    growbuf_len(&m->hdr));
	m->embedded = false;
	for (i = 0; i < f->n_diag; i++)
		diag(m, f->diag[i].code, m->hdr_off + f->diag[i].offset);
	if (m->depth == 0 && f->n_fields == 0 && growbuf_len(&m->hdr) > 0) {
		fail(m, DMARC__MIME_F_CORRUPT, m->hdr_off);
		return;
	}
	type = f->type[0] != '\0' ? f->type : m->digest_part ?
	    "message/rfc822" : "text/plain";
	if (strncmp(type, "multipart/", 10) == 0 && f->boundary_len != 0) {
		struct boundary *b;

		if (m->n_bnd == DMARC__MIME_DEPTH_HARD ||
		    m->depth + 1 > m->lim.depth_max) {
			fail(m, DMARC__MIME_F_LIMIT, m->hdr_off);
			return;
		}
		b = &m->bnd[m->n_bnd++];
		memcpy(b->b, f->boundary, f->boundary_len);
		b->len = f->boundary_len;
		b->depth = m->depth;
		b->digest = strcmp(type, "multipart/digest") == 0;
		b->seen_part = false;
		m->st = ST_SKIP; /* the preamble */
		return;
	}
	if (strncmp(type, "multipart/", 10) == 0)
		diag(m, DMARC__MIME_D_NO_BOUNDARY, m->hdr_off);
	if (is_message(type) && f->cte != DMARC__CTE_BASE64 &&
	    f->cte != DMARC__CTE_QP) {
		header_begin(m, m->depth + 1, false);
		m->embedded = true;
		return;
	}
	leaf_begin(m, type);
}

/* The first byte over the header limit. */
static uint64_t hdr_over(const struct dmarc__mime *m)
{
	return m->hdr_off + m->lim.header_max;
}

/* Bytes of the header block being read, within its limit. */
static void header_bytes(struct dmarc__mime *m, const char *p, size_t n)
{
	dmarc_status st = dmarc__growbuf_append(&m->hdr, p, n);

	if (st == DMARC_EBUFFER)
		fail(m, DMARC__MIME_F_LIMIT, hdr_over(m));
	else
		m->status = st;
}

/* Line content: n > 0 bytes at input offset off. */
static void on_content(struct dmarc__mime *m, const char *p, size_t n,
    uint64_t off)
{
	m->line_content = true;
	if (m->st == ST_HEADER) {
		header_bytes(m, p, n);
	} else if (m->st == ST_LEAF) {
		leaf_eol(m);
		leaf_bytes(m, p, n, off);
	}
}

/* The end of a line that was no delimiter. */
static void on_line_end(struct dmarc__mime *m, const char *eol, size_t n)
{
	if (m->st == ST_HEADER) {
		if (!m->line_content) {
			header_done(m);
			return;
		}
		header_bytes(m, eol, n);
	} else if (m->st == ST_LEAF) {
		leaf_eol(m);
		memcpy(m->eol, eol, n);
		m->eol_len = n;
	}
}

/* A delimiter of the multipart k (RFC 2046 5.1.1), close or not. */
static void on_delimiter(struct dmarc__mime *m, unsigned int k, bool close)
{
	struct boundary *b = &m->bnd[k];

	m->eol_len = 0;
	if (m->st == ST_LEAF)
		leaf_end(m, m->line_off);
	else if (m->st == ST_HEADER)
		diag(m, DMARC__MIME_D_HEADER_OPEN, m->line_off);
	while (m->n_bnd > k + 1) {
		m->n_bnd--;
		diag(m, DMARC__MIME_D_NO_CLOSE, m->line_off);
	}
	if (m->status != DMARC_OK)
		return;
	if (close) {
		m->n_bnd = k;
		m->depth = b->depth;
		m->st = ST_SKIP; /* the epilogue */
		return;
	}
	if (++m->parts > m->lim.parts_max) {
		fail(m, DMARC__MIME_F_LIMIT, m->line_off);
		return;
	}
	b->seen_part = true;
	header_begin(m, b->depth + 1, b->digest);
}

/* Whether the line (n bytes, no line break) is a delimiter; which. */
static bool is_delimiter(const struct dmarc__mime *m, const char *p,
    size_t n, unsigned int *k, bool *close)
{
	unsigned int i;

	if (n < 2 || p[0] != '-' || p[1] != '-')
		return false;
	for (i = m->n_bnd; i-- > 0;) {
		const struct boundary *b = &m->bnd[i];
		size_t j = 2 + b->len;

		if (n < j || memcmp(p + 2, b->b, b->len) != 0)
			continue;
		*close = n >= j + 2 && p[j] == '-' && p[j + 1] == '-';
		if (*close)
			j += 2;
		while (j < n && (p[j] == ' ' || p[j] == '\t'))
			j++; /* transport padding */
		if (j == n) {
			*k = i;
			return true;
		}
	}
	return false;
}

static void line_start(struct dmarc__mime *m)
{
	m->lb_len = 0;
	m->passthru = m->cr_held = m->line_content = false;
	m->line_off = m->pos;
}

/* Content of a line known to be no delimiter; with hold, a CR at the
 * end is kept until the next byte tells whether it starts a CRLF. */
static void pass(struct dmarc__mime *m, const char *p, size_t n,
    uint64_t off, bool hold)
{
	if (m->cr_held) {
		m->cr_held = false;
		on_content(m, "\r", 1, off - 1);
	}
	if (hold && n > 0 && p[n - 1] == '\r') {
		m->cr_held = true;
		n--;
	}
	if (n > 0 && m->status == DMARC_OK)
		on_content(m, p, n, off);
}

/* A line held whole is complete: its LF was read, or the input ended. */
static void line_done(struct dmarc__mime *m, bool eof)
{
	size_t n = m->lb_len, el = eof ? 0 : 1;
	unsigned int k;
	bool close;

	if (!eof && n > 0 && m->lb[n - 1] == '\r') {
		n--;
		el = 2;
	}
	if (is_delimiter(m, m->lb, n, &k, &close)) {
		on_delimiter(m, k, close);
		return;
	}
	if (n > 0)
		on_content(m, m->lb, n, m->line_off);
	if (el != 0 && m->status == DMARC_OK)
		on_line_end(m, el == 2 ? "\r\n" : "\n", el);
}

/* Whether the line held may still be a delimiter. */
static bool may_be_delimiter(const struct dmarc__mime *m)
{
	return m->n_bnd > 0 && m->lb_len < LINE_HOLD && m->lb[0] == '-' &&
	    (m->lb_len == 1 || m->lb[1] == '-');
}

/* The rest of a line known to be no delimiter, up to its LF if any;
 * returns the bytes consumed. */
static size_t pass_line(struct dmarc__mime *m, const char *data, size_t len)
{
	const char *nl = memchr(data, '\n', len);
	size_t n = nl != NULL ? (size_t)(nl - data) : len, el = 1;
	uint64_t off = m->pos;

	if (nl == NULL) {
		m->pos += n;
		pass(m, data, n, off, true);
		return n;
	}
	m->pos += n + 1;
	if (n == 0 && m->cr_held) {
		m->cr_held = false;
		el = 2;
	} else if (n > 0 && data[n - 1] == '\r') {
		pass(m, data, n - 1, off, false);
		el = 2;
	} else {
		pass(m, data, n, off, false);
	}
	if (m->status == DMARC_OK)
		on_line_end(m, el == 2 ? "\r\n" : "\n", el);
	line_start(m);
	return n + 1;
}

static dmarc_status check(const struct dmarc__mime *m)
{
	if (m->status != DMARC_OK)
		return m->status;
	return m->finished ? DMARC_ESTATE : DMARC_OK;
}

dmarc_status dmarc__mime_push(struct dmarc__mime *m, const char *data,
    size_t len)
{
	dmarc_status st;

	if (m == NULL || (data == NULL && len != 0))
		return DMARC_EINVAL;
	if ((st = check(m)) != DMARC_OK)
		return st;
	while (len > 0 && m->status == DMARC_OK) {
		size_t used;
		char c;

		if (m->passthru) {
			used = pass_line(m, data, len);
			data += used;
			len -= used;
			continue;
		}
		c = *data++;
		len--;
		m->pos++;
		if (c == '\n') {
			line_done(m, false);
			line_start(m);
			continue;
		}
		m->lb[m->lb_len++] = c;
		if ((c != '\r' && !may_be_delimiter(m)) ||
		    m->lb_len == LINE_HOLD) {
			m->passthru = true;
			pass(m, m->lb, m->lb_len, m->line_off, true);
		}
	}
	return m->status;
}

dmarc_status dmarc__mime_finish(struct dmarc__mime *m)
{
	dmarc_status st;

	if (m == NULL)
		return DMARC_EINVAL;
	if ((st = check(m)) != DMARC_OK)
		return st;
	if (!m->passthru && m->lb_len > 0)
		line_done(m, true);
	else
		pass(m, "", 0, m->pos, false); /* a CR held */
	if (m->status == DMARC_OK && m->st == ST_LEAF) {
		leaf_eol(m); /* no delimiter follows */
		leaf_end(m, m->pos);
	} else if (m->st == ST_HEADER) {
		fail(m, DMARC__MIME_F_TRUNCATED, m->pos);
	}
	if (m->status == DMARC_OK && m->n_bnd > 0) {
		diag(m, DMARC__MIME_D_NO_CLOSE, m->pos);
		if (!m->bnd[m->n_bnd - 1].seen_part)
			fail(m, DMARC__MIME_F_TRUNCATED, m->pos);
	}
	m->finished = true;
	return m->status;
}
