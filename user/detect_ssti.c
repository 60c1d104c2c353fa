// SPDX-License-Identifier: GPL-2.0-only
/*
 * Server-side template injection detector: a template expression ({{ }}, ${ }, #{ }, *{ },
 * <%= %>, {% %}, FreeMarker and Smarty tags) whose content is code rather than a plain name:
 * arithmetic probes ({{7*7}}), calls, member chains, filters, dunder attributes, string
 * literals, block helpers, or the objects templates expose (config, self, request).
 * A bare placeholder in prose ("{{ name }} prints the name", "Hello ${name}") passes, and so
 * do shell expansions such as ${HOME} or ${var:-default}.
 */
#include <string.h>
#include "detect.h"

const char *const wsg_ssti_anchors[] = {
	"{{", "{%", "${", "#{", "*{", "@{", "<%", "%>", "<#", "[#", "{$", "__class", "__mro",
	"__subcl", "__glob", "__built", "__import", "__init", NULL,
};

/* Rule ids by index; class, level and description: rules/wsguard.rules.json. */
const char *const wsg_ssti_rules[] = {
	"ssti-001",
	"ssti-002",
	"ssti-003",
	"ssti-004",
	NULL
};

/* Objects templates expose; naming one alone is a probe. */
static const char *const wsg_ssti_objects[] = {
	"this", "self", "_self", "config", "request", "settings", "app", "_context", "session",
	"application", "env", "environment", "cycler", "joiner", "namespace", "lipsum",
	"url_for", "get_flashed_messages", "g", "runtime", "class", "product", "smarty", "dump",
	"object", "global", "globals", "process", "module", "exports", "require", NULL,
};

/* Statement keywords of Jinja/Django/Twig tags that are attacks at any position. */
static const char *const wsg_ssti_stmts[] = {
	"block", "endblock", "include", "extends", "import", "from", "set", "csrf_token",
	"load", "macro", "call", "filter", "with", "raw", "debug", "autoescape", "endfor",
	"get_admin_log", "now", "templatetag", "url", "ssi", "spaceless", "sandbox", "embed",
	"use", "apply", "verbatim", "do", "print", "python", "php", NULL,
};

static int wsg_ssti_hit(struct wsg_hit *h, int rule, size_t off)
{
	return wsg_rule_hit(h, wsg_ssti_rules[rule], off);
}

static int wsg_is_op(unsigned char c)
{
	return c == '*' || c == '+' || c == '-' || c == '/' || c == '%' || c == '~';
}

/*
 * Content of an expression, s[b..e), is code: anything but blanks and one plain name that is
 * not an exposed object. shell: a ${...} whose name may carry a shell operator after it.
 */
static int wsg_ssti_code(const char *s, size_t b, size_t e, int shell)
{
	size_t i = wsg_skip_space(s, e, b), n;

	while (e > i && wsg_is_space((unsigned char)s[e - 1]))
		e--;
	if (i >= e)
		return 0;
	if (shell && (s[i] == '#' || s[i] == '!') && i + 1 < e && wsg_is_word((unsigned char)s[i + 1]))
		i++;	/* ${#name}, ${!name} */
	n = i;
	while (n < e && wsg_is_word((unsigned char)s[n]))
		n++;
	if (n == e)
		return wsg_in_list(wsg_ssti_objects, s + i, n - i) >= 0;
	if (n > i && shell && !wsg_is_digit((unsigned char)s[i]) && strchr(":#%/^,[@!}", s[n]))
		return 0;
	if (n > i && shell && s[n] == '.' && n + 1 < e && wsg_is_space((unsigned char)s[n + 1]))
		return 0;
	/* "{{ first last }}" is a phrase in braces */
	for (size_t k = i; k < e; k++)
		if (!wsg_is_word((unsigned char)s[k]) && !wsg_is_space((unsigned char)s[k]))
			goto code;
	return 0;
code:
	for (size_t k = i; k < e; k++) {
		unsigned char c = (unsigned char)s[k];

		if (c == '(' || c == '[' || c == '|' || c == '\'' || c == '"' || c == '=' ||
		    c == '#' || c == '@' || c == '?' || c == '<' || c == '>')
			return 1;
		if (c == '.' && k > i && k + 1 < e && (wsg_is_word((unsigned char)s[k - 1]) ||
						       s[k - 1] == ')') &&
		    (wsg_is_alpha((unsigned char)s[k + 1]) || s[k + 1] == '_'))
			return 1;
		if (wsg_is_op(c) && k > i && k + 1 < e)
			return 1;
		if (c == '_' && k + 1 < e && s[k + 1] == '_')
			return 1;
	}
	/* {{/with}}, {{#each}}, {{= x}} start with a helper sigil */
	return s[i] == '/' || s[i] == '!' || s[i] == '&' || s[i] == '^' || s[i] == '>';
}

