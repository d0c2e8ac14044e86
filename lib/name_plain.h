/*
 * libdmarc - the usual domain name, already normalized (lower-case
 * letters, digits and hyphens in plain labels), checked and copied
 * sixteen bytes at a time (SSE2, x86-64) or eight (elsewhere, little
 * endian): inline, for the normalizer's callers on the hot path.
 * Anything else is left to lib/domain.c.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_NAME_PLAIN_H
#define DMARC_NAME_PLAIN_H

#include <stdint.h>
#include <string.h>

#include "internal.h"

/* lib/domain.c: whether every label of a plain name of len bytes is at
 * most 63 long (only a name longer than that can have a longer one). */
bool dmarc__labels_fit(const char *name, size_t len);
/* lib/domain.c: the normalizer for any name the plain path declines. */
dmarc_status dmarc__domain_normalize_other(const char *name, size_t len,
    char *out, size_t size, size_t *length);

/* The usual name, already normalized: lower-case letters, digits and
 * hyphens in plain labels.  Copied to out as it is, sixteen or eight
 * bytes at a time, each block classified whole; false, out partly
 * written, for anything else, which lib/domain.c's check_ascii and
 * libidn2 then read.  What it accepts, check_ascii accepts unchanged:
 * test-domain and fuzz-domain hold it to the host-name rules written out
 * plainly, test-name-plain the two forms to each other. */
#define PLAIN_ONES 0x0101010101010101u
#define PLAIN_HIGHS 0x8080808080808080u

/* The high bit of each byte of w that lies in [lo, hi], other bits
 * anything, when every byte is below 0x80: adding 0x80 - lo sets it
 * from lo up, adding 0x7f - hi from hi + 1 up, and neither sum carries
 * into the next byte. */
static inline uint64_t plain_bytes_in(uint64_t w, unsigned char lo,
    unsigned char hi)
{
	return (w + (0x80u - lo) * PLAIN_ONES) &
	    ~(w + (0x7fu - hi) * PLAIN_ONES);
}

/* What rules a word out, in its bytes' high bits (other bits anything):
 * a byte that is not ASCII or not a-z, 0-9, '-', '.'; or a '-' or '.'
 * followed by another within the word: ".." is an empty label, ".-" and
 * "-." a hyphen at a label's edge, and "--" is left to the general path
 * (it may be an A-label's "xn--", which libidn2 must check). */
static inline uint64_t plain_word_faults(uint64_t w)
{
	uint64_t marks = plain_bytes_in(w, '-', '.');

	return w | ~(marks | plain_bytes_in(w, '0', '9') | plain_bytes_in(w, 'a', 'z')) |
	    (marks & (marks >> 8));
}

/* Whether a byte is '-' or '.', which neither starts nor ends a name. */
static inline bool plain_is_mark(char c)
{
	return (unsigned char)(c - '-') < 2u;
}

/* The 1 to 7 bytes of a short name as a word (the bytes above it 0) by
 * two loads inside it, never past it. */
static inline uint64_t plain_load_short(const char *s, size_t len)
{
	uint32_t a, b;

	if (len >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + len - 4, 4);
		return a | (uint64_t)b << (8 * (len - 4));
	}
	return (uint64_t)(unsigned char)s[0] |
	    (uint64_t)(unsigned char)s[len / 2] << (8 * (len / 2)) |
	    (uint64_t)(unsigned char)s[len - 1] << (8 * (len - 1));
}

/* Store the n (2 to 8) low bytes of w at out, by two stores. */
static inline void plain_store_short(char *out, uint64_t w, size_t n)
{
	uint32_t a;
	uint16_t b;

	if (n >= 4) {
		a = (uint32_t)w;
		memcpy(out, &a, 4);
		a = (uint32_t)(w >> (8 * (n - 4)));
		memcpy(out + n - 4, &a, 4);
		return;
	}
	b = (uint16_t)w;
	memcpy(out, &b, 2);
	b = (uint16_t)(w >> (8 * (n - 2)));
	memcpy(out + n - 2, &b, 2);
}

/* A name of 1 to 7 bytes: one word, the bytes above it 'a' (which
 * breaks no rule) while classified, its terminating NUL stored with
 * it. */
static DMARC_ALWAYS_INLINE uint64_t plain_short(char *out, const char *name,
    size_t len, bool copy)
{
	uint64_t w = plain_load_short(name, len);

	if (copy)
		plain_store_short(out, w, len + 1);
	return plain_word_faults(w | (PLAIN_ONES * 'a') << (8 * len));
}

