/*
 * libdmarc - the elements of an aggregate report as the reader knows
 * them (RFC 9990 section 3 and appendix A; RFC 7489 appendix C): which
 * parent each belongs to, its place in the parent's sequence, whether it
 * may appear once, whether each format requires it, which reader field
 * its text goes to and how that text is read.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_SCHEMA_H
#define DMARC_REPORT_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum report_el {
	EL_NONE, EL_FEEDBACK, EL_VERSION, EL_METADATA, EL_ORG_NAME, EL_EMAIL,
	EL_EXTRA, EL_REPORT_ID, EL_DATE_RANGE, EL_BEGIN, EL_END, EL_ERROR,
	EL_GENERATOR, EL_POLICY, EL_P_DOMAIN, EL_DISCOVERY, EL_ADKIM,
	EL_ASPF, EL_P, EL_SP, EL_NP, EL_PCT, EL_FO, EL_TESTING, EL_EXTENSION,
	EL_RECORD, EL_ROW, EL_SOURCE_IP, EL_COUNT, EL_EVALUATED,
	EL_DISPOSITION, EL_E_DKIM, EL_E_SPF, EL_REASON, EL_R_TYPE,
	EL_R_COMMENT, EL_IDENTIFIERS, EL_HEADER_FROM, EL_ENV_FROM,
	EL_ENV_TO, EL_AUTH, EL_A_DKIM, EL_D_DOMAIN, EL_D_SELECTOR,
	EL_D_RESULT, EL_D_HUMAN, EL_A_SPF, EL_S_DOMAIN, EL_S_SCOPE,
	EL_S_RESULT, EL_S_HUMAN,
	EL_COUNT_, /* number of known elements */
	EL_UNKNOWN = 255
};

/* How an element's text is read. */
enum report_value {
	RV_CONTAINER,  /* elements only */
	RV_TEXT,       /* kept, trimmed */
	RV_NUMBER,     /* a 64-bit count or time: anything else fails */
	RV_PCT,        /* 0..100, else a warning */
	RV_POLICY, RV_DISPOSITION, RV_PASS_FAIL, RV_REASON, RV_DKIM_RESULT,
	RV_SPF_RESULT, RV_SCOPE, RV_ALIGNMENT, RV_TESTING, RV_METHOD
};

/* Formats: bits for the "in" and "required" masks. */
#define RF_7489 1u    /* no namespace, 0.1, 0.2 */
#define RF_9990 2u

struct report_el_def {
	uint8_t id;        /* enum report_el */
	uint8_t parent;
	uint8_t order;     /* place among the parent's children, from 0 */
	uint8_t value;     /* enum report_value */
	uint8_t field;     /* dmarc_reader_field, 0: none */
	uint8_t in;        /* formats that have it */
	uint8_t required;  /* formats that require it */
	bool once;
	const char *name;
};

/* The child of parent named name (len bytes), or NULL. */
const struct report_el_def *dmarc__report_el_find(unsigned parent,
    const char *name, size_t len);
const struct report_el_def *dmarc__report_el(unsigned id);
/* The children of parent (ids[0..n)), except policy_published's. */
size_t dmarc__report_el_children(unsigned parent, const uint8_t **ids);
/* Whether the children of parent must come in order in a format. */
bool dmarc__report_el_sequence(unsigned parent, unsigned format);
/* Elements whose children each keep an index in the DKIM, SPF or
 * reason fields (absent values filled in at their end). */
bool dmarc__report_el_group(unsigned id);

#endif /* DMARC_REPORT_SCHEMA_H */
