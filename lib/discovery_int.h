/*
 * libdmarc - the discovery state machine's private parts: the tree walk
 * (lib/walk.c), the machine (lib/discovery.c) and report destination
 * verification (lib/verify.c).  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_DISCOVERY_INT_H
#define DMARC_DISCOVERY_INT_H

#include <string.h>

#include "dns_int.h"
#include "name_plain.h"
#include "psl_int.h"

#define WALK_MAX_QUERIES 8u   /* RFC 9989 4.10 */
#define DNS_MAX_NAME 253u     /* octets of a name as text, no final dot */
#define MAX_LABELS 127u       /* 253 octets hold at most 127 labels */
#define DISCOVERY_MAX_DIAGS 16u
/* The longest question a lookup asks: "_dmarc." and a name, NUL
 * included (a report authorization's is held to DNS_MAX_NAME in all,
 * lib/verify.c). */
#define DISCOVERY_QNAME_SIZE (sizeof "_dmarc." + DNS_MAX_NAME)
#define SHARED_UNKNOWN 255u   /* over any name's length */

/* Parsed records by their text (lib/record_cache.c).  A lookup refers
 * to at most 8 walk records; verifying one destination to the policy
 * record and the 8 of that destination's walk. */
#define RECORD_SLOTS 20u
/* Slots a cache fills before it reuses one no lookup is using: the
 * records an evaluation object keeps between messages (the usual
 * lookup uses one or two). */
#define RECORD_KEEP 6u
/* Authorization records (<policy>._report._dmarc.<host>): one for each
 * URI a verification checks, kept to its end. */
#define AUTH_SLOTS (2u * DMARC_MAX_URIS_PER_LIST)

struct record_slot {
	dmarc_record *rec;
	char *text;
	size_t len, cap;
	bool referenced;            /* used since the hand last passed */
	unsigned long used;         /* clock of the last use */
};

#define RECORD_PEERS 2u

/* A cache of at most max slots, made as they are needed (an object
 * that sees few records holds few). */
struct record_cache {
	struct record_slot *slot;
	uint32_t *hash;             /* of each slot's text */
	uint8_t *index;             /* slot numbers + 1 by hash (record_cache.c) */
	size_t mask;                /* the index's size - 1 */
	size_t n, cap, max;         /* slots used, made, at most */
	size_t hand;                /* where the next victim is sought */
	unsigned long clock, epoch; /* epoch: clock when the lookup began */
	/* the caches of the other discovery objects of an evaluation: a
	 * record one of them parsed is shared, not parsed again (RFC 9989:
	 * the Author Domain's record is found again by the tree walk of an
	 * identifier below it) */
	const struct record_cache *peer[RECORD_PEERS];
};

/* An empty cache of at most max slots. */
void dmarc__records_init(struct record_cache *c, size_t max);
/* Share records with the caches a and b (either NULL), which must live
 * as long as c is used: an evaluation's discovery objects. */
void dmarc__records_peer(struct record_cache *c, const struct record_cache *a,
    const struct record_cache *b);
/* A new lookup begins: what it uses stays until the next one. */
void dmarc__records_begin(struct record_cache *c);
/* Keep rec (from this cache) through the lookup just begun. */
void dmarc__records_keep(struct record_cache *c, const dmarc_record *rec);
void dmarc__records_free(struct record_cache *c, const dmarc_ctx *ctx);
/* The text of rec, a record c holds (*len bytes); NULL when it holds
 * none such. */
const char *dmarc__records_text(const struct record_cache *c,
    const dmarc_record *rec, size_t *len);
/* The record for this text, parsed once; NULL on allocation failure. */
const dmarc_record *dmarc__records_get(struct record_cache *c,
    const dmarc_ctx *ctx, const char *text, size_t len);

/* A record found at one name of a walk: label index in the start name
 * (0 is the start itself). */
struct walk_found {
	unsigned int level;
	const dmarc_record *rec;
};

/* One RFC 9989 tree walk from a start name. */
struct walk {
	const char *start;              /* the name walked, NUL-terminated:
	                                   the caller's, unchanged until the
	                                   walk is set up again */
	uint8_t len;                    /* of start */
	uint8_t label[MAX_LABELS];      /* offset of each label in start
	                                   (under DMARC_DOMAIN_SIZE) */
	unsigned int n_labels;
	unsigned int first;             /* the level asked second: 1, or past
	                                   8 labels the 7th from the root */
	unsigned int n_plan, next;      /* names to ask, names asked */
	struct walk_found found[WALK_MAX_QUERIES];
	unsigned int n_found;
	uint8_t count[WALK_MAX_QUERIES]; /* DMARC records answered for each
	                                    name asked (at most 255 told) */
	bool stopped;                   /* psd=y or psd=n seen */
	/* an evaluation's identifier walk (keep_later): the questions
	 * answered (bit k: question k) whose answers are not yet in the
	 * evaluation's memo, and what each was answered */
	uint8_t unkept;
	struct walk_told {
		uint8_t outcome;
		uint32_t ttl, n_txt, n_dmarc;
	} told[WALK_MAX_QUERIES];
};

