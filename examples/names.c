/*
 * Names of libdmarc's values for the example programs (names.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <string.h>

#include "names.h"

const char *result_name(dmarc_result r)
{
	switch (r) {
	case DMARC_RESULT_NONE: return "none";
	case DMARC_RESULT_PASS: return "pass";
	case DMARC_RESULT_FAIL: return "fail";
	case DMARC_RESULT_TEMPERROR: return "temperror";
	case DMARC_RESULT_PERMERROR: return "permerror";
	case DMARC_RESULT_PENDING: break;
	}
	return "pending";
}

const char *disposition_name(dmarc_disposition d)
{
	switch (d) {
	case DMARC_DISPOSITION_NONE: return "none";
	case DMARC_DISPOSITION_QUARANTINE: return "quarantine";
	case DMARC_DISPOSITION_REJECT: return "reject";
	case DMARC_DISPOSITION_PASS: return "pass";
	}
	return "?";
}

const char *policy_name(dmarc_policy p)
{
	switch (p) {
	case DMARC_POLICY_NONE: return "none";
	case DMARC_POLICY_QUARANTINE: return "quarantine";
	case DMARC_POLICY_REJECT: return "reject";
	case DMARC_POLICY_UNSPECIFIED: break;
	}
	return NULL;
}

const char *tag_name(dmarc_tag t)
{
	return t == DMARC_TAG_P ? "p" : t == DMARC_TAG_SP ? "sp" :
	    t == DMARC_TAG_NP ? "np" : NULL;
}

const char *reason_name(dmarc_reason r)
{
	switch (r) {
	case DMARC_REASON_NONE: break;
	case DMARC_REASON_FORWARDED: return "forwarded";
	case DMARC_REASON_SAMPLED_OUT: return "sampled_out";
	case DMARC_REASON_TRUSTED_FORWARDER: return "trusted_forwarder";
	case DMARC_REASON_MAILING_LIST: return "mailing_list";
	case DMARC_REASON_LOCAL_POLICY: return "local_policy";
	case DMARC_REASON_OTHER: return "other";
	case DMARC_REASON_POLICY_TEST_MODE: return "policy_test_mode";
	}
	return "unknown";
}

const char *alignment_name(dmarc_alignment_result a)
{
	return a == DMARC_ALIGNED_EXACT ? "exact" : a == DMARC_ALIGNED_ORG ?
	    "org" : "no";
}

void json_string(const char *s)
{
	if (s == NULL)
		fputs("null", stdout);
	else
		json_string_len(s, strlen(s));
}

void json_string_len(const char *s, size_t n)
{
	const char *end = s + n;

	putchar('"');
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}
