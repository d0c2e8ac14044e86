/*
 * Reading a fuzzer's input piece by piece: bytes and newline-ended lines.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_FUZZ_INPUT_H
#define DMARC_FUZZ_INPUT_H

#include <stdint.h>
#include <string.h>

struct input {
	const uint8_t *p;
	size_t n;
};

static inline int take(struct input *in)
{
	if (in->n == 0)
		return -1;
	in->n--;
	return *in->p++;
}

static inline size_t take_line(struct input *in, const char **line)
{
	const uint8_t *nl = memchr(in->p, '\n', in->n);
	size_t len = nl != NULL ? (size_t)(nl - in->p) : in->n;

	*line = (const char *)in->p;
	in->p += len;
	in->n -= len;
	if (nl != NULL) {
		in->p++;
		in->n--;
	}
	return len;
}

#endif /* DMARC_FUZZ_INPUT_H */
