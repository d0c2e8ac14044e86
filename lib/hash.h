/*
 * libdmarc - a fast hash of a short byte string (record texts, names)
 * for the bounded caches inside an object (a record cache of at most 20
 * slots, a 4-way PSL memo), where texts made to collide cost at most a
 * few more comparisons.  Not for tables that grow with what an attacker
 * sends: those are seeded (lib/report/agg_store.c).  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_HASH_H
#define DMARC_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A step of the two lanes over the sixteen bytes at s: a word each (their
 * multiplies do not wait for each other). */
static inline void dmarc__hash_step16(uint64_t *h, uint64_t *g, const char *s)
{
	uint64_t w, x;

	memcpy(&w, s, 8);
	memcpy(&x, s + 8, 8);
	*h = (*h ^ w) * 0x9e3779b97f4a7c15u;
	*g = (*g ^ x) * 0x165667b19e3779f9u;
}

/* The two lanes made one hash. */
static inline uint32_t dmarc__hash_fold(uint64_t h, uint64_t g)
{
	h ^= g >> 32 | g << 32;
	return (uint32_t)(h ^ (h >> 29));
}

/* Over 16 bytes: sixteen bytes a step, the last step ending at the last
 * byte. */
static inline uint32_t dmarc__hash_long(const char *s, size_t n, uint64_t h)
{
	uint64_t g = 0xc2b2ae3d27d4eb4fu;
	size_t i;

	for (i = 0; i + 16 < n; i += 16)
		dmarc__hash_step16(&h, &g, s + i);
	dmarc__hash_step16(&h, &g, s + n - 16);
	return dmarc__hash_fold(h, g);
}

/* A word at a time, the last word ending at the last byte; a string
 * under 8 bytes as one word read by loads inside it. */
static inline uint32_t dmarc__hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;
	uint32_t a = 0, b = 0;
	size_t i;

	if (n < 8) {
		if (n >= 4) {
			memcpy(&a, s, 4);
			memcpy(&b, s + n - 4, 4);
		} else if (n > 0) {
			a = (uint32_t)(unsigned char)s[0] |
			    (uint32_t)(unsigned char)s[n / 2] << 8 |
			    (uint32_t)(unsigned char)s[n - 1] << 16;
		}
		h = (h ^ ((uint64_t)b << 32 | a)) * 0x9e3779b97f4a7c15u;
		return (uint32_t)(h ^ (h >> 29));
	}
	if (n > 16) /* two lanes, sixteen bytes a step */
		return dmarc__hash_long(s, n, h);
	for (i = 0; i + 8 < n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15u;
	}
	memcpy(&w, s + n - 8, 8);
	h = (h ^ w) * 0x9e3779b97f4a7c15u;
	return (uint32_t)(h ^ (h >> 29));
}

/* A record text's hash (lib/record_cache.c, its bounded caches): past 32
 * bytes its length and four words, two from its middle and its last
 * two, rather than every byte.  Every record begins alike ("v=DMARC1;")
 * and the cache compares the whole text anyway, so texts alike there
 * cost a comparison more in a cache of at most 20 slots, while a
 * record seen again, the usual case, is not read twice. */
static inline uint32_t dmarc__hash_text(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ n, g = 0xc2b2ae3d27d4eb4fu;

	if (n <= 32)
		return dmarc__hash_bytes(s, n);
	dmarc__hash_step16(&h, &g, s + n / 2 - 8);
	dmarc__hash_step16(&h, &g, s + n - 16);
	return dmarc__hash_fold(h, g);
}

#endif /* DMARC_HASH_H */