/* Set up a walk of a normalized name of len bytes, NUL-terminated (no
 * queries yet); the walk refers to it, not a copy. */
void dmarc__walk_init(struct walk *w, const char *start, size_t len);
/* Forget the records a walk found (they belong to the record cache). */
void dmarc__walk_clear(struct walk *w);
/* The level of the walk's question k (under n_plan): RFC 9989 4.10
 * asks the start name, then its ancestors towards the root, past 8
 * labels only the 7 shortest (levels first to n_labels - 1). */
static inline unsigned int dmarc__walk_level(const struct walk *w,
    unsigned int k)
{
	return k == 0 ? 0 : w->first + k - 1;
}
/* The name of a level. */
static inline const char *dmarc__walk_name(const struct walk *w,
    unsigned int level)
{
	return w->start + w->label[level];
}
/* The next name to query (a suffix of start), or NULL when done. */
static inline const char *dmarc__walk_next(const struct walk *w)
{
	if (w->stopped || w->next >= w->n_plan)
		return NULL;
	return dmarc__walk_name(w, dmarc__walk_level(w, w->next));
}
/* The length of a name the walk gave (a suffix of its start). */
static inline size_t dmarc__walk_name_len(const struct walk *w,
    const char *name)
{
	return w->len - (size_t)(name - w->start);
}
/* Record the answer for the current name and move on; returns the DMARC
 * record count seen there.  *nomem on allocation failure. */
unsigned int dmarc__walk_answer(struct walk *w, struct record_cache *c,
    const dmarc_ctx *ctx, const dmarc_dns_answer *a, bool *nomem);
/* The same for an answer known by what it held: count DMARC records,
 * rec the one when count is 1. */
void dmarc__walk_take(struct walk *w, unsigned int count,
    const dmarc_record *rec);
/* The length of the longest name both walks' start names end with (a
 * whole name in both: the start itself or what follows a dot), 0 for
 * none.  Every name of b's walk that long or shorter is one of a's. */
size_t dmarc__walk_shared(const struct walk *a, const struct walk *b);
/* Whether walk w asked its name of len bytes (no longer than its start)
 * and took its answer: *count and *rec (or NULL) as they were. */
bool dmarc__walk_asked(const struct walk *w, size_t len, unsigned int *count,
    const dmarc_record **rec);
/* Take b's next names that are shared bytes long or shorter (shared:
 * dmarc__walk_shared(a, b)) from the answers a took for them, while a
 * asked them; *several when one of them had several records (the
 * caller tells which).  Returns how many names were taken. */
unsigned int dmarc__walk_take_shared(struct walk *b, const struct walk *a,
    size_t shared, bool *several);
/* RFC 9989 4.10.2: the level of the Organizational Domain; *unqueried
 * when that name was skipped by the walk (its psd=y parent lies in the
 * last 7 labels of a longer name). */
unsigned int dmarc__walk_org_level(const struct walk *w, bool *unqueried);
/* What the end of a walk reads: the Organizational Domain's level and
 * whether it went unqueried (dmarc__walk_org_level), and the records
 * found at the start, at that level and with psd=y (the first; NULL
 * for none), in one pass. */
struct walk_outcome {
	unsigned int org_level;
	bool unqueried;
	const struct walk_found *at_author, *at_org, *psd;
};
void dmarc__walk_outcome(const struct walk *w, struct walk_outcome *o);
/* The record found at a level, or NULL. */
const struct walk_found *dmarc__walk_at(const struct walk *w,
    unsigned int level);

/* The machine's steps. */
enum phase {
	PH_IDLE,
	PH_WALK,         /* RFC 9989 walk from the Author Domain */
	PH_PSL_AUTHOR,   /* RFC 7489: _dmarc.<author> */
	PH_PSL_ORG,      /* RFC 7489: _dmarc.<org domain> */
	PH_PSL_PSD,      /* RFC 9091: _dmarc.<longest PSD> */
	PH_EXISTS,       /* does the Author Domain exist (for np) */
	PH_VERIFY_WALK,  /* RFC 9989: Organizational Domain of a destination */
	PH_VERIFY_QUERY, /* <policy>._report._dmarc.<destination> */
	PH_DONE
};

struct discovery_diag {
	dmarc_diag diag;
	char name[DISCOVERY_QNAME_SIZE];
};

