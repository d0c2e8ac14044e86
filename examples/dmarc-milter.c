/*
 * dmarc-milter: a DMARC milter for Postfix and Sendmail (libmilter).
 * It reads dmarc-milter.conf(5), listens on a unix socket, drops its
 * privileges, evaluates every message with libdmarc and logs one line
 * per message; SIGHUP reloads the configuration, SIGTERM stops it.
 *
 *   dmarc-milter [--config FILE] [--foreground] [--check]
 *   dmarc-milter --help | --version
 *
 * libmilter takes SIGHUP, SIGTERM and SIGINT for itself (all three stop
 * it), waiting for them in a thread of its own.  So libmilter runs in a
 * second thread and the main thread waits for the signals: Linux hands
 * a signal sent to the process to its main thread first when that
 * thread is waiting for it.  Should libmilter get one all the same (a
 * second SIGHUP during a reload), it stops, and so does the daemon,
 * with a log line saying so.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE   /* initgroups */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "milter.h"

#ifndef DMARC_MILTER_CONFIG
#define DMARC_MILTER_CONFIG "/etc/dmarc-milter.conf"
#endif

/* Seconds sessions may take to finish after SIGTERM. */
#define DRAIN_SECONDS 10

struct options {
	const char *config;
	int foreground;
	int check;
};

static int usage(FILE *fp, int status)
{
	fputs("usage: dmarc-milter [--config FILE] [--foreground] [--check]\n"
	    "       dmarc-milter --help | --version\n", fp);
	return status;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int i;

	o->config = DMARC_MILTER_CONFIG;
	o->foreground = o->check = 0;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--foreground") == 0)
			o->foreground = 1;
		else if (strcmp(argv[i], "--check") == 0)
			o->check = 1;
		else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			o->config = argv[++i];
		else
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------- daemon */

static int daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return -1;
	if ((pid = fork()) < 0)   /* never a session leader: no terminal */
		return -1;
	if (pid > 0)
		_exit(0);
	if (chdir("/") != 0)
		return -1;
	if ((fd = open("/dev/null", O_RDWR)) < 0)
		return -1;
	dup2(fd, 0);
	dup2(fd, 1);      /* standard error stays: log = stderr uses it */
	if (fd > 2)
		close(fd);
	return 0;
}

static int write_pidfile(const char *path)
{
	FILE *fp;

	if (path == NULL)
		return 0;
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fprintf(fp, "%ld\n", (long)getpid());
	return fclose(fp);
}

/* The path of a "unix:PATH" or "local:PATH" (or bare path) socket. */
static const char *unix_path(const char *spec)
{
	if (strncmp(spec, "unix:", 5) == 0)
		return spec + 5;
	if (strncmp(spec, "local:", 6) == 0)
		return spec + 6;
	return strchr(spec, ':') == NULL ? spec : NULL;
}

