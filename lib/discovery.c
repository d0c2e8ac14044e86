/*
 * libdmarc - the policy discovery state machine (RFC 9989 4.10.1 with the
 * tree walk; RFC 7489 6.6.3 with the PSL; RFC 9091 PSD step), the
 * existence test for np, and the step and synchronous drivers.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include "discovery_int.h"
#include "psl_int.h"

/* The owner name prefix of a policy record (RFC 9989 4.10). */
#define DMARC_PREFIX "_dmarc."
#define DMARC_PREFIX_LEN (sizeof DMARC_PREFIX - 1)

static bool is_bis(const dmarc_discovery *d)
{
	return d->ctx->mode == DMARC_MODE_RFC9989;
}

static void finish(dmarc_discovery *d, dmarc_discovery_result result)
{
	d->result = result;
	d->phase = PH_DONE;
}

/* The diagnostic for the failed question, and its name kept (in room
 * made by the first failure: without it the lookup says why). */
static void diag_failure(dmarc_discovery *d, dmarc_severity severity)
{
	if (d->failed_name == NULL && (d->failed_name = dmarc__alloc(d->ctx,
	    DISCOVERY_QNAME_SIZE)) == NULL) {
		d->nomem = true;
	} else {
		memcpy(d->failed_name, d->qname, d->qname_len + 1);
		d->has_failed_name = true;
	}
	dmarc__discovery_diag(d, dmarc__failure_code(d), severity, d->qname);
}

DMARC_COLD static void temperror(dmarc_discovery *d)
{
	diag_failure(d, DMARC_SEVERITY_ERROR);
	finish(d, DMARC_DISCOVERY_TEMPERROR);
}

/* Out of memory is not a DNS outcome: nothing can be decided, and
 * dmarc_discovery_get_status() says why. */
DMARC_COLD static void out_of_memory(dmarc_discovery *d)
{
	d->nomem = true;
	finish(d, DMARC_DISCOVERY_TEMPERROR);
}

/* The policy domain, name of n bytes, with its length (a report's key
 * copies it). */
static void set_policy_domain(dmarc_discovery *d, const char *name, size_t n)
{
	dmarc__copy_name(d->policy_domain, name, n);
	d->policy_domain[n] = '\0';
	d->policy_domain_len = (uint8_t)n;
}

/* np is a tag of RFC 9989 and of RFC 7489 + RFC 9091. */
static bool np_understood(const dmarc_discovery *d)
{
	return d->ctx->mode != DMARC_MODE_RFC7489;
}

/* The record that applies is known: which tag of it, after an existence
 * test of the Author Domain if np could apply. */
static void apply_record(dmarc_discovery *d, const dmarc_record *rec,
    dmarc_source source, const char *policy_domain, size_t len)
{
	d->record = rec;
	d->source = source;
	set_policy_domain(d, policy_domain, len);
	if (rec->v.state == DMARC_RECORD_INVALID) { /* rec is never NULL */
		dmarc__discovery_diag(d, DMARC_DIAG_INVALID_RECORD,
		    DMARC_SEVERITY_ERROR, policy_domain);
		finish(d, DMARC_DISCOVERY_PERMERROR);
		return;
	}
	if (source == DMARC_SOURCE_AUTHOR) {
		d->applied_tag = DMARC_TAG_P;
		finish(d, DMARC_DISCOVERY_FOUND);
	} else if (np_understood(d) &&
	    (rec->v.present & DMARC_TAG_BIT(DMARC_TAG_NP)) != 0) {
		d->phase = PH_EXISTS;
		d->exist_step = 0;
		d->exists_seen_data = false;
	} else {
		d->applied_tag = DMARC_TAG_SP;
		finish(d, DMARC_DISCOVERY_FOUND);
	}
}

/* ---- RFC 9989: the walk, then the choice of record ---- */

