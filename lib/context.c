/*
 * libdmarc - the library context: making and freeing it (it owns the
 * PSL, the DNS cache and the configured lists), mode, options, limits.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Any record DNS can carry: no RFC limits a DMARC record's length. */
#define DEFAULT_RECORD_LENGTH DMARC_MAX_RECORD_LENGTH
#define DEFAULT_URIS_PER_LIST 8u
#define DEFAULT_URI_LENGTH 512u
#define DEFAULT_HEADER_LENGTH 8192u
#define DEFAULT_FROM_DOMAINS 5u
#define DEFAULT_DKIM_SIGNATURES 16u
#define DEFAULT_EVAL_QUERIES 32u
#define DEFAULT_RUN_SECONDS 30u
#define DEFAULT_CACHE_BYTES (8u << 20)
#define DEFAULT_CACHE_TTL 86400u
#define DEFAULT_AGGREGATE_ROWS 1000000u
#define DEFAULT_REPORT_INTERVAL 86400u

#define KNOWN_PARSE_OPTIONS \
	((unsigned int)(DMARC_PARSE_STRICT | DMARC_PARSE_DUPLICATE_FIRST_WINS | \
	    DMARC_PARSE_SKIP_LEADING_SPACE))

DMARC_EXPORT dmarc_status dmarc_ctx_new_with_allocator(dmarc_ctx **out,
    dmarc_malloc_fn malloc_fn, dmarc_realloc_fn realloc_fn,
    dmarc_free_fn free_fn)
{
	dmarc_ctx *ctx;

	if (out == NULL)
		return DMARC_EINVAL;
	*out = NULL;
	if (malloc_fn == NULL || realloc_fn == NULL || free_fn == NULL)
		return DMARC_EINVAL;
	ctx = malloc_fn(sizeof *ctx);
	if (ctx == NULL)
		return DMARC_ENOMEM;
	memset(ctx, 0, sizeof *ctx); /* no hooks, lists or cache yet */
	atomic_init(&ctx->eval_seq, 0u);
	atomic_init(&ctx->record_serial, 0u);
	ctx->malloc_fn = malloc_fn;
	ctx->realloc_fn = realloc_fn;
	ctx->free_fn = free_fn;
	ctx->mode = DMARC_MODE_RFC9989;
	ctx->max_record_length = DEFAULT_RECORD_LENGTH;
	ctx->max_uris_per_list = DEFAULT_URIS_PER_LIST;
	ctx->max_uri_length = DEFAULT_URI_LENGTH;
	ctx->max_header_length = DEFAULT_HEADER_LENGTH;
	ctx->max_from_domains = DEFAULT_FROM_DOMAINS;
	ctx->max_dkim_signatures = DEFAULT_DKIM_SIGNATURES;
	ctx->max_eval_queries = DEFAULT_EVAL_QUERIES;
	ctx->max_run_seconds = DEFAULT_RUN_SECONDS;
	ctx->max_cache_bytes = DEFAULT_CACHE_BYTES;
	ctx->max_cache_ttl = DEFAULT_CACHE_TTL;
	ctx->max_aggregate_rows = DEFAULT_AGGREGATE_ROWS;
	ctx->report_interval = DEFAULT_REPORT_INTERVAL;
	ctx->report_bytes = (size_t)1 << 30;
	ctx->report_ratio = 1000;
	ctx->xml_depth = 32;
	ctx->xml_elements = 400000000;
	ctx->xml_string = 65536;
	ctx->report_records = 10000000;
	ctx->mime_depth = 8;
	ctx->mime_parts = 256;
	atomic_init(&ctx->users, 0);
	ctx->psl = dmarc__psl_new(ctx);
	if (ctx->psl == NULL) {
		free_fn(ctx);
		return DMARC_ENOMEM;
	}
	*out = ctx;
	return DMARC_OK;
}

DMARC_EXPORT dmarc_status dmarc_ctx_new(dmarc_ctx **out)
{
	return dmarc_ctx_new_with_allocator(out, malloc, realloc, free);
}

DMARC_EXPORT void dmarc_ctx_free(dmarc_ctx *ctx)
{
	if (ctx == NULL)
		return;
	dmarc__cache_release(ctx);
	dmarc__strlist_free(ctx, &ctx->psds);
	dmarc__strlist_free(ctx, &ctx->authserv_ids);
	dmarc__psl_free(ctx, ctx->psl);
	ctx->free_fn(ctx);
}

DMARC_EXPORT dmarc_status dmarc_ctx_set_mode(dmarc_ctx *ctx, dmarc_mode mode)
{
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
	switch (mode) {
	case DMARC_MODE_RFC9989:
	case DMARC_MODE_RFC7489:
	case DMARC_MODE_RFC7489_PSD:
		ctx->mode = mode;
		return DMARC_OK;
	}
	return DMARC_ERANGE;
}

DMARC_EXPORT dmarc_mode dmarc_ctx_get_mode(const dmarc_ctx *ctx)
{
	return ctx != NULL ? ctx->mode : DMARC_MODE_RFC9989;
}

DMARC_EXPORT dmarc_status dmarc_ctx_set_parse_options(dmarc_ctx *ctx,
    unsigned int options)
{
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
	if ((options & ~KNOWN_PARSE_OPTIONS) != 0)
		return DMARC_ERANGE;
	ctx->parse_options = options;
	return DMARC_OK;
}

DMARC_EXPORT unsigned int dmarc_ctx_get_parse_options(const dmarc_ctx *ctx)
{
	return ctx != NULL ? ctx->parse_options : 0u;
}

