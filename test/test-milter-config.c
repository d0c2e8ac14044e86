/*
 * dmarc-milter's configuration file (examples/milter-config.c): every
 * key and its default, the errors (with the line they point at), the
 * limits, and the match of clients against the skip list.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-main.h"
#include "milter-config.h"

static struct milter_config cfg;
static char err[512];

static int parse(const char *text)
{
	return milter_config_parse(&cfg, text, strlen(text), "t.conf", err,
	    sizeof err);
}

/* text must fail with an error containing want. */
static void expect_error(const char *text, const char *want)
{
	err[0] = '\0';
	ck_assert_msg(parse(text) == -1, "accepted: %s", text);
	ck_assert_msg(strstr(err, want) != NULL, "error \"%s\" lacks \"%s\"",
	    err, want);
	/* a failed parse leaves nothing to free */
	ck_assert_ptr_null(cfg.authserv_id);
	ck_assert_ptr_null(cfg.socket);
}

START_TEST(defaults)
{
	ck_assert_int_eq(parse("authserv_id = mx.example.org\n"), 0);
	ck_assert_str_eq(cfg.authserv_id, "mx.example.org");
	ck_assert_str_eq(cfg.socket, "unix:/run/dmarc-milter/dmarc-milter.sock");
	ck_assert_uint_eq(cfg.socket_mode, 0660);
	ck_assert_ptr_null(cfg.user);
	ck_assert_int_eq(cfg.log_syslog, 1);
	ck_assert_uint_eq(cfg.n_trusted, 0);
	ck_assert_int_eq(cfg.on_reject, MILTER_REJECT);
	ck_assert_int_eq(cfg.on_quarantine, MILTER_HOLD);
	ck_assert_str_eq(cfg.quarantine_header, "X-DMARC-Quarantine");
	ck_assert_int_eq(cfg.on_temperror, MILTER_TEMPFAIL);
	ck_assert_int_eq(cfg.on_from_error, MILTER_REJECT);
	ck_assert_int_eq(cfg.multi_from, 0);
	ck_assert_int_eq(cfg.mode, DMARC_MODE_RFC9989);
	ck_assert_ptr_null(cfg.dns_server);
	ck_assert_uint_eq(cfg.dns_timeout, 5);
	ck_assert_uint_eq(cfg.dns_retries, 2);
	ck_assert_uint_eq(cfg.dns_cache, 10000);
	ck_assert_ptr_null(cfg.spool);
	ck_assert_uint_eq(cfg.n_nets + cfg.n_hosts, 0);
	milter_config_free(&cfg);
}
END_TEST

START_TEST(every_key)
{
	static const char text[] =
	    "# a comment\n"
	    "\n"
	    "  socket = unix:/tmp/m.sock  \n"
	    "socket_mode=0666\r\n"
	    "user = dmarc\n"
	    "pidfile = /run/dmarc-milter.pid\n"
	    "log = stderr\n"
	    "authserv_id = mx.example.org\n"
	    "trusted_authserv_ids = dkim.example.org, spf.example.org\n"
	    "trusted_authserv_ids = third.example.org\n"
	    "on_reject = quarantine\n"
	    "on_quarantine = header\n"
	    "quarantine_header = X-Spam-Flag\n"
	    "on_temperror = accept\n"
	    "on_from_error = accept\n"
	    "multi_from = yes\n"
	    "mode = 7489\n"
	    "dns_server = 127.0.0.1:5353\n"
	    "dns_timeout = 2\n"
	    "dns_retries = 1\n"
	    "dns_cache = 0\n"
	    "spool = /var/spool/dmarc/rows\n"
	    "skip = 127.0.0.0/8 ::1 relay.example.org\n"
	    "skip = .internal.example";

	ck_assert_msg(parse(text) == 0, "%s", err);
	ck_assert_str_eq(cfg.socket, "unix:/tmp/m.sock");
	ck_assert_uint_eq(cfg.socket_mode, 0666);
	ck_assert_str_eq(cfg.user, "dmarc");
	ck_assert_str_eq(cfg.pidfile, "/run/dmarc-milter.pid");
	ck_assert_int_eq(cfg.log_syslog, 0);
	ck_assert_uint_eq(cfg.n_trusted, 3);
	ck_assert_str_eq(cfg.trusted[0], "dkim.example.org");
	ck_assert_str_eq(cfg.trusted[1], "spf.example.org");
	ck_assert_str_eq(cfg.trusted[2], "third.example.org");
	ck_assert_int_eq(cfg.on_reject, MILTER_QUARANTINE);
	ck_assert_int_eq(cfg.on_quarantine, MILTER_HEADER);
	ck_assert_str_eq(cfg.quarantine_header, "X-Spam-Flag");
	ck_assert_int_eq(cfg.on_temperror, MILTER_ACCEPT);
	ck_assert_int_eq(cfg.on_from_error, MILTER_ACCEPT);
	ck_assert_int_eq(cfg.multi_from, 1);
	ck_assert_int_eq(cfg.mode, DMARC_MODE_RFC7489);
	ck_assert_str_eq(cfg.dns_server, "127.0.0.1:5353");
	ck_assert_uint_eq(cfg.dns_timeout, 2);
	ck_assert_uint_eq(cfg.dns_retries, 1);
	ck_assert_uint_eq(cfg.dns_cache, 0);
	ck_assert_str_eq(cfg.spool, "/var/spool/dmarc/rows");
	ck_assert_uint_eq(cfg.n_nets, 2);
	ck_assert_uint_eq(cfg.nets[0].prefix, 8);
	ck_assert_uint_eq(cfg.nets[1].prefix, 128);
	ck_assert_uint_eq(cfg.n_hosts, 2);
	ck_assert_str_eq(cfg.hosts[1], ".internal.example");
	milter_config_free(&cfg);
}
END_TEST

