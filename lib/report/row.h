/*
 * libdmarc - one aggregate report row: what a record of an aggregate
 * report says about messages (RFC 9990 3.1.1, RFC 7489 7.2), what groups
 * them (the policy domain and the policy as published), when one arrived
 * and how many share it.  Filled from a finished evaluation, or read back
 * from a spool line (lib/report/spool_codec.h).  Never installed.
 *
 * Rows are plain values: no pointers, every string a NUL-terminated array
 * of its own.  Only the first n_reasons reasons and n_dkim signatures are
 * meaningful (the rest is not even initialized), and comparisons and the
 * hash read nothing else.  A row is about 42 KiB, almost all of it room
 * for DKIM signatures: a working object, not what a table of thousands
 * of rows should hold.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_ROW_H
#define DMARC_REPORT_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dmarc/dmarc.h>

/* RFC 9990 3.1.6: the reasons the evaluation gave, at most this many. */
#define REPORT_ROW_MAX_REASONS 4u
/* a reason's comment: printable ASCII, at most 255 bytes, and its NUL */
#define REPORT_ROW_COMMENT_SIZE 256u
/* a DKIM selector (printable ASCII, no space) and its NUL */
#define REPORT_ROW_SELECTOR_SIZE 254u
/* a DKIM checker's human-readable result and its NUL */
#define REPORT_ROW_HUMAN_SIZE 128u
/* The ceiling of DMARC_LIMIT_DKIM_SIGNATURES: an evaluation never keeps
 * more (RFC 9990 3.1.3 asks for at most 100). */
#define REPORT_ROW_MAX_DKIM 64u
/* Problems with the record, for the report's error element (RFC 9990
 * 3.1.5): at most this many, each printable ASCII like a comment. */
#define REPORT_ROW_MAX_ERRORS 4u
/* The text of an IPv6 address, with its NUL (INET6_ADDRSTRLEN). */
#define REPORT_ROW_IP_TEXT_SIZE 46u

/* The published policy, with defaults filled in as the record's getters
 * give them (RFC 9990 3.1.1.5: "unspecified tags have their default
 * values"). */
struct report_policy {
	uint8_t mode;     /* dmarc_mode the record was read under */
	uint8_t method;   /* dmarc_method: discovery_method */
	uint8_t p, sp, np; /* dmarc_policy, effective (sp from p, np from sp) */
	uint8_t adkim, aspf; /* dmarc_alignment */
	uint8_t fo;       /* dmarc_fo bits, never 0 */
	uint8_t pct;      /* 0..100 (RFC 7489; 100 under RFC 9989) */
	uint8_t testing;  /* t=y: 1, else 0 */
	uint8_t psd;      /* dmarc_psd */
	uint8_t zero;     /* 0: no padding, so equal policies are equal bytes */
	uint32_t ri;      /* requested interval, seconds (RFC 7489 ri) */
};

/* The connecting client: family 0 (unknown), 4 or 6; an IPv4 address
 * in the first 4 bytes.  Only the family's bytes count. */
struct report_ip {
	uint8_t family;
	uint8_t addr[16];
};

struct report_reason {
	uint8_t type;               /* dmarc_reason, never DMARC_REASON_NONE */
	bool has_comment;
	char comment[REPORT_ROW_COMMENT_SIZE];
};

/* The raw SPF result (RFC 9990 3.1.1.10); domain "" when the checker
 * gave none that is a domain name. */
struct report_spf {
	uint8_t result;             /* dmarc_verdict */
	uint8_t scope;              /* dmarc_spf_scope */
	char domain[DMARC_DOMAIN_SIZE];
};

/* One DKIM signature's raw result (RFC 9990 3.1.1.11); domain ""
 * when d= was no domain name, selector "" when s= was missing or not a
 * selector, human "" when the checker gave none. */
struct report_dkim {
	uint8_t result;             /* dmarc_verdict */
	char domain[DMARC_DOMAIN_SIZE];
	char selector[REPORT_ROW_SELECTOR_SIZE];
	char human[REPORT_ROW_HUMAN_SIZE];
};

