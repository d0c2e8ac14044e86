/*
 * libdmarc - the values of one reader event, by field (dmarc/reader.h):
 * a list of (field, text) entries with one chain per field, so the keyed
 * getters find the i-th value of a field without scanning the others.
 * Values are NUL-terminated copies in one string area; an entry may be
 * absent (a dkim element without selector keeps its place, so index i
 * of every DKIM field speaks of the same element).  Bounded: at most
 * RFIELDS_MAX_ENTRIES entries and RFIELDS_MAX_BYTES bytes of text.
 * Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_REPORT_RFIELDS_H
#define DMARC_REPORT_RFIELDS_H

#include "../growbuf.h"

#define RFIELDS_FIELDS 128u          /* dmarc_reader_field values below */
#define RFIELDS_MAX_ENTRIES 8192u
#define RFIELDS_MAX_BYTES (4u << 20)

struct rfield_entry {
	uint8_t field;
	uint8_t absent;
	uint16_t next;    /* next entry of the same field, 0: none */
	uint32_t off;     /* in the string area */
	uint32_t len;
};

struct rfields {
	struct growbuf entries;   /* struct rfield_entry; entry 0 unused */
	struct growbuf text;
	uint16_t count[RFIELDS_FIELDS];
	uint16_t first[RFIELDS_FIELDS];
	uint16_t last[RFIELDS_FIELDS];
};

void dmarc__rfields_init(struct rfields *f, const dmarc_ctx *ctx);
void dmarc__rfields_dispose(struct rfields *f);
void dmarc__rfields_clear(struct rfields *f);

/* Appends a value (text NULL: absent).  DMARC_ERANGE over the bounds,
 * DMARC_ENOMEM. */
dmarc_status dmarc__rfields_add(struct rfields *f, unsigned int field,
    const char *text, size_t len);
/* Replaces the only value of field, or adds it. */
dmarc_status dmarc__rfields_set(struct rfields *f, unsigned int field,
    const char *text, size_t len);
dmarc_status dmarc__rfields_set_number(struct rfields *f, unsigned int field,
    uint64_t value);

/* The decimal digits of a number field (a count, a time): false unless
 * s holds 1 or more digits and no more than 2^64 - 1. */
bool dmarc__rfields_read_number(const char *s, size_t n, uint64_t *out);

size_t dmarc__rfields_count(const struct rfields *f, unsigned int field);
/* The index-th value of field, NULL when absent or out of range. */
const char *dmarc__rfields_get(const struct rfields *f, unsigned int field,
    size_t index, size_t *len);

#endif /* DMARC_REPORT_RFIELDS_H */