START_TEST(system_resolver_word)
{
	ck_assert_int_eq(parse("authserv_id = a\ndns_server = System\n"), 0);
	ck_assert_ptr_null(cfg.dns_server);
	milter_config_free(&cfg);
}
END_TEST

START_TEST(errors_point_at_the_line)
{
	expect_error("authserv_id = a\nbogus = 1\n", "t.conf:2: unknown key");
	expect_error("authserv_id = a\nauthserv_id = b\n",
	    "t.conf:2: authserv_id given twice");
	expect_error("authserv_id = a\n\n\non_reject = drop\n",
	    "t.conf:4: on_reject: \"drop\" is not one of");
	expect_error("authserv_id = a\non_quarantine = reject\n",
	    "t.conf:2: on_quarantine");
	expect_error("authserv_id = a\non_temperror = reject\n",
	    "t.conf:2: on_temperror");
	expect_error("authserv_id = a\nmulti_from = maybe\n", "t.conf:2");
	expect_error("authserv_id = a\nmode = 4408\n", "t.conf:2: mode");
	expect_error("authserv_id = a\ndns_timeout = 0\n",
	    "t.conf:2: dns_timeout: 0 is outside 1..60");
	expect_error("authserv_id = a\ndns_retries = 11\n",
	    "dns_retries: 11 is outside 1..10");
	expect_error("authserv_id = a\ndns_cache = -1\n", "is not a number");
	expect_error("authserv_id = a\ndns_cache = 12x\n", "is not a number");
	expect_error("authserv_id = a\ndns_cache = 99999999999999999999999\n",
	    "is not a number");
	expect_error("authserv_id = a\nsocket_mode = 0999\n", "socket_mode");
	expect_error("authserv_id = a\nsocket_mode = 01000\n",
	    "is outside 0..511");
	expect_error("authserv_id = a;b\n",
	    "t.conf:1: authserv_id: \"a;b\": byte 2 is not allowed");
	expect_error("authserv_id = a b\n", "byte 2 is not allowed");
	expect_error("authserv_id = a\ntrusted_authserv_ids = x, y\xc3\xa9\n",
	    "t.conf:2: trusted_authserv_ids");
	expect_error("authserv_id = a\nquarantine_header = X:Y\n",
	    "is not a header field name");
	expect_error("authserv_id = a\nskip = 10.0.0.0/33\n",
	    "t.conf:2: skip: 33 is outside 0..32");
	expect_error("authserv_id = a\nskip = ::/129\n", "outside 0..128");
	expect_error("authserv_id = a\nskip = host/8\n",
	    "not an address with a prefix length");
	expect_error("authserv_id = a\nskip = bad!host\n",
	    "is neither an address");
	expect_error("authserv_id = a\nspool\n", "t.conf:2: no '='");
	expect_error("authserv_id = a\n = x\n", "t.conf:2: no key before");
	expect_error("authserv_id = a\nspool =   \n", "t.conf:2: spool: no value");
	expect_error("authserv_id = a\nSpool = x\n", "byte other than a-z");
	expect_error("authserv_id = a\nspool = a\001b\n", "control byte");
}
END_TEST

START_TEST(whole_file_rules)
{
	expect_error("# nothing\n", "t.conf: authserv_id is required");
	expect_error("authserv_id = MX.example.org\n"
	    "trusted_authserv_ids = up.example.org mx.example.org\n",
	    "trusted_authserv_ids names authserv_id");
}
END_TEST