/* What report destination verification needs (lib/verify.c). */
struct verify_state {
	struct walk dest_walk;
	char dest[DMARC_DOMAIN_SIZE];
	uint8_t auth[2 * DMARC_MAX_URIS_PER_LIST];
	/* the authorizing record whose rua (ruf) replaces each URI, or NULL
	 * (RFC 9990 4); it lives in auth_records until the next start */
	const dmarc_record *override[2 * DMARC_MAX_URIS_PER_LIST];
	struct record_cache auth_records; /* AUTH_SLOTS */
};

struct dmarc_discovery {
	const dmarc_ctx *ctx;
	enum phase phase;
	bool org_only;
	/* the pending question */
	bool pending;
	char qname[DISCOVERY_QNAME_SIZE];
	size_t qname_len;
	dmarc_rrtype qtype;
	dmarc_dns_answer answer;
	bool cached;             /* the answer came from the cache */
	unsigned int queries;
	bool nomem;              /* an allocation failed on the way */
	/* questions the resolver may still be given (NULL: no limit); an
	 * evaluation shares one budget between its lookups */
	size_t *budget;
	dmarc_diag_code unasked; /* why the pending question was not asked
	                            (0: it was) */
	/* the answers of the evaluation the object belongs to (NULL: none),
	 * shared by its objects: a question it was answered is never asked
	 * again, and reused is set when the pending one was answered so */
	struct answer_memo *memo;
	bool reused;
	bool keep_answers;       /* this object keeps its answers there */
	bool keep_later;         /* when another lookup may ask them: an
	                            identifier's walk notes them in the
	                            walk (dmarc__discovery_keep_unkept) */
	bool seek_answers;       /* and looks for its questions there (and
	                            in the Author Domain's walk); both set
	                            by the evaluation */
	uint8_t author_shared;   /* dmarc__walk_shared of that walk and
	                            this lookup's, SHARED_UNKNOWN until
	                            worked out */
	/* RFC 9989: the evaluation's Author Domain lookup (NULL: none),
	 * whose walk an Organizational Domain lookup climbs through again
	 * (its answers are taken from there, not asked) */
	struct dmarc_discovery *const *author;
	/* the lookup */
	char domain[DMARC_DOMAIN_SIZE];
	uint8_t domain_len;
	struct walk *walk;       /* RFC 9989: made by the first lookup */
	struct record_cache records;     /* RECORD_SLOTS */
	/* the memo of Organizational Domains used: own_memo, or that of
	 * the evaluation the object belongs to (its objects share one) */
	struct psl_memo **psl_memo;
	struct psl_memo *own_memo;
	unsigned int exist_step; /* existence queries answered */
	bool exists_seen_data;   /* some existence query found the name */
	/* results */
	dmarc_discovery_result result;
	dmarc_source source;
	dmarc_method method;
	dmarc_tag applied_tag;
	int author_exists;
	const dmarc_record *record;
	char policy_domain[DMARC_DOMAIN_SIZE];
	uint8_t policy_domain_len;
	const char *org_domain;  /* a suffix of the name looked up: of
	                            domain, or of the walk's start */
	uint8_t org_domain_len;
	bool has_org;
	bool org_unknown;        /* RFC 9989: a failure above the author's
	                            record left it unknown */
	/* the question that failed: made by the first failure and kept
	 * (most objects never see one) */
	char *failed_name;
	bool has_failed_name;
	/* report destination verification: made by the first
	 * dmarc_discovery_start_verify and kept (most objects never verify) */
	struct verify_state *verify;
	size_t verify_index;     /* rua URIs first, then ruf */
	bool verify_asked;       /* the authorization query is out */
	bool verified;           /* verify's auth and override may be set */
	/* diagnostics */
	/* the first DIAG_FIRST, then the rest: two blocks made on use and
	 * kept, so that an object whose lookups had a warning or two holds
	 * little, and a diagnostic handed out stays where it is */
	struct discovery_diag *diags, *more_diags;
	unsigned int n_diags;
};

#define DIAG_FIRST 2u

/* Diagnostic i (under n_diags). */
static inline struct discovery_diag *dmarc__discovery_diag_at(
    const dmarc_discovery *d, unsigned int i)
{
	return i < DIAG_FIRST ? &d->diags[i] : &d->more_diags[i - DIAG_FIRST];
}

/* The policy of the tag the lookup applied (dmarc_discovery_get_policy,
 * inline for the evaluation). */
static inline dmarc_policy dmarc__discovery_policy(const dmarc_discovery *d)
{
	if (d->record == NULL || d->applied_tag == 0)
		return DMARC_POLICY_UNSPECIFIED;
	return dmarc_record_get_policy(d->record, d->applied_tag);
}

