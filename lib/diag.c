/*
 * libdmarc - diagnostic getters, identifiers and explanations.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"
#include "internal.h"

/* Explanations, indexed by dmarc_diag_code; names are in lib/keyword.c. */
static const char *const diag_text[] = {
	"unknown diagnostic",
	"the record does not start with a v tag; "
	    "it is not a DMARC record",
	"v must be exactly DMARC1 (case-sensitive); "
	    "it is not a DMARC record",
	"malformed tag: expected name=value between semicolons",
	"tag appears more than once",
	"value not allowed for this tag",
	"the p tag is missing",
	"RFC 7489 requires p to be the second tag",
	"tag not known in this mode; ignored",
	"tag is historic in RFC 9989 and is ignored",
	"reporting URI has no scheme; "
	    "write it as mailto:address",
	"reporting URI scheme is not supported; "
	    "only mailto: is delivered to",
	"reporting URI is malformed; ignored",
	"size suffix must be !digits with an optional "
	    "k, m, g or t unit",
	"size suffix is obsolete in RFC 9989 and ignored",
	"record exceeds the configured length limit",
	"more URIs than the configured limit; "
	    "the rest are not used",
	"URI exceeds the configured length limit; ignored",
	"empty tag between separators",
	"upper case in a tag name or keyword; read as lower case",
	"white space before v=DMARC1",
	"policy is invalid but rua is valid: "
	    "the record acts as v=DMARC1; p=none",
	"policy is invalid and there is no valid rua: "
	    "no DMARC processing (permerror)",
	"fo is ignored because there is no ruf",
	"further diagnostics were dropped",
	"several DMARC records at this name; "
	    "all are discarded",
	"the DMARC record at this name is unusable",
	"temporary DNS failure at this name",
	"DNS error at this name (not NXDOMAIN or NODATA); "
	    "what it holds is unknown",
	"the Organizational Domain lies in the part of "
	    "the name the tree walk skips (no record of its own can be found "
	    "there; a PSD record applies instead)",
	"malformed Authentication-Results field; "
	    "none of its results are used",
	"Authentication-Results version other than 1; "
	    "the whole field is ignored",
	"method version other than 1 "
	    "(e.g. dkim/2); this result is ignored",
	"more results (64) or properties per result (16) "
	    "than the limits; the rest are ignored",
	"Authentication-Results field exceeds the configured "
	    "header length limit; none of its results are used",
	"line break (CR or LF) read as white space; "
	    "the record's grammar allows only spaces and tabs",
	"no-break space, byte order mark or other Unicode "
	    "space read as white space; the record's grammar allows only "
	    "spaces and tabs",
	"a DNS failure above the Author Domain's record: its "
	    "policy applies, but relaxed alignment that needs the "
	    "Organizational Domain cannot be decided",
	"the evaluation's DNS query limit is reached; "
	    "this name was not asked",
	"the time limit of the run passed; "
	    "this name was not asked",
	"no From header field: DMARC does not apply",
	"more than one From header field: DMARC does not apply",
	"malformed From header field, or a domain in it that is not a host "
	    "name",
	"From header field exceeds the configured length limit",
	"the From field names several domains; only one Author Domain is "
	    "evaluated unless several are allowed",
	"no mailbox in the From field has a domain: no Author Domain, "
	    "result none",
	"Authentication-Results field whose authserv-id is not trusted; "
	    "ignored",
	"more DKIM signatures than the configured limit; the least useful "
	    "were dropped",
	"the aggregate holds as many rows as its limit allows; messages "
	    "with new rows are dropped and counted",
	"a spool line left torn by a writer that died mid-write; skipped",
	"a spool line that is not a row; skipped",
	"report in an unknown namespace, or an element in another "
	    "namespace than feedback's; read anyway",
	"feedback is not the document's root element",
	"element the report format does not have; skipped with its "
	    "content",
	"element out of the order its schema gives",
	"element the report format requires is missing",
	"element that may appear once appears again; the first is kept",
	"keyword in upper case, padded or an alias; read as the keyword",
	"value the schema does not allow; kept as sent",
	"text between elements or before the document; ignored",
	"raw < or &, an undefined entity or invalid UTF-8 was repaired",
	"comment, CDATA section or processing instruction in the report",
	"date range with end not after begin, or longer than a day",
	"record with count 0",
	"container quirk: trailing bytes, a skipped entry or part, "
	    "malformed MIME",
	"the report or part could not be read",
	"failure report field missing, defaulted, unknown or malformed",
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

_Static_assert(COUNT(diag_text) == DMARC_DIAG_ARF_FIELD + 1,
    "every diagnostic code has a text");

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
	const char *name = diag != NULL ?
	    dmarc__keyword_name(DMARC__KW_DIAG_CODE, diag->code) : NULL;

	return name != NULL ? name : "unknown";
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
	return diag_text[code < COUNT(diag_text) ? code : 0];
}
