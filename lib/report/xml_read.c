/*
 * libdmarc - the XML stage of the report reader: expat, run on the
 * context's allocator with DTDs refused and no entity ever expanded,
 * reads an aggregate report (RFC 9990 section 3, RFC 7489 appendix C,
 * and what real generators send) into the reader's fields, and stops
 * after each record so rows come out one at a time.
 *
 * Tolerance (RFC 9990 3.1.1 lets a reader use what it can): any of the
 * known namespaces or none, the version element never deciding the
 * format, unknown elements skipped, any order, several values where one
 * is expected (the first kept), keywords in any case or padding, and
 * the repairs of xml_repair.h; each with a diagnostic, and in strict
 * mode each fails the report.  What would make a wrong total never
 * passes: a count, begin or end that is no 64-bit number, a sum of
 * counts past 2^64.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <expat.h>

#include "../keyword_int.h"
#include "reader_int.h"
#include "report_schema.h"
#include "xml_repair.h"

#define STACK_HARD 256u
#define NS_SEP '\x01'

enum ns_kind { NS_NONE, NS_7489, NS_DRAFT, NS_BIS, NS_OTHER };

#define EL_OUTSIDE 254  /* an element around feedback, or after it */

struct frame {
	uint8_t el;
	uint8_t last_order;
	bool text_warned;
	uint32_t seen;        /* children present, bit per order */
	uint16_t group[4];    /* counts of a group's fields at its start */
	uint64_t at;          /* byte index of its start tag */
};

struct xml_read {
	struct dmarc_reader *rd;
	XML_Parser p;
	XML_Memory_Handling_Suite mem;
	struct xml_repair repair;
	unsigned int format;  /* RF_7489 or RF_9990 */
	enum ns_kind ns;      /* feedback's */
	bool in_feedback, announced, complete, dead, seen_feedback;
	dmarc_reader_failure fail_cls;
	enum xml_outcome pending;
	unsigned int depth;
	struct frame stack[STACK_HARD];
	struct growbuf text;
	bool collecting;
	bool pinned;          /* where() says pin: the place of stray text */
	uint64_t pin;
	uint64_t elements, records, messages;
	size_t max_depth, max_elements, max_records;
};

/* ---- failing and warning ---- */

static uint64_t where(const struct xml_read *x)
{
	XML_Index i;

	if (x->pinned)
		return x->pin;
	i = XML_GetCurrentByteIndex(x->p);

	return i < 0 ? 0 : (uint64_t)i;
}

/* The failure's text; an allocation failure makes it one of class
 * limit with DMARC_ENOMEM. */
static void fail_text(struct xml_read *x, const char *text, size_t len)
{
	if (dmarc__rfields_set(&x->rd->fail, DMARC_FIELD_FAILURE_TEXT, text,
	    len) != DMARC_OK) {
		x->rd->status = DMARC_ENOMEM;
		x->fail_cls = DMARC_READER_FAILURE_LIMIT;
	}
}

static void fail(struct xml_read *x, dmarc_reader_failure cls,
    const char *what, const char *tag)
{
	char text[200];

	if (x->fail_cls != DMARC_READER_FAILURE_NONE)
		return;
	x->fail_cls = cls;
	(void)snprintf(text, sizeof text, "%s%s%s at byte %llu of the XML",
	    what, tag != NULL ? " in " : "", tag != NULL ? tag : "",
	    (unsigned long long)where(x));
	fail_text(x, text, strlen(text));
	dmarc__reader_diag(x->rd, RD_FAILED, DMARC_SEVERITY_ERROR, where(x),
	    tag);
	(void)XML_StopParser(x->p, XML_FALSE);
}

/* A quirk the schema allows: said, never failed. */
static void note(struct xml_read *x, unsigned int code, const char *tag)
{
	dmarc__reader_diag(x->rd, code, DMARC_SEVERITY_WARNING, where(x), tag);
}

/* A departure from the schema: said, and in strict mode the end. */
static void warn(struct xml_read *x, unsigned int code, const char *tag)
{
	note(x, code, tag);
	if (x->rd->strict)
		fail(x, DMARC_READER_FAILURE_INVALID_VALUE,
		    "not schema-valid (strict mode)", tag);
}

