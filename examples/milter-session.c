/*
 * dmarc-milter: the libmilter callbacks.  One dmarc_eval per SMTP
 * session, made at connect from the current state's context and reset
 * after each message; the verdicts of SPF and DKIM come from the
 * Authentication-Results fields of trusted upstream verifiers; fields
 * claiming our own authserv-id are removed (RFC 8601 5); at the end of
 * the message the result decides the reply, our own field is added, the
 * row goes to the spool and one line to the log.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>

#include <libmilter/mfapi.h>

#include "milter.h"

/* Authentication-Results fields one message may carry that we track
 * for removal; a message with more is refused for now (451), since
 * leaving a forged field in place is not an option. */
#define MAX_AR_FIELDS 1000
/* Domains as the envelope gives them (RFC 5321 4.5.3.1.2: 255). */
#define DOMAIN_MAX 256

/* libmilter takes char *, never writing through it. */
static char AR_NAME[] = "Authentication-Results";
static char MACRO_QUEUE_ID[] = "i";
static char CODE_550[] = "550", XCODE_571[] = "5.7.1";
static char CODE_451[] = "451", XCODE_475[] = "4.7.5";

struct session {
	struct milter_state *st;
	dmarc_eval *ev;
	char ip[INET6_ADDRSTRLEN];
	/* this message */
	char env_from[DOMAIN_MAX];
	int env_from_set;       /* 1 domain, 0 none seen */
	size_t n_ar;            /* Authentication-Results fields so far */
	size_t own[MAX_AR_FIELDS];  /* 1-based indexes claiming our id */
	size_t n_own;
	int too_many_ar;        /* over MAX_AR_FIELDS: DMARC_ERANGE */
	unsigned int ar_used, ar_ignored;
	int failed;             /* a library call failed (no memory) */
};

static struct session *session_of(SMFICTX *ctx)
{
	return smfi_getpriv(ctx);
}

/* The next message: the evaluation forgets the last one; the client's
 * address stays the session's. */
static void next_message(struct session *s)
{
	dmarc_eval_reset(s->ev);
	if (s->ip[0] != '\0')
		dmarc_eval_set_ip(s->ev, s->ip, strlen(s->ip));
	s->env_from[0] = '\0';
	s->env_from_set = 0;
	s->n_ar = s->n_own = 0;
	s->too_many_ar = 0;
	s->ar_used = s->ar_ignored = 0;
	s->failed = 0;
}

static void session_free(struct session *s)
{
	if (s == NULL)
		return;
	dmarc_eval_free(s->ev);
	milter_state_put(s->st);
	free(s);
	milter_session_count(-1);
}

static sfsistat on_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	struct session *s = calloc(1, sizeof *s);
	const void *bin = NULL;

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	milter_session_count(1);
	s->st = milter_state_get();
	if (s->st == NULL || dmarc_eval_new(&s->ev, s->st->ctx) != DMARC_OK) {
		session_free(s);
		milter_log(LOG_ERR, "connect: out of memory");
		return SMFIS_TEMPFAIL;
	}
	if (sa != NULL && sa->sa_family == AF_INET)
		bin = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	else if (sa != NULL && sa->sa_family == AF_INET6)
		bin = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	if (bin == NULL || inet_ntop(sa->sa_family, bin, s->ip,
	    sizeof s->ip) == NULL)
		s->ip[0] = '\0';
	smfi_setpriv(ctx, s);
	if (milter_config_skips(&s->st->cfg, host, s->ip[0] != '\0' ? s->ip :
	    NULL)) {
		milter_log(LOG_INFO, "skipped: client %s [%s]",
		    host != NULL ? host : "?", s->ip);
		return SMFIS_ACCEPT;
	}
	next_message(s);
	return SMFIS_CONTINUE;
}