/* The report reader's limits (dmarc/reader.h). */
static bool reader_limit_info(dmarc_limit limit, size_t *offset, size_t *lo,
    size_t *hi)
{
	static const struct {
		dmarc_limit limit;
		size_t offset, lo;
		uint64_t hi;
	} info[] = {
		{ DMARC_LIMIT_REPORT_BYTES, offsetof(dmarc_ctx, report_bytes),
		    (size_t)1 << 20, (uint64_t)1 << 34 },
		{ DMARC_LIMIT_REPORT_RATIO, offsetof(dmarc_ctx, report_ratio),
		    10, 100000 },
		{ DMARC_LIMIT_XML_DEPTH, offsetof(dmarc_ctx, xml_depth), 8, 256 },
		{ DMARC_LIMIT_XML_ELEMENTS, offsetof(dmarc_ctx, xml_elements),
		    1000, 4000000000u },
		{ DMARC_LIMIT_XML_STRING, offsetof(dmarc_ctx, xml_string), 256,
		    16777216 },
		{ DMARC_LIMIT_REPORT_RECORDS,
		    offsetof(dmarc_ctx, report_records), 1, 1000000000 },
		{ DMARC_LIMIT_MIME_DEPTH, offsetof(dmarc_ctx, mime_depth), 1,
		    16 },
		{ DMARC_LIMIT_MIME_PARTS, offsetof(dmarc_ctx, mime_parts), 1,
		    10000 },
	};
	size_t i;

	for (i = 0; i < sizeof info / sizeof info[0]; i++)
		if (info[i].limit == limit) {
			*offset = info[i].offset;
			*lo = info[i].lo;
			*hi = info[i].hi > SIZE_MAX ? SIZE_MAX : (size_t)info[i].hi;
			return true;
		}
	return false;
}

/* Where each limit lives in the context and which values it may take. */
static bool limit_info(dmarc_limit limit, size_t *offset, size_t *lo,
    size_t *hi)
{
	switch (limit) {
	case DMARC_LIMIT_RECORD_LENGTH:
		*offset = offsetof(dmarc_ctx, max_record_length);
		*lo = 16;
		*hi = DMARC_MAX_RECORD_LENGTH;
		return true;
	case DMARC_LIMIT_URIS_PER_LIST:
		*offset = offsetof(dmarc_ctx, max_uris_per_list);
		*lo = 1;
		*hi = DMARC_MAX_URIS_PER_LIST;
		return true;
	case DMARC_LIMIT_URI_LENGTH:
		*offset = offsetof(dmarc_ctx, max_uri_length);
		*lo = 16;
		*hi = DMARC_MAX_URI_LENGTH;
		return true;
	case DMARC_LIMIT_HEADER_LENGTH:
		*offset = offsetof(dmarc_ctx, max_header_length);
		*lo = 256;
		*hi = 65536;
		return true;
	case DMARC_LIMIT_FROM_DOMAINS:
		*offset = offsetof(dmarc_ctx, max_from_domains);
		*lo = 1;
		*hi = 8; /* DMARC_FROM_MAX_DOMAINS */
		return true;
	case DMARC_LIMIT_DKIM_SIGNATURES:
		*offset = offsetof(dmarc_ctx, max_dkim_signatures);
		*lo = 1;
		*hi = DMARC_MAX_DKIM_SIGNATURES;
		return true;
	case DMARC_LIMIT_EVAL_QUERIES:
		*offset = offsetof(dmarc_ctx, max_eval_queries);
		*lo = 8; /* one tree walk */
		*hi = 1024;
		return true;
	case DMARC_LIMIT_RUN_SECONDS:
		*offset = offsetof(dmarc_ctx, max_run_seconds);
		*lo = 1;
		*hi = 3600;
		return true;
	case DMARC_LIMIT_CACHE_BYTES:
		*offset = offsetof(dmarc_ctx, max_cache_bytes);
		*lo = 64u << 10;
		*hi = (size_t)1 << 30;
		return true;
	case DMARC_LIMIT_CACHE_TTL:
		*offset = offsetof(dmarc_ctx, max_cache_ttl);
		*lo = 1;
		*hi = 604800; /* one week */
		return true;
	case DMARC_LIMIT_AGGREGATE_ROWS:
		*offset = offsetof(dmarc_ctx, max_aggregate_rows);
		*lo = 1;
		*hi = 100000000;
		return true;
	case DMARC_LIMIT_REPORT_INTERVAL:
		*offset = offsetof(dmarc_ctx, report_interval);
		*lo = 3600;
		*hi = 86400;
		return true;
	default:
		return reader_limit_info(limit, offset, lo, hi);
	}
	return false;
}

DMARC_EXPORT dmarc_status dmarc_ctx_set_limit(dmarc_ctx *ctx,
    dmarc_limit limit, size_t value)
{
	size_t offset, lo, hi;
	dmarc_status st = dmarc__ctx_configurable(ctx);

	if (st != DMARC_OK)
		return st;
	if (!limit_info(limit, &offset, &lo, &hi))
		return DMARC_EINVAL;
	if (value < lo || value > hi)
		return DMARC_ERANGE;
	*(size_t *)(void *)((char *)ctx + offset) = value;
	return DMARC_OK;
}

DMARC_EXPORT size_t dmarc_ctx_get_limit(const dmarc_ctx *ctx,
    dmarc_limit limit)
{
	size_t offset, lo, hi;

	if (ctx == NULL || !limit_info(limit, &offset, &lo, &hi))
		return 0;
	return *(const size_t *)(const void *)((const char *)ctx + offset);
}