/* The portable form: words of eight bytes.  Whether every byte of the
 * name (1 to 253 bytes) is a-z, 0-9, '-' or '.' with no '-' or '.'
 * next to another, the name copied to out with its NUL; out partly
 * written otherwise; with copy false, out is not used (the check
 * alone). */
static DMARC_ALWAYS_INLINE bool plain_words(char *out, const char *name,
    size_t len, bool copy)
{
	uint64_t w, faults;
	size_t i, last;

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	(void)out, (void)name, (void)len, (void)w, (void)i, (void)last;
	(void)copy;
	(void)faults;
	return false; /* the words' byte order is assumed below */
#else
	if (len < 8) {
		faults = plain_short(out, name, len, copy);
	} else {
		/* words seven bytes apart, so that every pair of bytes lies
		 * in one; the last ends at the name's last byte */
		memcpy(&w, name, 8);
		if (copy)
			memcpy(out, &w, 8);
		faults = plain_word_faults(w);
		last = len - 8;
		for (i = 7; i < last; i += 7) {
			memcpy(&w, name + i, 8);
			if (copy)
				memcpy(out + i, &w, 8);
			faults |= plain_word_faults(w);
		}
		memcpy(&w, name + last, 8);
		if (copy) {
			memcpy(out + last, &w, 8);
			out[len] = '\0';
		}
		faults |= plain_word_faults(w);
	}
	return (faults & PLAIN_HIGHS) == 0;
#endif
}

static DMARC_ALWAYS_INLINE bool plain_copy_words(char *out,
    const char *name, size_t len)
{
	return plain_words(out, name, len, true);
}

static DMARC_ALWAYS_INLINE bool plain_check_words(const char *name,
    size_t len)
{
	return plain_words(NULL, name, len, false);
}

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#define DMARC_PLAIN_SSE2 1

/* The same sixteen bytes at a time (SSE2 is in every x86-64).  A byte
 * in [lo, hi] as 0xff: adding 0x80 - lo moves the range to the bottom
 * of the signed bytes, where one signed comparison bounds it; a byte
 * from 0x80 up lands above it. */
static inline __m128i plain_vec_in(__m128i x, int lo, int hi)
{
	return _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - lo))),
	    _mm_set1_epi8((char)(hi - lo - 127)));
}

/* The bytes of x that are a-z, 0-9, '-' or '.', as 0xff bytes. */
static inline __m128i plain_vec_allowed(__m128i x)
{
	return _mm_or_si128(plain_vec_in(x, '-', '.'), _mm_or_si128(
	    plain_vec_in(x, '0', '9'), plain_vec_in(x, 'a', 'z')));
}

/* What keeps the sixteen bytes of x in, as 0xff bytes: the contrary of
 * plain_word_faults, a byte that is a-z, 0-9, '-' or '.' and not a '-'
 * or '.' followed by another.  Each byte's follower is the next one in
 * x, kept where keep is 0xff, then made a mark where edge is: a mark at
 * the name's first or last byte is no plain name either (for the first
 * byte, the pair with the second byte is then judged by the first
 * alone). */
static inline __m128i plain_vec_good(__m128i x, __m128i keep, __m128i edge)
{
	__m128i marks = plain_vec_in(x, '-', '.');
	__m128i next = _mm_or_si128(_mm_and_si128(_mm_srli_si128(marks, 1),
	    keep), edge);
	__m128i ok = plain_vec_allowed(x);

	return _mm_andnot_si128(_mm_and_si128(marks, next), ok);
}

/* Whether the name is plain but for its labels' lengths: every byte
 * a-z, 0-9, '-', '.', no mark next to another or at either end; copied
 * to out with its NUL when copy is true (out partly written otherwise;
 * not used when copy is false). */