/* MAIL FROM: the domain of "<local@domain>", "" for "<>". */
static sfsistat on_envfrom(SMFICTX *ctx, char **argv)
{
	struct session *s = session_of(ctx);
	const char *a = argv[0] != NULL ? argv[0] : "", *at, *end;
	size_t n;

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	next_message(s);
	if (*a == '<')
		a++;
	end = a + strlen(a);
	if (end > a && end[-1] == '>')
		end--;
	if (end == a) {   /* the null reverse-path */
		s->env_from_set = 1;
		dmarc_eval_set_envelope_from(s->ev, "", 0);
		return SMFIS_CONTINUE;
	}
	at = NULL;
	for (n = 0; a + n < end; n++)
		if (a[n] == '@')
			at = a + n;
	if (at != NULL && (n = (size_t)(end - at - 1)) > 0 && n < DOMAIN_MAX &&
	    dmarc_eval_set_envelope_from(s->ev, at + 1, n) == DMARC_OK) {
		memcpy(s->env_from, at + 1, n);
		s->env_from[n] = '\0';
		s->env_from_set = 1;
	}
	return SMFIS_CONTINUE;
}

/* RCPT TO: the first recipient's domain, for the report row. */
static sfsistat on_envrcpt(SMFICTX *ctx, char **argv)
{
	struct session *s = session_of(ctx);
	const char *a = argv[0] != NULL ? argv[0] : "", *at = strrchr(a, '@');
	size_t n;

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	if (at != NULL) {
		n = strcspn(at + 1, ">");
		if (n > 0 && n < DOMAIN_MAX)
			dmarc_eval_set_envelope_to(s->ev, at + 1, n);
	}
	return SMFIS_CONTINUE;
}

/* Skip white space and comments (RFC 5322 3.2.2 CFWS, nested). */
static const char *skip_cfws(const char *p, const char *end)
{
	int depth = 0;

	for (; p < end; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (*p == '\\' && depth > 0 && p + 1 < end)
			p++;
		else if (depth == 0 && *p != ' ' && *p != '\t' && *p != '\r' &&
		    *p != '\n')
			break;
	}
	return p;
}

/* The lexical test for a field the parser does not take (too long, or
 * malformed): does the value begin with id, as a token or a
 * quoted-string (RFC 8601 2.2), whatever follows?  A field that fails to
 * parse but claims our id must still go. */
static int starts_with_id(const char *value, size_t len, const char *id)
{
	const char *end = value + len, *p = skip_cfws(value, end);
	size_t n = strlen(id);
	int quoted = p < end && *p == '"';

	p += quoted;
	if ((size_t)(end - p) < n || strncasecmp(p, id, n) != 0)
		return 0;
	p += n;
	if (quoted)
		return p < end && *p == '"';
	return p == end || *p == ';' || *p == '(' || *p == ' ' ||
	    *p == '\t' || *p == '\r' || *p == '\n';
}

/* Whether an Authentication-Results value names our authserv-id (RFC
 * 8601 2.2; compared case-insensitively, as the domain name it usually
 * is): 1, 0, or -1 when out of memory. */
static int claims_id(const struct milter_state *st, const char *value,
    size_t len)
{
	dmarc_authres *ar = NULL;
	dmarc_status rc = dmarc_authres_parse(&ar, st->ctx, value, len);
	const char *id;
	int yes;

	if (rc == DMARC_ENOMEM)
		return -1;
	id = rc == DMARC_OK ? dmarc_authres_get_authserv_id(ar) : NULL;
	yes = id != NULL ? strcasecmp(id, st->cfg.authserv_id) == 0 :
	    starts_with_id(value, len, st->cfg.authserv_id);
	dmarc_authres_free(ar);
	return yes;
}

static void on_authres(struct session *s, const char *value, size_t len)
{
	int used = 0, own;

	s->n_ar++;
	own = claims_id(s->st, value, len);
	if (own < 0) {
		s->failed = 1;
	} else if (own) {   /* forged, or ours from a loop: removed at eom */
		if (s->n_own < MAX_AR_FIELDS)
			s->own[s->n_own++] = s->n_ar;
		else
			s->too_many_ar = 1;
	} else if (dmarc_eval_add_authres(s->ev, value, len, &used) !=
	    DMARC_OK) {
		s->failed = 1;
	} else if (used) {
		s->ar_used++;
	} else {
		s->ar_ignored++;
	}
}

static sfsistat on_header(SMFICTX *ctx, char *name, char *value)
{
	struct session *s = session_of(ctx);
	size_t len = strlen(value);

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	if (strcasecmp(name, "From") == 0) {
		/* DMARC_EFROM shows at the run; other failures are ours */
		dmarc_status st = dmarc_eval_add_from(s->ev, value, len);
		if (st == DMARC_ENOMEM)
			s->failed = 1;
	} else if (strcasecmp(name, "Authentication-Results") == 0) {
		on_authres(s, value, len);
	}
	return SMFIS_CONTINUE;
}