START_TEST(limits)
{
	char *text = malloc(MILTER_CONFIG_MAX_BYTES + 64);
	size_t n, i;

	ck_assert_ptr_nonnull(text);
	/* a line one byte over the limit */
	n = (size_t)sprintf(text, "authserv_id = a\nspool = ");
	memset(text + n, 'x', MILTER_CONFIG_MAX_LINE - 8 + 1);
	n += MILTER_CONFIG_MAX_LINE - 8 + 1;
	text[n] = '\0';
	expect_error(text, "t.conf:2: line longer than");
	/* exactly at the limit is fine */
	text[n - 1] = '\0';
	ck_assert_msg(parse(text) == 0, "%s", err);
	milter_config_free(&cfg);
	/* a NUL inside the text */
	ck_assert_int_eq(milter_config_parse(&cfg, "authserv_id = a\0b\n", 18,
	    "t.conf", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "t.conf:1: NUL byte"));
	/* more list entries than allowed */
	n = (size_t)sprintf(text, "authserv_id = a\n");
	for (i = 0; i <= MILTER_CONFIG_MAX_LIST; i++)
		n += (size_t)sprintf(text + n, "skip = h%zu\n", i);
	expect_error(text, "more than 1024 list entries");
	/* a file over the size limit */
	memset(text, '#', MILTER_CONFIG_MAX_BYTES + 1);
	ck_assert_int_eq(milter_config_parse(&cfg, text,
	    MILTER_CONFIG_MAX_BYTES + 1, "t.conf", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "larger than"));
	free(text);
}
END_TEST

START_TEST(skips)
{
	ck_assert_int_eq(parse("authserv_id = a\n"
	    "skip = 192.0.2.0/24, 198.51.100.7, 2001:db8::/32, 10.1.0.0/17\n"
	    "skip = relay.example.org .internal.example\n"), 0);
	ck_assert_int_eq(milter_config_skips(&cfg, NULL, "192.0.2.200"), 1);
	ck_assert_int_eq(milter_config_skips(&cfg, NULL, "192.0.3.1"), 0);
	ck_assert_int_eq(milter_config_skips(&cfg, NULL, "198.51.100.7"), 1);
	ck_assert_int_eq(milter_config_skips(&cfg, NULL, "198.51.100.8"), 0);
	/* /17: the top bit of the third byte counts */
	ck_assert_int_eq(milter_config_skips(&cfg, NULL, "10.1.127.1"), 1);
	ck_assert_int_eq(milter_config_skips(&cfg, NULL, "10.1.128.1"), 0);
	ck_assert_int_eq(milter_config_skips(&cfg, NULL, "2001:db8:5::1"), 1);
	ck_assert_int_eq(milter_config_skips(&cfg, NULL, "2001:db9::1"), 0);
	/* an IPv4 client seen on an IPv6 socket */
	ck_assert_int_eq(milter_config_skips(&cfg, NULL, "::ffff:192.0.2.9"), 1);
	ck_assert_int_eq(milter_config_skips(&cfg, "Relay.Example.ORG.",
	    "203.0.113.1"), 1);
	ck_assert_int_eq(milter_config_skips(&cfg, "xrelay.example.org",
	    "203.0.113.1"), 0);
	ck_assert_int_eq(milter_config_skips(&cfg, "a.b.internal.example",
	    NULL), 1);
	/* ".internal.example" is what is under it, not itself */
	ck_assert_int_eq(milter_config_skips(&cfg, "internal.example", NULL), 0);
	ck_assert_int_eq(milter_config_skips(&cfg, "[203.0.113.1]", NULL), 0);
	ck_assert_int_eq(milter_config_skips(&cfg, NULL, "not-an-address"), 0);
	ck_assert_int_eq(milter_config_skips(&cfg, NULL, NULL), 0);
	milter_config_free(&cfg);
	/* /0 takes every address of its family */
	ck_assert_int_eq(parse("authserv_id = a\nskip = 0.0.0.0/0\n"), 0);
	ck_assert_int_eq(milter_config_skips(&cfg, NULL, "203.0.113.1"), 1);
	ck_assert_int_eq(milter_config_skips(&cfg, NULL, "2001:db8::1"), 0);
	milter_config_free(&cfg);
}
END_TEST

START_TEST(print_names_every_key)
{
	char buf[4096];
	FILE *fp = fmemopen(buf, sizeof buf, "w");

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(parse("authserv_id = mx.example.org\n"
	    "skip = 10.0.0.0/8 relay.example.org\non_temperror = accept\n"), 0);
	milter_config_print(&cfg, fp);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf, "authserv_id = mx.example.org\n"));
	ck_assert_ptr_nonnull(strstr(buf, "on_temperror = accept\n"));
	ck_assert_ptr_nonnull(strstr(buf, "on_reject = reject\n"));
	ck_assert_ptr_nonnull(strstr(buf, "dns_server = system\n"));
	ck_assert_ptr_nonnull(strstr(buf,
	    "skip = 10.0.0.0/8, relay.example.org\n"));
	milter_config_free(&cfg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("milter-config");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, defaults);
	tcase_add_test(tc, every_key);
	tcase_add_test(tc, system_resolver_word);
	tcase_add_test(tc, errors_point_at_the_line);
	tcase_add_test(tc, whole_file_rules);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, skips);
	tcase_add_test(tc, print_names_every_key);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
