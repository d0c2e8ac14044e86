/*
 * Names of libdmarc's values as the example programs print them, and a
 * JSON string writer; shared so that every program says the same.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_NAMES_H
#define DMARC_EXAMPLES_NAMES_H

#include <dmarc/dmarc.h>

const char *result_name(dmarc_result r);
const char *disposition_name(dmarc_disposition d);
/* NULL for DMARC_POLICY_UNSPECIFIED. */
const char *policy_name(dmarc_policy p);
/* "p", "sp", "np", or NULL. */
const char *tag_name(dmarc_tag t);
const char *reason_name(dmarc_reason r);
const char *alignment_name(dmarc_alignment_result a);
/* s as a JSON string on stdout; null for NULL.  Bytes that are not
 * printable ASCII are escaped (read as Latin-1). */
void json_string(const char *s);
/* The same for n bytes, which may hold NUL. */
void json_string_len(const char *s, size_t n);

#endif /* DMARC_EXAMPLES_NAMES_H */