/* dmarc_discovery_step, called from inside the library (the
 * evaluation) without the PLT. */
dmarc_step dmarc__discovery_step(dmarc_discovery *d, const char **qname,
    dmarc_rrtype *qtype);
/* Run to the end, each question put to the context's lookup function
 * (there must be one) unless the run is past its deadline (*deadline:
 * dmarc__past_deadline's, one for all the lookups of a run). */
void dmarc__discovery_run_sync(dmarc_discovery *d, uint64_t *deadline);

/* Start on a name already normalized, of len bytes
 * (lib/discovery_object.c). */
dmarc_status dmarc__discovery_start_normalized(dmarc_discovery *d,
    const char *name, size_t len, bool org_only);
dmarc_status dmarc__discovery_begin(dmarc_discovery *d, bool org_only);
/* RFC 9989: start an evaluation's identifier lookup, an Organizational
 * Domain found by a tree walk of name (normalized, len bytes), on an
 * object used for nothing else: only what such a walk sets is reset. */
dmarc_status dmarc__discovery_start_walk(dmarc_discovery *d,
    const char *name, size_t len);

/* An identifier's walk (keep_later): keep the answers it noted in the
 * evaluation's memo, before another lookup of the evaluation may ask
 * them (lib/discovery.c); DMARC_ENOMEM when they could not be kept. */
dmarc_status dmarc__discovery_keep_noted(dmarc_discovery *d);
static inline dmarc_status dmarc__discovery_keep_unkept(dmarc_discovery *d)
{
	if (d->walk == NULL || d->walk->unkept == 0)
		return DMARC_OK; /* the usual case, inline */
	return dmarc__discovery_keep_noted(d);
}
/* A new evaluation: what the last one's walk noted is not its own. */
static inline void dmarc__discovery_drop_unkept(dmarc_discovery *d)
{
	if (d != NULL && d->walk != NULL)
		d->walk->unkept = 0;
}

/* Add a diagnostic about a DNS name (lib/discovery.c). */
void dmarc__discovery_diag(dmarc_discovery *d, dmarc_diag_code code,
    dmarc_severity severity, const char *name);
/* Ask a question: sets qname ("prefix" + name, of the lengths given)
 * and qtype; false when the name is too long for DNS.  Inline: the
 * prefix, "_dmarc." or none, is copied as a constant. */
void dmarc__discovery_ask_long(dmarc_discovery *d);
static inline bool dmarc__discovery_ask_n(dmarc_discovery *d,
    const char *prefix, size_t p, const char *name, size_t n,
    dmarc_rrtype qtype)
{
	dmarc_dns_answer *a = &d->answer;

	if (p + n >= sizeof d->qname)
		return false;
	memcpy(d->qname, prefix, p);
	dmarc__copy_name(d->qname + p, name, n);
	d->qname[p + n] = '\0';
	d->qname_len = p + n;
	d->qtype = qtype;
	d->pending = true;
	d->queries++;
	dmarc__answer_reset(a, d->ctx);
	a->qname = d->qname;
	if (p + n > DNS_MAX_NAME)
		dmarc__discovery_ask_long(d);
	return true;
}

static inline bool dmarc__discovery_ask(dmarc_discovery *d,
    const char *prefix, const char *name, dmarc_rrtype qtype)
{
	return dmarc__discovery_ask_n(d, prefix, strlen(prefix), name,
	    strlen(name), qtype);
}

/* Answer the pending question with a failure the resolver never saw:
 * code says why (DMARC_DIAG_QUERY_LIMIT, DMARC_DIAG_DEADLINE). */
void dmarc__discovery_refuse(dmarc_discovery *d, dmarc_diag_code code);
/* Only records, NODATA and NXDOMAIN say what a name holds (the outcomes
 * 1 to 3; any other value, a caller's too, is a failure). */
static inline bool dmarc__dns_failed(const dmarc_dns_answer *a)
{
	return (unsigned int)a->outcome - DMARC_DNS_RECORDS >
	    DMARC_DNS_NXDOMAIN - DMARC_DNS_RECORDS;
}
/* Why the pending question failed, as a diagnostic code. */
dmarc_diag_code dmarc__failure_code(const dmarc_discovery *d);

/* Verification (lib/verify.c): set up the next question or finish. */
void dmarc__verify_advance(dmarc_discovery *d);
/* Take the answer to a verification question. */
void dmarc__verify_answer(dmarc_discovery *d);
/* The n-th URI reports for URI index of tag go to (*out, NULL when n is
 * past the end); returns how many there are. */
size_t dmarc__verify_destination(const dmarc_discovery *d, dmarc_tag tag,
    size_t index, size_t n, const dmarc_uri **out);

#endif /* DMARC_DISCOVERY_INT_H */