static void finish_walk(dmarc_discovery *d)
{
	struct walk *w = d->walk;
	struct walk_outcome o;
	const char *org, *name;

	dmarc__walk_outcome(w, &o);
	org = dmarc__walk_name(w, o.org_level);
	d->org_domain = org; /* the walk's until the next start */
	d->org_domain_len = (uint8_t)dmarc__walk_name_len(w, org);
	d->has_org = true;
	if (o.unqueried)
		dmarc__discovery_diag(d, DMARC_DIAG_ORG_NOT_QUERIED,
		    DMARC_SEVERITY_WARNING, d->org_domain);
	if (d->org_only) {
		finish(d, DMARC_DISCOVERY_NONE);
		return;
	}
	if (o.at_author != NULL) {
		apply_record(d, o.at_author->rec, DMARC_SOURCE_AUTHOR,
		    d->domain, d->domain_len);
	} else if (o.at_org != NULL) {
		apply_record(d, o.at_org->rec, DMARC_SOURCE_ORG, d->org_domain,
		    d->org_domain_len);
	} else if (o.psd != NULL) {
		name = dmarc__walk_name(w, o.psd->level);
		apply_record(d, o.psd->rec, DMARC_SOURCE_PSD, name,
		    dmarc__walk_name_len(w, name));
	} else
		finish(d, DMARC_DISCOVERY_NONE);
}

/* RFC 9989 4.10.1: the Author Domain's own record is the policy record,
 * whatever lies above it.  A failure above leaves only the Organizational
 * Domain unknown, which matters only to a relaxed alignment that needs
 * it; the evaluation decides that case alone. */
DMARC_COLD static void failed_above_author(dmarc_discovery *d)
{
	diag_failure(d, DMARC_SEVERITY_WARNING);
	dmarc__discovery_diag(d, DMARC_DIAG_ORG_UNKNOWN, DMARC_SEVERITY_WARNING,
	    d->domain);
	d->org_unknown = true;
	apply_record(d, dmarc__walk_at(d->walk, 0)->rec, DMARC_SOURCE_AUTHOR,
	    d->domain, d->domain_len);
}

static void answer_walk(dmarc_discovery *d)
{
	const dmarc_dns_answer *a = &d->answer;
	unsigned int count;
	bool nomem;

	count = dmarc__walk_answer(d->walk, &d->records, d->ctx, a, &nomem);
	if (nomem) {
		out_of_memory(d);
	} else if (count > 1) {
		dmarc__discovery_diag(d, DMARC_DIAG_MULTIPLE_RECORDS,
		    DMARC_SEVERITY_WARNING, d->qname);
	}
}

/* ---- RFC 7489 (+ RFC 9091): author, org domain, longest PSD ---- */

/* After a name with no record: the next name to try, or the end. */
static void psl_next(dmarc_discovery *d)
{
	const char *dot;

	/* the org domain is a suffix of the domain: another name when
	 * shorter */
	if (d->phase == PH_PSL_AUTHOR && d->has_org &&
	    d->org_domain_len != d->domain_len) {
		d->phase = PH_PSL_ORG;
		return;
	}
	dot = d->has_org ? strchr(d->org_domain, '.') : NULL;
	if (d->phase != PH_PSL_PSD && d->ctx->mode == DMARC_MODE_RFC7489_PSD &&
	    dot != NULL && dmarc__psd_accepted(d->ctx, dot + 1)) {
		set_policy_domain(d, dot + 1, d->org_domain_len -
		    (size_t)(dot + 1 - d->org_domain));
		d->phase = PH_PSL_PSD;
		return;
	}
	finish(d, DMARC_DISCOVERY_NONE);
}

static void answer_psl(dmarc_discovery *d)
{
	static const dmarc_source sources[] = { [PH_PSL_AUTHOR] =
		DMARC_SOURCE_AUTHOR, [PH_PSL_ORG] = DMARC_SOURCE_ORG,
		[PH_PSL_PSD] = DMARC_SOURCE_PSD };
	const dmarc_dns_answer *a = &d->answer;
	unsigned int count = a->outcome == DMARC_DNS_RECORDS ? a->n_dmarc : 0;
	const char *name = d->qname + DMARC_PREFIX_LEN;
	const dmarc_record *rec;

	if (count == 0) {
		psl_next(d);
	} else if (count > 1) {
		/* RFC 7489 6.6.3: several records, DMARC is not applied */
		dmarc__discovery_diag(d, DMARC_DIAG_MULTIPLE_RECORDS,
		    DMARC_SEVERITY_WARNING, d->qname);
		finish(d, DMARC_DISCOVERY_NONE);
	} else if ((rec = dmarc__records_get(&d->records, d->ctx, a->text,
	    a->text_len)) == NULL) {
		out_of_memory(d);
	} else { /* the policy domain: the question less "_dmarc." */
		apply_record(d, rec, sources[d->phase], name,
		    d->qname_len - DMARC_PREFIX_LEN);
	}
}