/* ------------------------------------------------------ end of message */

/* What the evaluation came to, for the decision and the log line. */
struct outcome {
	dmarc_status status;
	dmarc_result result;
	dmarc_disposition disposition;
	enum milter_action action;
	const char *domain;       /* Author Domain, or NULL */
};

static enum milter_action decide(const struct milter_config *c,
    struct outcome *o)
{
	if (o->status == DMARC_EFROM)
		return c->on_from_error;
	if (o->status != DMARC_OK)
		return MILTER_TEMPFAIL;
	if (o->result == DMARC_RESULT_TEMPERROR)
		return c->on_temperror;
	if (o->result != DMARC_RESULT_FAIL)
		return MILTER_ACCEPT;
	if (o->disposition == DMARC_DISPOSITION_REJECT)
		return MILTER_REJECT;
	if (o->disposition == DMARC_DISPOSITION_QUARANTINE)
		return c->on_quarantine;
	return MILTER_ACCEPT;
}

/* Remove the fields that claim our id (last first, so the indexes of
 * the others stay), then add ours at the top (RFC 8601 5: prepended). */
static int edit_headers(SMFICTX *ctx, struct session *s)
{
	char value[2048];
	size_t i;

	for (i = s->n_own; i > 0; i--)
		if (smfi_chgheader(ctx, AR_NAME,
		    (int)s->own[i - 1], NULL) != MI_SUCCESS)
			return -1;
	if (dmarc_eval_format_authres(s->ev, s->st->cfg.authserv_id,
	    DMARC_AUTHRES_VALUE_LF, value, sizeof value, NULL) != DMARC_OK)
		return 0;  /* no result to state (DMARC_EFROM) */
	return smfi_insheader(ctx, 0, AR_NAME, value) ==
	    MI_SUCCESS ? 0 : -1;
}

/* The reply for a refusal, and the header field or hold of a
 * quarantine; -1 when libmilter refused a change. */
static int act(SMFICTX *ctx, struct session *s, const struct outcome *o)
{
	const struct milter_config *c = &s->st->cfg;
	const char *d = o->domain != NULL ? o->domain : "the author domain";
	char text[512];

	switch (o->action) {
	case MILTER_REJECT:
		if (o->status == DMARC_EFROM)
			snprintf(text, sizeof text, "message has no single author "
			    "domain in From (RFC 9989 5.3)");
		else
			snprintf(text, sizeof text, "rejected by the DMARC policy "
			    "of %s", d);
		return smfi_setreply(ctx, CODE_550, XCODE_571, text) == MI_SUCCESS ?
		    0 : -1;
	case MILTER_TEMPFAIL:
		snprintf(text, sizeof text, "DMARC policy of %s not available, "
		    "try again later", d);
		return smfi_setreply(ctx, CODE_451, XCODE_475, text) == MI_SUCCESS ?
		    0 : -1;
	case MILTER_HOLD:
		snprintf(text, sizeof text, "DMARC policy of %s: quarantine", d);
		if (smfi_quarantine(ctx, text) != MI_SUCCESS)
			return -1;
		break;
	case MILTER_HEADER:
		snprintf(text, sizeof text, "DMARC policy of %s: quarantine", d);
		if (smfi_addheader(ctx, c->quarantine_header, text) !=
		    MI_SUCCESS)
			return -1;
		break;
	default:
		break;
	}
	return edit_headers(ctx, s);
}

/* The row of a decided message for dmarc-reports; a tempfailed one is
 * evaluated again when the client retries. */
static void spool_row(struct session *s, const struct outcome *o,
    const char *qid)
{
	struct milter_state *st = s->st;
	dmarc_status rc;

	if (st->spool == NULL || o->status != DMARC_OK ||
	    o->action == MILTER_TEMPFAIL)
		return;
	pthread_mutex_lock(&st->spool_lock);
	rc = dmarc_spool_append_eval(st->spool, s->ev);
	if (rc == DMARC_ESYSTEM)
		milter_log(LOG_ERR, "%s: spool %s: %s", qid, st->cfg.spool,
		    strerror(dmarc_spool_get_errno(st->spool)));
	else if (rc != DMARC_OK && rc != DMARC_ESTATE) /* ESTATE: no row */
		milter_log(LOG_ERR, "%s: spool %s: %s", qid, st->cfg.spool,
		    dmarc_strerror(rc));
	pthread_mutex_unlock(&st->spool_lock);
}

