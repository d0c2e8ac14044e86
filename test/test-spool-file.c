/*
 * The spool file adapter: rows appended and read back in order;
 * rotation by rename with appenders that hold the old file and follow
 * later; torn lines (a writer killed mid-write) at the end and in the
 * middle, reported and never counted; bad lines reported with their
 * number while reading goes on; allocation failures; and writer
 * processes appending at once while one is killed with SIGKILL, after
 * which the reader counts exactly the rows whose appends completed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "check-main.h"
#include "failing-alloc.h"
#include "spool-rows.h"
#include "report/spool_codec.h"
#include "report/spool_file.h"

static dmarc_ctx *CTX;
static char DIR_[256];
static char PATH[300], ROTATED[300];
static struct report_row ROW;

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(DIR_, sizeof DIR_, "%s/dmarc-spool-XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(DIR_));
	umask(022);
	snprintf(PATH, sizeof PATH, "%s/spool", DIR_);
	snprintf(ROTATED, sizeof ROTATED, "%s/spool.1", DIR_);
	ck_assert_int_eq(dmarc_ctx_new(&CTX), DMARC_OK);
}

static void teardown(void)
{
	char p[400];

	snprintf(p, sizeof p, "%s/other", DIR_);
	unlink(p);
	unlink(PATH);
	unlink(ROTATED);
	rmdir(DIR_);
	dmarc_ctx_free(CTX);
	CTX = NULL;
}

/* Row number i: its sequence in the arrival time, its writer in the
 * header_from, and a number of signatures that varies its length. */
static void numbered_row(struct report_row *r, unsigned int writer,
    uint64_t i)
{
	unsigned int k, n = (unsigned int)(i % 23u);
	char d[64];

	spool_row_base(r);
	r->arrival = i;
	snprintf(r->header_from, sizeof r->header_from, "w%u.example", writer);
	for (k = 0; k < n; k++) {
		snprintf(d, sizeof d, "signer%u.example.net", k);
		spool_row_add_dkim(r, DMARC_VERDICT_FAIL, d, "selector2024",
		    k % 5 == 0 ? "body hash did not verify" : "");
	}
}

/* Row i of writer 0 as a line; its length with the LF. */
static size_t numbered_line(char line[DMARC__SPOOL_LINE_SIZE], uint64_t i)
{
	size_t len;

	numbered_row(&ROW, 0, i);
	ck_assert_int_eq(dmarc__spool_encode(&ROW, line, DMARC__SPOOL_LINE_SIZE,
	    &len), DMARC_OK);
	return len;
}

static void append_numbered(struct dmarc__spool *s, unsigned int writer,
    uint64_t i)
{
	numbered_row(&ROW, writer, i);
	ck_assert_int_eq(dmarc__spool_append(s, &ROW), DMARC_OK);
}

static struct dmarc__spool *open_spool(const char *path, unsigned int flags)
{
	struct dmarc__spool *s;
	int err = -1;

	ck_assert_int_eq(dmarc__spool_open(&s, CTX, path, 0, flags, &err),
	    DMARC_OK);
	ck_assert_int_eq(err, 0);
	return s;
}

static struct dmarc__spool_reader *open_reader(const char *path)
{
	struct dmarc__spool_reader *r;

	ck_assert_int_eq(dmarc__spool_reader_open(&r, CTX, path, NULL),
	    DMARC_OK);
	return r;
}

/* The next event must be e on line; for a row, its arrival is seq. */
static void expect(struct dmarc__spool_reader *r, enum dmarc__spool_event e,
    uint64_t line, uint64_t seq)
{
	const struct report_row *row;
	enum dmarc__spool_event got = dmarc__spool_next(r, &row);

	ck_assert_msg(got == e, "event %d, expected %d (line %llu)", (int)got,
	    (int)e, (unsigned long long)line);
	ck_assert_uint_eq(dmarc__spool_where(r)->line, line);
	if (e == DMARC__SPOOL_ROW)
		ck_assert_uint_eq(row->arrival, seq);
	else
		ck_assert_ptr_null(row);
}