/* ---- does the Author Domain exist (for np) ---- */

static const dmarc_rrtype exist_types[] = { DMARC_RR_A, DMARC_RR_AAAA,
	DMARC_RR_MX };

/* RFC 9989: NXDOMAIN for one query.  RFC 9091: NXDOMAIN or NODATA for
 * each of A, AAAA and MX. */
static void answer_exists(dmarc_discovery *d)
{
	dmarc_dns_outcome o = d->answer.outcome;
	bool gone;

	if (is_bis(d) || o == DMARC_DNS_NXDOMAIN) {
		gone = o == DMARC_DNS_NXDOMAIN;
	} else {
		/* only NODATA for all three says the name does not exist; a
		 * failure proves nothing, so it counts as existing */
		d->exists_seen_data |= o != DMARC_DNS_NODATA;
		if (!d->exists_seen_data && ++d->exist_step < 3)
			return; /* ask the next type */
		gone = !d->exists_seen_data;
	}
	d->author_exists = gone ? 0 : 1;
	d->applied_tag = gone ? DMARC_TAG_NP : DMARC_TAG_SP;
	finish(d, DMARC_DISCOVERY_FOUND);
}

/* RFC 9989: an Organizational Domain lookup of the evaluation climbs
 * through names its Author Domain's walk asked (an identifier under
 * that domain): the answers are taken from that walk, as the caller gave
 * them, not asked again.  The length of the names it may take (0: none),
 * worked out once a lookup: the common tail of the two start names. */
static size_t author_shared(const dmarc_discovery *d)
{
	const dmarc_discovery *a;

	if (!d->org_only || d->author == NULL || (a = *d->author) == d ||
	    a->phase != PH_DONE || a->walk == NULL)
		return 0;
	return dmarc__walk_shared(a->walk, d->walk);
}

/* Several records at the walk's question q, taken from the Author
 * Domain's walk: said as if asked, the question's name set for the
 * diagnostic. */
DMARC_COLD static void taken_several(dmarc_discovery *d, unsigned int q)
{
	const struct walk *w = d->walk;
	const char *name = dmarc__walk_name(w, dmarc__walk_level(w, q));
	size_t len = dmarc__walk_name_len(w, name);

	memcpy(d->qname, DMARC_PREFIX, DMARC_PREFIX_LEN);
	memcpy(d->qname + DMARC_PREFIX_LEN, name, len);
	d->qname_len = DMARC_PREFIX_LEN + len;
	d->qname[d->qname_len] = '\0';
	dmarc__discovery_diag(d, DMARC_DIAG_MULTIPLE_RECORDS,
	    DMARC_SEVERITY_WARNING, d->qname);
}

/* The walk's next names answered by the Author Domain's walk, taken
 * before any question is set up (each counted as one answered). */
DMARC_NOINLINE static void from_author_walk(dmarc_discovery *d, size_t len)
{
	unsigned int q, n;
	bool several;

	if (d->author_shared == SHARED_UNKNOWN) {
		d->author_shared = (uint8_t)author_shared(d);
		if (len > d->author_shared)
			return;
	}
	q = d->walk->next;
	n = dmarc__walk_take_shared(d->walk, (*d->author)->walk,
	    d->author_shared, &several);
	d->queries += n;
	for (n += q; several && q < n; q++)
		if (d->walk->count[q] > 1)
			taken_several(d, q);
}

/* RFC 9989 4.10: the walk's next question, or its end. */
static void advance_walk(dmarc_discovery *d)
{
	struct walk *w = d->walk;
	const char *name = dmarc__walk_next(w);
	size_t len;

	if (name != NULL && d->seek_answers &&
	    (len = dmarc__walk_name_len(w, name)) <= d->author_shared) {
		from_author_walk(d, len);
		name = dmarc__walk_next(w);
	}
	if (name == NULL)
		finish_walk(d);
	else
		dmarc__discovery_ask_n(d, DMARC_PREFIX, DMARC_PREFIX_LEN,
		    name, dmarc__walk_name_len(w, name), DMARC_RR_TXT);
}

