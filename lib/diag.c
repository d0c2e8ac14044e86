/*
 * libdmarc - diagnostic getters, identifiers and explanations.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"
#include "internal.h"

struct diag_info {
	const char *name;
	const char *text;
};

/* Indexed by dmarc_diag_code. */
static const struct diag_info diag_table[] = {
	{ "unknown", "unknown diagnostic" },
	{ "no-version", "the record does not start with a v tag; "
	    "it is not a DMARC record" },
	{ "bad-version", "v must be exactly DMARC1 (case-sensitive); "
	    "it is not a DMARC record" },
	{ "syntax", "malformed tag: expected name=value between semicolons" },
	{ "duplicate-tag", "tag appears more than once" },
	{ "bad-value", "value not allowed for this tag" },
	{ "missing-p", "the p tag is missing" },
	{ "p-not-second", "RFC 7489 requires p to be the second tag" },
	{ "unknown-tag", "tag not known in this mode; ignored" },
	{ "historic-tag", "tag is historic in RFC 9989 and is ignored" },
	{ "uri-no-scheme", "reporting URI has no scheme; "
	    "write it as mailto:address" },
	{ "uri-unsupported", "reporting URI scheme is not supported; "
	    "only mailto: is delivered to" },
	{ "uri-malformed", "reporting URI is malformed; ignored" },
	{ "bad-size", "size suffix must be !digits with an optional "
	    "k, m, g or t unit" },
	{ "size-obsolete", "size suffix is obsolete in RFC 9989 and ignored" },
	{ "record-too-long", "record exceeds the configured length limit" },
	{ "too-many-uris", "more URIs than the configured limit; "
	    "the rest are not used" },
	{ "uri-too-long", "URI exceeds the configured length limit; ignored" },
	{ "empty-tag", "empty tag between separators" },
	{ "case", "upper case in a tag name or keyword; read as lower case" },
	{ "leading-space", "white space before v=DMARC1" },
	{ "as-none", "policy is invalid but rua is valid: "
	    "the record acts as v=DMARC1; p=none" },
	{ "no-policy", "policy is invalid and there is no valid rua: "
	    "no DMARC processing (permerror)" },
	{ "fo-without-ruf", "fo is ignored because there is no ruf" },
	{ "too-many-diagnostics", "further diagnostics were dropped" },
	{ "multiple-records", "several DMARC records at this name; "
	    "all are discarded" },
	{ "invalid-record", "the DMARC record at this name is unusable" },
	{ "dns-tempfail", "temporary DNS failure at this name" },
	{ "dns-permfail", "DNS error at this name (not NXDOMAIN or NODATA); "
	    "what it holds is unknown" },
	{ "org-not-queried", "the Organizational Domain lies in the part of "
	    "the name the tree walk skips (no record of its own can be found "
	    "there; a PSD record applies instead)" },
	{ "ar-syntax", "malformed Authentication-Results field; "
	    "none of its results are used" },
	{ "ar-version", "Authentication-Results version other than 1; "
	    "the whole field is ignored" },
	{ "ar-method-version", "method version other than 1 "
	    "(e.g. dkim/2); this result is ignored" },
	{ "ar-too-many", "more results (64) or properties per result (16) "
	    "than the limits; the rest are ignored" },
	{ "ar-too-long", "Authentication-Results field exceeds the configured "
	    "header length limit; none of its results are used" },
	{ "line-break", "line break (CR or LF) read as white space; "
	    "the record's grammar allows only spaces and tabs" },
	{ "unicode-space", "no-break space, byte order mark or other Unicode "
	    "space read as white space; the record's grammar allows only "
	    "spaces and tabs" },
	{ "org-unknown", "a DNS failure above the Author Domain's record: its "
	    "policy applies, but relaxed alignment that needs the "
	    "Organizational Domain cannot be decided" },
	{ "query-limit", "the evaluation's DNS query limit is reached; "
	    "this name was not asked" },
	{ "deadline", "the time limit of the run passed; "
	    "this name was not asked" },
	{ "from-missing", "no From header field: DMARC does not apply" },
	{ "from-repeated", "more than one From header field: DMARC does not "
	    "apply" },
	{ "from-syntax", "malformed From header field, or a domain in it that "
	    "is not a host name" },
	{ "from-too-long", "From header field exceeds the configured length "
	    "limit" },
	{ "from-domains", "the From field names several domains; only one "
	    "Author Domain is evaluated unless several are allowed" },
	{ "from-no-domain", "no mailbox in the From field has a domain: "
	    "no Author Domain, result none" },
	{ "ar-untrusted", "Authentication-Results field whose authserv-id is "
	    "not trusted; ignored" },
	{ "dkim-dropped", "more DKIM signatures than the configured limit; "
	    "the least useful were dropped" },
};

