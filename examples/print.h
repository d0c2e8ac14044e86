/*
 * How the example programs print libdmarc's values, shared so that every
 * program says the same: the keywords come from the library
 * (dmarc_policy_name() and the like); these add what the programs print
 * for "no tag" and "no policy", and a JSON string writer.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_PRINT_H
#define DMARC_EXAMPLES_PRINT_H

#include <dmarc/dmarc.h>

/* The tag's name ("p", "sp", "np"), NULL for DMARC_TAG_NONE. */
const char *tag_word(dmarc_tag t);
/* The policy's keyword, NULL for DMARC_POLICY_UNSPECIFIED. */
const char *policy_word(dmarc_policy p);
/* s as a JSON string on stdout; null for NULL.  Bytes that are not
 * printable ASCII are escaped (read as Latin-1). */
/* An option's number: decimal digits only, at most 19 of them.  0, or
 * -1. */
int parse_decimal(const char *s, unsigned long long *out);

void json_string(const char *s);
/* The same for n bytes, which may hold NUL. */
void json_string_len(const char *s, size_t n);

#endif /* DMARC_EXAMPLES_PRINT_H */
