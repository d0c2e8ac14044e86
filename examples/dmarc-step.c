/*
 * dmarc-step: DMARC discovery for several domains at once on one thread,
 * driving each dmarc_discovery step by step with a non-blocking resolver
 * of its own (UDP queries built by res_nmkquery, one poll() loop).  This
 * is the shape an event-driven MTA uses: libdmarc never blocks; it asks a
 * question, the program answers when the network does.
 *
 *   dmarc-step [--server ADDR[:PORT]] [--timeout SECONDS] DOMAIN...
 *
 * Without --server the first nameserver of /etc/resolv.conf is used.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <poll.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <dmarc/dmarc.h>

#define MAX_JOBS 64

/* One discovery and its question in flight. */
struct job {
	const char *domain;
	dmarc_discovery *d;
	int in_flight;
	unsigned short id;     /* DNS message id of the question */
	dmarc_rrtype qtype;
	time_t deadline;
	int done;
};

struct loop {
	int fd;
	struct sockaddr_in server;
	int timeout;
	struct job jobs[MAX_JOBS];
	int n_jobs;
	unsigned short next_id;
};

/* Send the job's pending question; any failure answers it TEMPFAIL. */
static void send_question(struct loop *l, struct job *j, const char *qname,
    dmarc_rrtype qtype)
{
	unsigned char msg[512];
	int len = res_mkquery(ns_o_query, qname, ns_c_in, (int)qtype, NULL, 0,
	    NULL, msg, sizeof msg);

	j->id = l->next_id++;
	j->qtype = qtype;
	if (len >= 12) { /* our own id, to match the response to the job */
		msg[0] = (unsigned char)(j->id >> 8);
		msg[1] = (unsigned char)j->id;
	}
	if (len < 12 || sendto(l->fd, msg, (size_t)len, 0,
	    (const struct sockaddr *)&l->server, sizeof l->server) != len) {
		dmarc_dns_answer_set(dmarc_discovery_get_answer(j->d),
		    DMARC_DNS_TEMPFAIL, 0);
		return;
	}
	j->in_flight = 1;
	j->deadline = time(NULL) + l->timeout;
}

/* Step a job as far as it goes without the network. */
static void advance(struct loop *l, struct job *j)
{
	const char *qname;
	dmarc_rrtype qtype;

	while (!j->done && !j->in_flight) {
		if (dmarc_discovery_step(j->d, &qname, &qtype) == DMARC_STEP_DONE)
			j->done = 1;
		else
			send_question(l, j, qname, qtype);
	}
}

/* A response arrived: hand it to the job that asked. */
static void receive(struct loop *l)
{
	unsigned char msg[4096];
	ssize_t n = recv(l->fd, msg, sizeof msg, 0);
	unsigned short id;
	int i;

	if (n < 12)
		return;
	id = (unsigned short)(msg[0] << 8 | msg[1]);
	for (i = 0; i < l->n_jobs; i++) {
		struct job *j = &l->jobs[i];
		if (!j->in_flight || j->id != id)
			continue;
		/* A truncated answer would need TCP; this example takes it as a
		 * temporary failure, which dmarc_dns_answer_parse sets. */
		dmarc_dns_answer_parse(dmarc_discovery_get_answer(j->d), j->qtype,
		    msg, (size_t)n);
		j->in_flight = 0;
		advance(l, j);
		return;
	}
}

/* Questions past their deadline are answered TEMPFAIL. */
static void expire(struct loop *l)
{
	time_t now = time(NULL);
	int i;

	for (i = 0; i < l->n_jobs; i++) {
		struct job *j = &l->jobs[i];
		if (!j->in_flight || now < j->deadline)
			continue;
		dmarc_dns_answer_set(dmarc_discovery_get_answer(j->d),
		    DMARC_DNS_TEMPFAIL, 0);
		j->in_flight = 0;
		advance(l, j);
	}
}

