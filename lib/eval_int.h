/*
 * libdmarc - the evaluation object's private parts.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EVAL_INT_H
#define DMARC_EVAL_INT_H

#include <string.h>

#include "dns_int.h"
#include "from_int.h"
#include "internal.h"
#include "name_plain.h"
#include "psl_int.h"

#define EVAL_MAX_REASONS 4u
#define EVAL_COMMENT_SIZE 256u
#define EVAL_SELECTOR_SIZE 254u
#define EVAL_HUMAN_SIZE 128u
#define EVAL_B_SIZE 33u            /* header.b prefix kept, NUL included */
#define EVAL_MAX_DIAGS 16u

struct eval_dkim {
	uint8_t result;            /* dmarc_verdict */
	uint8_t alignment;         /* dmarc_alignment_result */
	bool usable;               /* a normalizable domain */
	/* the strings' lengths, kept as they are set: a report's key is
	 * built by fixed-size copies (lib/report/agg_key.c) */
	uint8_t domain_len, selector_len, human_len;
	char domain[DMARC_DOMAIN_SIZE];
	char selector[EVAL_SELECTOR_SIZE];
	char human[EVAL_HUMAN_SIZE];  /* "" when not given */
	char b[EVAL_B_SIZE];       /* header.b prefix (RFC 6008), or "" */
	uint32_t field;            /* trusted field that gave it, 0: caller */
	uint32_t matched;          /* last field that reported it again */
};

/* One SPF result taken from a trusted Authentication-Results field. */
struct eval_ar_spf {
	bool set;
	uint8_t result;            /* dmarc_verdict */
	bool usable;               /* a normalizable domain */
	uint8_t domain_len;
	char domain[DMARC_DOMAIN_SIZE];
};

/* SPF from trusted fields, nearest first of each kind; which one counts
 * is settled once all inputs are known (lib/eval_authres.c). */
struct eval_ar_spfs {
	struct eval_ar_spf mailfrom;  /* a non-null smtp.mailfrom */
	struct eval_ar_spf null;      /* smtp.mailfrom empty or "<>" */
	struct eval_ar_spf helo;      /* smtp.helo, no smtp.mailfrom */
};

struct eval_reason {
	uint8_t type;              /* dmarc_reason */
	bool has_comment;
	const char *comment;       /* a constant, or in the comment pool */
};

enum eval_phase {
	EV_IDLE,       /* inputs being given */
	EV_DISCOVERY,  /* the Author Domain's policy */
	EV_ORG,        /* the Organizational Domain of an identifier */
	EV_DONE
};

/* The outcome for one From domain. */
struct eval_outcome {
	dmarc_result result;
	uint8_t spf_alignment, dkim_alignment;
	int aligned_dkim;
	dmarc_policy requested;
	dmarc_disposition disposition;
	bool sampled_out, test_mode, reject_softened;
	bool temp_possible;  /* a temporary error might have aligned */
};

struct dmarc_eval {
	const dmarc_ctx *ctx;
	enum eval_phase phase;
	dmarc_status status;
	/* From */
	unsigned int n_from_fields;
	dmarc_status from_status;
	struct from_result from;        /* its names: first_domain, or
	                                   many_domains once a field named
	                                   two domains */
	char first_domain[1][DMARC_DOMAIN_SIZE];
	char (*many_domains)[DMARC_DOMAIN_SIZE]; /* made on use, kept */
	unsigned int domain_index;      /* the From domain being evaluated */
	/* SPF */
	bool spf_set;
	uint8_t spf_result, spf_scope;
	bool spf_usable;
	uint8_t spf_domain_len, env_from_len, env_to_len; /* strlen of each */
	char spf_domain[DMARC_DOMAIN_SIZE];
	/* DKIM */
	struct eval_dkim *dkim;         /* cap_dkim made, kept on reset */
	size_t n_dkim, cap_dkim, max_dkim;
	size_t dkim_dropped;            /* given but not kept */
	/* envelope and client */
	bool env_from_set;
	char env_from[DMARC_DOMAIN_SIZE];
	char env_to[DMARC_DOMAIN_SIZE];
	char ip[48];
	uint8_t ip_family;              /* 0 none, 4, 6: ip_addr as parsed */
	uint8_t ip_addr[16];            /* zero past the family's bytes */
	uint64_t arrival;
	/* what was wrong with the inputs */
	dmarc_diag diags[EVAL_MAX_DIAGS];
	size_t n_diags;
	size_t n_other_diags;           /* of them not about the From field */
	/* the run */
	dmarc_discovery *disc;          /* policy of the Author Domain */
	dmarc_discovery *kept;          /* that of the chosen From domain:
	                                   disc or spare */
	dmarc_discovery *spare;         /* the next From domain's while
	                                   kept holds one (made on use) */
	dmarc_discovery *org;           /* org domain of an identifier (RFC
	                                   9989; made on use) */
	int candidate;                  /* -1: SPF, >= 0: DKIM index */
	bool org_tempfail;              /* an org lookup failed */
	dmarc_status align_status;      /* a PSL lookup that failed */
	size_t queries_left;            /* DMARC_LIMIT_EVAL_QUERIES budget */
	struct answer_memo memo;        /* every answer of the run: no
	                                   question is asked twice (the
	                                   discovery objects point to it) */
	uint32_t random;                /* default pct sampler state */
	struct psl_memo *psl_memo;      /* org domains, shared with the
	                                   discovery objects; made on use */
	struct eval_outcome out;        /* of the domain being evaluated */
	struct eval_outcome best;       /* chosen across From domains */
	unsigned int best_domain;
	/* overrides and reasons */
	bool overridden;
	dmarc_disposition applied;
	struct eval_reason reasons[EVAL_MAX_REASONS];
	size_t n_reasons;
	/* the caller's comments, a slot per reason: made by the first
	 * override with a comment and kept */
	char (*comments)[EVAL_COMMENT_SIZE];
	/* SPF from trusted fields (lib/eval_authres.c): made by the first
	 * one read and kept */
	struct eval_ar_spfs *ar_spf;
	bool spf_by_ar;                  /* ev->spf_* came from a field */
	bool env_by_ar;                  /* the null path came from a field */
	uint32_t n_fields;               /* trusted fields read */
};