/* ---- the machine ---- */

/* Set up the next question, or finish. */
static void advance(dmarc_discovery *d)
{
	switch (d->phase) {
	case PH_WALK:
		advance_walk(d);
		break;
	case PH_PSL_AUTHOR:
		dmarc__discovery_ask_n(d, DMARC_PREFIX, DMARC_PREFIX_LEN,
		    d->domain, d->domain_len, DMARC_RR_TXT);
		break;
	case PH_PSL_ORG:
		dmarc__discovery_ask_n(d, DMARC_PREFIX, DMARC_PREFIX_LEN,
		    d->org_domain, d->org_domain_len, DMARC_RR_TXT);
		break;
	case PH_PSL_PSD:
		dmarc__discovery_ask_n(d, DMARC_PREFIX, DMARC_PREFIX_LEN,
		    d->policy_domain, d->policy_domain_len, DMARC_RR_TXT);
		break;
	case PH_EXISTS:
		dmarc__discovery_ask_n(d, "", 0, d->domain, d->domain_len,
		    exist_types[d->exist_step]);
		break;
	case PH_VERIFY_WALK:
	case PH_VERIFY_QUERY:
		dmarc__verify_advance(d);
		break;
	case PH_IDLE:
	case PH_DONE:
		break;
	}
}

/* Take the answer to the pending question. */
static void consume(dmarc_discovery *d)
{
	d->pending = false;
	if (d->phase == PH_VERIFY_WALK || d->phase == PH_VERIFY_QUERY) {
		dmarc__verify_answer(d);
		return;
	}
	if (d->answer.nomem) { /* a record was seen but could not be kept */
		out_of_memory(d);
		return;
	}
	if (dmarc__dns_failed(&d->answer)) {
		if (d->phase == PH_WALK && !d->org_only &&
		    dmarc__walk_at(d->walk, 0) != NULL)
			failed_above_author(d);
		else
			temperror(d);
		return;
	}
	switch (d->phase) {
	case PH_WALK:
		answer_walk(d);
		break;
	case PH_PSL_AUTHOR:
	case PH_PSL_ORG:
	case PH_PSL_PSD:
		answer_psl(d);
		break;
	case PH_EXISTS:
		answer_exists(d);
		break;
	default:
		break;
	}
}

/* A cached answer stands in for the question. */
static bool from_cache(dmarc_discovery *d)
{
	struct dmarc_cache *c = d->ctx->cache;

	return c != NULL && dmarc__cache_get(c, d->qname, d->qtype,
	    dmarc__now(d->ctx), &d->answer);
}

static void to_cache(dmarc_discovery *d)
{
	struct dmarc_cache *c = d->ctx->cache;

	if (c != NULL)
		dmarc__cache_put(c, d->qname, d->qtype, dmarc__now(d->ctx),
		    &d->answer);
}

/* The evaluation's answers serve policy and Organizational Domain
 * lookups; a report verification, which an evaluation never runs,
 * keeps to its own questions. */
static bool memo_serves(const dmarc_discovery *d)
{
	return d->phase != PH_VERIFY_WALK && d->phase != PH_VERIFY_QUERY;
}

/* An answer the evaluation already has stands in for the question: 1
 * when it does, 0 when there is none, -1 when it could not be copied. */
static int from_memo(dmarc_discovery *d)
{
	if (d->memo->n == 0 || !memo_serves(d))
		return 0;
	return dmarc__memo_find(d->memo, d->qname, d->qname_len, d->qtype,
	    &d->answer);
}

/* An identifier's walk notes what its question was answered (the
 * answer's facts, and its text in the record it gave): kept in the memo
 * only when another lookup of the evaluation starts, which most
 * evaluations never do. */
static void note_answer(dmarc_discovery *d)
{
	struct walk *w = d->walk;
	struct walk_told *t = &w->told[w->next];

	w->unkept |= (uint8_t)(1u << w->next);
	t->outcome = (uint8_t)d->answer.outcome;
	t->ttl = d->answer.ttl;
	t->n_txt = d->answer.n_txt;
	t->n_dmarc = d->answer.n_dmarc;
}