static DMARC_ALWAYS_INLINE bool plain_sse2(char *out, const char *name,
    size_t len, bool copy)
{
	const __m128i all = _mm_set1_epi8((char)0xff);
	const __m128i none = _mm_setzero_si128();
	const __m128i first = _mm_set_epi64x(0, 0xff);
	const __m128i last_byte = _mm_set_epi64x((long long)0xff00000000000000ULL, 0);
	__m128i x, good;
	uint64_t a, b;
	size_t i, last;

	if (len < 8) {
		/* one word read inside the name (plain_short), a '.' after
		 * it as the last byte's follower; the lanes from there on
		 * do not count */
		a = plain_load_short(name, len);
		if (copy)
			plain_store_short(out, a, len + 1);
		x = _mm_cvtsi64_si128((long long)(a | (uint64_t)'.' << (8 * len)));
		return (~(unsigned int)_mm_movemask_epi8(plain_vec_good(x, all,
		    first)) & ((1u << len) - 1)) == 0;
	}
	if (len < 16) {
		/* the first eight bytes and the last eight, which overlap,
		 * side by side: the eighth byte's follower is not the ninth */
		memcpy(&a, name, 8);
		memcpy(&b, name + len - 8, 8);
		if (copy) {
			memcpy(out, &a, 8);
			memcpy(out + len - 8, &b, 8);
			out[len] = '\0';
		}
		x = _mm_set_epi64x((long long)b, (long long)a);
		return _mm_movemask_epi8(plain_vec_good(x,
		    _mm_set_epi64x(-1, 0x00ffffffffffffffLL),
		    _mm_or_si128(first, last_byte))) == 0xffff;
	}
	/* blocks fifteen bytes apart, so that every pair of bytes lies in
	 * one; the last ends at the name's last byte (most names take two,
	 * without the loop) */
	x = _mm_loadu_si128((const __m128i *)(const void *)name);
	if (copy)
		_mm_storeu_si128((__m128i *)(void *)out, x);
	good = plain_vec_good(x, all, first);
	last = len - 16;
	for (i = 15; i < last; i += 15) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(name + i));
		if (copy)
			_mm_storeu_si128((__m128i *)(void *)(out + i), x);
		good = _mm_and_si128(good, plain_vec_good(x, all, none));
	}
	x = _mm_loadu_si128((const __m128i *)(const void *)(name + last));
	if (copy) {
		_mm_storeu_si128((__m128i *)(void *)(out + last), x);
		out[len] = '\0';
	}
	good = _mm_and_si128(good, plain_vec_good(x, all, last_byte));
	return _mm_movemask_epi8(good) == 0xffff;
}

static DMARC_ALWAYS_INLINE bool plain_copy_sse2(char *out,
    const char *name, size_t len)
{
	return plain_sse2(out, name, len, true);
}

static DMARC_ALWAYS_INLINE bool plain_check_sse2(const char *name,
    size_t len)
{
	return plain_sse2(NULL, name, len, false);
}
#endif

/* Whether the len bytes at a equal those at b: inline, by two loads
 * inside each under 16 bytes (the usual name). */
static inline bool dmarc__same_bytes(const char *a, const char *b,
    size_t len)
{
	uint64_t w, x, y, z;

	if (len == 0)
		return true;
	if (len < 8)
		return plain_load_short(a, len) == plain_load_short(b, len);
	if (len > 16)
		return memcmp(a, b, len) == 0;
	memcpy(&w, a, 8);
	memcpy(&x, a + len - 8, 8);
	memcpy(&y, b, 8);
	memcpy(&z, b + len - 8, 8);
	return ((w ^ y) | (x ^ z)) == 0;
}

/* Whether the len bytes (1 to 253) at name are those of known (a name
 * the library holds, with its NUL), copied to out with a NUL when they
 * are (out partly written otherwise): inline, no memcmp and memcpy
 * through the PLT for an identifier that is the From domain.  name is
 * read inside its len bytes only, as by the copies above. */
static DMARC_ALWAYS_INLINE bool dmarc__same_name_copy(char *out,
    const char *name, const char *known, size_t len)
{
#ifdef DMARC_PLAIN_SSE2
	__m128i x, diff;
	uint64_t a, b, c, d;
	size_t i, last;

	if (len < 8) {
		a = plain_load_short(name, len);
		plain_store_short(out, a, len + 1);
		return a == plain_load_short(known, len);
	}
	if (len < 16) {
		memcpy(&a, name, 8);
		memcpy(&b, name + len - 8, 8);
		memcpy(&c, known, 8);
		memcpy(&d, known + len - 8, 8);
		memcpy(out, &a, 8);
		memcpy(out + len - 8, &b, 8);
		out[len] = '\0';
		return ((a ^ c) | (b ^ d)) == 0;
	}
	diff = _mm_setzero_si128();
	last = len - 16;
	for (i = 0; i < last; i += 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(name + i));
		_mm_storeu_si128((__m128i *)(void *)(out + i), x);
		diff = _mm_or_si128(diff, _mm_xor_si128(x, _mm_loadu_si128(
		    (const __m128i *)(const void *)(known + i))));
	}
	x = _mm_loadu_si128((const __m128i *)(const void *)(name + last));
	_mm_storeu_si128((__m128i *)(void *)(out + last), x);
	out[len] = '\0';
	diff = _mm_or_si128(diff, _mm_xor_si128(x, _mm_loadu_si128(
	    (const __m128i *)(const void *)(known + last))));
	return _mm_movemask_epi8(_mm_cmpeq_epi8(diff,
	    _mm_setzero_si128())) == 0xffff;