/* One event a reader should give: a row's sequence is its arrival. */
struct want {
	enum dmarc__spool_event event;
	uint64_t line, seq;
};

#define ROW_AT(line, seq) { DMARC__SPOOL_ROW, (line), (seq) }
#define TORN_AT(line) { DMARC__SPOOL_TORN, (line), 0 }
#define DONE_AT(line) { DMARC__SPOOL_DONE, (line), 0 }

/* The events of reading the file at path are these, in order. */
static void expect_file(const char *path, const struct want *w, size_t n)
{
	struct dmarc__spool_reader *r = open_reader(path);
	size_t i;

	for (i = 0; i < n; i++)
		expect(r, w[i].event, w[i].line, w[i].seq);
	dmarc__spool_reader_close(r);
}

#define EXPECT_FILE(path, ...) do { \
	static const struct want want_[] = { __VA_ARGS__ }; \
	expect_file((path), want_, sizeof want_ / sizeof want_[0]); \
} while (0)

/* Raw bytes at the end of a file, as a writer that died would leave. */
static void write_raw(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static off_t file_size(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_size;
}

START_TEST(test_append_read)
{
	struct dmarc__spool *s = open_spool(PATH, 0);
	struct dmarc__spool_reader *r;
	struct stat st;
	unsigned int i;

	for (i = 1; i <= 3; i++)
		append_numbered(s, 0, i);
	ck_assert_int_eq(stat(PATH, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640); /* umask 022 */
	r = open_reader(PATH);
	for (i = 1; i <= 3; i++)
		expect(r, DMARC__SPOOL_ROW, i, i);
	expect(r, DMARC__SPOOL_DONE, 3, 0);
	expect(r, DMARC__SPOOL_DONE, 3, 0);
	dmarc__spool_reader_close(r);
	dmarc__spool_close(s);
	/* an empty file */
	unlink(PATH);
	s = open_spool(PATH, DMARC__SPOOL_SYNC);
	r = open_reader(PATH);
	expect(r, DMARC__SPOOL_DONE, 0, 0);
	append_numbered(s, 0, 9); /* with fsync */
	dmarc__spool_reader_close(r);
	dmarc__spool_close(s);
}
END_TEST

/* More rows than the reader's buffer holds. */
START_TEST(test_many_rows)
{
	struct dmarc__spool *s = open_spool(PATH, 0);
	struct dmarc__spool_reader *r;
	unsigned int i;

	for (i = 1; i <= 3000; i++)
		append_numbered(s, 1, i);
	dmarc__spool_close(s);
	ck_assert_int_gt(file_size(PATH), 4 * 65536);
	r = open_reader(PATH);
	for (i = 1; i <= 3000; i++)
		expect(r, DMARC__SPOOL_ROW, i, i);
	expect(r, DMARC__SPOOL_DONE, 3000, 0);
	dmarc__spool_reader_close(r);
}
END_TEST

/* Rows no line holds are refused and nothing is written. */
START_TEST(test_append_refused)
{
	struct dmarc__spool *s = open_spool(PATH, 0);
	dmarc_eval *ev;
	unsigned int i;

	spool_row_base(&ROW);
	ROW.n_dkim = 0;
	for (i = 0; i < 64; i++)
		spool_row_add_dkim(&ROW, DMARC_VERDICT_PASS,
		    "a-rather-long-signing-domain.example.com",
		    "and-a-selector-2024", "");
	ck_assert_int_eq(dmarc__spool_append(s, &ROW), DMARC_ERANGE);
	ROW.count = 0;
	ck_assert_int_eq(dmarc__spool_append(s, &ROW), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__spool_append_line(s, "x", 1), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__spool_append_line(s, "", 0), DMARC_EINVAL);
	ck_assert_int_eq(dmarc_eval_new(&ev, CTX), DMARC_OK);
	ck_assert_int_eq(dmarc__spool_append_eval(s, ev), DMARC_ESTATE);
	dmarc_eval_free(ev);
	ck_assert_int_eq(file_size(PATH), 0);
	ck_assert_int_eq(dmarc__spool_append(NULL, &ROW), DMARC_EINVAL);
	ck_assert_int_eq(dmarc__spool_append(s, NULL), DMARC_EINVAL);
	dmarc__spool_close(s);
	dmarc__spool_close(NULL);
	dmarc__spool_reader_close(NULL);
}
END_TEST

START_TEST(test_open_fails)
{
	struct dmarc__spool *s = (struct dmarc__spool *)&s;
	struct dmarc__spool_reader *r = (struct dmarc__spool_reader *)&r;
	char missing[400];
	int err = 0;

	snprintf(missing, sizeof missing, "%s/no/such/dir", DIR_);
	ck_assert_int_eq(dmarc__spool_open(&s, CTX, missing, 0, 0, &err),
	    DMARC_ESYSTEM);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(err, ENOENT);
	ck_assert_int_eq(dmarc__spool_reader_open(&r, CTX, missing, &err),
	    DMARC_ESYSTEM);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(err, ENOENT);
	ck_assert_int_eq(dmarc__spool_open(&s, CTX, PATH, 0, 99, NULL),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__spool_open(&s, NULL, PATH, 0, 0, NULL),
	    DMARC_EINVAL);
	ck_assert_int_eq(dmarc__spool_open(NULL, CTX, PATH, 0, 0, NULL),
	    DMARC_EINVAL);
}
END_TEST

/* Rotation: appenders holding the old file write to the renamed one
 * until they follow; with DMARC__SPOOL_FOLLOW they follow at once. */
START_TEST(test_rotate)
{
	struct dmarc__spool *a = open_spool(PATH, 0), *b = open_spool(PATH, 0);
	struct dmarc__spool *c = open_spool(PATH, DMARC__SPOOL_FOLLOW);

	append_numbered(a, 0, 1);
	ck_assert_int_eq(dmarc__spool_rotate(a, ROTATED), DMARC_OK);
	append_numbered(a, 0, 2);     /* the new file */
	append_numbered(b, 0, 3);     /* still the rotated one */
	append_numbered(c, 0, 4);     /* follows before writing */
	ck_assert_int_eq(dmarc__spool_follow(b), DMARC_OK);
	append_numbered(b, 0, 5);
	ck_assert_int_eq(dmarc__spool_follow(b), DMARC_OK); /* nothing to do */
	EXPECT_FILE(ROTATED, ROW_AT(1, 1), ROW_AT(2, 3), DONE_AT(2));
	EXPECT_FILE(PATH, ROW_AT(1, 2), ROW_AT(2, 4), ROW_AT(3, 5), DONE_AT(3));
	/* renamed away by someone else, nothing in its place */
	ck_assert_int_eq(rename(PATH, ROTATED), 0);
	ck_assert_int_eq(dmarc__spool_follow(b), DMARC_OK);
	append_numbered(b, 0, 6);
	EXPECT_FILE(PATH, ROW_AT(1, 6), DONE_AT(1));
	/* a rename that fails changes nothing */
	ck_assert_int_eq(dmarc__spool_rotate(a, "/nonexistent/dir/x"),
	    DMARC_ESYSTEM);
	ck_assert_int_eq(dmarc__spool_errno(a), ENOENT);
	append_numbered(a, 0, 7);
	dmarc__spool_close(a);
	dmarc__spool_close(b);
	dmarc__spool_close(c);
}
END_TEST

/* The start of row 3 without its LF: torn at the end of the file. */
START_TEST(test_torn_last)
{
	char line[DMARC__SPOOL_LINE_SIZE];
	struct dmarc__spool *s = open_spool(PATH, 0);
	size_t len;

	append_numbered(s, 0, 1);
	append_numbered(s, 0, 2);
	len = numbered_line(line, 3);
	write_raw(PATH, line, len - 1); /* all but the LF: still torn */
	EXPECT_FILE(PATH, ROW_AT(1, 1), ROW_AT(2, 2), TORN_AT(3), DONE_AT(2));
	dmarc__spool_close(s);
}
END_TEST

/* Torn bytes with the next process's row appended to them. */
START_TEST(test_torn_middle)
{
	char line[DMARC__SPOOL_LINE_SIZE];
	struct dmarc__spool *s = open_spool(PATH, 0);
	size_t len;

	len = numbered_line(line, 1);
	write_raw(PATH, line, len / 2);      /* line 1: torn, then row 2 */
	append_numbered(s, 0, 2);
	write_raw(PATH, line, 5);            /* line 2: "dmarc", row 3 */
	append_numbered(s, 0, 3);
	write_raw(PATH, line, 30);           /* line 3: two torn, row 4 */
	write_raw(PATH, line, len - 1);
	append_numbered(s, 0, 4);
	append_numbered(s, 0, 5);            /* line 4 */
	EXPECT_FILE(PATH, TORN_AT(1), ROW_AT(1, 2), TORN_AT(2), ROW_AT(2, 3),
	    TORN_AT(3), ROW_AT(3, 4), ROW_AT(4, 5), DONE_AT(4));
	dmarc__spool_close(s);
}
END_TEST

/* Lines that are not rows are reported with their number and why;
 * reading goes on. */
START_TEST(test_bad_lines)
{
	static char big[200000];
	struct dmarc__spool *s = open_spool(PATH, 0);
	struct dmarc__spool_reader *r;
	const struct dmarc__spool_where *w;

	append_numbered(s, 0, 1);
	write_raw(PATH, "garbage\n", 8);
	write_raw(PATH, "dmarc-spool/2\ttime=1\n", 21);
	append_numbered(s, 0, 2);
	memset(big, 'x', sizeof big - 1); /* over any buffer, no row start */
	big[sizeof big - 1] = '\n';
	write_raw(PATH, big, sizeof big);
	append_numbered(s, 0, 3);
	write_raw(PATH, "\n", 1);
	r = open_reader(PATH);
	w = dmarc__spool_where(r);
	expect(r, DMARC__SPOOL_ROW, 1, 1);
	expect(r, DMARC__SPOOL_BAD, 2, 0);
	ck_assert_int_eq(w->status, DMARC_EINVAL);
	ck_assert_uint_eq(w->offset, 0);
	expect(r, DMARC__SPOOL_BAD, 3, 0);
	ck_assert_int_eq(w->status, DMARC_ENOTSUP);
	ck_assert_uint_eq(w->offset, 12);
	expect(r, DMARC__SPOOL_ROW, 4, 2);
	expect(r, DMARC__SPOOL_BAD, 5, 0);
	ck_assert_int_eq(w->status, DMARC_ERANGE);
	expect(r, DMARC__SPOOL_ROW, 6, 3);
	expect(r, DMARC__SPOOL_BAD, 7, 0);
	expect(r, DMARC__SPOOL_DONE, 7, 0);
	dmarc__spool_reader_close(r);
	dmarc__spool_close(s);
}
END_TEST

/* A line longer than the reader's buffer made of torn rows: the torn
 * bytes go (in pieces), the row at its end is read. */
START_TEST(test_torn_pile)
{
	char line[DMARC__SPOOL_LINE_SIZE];
	struct dmarc__spool *s = open_spool(PATH, 0);
	struct dmarc__spool_reader *r;
	const struct report_row *row;
	enum dmarc__spool_event e;
	size_t len;
	unsigned int i, torn = 0, rows = 0;

	len = numbered_line(line, 22); /* 22 signatures: a long line */
	for (i = 0; i < 40; i++)
		write_raw(PATH, line, len - 1);
	append_numbered(s, 0, 7);
	append_numbered(s, 0, 8);
	r = open_reader(PATH);
	while ((e = dmarc__spool_next(r, &row)) != DMARC__SPOOL_DONE) {
		ck_assert_int_ne(e, DMARC__SPOOL_BAD);
		ck_assert_int_ne(e, DMARC__SPOOL_FAILED);
		if (e == DMARC__SPOOL_TORN) {
			ck_assert_uint_eq(rows, 0);
			torn++;
		} else {
			ck_assert_uint_eq(row->arrival, 7 + rows++);
		}
	}
	ck_assert_uint_eq(rows, 2);
	ck_assert_uint_ge(torn, 1);
	dmarc__spool_reader_close(r);
	dmarc__spool_close(s);
}
END_TEST

/* Every allocation failing in turn: ENOMEM, *out NULL, nothing kept;
 * then the object works. */
START_TEST(test_nomem)
{
	dmarc_ctx *ctx;
	struct dmarc__spool *s = NULL;
	struct dmarc__spool_reader *r = NULL;
	dmarc_eval *ev;
	dmarc_status st;
	long k;

	fail_at = -1;
	live = 0;
	ck_assert_int_eq(dmarc_ctx_new_with_allocator(&ctx, failing_malloc,
	    failing_realloc, failing_free), DMARC_OK);
	for (k = 0;; k++) { /* the k-th allocation of the call fails */
		fail_at = n_allocs + k;
		if ((st = dmarc__spool_open(&s, ctx, PATH, 0, 0, NULL)) ==
		    DMARC_OK)
			break;
		ck_assert_int_eq(st, DMARC_ENOMEM);
		ck_assert_ptr_null(s);
	}
	fail_at = -1;
	append_numbered(s, 0, 1);
	ck_assert_int_eq(dmarc_eval_new(&ev, ctx), DMARC_OK);
	fail_at = n_allocs; /* the row append_eval keeps */
	ck_assert_int_eq(dmarc__spool_append_eval(s, ev), DMARC_ENOMEM);
	fail_at = -1;
	ck_assert_int_eq(dmarc__spool_append_eval(s, ev), DMARC_ESTATE);
	dmarc_eval_free(ev);
	for (k = 0;; k++) {
		fail_at = n_allocs + k;
		if ((st = dmarc__spool_reader_open(&r, ctx, PATH, NULL)) ==
		    DMARC_OK)
			break;
		ck_assert_int_eq(st, DMARC_ENOMEM);
		ck_assert_ptr_null(r);
	}
	fail_at = -1;
	expect(r, DMARC__SPOOL_ROW, 1, 1);
	expect(r, DMARC__SPOOL_DONE, 1, 0);
	dmarc__spool_reader_close(r);
	dmarc__spool_close(s);
	dmarc_ctx_free(ctx);
	ck_assert_int_eq(live, 0);
}
END_TEST

/* ---- writers appending at once, one killed ---- */

#define WRITERS 4u
#define ROWS_EACH 4000u      /* appends of the writers that finish */
#define KILL_AFTER 500u      /* the victim's completed appends, at least */

/* Each writer's progress, in memory shared across fork(): started is
 * set before an append, done once it returned DMARC_OK. */
struct progress {
	_Atomic uint64_t started, done;
};

static void writer(struct progress *p, unsigned int id, uint64_t rows)
{
	struct dmarc__spool *s;
	uint64_t i;

	if (dmarc__spool_open(&s, CTX, PATH, 0, 0, NULL) != DMARC_OK)
		_exit(2);
	for (i = 1; i <= rows; i++) {
		numbered_row(&ROW, id, i);
		atomic_store(&p->started, i);
		if (dmarc__spool_append(s, &ROW) != DMARC_OK)
			_exit(3);
		atomic_store(&p->done, i);
	}
	dmarc__spool_close(s);
	_exit(0);
}

/* The writers' progress in a file mapping all of them share. */
static struct progress *shared_progress(void)
{
	char path[400];
	void *p;
	int fd;

	snprintf(path, sizeof path, "%s/other", DIR_);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, WRITERS * sizeof(struct progress)), 0);
	p = mmap(NULL, WRITERS * sizeof(struct progress),
	    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	ck_assert_ptr_ne(p, MAP_FAILED);
	return p;
}

/* Rows per writer read back, each sequence number at most once. */
struct tally {
	uint64_t rows[WRITERS];
	unsigned int torn, bad;
};

static void read_back(struct tally *t, unsigned char *seen[WRITERS],
    const uint64_t limit[WRITERS])
{
	struct dmarc__spool_reader *r = open_reader(PATH);
	const struct report_row *row;
	enum dmarc__spool_event e;
	unsigned int w;

	memset(t, 0, sizeof *t);
	while ((e = dmarc__spool_next(r, &row)) != DMARC__SPOOL_DONE) {
		ck_assert_int_ne(e, DMARC__SPOOL_FAILED);
		if (e == DMARC__SPOOL_TORN) {
			t->torn++;
			continue;
		}
		if (e == DMARC__SPOOL_BAD) {
			t->bad++;
			continue;
		}
		ck_assert_int_eq(sscanf(row->header_from, "w%u.", &w), 1);
		ck_assert_uint_lt(w, WRITERS);
		ck_assert_uint_ge(row->arrival, 1);
		ck_assert_uint_le(row->arrival, limit[w]);
		ck_assert_msg(!seen[w][row->arrival], "row %u/%llu doubled", w,
		    (unsigned long long)row->arrival);
		seen[w][row->arrival] = 1;
		t->rows[w]++;
	}
	dmarc__spool_reader_close(r);
}

START_TEST(test_crash)
{
	const uint64_t victim_rows = 100000000u; /* killed long before */
	const unsigned int victim = 2;
	const struct timespec ms = { 0, 1000000 };
	struct progress *p;
	struct tally t;
	unsigned char *seen[WRITERS];
	uint64_t limit[WRITERS];
	pid_t pid[WRITERS];
	unsigned int w;
	int status;

	p = shared_progress();
	for (w = 0; w < WRITERS; w++) {
		atomic_init(&p[w].started, 0);
		atomic_init(&p[w].done, 0);
	}
	for (w = 0; w < WRITERS; w++) {
		pid[w] = fork();
		ck_assert_int_ge(pid[w], 0);
		if (pid[w] == 0)
			writer(&p[w], w, w == victim ? victim_rows : ROWS_EACH);
	}
	while (atomic_load(&p[victim].done) < KILL_AFTER)
		nanosleep(&ms, NULL);
	ck_assert_int_eq(kill(pid[victim], SIGKILL), 0);
	for (w = 0; w < WRITERS; w++) {
		ck_assert_int_eq(waitpid(pid[w], &status, 0), pid[w]);
		if (w == victim)
			ck_assert(WIFSIGNALED(status) &&
			    WTERMSIG(status) == SIGKILL);
		else
			ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	for (w = 0; w < WRITERS; w++) {
		limit[w] = atomic_load(&p[w].started);
		ck_assert_ptr_nonnull(seen[w] = calloc((size_t)limit[w] + 1, 1));
	}
	read_back(&t, seen, limit);
	ck_assert_uint_eq(t.bad, 0);
	ck_assert_uint_le(t.torn, 1);
	for (w = 0; w < WRITERS; w++) {
		uint64_t done = atomic_load(&p[w].done);
		uint64_t started = atomic_load(&p[w].started);
		if (w != victim) {
			ck_assert_uint_eq(done, ROWS_EACH);
			ck_assert_uint_eq(t.rows[w], done);
			continue;
		}
		/* The append in flight when the kill came (started, not
		 * known done) is in the file whole, torn, or not at all;
		 * every append known done is there once. */
		ck_assert_uint_le(started - done, 1);
		if (t.rows[w] == done + 1)
			ck_assert(started == done + 1 && seen[w][started] &&
			    t.torn == 0);
		else
			ck_assert_uint_eq(t.rows[w], done);
		fprintf(stderr, "crash test: victim killed after %llu rows "
		    "(%llu in the file, %u torn)\n", (unsigned long long)done,
		    (unsigned long long)t.rows[w], t.torn);
	}
	for (w = 0; w < WRITERS; w++)
		free(seen[w]);
	munmap(p, WRITERS * sizeof *p);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("spool-file");
	TCase *tc = tcase_create("file");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_append_read);
	tcase_add_test(tc, test_many_rows);
	tcase_add_test(tc, test_append_refused);
	tcase_add_test(tc, test_open_fails);
	tcase_add_test(tc, test_rotate);
	tcase_add_test(tc, test_torn_last);
	tcase_add_test(tc, test_torn_middle);
	tcase_add_test(tc, test_bad_lines);
	tcase_add_test(tc, test_torn_pile);
	tcase_add_test(tc, test_nomem);
	suite_add_tcase(s, tc);

	tc = tcase_create("processes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_crash);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
