/*
 * libdmarc - the elements of an aggregate report (report_schema.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <string.h>

#include <dmarc/reader.h>

#include "report_schema.h"

#define B (RF_7489 | RF_9990)
#define O7 RF_7489
#define O9 RF_9990

/* Indexed by id. */
static const struct report_el_def elements[EL_COUNT_] = {
	{ EL_NONE, EL_NONE, 0, RV_CONTAINER, 0, 0, 0, false, "" },
	{ EL_FEEDBACK, EL_NONE, 0, RV_CONTAINER, 0, B, B, true, "feedback" },
	{ EL_VERSION, EL_FEEDBACK, 0, RV_TEXT, DMARC_FIELD_VERSION, B, O7, true,
	    "version" },
	{ EL_METADATA, EL_FEEDBACK, 1, RV_CONTAINER, 0, B, B, true,
	    "report_metadata" },
	{ EL_ORG_NAME, EL_METADATA, 0, RV_TEXT, DMARC_FIELD_ORG_NAME, B, B, true,
	    "org_name" },
	{ EL_EMAIL, EL_METADATA, 1, RV_TEXT, DMARC_FIELD_EMAIL, B, B, true,
	    "email" },
	{ EL_EXTRA, EL_METADATA, 2, RV_TEXT, DMARC_FIELD_EXTRA_CONTACT_INFO, B, 0,
	    true, "extra_contact_info" },
	{ EL_REPORT_ID, EL_METADATA, 3, RV_TEXT, DMARC_FIELD_REPORT_ID, B, B,
	    true, "report_id" },
	{ EL_DATE_RANGE, EL_METADATA, 4, RV_CONTAINER, 0, B, B, true,
	    "date_range" },
	{ EL_BEGIN, EL_DATE_RANGE, 0, RV_NUMBER, DMARC_FIELD_BEGIN, B, B, true,
	    "begin" },
	{ EL_END, EL_DATE_RANGE, 1, RV_NUMBER, DMARC_FIELD_END, B, B, true,
	    "end" },
	{ EL_ERROR, EL_METADATA, 5, RV_TEXT, DMARC_FIELD_ERROR, B, 0, false,
	    "error" },
	{ EL_GENERATOR, EL_METADATA, 6, RV_TEXT, DMARC_FIELD_GENERATOR, O9, 0,
	    true, "generator" },
	{ EL_POLICY, EL_FEEDBACK, 2, RV_CONTAINER, 0, B, B, true,
	    "policy_published" },
	{ EL_P_DOMAIN, EL_POLICY, 0, RV_TEXT, DMARC_FIELD_POLICY_DOMAIN, B, B,
	    true, "domain" },
	{ EL_DISCOVERY, EL_POLICY, 1, RV_METHOD, DMARC_FIELD_DISCOVERY_METHOD, O9,
	    0, true, "discovery_method" },
	{ EL_ADKIM, EL_POLICY, 2, RV_ALIGNMENT, DMARC_FIELD_ADKIM, B, 0, true,
	    "adkim" },
	{ EL_ASPF, EL_POLICY, 3, RV_ALIGNMENT, DMARC_FIELD_ASPF, B, 0, true,
	    "aspf" },
	{ EL_P, EL_POLICY, 4, RV_POLICY, DMARC_FIELD_P, B, B, true, "p" },
	{ EL_SP, EL_POLICY, 5, RV_POLICY, DMARC_FIELD_SP, B, O7, true, "sp" },
	{ EL_NP, EL_POLICY, 6, RV_POLICY, DMARC_FIELD_NP, O9, 0, true, "np" },
	{ EL_PCT, EL_POLICY, 7, RV_PCT, DMARC_FIELD_PCT, O7, O7, true, "pct" },
	{ EL_FO, EL_POLICY, 8, RV_TEXT, DMARC_FIELD_FO, B, O7, true, "fo" },
	{ EL_TESTING, EL_POLICY, 9, RV_TESTING, DMARC_FIELD_TESTING, O9, 0, true,
	    "testing" },
	{ EL_EXTENSION, EL_FEEDBACK, 3, RV_CONTAINER, 0, O9, 0, true,
	    "extension" },
	{ EL_RECORD, EL_FEEDBACK, 4, RV_CONTAINER, 0, B, B, false, "record" },
	{ EL_ROW, EL_RECORD, 0, RV_CONTAINER, 0, B, B, true, "row" },
	{ EL_SOURCE_IP, EL_ROW, 0, RV_TEXT, DMARC_FIELD_SOURCE_IP, B, B, true,
	    "source_ip" },
	{ EL_COUNT, EL_ROW, 1, RV_NUMBER, DMARC_FIELD_COUNT, B, B, true,
	    "count" },
	{ EL_EVALUATED, EL_ROW, 2, RV_CONTAINER, 0, B, B, true,
	    "policy_evaluated" },
	{ EL_DISPOSITION, EL_EVALUATED, 0, RV_DISPOSITION,
	    DMARC_FIELD_DISPOSITION, B, B, true, "disposition" },
	{ EL_E_DKIM, EL_EVALUATED, 1, RV_PASS_FAIL, DMARC_FIELD_DKIM_ALIGNED, B,
	    B, true, "dkim" },
	{ EL_E_SPF, EL_EVALUATED, 2, RV_PASS_FAIL, DMARC_FIELD_SPF_ALIGNED, B, B,
	    true, "spf" },
	{ EL_REASON, EL_EVALUATED, 3, RV_CONTAINER, 0, B, 0, false,
	    "reason" },
	{ EL_R_TYPE, EL_REASON, 0, RV_REASON, DMARC_FIELD_REASON_TYPE, B, B,
	    true, "type" },
	{ EL_R_COMMENT, EL_REASON, 1, RV_TEXT, DMARC_FIELD_REASON_COMMENT, B, 0,
	    true, "comment" },
	{ EL_IDENTIFIERS, EL_RECORD, 1, RV_CONTAINER, 0, B, B, true,
	    "identifiers" },
	{ EL_HEADER_FROM, EL_IDENTIFIERS, 0, RV_TEXT, DMARC_FIELD_HEADER_FROM, B,
	    B, true, "header_from" },
	{ EL_ENV_FROM, EL_IDENTIFIERS, 1, RV_TEXT, DMARC_FIELD_ENVELOPE_FROM, B,
	    O7, true, "envelope_from" },
	{ EL_ENV_TO, EL_IDENTIFIERS, 2, RV_TEXT, DMARC_FIELD_ENVELOPE_TO, B, 0,
	    true, "envelope_to" },
	{ EL_AUTH, EL_RECORD, 2, RV_CONTAINER, 0, B, B, true,
	    "auth_results" },
	{ EL_A_DKIM, EL_AUTH, 0, RV_CONTAINER, 0, B, 0, false, "dkim" },
	{ EL_D_DOMAIN, EL_A_DKIM, 0, RV_TEXT, DMARC_FIELD_DKIM_DOMAIN, B, B, true,
	    "domain" },
	{ EL_D_SELECTOR, EL_A_DKIM, 1, RV_TEXT, DMARC_FIELD_DKIM_SELECTOR, B, O9,
	    true, "selector" },
	{ EL_D_RESULT, EL_A_DKIM, 2, RV_DKIM_RESULT, DMARC_FIELD_DKIM_RESULT, B,
	    B, true, "result" },
	{ EL_D_HUMAN, EL_A_DKIM, 3, RV_TEXT, DMARC_FIELD_DKIM_HUMAN_RESULT, B, 0,
	    true, "human_result" },
	{ EL_A_SPF, EL_AUTH, 1, RV_CONTAINER, 0, B, O7, false, "spf" },
	{ EL_S_DOMAIN, EL_A_SPF, 0, RV_TEXT, DMARC_FIELD_SPF_DOMAIN, B, B, true,
	    "domain" },
	{ EL_S_SCOPE, EL_A_SPF, 1, RV_SCOPE, DMARC_FIELD_SPF_SCOPE, B, O7, true,
	    "scope" },
	{ EL_S_RESULT, EL_A_SPF, 2, RV_SPF_RESULT, DMARC_FIELD_SPF_RESULT, B, B,
	    true, "result" },
	{ EL_S_HUMAN, EL_A_SPF, 3, RV_TEXT, DMARC_FIELD_SPF_HUMAN_RESULT, O9, 0,
	    true, "human_result" },
};

