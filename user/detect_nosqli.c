// SPDX-License-Identifier: GPL-2.0-only
/*
 * Detector: NoSQL injection (MongoDB query operators smuggled in as object keys or
 * "name[$op]=" parameters, JavaScript broken into a $where clause) and prototype pollution
 * (__proto__ and constructor.prototype paths).
 *
 * Object keys reach the detectors as strings of their own, quoted like any JSON literal, so
 * the key of {"user": {"$ne": null}} is the whole text "$ne"; the same object serialised
 * inside a string value shows "$ne": in the text. Shell, Perl and PHP snippets in chat have
 * $variables too ("$text", "$in", "$type"): an operator counts only where a query puts one,
 * as an object key (followed by ':'), a bracketed parameter ("[$ne]=") or a whole key.
 */
#include <string.h>
#include "detect.h"

/* Mongo operators short enough that "$op" alone would be a cheap, chat-common trigger. */
#define WSG_NOSQL_SHORT(pre) pre "$ne", pre "$eq", pre "$gt", pre "$lt", pre "$in", pre "$or"

/*
 * Short operators only with the byte a query puts before them (a quote, '[', '{', ' ' or
 * ','): "$in" alone is a shell variable. Longer ones ("$where", "$regex") are rare in chat
 * as they are. JavaScript in a $where clause shows "&&", "||" (both near free: '&' is an
 * escape byte the prefilter already watches) or a statement spelled with its ';'.
 */
const char *const wsg_nosqli_anchors[] = {
	WSG_NOSQL_SHORT("\""), WSG_NOSQL_SHORT("'"), WSG_NOSQL_SHORT("["),
	WSG_NOSQL_SHORT("{"), WSG_NOSQL_SHORT(" "), WSG_NOSQL_SHORT(","),
	"$gte", "$lte", "$nin", "$not", "$nor", "$and", "$all", "$mod", "$size", "$type",
	"$text", "$where", "$regex", "$exists", "$expr", "$function", "$elemmatch",
	"$comment", "$jsonschema", "$accumulator", "$options", "$slice",
	"&&", "||", ";return", "; return", "sleep(", "new date(", "/.*/", "/.+/",
	"db.getcollection", "db.dropdatabase", ".find(", ".findone(", ".insert(", ".insertone(",
	".update(", ".updateone(", ".remove(", ".drop(", ".deleteone(", ".deletemany(",
	".mapreduce(", ".aggregate(",
	"__proto__", "prototype", NULL,
};

/* Rule ids by index; class, level and description: rules/wsguard.rules.json. */
const char *const wsg_nosqli_rules[] = {
	"nosql-001",
	"nosql-002",
	"nosql-003",
	"nosql-004",
	"nosql-005",
	"nosql-006",
	"pp-001",
	"pp-002",
	NULL
};

enum {
	WSG_NOSQL_OP = 0,
	WSG_NOSQL_BREAKOUT,
	WSG_NOSQL_RETURN,
	WSG_NOSQL_TAUTOLOGY,
	WSG_NOSQL_REGEX,
	WSG_NOSQL_SHELL,
	WSG_PP_PROTO,
	WSG_PP_CTOR,
};

static int wsg_nosqli_hit(struct wsg_hit *h, int rule, size_t off)
{
	return wsg_rule_hit(h, wsg_nosqli_rules[rule], off);
}

/* MongoDB query and expression operators, without the '$'. */
static const char *const wsg_mongo_ops[] = {
	"ne", "eq", "gt", "gte", "lt", "lte", "in", "nin", "or", "and", "not", "nor", "all",
	"mod", "size", "type", "text", "where", "regex", "exists", "expr", "function",
	"elemmatch", "comment", "jsonschema", "accumulator", "options", "slice", NULL,
};

/* The bytes an operator anchor may be spelled after (see the anchors). */
static int wsg_starts_with(const char *s, size_t len, size_t i, const char *w)
{
	size_t n = strlen(w);

	return i + n <= len && !memcmp(s + i, w, n);
}

static int wsg_op_prefix(unsigned char c)
{
	return c == '"' || c == '\'' || c == '[' || c == '{' || c == ' ' || c == ',';
}

/*
 * What may follow "$op:" in a query: a value (object, array, string, number, regex) or a
 * JavaScript expression of $where. A GraphQL variable definition "($text: String!)" has a
 * type name there instead.
 */