static const char *el_name(unsigned int id)
{
	const struct report_el_def *d = dmarc__report_el(id);

	return d != NULL ? d->name : "feedback";
}

/* ---- namespaces ---- */

static enum ns_kind ns_of(const char *uri, size_t len)
{
	static const struct {
		const char *uri;
		enum ns_kind kind;
	} known[] = {
		{ "http://dmarc.org/dmarc-xml/0.1", NS_7489 },
		{ "http://dmarc.org/dmarc-xml/0.2", NS_DRAFT },
		{ "urn:ietf:params:xml:ns:dmarc-2.0", NS_BIS },
	};
	size_t i;

	if (len == 0)
		return NS_NONE;
	for (i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strlen(known[i].uri) == len &&
		    memcmp(known[i].uri, uri, len) == 0)
			return known[i].kind;
	return NS_OTHER;
}

/* Splits expat's "uri\1local" (or "local"). */
static enum ns_kind split_name(const char *name, const char **local,
    size_t *len)
{
	const char *sep = strchr(name, NS_SEP);

	if (sep == NULL) {
		*local = name;
		*len = strlen(name);
		return NS_NONE;
	}
	*local = sep + 1;
	*len = strlen(sep + 1);
	return ns_of(name, (size_t)(sep - name));
}

static const char *format_name(enum ns_kind ns)
{
	switch (ns) {
	case NS_BIS:
		return "dmarc-2.0";
	case NS_7489:
		return "7489-0.1";
	case NS_DRAFT:
		return "draft-0.2";
	default:
		return "none";
	}
}

/* ---- values ---- */

/* Whether n bytes of s equal lower (lower case), ASCII case ignored. */
static bool case_equal(const char *s, const char *lower, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c | 0x20);
		if (c != (unsigned char)lower[i])
			return false;
	}
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

static void put(struct xml_read *x, unsigned int field, const char *s,
    size_t n, unsigned int el)
{
	struct rfields *f = el >= EL_RECORD ? &x->rd->row : &x->rd->report;
	dmarc_status st = dmarc__rfields_add(f, field, s, n);

	if (st == DMARC_ENOMEM) {
		x->rd->status = DMARC_ENOMEM;
		fail(x, DMARC_READER_FAILURE_LIMIT, "out of memory", NULL);
	} else if (st != DMARC_OK)
		fail(x, DMARC_READER_FAILURE_LIMIT, "too many values",
		    el_name(el));
}

struct kw_rule {
	enum dmarc__kw_set set;
	unsigned int allowed7489, allowed9990; /* bits by value */
};

#define BIT(v) (1u << (v))

static bool kw_rule(unsigned int value, struct kw_rule *r)
{
	switch (value) {
	case RV_POLICY:
		*r = (struct kw_rule){ DMARC__KW_POLICY, 0xEu, 0xEu };
		return true;
	case RV_DISPOSITION:
		*r = (struct kw_rule){ DMARC__KW_DISPOSITION,
		    BIT(DMARC_DISPOSITION_NONE) | BIT(DMARC_DISPOSITION_QUARANTINE) |
		    BIT(DMARC_DISPOSITION_REJECT), ~0u };
		return true;
	case RV_PASS_FAIL:
		*r = (struct kw_rule){ DMARC__KW_VERDICT,
		    BIT(DMARC_VERDICT_PASS) | BIT(DMARC_VERDICT_FAIL),
		    BIT(DMARC_VERDICT_PASS) | BIT(DMARC_VERDICT_FAIL) };
		return true;
	case RV_REASON:
		*r = (struct kw_rule){ DMARC__KW_REASON,
		    BIT(DMARC_REASON_FORWARDED) | BIT(DMARC_REASON_SAMPLED_OUT) |
		    BIT(DMARC_REASON_TRUSTED_FORWARDER) |
		    BIT(DMARC_REASON_MAILING_LIST) |
		    BIT(DMARC_REASON_LOCAL_POLICY) | BIT(DMARC_REASON_OTHER),
		    BIT(DMARC_REASON_LOCAL_POLICY) |
		    BIT(DMARC_REASON_MAILING_LIST) | BIT(DMARC_REASON_OTHER) |
		    BIT(DMARC_REASON_POLICY_TEST_MODE) |
		    BIT(DMARC_REASON_TRUSTED_FORWARDER) };
		return true;
	case RV_DKIM_RESULT:
		*r = (struct kw_rule){ DMARC__KW_VERDICT,
		    ~BIT(DMARC_VERDICT_SOFTFAIL), ~BIT(DMARC_VERDICT_SOFTFAIL) };
		return true;
	case RV_SPF_RESULT:
		*r = (struct kw_rule){ DMARC__KW_VERDICT,
		    ~BIT(DMARC_VERDICT_POLICY), ~0u };
		return true;
	case RV_SCOPE:
		*r = (struct kw_rule){ DMARC__KW_SPF_SCOPE, ~0u,
		    BIT(DMARC_SPF_MAILFROM) };
		return true;
	case RV_ALIGNMENT:
		*r = (struct kw_rule){ DMARC__KW_ALIGNMENT, ~0u, ~0u };
		return true;
	case RV_TESTING:
		*r = (struct kw_rule){ DMARC__KW_TESTING, ~0u, ~0u };
		return true;
	case RV_METHOD:
		*r = (struct kw_rule){ DMARC__KW_METHOD, ~0u, ~0u };
		return true;
	default:
		return false;
	}
}

