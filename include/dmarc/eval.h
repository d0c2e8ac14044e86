/*
 * libdmarc - per-message DMARC evaluation (RFC 9989 section 5.3; RFC
 * 7489 section 6.6): the From field, the SPF and DKIM verdicts the caller
 * obtained, policy discovery, identifier alignment, the policy to apply,
 * and the Authentication-Results field to add.
 *
 * A dmarc_eval serves one message at a time on one thread; reset it for
 * the next.  It is driven like dmarc_discovery: dmarc_eval_run() with the
 * context's lookup function, or step by step.
 *
 *   dmarc_eval_add_from(ev, from, from_len);
 *   dmarc_eval_set_spf(ev, DMARC_VERDICT_PASS, "bounce.example.com", 18,
 *       DMARC_SPF_MAILFROM);
 *   dmarc_eval_add_dkim(ev, DMARC_VERDICT_PASS, "example.com", 11, "s1", 2);
 *   dmarc_eval_run(ev);
 *   if (dmarc_eval_get_result(ev) == DMARC_RESULT_FAIL) ...
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EVAL_H
#define DMARC_EVAL_H

#include <stddef.h>
#include <dmarc/common.h>
#include <dmarc/context.h>
#include <dmarc/diag.h>
#include <dmarc/discovery.h>
#include <dmarc/dns.h>
#include <dmarc/record.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dmarc_eval dmarc_eval;

/* The DMARC result (Authentication-Results method dmarc). */
typedef enum dmarc_result {
	DMARC_RESULT_PENDING = 0,   /* not evaluated (yet) */
	DMARC_RESULT_NONE = 1,      /* no policy record, or no Author Domain */
	DMARC_RESULT_PASS = 2,      /* an aligned identifier passed */
	DMARC_RESULT_FAIL = 3,      /* a record applies, nothing aligned passed */
	DMARC_RESULT_TEMPERROR = 4, /* a transient DNS or SPF/DKIM error */
	DMARC_RESULT_PERMERROR = 5  /* the record that applies is unusable */
} dmarc_result;

/* An SPF or DKIM verdict as the caller's checker gave it. */
typedef enum dmarc_verdict {
	DMARC_VERDICT_NONE = 1,
	DMARC_VERDICT_PASS = 2,
	DMARC_VERDICT_FAIL = 3,
	DMARC_VERDICT_SOFTFAIL = 4,
	DMARC_VERDICT_NEUTRAL = 5,
	DMARC_VERDICT_TEMPERROR = 6,
	DMARC_VERDICT_PERMERROR = 7,
	DMARC_VERDICT_POLICY = 8
} dmarc_verdict;

/* Which identity SPF checked. */
typedef enum dmarc_spf_scope {
	DMARC_SPF_MAILFROM = 1, /* the MAIL FROM domain */
	DMARC_SPF_HELO = 2      /* the HELO/EHLO name */
} dmarc_spf_scope;

/* How an identifier lines up with the Author Domain. */
typedef enum dmarc_alignment_result {
	DMARC_UNALIGNED = 0,
	DMARC_ALIGNED_EXACT = 1,  /* the same name */
	DMARC_ALIGNED_ORG = 2     /* the same Organizational Domain */
} dmarc_alignment_result;

/* What to do with the message (and what reports say was done). */
typedef enum dmarc_disposition {
	DMARC_DISPOSITION_NONE = 1,
	DMARC_DISPOSITION_QUARANTINE = 2,
	DMARC_DISPOSITION_REJECT = 3,
	DMARC_DISPOSITION_PASS = 4   /* RFC 9990: DMARC passed */
} dmarc_disposition;

/* Why the applied disposition differs from the policy (RFC 9990 3.1.6,
 * RFC 7489 7.2).  Append-only; a new value needs its keyword in
 * lib/keyword.c. */