static int wsg_op_value(const char *s, size_t len, size_t i)
{
	static const char *const words[] = {
		"null", "true", "false", "function", "this", "new", "undefined", NULL,
	};
	size_t e = i;

	if (i >= len)
		return 1;
	if (!wsg_is_alpha((unsigned char)s[i]) && s[i] != '_')
		return 1;
	while (e < len && wsg_is_word((unsigned char)s[e]))
		e++;
	return wsg_in_list(words, s + i, e - i) >= 0;
}

/*
 * Prose before position i: a letter, blanks, a letter outside double-quoted strings ("in
 * mongo you'd write {age: {$gt: 30}}"). A query object, a JSON document or a value broken
 * out of one has its words in quotes or next to punctuation.
 */
static int wsg_prose_before(const char *s, size_t i)
{
	int inq = 0;

	for (size_t k = 0; k < i; k++) {
		size_t j = k + 1;

		if (s[k] == '"' && (k == 0 || s[k - 1] != '\\'))
			inq = !inq;
		if (inq || !wsg_is_alpha((unsigned char)s[k]) || j >= i || s[j] != ' ')
			continue;
		while (j < i && s[j] == ' ')
			j++;
		if (j < i && wsg_is_alpha((unsigned char)s[j]))
			return 1;
	}
	return 0;
}

/*
 * Where a query puts an operator: "$op" then an optional closing quote and ':' and a value
 * (an object key, not in prose), "]" then '=' or '[' (a bracketed parameter), or the end of a quoted whole
 * string that starts with it (the key itself, delivered alone).
 */
static int wsg_op_in_query(const struct wsg_text *t, size_t at, size_t end)
{
	const char *s = t->s;
	size_t j = end;

	if (at == 0 && t->quoted && end == t->len)
		return 1;
	if (j < t->len && (s[j] == '"' || s[j] == '\''))
		j++;
	j = wsg_skip_space(s, t->len, j);
	if (j < t->len && s[j] == ':')
		return wsg_op_value(s, t->len, wsg_skip_space(s, t->len, j + 1)) &&
		       !wsg_prose_before(s, at);
	return end < t->len && s[end] == ']' && end + 1 < t->len &&
	       (s[end + 1] == '=' || s[end + 1] == '[');
}

static int wsg_nosql_ops(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;

	for (size_t i = 0; i < t->len; i++) {
		size_t e = i + 1, n;
		int k;

		if (s[i] != '$')
			continue;
		while (e < t->len && wsg_is_word((unsigned char)s[e]))
			e++;
		n = e - i - 1;
		k = wsg_in_list(wsg_mongo_ops, s + i + 1, n);
		if (k < 0)
			continue;
		/* "$ne" to "$or" are gated only with the byte before them; "($x" is GraphQL */
		if (!(i == 0 ? t->quoted : wsg_op_prefix((unsigned char)s[i - 1])))
			continue;
		if (wsg_op_in_query(t, i, e))
			return wsg_nosqli_hit(h, WSG_NOSQL_OP, i);
	}
	return 0;
}

/* Statements that only injected JavaScript starts with after a quote and ';', '&&', '||'. */
static int wsg_js_tail(const char *s, size_t len, size_t i)
{
	static const char *const pre[] = {
		"return", "sleep(", "this.", "while(", "while ", "do{", "var ", "let ",
		"function(", "db.", "1==1", "true", NULL,
	};

	for (size_t k = 0; pre[k]; k++) {
		size_t n = strlen(pre[k]);

		if (i + n <= len && !memcmp(s + i, pre[k], n))
			return 1;
	}
	/* it=new date() */
	while (i < len && wsg_is_word((unsigned char)s[i]))
		i++;
	return i + 5 <= len && s[i] == '=' && !memcmp(s + i + 1, "new ", 4);
}

/*
 * A quote that closes a string the text never opened (an even number of the same quote
 * before it), then ';' or '&&' or '||', then a JavaScript statement: what ends a string in a
 * $where expression and continues the code. Code pasted in chat ("s == 'a' && this.ok")
 * closes its own strings.
 */
