/*
 * libdmarc - base64 and quoted-printable decoders of the MIME reader
 * (mime_int.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "config.h"

#include <stdint.h>

#include "mime_int.h"

/* RFC 2045 6.8 Table 1, reversed: 0-63, 64 white space, 65 "=", 255 bad. */
static unsigned char b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (unsigned char)(c - 'A');
	if (c >= 'a' && c <= 'z')
		return (unsigned char)(c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (unsigned char)(c - '0' + 52);
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
		return 64;
	return c == '=' ? 65 : 255;
}

/* The bytes of the sextets held: 2 give 1 byte, 3 give 2, 4 give 3. */
static size_t b64_flush(struct dmarc__b64dec *d, unsigned char *out)
{
	size_t n = 0;
	uint32_t v = d->acc << (6u * (4u - d->n));

	if (d->n >= 2)
		out[n++] = (unsigned char)(v >> 16);
	if (d->n >= 3)
		out[n++] = (unsigned char)(v >> 8);
	if (d->n >= 4)
		out[n++] = (unsigned char)v;
	d->acc = 0;
	d->n = 0;
	return n;
}

size_t dmarc__b64dec_run(struct dmarc__b64dec *d, const char *in,
    size_t len, unsigned char *out, size_t *bad)
{
	size_t i, o = 0;

	*bad = SIZE_MAX;
	for (i = 0; i < len; i++) {
		unsigned char v = b64_value((unsigned char)in[i]);

		if (v < 64) {
			d->acc = (d->acc << 6) | v;
			if (++d->n == 4)
				o += b64_flush(d, out + o);
		} else if (v == 65) {
			if (d->n == 1 && *bad == SIZE_MAX)
				*bad = i;  /* a lone sextet before "=" */
			o += b64_flush(d, out + o);
		} else if (v == 255 && *bad == SIZE_MAX) {
			*bad = i;
		}
	}
	return o;
}

size_t dmarc__b64dec_end(struct dmarc__b64dec *d, unsigned char *out,
    bool *partial)
{
	*partial = d->n == 1;
	return b64_flush(d, out);
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = dmarc__lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Emits the white space held. */
static size_t qp_release(struct dmarc__qpdec *d, unsigned char *out)
{
	size_t i;

	for (i = 0; i < d->ws; i++)
		out[i] = d->held[i];
	d->ws = 0;
	return i;
}

size_t dmarc__qpdec_run(struct dmarc__qpdec *d, const char *in, size_t len,
    unsigned char *out, size_t *bad)
{
	size_t i, o = 0;

	*bad = SIZE_MAX;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		unsigned int was;

		if (d->eq == 1 && (c == ' ' || c == '\t'))
			continue; /* "=" then padding: a soft break to come */
		if (d->eq != 0) {
			int h = hex_value(c);

			if (h >= 0 && d->eq == 1) {
				d->hex = (unsigned char)h;
				d->eq = 2;
				continue;
			}
			was = d->eq;
			d->eq = 0;
			if (h >= 0) {
				out[o++] = (unsigned char)(d->hex << 4 | h);
				continue;
			}
			if (*bad == SIZE_MAX)
				*bad = i;
			out[o++] = '=';
			if (was == 2)
				out[o++] = (unsigned char)
				    "0123456789ABCDEF"[d->hex];
		}
		if (c == ' ' || c == '\t') {
			if (d->ws == DMARC__QP_HOLD)
				o += qp_release(d, out + o);
			d->held[d->ws++] = c;
			continue;
		}
		o += qp_release(d, out + o);
		if (c == '=')
			d->eq = 1;
		else
			out[o++] = c;
	}
	return o;
}

size_t dmarc__qpdec_eol(struct dmarc__qpdec *d, const char *eol,
    size_t eol_len, unsigned char *out, bool *bad)
{
	size_t i, o = 0;

	*bad = d->eq == 2;
	d->ws = 0; /* trailing white space of the line (rule 3) */
	if (d->eq == 2) {
		out[o++] = '=';
		out[o++] = (unsigned char)"0123456789ABCDEF"[d->hex];
	} else if (d->eq == 1) {
		d->eq = 0;
		return 0; /* soft line break (rule 5) */
	}
	d->eq = 0;
	for (i = 0; i < eol_len; i++)
		out[o++] = (unsigned char)eol[i];
	return o;
}