const struct report_el_def *dmarc__report_el(unsigned id)
{
	return id < EL_COUNT_ ? &elements[id] : NULL;
}

/* The children of each container, 0-terminated, so a lookup compares a
 * handful of names. */
static const uint8_t children[][8] = {
	[EL_NONE] = { EL_FEEDBACK },
	[EL_FEEDBACK] = { EL_RECORD, EL_VERSION, EL_METADATA, EL_POLICY,
	    EL_EXTENSION },
	[EL_METADATA] = { EL_ORG_NAME, EL_EMAIL, EL_EXTRA, EL_REPORT_ID,
	    EL_DATE_RANGE, EL_ERROR, EL_GENERATOR },
	[EL_DATE_RANGE] = { EL_BEGIN, EL_END },
	[EL_POLICY] = { EL_P_DOMAIN, EL_DISCOVERY, EL_ADKIM, EL_ASPF, EL_P,
	    EL_SP, EL_NP },
	[EL_RECORD] = { EL_ROW, EL_IDENTIFIERS, EL_AUTH },
	[EL_ROW] = { EL_SOURCE_IP, EL_COUNT, EL_EVALUATED },
	[EL_EVALUATED] = { EL_DISPOSITION, EL_E_DKIM, EL_E_SPF, EL_REASON },
	[EL_REASON] = { EL_R_TYPE, EL_R_COMMENT },
	[EL_IDENTIFIERS] = { EL_HEADER_FROM, EL_ENV_FROM, EL_ENV_TO },
	[EL_AUTH] = { EL_A_DKIM, EL_A_SPF },
	[EL_A_DKIM] = { EL_D_DOMAIN, EL_D_SELECTOR, EL_D_RESULT, EL_D_HUMAN },
	[EL_A_SPF] = { EL_S_DOMAIN, EL_S_SCOPE, EL_S_RESULT, EL_S_HUMAN },
	[EL_S_HUMAN] = { 0 }
};