static int wsg_nosql_breakout(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;
	size_t nq[2] = { 0, 0 };

	for (size_t i = 0; i < t->len; i++) {
		size_t j;
		int dq = s[i] == '"';

		if (s[i] != '\'' && !dq)
			continue;
		if (nq[dq]++ & 1)
			continue;
		j = wsg_skip_space(s, t->len, i + 1);
		if (j < t->len && s[j] == ';')
			j++;
		else if (j + 1 < t->len && ((s[j] == '&' && s[j + 1] == '&') ||
					    (s[j] == '|' && s[j + 1] == '|')))
			j += 2;
		else
			continue;
		j = wsg_skip_space(s, t->len, j);
		if (wsg_js_tail(s, t->len, j))
			return wsg_nosqli_hit(h, WSG_NOSQL_BREAKOUT, i);
	}
	return 0;
}

/*
 * "0;return true", "x'; return(1)": a value that a statement ends at once, returning a
 * constant: a $where forced to match everything. Code in chat ("f(); return true;") has
 * more than one short value before its ';'.
 */
static int wsg_nosql_return(const struct wsg_text *t, struct wsg_hit *h)
{
	static const char *const val[] = { "true", "1", "!0", "this", NULL };
	const char *s = t->s;
	size_t i = wsg_skip_space(s, t->len, 0), j;

	if (i < t->len && (s[i] == '\'' || s[i] == '"'))
		i++;
	while (i < t->len && (wsg_is_word((unsigned char)s[i]) || s[i] == '.' || s[i] == '-'))
		i++;
	if (i < t->len && (s[i] == '\'' || s[i] == '"'))
		i++;
	i = wsg_skip_space(s, t->len, i);
	if (i >= t->len || s[i] != ';')
		return 0;
	j = wsg_skip_space(s, t->len, i + 1);
	if (!wsg_word_at(s, t->len, j, "return"))
		return 0;
	j = wsg_skip_space(s, t->len, j + 6);
	if (j < t->len && s[j] == '(')
		j = wsg_skip_space(s, t->len, j + 1);
	for (size_t k = 0; val[k]; k++) {
		size_t n = strlen(val[k]);

		if (j + n <= t->len && !memcmp(s + j, val[k], n) &&
		    (j + n == t->len || !wsg_is_word((unsigned char)s[j + n])))
			return wsg_nosqli_hit(h, WSG_NOSQL_RETURN, i);
	}
	return 0;
}

/*
 * One operand of a comparison at i: a number or a quoted string, whose closing quote may be
 * missing at the end of the text (the query around the value supplies it). Sets *b and *n
 * to its content; returns the bytes it spans, 0 if none.
 */
static size_t wsg_operand(const char *s, size_t len, size_t i, size_t *b, size_t *n)
{
	size_t j = i;

	if (i < len && (s[i] == '\'' || s[i] == '"')) {
		for (j = i + 1; j < len && s[j] != s[i]; j++)
			;
		*b = i + 1;
		*n = j - i - 1;
		return j < len ? j + 1 - i : j - i;
	}
	while (j < len && wsg_is_digit((unsigned char)s[j]))
		j++;
	*b = i;
	*n = j - i;
	return j - i;
}

/* "|| 1==1", "&& 'a'==='a": the same operand on both sides of == or ===. */
static int wsg_nosql_tautology(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;

	for (size_t i = 0; i + 1 < t->len; i++) {
		size_t a, b, j, k, ab, an, bb, bn;

		if (!((s[i] == '|' && s[i + 1] == '|') || (s[i] == '&' && s[i + 1] == '&')))
			continue;
		j = wsg_skip_space(s, t->len, i + 2);
		a = wsg_operand(s, t->len, j, &ab, &an);
		if (!a || !an)
			continue;
		k = wsg_skip_space(s, t->len, j + a);
		if (k + 1 >= t->len || s[k] != '=' || s[k + 1] != '=')
			continue;
		k += 2;
		if (k < t->len && s[k] == '=')
			k++;
		k = wsg_skip_space(s, t->len, k);
		b = wsg_operand(s, t->len, k, &bb, &bn);
		if (b && an == bn && !memcmp(s + ab, s + bb, an) &&
		    (k + b == t->len || !wsg_is_word((unsigned char)s[k + b])))
			return wsg_nosqli_hit(h, WSG_NOSQL_TAUTOLOGY, i);
	}
	return 0;
}

/*
 * A regular expression literal that matches any value (dot-star or dot-plus between
 * slashes) where a query expects a value: after "password:" or inside ".match(". Chat about
 * regexes has neither before it.
 */
