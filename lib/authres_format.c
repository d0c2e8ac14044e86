/*
 * libdmarc - writing the dmarc= Authentication-Results field (RFC 8601,
 * RFC 9989 9.1): result, the customary comment with p, sp and dis,
 * header.from and policy.dmarc; the whole field folded with CRLF, or the
 * value alone for APIs that take one (libmilter folds with LF).  Nothing from the message reaches it
 * unchecked: the domain is a normalized A-label name, the keywords are
 * libdmarc's own, and the authserv-id must be a token or is quoted.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "eval_int.h"
#include "strbuf.h"

/* The RFC keyword of value in set; "none" for a value that has none
 * (DMARC_RESULT_PENDING, DMARC_POLICY_UNSPECIFIED). */
static const char *word(enum dmarc__kw_set set, int value)
{
	const char *w = dmarc__keyword_rfc(set, value);

	return w != NULL ? w : "none";
}

static const char *policy_word(dmarc_policy p)
{
	return word(DMARC__KW_POLICY, (int)p);
}

/* RFC 2045 token characters: printable ASCII but specials and space. */
static bool is_token(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ||
		    strchr("()<>@,;:\\\"/[]?=", *s) != NULL)
			return false;
	return true;
}

/* The authserv-id as a token, or quoted; false when it cannot be. */
static bool put_authserv_id(struct strbuf *o, const char *id)
{
	const char *s;
	char c[3] = "\\";

	if (is_token(id)) {
		strbuf_puts(o, id);
		return true;
	}
	for (s = id; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	strbuf_puts(o, "\"");
	for (s = id; *s != '\0'; s++) {
		c[1] = *s;
		c[2] = '\0';
		strbuf_puts(o, (*s == '"' || *s == '\\') ? c : c + 1);
	}
	strbuf_puts(o, "\"");
	return true;
}

/* The policy after t=y (RFC 9989 9.1 policy.dmarc). */
static dmarc_policy evaluated_policy(const dmarc_eval *ev)
{
	const dmarc_record *rec = dmarc_discovery_get_record(ev->kept);
	dmarc_policy p = dmarc_discovery_get_policy(ev->kept);

	if (ev->best.result == DMARC_RESULT_FAIL)
		return ev->best.requested;
	if (dmarc_record_get_testing(rec) && p == DMARC_POLICY_REJECT)
		return DMARC_POLICY_QUARANTINE;
	if (dmarc_record_get_testing(rec))
		return DMARC_POLICY_NONE;
	return p;
}

static void put_comment(struct strbuf *o, const dmarc_eval *ev)
{
	const dmarc_record *rec = dmarc_discovery_get_record(ev->kept);
	dmarc_disposition dis = dmarc_eval_get_applied_disposition(ev);

	strbuf_puts(o, " (p=");
	strbuf_puts(o, policy_word(dmarc_record_get_policy(rec, DMARC_TAG_P)));
	strbuf_puts(o, " sp=");
	strbuf_puts(o, policy_word(dmarc_record_get_policy(rec, DMARC_TAG_SP)));
	if (dmarc_record_has_tag(rec, DMARC_TAG_NP)) {
		strbuf_puts(o, " np=");
		strbuf_puts(o, policy_word(dmarc_record_get_policy(rec, DMARC_TAG_NP)));
	}
	strbuf_puts(o, " dis=");
	strbuf_puts(o, dis == DMARC_DISPOSITION_PASS ? "none" :
	    word(DMARC__KW_DISPOSITION, (int)dis));
	strbuf_puts(o, ")");
}

/* What goes between the parts of the value: a fold, or a space. */
static const char *separator(dmarc_authres_style style)
{
	switch (style) {
	case DMARC_AUTHRES_FIELD: return "\r\n\t";
	case DMARC_AUTHRES_VALUE_LF: return "\n\t";
	case DMARC_AUTHRES_VALUE: break;
	}
	return " ";
}

static bool known_style(dmarc_authres_style style)
{
	return style == DMARC_AUTHRES_FIELD || style == DMARC_AUTHRES_VALUE ||
	    style == DMARC_AUTHRES_VALUE_LF;
}

DMARC_EXPORT dmarc_status dmarc_eval_format_authres(const dmarc_eval *ev,
    const char *authserv_id, dmarc_authres_style style, char *buf,
    size_t size, size_t *length)
{
	const char *sep = separator(style);
	bool has_record;
	struct strbuf o;

	if (ev == NULL || authserv_id == NULL || (buf == NULL && size != 0) ||
	    !known_style(style))
		return DMARC_EINVAL;
	if (ev->phase != EV_DONE || ev->status != DMARC_OK)
		return DMARC_ESTATE;
	strbuf_init(&o, buf, size);
	if (style == DMARC_AUTHRES_FIELD)
		strbuf_puts(&o, "Authentication-Results: ");
	if (*authserv_id == '\0' || !put_authserv_id(&o, authserv_id)) {
		if (size != 0)
			buf[0] = '\0';
		return DMARC_EINVAL;
	}
	strbuf_puts(&o, ";");
	strbuf_puts(&o, sep);
	strbuf_puts(&o, "dmarc=");
	strbuf_puts(&o, word(DMARC__KW_RESULT, (int)ev->best.result));
	has_record = (ev->best.result == DMARC_RESULT_PASS ||
	    ev->best.result == DMARC_RESULT_FAIL);
	if (has_record)
		put_comment(&o, ev);
	if (dmarc_eval_get_author_domain(ev) != NULL) {
		strbuf_puts(&o, sep);
		strbuf_puts(&o, "header.from=");
		strbuf_puts(&o, dmarc_eval_get_author_domain(ev));
	}
	if (has_record && ev->ctx->mode == DMARC_MODE_RFC9989) {
		strbuf_puts(&o, sep);
		strbuf_puts(&o, "policy.dmarc=");
		strbuf_puts(&o, policy_word(evaluated_policy(ev)));
	}
	if (style == DMARC_AUTHRES_FIELD)
		strbuf_puts(&o, "\r\n");
	return strbuf_finish(&o, length);
}