/* policy_published has more children than a row of the list holds */
static const uint8_t policy_more[] = { EL_PCT, EL_FO, EL_TESTING, 0 };

static const struct report_el_def *find_in(const uint8_t *ids, size_t n,
    const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < n && ids[i] != 0; i++) {
		const char *el = elements[ids[i]].name;

		if (el[0] == name[0] && strncmp(el, name, len) == 0 &&
		    el[len] == '\0')
			return &elements[ids[i]];
	}
	return NULL;
}

size_t dmarc__report_el_children(unsigned parent, const uint8_t **ids)
{
	size_t n = 0;

	if (parent >= sizeof children / sizeof children[0] ||
	    parent == EL_POLICY) {
		*ids = NULL;
		return 0;
	}
	*ids = children[parent];
	while (n < sizeof children[0] && children[parent][n] != 0)
		n++;
	return n;
}

const struct report_el_def *dmarc__report_el_find(unsigned parent,
    const char *name, size_t len)
{
	const struct report_el_def *d;

	if (len == 0 || parent >= sizeof children / sizeof children[0])
		return NULL;
	d = find_in(children[parent], sizeof children[0], name, len);
	if (d == NULL && parent == EL_POLICY)
		d = find_in(policy_more, sizeof policy_more, name, len);
	return d;
}

bool dmarc__report_el_sequence(unsigned parent, unsigned format)
{
	switch (parent) {
	case EL_FEEDBACK:
	case EL_RECORD:
	case EL_EVALUATED:
	case EL_AUTH:
		return true;
	case EL_METADATA:
		return format == RF_7489;
	default:
		return false;
	}
}

bool dmarc__report_el_group(unsigned id)
{
	return id == EL_REASON || id == EL_A_DKIM || id == EL_A_SPF;
}