/* bad-value explanations, indexed by dmarc_tag. */
static const char *const bad_value_text[] = {
	"value not allowed for this tag",
	"v must be exactly DMARC1",
	"p must be none, quarantine or reject",
	"sp must be none, quarantine or reject",
	"np must be none, quarantine or reject",
	"adkim must be r (relaxed) or s (strict); using r",
	"aspf must be r (relaxed) or s (strict); using r",
	"pct must be an integer from 0 to 100; using 100",
	"rua must be a comma-separated list of URIs",
	"ruf must be a comma-separated list of URIs",
	("fo must be 0, 1, d or s separated by colons "
	    "(RFC 9989: 0 and 1 exclusive, none repeated); using 0"),
	"rf allows only afrf; other formats are ignored",
	"ri must be an unsigned 32-bit number of seconds; using 86400",
	"psd must be y, n or u; using u",
	"t must be y or n; using n",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(COUNT(diag_table) == DMARC_DIAG_DKIM_DROPPED + 1,
    "every diagnostic code has a name and a text");

const char *const dmarc__tag_names[DMARC_TAG_T + 1] = { "", "v", "p", "sp",
	"np", "adkim", "aspf", "pct", "rua", "ruf", "fo", "rf", "ri", "psd",
	"t" };

const char *dmarc__diag_name(dmarc_diag_code code)
{
	size_t i = (size_t)code;

	return diag_table[i < COUNT(diag_table) ? i : 0].name;
}

DMARC_EXPORT dmarc_diag_code dmarc_diag_get_code(const dmarc_diag *diag)
{
	return diag != NULL ? (dmarc_diag_code)diag->code : DMARC_DIAG_NONE;
}

DMARC_EXPORT dmarc_severity dmarc_diag_get_severity(const dmarc_diag *diag)
{
	return diag != NULL ? (dmarc_severity)diag->severity
	    : DMARC_SEVERITY_ERROR;
}

DMARC_EXPORT size_t dmarc_diag_get_offset(const dmarc_diag *diag)
{
	return diag != NULL ? diag->offset : 0;
}

DMARC_EXPORT size_t dmarc_diag_get_length(const dmarc_diag *diag)
{
	return diag != NULL ? diag->length : 0;
}

DMARC_EXPORT const char *dmarc_diag_get_tag(const dmarc_diag *diag)
{
	return diag != NULL && diag->tag[0] != '\0' ? diag->tag : NULL;
}

DMARC_EXPORT const char *dmarc_diag_get_name(const dmarc_diag *diag)
{
	return dmarc__diag_name(diag != NULL ? (dmarc_diag_code)diag->code
	    : DMARC_DIAG_NONE);
}

DMARC_EXPORT const char *dmarc_diag_get_domain(const dmarc_diag *diag)
{
	return diag != NULL && diag->domain[0] != '\0' ? diag->domain : NULL;
}

DMARC_EXPORT const char *dmarc_diag_get_text(const dmarc_diag *diag)
{
	size_t code = diag != NULL ? diag->code : 0;

	if (code == DMARC_DIAG_BAD_VALUE && diag->tag_id < COUNT(bad_value_text))
		return bad_value_text[diag->tag_id];
	return diag_table[code < COUNT(diag_table) ? code : 0].text;
}