/* Aliases real generators write for a result. */
static const char *result_alias(unsigned int value, const char *s, size_t n)
{
	if (value != RV_SPF_RESULT && value != RV_DKIM_RESULT)
		return NULL;
	if (n == 8 && case_equal(s, "hardfail", 8))
		return "fail";
	if (n == 7 && case_equal(s, "unknown", 7))
		return "temperror";
	return NULL;
}

static void put_keyword(struct xml_read *x, const struct report_el_def *d,
    const char *raw, size_t raw_len)
{
	const char *s = raw, *name = NULL;
	size_t n = raw_len;
	struct kw_rule r = { DMARC__KW_VERDICT, 0, 0 };
	int v;

	trim(&s, &n);
	(void)kw_rule(d->value, &r);
	if (n == 0 && d->value == RV_REASON) {
		name = dmarc__keyword_name(DMARC__KW_REASON, DMARC_REASON_OTHER);
		warn(x, RD_KEYWORD, d->name);
	} else if ((name = result_alias(d->value, s, n)) != NULL) {
		warn(x, RD_KEYWORD, d->name);
	} else if (dmarc__keyword_find(r.set, s, n, &v) && v >= 0 && v < 32 &&
	    ((x->format == RF_9990 ? r.allowed9990 : r.allowed7489) &
	    BIT(v))) {
		name = dmarc__keyword_name(r.set, v);
		if (strlen(name) != raw_len || memcmp(name, raw, raw_len) != 0)
			warn(x, RD_KEYWORD, d->name);
	} else {
		warn(x, RD_VALUE, d->name);
		put(x, d->field, s, n, d->id);
		return;
	}
	put(x, d->field, name, strlen(name), d->id);
}

static void put_value(struct xml_read *x, const struct report_el_def *d)
{
	const char *s = growbuf_data(&x->text);
	size_t n = growbuf_len(&x->text);
	uint64_t v;

	if (d->value != RV_TEXT && d->value != RV_NUMBER &&
	    d->value != RV_PCT) {
		put_keyword(x, d, s, n);
		return;
	}
	trim(&s, &n);
	if (d->value == RV_NUMBER) {
		if (!dmarc__rfields_read_number(s, n, &v)) {
			fail(x, DMARC_READER_FAILURE_INVALID_VALUE,
			    "not a non-negative 64-bit number", d->name);
			return;
		}
	} else if (d->value == RV_PCT) {
		if (!dmarc__rfields_read_number(s, n, &v) || v > 100) {
			warn(x, RD_VALUE, d->name);
			return;
		}
	} else if (n == 0 && (d->id == EL_D_DOMAIN || d->id == EL_D_SELECTOR ||
	    d->id == EL_S_DOMAIN || d->id == EL_P_DOMAIN ||
	    d->id == EL_HEADER_FROM))
		note(x, RD_VALUE, d->name);
	put(x, d->field, s, n, d->id);
}