typedef enum dmarc_reason {
	DMARC_REASON_NONE = 0,              /* no reason (index out of range) */
	DMARC_REASON_FORWARDED = 1,         /* RFC 7489 only */
	DMARC_REASON_SAMPLED_OUT = 2,       /* pct, RFC 7489 only */
	DMARC_REASON_TRUSTED_FORWARDER = 3,
	DMARC_REASON_MAILING_LIST = 4,
	DMARC_REASON_LOCAL_POLICY = 5,
	DMARC_REASON_OTHER = 6,
	DMARC_REASON_POLICY_TEST_MODE = 7   /* t=y, RFC 9989 only */
} dmarc_reason;

/* Evaluation options (dmarc_ctx_set_eval_options), a bit set. */
typedef enum dmarc_eval_option {
	/* Several distinct From domains: evaluate each (up to
	 * DMARC_LIMIT_FROM_DOMAINS) and apply the strictest failing policy,
	 * instead of refusing the message with DMARC_EFROM. */
	DMARC_EVAL_MULTI_FROM = 1,
	/* RFC 9989: the receiver has evidence beyond DMARC, so p=reject
	 * may be suggested as reject rather than quarantine. */
	DMARC_EVAL_REJECT_EVIDENCE = 2
} dmarc_eval_option;

/* A random number source for pct sampling (RFC 7489); must be safe to
 * call from the threads that evaluate.  The default is a per-evaluation
 * generator seeded from getrandom(2) and a per-context counter. */
typedef uint32_t (*dmarc_random_fn)(void *user);

DMARC_EXPORT dmarc_status dmarc_ctx_set_eval_options(dmarc_ctx *ctx,
    unsigned int options);
DMARC_EXPORT unsigned int dmarc_ctx_get_eval_options(const dmarc_ctx *ctx);
DMARC_EXPORT dmarc_status dmarc_ctx_set_random(dmarc_ctx *ctx,
    dmarc_random_fn fn, void *user);
/* Trust Authentication-Results fields carrying this authserv-id. */
DMARC_EXPORT dmarc_status dmarc_ctx_add_authserv_id(dmarc_ctx *ctx,
    const char *id);

DMARC_EXPORT dmarc_status dmarc_eval_new(dmarc_eval **out,
    const dmarc_ctx *ctx);
/* NULL is accepted. */
DMARC_EXPORT void dmarc_eval_free(dmarc_eval *ev);
/* Forget the message; keep the buffers for the next one. */
DMARC_EXPORT void dmarc_eval_reset(dmarc_eval *ev);

/* ---- inputs ---- */

/* One From header field value (call once per From field). */
DMARC_EXPORT dmarc_status dmarc_eval_add_from(dmarc_eval *ev,
    const char *value, size_t len);
/* The SPF verdict and the domain it was for (MAIL FROM domain, or the
 * HELO name when scope is DMARC_SPF_HELO).  A HELO result counts only
 * when MAIL FROM was null (dmarc_eval_set_envelope_from with ""). */
DMARC_EXPORT dmarc_status dmarc_eval_set_spf(dmarc_eval *ev,
    dmarc_verdict result, const char *domain, size_t len,
    dmarc_spf_scope scope);
/* One DKIM signature's verdict, signing domain (d=) and selector (s=, may
 * be NULL). */
DMARC_EXPORT dmarc_status dmarc_eval_add_dkim(dmarc_eval *ev,
    dmarc_verdict result, const char *domain, size_t dlen,
    const char *selector, size_t slen);
/* The DKIM checker's human-readable result for signature index (the
 * last one added is index dmarc_eval_get_dkim_count() - 1), for reports:
 * len bytes of printable ASCII, at most 127. */
DMARC_EXPORT dmarc_status dmarc_eval_set_dkim_human_result(dmarc_eval *ev,
    size_t index, const char *text, size_t len);
/* When the message arrived, in seconds since the epoch (for reports). */
DMARC_EXPORT dmarc_status dmarc_eval_set_time(dmarc_eval *ev,
    uint64_t seconds);
/* The connecting client's address: len bytes of IPv4 or IPv6 text. */
DMARC_EXPORT dmarc_status dmarc_eval_set_ip(dmarc_eval *ev, const char *ip,
    size_t len);
