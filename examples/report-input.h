/*
 * dmarc-report: the inputs.  Every path is a file (an mbox too: the
 * reader tells by content), standard input ("-"), or a directory read
 * recursively in name order; a Maildir (a directory with cur/ and new/)
 * is read from cur/ and new/ only.  Names starting with '.' are skipped
 * inside directories, and symbolic links to directories are not
 * followed there.  Each file goes through the one reader, reset
 * between files, in reads of INPUT_CHUNK bytes.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_REPORT_INPUT_H
#define DMARC_EXAMPLES_REPORT_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include <dmarc/reader.h>

#define INPUT_CHUNK 65536
#define INPUT_MAX_DEPTH 64

struct input_handler {
	void *user;
	/* A new file begins.  0, or -1 to stop the run. */
	int (*file)(void *user, const char *source);
	/* Every event but NEED_INPUT and DONE; 0, or -1 to stop the run. */
	int (*event)(void *user, const dmarc_reader *rd,
	    dmarc_reader_event ev, const char *source);
	/* A file or directory that could not be read: the events of the
	 * file (if any) end here.  0, or -1 to stop. */
	int (*io_error)(void *user, const char *source, const char *message);
	/* bytes more were read from source. */
	void (*progress)(void *user, const char *source, uint64_t bytes);
};

/* Read every path.  0, or -1 when a handler stopped the run or the
 * reader failed unexpectedly (a message on standard error). */
int input_read_paths(dmarc_reader *rd, char *const *paths, size_t n,
    const struct input_handler *h);

#endif /* DMARC_EXAMPLES_REPORT_INPUT_H */
