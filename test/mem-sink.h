/*
 * A sink for tests of the report wing (lib/report/sink.h): keeps what it
 * is given in memory, counts its calls, and can fail the call number
 * fail_at_call (from 1) with fail_status, and every call after it.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_TEST_MEM_SINK_H
#define DMARC_TEST_MEM_SINK_H

#include <stdlib.h>
#include <string.h>

#include <dmarc/dmarc.h>

struct mem_sink {
	char *data;
	size_t len, size;
	size_t calls;
	size_t empty_calls;   /* calls with 0 bytes (there should be none) */
	size_t fail_at_call;  /* 0: never */
	dmarc_status fail_status;
};

static inline void mem_sink_init(struct mem_sink *m)
{
	memset(m, 0, sizeof *m);
}

static inline void mem_sink_dispose(struct mem_sink *m)
{
	free(m->data);
	mem_sink_init(m);
}

static inline dmarc_status mem_sink_append(struct mem_sink *m,
    const char *data, size_t len)
{
	if (m->len + len + 1 > m->size) {
		size_t size = m->size != 0 ? m->size : 1024;
		char *p;

		while (m->len + len + 1 > size)
			size *= 2;
		if ((p = realloc(m->data, size)) == NULL)
			return DMARC_ENOMEM;
		m->data = p;
		m->size = size;
	}
	memcpy(m->data + m->len, data, len);
	m->len += len;
	m->data[m->len] = '\0';
	return DMARC_OK;
}

/* A dmarc_sink_fn; user is the struct mem_sink. */
static inline dmarc_status mem_sink_write(void *user, const char *data,
    size_t len)
{
	struct mem_sink *m = user;

	m->calls++;
	if (len == 0)
		m->empty_calls++;
	if (m->fail_at_call != 0 && m->calls >= m->fail_at_call)
		return m->fail_status;
	return mem_sink_append(m, data, len);
}

/* A dmarc_sink_fn that only counts; user is a uint64_t. */
static inline dmarc_status count_sink_write(void *user, const char *data,
    size_t len)
{
	(void)data;
	*(uint64_t *)user += len;
	return DMARC_OK;
}

#endif /* DMARC_TEST_MEM_SINK_H */