/* The end of the expression opened at s[b]: its closer, or the text end. */
static size_t wsg_ssti_close(const char *s, size_t len, size_t b, const char *closer,
			     size_t *next)
{
	size_t n = strlen(closer);
	int depth = 0;

	for (size_t i = b; i < len; i++) {
		if (n == 1 && s[i] == '{') {
			depth++;
		} else if (i + n <= len && !memcmp(s + i, closer, n)) {
			if (n == 1 && depth) {
				depth--;
				continue;
			}
			*next = i + n;
			return i;
		}
	}
	*next = len;
	return len;
}

/* ssti-002: {% keyword ... %} with a statement keyword, or any tag whose content is code. */
static int wsg_ssti_tag(const char *s, size_t b, size_t e)
{
	size_t k = wsg_skip_space(s, e, b), n = k;

	while (n < e && (wsg_is_word((unsigned char)s[n])))
		n++;
	if (n > k && wsg_in_list(wsg_ssti_stmts, s + k, n - k) >= 0)
		return 1;
	/* for/if tags with plain names are how people quote Jinja */
	for (size_t m = k; m < e; m++)
		if (s[m] == '(' || s[m] == '|' || (s[m] == '_' && m + 1 < e && s[m + 1] == '_') ||
		    s[m] == '[' || s[m] == '\'' || s[m] == '"')
			return 1;
	return 0;
}

static int wsg_ssti_expr(const char *s, size_t len, struct wsg_hit *h)
{
	for (size_t i = 0; i + 1 < len; i++) {
		unsigned char c = (unsigned char)s[i], d = (unsigned char)s[i + 1];
		size_t b = i + 2, e, next;

		if (c == '{' && d == '{') {
			e = wsg_ssti_close(s, len, b, "}}", &next);
			if (wsg_ssti_code(s, b, e, 0) || (b < e && (s[b] == '#' || s[b] == '/')))
				return wsg_ssti_hit(h, 0, i);
		} else if (c == '{' && d == '%') {
			e = wsg_ssti_close(s, len, b, "%}", &next);
			if (wsg_ssti_tag(s, b, e))
				return wsg_ssti_hit(h, 1, i);
		} else if ((c == '$' || c == '#' || c == '*' || c == '@') && d == '{') {
			e = wsg_ssti_close(s, len, b, "}", &next);
			/* *{ and @{ need their closer: "*{" alone is emphasis */
			if ((c == '*' || c == '@') && e == len)
				continue;
			if (wsg_ssti_code(s, b, e, c == '$') ||
			    ((c == '*' || c == '@') && e > wsg_skip_space(s, e, b)))
				return wsg_ssti_hit(h, 0, i);
		} else if (c == '<' && d == '%') {
			e = wsg_ssti_close(s, len, b, "%>", &next);
			if (e < len || (b < len && s[b] == '='))
				return wsg_ssti_hit(h, 2, i);
		} else if ((c == '<' || c == '[') && d == '#') {
			static const char *const fm[] = { "assign", "list", "if", "include",
				"import", "macro", "function", "ftl", "setting", "attempt", NULL };
			size_t n = b;

			while (n < len && wsg_is_alpha((unsigned char)s[n]))
				n++;
			if (wsg_in_list(fm, s + b, n - b) >= 0)
				return wsg_ssti_hit(h, 2, i);
		} else if (c == '{' && d == '$') {
			size_t n = b;

			while (n < len && wsg_is_word((unsigned char)s[n]))
				n++;
			if (n > b && n < len && (s[n] == '.' || s[n] == '}' || s[n] == '|') &&
			    memchr(s + n, '}', len - n))
				return wsg_ssti_hit(h, 2, i);
		}
	}
	return 0;
}

/* ssti-004: the attribute walk of Python sandbox escapes. */
static int wsg_ssti_dunder(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const d[] = { "__class__", "__mro__", "__subclasses__", "__globals__",
		"__builtins__", "__import__", "__init__.__globals", "__base__", NULL };

	for (int k = 0; d[k]; k++) {
		const char *p = memmem(s, len, d[k], strlen(d[k]));

		if (p)
			return wsg_ssti_hit(h, 3, (size_t)(p - s));
	}
	return 0;
}

int wsg_detect_ssti(const struct wsg_text *t, struct wsg_hit *h)
{
	return wsg_ssti_expr(t->s, t->len, h) || wsg_ssti_dunder(t->s, t->len, h);
}