#else
	if (memcmp(name, known, len) != 0)
		return false;
	memcpy(out, known, len + 1);
	return true;
#endif
}

/* Copy the n bytes (0 to 253) at in to out (not overlapping), reading
 * and writing those bytes only: overlapping loads and stores of eight or
 * sixteen bytes instead of a call or a byte at a time, for the names the
 * library copies on every message. */
static DMARC_ALWAYS_INLINE void dmarc__copy_name(char *out, const char *in,
    size_t n)
{
	uint64_t a, b;
	uint32_t c, d;
	size_t i;

	if (n >= 8) {
#ifdef DMARC_PLAIN_SSE2
		if (n > 16) {
			for (i = 0; i + 16 < n; i += 16)
				_mm_storeu_si128((__m128i *)(void *)(out + i),
				    _mm_loadu_si128((const __m128i *)(const void *)
				    (in + i)));
			_mm_storeu_si128((__m128i *)(void *)(out + n - 16),
			    _mm_loadu_si128((const __m128i *)(const void *)
			    (in + n - 16)));
			return;
		}
#endif
		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&a, in + i, 8);
			memcpy(out + i, &a, 8);
		}
		memcpy(&b, in + n - 8, 8);
		memcpy(out + n - 8, &b, 8);
	} else if (n >= 4) {
		memcpy(&c, in, 4);
		memcpy(&d, in + n - 4, 4);
		memcpy(out, &c, 4);
		memcpy(out + n - 4, &d, 4);
	} else if (n > 0) {
		out[0] = in[0];
		out[n / 2] = in[n / 2];
		out[n - 1] = in[n - 1];
	}
}

/* A plain name, copied to out with its NUL (out partly written when it
 * is not one): the classification above with the first and last bytes
 * and, only for a name longer than 63 bytes, the labels' lengths. */
static DMARC_ALWAYS_INLINE bool plain_name(char *out, const char *name,
    size_t len, bool copy)
{
#ifdef DMARC_PLAIN_SSE2
	if (!plain_sse2(out, name, len, copy))
		return false;
#else
	if (!plain_words(out, name, len, copy) || plain_is_mark(name[0]) ||
	    plain_is_mark(name[len - 1]))
		return false;
#endif
	return len <= 63u || dmarc__labels_fit(name, len);
}

static DMARC_ALWAYS_INLINE bool dmarc__plain_copy(char *out,
    const char *name, size_t len)
{
	return plain_name(out, name, len, true);
}

/* Whether a name of len bytes (any length) is already what
 * dmarc_domain_normalize gives (lower-case letters, digits and hyphens
 * in labels of 1 to 63 bytes, no hyphen at a label's edge, no A-label,
 * at most 253 bytes): dmarc__plain_copy without the copy, a quick yes
 * for the usual name, "no" meaning only "look closer". */
static DMARC_ALWAYS_INLINE bool dmarc__plain_name(const char *name,
    size_t len)
{
	return len - 1 < 253u && plain_name(NULL, name, len, false);
}

/* dmarc_domain_normalize for the library's own callers, which pass a
 * name (NULL only with len 0) and an out buffer, and want *length only
 * on DMARC_OK: no checks of the arguments, the usual name inline. */
static DMARC_ALWAYS_INLINE dmarc_status dmarc__domain_normalize(
    const char *name, size_t len, char *out, size_t size, size_t *length)
{
	if (len > 0 && name[len - 1] == '.')
		len--;
	/* the usual name, lower case, 1 to 253 bytes: as it is */
	if (len - 1 < 253u && len < size && dmarc__plain_copy(out, name, len)) {
		*length = len;
		return DMARC_OK;
	}
	return dmarc__domain_normalize_other(name, len, out, size, length);
}

#endif /* DMARC_NAME_PLAIN_H */
