/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The detectors and their anchors. Each detector sees one normalised, lowercased string and
 * runs only when one of its anchors occurs in that string (or in '"' + string + '"' for a
 * string that was a JSON literal); with the signature anchors of the rules file (rules.h)
 * these anchors are the single source of what the kernel prefilter must let through.
 */
#ifndef WSG_DETECT_H
#define WSG_DETECT_H

#include <stddef.h>

struct wsg_rule;		/* rules.h: what the rules file says of a rule */

/* The text a detector examines: normalised, ASCII-lowercased, NUL-terminated. */
struct wsg_text {
	const char *s;
	size_t len;
	int quoted;		/* it was a JSON string literal (a '"' precedes it in the raw) */
};

struct wsg_hit {
	const struct wsg_rule *rule;
	size_t off;		/* where in the text the evidence starts */
};

/*
 * One detector: a confirm function, its anchors and the ids of the rules it implements
 * (NULL-terminated lists). Line anchors gate only a string that also holds a line break:
 * cr_anchors a carriage return, eol_anchors a carriage return or a line feed (NULL: none).
 * A detector must not be able to fire on a string that holds none of its anchors (ASCII
 * case-insensitively) nor a line anchor with its break, and reports findings only through
 * wsg_rule_hit.
 */
struct wsg_detector {
	const char *name;
	int (*fn)(const struct wsg_text *t, struct wsg_hit *h);
	const char *const *anchors;
	const char *const *rules;
	const char *const *cr_anchors;
	const char *const *eol_anchors;
};

/* The registry; a detector's index is its bit in gate masks. */
const struct wsg_detector *wsg_detectors(size_t *n);

/* Record a finding of rule id at off: 1, or 0 when the rule is off (paranoia, enabled). */
int wsg_rule_hit(struct wsg_hit *h, const char *id, size_t off);

/* Run the detectors in mask on t; 1 and *h filled on a finding. */
int wsg_detect(unsigned mask, const struct wsg_text *t, struct wsg_hit *h);

/* Each detector file exports its confirm function and anchor list. */
int wsg_detect_xss(const struct wsg_text *t, struct wsg_hit *h);
int wsg_detect_sqli(const struct wsg_text *t, struct wsg_hit *h);
int wsg_detect_cmdi(const struct wsg_text *t, struct wsg_hit *h);
int wsg_detect_lfi(const struct wsg_text *t, struct wsg_hit *h);
int wsg_detect_ssrf(const struct wsg_text *t, struct wsg_hit *h);
int wsg_detect_code(const struct wsg_text *t, struct wsg_hit *h);
int wsg_detect_ssti(const struct wsg_text *t, struct wsg_hit *h);
int wsg_detect_nosqli(const struct wsg_text *t, struct wsg_hit *h);
int wsg_detect_misc(const struct wsg_text *t, struct wsg_hit *h);
extern const char *const wsg_xss_anchors[];
extern const char *const wsg_sqli_anchors[];
extern const char *const wsg_cmdi_anchors[];
extern const char *const wsg_cmdi_cr_anchors[];
extern const char *const wsg_lfi_anchors[];
extern const char *const wsg_ssrf_anchors[];
extern const char *const wsg_code_anchors[];
extern const char *const wsg_ssti_anchors[];
extern const char *const wsg_nosqli_anchors[];
extern const char *const wsg_misc_anchors[];
extern const char *const wsg_misc_eol_anchors[];
extern const char *const wsg_xss_rules[];
extern const char *const wsg_sqli_rules[];
extern const char *const wsg_cmdi_rules[];
extern const char *const wsg_lfi_rules[];
extern const char *const wsg_ssrf_rules[];
extern const char *const wsg_code_rules[];
extern const char *const wsg_ssti_rules[];
extern const char *const wsg_nosqli_rules[];
extern const char *const wsg_misc_rules[];

/* Anchor-list helpers: a prefix or suffix with every letter or digit. */
#define WSG_LETTERS(pre, post)                                                            \
	pre "a" post, pre "b" post, pre "c" post, pre "d" post, pre "e" post, pre "f" post,  \
	pre "g" post, pre "h" post, pre "i" post, pre "j" post, pre "k" post, pre "l" post,  \
	pre "m" post, pre "n" post, pre "o" post, pre "p" post, pre "q" post, pre "r" post,  \
	pre "s" post, pre "t" post, pre "u" post, pre "v" post, pre "w" post, pre "x" post,  \
	pre "y" post, pre "z" post
#define WSG_DIGITS(pre, post)                                                             \
	pre "0" post, pre "1" post, pre "2" post, pre "3" post, pre "4" post, pre "5" post,  \
	pre "6" post, pre "7" post, pre "8" post, pre "9" post

/* Small scanning helpers shared by the detectors. */
static inline int wsg_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline int wsg_is_alpha(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static inline int wsg_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline int wsg_is_word(unsigned char c)
{
	return wsg_is_alpha(c) || wsg_is_digit(c) || c == '_';
}

static inline size_t wsg_skip_space(const char *s, size_t len, size_t i)
{
	while (i < len && wsg_is_space((unsigned char)s[i]))
		i++;
	return i;
}

/* 1 if s[i..] starts with word w that ends there (next byte is not a word byte). */
static inline int wsg_word_at(const char *s, size_t len, size_t i, const char *w)
{
	size_t n = __builtin_strlen(w);

	return i + n <= len && !__builtin_memcmp(s + i, w, n) &&
	       (i + n == len || !wsg_is_word((unsigned char)s[i + n]));
}

/* Index of word w in a NULL-terminated list, -1 if absent; w is s[i..i+n). */
int wsg_in_list(const char *const *list, const char *w, size_t n);

#endif /* WSG_DETECT_H */
