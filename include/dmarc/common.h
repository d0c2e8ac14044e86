/*
 * libdmarc - common definitions: export macro, status codes, version and
 * feature queries.  Valid C89 and C++.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_COMMON_H
#define DMARC_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks every public function.  The library is built with
 * -fvisibility=hidden, so only declarations carrying this macro are
 * exported. */
#if defined(DMARC_BUILDING_LIBRARY) && defined(__GNUC__)
#define DMARC_EXPORT __attribute__((visibility("default")))
#else
#define DMARC_EXPORT
#endif

/* Version of the headers; dmarc_version_number() gives the library's. */
#define DMARC_VERSION_MAJOR 0
#define DMARC_VERSION_MINOR 1
#define DMARC_VERSION_PATCH 0

/*
 * Status of a library call.  Append-only: values are never renumbered or
 * reused, and a new one needs its name in lib/keyword.c.  A DMARC verdict
 * (pass, fail, ...) is never a status; it is data read from the object
 * concerned.
 */
typedef enum dmarc_status {
	DMARC_OK = 0,        /* success */
	DMARC_ENOMEM = 1,    /* an allocation failed; nothing was changed */
	DMARC_EINVAL = 2,    /* an argument was NULL or out of its domain */
	DMARC_ERANGE = 3,    /* an option value is outside its allowed range */
	DMARC_EBUFFER = 4,   /* the caller's buffer is too small */
	DMARC_ERECORD = 5,   /* the record is not usable for this operation */
	DMARC_ENOTSUP = 6,   /* the feature is not available in this build */
	DMARC_ENAME_EMPTY = 7,  /* domain name empty, or with an empty label */
	DMARC_ENAME_LABEL = 8,  /* a label is longer than 63 octets */
	DMARC_ENAME_LENGTH = 9, /* the name is longer than 253 octets */
	DMARC_ENAME_CHAR = 10,  /* a character that cannot be in a host name */
	DMARC_ENAME_IDNA = 11,  /* not convertible by IDNA2008 (UTS #46) */
	DMARC_ENOPSL = 12,      /* no public suffix list could be loaded */
	DMARC_ESTATE = 13,      /* not valid in the object's current state */
	DMARC_ENOLOOKUP = 14,   /* no DNS lookup function on the context */
	DMARC_ERESOLVER = 15,   /* the system resolver could not be set up */
	DMARC_ETRUNCATED = 16,  /* DNS message truncated: ask over TCP */
	DMARC_EMESSAGE = 17,    /* DNS message malformed */
	DMARC_EFROM = 18,       /* From header field missing, repeated or
	                           malformed: outside DMARC, the caller
	                           decides */
	DMARC_EBUSY = 19,       /* configuration refused: objects made from
	                           the context still exist */
	DMARC_ESYSTEM = 20,     /* a system call failed (file I/O of the
	                           spool): the object keeps errno */
	DMARC_EFULL = 21        /* an aggregate holds as many rows as its
	                           limit allows: the message was counted as
	                           dropped */
} dmarc_status;

/* Short English description of a status; never NULL, also for unknown
 * values. */
DMARC_EXPORT const char *dmarc_strerror(dmarc_status status);

/* Library version as text ("0.1.0"); static storage. */
DMARC_EXPORT const char *dmarc_version(void);

/* Library version as (major << 16) | (minor << 8) | patch. */
DMARC_EXPORT uint32_t dmarc_version_number(void);

/*
 * Where report writers put their output, piece by piece (reports are
 * megabytes; nothing is built whole in memory): len bytes at data, not
 * NUL-terminated.  Return DMARC_OK to go on; any other status stops the
 * writer, which returns that status to its caller.
 */
typedef dmarc_status (*dmarc_sink_fn)(void *user, const char *data,
    size_t len);

/* Capabilities that can be asked for with dmarc_has_feature().
 * Append-only; a new value needs its name in lib/keyword.c. */
typedef enum dmarc_feature {
	DMARC_FEATURE_RECORD_PARSER = 1, /* DMARC policy record parsing */
	DMARC_FEATURE_RFC7489 = 2,       /* RFC 7489 compatibility mode */
	DMARC_FEATURE_RFC9091 = 3,       /* RFC 7489 + RFC 9091 PSD mode */
	DMARC_FEATURE_PSL = 4,           /* Organizational Domain via libpsl */
	DMARC_FEATURE_TREEWALK = 5,      /* RFC 9989 DNS tree walk */
	DMARC_FEATURE_RESOLVER = 6,      /* default libresolv resolver */
	DMARC_FEATURE_EVALUATION = 7,    /* per-message evaluation */
	DMARC_FEATURE_AGGREGATE = 8,     /* aggregate reports built, spool */
	DMARC_FEATURE_FAILURE = 9        /* failure report build/parse */
} dmarc_feature;

/* 1 when this build of the library provides the feature, else 0. */
DMARC_EXPORT int dmarc_has_feature(dmarc_feature feature);

#ifdef __cplusplus
}
#endif
#endif /* DMARC_COMMON_H */