/* The pending question was answered by the caller (or the cache), not
 * by the evaluation's memo: an answer to keep.  A refusal
 * (DMARC_DIAG_QUERY_LIMIT, DMARC_DIAG_DEADLINE) is not an answer, and is
 * refused again if asked again. */
static inline bool answer_to_keep(const dmarc_discovery *d)
{
	return !d->reused && d->unasked == 0 && !d->answer.nomem;
}

/* Keep the answer for the rest of the evaluation.  False on ENOMEM. */
static bool to_memo(dmarc_discovery *d)
{
	if (!answer_to_keep(d) || !memo_serves(d))
		return true;
	return dmarc__memo_keep(d->memo, d->ctx, d->qname, d->qname_len,
	    d->qtype, &d->answer);
}

/* The answer a walk noted for its question q (a failure too, which
 * ended the walk), as the caller gave it, into *a; a DMARC record's text
 * (*text) is the one its record was parsed from.  (Of two or more DMARC
 * records none is kept: only their count is read.)  False when there is
 * no such record. */
static bool noted_answer(const dmarc_discovery *d, unsigned int q,
    dmarc_dns_answer *a, const char **text, size_t *text_len)
{
	const struct walk *w = d->walk;
	const struct walk_told *t = &w->told[q];
	const struct walk_found *found;

	a->outcome = (dmarc_dns_outcome)t->outcome;
	a->ttl = t->ttl;
	a->n_txt = t->n_txt;
	a->n_dmarc = t->n_dmarc;
	*text = NULL;
	*text_len = 0;
	if (a->outcome != DMARC_DNS_RECORDS || a->n_dmarc != 1)
		return true;
	found = dmarc__walk_at(w, dmarc__walk_level(w, q));
	return found != NULL && (*text = dmarc__records_text(&d->records,
	    found->rec, text_len)) != NULL;
}

dmarc_status dmarc__discovery_keep_noted(dmarc_discovery *d)
{
	struct walk *w = d->walk;
	dmarc_dns_answer a;
	char qname[DISCOVERY_QNAME_SIZE];
	const char *name, *text;
	unsigned int q, bits;
	size_t len, text_len;

	bits = w->unkept;
	w->unkept = 0;
	memcpy(qname, DMARC_PREFIX, DMARC_PREFIX_LEN);
	for (q = 0; bits != 0; q++, bits >>= 1) {
		/* a record the walk did not take (no memory to parse it)
		 * ended the evaluation: nothing to keep */
		if ((bits & 1u) == 0 || !noted_answer(d, q, &a, &text,
		    &text_len))
			continue;
		name = dmarc__walk_name(w, dmarc__walk_level(w, q));
		len = dmarc__walk_name_len(w, name);
		memcpy(qname + DMARC_PREFIX_LEN, name, len);
		if (!dmarc__memo_keep_text(d->memo, d->ctx, qname,
		    DMARC_PREFIX_LEN + len, DMARC_RR_TXT, &a, text, text_len))
			return DMARC_ENOMEM;
	}
	return DMARC_OK;
}

/* The pending question answered by the evaluation (its Author Domain's
 * walk or its memo of answers): true when it was, or when that failed
 * (out of memory, the lookup finished). */
static bool seek(dmarc_discovery *d)
{
	int reused;

	reused = from_memo(d);
	if (reused < 0) { /* could not be copied */
		d->pending = false;
		out_of_memory(d);
		return true;
	}
	/* neither cached nor kept again */
	d->cached = d->reused = reused != 0;
	return d->reused;
}

/* to_memo, out of the step's loop (only an evaluation with several From
 * domains keeps its answers); false when the lookup finished for want
 * of memory. */
DMARC_NOINLINE static bool keep(dmarc_discovery *d)
{
	if (to_memo(d))
		return true;
	d->pending = false;
	out_of_memory(d);
	return false;
}

/* keep, but an identifier's walk notes its answers (inline: every
 * question of such a walk), kept in the memo only when another lookup
 * of the evaluation starts (dmarc__discovery_keep_unkept). */