static int wsg_nosql_regex(const struct wsg_text *t, struct wsg_hit *h)
{
	static const char *const re[] = { "/.*/", "/.+/", NULL };
	const char *s = t->s;

	for (size_t k = 0; re[k]; k++) {
		for (const char *p = memmem(s, t->len, re[k], 4); p;
		     p = memmem(p + 1, t->len - (size_t)(p + 1 - s), re[k], 4)) {
			size_t i = (size_t)(p - s);

			while (i > 0 && wsg_is_space((unsigned char)s[i - 1]))
				i--;
			if ((i > 0 && s[i - 1] == ':') || (i >= 7 && !memcmp(s + i - 7, ".match(", 7)))
				return wsg_nosqli_hit(h, WSG_NOSQL_REGEX, (size_t)(p - s));
		}
	}
	return 0;
}

/* Collection methods of the MongoDB shell, each anchored as ".method(". */
static const char *const wsg_mongo_methods[] = {
	"find", "findone", "insert", "insertone", "update", "updateone", "remove", "drop",
	"deleteone", "deletemany", "mapreduce", "aggregate", NULL,
};

/*
 * nosql-006: a statement that starts the text or follows ';' or a quote:
 * "db.injection.insert({success:1});", "';db.users.drop();". Mentions inside a sentence
 * ("then run db.users.find() there") pass.
 */
static int wsg_nosql_shell(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;

	for (const char *p = memmem(s, t->len, "db.", 3); p;
	     p = memmem(p + 1, t->len - (size_t)(p + 1 - s), "db.", 3)) {
		size_t i = (size_t)(p - s), b = i, j = i + 3, e;

		while (b > 0 && wsg_is_space((unsigned char)s[b - 1]))
			b--;
		if (b > 0 && s[b - 1] != ';' && s[b - 1] != '\'' && s[b - 1] != '"')
			continue;
		if (wsg_starts_with(s, t->len, j, "getcollection(") ||
		    wsg_starts_with(s, t->len, j, "dropdatabase("))
			return wsg_nosqli_hit(h, WSG_NOSQL_SHELL, i);
		while (j < t->len && wsg_is_word((unsigned char)s[j]))
			j++;
		if (j == i + 3 || j >= t->len || s[j] != '.')
			continue;
		e = ++j;
		while (e < t->len && wsg_is_word((unsigned char)s[e]))
			e++;
		if (e < t->len && s[e] == '(' && wsg_in_list(wsg_mongo_methods, s + j, e - j) >= 0)
			return wsg_nosqli_hit(h, WSG_NOSQL_SHELL, i);
	}
	return 0;
}

/*
 * "__proto__" as a step of a property path or a key: followed by '.', '[', ']', a quote,
 * '=', ':', ';' or the end. Prose about it ("never touch __proto__, use ...") passes.
 */
static int wsg_pp_proto(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s, *p = s;

	while ((p = memmem(p, t->len - (size_t)(p - s), "__proto__", 9)) != NULL) {
		size_t e = (size_t)(p - s) + 9;

		if (e >= t->len || memchr(".[]\"'=:;", s[e], 9))
			return wsg_nosqli_hit(h, WSG_PP_PROTO, (size_t)(p - s));
		p++;
	}
	return 0;
}

/*
 * "prototype" reached from "constructor" through path punctuation only: constructor.prototype,
 * constructor[prototype], ["constructor"]["prototype"], {"constructor": {"prototype": ...
 */
static int wsg_pp_ctor(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s, *p = s;

	while ((p = memmem(p, t->len - (size_t)(p - s), "prototype", 9)) != NULL) {
		size_t i = (size_t)(p - s), steps = 0;

		while (i > 0 && (memchr(".[]\"':{", s[i - 1], 7) || wsg_is_space(s[i - 1]))) {
			steps += s[i - 1] == '.' || s[i - 1] == '[' || s[i - 1] == ':';
			i--;
		}
		if (steps && i >= 11 && !memcmp(s + i - 11, "constructor", 11))
			return wsg_nosqli_hit(h, WSG_PP_CTOR, i - 11);
		p++;
	}
	return 0;
}

int wsg_detect_nosqli(const struct wsg_text *t, struct wsg_hit *h)
{
	return wsg_nosql_ops(t, h) || wsg_nosql_breakout(t, h) || wsg_nosql_return(t, h) ||
	       wsg_nosql_tautology(t, h) || wsg_nosql_regex(t, h) || wsg_nosql_shell(t, h) ||
	       wsg_pp_proto(t, h) || wsg_pp_ctor(t, h);
}
