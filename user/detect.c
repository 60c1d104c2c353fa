// SPDX-License-Identifier: GPL-2.0-only
/*
 * The anchor table and detector dispatch. Anchors are gate literals, not signatures: a
 * detector runs on a string only if one of its anchors occurs in it, so each anchor is chosen
 * to be rare in chat (its rarest bigram is what the kernel prefilter watches) while nearly
 * every attack of its classes contains one. Keep this table and the detectors in step: a
 * detector must never be able to fire on a string that holds none of its anchors.
 */
#include "detect.h"

#define X WSG_D_XSS
#define S WSG_D_SQLI
#define C WSG_D_CMDI
#define L WSG_D_LFI

#define LETTERS(pre, post, m)                                                         \
	{ pre "a" post, m }, { pre "b" post, m }, { pre "c" post, m }, { pre "d" post, m }, \
	{ pre "e" post, m }, { pre "f" post, m }, { pre "g" post, m }, { pre "h" post, m }, \
	{ pre "i" post, m }, { pre "j" post, m }, { pre "k" post, m }, { pre "l" post, m }, \
	{ pre "m" post, m }, { pre "n" post, m }, { pre "o" post, m }, { pre "p" post, m }, \
	{ pre "q" post, m }, { pre "r" post, m }, { pre "s" post, m }, { pre "t" post, m }, \
	{ pre "u" post, m }, { pre "v" post, m }, { pre "w" post, m }, { pre "x" post, m }, \
	{ pre "y" post, m }, { pre "z" post, m }

#define DIGITS(pre, post, m)                                                          \
	{ pre "0" post, m }, { pre "1" post, m }, { pre "2" post, m }, { pre "3" post, m }, \
	{ pre "4" post, m }, { pre "5" post, m }, { pre "6" post, m }, { pre "7" post, m }, \
	{ pre "8" post, m }, { pre "9" post, m }

static const struct wsg_anchor wsg_anchors[] = {
	/* Markup: a tag ("<x", "</x", "<!"), script URLs. */
	LETTERS("<", "", X | S),
	{ "</", X }, { "<!", X },
	{ "\"javascript", X }, { "vbscript", X },
	/* Calls: "alert(", "sleep(", "char(", "expression(". */
	LETTERS("", "(", X | S | C),
	{ "`", X | S | C },
	/* A quote that closes a literal and goes on as code. */
	{ "'=", S }, { "='", S }, { "'-", S }, { "')", S }, { "'(", S }, { "';", S | C },
	{ "'|", S | C }, { "'#", S }, { "'/", S }, { "'+", S }, { "\"=", S }, { "=\"", S },
	{ "\")", S }, { "\"-", S },
	/* SQL comments, variables, column lists, comparisons with numbers, statements. */
	{ "--", S }, { "/*", S }, { "@@", S }, DIGITS(",", "", S), DIGITS("", "=", S),
	DIGITS("", ";", S | C), { ");", S | C },
	/* Shell: separators at a value start or glued to a command, substitution. */
	{ "\";", S | C }, { "\"|", S | C }, { "\"&", S | C }, { "$(", C }, { "${", C },
	{ "||", S | C }, { "&&", S | C }, { ":;", C }, { "{,", C }, { "$ifs", C }, { "; ", C },
	LETTERS(";", "", S | C), LETTERS("|", "", C), { ";/", C }, { "|/", C },
	/*
	 * Paths. "hp" gates php:// as a bare bigram: any longer literal would let the prefilter
	 * pick ":/", which every URL in chat holds. '%' is an escape anyway.
	 */
	{ "../", L }, { "..\\", L }, { "passwd", L }, { "etc/shadow", L }, { ":\\", L },
	{ "hp", L }, { "%", L }, { "?/", L }, { "?\\", L }, { ".?", L },
	{ "?.", L }, { "0x2e", L }, { "0x2f", L }, { "0x5c", L }, { "/.", L }, { "\"/", L },
	{ "\".", L },
};

const struct wsg_anchor *wsg_detect_anchors(size_t *n)
{
	*n = sizeof(wsg_anchors) / sizeof(wsg_anchors[0]);
	return wsg_anchors;
}

int wsg_detect(unsigned mask, const struct wsg_text *t, struct wsg_hit *h)
{
	if ((mask & WSG_D_XSS) && wsg_detect_xss(t, h))
		return 1;
	if ((mask & WSG_D_SQLI) && wsg_detect_sqli(t, h))
		return 1;
	if ((mask & WSG_D_CMDI) && wsg_detect_cmdi(t, h))
		return 1;
	if ((mask & WSG_D_LFI) && wsg_detect_lfi(t, h))
		return 1;
	return 0;
}