struct report_row {
	uint64_t count;             /* messages, at least 1 */
	uint64_t arrival;           /* seconds since the epoch (of the last) */
	/* what groups rows into one report (RFC 9990 3.1) */
	char policy_domain[DMARC_DOMAIN_SIZE];
	struct report_policy policy;
	uint8_t n_errors;           /* record problems, sorted, distinct */
	char errors[REPORT_ROW_MAX_ERRORS][REPORT_ROW_COMMENT_SIZE];
	/* row and identifiers (RFC 9990 3.1.1.7-3.1.1.9) */
	struct report_ip ip;
	char header_from[DMARC_DOMAIN_SIZE];
	bool has_envelope_from;     /* may be present and "": the null path */
	char envelope_from[DMARC_DOMAIN_SIZE];
	bool has_envelope_to;
	char envelope_to[DMARC_DOMAIN_SIZE];
	/* policy_evaluated */
	uint8_t disposition;        /* dmarc_disposition as applied */
	bool dkim_aligned;          /* DMARC-aligned DKIM: pass (else fail) */
	bool spf_aligned;           /* DMARC-aligned SPF: pass (else fail) */
	uint8_t n_reasons;
	struct report_reason reasons[REPORT_ROW_MAX_REASONS];
	/* auth_results */
	bool has_spf;
	struct report_spf spf;
	uint8_t n_dkim;             /* in RFC 9990 3.1.3 priority order */
	struct report_dkim dkim[REPORT_ROW_MAX_DKIM];
};

/* A row for one message from a finished evaluation (status DMARC_OK, a
 * usable policy record found): count 1, the arrival time, source IP and
 * envelope given to the evaluation, the applied disposition and reasons,
 * the SPF result, and the DKIM signatures kept, in the priority RFC 9990
 * 3.1.3 gives (passing and strictly aligned, passing and relaxed-aligned,
 * other passing, the rest; given order within each).  DMARC_ESTATE when
 * the evaluation has nothing to report (not finished, DMARC_EFROM, no
 * Author Domain, no usable record); DMARC_EINVAL for NULL. */
dmarc_status dmarc__row_from_eval(struct report_row *row,
    const dmarc_eval *ev);

/* Add a record problem to sorted, distinct errors (a row's: kept when
 * among the first REPORT_ROW_MAX_ERRORS in byte order). */
void dmarc__row_add_error(char (*errors)[REPORT_ROW_COMMENT_SIZE],
    uint8_t *n_errors, const char *text);

/* The discovery whose record applied to a finished evaluation that has
 * something to report, else NULL. */
const dmarc_discovery *dmarc__row_discovery(const dmarc_eval *ev);
/* policy_published, defaults filled in, of that discovery's record. */
void dmarc__row_policy(struct report_policy *p, const dmarc_discovery *d);
/* A record diagnostic as error text: "tag: what is wrong", printable
 * ASCII, cut to fit. */
void dmarc__row_error_text(char dst[REPORT_ROW_COMMENT_SIZE],
    const dmarc_diag *diag);
/* The evaluation's kept DKIM signatures in RFC 9990 3.1.3 priority
 * order (indices into its list); their number. */
size_t dmarc__row_dkim_order(const dmarc_eval *ev, const char *header_from,
    uint8_t order[REPORT_ROW_MAX_DKIM]);

/* Whether two rows count the same messages in one record: everything
 * equal but the count and the arrival time (the policy too, so a policy
 * change never merges rows). */
bool dmarc__row_same_tuple(const struct report_row *a,
    const struct report_row *b);

/* A hash of what dmarc__row_same_tuple compares: equal for rows that
 * are the same tuple. */
uint64_t dmarc__row_hash(const struct report_row *row);

/* The source IP as text (RFC 5952 for IPv6) into buf of
 * REPORT_ROW_IP_TEXT_SIZE bytes; "" for family 0. */
void dmarc__row_ip_text(const struct report_ip *ip,
    char buf[REPORT_ROW_IP_TEXT_SIZE]);

/* Read an address of len bytes (IPv4 or IPv6 text, not NUL-terminated);
 * false when it is neither. */
bool dmarc__row_ip_parse(struct report_ip *ip, const char *text, size_t len);

#endif /* DMARC_REPORT_ROW_H */
