/*
 * dmarc-milter: the state one configuration makes (milter.h), the
 * current state and its references, and the log.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "milter.h"

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static struct milter_state *current;
static unsigned long sessions;
static int log_syslog;

static void state_free(struct milter_state *s)
{
	if (s == NULL)
		return;
	dmarc_spool_close(s->spool);
	pthread_mutex_destroy(&s->spool_lock);
	dmarc_resolver_free(s->resolver);
	dmarc_ctx_free(s->ctx);
	milter_config_free(&s->cfg);
	free(s);
}

/* The context's settings from the configuration: everything before any
 * evaluation exists (the setters say DMARC_EBUSY after). */
static int configure_ctx(struct milter_state *s, char *err, size_t errsize)
{
	const struct milter_config *c = &s->cfg;
	unsigned int options = 0;
	dmarc_status st;
	size_t i;

	if ((st = dmarc_ctx_set_mode(s->ctx, c->mode)) != DMARC_OK ||
	    (c->mode == DMARC_MODE_RFC7489 &&
	    (st = dmarc_ctx_load_psl(s->ctx, NULL)) != DMARC_OK)) {
		snprintf(err, errsize, "mode %s: %s",
		    dmarc_mode_name(c->mode), dmarc_strerror(st));
		return -1;
	}
	for (i = 0; i < c->n_trusted; i++)
		if ((st = dmarc_ctx_add_authserv_id(s->ctx, c->trusted[i])) !=
		    DMARC_OK) {
			snprintf(err, errsize, "trusted_authserv_ids %s: %s",
			    c->trusted[i], dmarc_strerror(st));
			return -1;
		}
	if (c->multi_from)
		options |= DMARC_EVAL_MULTI_FROM;
	/* on_reject = reject: the receiver takes p=reject as it is (RFC
	 * 9989 leaves reject to receivers with evidence beyond DMARC) */
	if (c->on_reject == MILTER_REJECT)
		options |= DMARC_EVAL_REJECT_EVIDENCE;
	if ((st = dmarc_ctx_set_eval_options(s->ctx, options)) != DMARC_OK ||
	    (c->dns_cache > 0 &&
	    (st = dmarc_ctx_set_cache(s->ctx, c->dns_cache)) != DMARC_OK)) {
		snprintf(err, errsize, "options: %s", dmarc_strerror(st));
		return -1;
	}
	return 0;
}

static int make_resolver(struct milter_state *s, char *err, size_t errsize)
{
	const struct milter_config *c = &s->cfg;
	dmarc_status st = dmarc_resolver_new(&s->resolver, s->ctx);

	if (st == DMARC_OK && c->dns_server != NULL &&
	    (st = dmarc_resolver_set_server(s->resolver, c->dns_server)) !=
	    DMARC_OK) {
		snprintf(err, errsize, "dns_server %s: %s", c->dns_server,
		    dmarc_strerror(st));
		return -1;
	}
	if (st == DMARC_OK)
		st = dmarc_resolver_set_timeout(s->resolver, c->dns_timeout);
	if (st == DMARC_OK)
		st = dmarc_resolver_set_retries(s->resolver, c->dns_retries);
	if (st != DMARC_OK) {
		snprintf(err, errsize, "resolver: %s", dmarc_strerror(st));
		return -1;
	}
	dmarc_ctx_set_lookup(s->ctx, dmarc_resolver_lookup, s->resolver);
	return 0;
}

int milter_state_new(struct milter_state **out, struct milter_config *cfg,
    int open_spool, char *err, size_t errsize)
{
	struct milter_state *s = calloc(1, sizeof *s);
	int e = 0;

	*out = NULL;
	if (s == NULL) {
		milter_config_free(cfg);
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	s->cfg = *cfg;
	memset(cfg, 0, sizeof *cfg);
	pthread_mutex_init(&s->spool_lock, NULL);
	if (dmarc_ctx_new(&s->ctx) != DMARC_OK) {
		snprintf(err, errsize, "out of memory");
		goto bad;
	}
	if (configure_ctx(s, err, errsize) != 0 ||
	    make_resolver(s, err, errsize) != 0)
		goto bad;
	if (open_spool && s->cfg.spool != NULL &&
	    dmarc_spool_open(&s->spool, s->ctx, s->cfg.spool, 0,
	    DMARC_SPOOL_FOLLOW, &e) != DMARC_OK) {
		snprintf(err, errsize, "spool %s: %s", s->cfg.spool,
		    e != 0 ? strerror(e) : "cannot open");
		goto bad;
	}
	s->refs = 1;
	*out = s;
	return 0;
bad:
	state_free(s);
	return -1;
}

void milter_state_install(struct milter_state *s)
{
	struct milter_state *old;

	pthread_mutex_lock(&state_lock);
	old = current;
	current = s;
	pthread_mutex_unlock(&state_lock);
	milter_state_put(old);
}

struct milter_state *milter_state_get(void)
{
	struct milter_state *s;

	pthread_mutex_lock(&state_lock);
	s = current;
	if (s != NULL)
		s->refs++;
	pthread_mutex_unlock(&state_lock);
	return s;
}

void milter_state_put(struct milter_state *s)
{
	unsigned long left;

	if (s == NULL)
		return;
	pthread_mutex_lock(&state_lock);
	left = --s->refs;
	pthread_mutex_unlock(&state_lock);
	if (left == 0)
		state_free(s);
}

unsigned long milter_sessions_open(void)
{
	unsigned long n;

	pthread_mutex_lock(&state_lock);
	n = sessions;
	pthread_mutex_unlock(&state_lock);
	return n;
}

void milter_session_count(int delta)
{
	pthread_mutex_lock(&state_lock);
	if (delta > 0)
		sessions++;
	else if (sessions > 0)
		sessions--;
	pthread_mutex_unlock(&state_lock);
}

/* ---------------------------------------------------------------- log */

void milter_log_open(int use_syslog)
{
	log_syslog = use_syslog;
	if (use_syslog)
		openlog("dmarc-milter", LOG_PID, LOG_MAIL);
}

void milter_log(int prio, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (log_syslog)
		syslog(prio, "%s", line);
	else
		fprintf(stderr, "dmarc-milter: %s\n", line);  /* one write */
}
