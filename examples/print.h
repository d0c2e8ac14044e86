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

#include <stdio.h>
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

/* n bytes of UTF-8 text as a JSON string (RFC 8259 section 7) on fp:
 * control characters, quote, backslash, U+2028 and U+2029 escaped,
 * every byte that is not part of valid UTF-8 written as U+FFFD, so the
 * output is valid UTF-8 JSON whatever the input. */
void json_text(FILE *fp, const char *s, size_t n);
/* The same for a NUL-terminated string; null for NULL. */
void json_str(FILE *fp, const char *s);
/* s as one CSV field (RFC 4180 section 2): quoted when it holds a
 * comma, quote, CR or LF, quotes doubled; nothing for NULL.  A field
 * that starts with '=', '+', '-', '@', TAB or CR is quoted with an
 * apostrophe first, so that a spreadsheet shows it rather than runs
 * it. */
void csv_field(FILE *fp, const char *s);
/* s on a terminal or in plain text: control characters (C0, DEL, C1)
 * and bytes that are not UTF-8 as '?', so hostile text cannot move the
 * cursor or change colours. */
void text_safe(FILE *fp, const char *s);

#endif /* DMARC_EXAMPLES_PRINT_H */