/* The envelope sender's domain ("" for the null reverse-path) and the
 * envelope recipient's domain, for reports. */
DMARC_EXPORT dmarc_status dmarc_eval_set_envelope_from(dmarc_eval *ev,
    const char *domain, size_t len);
DMARC_EXPORT dmarc_status dmarc_eval_set_envelope_to(dmarc_eval *ev,
    const char *domain, size_t len);
/* One Authentication-Results field value; used only when its
 * authserv-id is trusted (dmarc_ctx_add_authserv_id) and it parses: its
 * spf and dkim results become the verdicts, as if given above.  *used
 * (optional) is 1 when the field was used, else 0; a diagnostic says
 * why a field was not. */
DMARC_EXPORT dmarc_status dmarc_eval_add_authres(dmarc_eval *ev,
    const char *value, size_t len, int *used);

/* ---- running ---- */

DMARC_EXPORT dmarc_step dmarc_eval_step(dmarc_eval *ev, const char **qname,
    dmarc_rrtype *qtype);
DMARC_EXPORT dmarc_dns_answer *dmarc_eval_get_answer(dmarc_eval *ev);
/* Evaluate with the context's lookup function.  DMARC_EFROM: the From
 * fields are missing, repeated, malformed or (without
 * DMARC_EVAL_MULTI_FROM) name several domains; the message has no
 * Author Domain DMARC can evaluate, so this is a status, not a result
 * (the result stays DMARC_RESULT_PENDING, nothing is reported) and the
 * caller decides; a diagnostic says what was wrong and where. */
DMARC_EXPORT dmarc_status dmarc_eval_run(dmarc_eval *ev);
/* After DMARC_STEP_DONE: the same status dmarc_eval_run would return. */
DMARC_EXPORT dmarc_status dmarc_eval_get_status(const dmarc_eval *ev);

/* Record a local policy override: the disposition actually applied, the
 * reason and an optional comment (printable ASCII, at most 255 bytes).
 * The reason must exist in the mode: forwarded and sampled_out are RFC
 * 7489 only, policy_test_mode RFC 9989 only (else DMARC_EINVAL). */
DMARC_EXPORT dmarc_status dmarc_eval_override(dmarc_eval *ev,
    dmarc_disposition applied, dmarc_reason reason, const char *comment);

/* ---- results ---- */

DMARC_EXPORT dmarc_result dmarc_eval_get_result(const dmarc_eval *ev);
/* The Author Domain (normalized), or NULL. */
DMARC_EXPORT const char *dmarc_eval_get_author_domain(const dmarc_eval *ev);
/* The discovery of the Author Domain's policy (its record, policy
 * domain, Organizational Domain, method ...); borrowed. */
DMARC_EXPORT const dmarc_discovery *dmarc_eval_get_discovery(
    const dmarc_eval *ev);
DMARC_EXPORT dmarc_alignment_result dmarc_eval_get_spf_alignment(
    const dmarc_eval *ev);
/* The best alignment among passing DKIM signatures, and which one. */
DMARC_EXPORT dmarc_alignment_result dmarc_eval_get_dkim_alignment(
    const dmarc_eval *ev);
/* Index of the aligned passing DKIM signature, or -1. */
DMARC_EXPORT int dmarc_eval_get_aligned_dkim(const dmarc_eval *ev);
/* The policy the record requests for this message, after pct (RFC
 * 7489) and t=y (RFC 9989); DMARC_POLICY_UNSPECIFIED unless it failed. */
DMARC_EXPORT dmarc_policy dmarc_eval_get_requested_policy(
    const dmarc_eval *ev);
/* The disposition libdmarc suggests (RFC 9989 7.4: quarantine for
 * reject without DMARC_EVAL_REJECT_EVIDENCE). */
DMARC_EXPORT dmarc_disposition dmarc_eval_get_disposition(
    const dmarc_eval *ev);
