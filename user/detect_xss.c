// SPDX-License-Identifier: GPL-2.0-only
/*
 * XSS detector: markup that runs script (dangerous tags, event-handler attributes inside a
 * tag, script URLs, CSS expressions) and script sinks called from an injection context.
 * Prose with '<' (maths, "<3", "<b>" and other harmless tags) passes.
 */
#include <string.h>
#include "detect.h"

/*
 * Markup ("<x", "</", "<!"), script URLs, calls ("alert("), template literals, a value that
 * is a lone '<' ("\"<\"", the probe that checks whether markup is reflected), and "alert"
 * for calls that hide their parentheses ("top['alert'](1)", "(alert)(1)").
 */
const char *const wsg_xss_anchors[] = {
	WSG_LETTERS("<", ""), "</", "<!", "\"javascript", "vbscript", WSG_LETTERS("", "("), "`",
	"\"<\"", "alert", NULL,
};

/* Rule ids by index; class, level and description: rules/wsguard.rules.json. */
const char *const wsg_xss_rules[] = {
	"xss-001",
	"xss-002",
	"xss-003",
	"xss-004",
	"xss-005",
	"xss-006",
	"xss-007",
	"xss-008",
	"xss-009",
	NULL
};

static const char *const wsg_xss_tags[] = {
	"script", "iframe", "frame", "frameset", "object", "embed", "applet", "meta", "base",
	"svg", "math", "xml", "import", "isindex", "bgsound", "layer", "ilayer", "vmlframe",
	"portal", "xss", "xmp", "noscript", "template", "animate", "set", "handler", "listener",
	"style", "link", "form", "body", "html", "head", "input", "button", "textarea", "image",
	"feimage", "marquee", "dialog", "title", "keygen", "isindex", NULL,
};

static const char *const wsg_xss_sinks[] = {
	"alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "execscript",
	"fromcharcode", "atob", "constructor", "write", "writeln", "fetch", "function",
	"import", "top", "self", "parent", "open", "unescape", "decodeuri",
	"decodeuricomponent", "showmodaldialog", "location", NULL,
};

int wsg_in_list(const char *const *list, const char *w, size_t n)
{
	for (int i = 0; list[i]; i++)
		if (strlen(list[i]) == n && !memcmp(list[i], w, n))
			return i;
	return -1;
}

static int wsg_xss_hit(struct wsg_hit *h, int rule, size_t off)
{
	return wsg_rule_hit(h, wsg_xss_rules[rule], off);
}

/* Bytes a browser ignores or treats as space inside a tag or a URL scheme. */
static int wsg_xss_blank(unsigned char c)
{
	return c <= 0x20;
}

/* An on* attribute at s[i] ("onerror =", "onload=")? */
static int wsg_xss_handler(const char *s, size_t len, size_t i)
{
	size_t j = i + 2;

	if (i + 2 >= len || s[i] != 'o' || s[i + 1] != 'n')
		return 0;
	while (j < len && wsg_is_alpha((unsigned char)s[j]))
		j++;
	if (j - i < 5)
		return 0;
	while (j < len && wsg_xss_blank((unsigned char)s[j]))
		j++;
	return j < len && s[j] == '=';
}

/* Scan the attributes of the tag whose name ends at i; returns the rule or -1. */
static int wsg_xss_attrs(const char *s, size_t len, size_t i, size_t *at)
{
	for (; i < len && s[i] != '>' && s[i] != '<'; i++) {
		unsigned char p = (unsigned char)s[i - 1];

		if ((wsg_xss_blank(p) || p == '/' || p == '"' || p == '\'' || p == '`') &&
		    wsg_xss_handler(s, len, i)) {
			*at = i;
			return 2;
		}
	}
	return -1;
}

/* A tag opening at s[i] == '<'. */
static int wsg_xss_tag(const char *s, size_t len, size_t i, struct wsg_hit *h)
{
	size_t j = i + 1, at;
	int r;

	if (j < len && s[j] == '/')
		j++;
	if (j >= len || !wsg_is_alpha((unsigned char)s[j]))
		return 0;
	while (j < len && (wsg_is_word((unsigned char)s[j]) || s[j] == '-' || s[j] == ':'))
		j++;
	/* A tag name ends at a blank, '/', '>' or the end of the text. */
	if (j < len && !wsg_xss_blank((unsigned char)s[j]) && s[j] != '/' && s[j] != '>')
		return 0;
	if (wsg_in_list(wsg_xss_tags, s + i + 1 + (s[i + 1] == '/'),
			j - i - 1 - (s[i + 1] == '/')) >= 0)
		return wsg_xss_hit(h, wsg_word_at(s, len, i + 1, "script") ||
				       wsg_word_at(s, len, i + 2, "script") ? 0 : 1, i);
	r = wsg_xss_attrs(s, len, j, &at);
	if (r >= 0)
		return wsg_xss_hit(h, r, at);
	return 0;
}

/*
 * A script URL scheme ending at the ':' at s[c]; letters may be split by blanks, as browsers
 * drop them from URLs.
 */
static int wsg_xss_scheme(const char *s, size_t c)
{
	static const char *const schemes[] = { "javascript", "vbscript", "livescript", NULL };
	char w[16];
	size_t n = 0, i = c;

	while (i > 0 && n < sizeof(w)) {
		unsigned char ch = (unsigned char)s[i - 1];

		if (wsg_is_alpha(ch))
			w[n++] = (char)ch;
		else if (!wsg_xss_blank(ch) || !n)
			break;
		i--;
	}
	for (int k = 0; schemes[k]; k++) {
		size_t m = strlen(schemes[k]);

		if (n < m)
			continue;
		for (size_t q = 0; q < m; q++)
			if (w[q] != schemes[k][m - 1 - q])
				goto next;
		if (n == m || !wsg_is_alpha((unsigned char)w[m]))
			return 1;
next:;
	}
	return 0;
}

