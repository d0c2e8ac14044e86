/*
 * The main() every Check suite here shares: run the suite, exit with
 * EXIT_FAILURE when any test failed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_TEST_CHECK_MAIN_H
#define DMARC_TEST_CHECK_MAIN_H

#include <stdlib.h>

#include <check.h>

static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif /* DMARC_TEST_CHECK_MAIN_H */