/* ---- elements ---- */

static struct frame *top(struct xml_read *x)
{
	return &x->stack[x->depth - 1];
}

static void push(struct xml_read *x, unsigned int el)
{
	struct frame *f;

	if (x->depth >= x->max_depth) {
		fail(x, DMARC_READER_FAILURE_LIMIT, "elements nested too deep",
		    NULL);
		return;
	}
	f = &x->stack[x->depth++];
	memset(f, 0, sizeof *f);
	f->el = (uint8_t)el;
	f->at = where(x);
}

/* The reader fields of a group's children (reason, dkim, spf). */
static size_t group_fields(unsigned int el, unsigned int fields[4])
{
	const uint8_t *ids;
	size_t i, n = dmarc__report_el_children(el, &ids);

	for (i = 0; i < n && i < 4; i++)
		fields[i] = dmarc__report_el(ids[i])->field;
	return i;
}

static void group_begin(struct xml_read *x, struct frame *f)
{
	unsigned int fields[4];
	size_t i, n = group_fields(f->el, fields);

	for (i = 0; i < n; i++)
		f->group[i] = (uint16_t)dmarc__rfields_count(&x->rd->row,
		    fields[i]);
}

/* Every child field gets one value per group element: absent when the
 * element lacked it, the first when it had several. */
static void group_end(struct xml_read *x, const struct frame *f)
{
	unsigned int fields[4];
	size_t i, n = group_fields(f->el, fields);

	for (i = 0; i < n; i++)
		if (dmarc__rfields_count(&x->rd->row, fields[i]) == f->group[i])
			put(x, fields[i], NULL, 0, EL_RECORD);
}

static void required_child(struct xml_read *x, const struct frame *f,
    const struct report_el_def *d)
{
	if ((d->required & x->format) && !(f->seen & (1u << d->order)))
		warn(x, RD_MISSING, d->name);
}

static void check_required(struct xml_read *x, const struct frame *f)
{
	const uint8_t *ids;
	size_t i, n = dmarc__report_el_children(f->el, &ids);

	if (x->ns == NS_DRAFT) /* its schema was never settled */
		return;
	if (f->el == EL_POLICY) { /* more children than the table row */
		for (i = EL_P_DOMAIN; i <= EL_TESTING; i++)
			required_child(x, f, dmarc__report_el((unsigned)i));
		return;
	}
	for (i = 0; i < n; i++)
		required_child(x, f, dmarc__report_el(ids[i]));
}

static void announce(struct xml_read *x)
{
	x->announced = true;
	x->pending = XO_REPORT;
	(void)XML_StopParser(x->p, XML_TRUE);
}

static void record_begin(struct xml_read *x)
{
	dmarc__rfields_clear(&x->rd->row);
	if (!x->announced)
		announce(x);
}

static void record_end(struct xml_read *x)
{
	uint64_t count;
	const char *c = dmarc__rfields_get(&x->rd->row, DMARC_FIELD_COUNT, 0,
	    NULL);

	if (c == NULL ||
	    !dmarc__rfields_read_number(c, strlen(c), &count)) {
		fail(x, DMARC_READER_FAILURE_INVALID_VALUE,
		    "a record without count", "record");
		return;
	}
	if (count > UINT64_MAX - x->messages) {
		fail(x, DMARC_READER_FAILURE_INVALID_VALUE,
		    "the sum of counts passes 2^64", "record");
		return;
	}
	if (x->records >= x->max_records) {
		fail(x, DMARC_READER_FAILURE_LIMIT, "too many records",
		    "record");
		return;
	}
	if (count == 0)
		note(x, RD_COUNT_ZERO, "count");
	x->messages += count;
	x->records++;
	if (x->fail_cls == DMARC_READER_FAILURE_NONE) {
		x->pending = XO_ROW;
		(void)XML_StopParser(x->p, XML_TRUE);
	}
}

