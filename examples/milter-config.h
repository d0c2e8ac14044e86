/*
 * dmarc-milter's configuration file (dmarc-milter.conf(5)): "key =
 * value" lines, parsed without libmilter so make check can test it, and
 * the match of a client against the hosts and networks to skip.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_EXAMPLES_MILTER_CONFIG_H
#define DMARC_EXAMPLES_MILTER_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include <dmarc/dmarc.h>

/* Limits of the file: it is the postmaster's, but a typo must not make
 * the daemon allocate without bound. */
#define MILTER_CONFIG_MAX_BYTES ((size_t)1024 * 1024)
#define MILTER_CONFIG_MAX_LINE 4096
#define MILTER_CONFIG_MAX_LIST 1024

/* What the milter does with a message. */
enum milter_action {
	MILTER_ACCEPT = 1,     /* deliver */
	MILTER_REJECT = 2,     /* 550 5.7.1 */
	MILTER_TEMPFAIL = 3,   /* 451 4.7.5 */
	MILTER_QUARANTINE = 4, /* the quarantine action (hold or header) */
	MILTER_HOLD = 5,       /* the MTA's hold queue (smfi_quarantine) */
	MILTER_HEADER = 6      /* a header field, then deliver */
};

/* One network to skip: an address and how many leading bits count. */
struct milter_net {
	int family;                 /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned int prefix;
};

struct milter_config {
	char *socket;            /* libmilter connection spec */
	unsigned int socket_mode;
	char *user;              /* drop privileges to (when root) */
	char *pidfile;
	int log_syslog;          /* 1: syslog (mail facility), 0: stderr */
	char *authserv_id;       /* our own, in the field we add */
	char **trusted;          /* upstream authserv-ids */
	size_t n_trusted;
	enum milter_action on_reject;      /* fail with p=reject */
	enum milter_action on_quarantine;  /* MILTER_HOLD or _HEADER */
	char *quarantine_header;           /* its name, for _HEADER */
	enum milter_action on_temperror;   /* _TEMPFAIL or _ACCEPT */
	enum milter_action on_from_error;  /* no single Author Domain */
	int multi_from;          /* DMARC_EVAL_MULTI_FROM */
	dmarc_mode mode;
	char *dns_server;        /* NULL: the system resolver */
	unsigned int dns_timeout, dns_retries;
	size_t dns_cache;        /* entries; 0: off */
	char *spool;             /* NULL: no rows written */
	struct milter_net *nets; /* clients to skip */
	size_t n_nets;
	char **hosts;            /* client host names to skip */
	size_t n_hosts;
};

/* Parse the text of a configuration (len bytes; name is how errors call
 * it).  0 and *c filled (free it with milter_config_free), or -1 with
 * "NAME:LINE: what" in err and *c empty. */
int milter_config_parse(struct milter_config *c, const char *text,
    size_t len, const char *name, char *err, size_t errsize);
/* The same from a file. */
int milter_config_load(struct milter_config *c, const char *path,
    char *err, size_t errsize);
void milter_config_free(struct milter_config *c);

/* The configuration as "key = value" lines, every key with its effective
 * value (dmarc-milter --check). */
void milter_config_print(const struct milter_config *c, FILE *fp);

/* 1 when the client (its host name as the MTA gave it, may be NULL; its
 * address as text, may be NULL) is one to skip. */
int milter_config_skips(const struct milter_config *c, const char *host,
    const char *addr);

/* The keyword of an action ("reject", "hold" ...). */
const char *milter_action_name(enum milter_action a);

#endif /* DMARC_EXAMPLES_MILTER_CONFIG_H */
