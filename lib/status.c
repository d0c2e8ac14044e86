/*
 * libdmarc - status texts, version and feature queries.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"
#include "internal.h"

DMARC_EXPORT const char *dmarc_strerror(dmarc_status status)
{
	switch (status) {
	case DMARC_OK: return "success";
	case DMARC_ENOMEM: return "out of memory";
	case DMARC_EINVAL: return "invalid argument";
	case DMARC_ERANGE: return "option value out of range";
	case DMARC_EBUFFER: return "buffer too small";
	case DMARC_ERECORD: return "record is not usable";
	case DMARC_ENOTSUP: return "not supported by this build";
	case DMARC_ENAME_EMPTY: return "domain name or label is empty";
	case DMARC_ENAME_LABEL: return "domain label longer than 63 octets";
	case DMARC_ENAME_LENGTH: return "domain name longer than 253 octets";
	case DMARC_ENAME_CHAR: return "character not allowed in a host name";
	case DMARC_ENAME_IDNA: return "domain name fails IDNA2008 conversion";
	case DMARC_ENOPSL: return "no public suffix list could be loaded";
	case DMARC_ESTATE: return "not valid in the object's current state";
	case DMARC_ENOLOOKUP: return "no DNS lookup function is set";
	case DMARC_ERESOLVER: return "the system resolver could not be set up";
	case DMARC_ETRUNCATED: return "DNS message truncated; ask over TCP";
	case DMARC_EMESSAGE: return "DNS message malformed";
	case DMARC_EFROM: return "From header field missing, repeated or malformed";
	case DMARC_EBUSY: return "context in use: configure it before making objects";
	case DMARC_ESYSTEM: return "a system call failed";
	case DMARC_EFULL: return "the aggregate is full: the message was counted as dropped";
	}
	return "unknown status";
}

#define STRINGIFY(x) #x
#define VERSION_TEXT(a, b, c) STRINGIFY(a) "." STRINGIFY(b) "." STRINGIFY(c)

/* The header's numbers are the one source; configure's must agree. */
_Static_assert(sizeof(PACKAGE_VERSION) == sizeof(VERSION_TEXT(
    DMARC_VERSION_MAJOR, DMARC_VERSION_MINOR, DMARC_VERSION_PATCH)),
    "configure.ac version differs from include/dmarc/common.h");

DMARC_EXPORT const char *dmarc_version(void)
{
	return VERSION_TEXT(DMARC_VERSION_MAJOR, DMARC_VERSION_MINOR,
	    DMARC_VERSION_PATCH);
}

DMARC_EXPORT uint32_t dmarc_version_number(void)
{
	return ((uint32_t)DMARC_VERSION_MAJOR << 16) |
	    ((uint32_t)DMARC_VERSION_MINOR << 8) | (uint32_t)DMARC_VERSION_PATCH;
}

DMARC_EXPORT int dmarc_has_feature(dmarc_feature feature)
{
	switch (feature) {
	case DMARC_FEATURE_RECORD_PARSER:
	case DMARC_FEATURE_RFC7489:
	case DMARC_FEATURE_RFC9091:
	case DMARC_FEATURE_PSL:
	case DMARC_FEATURE_TREEWALK:
	case DMARC_FEATURE_EVALUATION:
		return 1;
	case DMARC_FEATURE_RESOLVER:
#ifdef DMARC_WITH_RESOLVER
		return 1;
#else
		return 0; /* configure --without-resolver */
#endif
	case DMARC_FEATURE_AGGREGATE:
		return 1;
	case DMARC_FEATURE_FAILURE:
		return 0; /* not implemented yet */
	}
	return 0;
}
