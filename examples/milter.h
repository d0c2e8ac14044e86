/*
 * dmarc-milter's parts: the shared state a configuration makes
 * (milter-state.c), the libmilter callbacks (milter-session.c) and the
 * daemon (dmarc-milter.c).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_MILTER_H
#define DMARC_EXAMPLES_MILTER_H

#include <pthread.h>
#include <stddef.h>

#include <dmarc/dmarc.h>

#include "milter-config.h"

/* What one configuration makes: a context (configured, then read-only
 * and shared by every session), its resolver and the spool.  Sessions
 * hold a reference, so a reload (SIGHUP) installs a new state while
 * sessions begun under the old one finish with it. */
struct milter_state {
	struct milter_config cfg;
	dmarc_ctx *ctx;
	dmarc_resolver *resolver;
	dmarc_spool *spool;           /* NULL without a spool */
	pthread_mutex_t spool_lock;   /* one dmarc_spool, many threads */
	unsigned long refs;           /* under the module's lock */
};

/* Make a state from cfg (taken over, also on failure).  open_spool 0:
 * only check the configuration (--check).  0, or -1 with a message. */
int milter_state_new(struct milter_state **out, struct milter_config *cfg,
    int open_spool, char *err, size_t errsize);
/* Install s as the current state (the previous one goes when its last
 * session ends). */
void milter_state_install(struct milter_state *s);
/* A reference to the current state; NULL before the first install. */
struct milter_state *milter_state_get(void);
void milter_state_put(struct milter_state *s);
/* Sessions open now. */
unsigned long milter_sessions_open(void);
void milter_session_count(int delta);

/* One log line (syslog at prio, or standard error). */
void milter_log(int prio, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Choose the log: 1 syslog (mail facility), 0 standard error. */
void milter_log_open(int use_syslog);

/* The libmilter registration of the callbacks (milter-session.c). */
struct smfiDesc;
const struct smfiDesc *milter_callbacks(void);

#endif /* DMARC_EXAMPLES_MILTER_H */
