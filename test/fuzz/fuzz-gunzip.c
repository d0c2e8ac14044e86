/*
 * Fuzz target for the gunzip filter (lib/report/gunzip.c): any bytes
 * after a selector byte (fuzz-decode.h) as gzip input, decoded in one
 * piece and in chunks, which must agree.  Where the filter took the
 * input, zlib's own gzip decoder must take its first member the same.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "fuzz-decode.h"

/* zlib's inflate in gzip mode over the first member: 1 and its output
 * when it ends well, else 0. */
static int zlib_member(const uint8_t *in, size_t len, struct fuzz_buf *b)
{
	unsigned char buf[16384];
	z_stream zs;
	int rc;

	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		abort();
	zs.next_in = in;
	zs.avail_in = (uInt)len;
	do {
		zs.next_out = buf;
		zs.avail_out = sizeof buf;
		rc = inflate(&zs, Z_NO_FLUSH);
		fuzz_put(b, buf, sizeof buf - zs.avail_out);
	} while (rc == Z_OK && b->len < FUZZ_OUT_CAP / 2);
	inflateEnd(&zs);
	return rc == Z_STREAM_END;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_run r;
	struct fuzz_buf z = { NULL, 0, 0 };

	if (size < 1 || size > 65536)
		return 0;
	fuzz_both(0, data, size, &r);
	if (r.st == DMARC_OK && r.parts > 0) {
		if (!zlib_member(data + 1, size - 1, &z) || z.len > r.out.len ||
		    (z.len != 0 && memcmp(z.p, r.out.p, z.len) != 0))
			abort();
		free(z.p);
	}
	fuzz_dispose(&r);
	return 0;
}