static void feedback_begin(struct xml_read *x, enum ns_kind ns)
{
	const char *fmt = format_name(ns);

	x->ns = ns;
	x->format = ns == NS_BIS ? RF_9990 : RF_7489;
	x->in_feedback = true;
	x->seen_feedback = true;
	if (ns == NS_OTHER)
		warn(x, RD_NAMESPACE, "feedback");
	if (x->depth > 0)
		warn(x, RD_WRAPPER, "feedback");
	if (dmarc__rfields_set(&x->rd->report, DMARC_FIELD_FORMAT, fmt,
	    strlen(fmt)) != DMARC_OK) {
		x->rd->status = DMARC_ENOMEM;
		fail(x, DMARC_READER_FAILURE_LIMIT, "out of memory", NULL);
	}
	push(x, EL_FEEDBACK);
}

static void check_range(struct xml_read *x)
{
	const char *b = dmarc__rfields_get(&x->rd->report, DMARC_FIELD_BEGIN, 0,
	    NULL);
	const char *e = dmarc__rfields_get(&x->rd->report, DMARC_FIELD_END, 0,
	    NULL);
	uint64_t begin, end;

	if (b != NULL && e != NULL &&
	    dmarc__rfields_read_number(b, strlen(b), &begin) &&
	    dmarc__rfields_read_number(e, strlen(e), &end) &&
	    (end <= begin || end - begin > 86400))
		note(x, RD_RANGE, "date_range");
}

static void feedback_end(struct xml_read *x, const struct frame *f)
{
	check_required(x, f);
	check_range(x);
	x->in_feedback = false;
	x->complete = x->fail_cls == DMARC_READER_FAILURE_NONE;
	if (x->complete && !x->announced)
		announce(x);
}

/* A known element's start inside feedback, or NULL when it is to be
 * skipped with its content. */
static const struct report_el_def *known_child(struct xml_read *x,
    enum ns_kind ns, const char *local, size_t len)
{
	struct frame *f = top(x);
	const struct report_el_def *d;
	unsigned int bit;

	if (f->el == EL_UNKNOWN || f->el == EL_EXTENSION)
		return NULL;
	if (ns != x->ns) {
		if (x->format == RF_9990 && ns == NS_OTHER)
			return NULL; /* an extension (RFC 9990 3.1.1) */
		if (!(x->ns == NS_7489 && ns == NS_NONE))
			warn(x, RD_NAMESPACE, el_name(f->el));
	}
	d = dmarc__report_el_find(f->el, local, len);
	if (d == NULL || !(d->in & x->format)) {
		warn(x, RD_UNKNOWN_ELEMENT, el_name(f->el));
		return NULL;
	}
	if (dmarc__report_el_sequence(f->el, x->format) &&
	    d->order < f->last_order)
		warn(x, RD_ORDER, d->name);
	if (d->order > f->last_order)
		f->last_order = d->order;
	bit = 1u << d->order;
	if ((d->once || (d->id == EL_A_SPF && x->format == RF_9990)) &&
	    (f->seen & bit)) {
		warn(x, RD_REPEATED, d->name);
		return NULL;
	}
	f->seen |= bit;
	return d;
}

static void XMLCALL on_start(void *user, const XML_Char *name,
    const XML_Char **atts)
{
	struct xml_read *x = user;
	const struct report_el_def *d;
	const char *local;
	size_t len;
	enum ns_kind ns = split_name(name, &local, &len);

	(void)atts;
	if (x->fail_cls != DMARC_READER_FAILURE_NONE)
		return;
	if (++x->elements > x->max_elements) {
		fail(x, DMARC_READER_FAILURE_LIMIT, "too many elements", NULL);
		return;
	}
	x->collecting = false;
	if (!x->in_feedback) {
		if (!x->seen_feedback && len == 8 &&
		    memcmp(local, "feedback", 8) == 0)
			feedback_begin(x, ns);
		else
			push(x, EL_OUTSIDE);
		return;
	}
	d = known_child(x, ns, local, len);
	if (d == NULL) {
		push(x, EL_UNKNOWN);
		return;
	}
	if (d->id == EL_RECORD)
		record_begin(x);
	push(x, d->id);
	if (x->depth > 0 && dmarc__report_el_group(d->id))
		group_begin(x, top(x));
	if (d->value != RV_CONTAINER) {
		dmarc__growbuf_clear(&x->text);
		x->collecting = true;
	}
}

