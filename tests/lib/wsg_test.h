/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal TAP producer for the C test binaries. A test is a function registered with
 * WSG_TEST(); checks record failures with file and line and let the test go on; the binary
 * prints "ok N - name" / "not ok N - name" per test, and tests/run.sh adds up every tier into
 * the closing "N passed, N failed" line. A skipped test prints "# SKIP" and is not a pass.
 */
#ifndef WSG_TEST_H
#define WSG_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wsg_test {
	const char *name;
	void (*fn)(void);
};

#define WSG_TEST_MAX 512
extern struct wsg_test wsg_tests[WSG_TEST_MAX];
extern int wsg_ntests, wsg_test_failed, wsg_test_skipped;
extern char wsg_test_skip_why[256];

#define WSG_TEST(fname)                                                            \
	static void fname(void);                                                   \
	__attribute__((constructor)) static void fname##_register(void)            \
	{                                                                          \
		if (wsg_ntests < WSG_TEST_MAX)                                     \
			wsg_tests[wsg_ntests++] = (struct wsg_test){ #fname, fname }; \
	}                                                                          \
	static void fname(void)

/* Record a failure and continue. */
#define CHECK(cond, ...)                                                           \
	do {                                                                       \
		if (!(cond)) {                                                     \
			wsg_test_failed++;                                         \
			printf("#   %s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);                                       \
			printf("\n");                                              \
		}                                                                  \
	} while (0)

/* Record a failure and leave the test function. */
#define REQUIRE(cond, ...)                                                         \
	do {                                                                       \
		int wsg_ok_ = !!(cond);                                            \
		CHECK(wsg_ok_, __VA_ARGS__);                                       \
		if (!wsg_ok_)                                                      \
			return;                                                    \
	} while (0)

#define SKIP(...)                                                                  \
	do {                                                                       \
		wsg_test_skipped = 1;                                              \
		snprintf(wsg_test_skip_why, sizeof(wsg_test_skip_why), __VA_ARGS__); \
		return;                                                            \
	} while (0)

/* Define once per test binary (in the file with main, or via WSG_TEST_MAIN). */
#define WSG_TEST_MAIN                                                              \
	struct wsg_test wsg_tests[WSG_TEST_MAX];                                   \
	int wsg_ntests, wsg_test_failed, wsg_test_skipped;                         \
	char wsg_test_skip_why[256];                                               \
	int main(int argc, char **argv)                                            \
	{                                                                          \
		int i, bad = 0;                                                    \
		const char *only = argc > 1 ? argv[1] : NULL;                      \
		printf("1..%d\n", wsg_ntests);                                     \
		for (i = 0; i < wsg_ntests; i++) {                                 \
			if (only && !strstr(wsg_tests[i].name, only)) {            \
				printf("ok %d - %s # SKIP not selected\n", i + 1,  \
				       wsg_tests[i].name);                         \
				continue;                                          \
			}                                                          \
			wsg_test_failed = wsg_test_skipped = 0;                    \
			fflush(stdout);                                            \
			wsg_tests[i].fn();                                         \
			if (wsg_test_skipped && !wsg_test_failed)                  \
				printf("ok %d - %s # SKIP %s\n", i + 1,            \
				       wsg_tests[i].name, wsg_test_skip_why);      \
			else if (wsg_test_failed)                                  \
				printf("not ok %d - %s\n", i + 1, wsg_tests[i].name); \
			else                                                       \
				printf("ok %d - %s\n", i + 1, wsg_tests[i].name);  \
			bad += !!wsg_test_failed;                                  \
			fflush(stdout);                                            \
		}                                                                  \
		return bad ? 1 : 0;                                                \
	}

#endif /* WSG_TEST_H */