static int wsg_xss_url(const char *s, size_t len, struct wsg_hit *h)
{
	for (const char *p = memchr(s, ':', len); p;
	     p = memchr(p + 1, ':', len - (size_t)(p + 1 - s))) {
		size_t c = (size_t)(p - s);

		if (c + 1 < len && s[c + 1] != ' ' && wsg_xss_scheme(s, c))
			return wsg_xss_hit(h, 3, c);
		if (c >= 4 && !memcmp(s + c - 4, "data", 4) && c + 10 <= len &&
		    (!memcmp(s + c + 1, "text/html", 9) || !memcmp(s + c + 1, "image/svg", 9)))
			return wsg_xss_hit(h, 3, c - 4);
		if (p + 1 >= s + len)
			break;
	}
	return 0;
}

/* What precedes a sink call at s[i]: 1 if it reads as code, not prose. */
static int wsg_xss_code_before(const char *s, size_t i)
{
	while (i > 0 && wsg_is_space((unsigned char)s[i - 1]))
		i--;
	if (i == 0)
		return 1;
	return strchr(";'\">(=:{}+-|&,`.[!?*", s[i - 1]) != NULL;
}

static int wsg_xss_sink(const char *s, size_t len, struct wsg_hit *h)
{
	for (size_t i = 0; i < len; i++) {
		size_t j = i, k;

		if (!wsg_is_alpha((unsigned char)s[i]) ||
		    (i && wsg_is_word((unsigned char)s[i - 1])))
			continue;
		while (j < len && wsg_is_word((unsigned char)s[j]))
			j++;
		k = wsg_skip_space(s, len, j);
		if (k < len && (s[k] == '(' || s[k] == '`') &&
		    wsg_in_list(wsg_xss_sinks, s + i, j - i) >= 0 &&
		    wsg_xss_code_before(s, i) && (i == 0 || s[i - 1] != '.' || j - i > 4))
			return wsg_xss_hit(h, 4, i);
		i = j;
	}
	return 0;
}

/* A quote, optional blanks or '/', then an on* handler: attribute injection. */
static int wsg_xss_attr_break(const char *s, size_t len, struct wsg_hit *h)
{
	for (size_t i = 0; i < len; i++) {
		size_t j;

		if (s[i] != '"' && s[i] != '\'' && s[i] != '`')
			continue;
		j = i + 1;
		while (j < len && (wsg_xss_blank((unsigned char)s[j]) || s[j] == '/'))
			j++;
		if (j > i + 1 && wsg_xss_handler(s, len, j))
			return wsg_xss_hit(h, 5, i);
	}
	return 0;
}

static int wsg_xss_css(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const pats[] = { "expression(", "-moz-binding", "behavior:", NULL };

	for (int k = 0; pats[k]; k++) {
		const char *p = memmem(s, len, pats[k], strlen(pats[k]));

		if (p && (p == s || strchr(":=(\"' ;{", p[-1])))
			return wsg_xss_hit(h, 6, (size_t)(p - s));
	}
	return 0;
}

/*
 * A sink name that is not called directly but wrapped: a string key ("top['alert'](1)",
 * self["alert"]), parentheses ("(alert)(1)") or a template hole ("${alert}"), followed by
 * the call or closing the hole.
 */
static int wsg_xss_wrapped(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const sinks[] = { "alert", "eval", "prompt", "confirm", NULL };

	for (int k = 0; sinks[k]; k++) {
		size_t n = strlen(sinks[k]);

		for (const char *p = memmem(s, len, sinks[k], n); p;
		     p = memmem(p + 1, len - (size_t)(p + 1 - s), sinks[k], n)) {
			size_t i = (size_t)(p - s), j = i + n;

			if (i && strchr("'\"`([{", s[i - 1]) && s[i - 1]) {
				if (s[i - 1] == '{' && i >= 2 && s[i - 2] == '$' && j < len &&
				    s[j] == '}')
					return wsg_xss_hit(h, 8, i);
				if (j < len && (s[j] == '\'' || s[j] == '"' || s[j] == '`'))
					j++;
				if (j < len && (s[j] == ']' || s[j] == ')'))
					j++;
				if (j < len && j > i + n && (s[j] == '(' || s[j] == '`'))
					return wsg_xss_hit(h, 8, i);
			}
			if (p + 1 >= s + len)
				break;
		}
	}
	return 0;
}

int wsg_detect_xss(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s, *p;
	size_t len = t->len;

	if (t->quoted && len == 1 && s[0] == '<')
		return wsg_xss_hit(h, 7, 0);

	for (p = memchr(s, '<', len); p; p = memchr(p + 1, '<', len - (size_t)(p + 1 - s))) {
		if (wsg_xss_tag(s, len, (size_t)(p - s), h))
			return 1;
		if (p + 1 >= s + len)
			break;
	}
	return wsg_xss_url(s, len, h) || wsg_xss_sink(s, len, h) ||
	       wsg_xss_attr_break(s, len, h) || wsg_xss_css(s, len, h) ||
	       wsg_xss_wrapped(s, len, h);
}