static void XMLCALL on_end(void *user, const XML_Char *name)
{
	struct xml_read *x = user;
	struct frame f;
	const struct report_el_def *d;

	(void)name;
	if (x->fail_cls != DMARC_READER_FAILURE_NONE || x->depth == 0)
		return;
	f = *top(x);
	x->depth--;
	if (f.el == EL_OUTSIDE || f.el == EL_UNKNOWN)
		return;
	if (f.el == EL_FEEDBACK) {
		feedback_end(x, &f);
		return;
	}
	d = dmarc__report_el(f.el);
	if (d->value != RV_CONTAINER) {
		x->collecting = false;
		put_value(x, d);
		return;
	}
	check_required(x, &f);
	if (dmarc__report_el_group(f.el))
		group_end(x, &f);
	if (f.el == EL_RECORD)
		record_end(x);
}

static bool all_space(const char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!is_space(s[i]))
			return false;
	return true;
}

static void XMLCALL on_text(void *user, const XML_Char *s, int len)
{
	struct xml_read *x = user;
	dmarc_status st;
	struct frame *f;

	if (x->fail_cls != DMARC_READER_FAILURE_NONE || x->depth == 0)
		return;
	if (x->collecting) {
		st = dmarc__growbuf_append(&x->text, s, (size_t)len);
		/* said at the element, as stray text below */
		x->pinned = true;
		x->pin = top(x)->at;
		if (st == DMARC_ENOMEM) {
			x->rd->status = DMARC_ENOMEM;
			fail(x, DMARC_READER_FAILURE_LIMIT, "out of memory",
			    NULL);
		} else if (st != DMARC_OK)
			fail(x, DMARC_READER_FAILURE_LIMIT,
			    "text longer than the limit",
			    el_name(top(x)->el));
		x->pinned = false;
		return;
	}
	f = top(x);
	if (x->in_feedback && f->el != EL_UNKNOWN && !f->text_warned &&
	    !all_space(s, len)) {
		f->text_warned = true;
		/* said at the element: expat splits text where the input was
		 * split, so the text's own place depends on the chunking */
		x->pinned = true;
		x->pin = f->at;
		warn(x, RD_TEXT, el_name(f->el));
		x->pinned = false;
	}
}

static void markup(struct xml_read *x)
{
	if (x->in_feedback && x->fail_cls == DMARC_READER_FAILURE_NONE)
		note(x, RD_MARKUP, x->depth > 0 ? el_name(top(x)->el) : NULL);
}

static void XMLCALL on_comment(void *user, const XML_Char *data)
{
	(void)data;
	markup(user);
}

static void XMLCALL on_cdata(void *user)
{
	markup(user);
}

static void XMLCALL on_pi(void *user, const XML_Char *target,
    const XML_Char *data)
{
	(void)target;
	(void)data;
	markup(user);
}

static void XMLCALL on_doctype(void *user, const XML_Char *name,
    const XML_Char *sysid, const XML_Char *pubid, int internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)internal;
	fail(user, DMARC_READER_FAILURE_DTD_FORBIDDEN,
	    "a document type declaration", NULL);
}

/* ---- the parser ---- */

/* windows-1252 (declared by some generators) for expat: bytes 0x80 to
 * 0x9F differ from ISO-8859-1; the five it leaves undefined read as
 * U+FFFD. */
static int XMLCALL on_unknown_encoding(void *data, const XML_Char *name,
    XML_Encoding *info)
{
	static const unsigned short c1[32] = {
		0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
		0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
		0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
		0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178
	};
	int i;

	(void)data;
	if (!case_equal(name, "windows-1252", 13) &&
	    !case_equal(name, "cp1252", 7))
		return XML_STATUS_ERROR;
	for (i = 0; i < 256; i++)
		info->map[i] = i >= 0x80 && i < 0xA0 ? c1[i - 0x80] : i;
	info->data = NULL;
	info->convert = NULL;
	info->release = NULL;
	return XML_STATUS_OK;
}

