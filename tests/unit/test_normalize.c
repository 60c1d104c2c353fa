// SPDX-License-Identifier: GPL-2.0-only
/*
 * Normalisation: URL (single, double, %u, overlong), JavaScript and HTML entity decoding, NUL
 * removal of decoded NULs only, ASCII-only lowercase, and the anchor automaton.
 */
#include <string.h>
#include "wsg_test.h"
#include "normalize.h"

WSG_TEST_MAIN

static const struct {
	const char *in, *out;
} wsg_norm_cases[] = {
	{ "Hello World", "hello world" },
	{ "%3Cscript%3E", "<script>" },
	{ "%253Cscript%253E", "<script>" },		/* double URL encoding */
	{ "%25253c", "<" },				/* triple */
	{ "..%2f..%2fetc%2fpasswd", "../../etc/passwd" },
	{ "..%c0%af..%c0%afetc", "../../etc" },		/* overlong '/' */
	{ "%e0%80%ae%e0%80%ae/", "../" },		/* 3-byte overlong '.' */
	{ "%c1%9c", "\\" },
	{ "%uff0e%uff0e%u2215", "..\xe2\x88\x95" },	/* fullwidth dots map to ASCII */
	{ "\\u003cimg\\u003e", "<img>" },		/* double-encoded JSON */
	{ "\\x3cb\\x3e", "<b>" },
	{ "&lt;svg onload=alert(1)&gt;", "<svg onload=alert(1)>" },
	{ "&#60;&#x3C;&#X3c&#0000060;", "<<<<" },
	{ "javascript&colon;alert&lpar;1&rpar;", "javascript:alert(1)" },
	{ "&LT;b&GT;", "<b>" },
	{ "a%00b&#0;c\\u0000d", "abcd" },		/* decoded NULs removed */
	{ "50% off & more", "50% off & more" },	/* lone escapes stay */
	{ "100%zz", "100%zz" },
	{ "\xc3\x89T\xc3\x89", "\xc3\x89t\xc3\x89" },	/* ASCII-only case folding */
	{ "&amp;lt;", "<" },				/* entity of an entity: two rounds */
	{ "%26%2360%3B", "<" },
	{ "a+b", "a+b" },				/* '+' is not a space here */
};

WSG_TEST(normalize_table)
{
	char out[256];

	for (size_t i = 0; i < sizeof(wsg_norm_cases) / sizeof(wsg_norm_cases[0]); i++) {
		const char *in = wsg_norm_cases[i].in;
		size_t n = wsg_normalize(in, strlen(in), out);

		CHECK(n == strlen(wsg_norm_cases[i].out) && !memcmp(out, wsg_norm_cases[i].out, n),
		      "%s -> '%.*s', want '%s'", in, (int)n, out, wsg_norm_cases[i].out);
		CHECK(out[n] == 0, "%s: not NUL-terminated", in);
	}
}

WSG_TEST(normalize_literal_nul_kept)
{
	/* A literal NUL is not an escape: removing it would build text the prefilter never saw. */
	static const char in[] = { '<', 's', 0, 'c', 'r', 'i', 'p', 't' };
	char out[16];
	size_t n = wsg_normalize(in, sizeof(in), out);

	CHECK(n == sizeof(in) && out[2] == 0, "literal NUL dropped (len %zu)", n);
}

WSG_TEST(normalize_never_grows)
{
	static const char *const ins[] = { "&#x10FFFF;", "&#1114111", "%uFFFF", "\\uD83D\\uDE00",
					   "&#128;", "%f0%80%80%ae", "&#x800", "\\ud800" };
	char out[64];

	for (size_t i = 0; i < sizeof(ins) / sizeof(ins[0]); i++) {
		size_t n = wsg_normalize(ins[i], strlen(ins[i]), out);

		CHECK(n <= strlen(ins[i]), "%s grew to %zu", ins[i], n);
	}
}

WSG_TEST(normalize_no_escape_is_lowercase_only)
{
	const char *s = "Some Chat <3 with 'quotes' and (parens)";
	char out[128];
	size_t n = wsg_normalize(s, strlen(s), out);

	CHECK(!wsg_norm_has_escape(s, strlen(s)), "escape reported");
	CHECK(n == strlen(s) && !strcmp(out, "some chat <3 with 'quotes' and (parens)"), "%s", out);
}