/* Normalize a domain input into dst (DMARC_DOMAIN_SIZE bytes), its
 * length into *dlen; false (dst "", *dlen 0) when it is not one. */
static inline bool dmarc__take_domain(char *dst, uint8_t *dlen,
    const char *src, size_t len)
{
	size_t n = 0;
	bool ok = src != NULL && dmarc__domain_normalize(src, len, dst,
	    DMARC_DOMAIN_SIZE, &n) == DMARC_OK;

	if (!ok)
		dst[0] = '\0';
	*dlen = (uint8_t)(ok ? n : 0);
	return ok;
}

/* The same for an identifier of the evaluation: a name equal to the
 * From domain or the SPF domain, already normalized, is copied, not
 * normalized again (normalizing a normalized name gives it back; DKIM
 * d= is most often the From domain). */
static inline bool dmarc__eval_take_domain(const dmarc_eval *ev, char *dst,
    uint8_t *dlen, const char *src, size_t len)
{
	if (src != NULL && ((ev->from.n_domains != 0 &&
	    len == ev->from.domain_len[0] &&
	    dmarc__same_name_copy(dst, src, ev->from.domains[0], len)) ||
	    (ev->spf_usable && len == ev->spf_domain_len &&
	    dst != ev->spf_domain &&
	    dmarc__same_name_copy(dst, src, ev->spf_domain, len)))) {
		*dlen = (uint8_t)len;
		return true;
	}
	return dmarc__take_domain(dst, dlen, src, len);
}

static inline bool dmarc__known_verdict(dmarc_verdict v)
{
	return v >= DMARC_VERDICT_NONE && v <= DMARC_VERDICT_POLICY;
}

/* Inputs are accepted only before the evaluation starts. */
static inline dmarc_status dmarc__eval_can_add(const dmarc_eval *ev)
{
	if (ev == NULL)
		return DMARC_EINVAL;
	return ev->phase == EV_IDLE ? DMARC_OK : DMARC_ESTATE;
}

/* Make the discovery object *slot (ev->spare, ev->org) unless it
 * exists: DMARC_OK or DMARC_ENOMEM (lib/eval.c). */
dmarc_status dmarc__eval_discovery(dmarc_eval *ev, dmarc_discovery **slot);

/* Add a diagnostic about an input (lib/eval_diag.c); the last slot says
 * that more were dropped. */
void dmarc__eval_diag(dmarc_eval *ev, dmarc_diag_code code,
    dmarc_severity severity, size_t offset, size_t length);

/* Choose the SPF verdict of the trusted fields anew (lib/eval_authres.c):
 * after each field and each envelope sender, so that their order does
 * not matter. */
void dmarc__authres_settle(dmarc_eval *ev);

/* A DKIM signature from its inputs (lib/eval_dkim.c): the domain normalized
 * ("" and not usable when it cannot be), the selector kept only when it
 * is printable ASCII without spaces. */
void dmarc__eval_dkim_init(const dmarc_eval *ev, struct eval_dkim *k,
    dmarc_verdict result, const char *domain, size_t dlen,
    const char *selector, size_t slen);
/* Room for want signatures (never more than the limit) in ev->dkim,
 * grown by doubling: DMARC_OK or DMARC_ENOMEM. */
dmarc_status dmarc__eval_dkim_room(dmarc_eval *ev, size_t want);
/* Keep a signature, within the limit: DMARC_ERANGE when it was dropped.
 * The caller made room for it. */
dmarc_status dmarc__eval_dkim_keep(dmarc_eval *ev, const struct eval_dkim *k);

/* Alignment (lib/align.c): start or continue; true when an org lookup
 * must run (ev->org is started on the candidate's domain). */
bool dmarc__align_next(dmarc_eval *ev);
/* Take the org lookup that finished for the current candidate. */
void dmarc__align_org_done(dmarc_eval *ev);
/* Reset the alignment of a new From domain. */
void dmarc__align_begin(dmarc_eval *ev);

/* Policy (lib/policy.c): result, requested policy and disposition of the
 * From domain just evaluated. */
void dmarc__policy_decide(dmarc_eval *ev);
/* The reason list for the chosen outcome. */
void dmarc__policy_reasons(dmarc_eval *ev);

#endif /* DMARC_EVAL_INT_H */