static const char *name_or(const char *s, const char *dflt)
{
	return s != NULL ? s : dflt;
}

static void log_message(const struct session *s, const struct outcome *o,
    const char *qid)
{
	const dmarc_discovery *d = dmarc_eval_get_discovery(s->ev);
	const char *pd = o->domain != NULL ?
	    dmarc_discovery_get_policy_domain(d) : NULL;
	dmarc_policy p = dmarc_eval_get_requested_policy(s->ev);

	milter_log(LOG_INFO, "%s: client=%s from=%s dmarc=%s "
	    "policy_domain=%s policy=%s disposition=%s action=%s spf=%s "
	    "dkim=%s ar_used=%u ar_ignored=%u ar_removed=%zu", qid,
	    s->ip[0] != '\0' ? s->ip : "-", name_or(o->domain, "-"),
	    o->status == DMARC_OK ? dmarc_result_name(o->result) :
	    o->status == DMARC_EFROM ? "from-error" : dmarc_strerror(o->status),
	    name_or(pd, "-"), p != DMARC_POLICY_UNSPECIFIED ?
	    dmarc_policy_name(p) : "-",
	    o->status == DMARC_OK ? name_or(dmarc_disposition_name(
	    o->disposition), "-") : "-", milter_action_name(o->action),
	    name_or(dmarc_verdict_name(dmarc_eval_get_spf_result(s->ev)), "-"),
	    dmarc_eval_get_aligned_dkim(s->ev) >= 0 ? "aligned-pass" :
	    dmarc_eval_get_dkim_count(s->ev) > 0 ? "unaligned-or-fail" : "none",
	    s->ar_used, s->ar_ignored, s->n_own);
}

static sfsistat reply_of(enum milter_action a)
{
	switch (a) {
	case MILTER_REJECT: return SMFIS_REJECT;
	case MILTER_TEMPFAIL: return SMFIS_TEMPFAIL;
	default: return SMFIS_CONTINUE;
	}
}

static sfsistat on_eom(SMFICTX *ctx)
{
	struct session *s = session_of(ctx);
	const char *qid;
	struct outcome o;
	sfsistat r;

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	qid = name_or(smfi_getsymval(ctx, MACRO_QUEUE_ID), "NOQUEUE");
	memset(&o, 0, sizeof o);
	dmarc_eval_set_time(s->ev, (uint64_t)time(NULL));
	o.status = s->failed ? DMARC_ENOMEM : s->too_many_ar ? DMARC_ERANGE :
	    dmarc_eval_run(s->ev);
	if (o.status == DMARC_OK) {
		o.result = dmarc_eval_get_result(s->ev);
		o.disposition = dmarc_eval_get_applied_disposition(s->ev);
		o.domain = dmarc_eval_get_author_domain(s->ev);
	}
	o.action = decide(&s->st->cfg, &o);
	spool_row(s, &o, qid);
	if (act(ctx, s, &o) != 0) {
		milter_log(LOG_ERR, "%s: the MTA refused a header change or "
		    "reply", qid);
		o.action = MILTER_TEMPFAIL;
	}
	log_message(s, &o, qid);
	r = reply_of(o.action);
	next_message(s);
	return r;
}

static sfsistat on_abort(SMFICTX *ctx)
{
	struct session *s = session_of(ctx);

	if (s != NULL)
		next_message(s);
	return SMFIS_CONTINUE;
}

static sfsistat on_close(SMFICTX *ctx)
{
	session_free(session_of(ctx));
	smfi_setpriv(ctx, NULL);
	return SMFIS_CONTINUE;
}

static char milter_name[] = "dmarc-milter";

static struct smfiDesc callbacks = {
	.xxfi_name = milter_name,
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE,
	.xxfi_connect = on_connect,
	.xxfi_envfrom = on_envfrom,
	.xxfi_envrcpt = on_envrcpt,
	.xxfi_header = on_header,
	.xxfi_eom = on_eom,
	.xxfi_abort = on_abort,
	.xxfi_close = on_close
};

const struct smfiDesc *milter_callbacks(void)
{
	return &callbacks;
}
