/*
 * Compare two parsed records through the public getters: every value,
 * URI and diagnostic.  Used by the tests that hold the record parser's
 * fast path to the general parser (test/test-record-fast.c and the fuzz
 * target test/fuzz/fuzz-record-fast.c).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef TEST_RECORD_COMPARE_H
#define TEST_RECORD_COMPARE_H

#include <string.h>

#include <dmarc/dmarc.h>

static inline int same_string(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static inline const char *values_differ(const dmarc_record *a,
    const dmarc_record *b)
{
	int t;

	if (dmarc_record_get_state(a) != dmarc_record_get_state(b))
		return "state";
	if (dmarc_record_get_mode(a) != dmarc_record_get_mode(b))
		return "mode";
	for (t = DMARC_TAG_V; t <= DMARC_TAG_T; t++)
		if (dmarc_record_has_tag(a, (dmarc_tag)t) !=
		    dmarc_record_has_tag(b, (dmarc_tag)t))
			return "has_tag";
	for (t = DMARC_TAG_P; t <= DMARC_TAG_NP; t++)
		if (dmarc_record_get_policy(a, (dmarc_tag)t) !=
		    dmarc_record_get_policy(b, (dmarc_tag)t))
			return "policy";
	if (dmarc_record_get_alignment(a, DMARC_TAG_ADKIM) !=
	    dmarc_record_get_alignment(b, DMARC_TAG_ADKIM) ||
	    dmarc_record_get_alignment(a, DMARC_TAG_ASPF) !=
	    dmarc_record_get_alignment(b, DMARC_TAG_ASPF))
		return "alignment";
	if (dmarc_record_get_pct(a) != dmarc_record_get_pct(b) ||
	    dmarc_record_get_ri(a) != dmarc_record_get_ri(b) ||
	    dmarc_record_get_fo(a) != dmarc_record_get_fo(b) ||
	    dmarc_record_get_rf(a) != dmarc_record_get_rf(b) ||
	    dmarc_record_get_psd(a) != dmarc_record_get_psd(b) ||
	    dmarc_record_get_testing(a) != dmarc_record_get_testing(b))
		return "value";
	return NULL;
}

static inline const char *uris_differ(const dmarc_record *a,
    const dmarc_record *b, dmarc_tag list)
{
	size_t i, n = dmarc_record_get_uri_count(a, list);

	if (n != dmarc_record_get_uri_count(b, list))
		return "uri count";
	for (i = 0; i < n; i++) {
		const dmarc_uri *x = dmarc_record_get_uri(a, list, i);
		const dmarc_uri *y = dmarc_record_get_uri(b, list, i);
		if (!same_string(dmarc_uri_get_text(x), dmarc_uri_get_text(y)) ||
		    !same_string(dmarc_uri_get_scheme(x),
		    dmarc_uri_get_scheme(y)) ||
		    !same_string(dmarc_uri_get_address(x),
		    dmarc_uri_get_address(y)) ||
		    dmarc_uri_get_size_limit(x) != dmarc_uri_get_size_limit(y) ||
		    dmarc_uri_get_flags(x) != dmarc_uri_get_flags(y))
			return "uri";
	}
	return NULL;
}

static inline const char *diags_differ(const dmarc_record *a,
    const dmarc_record *b)
{
	size_t i, n = dmarc_record_get_diag_count(a);

	if (n != dmarc_record_get_diag_count(b))
		return "diagnostic count";
	for (i = 0; i < n; i++) {
		const dmarc_diag *x = dmarc_record_get_diag(a, i);
		const dmarc_diag *y = dmarc_record_get_diag(b, i);
		if (dmarc_diag_get_code(x) != dmarc_diag_get_code(y) ||
		    dmarc_diag_get_severity(x) != dmarc_diag_get_severity(y) ||
		    dmarc_diag_get_offset(x) != dmarc_diag_get_offset(y) ||
		    dmarc_diag_get_length(x) != dmarc_diag_get_length(y) ||
		    !same_string(dmarc_diag_get_tag(x), dmarc_diag_get_tag(y)) ||
		    !same_string(dmarc_diag_get_text(x),
		    dmarc_diag_get_text(y)) ||
		    !same_string(dmarc_diag_get_domain(x),
		    dmarc_diag_get_domain(y)))
			return "diagnostic";
	}
	return NULL;
}

/* NULL when a and b are the same record, else what differs first. */
static inline const char *records_differ(const dmarc_record *a,
    const dmarc_record *b)
{
	const char *what = values_differ(a, b);

	if (what == NULL)
		what = uris_differ(a, b, DMARC_TAG_RUA);
	if (what == NULL)
		what = uris_differ(a, b, DMARC_TAG_RUF);
	if (what == NULL)
		what = diags_differ(a, b);
	return what;
}

#endif /* TEST_RECORD_COMPARE_H */
