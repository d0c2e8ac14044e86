/*
 * dmarc-report: files, directories, Maildirs (report-input.h).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report-input.h"

struct walk {
	dmarc_reader *rd;
	const struct input_handler *h;
	char *buf;
};

/* Every pending event to the handler, until the reader needs input or
 * is done.  0 or -1. */
static int drain(struct walk *w, const char *source)
{
	dmarc_reader_event ev;

	while ((ev = dmarc_reader_next(w->rd)) != DMARC_READER_NEED_INPUT &&
	    ev != DMARC_READER_DONE)
		if (w->h->event(w->h->user, w->rd, ev, source) != 0)
			return -1;
	return 0;
}

static int io_error(struct walk *w, const char *source, int e)
{
	return w->h->io_error(w->h->user, source, strerror(e));
}

/* One file through the reader.  0, or -1 to stop the run. */
static int read_fd(struct walk *w, int fd, const char *source)
{
	ssize_t n;

	dmarc_reader_reset(w->rd);
	if (w->h->file != NULL && w->h->file(w->h->user, source) != 0)
		return -1;
	for (;;) {
		n = read(fd, w->buf, INPUT_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (dmarc_reader_push(w->rd, w->buf, (size_t)n) != DMARC_OK) {
			fprintf(stderr, "dmarc-report: %s: the reader refused "
			    "input\n", source);
			return -1;
		}
		if (drain(w, source) != 0)
			return -1;
		if (w->h->progress != NULL)
			w->h->progress(w->h->user, source, (uint64_t)n);
	}
	if (n < 0) {
		int e = errno;
		dmarc_reader_reset(w->rd);
		return io_error(w, source, e);
	}
	if (dmarc_reader_finish(w->rd) != DMARC_OK) {
		fprintf(stderr, "dmarc-report: %s: the reader refused the end "
		    "of input\n", source);
		return -1;
	}
	return drain(w, source);
}

static int read_path_file(struct walk *w, const char *path)
{
	int fd = open(path, O_RDONLY), rc;

	if (fd < 0)
		return io_error(w, path, errno);
	rc = read_fd(w, fd, path);
	close(fd);
	return rc;
}

static int walk_dir(struct walk *w, const char *path, int depth);

/* dir/name, or NULL when memory ran out. */
static char *join(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *p = malloc(len);

	if (p != NULL)
		snprintf(p, len, "%s%s%s", dir,
		    dir[0] != '\0' && dir[strlen(dir) - 1] == '/' ? "" : "/",
		    name);
	return p;
}

/* An entry found in a directory: files read, directories walked,
 * links to directories and special files left.  0 or -1. */
static int walk_entry(struct walk *w, const char *path, int depth)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return io_error(w, path, errno);
	if (S_ISDIR(sb.st_mode))
		return walk_dir(w, path, depth + 1);
	if (S_ISLNK(sb.st_mode) && stat(path, &sb) != 0)
		return io_error(w, path, errno);
	return S_ISREG(sb.st_mode) ? read_path_file(w, path) : 0;
}

static int not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int is_dir(const char *dir, const char *name)
{
	char *p = join(dir, name);
	struct stat sb;
	int yes = p != NULL && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);

	free(p);
	return yes;
}

/* The entries of path (a Maildir's cur/ and new/ only), in name order. */
static int walk_dir(struct walk *w, const char *path, int depth)
{
	struct dirent **names;
	int i, n, rc = 0;
	int maildir = is_dir(path, "cur") && is_dir(path, "new");

	if (depth > INPUT_MAX_DEPTH)
		return w->h->io_error(w->h->user, path,
		    "directories nested too deep");
	if ((n = scandir(path, &names, not_hidden, alphasort)) < 0)
		return io_error(w, path, errno);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *sub;
		if (rc != 0 || (maildir && strcmp(name, "cur") != 0 &&
		    strcmp(name, "new") != 0))
			;
		else if ((sub = join(path, name)) == NULL) {
			fputs("dmarc-report: out of memory\n", stderr);
			rc = -1;
		} else {
			rc = walk_entry(w, sub, depth);
			free(sub);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int input_read_paths(dmarc_reader *rd, char *const *paths, size_t n,
    const struct input_handler *h)
{
	struct walk w;
	size_t i;
	int rc = 0;

	w.rd = rd;
	w.h = h;
	if ((w.buf = malloc(INPUT_CHUNK)) == NULL) {
		fputs("dmarc-report: out of memory\n", stderr);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++) {
		struct stat sb;
		if (strcmp(paths[i], "-") == 0)
			rc = read_fd(&w, 0, "-");
		else if (stat(paths[i], &sb) != 0)
			rc = io_error(&w, paths[i], errno);
		else if (S_ISDIR(sb.st_mode))
			rc = walk_dir(&w, paths[i], 0);
		else
			rc = read_path_file(&w, paths[i]);
	}
	free(w.buf);
	return rc;
}