static DMARC_ALWAYS_INLINE bool keep_or_note(dmarc_discovery *d)
{
	if (d->keep_later && d->phase == PH_WALK && answer_to_keep(d)) {
		note_answer(d);
		return true;
	}
	return keep(d);
}

/* A synchronous run puts the question to the context's lookup function
 * itself, unless the run is out of time; an answer left unset counts as
 * a failure. */
static DMARC_ALWAYS_INLINE void ask_lookup(dmarc_discovery *d,
    uint64_t *deadline)
{
	const dmarc_ctx *ctx = d->ctx;

	if (dmarc__past_deadline(ctx, deadline)) {
		dmarc__discovery_refuse(d, DMARC_DIAG_DEADLINE);
		return;
	}
	ctx->lookup_fn(ctx->lookup_user, d->qname, d->qtype, &d->answer);
	if (d->answer.outcome == 0)
		d->answer.outcome = DMARC_DNS_TEMPFAIL;
}

/* The machine's loop, to the next question for the resolver (returned
 * as DMARC_STEP_QUERY) or the end.  With deadline (a synchronous run)
 * each question is asked here and the loop goes on to the end: no
 * return and re-entry for every question.  One function for both, so
 * that the phases' code stays inline in it. */
static dmarc_step machine(dmarc_discovery *d, uint64_t *deadline)
{
	for (;;) {
		if (d->pending) {
			if (d->answer.outcome == 0) { /* still unanswered */
				if (deadline == NULL)
					return DMARC_STEP_QUERY; /* again */
				ask_lookup(d, deadline);
			}
			if (!d->cached)
				to_cache(d);
			if (d->keep_answers && !keep_or_note(d))
				continue;
			consume(d);
		}
		if (d->phase == PH_DONE || d->phase == PH_IDLE)
			return DMARC_STEP_DONE;
		advance(d);
		d->unasked = DMARC_DIAG_NONE;
		d->cached = d->reused = false;
		if (!d->pending || d->answer.outcome != 0)
			continue; /* done, or answered without asking */
		if (d->seek_answers && seek(d))
			continue;
		d->cached = from_cache(d);
		if (d->cached)
			continue;
		if (d->budget == NULL || *d->budget > 0) {
			if (d->budget != NULL)
				--*d->budget;
			/* a question for the resolver */
			if (deadline == NULL)
				return DMARC_STEP_QUERY;
			ask_lookup(d, deadline);
			continue;
		}
		dmarc__discovery_refuse(d, DMARC_DIAG_QUERY_LIMIT);
	}
}

dmarc_step dmarc__discovery_step(dmarc_discovery *d, const char **qname,
    dmarc_rrtype *qtype)
{
	if (machine(d, NULL) == DMARC_STEP_DONE)
		return DMARC_STEP_DONE;
	if (qname != NULL)
		*qname = d->qname;
	if (qtype != NULL)
		*qtype = d->qtype;
	return DMARC_STEP_QUERY;
}

void dmarc__discovery_run_sync(dmarc_discovery *d, uint64_t *deadline)
{
	(void)machine(d, deadline);
}

DMARC_EXPORT dmarc_step dmarc_discovery_step(dmarc_discovery *d,
    const char **qname, dmarc_rrtype *qtype)
{
	if (d == NULL)
		return DMARC_STEP_DONE;
	return dmarc__discovery_step(d, qname, qtype);
}

DMARC_EXPORT dmarc_dns_answer *dmarc_discovery_get_answer(dmarc_discovery *d)
{
	return d != NULL && d->pending ? &d->answer : NULL;
}

DMARC_EXPORT dmarc_status dmarc_discovery_run(dmarc_discovery *d)
{
	uint64_t deadline = 0;

	if (d == NULL)
		return DMARC_EINVAL;
	if (d->phase == PH_IDLE)
		return DMARC_ESTATE;
	if (d->ctx->lookup_fn == NULL)
		return DMARC_ENOLOOKUP;
	dmarc__discovery_run_sync(d, &deadline);
	return d->nomem ? DMARC_ENOMEM : DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_discovery_get_status(const dmarc_discovery *d)
{
	if (d == NULL)
		return DMARC_EINVAL;
	if (d->phase != PH_DONE)
		return DMARC_ESTATE;
	return d->nomem ? DMARC_ENOMEM : DMARC_OK;
}