static void set_handlers(struct xml_read *x)
{
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetCommentHandler(x->p, on_comment);
	XML_SetStartCdataSectionHandler(x->p, on_cdata);
	XML_SetProcessingInstructionHandler(x->p, on_pi);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetUnknownEncodingHandler(x->p, on_unknown_encoding, NULL);
	(void)XML_SetParamEntityParsing(x->p,
	    XML_PARAM_ENTITY_PARSING_NEVER);
}

static dmarc_status make_parser(struct xml_read *x)
{
	x->p = XML_ParserCreate_MM(NULL, &x->mem, "\x01");
	if (x->p == NULL)
		return DMARC_ENOMEM;
	set_handlers(x);
	return DMARC_OK;
}

dmarc_status dmarc__xml_new(struct xml_read **out, struct dmarc_reader *rd)
{
	struct xml_read *x = dmarc__alloc(rd->ctx, sizeof *x);

	*out = NULL;
	if (x == NULL)
		return DMARC_ENOMEM;
	memset(x, 0, sizeof *x);
	x->rd = rd;
	x->mem.malloc_fcn = rd->ctx->malloc_fn;
	x->mem.realloc_fcn = rd->ctx->realloc_fn;
	x->mem.free_fcn = rd->ctx->free_fn;
	dmarc__xml_repair_init(&x->repair, rd->ctx);
	dmarc__growbuf_init(&x->text, rd->ctx,
	    dmarc_ctx_get_limit(rd->ctx, DMARC_LIMIT_XML_STRING));
	if (make_parser(x) != DMARC_OK) {
		dmarc__xml_free(x);
		return DMARC_ENOMEM;
	}
	*out = x;
	return DMARC_OK;
}

void dmarc__xml_free(struct xml_read *x)
{
	if (x == NULL)
		return;
	if (x->p != NULL)
		XML_ParserFree(x->p);
	dmarc__xml_repair_dispose(&x->repair);
	dmarc__growbuf_dispose(&x->text);
	dmarc__free(x->rd->ctx, x);
}

dmarc_status dmarc__xml_begin(struct xml_read *x)
{
	const dmarc_ctx *ctx = x->rd->ctx;

	if (x->p != NULL && !XML_ParserReset(x->p, NULL)) {
		XML_ParserFree(x->p);
		x->p = NULL;
	}
	if (x->p == NULL) {
		if (make_parser(x) != DMARC_OK)
			return DMARC_ENOMEM;
	} else
		set_handlers(x);
	dmarc__xml_repair_reset(&x->repair);
	x->in_feedback = x->announced = x->complete = x->dead = false;
	x->seen_feedback = false;
	x->fail_cls = DMARC_READER_FAILURE_NONE;
	x->depth = 0;
	x->collecting = false;
	x->pinned = false;
	x->elements = x->records = x->messages = 0;
	x->format = RF_7489;
	x->ns = NS_NONE;
	x->max_depth = dmarc_ctx_get_limit(ctx, DMARC_LIMIT_XML_DEPTH);
	if (x->max_depth > STACK_HARD)
		x->max_depth = STACK_HARD;
	x->max_elements = dmarc_ctx_get_limit(ctx, DMARC_LIMIT_XML_ELEMENTS);
	x->max_records = dmarc_ctx_get_limit(ctx, DMARC_LIMIT_REPORT_RECORDS);
	return DMARC_OK;
}

static void repaired(struct xml_read *x)
{
	unsigned int made = x->repair.made;

	x->repair.made = 0;
	if (made & XR_LEADING)
		dmarc__reader_diag(x->rd, RD_TEXT, DMARC_SEVERITY_WARNING, 0,
		    NULL);
	if (made & ~(unsigned)XR_LEADING)
		dmarc__reader_diag(x->rd, RD_REPAIRED, DMARC_SEVERITY_WARNING,
		    x->repair.first_at, NULL);
}

/* What expat's error means for the document. */
static enum xml_outcome failed_parse(struct xml_read *x, bool final)
{
	enum XML_Error e = XML_GetErrorCode(x->p);
	char text[200];

