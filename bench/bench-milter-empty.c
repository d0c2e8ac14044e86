/*
 * The empty milter of bench/milter-throughput.sh: the callbacks
 * dmarc-milter registers (connect, MAIL FROM, RCPT TO, each header, end
 * of message, abort, close), each only saying "continue", so the
 * benchmark compares dmarc-milter's work with the cost of the milter
 * protocol alone.
 *
 *   bench-milter-empty unix:PATH
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>

#include <libmilter/mfapi.h>

static sfsistat on_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	(void)ctx;
	(void)host;
	(void)sa;
	return SMFIS_CONTINUE;
}

static sfsistat on_args(SMFICTX *ctx, char **argv)
{
	(void)ctx;
	(void)argv;
	return SMFIS_CONTINUE;
}

static sfsistat on_header(SMFICTX *ctx, char *name, char *value)
{
	(void)ctx;
	(void)name;
	(void)value;
	return SMFIS_CONTINUE;
}

static sfsistat on_step(SMFICTX *ctx)
{
	(void)ctx;
	return SMFIS_CONTINUE;
}

static char milter_name[] = "bench-milter-empty";

int main(int argc, char **argv)
{
	struct smfiDesc d = {
		.xxfi_name = milter_name,
		.xxfi_version = SMFI_VERSION,
		.xxfi_flags = 0,
		.xxfi_connect = on_connect,
		.xxfi_envfrom = on_args,
		.xxfi_envrcpt = on_args,
		.xxfi_header = on_header,
		.xxfi_eom = on_step,
		.xxfi_abort = on_step,
		.xxfi_close = on_step
	};

	if (argc != 2) {
		fputs("usage: bench-milter-empty unix:PATH\n", stderr);
		return 2;
	}
	if (smfi_register(d) != MI_SUCCESS || smfi_setconn(argv[1]) !=
	    MI_SUCCESS || smfi_opensocket(1) != MI_SUCCESS) {
		fprintf(stderr, "bench-milter-empty: cannot listen on %s\n",
		    argv[1]);
		return 1;
	}
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}