/* The disposition applied: the suggested one unless overridden. */
DMARC_EXPORT dmarc_disposition dmarc_eval_get_applied_disposition(
    const dmarc_eval *ev);
DMARC_EXPORT size_t dmarc_eval_get_reason_count(const dmarc_eval *ev);
DMARC_EXPORT dmarc_reason dmarc_eval_get_reason(const dmarc_eval *ev,
    size_t index);
/* The comment of a reason, or NULL. */
DMARC_EXPORT const char *dmarc_eval_get_reason_comment(const dmarc_eval *ev,
    size_t index);
/* dmarc_fo bits of failure reports fo= asks for about this message (0
 * without a ruf, or when none applies). */
DMARC_EXPORT unsigned int dmarc_eval_get_failure_reports(
    const dmarc_eval *ev);

/* Problems with the message's inputs: From fields (with the byte
 * offset in the field value), Authentication-Results fields not used
 * and why, DKIM signatures dropped over the limit.  Those of the policy
 * discovery are the discovery's (dmarc_eval_get_discovery). */
DMARC_EXPORT size_t dmarc_eval_get_diag_count(const dmarc_eval *ev);
DMARC_EXPORT const dmarc_diag *dmarc_eval_get_diag(const dmarc_eval *ev,
    size_t index);

/* The SPF and DKIM verdicts the evaluation used, whether given directly
 * or read from trusted Authentication-Results fields (for logs, and to
 * tell which signature dmarc_eval_get_aligned_dkim means). */
DMARC_EXPORT dmarc_verdict dmarc_eval_get_spf_result(const dmarc_eval *ev);
DMARC_EXPORT const char *dmarc_eval_get_spf_domain(const dmarc_eval *ev);
DMARC_EXPORT dmarc_spf_scope dmarc_eval_get_spf_scope(const dmarc_eval *ev);
DMARC_EXPORT size_t dmarc_eval_get_dkim_count(const dmarc_eval *ev);
/* How many signatures were given but not kept, over
 * DMARC_LIMIT_DKIM_SIGNATURES: 0 unless some were dropped. */
DMARC_EXPORT size_t dmarc_eval_get_dkim_dropped(const dmarc_eval *ev);
DMARC_EXPORT dmarc_verdict dmarc_eval_get_dkim_result(const dmarc_eval *ev,
    size_t index);
DMARC_EXPORT const char *dmarc_eval_get_dkim_domain(const dmarc_eval *ev,
    size_t index);
DMARC_EXPORT const char *dmarc_eval_get_dkim_selector(const dmarc_eval *ev,
    size_t index);
/* How dmarc_eval_format_authres writes the field. */
typedef enum dmarc_authres_style {
	/* The whole header field, "Authentication-Results: " included,
	 * folded with CRLF and a tab, ending in CRLF: for a message
	 * written out as is. */
	DMARC_AUTHRES_FIELD = 1,
	/* The field value only, on one line, no line ending: for APIs that
	 * add a header field by name and value and fold it themselves. */
	DMARC_AUTHRES_VALUE = 2,
	/* The field value only, folded with LF and a tab, no line ending:
	 * for libmilter's smfi_insheader() and MTAs that store LF. */
	DMARC_AUTHRES_VALUE_LF = 3
} dmarc_authres_style;

/* Write the Authentication-Results field for authserv_id into buf (size
 * bytes, NUL-terminated), in the given style: dmarc=<result>, the
 * customary comment with p, sp (np) and dis, header.from, and in RFC
 * 9989 mode policy.dmarc.  An authserv_id that is not a token is
 * written as a quoted-string; DMARC_EINVAL (buf "") for an empty one or
 * one with control or 8-bit bytes.  DMARC_EBUFFER (buf "") when it does
 * not fit; *length (optional) gets the length needed. */
DMARC_EXPORT dmarc_status dmarc_eval_format_authres(const dmarc_eval *ev,
    const char *authserv_id, dmarc_authres_style style, char *buf,
    size_t size, size_t *length);

#ifdef __cplusplus
}
#endif
#endif /* DMARC_EVAL_H */