	if (x->fail_cls != DMARC_READER_FAILURE_NONE)
		return XO_FAILED;
	if (x->complete) { /* after </feedback>: what follows is ignored */
		x->dead = true;
		return XO_MORE;
	}
	if (e == XML_ERROR_NO_MEMORY) {
		x->rd->status = DMARC_ENOMEM;
		x->fail_cls = DMARC_READER_FAILURE_LIMIT;
	} else if (final && (e == XML_ERROR_NO_ELEMENTS ||
	    e == XML_ERROR_UNCLOSED_TOKEN || e == XML_ERROR_PARTIAL_CHAR ||
	    e == XML_ERROR_UNCLOSED_CDATA_SECTION) && x->elements > 0)
		x->fail_cls = DMARC_READER_FAILURE_TRUNCATED;
	else if (!x->seen_feedback && x->elements == 0 && final &&
	    e == XML_ERROR_NO_ELEMENTS)
		x->fail_cls = DMARC_READER_FAILURE_NOT_A_REPORT;
	else
		x->fail_cls = DMARC_READER_FAILURE_CORRUPT;
	(void)snprintf(text, sizeof text, "%s at line %lu column %lu",
	    XML_ErrorString(e),
	    (unsigned long)XML_GetCurrentLineNumber(x->p),
	    (unsigned long)XML_GetCurrentColumnNumber(x->p));
	fail_text(x, text, strlen(text));
	dmarc__reader_diag(x->rd, RD_FAILED, DMARC_SEVERITY_ERROR, where(x),
	    NULL);
	return XO_FAILED;
}

static enum xml_outcome outcome(struct xml_read *x, enum XML_Status s,
    bool final)
{
	if (s == XML_STATUS_SUSPENDED)
		return x->pending;
	if (s == XML_STATUS_ERROR)
		return failed_parse(x, final);
	if (final) {
		x->dead = true;
		if (!x->seen_feedback) {
			x->fail_cls = DMARC_READER_FAILURE_NOT_A_REPORT;
			fail_text(x, "XML without a feedback element", 30);
			dmarc__reader_diag(x->rd, RD_FAILED,
			    DMARC_SEVERITY_ERROR, where(x), NULL);
			return XO_FAILED;
		}
	}
	return XO_MORE;
}

enum xml_outcome dmarc__xml_parse(struct xml_read *x, const char *data,
    size_t len, bool final)
{
	const char *out;
	size_t out_len;
	dmarc_status st;

	if (x->dead)
		return XO_MORE;
	if (x->rd->strict) {
		out = data;
		out_len = len;
	} else {
		st = dmarc__xml_repair(&x->repair, data, len, final, &out,
		    &out_len);
		if (st != DMARC_OK) {
			x->rd->status = st;
			x->fail_cls = DMARC_READER_FAILURE_LIMIT;
			x->dead = true;
			return XO_FAILED;
		}
		if (x->repair.made != 0)
			repaired(x);
	}
	if (x->fail_cls != DMARC_READER_FAILURE_NONE) {
		x->dead = true;
		return XO_FAILED;
	}
	return outcome(x, XML_Parse(x->p, out, (int)out_len, final), final);
}

enum xml_outcome dmarc__xml_resume(struct xml_read *x)
{
	XML_ParsingStatus ps;

	XML_GetParsingStatus(x->p, &ps);
	if (ps.parsing != XML_SUSPENDED)
		return XO_MORE;
	return outcome(x, XML_ResumeParser(x->p), ps.finalBuffer != 0);
}

bool dmarc__xml_suspended(const struct xml_read *x)
{
	XML_ParsingStatus ps;

	XML_GetParsingStatus(x->p, &ps);
	return ps.parsing == XML_SUSPENDED;
}

bool dmarc__xml_complete(const struct xml_read *x)
{
	return x->complete;
}

dmarc_reader_failure dmarc__xml_failure(const struct xml_read *x)
{
	return x->fail_cls;
}

uint64_t dmarc__xml_records(const struct xml_read *x)
{
	return x->records;
}

uint64_t dmarc__xml_messages(const struct xml_read *x)
{
	return x->messages;
}