/* Look the user up (the socket is given to it, then the process). */
static int find_user(const char *name, uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam(name);

	if (pw == NULL)
		return -1;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

static int open_socket(const struct milter_config *c, int as_root,
    uid_t uid, gid_t gid)
{
	const char *path = unix_path(c->socket);

	if (smfi_setconn(c->socket) != MI_SUCCESS ||
	    smfi_opensocket(1) != MI_SUCCESS) {
		fprintf(stderr, "dmarc-milter: cannot listen on %s\n", c->socket);
		return -1;
	}
	if (path == NULL)
		return 0;
	if (chmod(path, (mode_t)c->socket_mode) != 0 ||
	    (as_root && chown(path, uid, gid) != 0)) {
		fprintf(stderr, "dmarc-milter: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int drop_privileges(const char *user, uid_t uid, gid_t gid)
{
	if (initgroups(user, gid) != 0 || setgid(gid) != 0 ||
	    setuid(uid) != 0) {
		fprintf(stderr, "dmarc-milter: cannot become %s: %s\n", user,
		    strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {   /* must be gone for good */
		fputs("dmarc-milter: root privileges remain\n", stderr);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ signals */

static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static int milter_done;
static int milter_status;

static void *run_milter(void *arg)
{
	int r = smfi_main();

	(void)arg;
	pthread_mutex_lock(&done_lock);
	milter_done = 1;
	milter_status = r;
	pthread_mutex_unlock(&done_lock);
	return NULL;
}

static int is_done(void)
{
	int d;

	pthread_mutex_lock(&done_lock);
	d = milter_done;
	pthread_mutex_unlock(&done_lock);
	return d;
}

/* What a reload cannot change (the socket is open, privileges gone). */
static void warn_fixed(const struct milter_config *old,
    const struct milter_config *c)
{
	if (strcmp(old->socket, c->socket) != 0 ||
	    (old->user == NULL) != (c->user == NULL) ||
	    (old->user != NULL && strcmp(old->user, c->user) != 0) ||
	    old->log_syslog != c->log_syslog)
		milter_log(LOG_WARNING, "reload: socket, user and log take "
		    "effect at the next start");
}

static void reload(const char *path)
{
	struct milter_config cfg;
	struct milter_state *s, *old;
	char err[512];

	if (milter_config_load(&cfg, path, err, sizeof err) != 0) {
		milter_log(LOG_ERR, "reload: %s; keeping the configuration "
		    "in use", err);
		return;
	}
	if ((old = milter_state_get()) != NULL) {
		warn_fixed(&old->cfg, &cfg);
		milter_state_put(old);
	}
	if (milter_state_new(&s, &cfg, 1, err, sizeof err) != 0) {
		milter_log(LOG_ERR, "reload: %s; keeping the configuration "
		    "in use", err);
		return;
	}
	milter_state_install(s);
	milter_log(LOG_INFO, "reloaded %s", path);
}

/* Wait for signals until told to stop or libmilter stops; 0 when
 * stopped by SIGTERM or SIGINT. */
static int serve(const char *path, const sigset_t *set)
{
	struct timespec tick = { 1, 0 };
	int sig, stopped = 0;
	time_t until;

	while (!is_done()) {
		sig = sigtimedwait(set, NULL, &tick);
		if (sig == SIGHUP) {
			reload(path);
		} else if (sig == SIGTERM || sig == SIGINT) {
			milter_log(LOG_INFO, "stopping (signal %d)", sig);
			stopped = 1;
			smfi_stop();
			break;
		}
	}
	while (!is_done())
		sleep(1);
	if (!stopped)
		milter_log(LOG_ERR, "libmilter stopped (status %d)",
		    milter_status);
	/* sessions in flight finish with their state */
	until = time(NULL) + DRAIN_SECONDS;
	while (milter_sessions_open() > 0 && time(NULL) < until)
		sleep(1);
	return stopped ? 0 : 1;
}

/* ------------------------------------------------------------- start */

/* Socket, privileges, state: what runs before the threads. */
static int start(const struct options *o, struct milter_config *cfg)
{
	struct milter_state *s;
	int as_root = geteuid() == 0;
	uid_t uid = 0;
	gid_t gid = 0;
	char err[512];

	if (as_root && cfg->user == NULL) {
		fputs("dmarc-milter: started as root without a user to become "
		    "(set user in the configuration)\n", stderr);
		return -1;
	}
	if (as_root && find_user(cfg->user, &uid, &gid) != 0) {
		fprintf(stderr, "dmarc-milter: no user %s\n", cfg->user);
		return -1;
	}
	if (smfi_register(*milter_callbacks()) != MI_SUCCESS) {
		fputs("dmarc-milter: smfi_register failed\n", stderr);
		return -1;
	}
	if (!o->foreground && daemonize() != 0) {
		fprintf(stderr, "dmarc-milter: daemon: %s\n", strerror(errno));
		return -1;
	}
	if (write_pidfile(cfg->pidfile) != 0) {
		fprintf(stderr, "dmarc-milter: %s: %s\n", cfg->pidfile,
		    strerror(errno));
		return -1;
	}
	if (open_socket(cfg, as_root, uid, gid) != 0 ||
	    (as_root && drop_privileges(cfg->user, uid, gid) != 0))
		return -1;
	milter_log_open(cfg->log_syslog);
	if (milter_state_new(&s, cfg, 1, err, sizeof err) != 0) {
		fprintf(stderr, "dmarc-milter: %s\n", err);
		milter_log(LOG_ERR, "%s", err);
		return -1;
	}
	milter_state_install(s);
	return 0;
}

static int check_only(struct milter_config *cfg)
{
	struct milter_state *s;
	char err[512];

	milter_config_print(cfg, stdout);
	if (milter_state_new(&s, cfg, 0, err, sizeof err) != 0) {
		fprintf(stderr, "dmarc-milter: %s\n", err);
		return 1;
	}
	milter_state_install(s);
	milter_state_install(NULL);
	return 0;
}

int main(int argc, char **argv)
{
	struct milter_config cfg;
	struct options o;
	pthread_t thread;
	sigset_t set;
	char err[512];
	int rc;

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		return usage(stdout, 0);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("dmarc-milter (libdmarc) %s\n", dmarc_version());
		return 0;
	}
	if (parse_args(argc, argv, &o) != 0)
		return usage(stderr, 2);
	if (milter_config_load(&cfg, o.config, err, sizeof err) != 0) {
		fprintf(stderr, "dmarc-milter: %s\n", err);
		return 1;
	}
	if (o.check)
		return check_only(&cfg);
	/* before any thread: every thread starts with these blocked */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (start(&o, &cfg) != 0) {
		milter_config_free(&cfg);
		return 1;
	}
	milter_log(LOG_INFO, "started (libdmarc %s)", dmarc_version());
	if (pthread_create(&thread, NULL, run_milter, NULL) != 0) {
		milter_log(LOG_ERR, "cannot start a thread");
		return 1;
	}
	rc = serve(o.config, &set);
	pthread_join(thread, NULL);
	milter_state_install(NULL);
	milter_log(LOG_INFO, "stopped");
	return rc;
}
