/*
 * libdmarc - the names of an aggregate report: its Report-ID, its
 * attachment's file name and its dates as RFC 5322 date-time text.
 * Pure: the same inputs always give the same text (a re-sent report
 * keeps its identifiers, RFC 9990 section 3.5.2).  Never installed.
 *
 * Report-ID (DMARC-DIGEST 6.6, choice A8), from letters, digits, '-',
 * '.' and '@' only:
 *
 *   <begin>.<policy-domain>[.<host-id>][.<part>-of-<n_parts>]@<submitter>
 *
 * Domains are lower-cased; their other characters are dropped ('_',
 * 8-bit bytes: pass A-labels), and so are empty labels, so every atom
 * of the dot-atom-text is non-empty.  A domain with nothing left is
 * DMARC_EINVAL.  host_id (NULL or "" for none) tells the report apart
 * from those other hosts of the same generator send for the same domain
 * and period: 1 to 32 letters and digits, kept as given.  part and
 * n_parts number the reports a split one became (choice A13): part is
 * 1 to n_parts, the suffix is written only when n_parts > 1.
 *
 * File name (RFC 9990 section 3.5.2):
 *
 *   receiver "!" policy-domain "!" begin "!" end [ "!" unique-id ]
 *     "." ( "xml" / "xml.gz" )
 *
 * with the domains cleaned as above and, when host_id is set or
 * n_parts > 1, the letters and digits of the Report-ID as unique-id
 * (choice A8).  end must not be before begin.
 *
 * Text is written the library's way: (buf, size, &length), length (may
 * be NULL) gets the length without the NUL; DMARC_EBUFFER when buf is
 * too small, DMARC_EINVAL for an argument out of its domain; on error
 * buf gets "" (when size > 0).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_NAME_H
#define DMARC_REPORT_NAME_H

#include "../internal.h"

/* The longest host_id. */
#define DMARC__REPORT_HOST_ID_MAX 32u
/* Buffers big enough for domains of at most 253 octets, and the NUL. */
#define DMARC__REPORT_ID_SIZE 600u
#define DMARC__REPORT_FILENAME_SIZE 1200u
/* "Sat, 01 Jun 2024 00:00:00 +0000" and the NUL. */
#define DMARC__REPORT_DATE_SIZE 32u
/* 9999-12-31T23:59:59Z, the last second a 4-digit year can write. */
#define DMARC__REPORT_DATE_MAX UINT64_C(253402300799)

dmarc_status dmarc__report_id(char *buf, size_t size, size_t *length,
    const char *policy_domain, uint64_t begin, const char *submitter,
    const char *host_id, unsigned int part, unsigned int n_parts);

dmarc_status dmarc__report_filename(char *buf, size_t size, size_t *length,
    const char *submitter, const char *policy_domain, uint64_t begin,
    uint64_t end, const char *host_id, unsigned int part,
    unsigned int n_parts, bool gzip);

/* epoch (seconds since 1970-01-01T00:00:00Z) as an RFC 5322 section 3.3
 * date-time in UTC, e.g. "Sat, 01 Jun 2024 00:00:00 +0000", computed
 * without the C library's time functions (no TZ, no time_t range).
 * DMARC_EINVAL (buf "") past DMARC__REPORT_DATE_MAX or for a NULL buf. */
dmarc_status dmarc__report_date(char buf[DMARC__REPORT_DATE_SIZE],
    uint64_t epoch);

#endif /* DMARC_REPORT_NAME_H */
