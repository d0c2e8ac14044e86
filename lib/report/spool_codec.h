/*
 * libdmarc - the spool line codec: a report row as one line of text and
 * back.  Pure: no files, no clock, no allocation.  The file adapter
 * (lib/report/spool_file.h) appends these lines; callers with a queue of
 * their own use the codec alone.  Never installed; the format is
 * documented for people in libdmarc-spool(5).
 *
 * Format, version 1 (one row per line):
 *
 *   line    = version *( TAB field ) LF
 *   version = "dmarc-spool/" major        ; major "1", no leading zero
 *   field   = key "=" value
 *   key     = 1*( %x61-7A / DIGIT / "_" / "-" )
 *   value   = *( %x20-24 / %x26-2E / %x30-3C / %x3E-7E / "%" 2HEXDIG )
 *
 * Raw bytes in a value are printable ASCII but '%', '/' and '='; every
 * other byte (TAB, LF, CR, 8-bit) and those three are written %XX
 * (upper-case hex; either case is read).  ',' separates the parts of
 * list values and ':' the fo options, so ',' inside a part is written
 * %2C.  Because '/' only ever appears raw in the version field, a line
 * that a writer killed mid-write left without its LF can be told apart
 * from the line appended after it (lib/report/spool_file.c).
 *
 * Fields, in the order written (a reader takes any order):
 *
 *   time=<epoch seconds>  count=<1..>  domain=<policy domain>
 *   mode=rfc9989|rfc7489|rfc7489-psd  discovery_method=psl|treewalk
 *   p= sp= np=none|quarantine|reject  adkim= aspf=r|s  fo=0:1:d:s
 *   pct=<0..100>  t=n|y  psd=u|y|n  ri=<seconds>     (ri optional: 86400)
 *   error=<record problem>                            (0 to 4 times)
 *   source_ip=<IPv4 or IPv6>                          (optional)
 *   header_from=<domain>
 *   envelope_from=<domain or empty>                   (optional)
 *   envelope_to=<domain>                              (optional)
 *   disposition=none|quarantine|reject|pass
 *   dkim_aligned=pass|fail  spf_aligned=pass|fail
 *   reason=<type>[,<comment>]                         (0 to 4 times)
 *   spf=<domain>,<mfrom|helo>,<result>                (optional)
 *   dkim=<domain>,<selector>,<result>[,<human result>] (0 to 64 times)
 *
 * Keywords are the library's (lib/keyword.c): RFC 9990 values, the
 * record's tag names for the policy.  Unknown keys are skipped, so later
 * minor revisions can add fields; a later major version is refused.
 *
 * Example (TABs shown as " "):
 *
 *   dmarc-spool/1 time=1718000000 count=1 domain=example.com
 *   mode=rfc9989 discovery_method=treewalk p=reject sp=reject np=reject
 *   adkim=r aspf=r fo=0 pct=100 t=n psd=u source_ip=192.0.2.1
 *   header_from=example.com envelope_from=example.com
 *   disposition=pass dkim_aligned=pass spf_aligned=pass
 *   spf=example.com,mfrom,pass dkim=example.com,s1,pass
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_SPOOL_CODEC_H
#define DMARC_REPORT_SPOOL_CODEC_H

#include <stddef.h>

#include "row.h"

/* The longest line without its LF: with it, below PIPE_BUF (4096), the
 * size POSIX guarantees one write() to a pipe keeps whole, and the size
 * the file adapter writes in one call. */
#define DMARC__SPOOL_LINE_MAX 4000u
/* A buffer that holds any line, its LF and a NUL. */
#define DMARC__SPOOL_LINE_SIZE (DMARC__SPOOL_LINE_MAX + 2u)
/* Most fields a line may have, unknown ones included. */
#define DMARC__SPOOL_MAX_FIELDS 256u
/* The version this code writes, and the one major version it reads. */
#define DMARC__SPOOL_MAGIC "dmarc-spool/"
#define DMARC__SPOOL_MAJOR 1u

/* Write row as one line, its LF and a NUL into buf (size bytes):
 * *length (optional) gets the length with the LF, or the length needed.
 * DMARC_ERANGE when the line would be over DMARC__SPOOL_LINE_MAX (never
 * cut), DMARC_EBUFFER when it does not fit in size, DMARC_EINVAL for a
 * row no line can say (count 0, an empty policy domain or header_from,
 * a value without a keyword, a comment, selector or human result that
 * is not printable ASCII); buf then holds "".  Domain names are written
 * as they are: a row's are normalized already. */
dmarc_status dmarc__spool_encode(const struct report_row *row, char *buf,
    size_t size, size_t *length);

/* Read the line of len bytes at line (one LF at its end is allowed; no
 * byte past len is read) into row.  DMARC_EINVAL for a malformed line,
 * DMARC_ERANGE for one over the limits (length, fields, repeats,
 * numbers), DMARC_ENOTSUP for a line of a later major version; *offset
 * (optional) then gets the byte offset where it broke (the line's
 * length when a required field is missing), and row is unspecified.
 * Domains are normalized again, addresses and numbers checked,
 * keywords must be known. */
dmarc_status dmarc__spool_decode(struct report_row *row, const char *line,
    size_t len, size_t *offset);

#endif /* DMARC_REPORT_SPOOL_CODEC_H */