static int busy(const struct loop *l)
{
	int i;

	for (i = 0; i < l->n_jobs; i++)
		if (!l->jobs[i].done)
			return 1;
	return 0;
}

static void run(struct loop *l)
{
	struct pollfd pfd;
	int i;

	for (i = 0; i < l->n_jobs; i++)
		advance(l, &l->jobs[i]);
	while (busy(l)) {
		pfd.fd = l->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 200) > 0)
			receive(l);
		expire(l);
	}
}

static void report(const struct job *j)
{
	const dmarc_discovery *d = j->d;
	const char *result =
	    dmarc_discovery_result_name(dmarc_discovery_get_result(d));
	dmarc_policy p = dmarc_discovery_get_policy(d);
	const char *policy = p != DMARC_POLICY_UNSPECIFIED ?
	    dmarc_policy_name(p) : NULL;
	const char *pd = dmarc_discovery_get_policy_domain(d);
	const char *od = dmarc_discovery_get_org_domain(d);

	printf("%-30s %-9s policy=%-10s policy_domain=%s org_domain=%s "
	    "queries=%u\n", j->domain, result != NULL ? result : "?",
	    policy != NULL ? policy : "-", pd != NULL ? pd : "-",
	    od != NULL ? od : "-", dmarc_discovery_get_query_count(d));
}

/* --server, or the first IPv4 nameserver of resolv.conf. */
static int set_server(struct loop *l, const char *arg)
{
	char host[64];
	const char *colon;
	size_t n;

	memset(&l->server, 0, sizeof l->server);
	l->server.sin_family = AF_INET;
	l->server.sin_port = htons(53);
	if (arg == NULL) {
		if (res_init() != 0 || _res.nscount < 1 ||
		    _res.nsaddr_list[0].sin_family != AF_INET)
			return -1;
		l->server = _res.nsaddr_list[0];
		return 0;
	}
	colon = strchr(arg, ':');
	n = colon != NULL ? (size_t)(colon - arg) : strlen(arg);
	if (n >= sizeof host)
		return -1;
	memcpy(host, arg, n);
	host[n] = '\0';
	if (colon != NULL)
		l->server.sin_port = htons((unsigned short)atoi(colon + 1));
	return inet_pton(AF_INET, host, &l->server.sin_addr) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	static struct loop l;
	const char *server = NULL;
	dmarc_ctx *ctx;
	int i, rc = 0;

	l.timeout = 5;
	l.next_id = (unsigned short)getpid();
	for (i = 1; i < argc && argv[i][0] == '-'; i += 2) {
		if (i + 1 >= argc)
			break;
		if (strcmp(argv[i], "--server") == 0)
			server = argv[i + 1];
		else if (strcmp(argv[i], "--timeout") == 0)
			l.timeout = atoi(argv[i + 1]);
		else
			break;
	}
	if (i >= argc || argc - i > MAX_JOBS || set_server(&l, server) != 0) {
		fputs("usage: dmarc-step [--server ADDR[:PORT]] [--timeout S] "
		    "DOMAIN...\n", stderr);
		return 2;
	}
	if ((l.fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    dmarc_ctx_new(&ctx) != DMARC_OK)
		return 2;
	for (; i < argc; i++) {
		struct job *j = &l.jobs[l.n_jobs];
		j->domain = argv[i];
		if (dmarc_discovery_new(&j->d, ctx) != DMARC_OK)
			return 2;
		if (dmarc_discovery_start(j->d, argv[i], strlen(argv[i])) != DMARC_OK)
			j->done = 1;
		l.n_jobs++;
	}
	run(&l);
	for (i = 0; i < l.n_jobs; i++) {
		report(&l.jobs[i]);
		rc |= dmarc_discovery_get_result(l.jobs[i].d) ==
		    DMARC_DISCOVERY_TEMPERROR;
		dmarc_discovery_free(l.jobs[i].d);
	}
	close(l.fd);
	dmarc_ctx_free(ctx);
	return rc;
}
