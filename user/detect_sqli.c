// SPDX-License-Identifier: GPL-2.0-only
/*
 * SQL injection detector. The text is tokenised as SQL three times: as is, and as if it
 * continued a single- and a double-quoted string literal (where user input usually lands).
 * Rules look at token shapes, not keyword lists: a quote that closes the literal and is
 * followed by a boolean or comment, UNION SELECT, stacked statements, time and file
 * functions, SQL-only identifiers. English with SQL words or apostrophes yields no such shape.
 */
#include <stdlib.h>
#include <string.h>
#include "detect.h"

/*
 * A tag or call, a quote that closes a literal and goes on as code, SQL comments, variables,
 * column lists, comparisons with numbers, statement separators. WAITFOR is gated by "aitfo":
 * the prefilter keeps an anchor's rarest 4-gram, "itfo" of it, "tfor" of "waitfor" (platform).
 */
const char *const wsg_sqli_anchors[] = {
	WSG_LETTERS("<", ""), WSG_LETTERS("", "("), "`", "'=", "='", "'-", "')", "'(", "';",
	"'|", "'#", "'/", "'+", "\"=", "\")", "\"-", "--", "/*", "@@",
	/* column lists: "select 1,2" by its select, not ",2" (every JSON number array) */
	WSG_DIGITS("select ", ""), "select (", ",(",
	WSG_DIGITS("", "="), WSG_DIGITS("", ";"), ");", "\";", "\"|", "\"&", "||", "&&",
	WSG_LETTERS(";", ""), "; ", "union", "order by", "group by", "schema", "aitfo", "' or",
	"'or", "xor ", "\"'", "(select", "select *", "select @", "xp_cmdshell", "sp_executesql",
	"'not", "' not", "rlike", "regexp", "<=>", "!=", "'<", "'>", "'^", "'*", "'%", "'!", "'&",
	"'~", "'and", "::", "and '", "or '", "and 0", "or 0",
	"' & '", "' < '", "' > '", "' - '", "' | '", "' ^ '", "' = '", "' % '",
	"' = !", "sleep (", "pg_sleep", "in (", " = 1", " = 0", ") as", ")=", "=@", "' * ", "' / ",
	"'like", "\"or!", "\"or-", "\"or(", "declare @", "set @", "exec @", "outfile", "dumpfile",
	"pg_catalog", "msys", "xp_dirtree", "dbms_", "\" or", NULL,
};

/* Rule ids by index; class, level and description: rules/wsguard.rules.json. */
const char *const wsg_sqli_rules[] = {
	"sqli-001",
	"sqli-002",
	"sqli-003",
	"sqli-004",
	"sqli-005",
	"sqli-006",
	"sqli-007",
	"sqli-008",
	"sqli-009",
	"sqli-010",
	"sqli-011",
	"sqli-012",
	"sqli-013",
	"sqli-014",
	NULL
};

/* Token types. */
enum {
	T_STR = 's', T_NUM = '1', T_WORD = 'n', T_KW = 'k', T_LOGIC = '&', T_OP = 'o',
	T_FUNC = 'f', T_LP = '(', T_RP = ')', T_COMMA = ',', T_SEMI = ';', T_DOT = '.',
	T_COMMENT = 'c', T_VAR = 'v',
};

enum wsg_kw {
	K_NONE, K_SELECT, K_UNION, K_ALL, K_DISTINCT, K_FROM, K_WHERE, K_INSERT, K_INTO,
	K_UPDATE, K_SET, K_DELETE, K_DROP, K_TABLE, K_DATABASE, K_CREATE, K_ALTER, K_TRUNCATE,
	K_EXEC, K_DECLARE, K_SHUTDOWN, K_WAITFOR, K_DELAY, K_HAVING, K_ORDER, K_GROUP, K_BY,
	K_LIMIT, K_NULL, K_OUTFILE, K_CASE, K_WHEN, K_THEN, K_END, K_PROCEDURE, K_TRUE,
	K_FALSE, K_LIKE, K_AND, K_OR, K_NOT, K_SLEEP, K_BENCH, K_FILEFN, K_SQLONLY, K_IF,
	K_SCHEMA, K_COLUMN, K_VALUES, K_BEGIN, K_ELSE, K_SETOP, K_POSTFIX, K_AS,
};

struct wsg_kwent {
	const char *w;
	char type;
	unsigned char kw;
};

static const struct wsg_kwent wsg_sqli_words[] = {
	{ "select", T_KW, K_SELECT }, { "union", T_KW, K_UNION }, { "all", T_KW, K_ALL },
	{ "distinct", T_KW, K_DISTINCT }, { "from", T_KW, K_FROM }, { "where", T_KW, K_WHERE },
	{ "insert", T_KW, K_INSERT }, { "into", T_KW, K_INTO }, { "update", T_KW, K_UPDATE },
	{ "set", T_KW, K_SET }, { "delete", T_KW, K_DELETE }, { "drop", T_KW, K_DROP },
	{ "table", T_KW, K_TABLE }, { "database", T_KW, K_DATABASE },
	{ "create", T_KW, K_CREATE }, { "alter", T_KW, K_ALTER },
	{ "truncate", T_KW, K_TRUNCATE }, { "exec", T_KW, K_EXEC },
	{ "execute", T_KW, K_EXEC }, { "declare", T_KW, K_DECLARE },
	{ "shutdown", T_KW, K_SHUTDOWN }, { "waitfor", T_KW, K_WAITFOR },
	{ "delay", T_KW, K_DELAY }, { "having", T_KW, K_HAVING }, { "order", T_KW, K_ORDER },
	{ "group", T_KW, K_GROUP }, { "by", T_KW, K_BY }, { "limit", T_KW, K_LIMIT },
	{ "null", T_KW, K_NULL }, { "outfile", T_KW, K_OUTFILE }, { "dumpfile", T_KW, K_OUTFILE },
	{ "case", T_KW, K_CASE }, { "when", T_KW, K_WHEN }, { "then", T_KW, K_THEN },
	{ "end", T_KW, K_END }, { "procedure", T_KW, K_PROCEDURE }, { "true", T_KW, K_TRUE },
	{ "false", T_KW, K_FALSE }, { "values", T_KW, K_VALUES }, { "begin", T_KW, K_BEGIN },
	{ "if", T_KW, K_IF }, { "else", T_KW, K_ELSE }, { "as", T_KW, K_AS },
	{ "except", T_KW, K_SETOP }, { "intersect", T_KW, K_SETOP }, { "minus", T_KW, K_SETOP },
	{ "column", T_KW, K_COLUMN }, { "schema", T_KW, K_SCHEMA },
	{ "and", T_LOGIC, K_AND }, { "or", T_LOGIC, K_OR }, { "xor", T_LOGIC, K_OR },
	{ "not", T_LOGIC, K_NOT },
	{ "like", T_OP, K_LIKE }, { "rlike", T_OP, K_LIKE }, { "regexp", T_OP, K_LIKE },
	{ "between", T_OP, K_NONE }, { "is", T_OP, K_NONE }, { "in", T_OP, K_NONE },
	{ "div", T_OP, K_NONE }, { "mod", T_OP, K_NONE }, { "sounds", T_OP, K_NONE },
	{ "glob", T_OP, K_LIKE }, { "ilike", T_OP, K_LIKE }, { "similar", T_OP, K_NONE },
	{ "collate", T_OP, K_NONE }, { "escape", T_OP, K_NONE }, { "binary", T_OP, K_NONE },
	{ "notnull", T_OP, K_POSTFIX }, { "isnull", T_OP, K_POSTFIX },
	{ "sleep", T_WORD, K_SLEEP }, { "pg_sleep", T_WORD, K_BENCH },
	{ "benchmark", T_WORD, K_BENCH }, { "randomblob", T_WORD, K_BENCH },
	{ "load_file", T_WORD, K_FILEFN },
	{ "extractvalue", T_WORD, K_FILEFN }, { "updatexml", T_WORD, K_FILEFN },
	{ "utl_inaddr", T_WORD, K_FILEFN }, { "utl_http", T_WORD, K_FILEFN },
	{ "dbms_pipe", T_WORD, K_FILEFN }, { "xp_cmdshell", T_WORD, K_SQLONLY },
	{ "information_schema", T_WORD, K_SQLONLY }, { "sysobjects", T_WORD, K_SQLONLY },
	{ "syscolumns", T_WORD, K_SQLONLY }, { "pg_shadow", T_WORD, K_SQLONLY },
	{ "pg_catalog", T_WORD, K_SQLONLY }, { "sqlite_master", T_WORD, K_SQLONLY },
	{ "msysobjects", T_WORD, K_SQLONLY }, { "all_tables", T_WORD, K_SQLONLY },
	{ "user_tables", T_WORD, K_SQLONLY }, { "xp_regread", T_WORD, K_SQLONLY },
	{ "sp_password", T_WORD, K_SQLONLY }, { "sp_executesql", T_WORD, K_SQLONLY },
	{ "group_concat", T_WORD, K_SQLONLY }, { "concat_ws", T_WORD, K_SQLONLY },
	{ "table_name", T_WORD, K_SQLONLY }, { "column_name", T_WORD, K_SQLONLY },
	{ "sqlite_version", T_WORD, K_SQLONLY }, { "dbms_xmlgen", T_WORD, K_SQLONLY },
	{ "dbms_lock", T_WORD, K_SQLONLY }, { "schema_name", T_WORD, K_SQLONLY },
	{ "table_schema", T_WORD, K_SQLONLY }, { "xp_dirtree", T_WORD, K_SQLONLY },
	{ "msysaccessobjects", T_WORD, K_SQLONLY }, { "msysqueries", T_WORD, K_SQLONLY },
	{ "msysrelationships", T_WORD, K_SQLONLY }, { "sysdatabases", T_WORD, K_SQLONLY },
};

struct wsg_tok {
	char type;
	unsigned char kw;
	unsigned char closed;	/* string literal: its closing quote was present */
	unsigned int off, len;
};

struct wsg_toks {
	struct wsg_tok *t;
	size_t n, cap;
};

static void wsg_tok_push(struct wsg_toks *tk, char type, unsigned char kw, size_t off, size_t len)
{
	if (tk->n < tk->cap)
		tk->t[tk->n++] = (struct wsg_tok){ type, kw, 1, (unsigned)off, (unsigned)len };
}

static void wsg_tok_str(struct wsg_toks *tk, size_t off, size_t len, int closed)
{
	if (tk->n < tk->cap)
		tk->t[tk->n++] = (struct wsg_tok){ T_STR, K_NONE, (unsigned char)closed,
						   (unsigned)off, (unsigned)len };
}

#define WSG_SQLI_NWORDS (sizeof(wsg_sqli_words) / sizeof(wsg_sqli_words[0]))

/* wsg_sqli_words in strcmp order, for a binary search: every word token is looked up. */
static const struct wsg_kwent *wsg_sqli_sorted[WSG_SQLI_NWORDS];

static int wsg_kwent_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct wsg_kwent *const *)a)->w,
		      (*(const struct wsg_kwent *const *)b)->w);
}

__attribute__((constructor)) static void wsg_sqli_words_sort(void)
{
	for (size_t i = 0; i < WSG_SQLI_NWORDS; i++)
		wsg_sqli_sorted[i] = &wsg_sqli_words[i];
	qsort(wsg_sqli_sorted, WSG_SQLI_NWORDS, sizeof(wsg_sqli_sorted[0]), wsg_kwent_cmp);
}

/*
 * w[0..n) against a table word, in strcmp order. w may hold any byte, NUL included (decoded
 * text does): nothing past e's terminator is read.
 */
static int wsg_word_cmp(const char *w, size_t n, const char *e)
{
	for (size_t k = 0; k < n; k++) {
		unsigned char a = (unsigned char)w[k], b = (unsigned char)e[k];

		if (!b)
			return 1; /* e ended: w is longer */
		if (a != b)
			return a < b ? -1 : 1;
	}
	return e[n] ? -1 : 0;
}

static const struct wsg_kwent *wsg_sqli_word(const char *w, size_t n)
{
	size_t lo = 0, hi = WSG_SQLI_NWORDS;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = wsg_word_cmp(w, n, wsg_sqli_sorted[mid]->w);

		if (!c)
			return wsg_sqli_sorted[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* A string literal from s[i] (just after its opening quote q); returns the end index. */
static size_t wsg_sqli_strlit(const char *s, size_t len, size_t i, char q, int *closed)
{
	while (i < len) {
		if (s[i] == '\\' && i + 1 < len) {
			i += 2;
			continue;
		}
		if (s[i] == q) {
			if (i + 1 < len && s[i + 1] == q) {
				i += 2;
				continue;
			}
			*closed = 1;
			return i + 1;
		}
		i++;
	}
	*closed = 0;
	return len;
}

static size_t wsg_sqli_word_tok(struct wsg_toks *tk, const char *s, size_t len, size_t i)
{
	size_t j = i, k;
	const struct wsg_kwent *e;

	while (j < len && (wsg_is_word((unsigned char)s[j]) || s[j] == '$'))
		j++;
	k = wsg_skip_space(s, len, j);
	e = wsg_sqli_word(s + i, j - i);
	if (k < len && s[k] == '(' && wsg_is_alpha((unsigned char)s[i]) &&
	    (!e || e->type == T_WORD || e->kw == K_IF))
		wsg_tok_push(tk, T_FUNC, e ? e->kw : K_NONE, i, j - i);
	else if (e)
		wsg_tok_push(tk, e->type, e->kw, i, j - i);
	else
		wsg_tok_push(tk, T_WORD, K_NONE, i, j - i);
	return j;
}

static size_t wsg_sqli_num(struct wsg_toks *tk, const char *s, size_t len, size_t i)
{
	size_t j = i;

	if (j + 1 < len && s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'b')) {
		j += 2;
		while (j < len && wsg_is_word((unsigned char)s[j]))
			j++;
	} else {
		/* digits, a fraction, an exponent: "1union" is a number and a keyword */
		while (j < len && (wsg_is_digit((unsigned char)s[j]) || s[j] == '.'))
			j++;
		if (j + 1 < len && s[j] == 'e' && (wsg_is_digit((unsigned char)s[j + 1]) ||
						   s[j + 1] == '-' || s[j + 1] == '+')) {
			j += 2;
			while (j < len && wsg_is_digit((unsigned char)s[j]))
				j++;
		}
	}
	wsg_tok_push(tk, T_NUM, K_NONE, i, j - i);
	return j;
}

/*
 * Tokenise s; ctx is 0 or the quote character whose literal the text is assumed to
 * continue, raw when a backslash does not escape that literal's closing quote (the
 * application doubled the backslash: "\\'" breaks out). Inline comments are dropped, a
 * comment running to the end is one T_COMMENT.
 */
static void wsg_sqli_lex(const char *s, size_t len, char ctx, int raw, struct wsg_toks *tk)
{
	size_t i = 0;
	int closed;

	tk->n = 0;
	if (raw) {
		/* the literal ends at the first quote even behind a backslash */
		const char *e = memchr(s, ctx, len);

		i = e ? (size_t)(e - s) + 1 : len;
		wsg_tok_str(tk, 0, i, e != NULL);
	} else if (ctx) {
		i = wsg_sqli_strlit(s, len, 0, ctx, &closed);
		wsg_tok_str(tk, 0, i, closed);
	}
	while (i < len && tk->n < tk->cap) {
		unsigned char c = (unsigned char)s[i];
		size_t st = i;

		if (wsg_is_space(c) || c == 0) {
			i++;
		} else if (c == '\'' || c == '"') {
			i = wsg_sqli_strlit(s, len, i + 1, (char)c, &closed);
			wsg_tok_str(tk, st, i - st, closed);
		} else if (c == '`') {
			const char *e = memchr(s + i + 1, '`', len - i - 1);
			const struct wsg_kwent *k = NULL;

			if (e)
				k = wsg_sqli_word(s + st + 1, (size_t)(e - s) - st - 1);

			i = e ? (size_t)(e - s) + 1 : len;
			/* `information_schema` is still a SQL-only name */
			wsg_tok_push(tk, T_WORD, k && k->kw == K_SQLONLY ? K_SQLONLY : K_NONE, st,
				     i - st);
		} else if (c == '#' || (c == '-' && i + 1 < len && s[i + 1] == '-')) {
			const char *e = memchr(s + i, '\n', len - i);

			if (!e) {
				wsg_tok_push(tk, T_COMMENT, K_NONE, st, len - st);
				i = len;
			} else {
				i = (size_t)(e - s) + 1;
			}
		} else if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			const char *e = memmem(s + i + 2, len - i - 2, "*/", 2);

			if (i + 2 < len && s[i + 2] == '!') {
				/* MySQL executable comment: its body is code. */
				i += 3;
				while (i < len && wsg_is_digit((unsigned char)s[i]))
					i++;
			} else if (!e) {
				wsg_tok_push(tk, T_COMMENT, K_NONE, st, len - st);
				i = len;
			} else {
				i = (size_t)(e - s) + 2;
			}
		} else if (c == '*' && i + 1 < len && s[i + 1] == '/') {
			i += 2;
		} else if (c == '\\' && i + 1 < len && s[i + 1] == 'n' &&
			   (i + 2 == len || !wsg_is_word((unsigned char)s[i + 2]))) {
			/* MySQL's \N is NULL */
			wsg_tok_push(tk, T_KW, K_NULL, st, 2);
			i += 2;
		} else if (wsg_is_alpha(c) || c == '_' || c == '$') {
			i = wsg_sqli_word_tok(tk, s, len, i);
		} else if (wsg_is_digit(c) || (c == '.' && i + 1 < len &&
					       wsg_is_digit((unsigned char)s[i + 1]))) {
			i = wsg_sqli_num(tk, s, len, i);
		} else if (c == '@') {
			i++;
			while (i < len && (s[i] == '@' || wsg_is_word((unsigned char)s[i])))
				i++;
			wsg_tok_push(tk, T_VAR, K_NONE, st, i - st);
		} else if ((c == '|' || c == '&') && i + 1 < len && s[i + 1] == (char)c) {
			wsg_tok_push(tk, T_LOGIC, c == '|' ? K_OR : K_AND, st, 2);
			i += 2;
		} else if (strchr("()[],;.", c)) {
			char ty = c == '[' ? T_LP : c == ']' ? T_RP : (char)c;

			wsg_tok_push(tk, ty, K_NONE, st, 1);
			i++;
		} else if (strchr("=<>!+-*/%^|&~:", c)) {
			while (i < len && strchr("=<>!+-*/%^|&~:", s[i]) && s[i] &&
			       !(i > st && i + 1 < len && s[i + 1] == s[i] &&
				 (s[i] == '-' || s[i] == '|' || s[i] == '&')))
				i++;
			wsg_tok_push(tk, T_OP, K_NONE, st, i - st);
		} else {
			/* Any other byte (non-ASCII prose, '?', '\\') is a bare word. */
			while (i < len && (unsigned char)s[i] >= 0x80)
				i++;
			if (i == st)
				i++;
			wsg_tok_push(tk, T_WORD, K_NONE, st, i - st);
		}
	}
}

struct wsg_sq {
	const char *s;
	size_t len;
	const struct wsg_tok *t;
	size_t n;
};

static int wsg_ty(const struct wsg_sq *q, size_t i)
{
	return i < q->n ? q->t[i].type : 0;
}

static int wsg_kw(const struct wsg_sq *q, size_t i)
{
	return i < q->n ? q->t[i].kw : -1;
}

static int wsg_is_operand(int ty)
{
	return ty == T_STR || ty == T_NUM || ty == T_WORD || ty == T_VAR || ty == T_FUNC ||
	       ty == T_LP;
}

static int wsg_is_literal(int ty)
{
	return ty == T_STR || ty == T_NUM;
}

/* True when t is the keyword kw (KW, LOGIC or function token). */
static int wsg_is(const struct wsg_sq *q, size_t i, int kw)
{
	return wsg_kw(q, i) == kw;
}

/* A name token: a word, call, keyword or keyword operator ("if", "database", "left"). */
static int wsg_sqli_name(const struct wsg_sq *q, size_t i)
{
	return i < q->n && wsg_is_alpha((unsigned char)q->s[q->t[i].off]) &&
	       q->t[i].type != T_STR && q->t[i].type != T_VAR;
}

/* Tokens i and i + 1 touch: no blank or comment between them. */
static int wsg_sqli_glued(const struct wsg_sq *q, size_t i)
{
	return i + 1 < q->n && q->t[i].off + q->t[i].len == q->t[i + 1].off;
}

/* UNION|EXCEPT|INTERSECT [ALL|DISTINCT] [(] SELECT at i ("selectchar(" glued included). */
static int wsg_sqli_union(const struct wsg_sq *q, size_t i)
{
	if (!wsg_is(q, i, K_UNION) && !wsg_is(q, i, K_SETOP))
		return 0;
	i++;
	if (wsg_is(q, i, K_ALL) || wsg_is(q, i, K_DISTINCT))
		i++;
	while (wsg_ty(q, i) == T_LP)
		i++;
	if (wsg_ty(q, i) == T_FUNC && q->t[i].len > 6 && !memcmp(q->s + q->t[i].off, "select", 6))
		return 1;
	return wsg_is(q, i, K_SELECT);
}

/*
 * After a logical operator at i: an operand, then a comparison, a comment, the end, or a
 * closing paren. Returns 1 if that reads as a SQL condition.
 */
static int wsg_sqli_cond(const struct wsg_sq *q, size_t i)
{
	int a, b;

	while (wsg_is(q, i + 1, K_NOT))	/* a loop: NOT may repeat as often as a message allows */
		i++;
	a = wsg_ty(q, i + 1);
	b = wsg_ty(q, i + 2);
	if (a == T_FUNC || a == T_LP || wsg_is(q, i + 1, K_TRUE) || wsg_is(q, i + 1, K_FALSE) ||
	    wsg_is(q, i + 1, K_NULL))
		return 1;
	if (wsg_sqli_union(q, i + 1) || wsg_is(q, i + 1, K_SELECT))
		return 1;
	if (!wsg_is_operand(a) && a != T_KW)
		return 0;
	if (b == T_OP || b == T_COMMENT || b == T_RP || b == T_SEMI)
		return 1;
	/* "' or 1" / "' or 'x" at the end: the application's own quote completes it. */
	return b == 0 && (wsg_is_literal(a) || a == T_VAR);
}

/* Tautology "x=x", "1=1", "'a'='a'" starting at i, after a logical operator. */
static int wsg_sqli_taut(const struct wsg_sq *q, size_t i)
{
	const struct wsg_tok *a, *b;

	if (i + 2 >= q->n || q->t[i + 1].type != T_OP)
		return 0;
	a = &q->t[i];
	b = &q->t[i + 2];
	if (!wsg_is_literal(a->type) && a->type != T_WORD)
		return 0;
	if (a->type == T_NUM && b->type == T_NUM)
		return 1;
	return a->len == b->len && !memcmp(q->s + a->off, q->s + b->off, a->len);
}

/* What an expression walk found; see wsg_sqli_expr(). */
struct wsg_expr {
	size_t end;		/* the token where the walk stopped */
	int ops;		/* binary operators (comparison, arithmetic, LIKE, IS, ...) */
	int cmps;		/* of which comparisons (=, <, LIKE, IS, IN, ...) */
	int logic;		/* AND, OR, XOR, &&, || */
	int calls;		/* function calls */
	int commas;		/* list separators */
	int lits;		/* numbers, variables, NULL/TRUE/FALSE */
	int selects;		/* subqueries */
	int words;		/* bare names */
	int open;		/* it ends in a literal the application's own quote completes */
	int dangling;		/* it ended wanting an operand ("1 or") */
	int stop;		/* 0 end, T_COMMENT, T_SEMI, T_KW (a clause keyword), -1 not SQL */
};

static int wsg_sqli_select(const struct wsg_sq *q, size_t i);
static int wsg_sqli_cmp(const struct wsg_sq *q, const struct wsg_tok *t);
static void wsg_sqli_expr(const struct wsg_sq *q, size_t i, int want, struct wsg_expr *e);

/* Token i is the bare word w. */
static int wsg_sqli_text(const struct wsg_sq *q, size_t i, const char *w)
{
	return i < q->n && q->t[i].len == strlen(w) && !memcmp(q->s + q->t[i].off, w, q->t[i].len);
}

/* LOAD DATA|XML [LOCAL|LOW_PRIORITY|CONCURRENT] INFILE at i. */
static int wsg_sqli_load(const struct wsg_sq *q, size_t i)
{
	if (!wsg_sqli_text(q, i, "load") ||
	    !(wsg_sqli_text(q, i + 1, "data") || wsg_sqli_text(q, i + 1, "xml")))
		return 0;
	return wsg_sqli_text(q, i + 2, "infile") || wsg_sqli_text(q, i + 3, "infile");
}

/*
 * A statement at i that English does not produce: DROP TABLE, DELETE FROM, INSERT INTO,
 * UPDATE t SET, EXEC proc (not "exec will ..."), DECLARE @v, IF (cond) ..., IF EXISTS (,
 * WHILE cond ..., USE db, LOAD DATA INFILE, SHUTDOWN, CREATE TABLE, SELECT values.
 */
static int wsg_sqli_stmt(const struct wsg_sq *q, size_t i)
{
	int k, nx, nx2;
	struct wsg_expr e;

again:	/* WHILE cond stmt: a loop, not recursion (a message may repeat WHILE at will) */
	k = wsg_kw(q, i);
	nx = wsg_ty(q, i + 1);
	nx2 = wsg_ty(q, i + 2);
	switch (k) {
	case K_DROP:
		return wsg_is(q, i + 1, K_TABLE) || wsg_is(q, i + 1, K_DATABASE) ||
		       (nx == T_WORD && nx2 == T_COMMENT);
	case K_DELETE:
		return wsg_is(q, i + 1, K_FROM) || wsg_is(q, i + 2, K_FROM);
	case K_INSERT:
		return wsg_is(q, i + 1, K_INTO);
	case K_UPDATE:
		return nx == T_WORD && wsg_is(q, i + 2, K_SET);
	case K_EXEC:
		return (nx == T_WORD && nx2 != T_WORD && nx2 != T_KW && nx2 != T_LOGIC) ||
		       nx == T_FUNC || nx == T_LP || nx == T_VAR;
	case K_DECLARE: case K_SET:
		return nx == T_VAR;
	case K_IF:
		if (wsg_is(q, i + 1, K_NOT))
			i++;
		if (wsg_sqli_text(q, i + 1, "exists") && wsg_ty(q, i + 2) == T_LP)
			return 1;
		wsg_sqli_expr(q, i + 1, 1, &e);
		return e.cmps + e.calls && (e.stop == T_KW || wsg_ty(q, e.end) == T_KW);
	case K_SHUTDOWN:
		return nx == 0 || nx == T_COMMENT || nx == T_SEMI;
	case K_WAITFOR:
		return wsg_is(q, i + 1, K_DELAY);
	case K_CREATE: case K_ALTER: case K_TRUNCATE:
		return wsg_is(q, i + 1, K_TABLE) || wsg_is(q, i + 1, K_DATABASE) ||
		       (k == K_TRUNCATE && nx == T_WORD);
	case K_SELECT:
		return wsg_sqli_select(q, i) || nx == T_NUM || nx == T_FUNC || nx == T_VAR ||
		       nx == T_OP || (nx == T_WORD && (nx2 == T_COMMA || wsg_is(q, i + 2, K_FROM)));
	}
	if (wsg_sqli_text(q, i, "while")) {
		wsg_sqli_expr(q, i + 1, 1, &e);
		if (!e.cmps || e.stop != -1 || e.end <= i)
			return 0;
		i = e.end;
		goto again;
	}
	if (wsg_sqli_text(q, i, "use"))
		return nx == T_WORD && (nx2 == 0 || nx2 == T_SEMI || nx2 == T_COMMENT ||
					wsg_is(q, i + 2, K_EXEC));
	return wsg_sqli_load(q, i);
}

/* A keyword that opens a statement. */
static int wsg_sqli_stmt_kw(int kw)
{
	return kw == K_SELECT || kw == K_INSERT || kw == K_UPDATE || kw == K_DELETE ||
	       kw == K_DROP || kw == K_EXEC || kw == K_DECLARE || kw == K_CREATE ||
	       kw == K_ALTER || kw == K_TRUNCATE || kw == K_SHUTDOWN || kw == K_WAITFOR;
}

/* Stacked statement after the ';' at i. */
static int wsg_sqli_stacked(const struct wsg_sq *q, size_t i)
{
	return wsg_sqli_stmt(q, i + 1);
}

/* Operators only SQL spells so, each the whole value: "!=", "<=>", "&&", "||", "->". */
static int wsg_sqli_lone_op(const struct wsg_sq *q)
{
	static const char *const ops[] = { "!=", "<=>", "&&", "||", "->", "->>", NULL };

	return q->n == 1 && (q->t[0].type == T_OP || q->t[0].type == T_LOGIC) &&
	       wsg_in_list(ops, q->s + q->t[0].off, q->t[0].len) >= 0;
}

/* The value is a VALUES list of literals: "values ('192.168.0.1', 'test')". */
static int wsg_sqli_values(const struct wsg_sq *q)
{
	struct wsg_expr e;

	if (!wsg_is(q, 0, K_VALUES) || wsg_ty(q, 1) != T_LP)
		return 0;
	wsg_sqli_expr(q, 1, 1, &e);
	return e.stop != -1 && !e.dangling && !e.words && e.lits >= 2 && e.commas &&
	       wsg_ty(q, e.end - 1) == T_RP;
}

/* A `quoted` identifier at i (MySQL). */
static int wsg_sqli_btick(const struct wsg_sq *q, size_t i)
{
	const struct wsg_tok *t = &q->t[i];

	return i < q->n && t->type == T_WORD && t->len > 2 && q->s[t->off] == '`' &&
	       q->s[t->off + t->len - 1] == '`';
}

/*
 * The value is one statement closed by ';' and perhaps a comment ("delete from users;--",
 * "create table t (c text);", "exec sp_add_job @job_name = 'x';") or naming `quoted`
 * identifiers ("alter table `t` add `c` text").
 */
static int wsg_sqli_lone_stmt(const struct wsg_sq *q)
{
	size_t last = q->n;

	struct wsg_expr e;

	if (!wsg_sqli_stmt(q, 0))
		return 0;
	/* "declare @b", "if(7423=7424) select 7423 else drop function x--" */
	if (wsg_is(q, 0, K_DECLARE))
		return 1;
	if (wsg_is(q, 0, K_IF)) {
		wsg_sqli_expr(q, 1, 1, &e);
		return wsg_sqli_stmt_kw(wsg_kw(q, e.end));
	}
	for (size_t i = 1; i < 4; i++)
		if (wsg_sqli_btick(q, i))
			return 1;
	if (last && q->t[last - 1].type == T_COMMENT)
		last--;
	if (last <= 2 || q->t[last - 1].type != T_SEMI)
		return 0;
	/* English has words in a row ("drop table by the window;"), SQL only in parentheses */
	for (size_t i = 1, depth = 0; i < last; i++) {
		depth += q->t[i].type == T_LP ? 1 : q->t[i].type == T_RP && depth ? -1 : 0;
		if (!depth && q->t[i].type == T_WORD && q->t[i - 1].type == T_WORD)
			return 0;
	}
	return 1;
}

/* Rules that need the token after a string or number break at b (the break token). */
static int wsg_sqli_after_break(const struct wsg_sq *q, size_t b, int quoted, int *rule)
{
	size_t i = b + 1;
	int ty;

	while (wsg_ty(q, i) == T_RP)
		i++;
	ty = wsg_ty(q, i);
	if (ty == T_LOGIC && wsg_sqli_cond(q, i))
		return *rule = 1, 1;
	if (quoted && ty == T_COMMENT)
		return *rule = 2, 1;
	if (ty == T_SEMI && (quoted || i > b + 1) &&
	    (wsg_ty(q, i + 1) == 0 || wsg_ty(q, i + 1) == T_COMMENT))
		return *rule = 2, 1;
	if (ty == T_SEMI && wsg_sqli_stacked(q, i))
		return *rule = 4, 1;
	/* "';select p", "\";drop ": the break glued to ';' and a statement keyword */
	if (quoted && ty == T_SEMI && i == b + 1 && wsg_sqli_glued(q, b) &&
	    wsg_sqli_stmt_kw(wsg_kw(q, i + 1)))
		return *rule = 4, 1;
	if (quoted && ty == T_OP && (wsg_ty(q, i + 1) == T_FUNC ||
				     (wsg_ty(q, i + 1) == T_LP && wsg_is(q, i + 2, K_SELECT))))
		return *rule = 3, 1;
	if (quoted && ty == T_OP && wsg_ty(q, i + 1) == T_STR && wsg_ty(q, i + 2) == 0 &&
	    !q->t[i + 1].closed && q->t[i].len == 1 && q->s[q->t[i].off] == '=')
		return *rule = 1, 1;
	if (wsg_sqli_union(q, i))
		return *rule = 0, 1;
	if ((wsg_is(q, i, K_ORDER) || wsg_is(q, i, K_GROUP)) && wsg_is(q, i + 1, K_BY))
		return *rule = 8, 1;
	if (quoted && (wsg_is(q, i, K_HAVING) || wsg_is(q, i, K_PROCEDURE) ||
		       (wsg_is(q, i, K_INTO) && wsg_is(q, i + 1, K_OUTFILE))))
		return *rule = 9, 1;
	/* "1) from users where name='x": the rest of the query the value broke out of */
	if (wsg_is(q, i, K_FROM) && wsg_ty(q, i + 1) == T_WORD && wsg_is(q, i + 2, K_WHERE) &&
	    wsg_ty(q, i + 3) == T_WORD && wsg_ty(q, i + 4) == T_OP &&
	    wsg_sqli_cmp(q, &q->t[i + 4]))
		return *rule = 11, 1;
	/* after a closing paren: ") like (", ") when 234 then" */
	if (q->t[b].type == T_RP && ((wsg_is(q, i, K_LIKE) && wsg_ty(q, i + 1) == T_LP) ||
				     (wsg_is(q, i, K_WHEN) && wsg_is(q, i + 2, K_THEN) &&
				      wsg_is_operand(wsg_ty(q, i + 1)))))
		return *rule = 1, 1;
	return 0;
}

/* Functions of SQL dialects rarely spelt "name(" outside SQL. */
static const char *const wsg_sqli_funcs[] = {
	"abs", "acos", "ascii", "asin", "atan", "atan2", "avg", "benchmark", "bin", "bit_length",
	"cast", "ceil", "ceiling", "char", "char_length", "charset", "chr", "coalesce",
	"coercibility", "collation", "concat", "concat_ws", "connection_id", "conv", "convert",
	"cos", "cot", "count", "crc32", "curdate", "current_date", "current_database",
	"current_schema", "current_setting", "current_time", "current_timestamp", "current_user",
	"curtime", "database", "date", "date_add", "date_format", "date_sub", "datediff",
	"dayname", "dayofmonth", "dayofweek", "dayofyear", "dbms_pipe", "decode", "default",
	"degrees", "elt", "encode", "exp", "export_set", "extractvalue", "field", "find_in_set",
	"floor", "format", "found_rows", "from_base64", "from_unixtime", "getdate", "get_lock",
	"greatest", "group_concat", "hex", "hextoraw", "if", "ifnull", "iif", "inet_aton",
	"instr", "isnull", "json_extract", "json_keys", "json_valid", "last_insert_id", "lcase",
	"least", "left", "length", "likelihood", "ln", "load_file", "locate", "log", "log10",
	"log2", "lower", "lpad", "ltrim", "make_set", "makedate", "max", "md5", "mid", "min",
	"monthname", "name_const", "nullif", "nvl", "oct", "octet_length", "ord", "pg_read_file",
	"pg_ls_dir", "pg_sleep", "pi", "position", "pow", "power", "quote", "radians", "rand",
	"randomblob", "release_lock", "replace", "reverse", "right", "round", "row_count", "rpad",
	"rtrim", "schema", "sec_to_time", "session_user", "sha1", "sha2", "sleep", "soundex",
	"space", "sqrt", "str_to_date", "strcmp", "subdate", "substr", "substring",
	"substring_index", "sys_context", "sysdate", "system_user", "timediff", "to_base64",
	"to_char", "to_days", "trim", "ucase", "uncompress", "unhex", "unix_timestamp",
	"updatexml", "upper", "user", "utc_date", "utl_http", "uuid", "values", "variance",
	"version", "weekday", "xmltype", "yearweek", "zeroblob", NULL,
};

/*
 * The whole value is a SQL function opened and not closed ("concat(", "ifnull (",
 * "substring(version()", "(convert(int,(select"), or a name glued to '(' by a run of
 * boolean or comparison operators ("length||(", "version=("): the start of a call spliced
 * into a query.
 */
static int wsg_sqli_func_opener(const struct wsg_sq *q, int *rule)
{
	size_t f = 0, i;
	int depth = 0;

	while (wsg_ty(q, f) == T_LP)
		f++;
	if (!wsg_sqli_name(q, f) || wsg_in_list(wsg_sqli_funcs, q->s + q->t[f].off,
						 q->t[f].len) < 0)
		return 0;
	for (i = f + 1; (wsg_ty(q, i) == T_OP || wsg_ty(q, i) == T_LOGIC) &&
	     wsg_sqli_glued(q, i - 1) && !memchr(q->s + q->t[i].off, ':', q->t[i].len); i++)
		;
	if (wsg_ty(q, i) != T_LP || (i > f + 1 && !wsg_sqli_glued(q, i - 1)))
		return 0;
	for (i = 0; i < q->n; i++)
		depth += q->t[i].type == T_LP ? 1 : q->t[i].type == T_RP ? -1 : 0;
	if (depth <= 0)
		return 0;
	return *rule = 12, 1;
}

/* PostgreSQL casts a literal or a call: '...'::jsonb, (...)::int. */
static const char *const wsg_sqli_pgtypes[] = {
	"int", "int4", "int8", "integer", "bigint", "text", "json", "jsonb", "numeric", "varchar",
	"bool", "boolean", "float", "bytea", "xml", "regclass", "oid", "date", "double", NULL,
};

static int wsg_sqli_pgcast(const struct wsg_sq *q, size_t i)
{
	const struct wsg_tok *t = &q->t[i];

	return i && t->type == T_OP && t->len == 2 && q->s[t->off] == ':' &&
	       q->s[t->off + 1] == ':' && (q->t[i - 1].type == T_STR ||
					   q->t[i - 1].type == T_RP) &&
	       wsg_ty(q, i + 1) == T_WORD &&
	       wsg_in_list(wsg_sqli_pgtypes, q->s + q->t[i + 1].off, q->t[i + 1].len) >= 0;
}

/* The value opens with sleep(N) followed by nothing, a comment or an operator. */
static int wsg_sqli_sleep0(const struct wsg_sq *q, size_t i)
{
	int nx = wsg_ty(q, i + 4);

	return i == 0 && wsg_ty(q, 2) == T_NUM && wsg_ty(q, 3) == T_RP &&
	       (nx == 0 || nx == T_COMMENT || nx == T_OP || nx == T_SEMI);
}

/* Functions that name the server, user or database: version(), user(), database(). */
static const char *const wsg_sqli_infofns[] = {
	"version", "user", "database", "schema", "current_user", "session_user", "system_user",
	"connection_id", "current_database", "current_schema", "db_name", "user_name", NULL,
};

/*
 * An empty-argument info call at i used as a value: the argument of a SQL function
 * ("length(version())") or compared ("version() like '5%'", "user()=5"); not a method
 * ("sys.version()").
 */
static int wsg_sqli_infocall(const struct wsg_sq *q, size_t i)
{
	const struct wsg_tok *t = &q->t[i];
	int nx = wsg_ty(q, i + 3);

	if (t->type != T_FUNC || wsg_ty(q, i + 1) != T_LP || wsg_ty(q, i + 2) != T_RP ||
	    wsg_in_list(wsg_sqli_infofns, q->s + t->off, t->len) < 0 ||
	    (i && q->t[i - 1].type == T_DOT))
		return 0;
	if (nx == T_OP && wsg_sqli_cmp(q, &q->t[i + 3]))
		return 1;
	if (i && q->t[i - 1].type == T_OP && wsg_sqli_cmp(q, &q->t[i - 1]))
		return 1;
	return i >= 2 && q->t[i - 1].type == T_LP && q->t[i - 2].type == T_FUNC &&
	       wsg_in_list(wsg_sqli_funcs, q->s + q->t[i - 2].off, q->t[i - 2].len) >= 0;
}

/* A string literal at i holding a JSON document: '{...}' or '[...]'. */
static int wsg_sqli_json_lit(const struct wsg_sq *q, size_t i)
{
	const struct wsg_tok *t = &q->t[i];
	size_t k = 1;

	if (i >= q->n || t->type != T_STR || !t->closed || q->s[t->off] != '\'')
		return 0;
	while (k < t->len && q->s[t->off + k] == ' ')
		k++;
	return k < t->len && (q->s[t->off + k] == '{' || q->s[t->off + k] == '[');
}

/*
 * A JSON document literal operated on as SQL JSON: '{...}' -> '$.a', '{...}' ? 'a',
 * '{...}' ?| array[...], '{...}' < '...', or json_extract('{...}', ...).
 */
static int wsg_sqli_json(const struct wsg_sq *q, size_t i)
{
	size_t k = i + 1;

	if (q->t[i].type == T_FUNC && q->t[i].len > 4 && !memcmp(q->s + q->t[i].off, "json", 4))
		return wsg_ty(q, i + 1) == T_LP && wsg_sqli_json_lit(q, i + 2);
	if (!wsg_sqli_json_lit(q, i))
		return 0;
	if (wsg_ty(q, k) == T_WORD && q->t[k].len == 1 && q->s[q->t[k].off] == '?') {
		k++;	/* ?, ?| and ?& (PostgreSQL key tests) */
		if (wsg_ty(q, k) == T_OP && wsg_sqli_glued(q, k - 1))
			k++;
	} else if (wsg_ty(q, k) == T_OP) {
		k++;
	} else {
		return 0;
	}
	return wsg_ty(q, k) == T_STR || wsg_sqli_text(q, k, "array");
}

/*
 * A statement keyword or SQL function name at i glued to an inline comment that stands
 * for a blank: "drop/" "**" "/t", "declare/" "*x*" "/@x", "json_extract/" "**" "/(".
 */
static int wsg_sqli_kw_comment(const struct wsg_sq *q, size_t i)
{
	const struct wsg_tok *t = &q->t[i];
	size_t e = t->off + t->len;

	if (i + 1 >= q->n || e + 1 >= q->len || q->s[e] != '/' || q->s[e + 1] != '*')
		return 0;
	if (t->type == T_KW)
		return wsg_sqli_stmt_kw(t->kw) || t->kw == K_UNION || t->kw == K_FROM ||
		       t->kw == K_WHERE;
	return wsg_sqli_name(q, i) && wsg_in_list(wsg_sqli_funcs, q->s + t->off, t->len) >= 0;
}

/* Rules that hold anywhere in the token stream. */
static int wsg_sqli_anywhere(const struct wsg_sq *q, size_t from, int *rule, size_t *at)
{
	for (size_t i = from; i < q->n; i++) {
		const struct wsg_tok *t = &q->t[i];
		int prev = i ? q->t[i - 1].type : 0;

		*at = t->off;
		if (wsg_sqli_union(q, i))
			return *rule = 0, 1;
		if (t->type == T_SEMI && (prev == 0 || prev == T_STR || prev == T_NUM ||
					  prev == T_RP || prev == T_WORD || prev == T_OP) &&
		    wsg_sqli_stacked(q, i))
			return *rule = 4, 1;
		/* a subquery as an operand, or after the leading number: "-1 (select id from" */
		if (t->type == T_LP && (prev == T_COMMA || prev == T_OP || prev == T_LOGIC ||
					prev == T_LP || (prev == T_NUM && i <= 2)) &&
		    wsg_sqli_select(q, i + 1))
			return *rule = 11, 1;
		/* `db`.`table`: a qualified name only SQL quotes so */
		if (wsg_sqli_btick(q, i) && wsg_ty(q, i + 1) == T_DOT && wsg_sqli_btick(q, i + 2) &&
		    wsg_sqli_glued(q, i) && wsg_sqli_glued(q, i + 1))
			return *rule = 6, 1;
		/* sp_password in a comment hides the statement from MSSQL's log */
		if (t->type == T_COMMENT && memmem(q->s + t->off, t->len, "sp_password", 11))
			return *rule = 6, 1;
		if (t->kw == K_DECLARE && wsg_ty(q, i + 1) == T_VAR &&
		    (wsg_ty(q, i + 2) == T_WORD || wsg_ty(q, i + 2) == T_FUNC))
			return *rule = 4, 1;
		if (wsg_sqli_pgcast(q, i) || wsg_sqli_json(q, i))
			return *rule = 13, 1;
		if (wsg_sqli_infocall(q, i))
			return *rule = 6, 1;
		if (wsg_sqli_kw_comment(q, i))
			return *rule = 4, 1;
		/* ") as cc from", "1234 as \"foobar\" from": a column alias before FROM */
		if (t->kw == K_AS && i && (prev == T_RP || prev == T_NUM || prev == T_STR ||
					   (prev == T_WORD && q->s[q->t[i - 1].off] == '`')) &&
		    (wsg_ty(q, i + 1) == T_WORD || wsg_ty(q, i + 1) == T_STR) &&
		    wsg_is(q, i + 2, K_FROM))
			return *rule = 11, 1;
		if (t->type == T_FUNC && (t->kw == K_BENCH || t->kw == K_FILEFN))
			return *rule = 5, 1;
		if (t->type == T_FUNC && t->kw == K_SLEEP &&
		    (prev == T_LOGIC || prev == T_OP || prev == T_LP || prev == T_COMMA ||
		     prev == T_SEMI || prev == T_KW || wsg_sqli_sleep0(q, i) ||
		     (prev == T_STR && q->t[i - 1].closed && wsg_ty(q, i + 2) == T_NUM)))
			return *rule = 5, 1;
		/* "select pg_sleep", "select benchmark": named without the call */
		if ((t->kw == K_SLEEP || t->kw == K_BENCH) && i && q->t[i - 1].kw == K_SELECT)
			return *rule = 5, 1;
		if (t->kw == K_SQLONLY ||
		    (t->type == T_VAR && t->len > 2 && q->s[t->off + 1] == '@'))
			return *rule = 6, 1;
		if (t->type == T_LOGIC && wsg_sqli_taut(q, i + 1) &&
		    (wsg_ty(q, i + 4) == 0 || wsg_ty(q, i + 4) == T_COMMENT || prev == T_STR ||
		     prev == T_NUM || prev == T_RP))
			return *rule = 7, 1;
		if (wsg_is(q, i, K_WAITFOR) && wsg_is(q, i + 1, K_DELAY) &&
		    wsg_ty(q, i + 2) == T_STR)
			return *rule = 9, 1;
		if (wsg_is(q, i, K_INTO) && wsg_is(q, i + 1, K_OUTFILE))
			return *rule = 9, 1;
	}
	return 0;
}


static int wsg_sqli_clause(int kw)
{
	return kw == K_UNION || kw == K_SETOP || kw == K_ORDER || kw == K_GROUP ||
	       kw == K_HAVING || kw == K_LIMIT || kw == K_INTO || kw == K_PROCEDURE ||
	       kw == K_WAITFOR || kw == K_FROM || kw == K_WHERE;
}

/* A '*' standing for every column: followed by FROM, a comma, ')' or the end. */
static int wsg_sqli_star(const struct wsg_sq *q, size_t i)
{
	int nx = wsg_ty(q, i + 1);

	return q->t[i].len == 1 && q->s[q->t[i].off] == '*' &&
	       (nx == 0 || nx == T_COMMA || nx == T_RP || wsg_is(q, i + 1, K_FROM));
}

/*
 * A literal the application's own quote completes: the last token, an unclosed string, and
 * short (a value like 'x or '1), not a sentence that happens to follow a lone quote, nor an
 * inch or minute mark (16" or 18").
 */
static void wsg_sqli_open(const struct wsg_sq *q, size_t i, struct wsg_expr *e)
{
	const struct wsg_tok *t = &q->t[i];

	size_t k = 1, n = t->len;

	while (k < n && q->s[t->off + k] == ' ')
		k++;
	while (n > k && q->s[t->off + n - 1] == ' ')
		n--;
	e->open = !t->closed && i + 1 == q->n && t->len <= 16 &&
		  !memchr(q->s + t->off + k, ' ', n - k) &&
		  !(t->len == 1 && q->t[i - 1].type == T_NUM && wsg_sqli_glued(q, i - 1));
}

/* A comparison operator: =, <, >, != or a keyword one (LIKE, IS, IN, REGEXP, ...). */
static int wsg_sqli_cmp(const struct wsg_sq *q, const struct wsg_tok *t)
{
	const char *p = q->s + t->off;

	if (wsg_is_alpha((unsigned char)p[0]))
		return !(t->len == 3 && (!memcmp(p, "div", 3) || !memcmp(p, "mod", 3))) &&
		       !(t->len == 6 && !memcmp(p, "binary", 6));
	return memchr(p, '=', t->len) || memchr(p, '<', t->len) || memchr(p, '>', t->len);
}

/* One token where an operand is due; returns 0 if it cannot stand there. */
static int wsg_sqli_operand(const struct wsg_sq *q, size_t i, int *want, struct wsg_expr *e)
{
	const struct wsg_tok *t = &q->t[i];

	switch (t->type) {
	case T_STR:
		wsg_sqli_open(q, i, e);
		e->lits++;
		*want = 0;
		return 1;
	case T_NUM: case T_VAR:
		e->lits++;
		*want = 0;
		return 1;
	case T_WORD:
		e->words++;
		*want = 0;
		return 1;
	case T_FUNC:
		e->calls++;
		return wsg_ty(q, i + 1) == T_LP;
	case T_LP:
		return 1;
	case T_RP:
		/* an empty argument list */
		*want = 0;
		return i && q->t[i - 1].type == T_LP;
	case T_OP:
		if (wsg_sqli_star(q, i))
			*want = 0;
		return 1;	/* unary minus, !, ~, BINARY */
	case T_LOGIC:
		return t->kw == K_NOT;
	case T_KW:
		if (t->kw == K_NULL || t->kw == K_TRUE || t->kw == K_FALSE) {
			e->lits++;
			*want = 0;
			return 1;
		}
		/* CASE [value] WHEN: a searched CASE has no value */
		if (t->kw == K_CASE || (t->kw == K_WHEN && i && q->t[i - 1].kw == K_CASE))
			return 1;
		/* TABLE, COLUMN, SCHEMA, ... also name columns */
		*want = 0;
		return t->kw == K_TABLE || t->kw == K_COLUMN || t->kw == K_SCHEMA ||
		       t->kw == K_DATABASE || t->kw == K_DELAY || t->kw == K_VALUES;
	}
	return 0;
}

/* One token after a complete operand; returns 0 if it cannot stand there. */
static int wsg_sqli_operator(const struct wsg_sq *q, size_t i, int *want, struct wsg_expr *e)
{
	const struct wsg_tok *t = &q->t[i];

	switch (t->type) {
	case T_OP:
		if (t->kw == K_POSTFIX)
			return 1;
		e->ops++;
		e->cmps += wsg_sqli_cmp(q, t);
		*want = 1;
		return 1;
	case T_LOGIC:
		if (t->kw != K_NOT)
			e->logic++;
		*want = t->kw != K_NOT;
		return 1;
	case T_RP:
		return 1;
	case T_LP:
		/* a subscript: array[id] */
		*want = 1;
		return q->s[t->off] == '[';
	case T_COMMA:
		e->commas++;
		*want = 1;
		return 1;
	case T_DOT:
		*want = 1;
		return 1;
	case T_STR:
		/* adjacent literals concatenate (MySQL) */
		wsg_sqli_open(q, i, e);
		return 1;
	case T_KW:
		if (t->kw == K_WHEN || t->kw == K_THEN || t->kw == K_ELSE || t->kw == K_AS) {
			*want = 1;
			return 1;
		}
		return t->kw == K_END;
	}
	return 0;
}

/*
 * Walk tokens from i as a SQL expression (operands, operators, parentheses, calls, lists);
 * want: an operand is due first. Stops at the end, a comment, ';', a clause keyword, or the
 * first token that cannot continue an expression (stop -1). English does not survive this:
 * two words in a row, or a word after a literal, end it.
 */
static void wsg_sqli_expr(const struct wsg_sq *q, size_t i, int want, struct wsg_expr *e)
{
	memset(e, 0, sizeof(*e));
	for (; i < q->n; i++) {
		const struct wsg_tok *t = &q->t[i];

		if (t->type == T_COMMENT || t->type == T_SEMI) {
			e->stop = t->type;
			break;
		}
		if (!want && t->type == T_KW && wsg_sqli_clause(t->kw)) {
			e->stop = T_KW;
			break;
		}
		if (want && t->kw == K_SELECT) {
			/* a subquery: its clauses join the expression */
			e->selects++;
			if (wsg_is(q, i + 1, K_ALL) || wsg_is(q, i + 1, K_DISTINCT))
				i++;
			continue;
		}
		if (!want && e->selects && wsg_sqli_clause(t->kw) && t->kw != K_INTO &&
		    t->kw != K_PROCEDURE && t->kw != K_WAITFOR) {
			if ((t->kw == K_ORDER || t->kw == K_GROUP) && wsg_is(q, i + 1, K_BY))
				i++;
			if ((t->kw == K_UNION || t->kw == K_SETOP) &&
			    (wsg_is(q, i + 1, K_ALL) || wsg_is(q, i + 1, K_DISTINCT)))
				i++;
			want = 1;
			continue;
		}
		if (!(want ? wsg_sqli_operand(q, i, &want, e) : wsg_sqli_operator(q, i, &want, e))) {
			e->stop = -1;
			break;
		}
	}
	e->end = i;
	e->dangling = want;
}

/* A clause that only SQL puts after an expression, at token i. */
static int wsg_sqli_tail_clause(const struct wsg_sq *q, size_t i, int *rule)
{
	int k = wsg_kw(q, i);

	if (wsg_sqli_union(q, i))
		return *rule = 0, 1;
	if ((k == K_ORDER || k == K_GROUP) && wsg_is(q, i + 1, K_BY) &&
	    (wsg_ty(q, i + 2) == T_NUM || wsg_ty(q, i + 2) == T_WORD || wsg_ty(q, i + 2) == T_FUNC))
		return *rule = 8, 1;
	if (k == K_WAITFOR && wsg_is(q, i + 1, K_DELAY))
		return *rule = 9, 1;
	if (k == K_INTO && wsg_is(q, i + 1, K_OUTFILE))
		return *rule = 9, 1;
	if (k == K_HAVING || k == K_PROCEDURE) {
		struct wsg_expr e;

		wsg_sqli_expr(q, i + 1, 1, &e);
		if (e.stop != -1 && !e.dangling && e.ops + e.calls)
			return *rule = 9, 1;
	}
	if (k == K_LIMIT && wsg_ty(q, i + 1) == T_NUM &&
	    (wsg_ty(q, i + 2) == T_COMMA || wsg_ty(q, i + 2) == T_COMMENT ||
	     wsg_ty(q, i + 2) == 0 || wsg_sqli_union(q, i + 2)))
		return *rule = 9, 1;
	return 0;
}

/* A '#' comment that reads as a channel name or hashtag ("#ubuntu-es"). */
static int wsg_sqli_hashtag(const struct wsg_sq *q, size_t i)
{
	const struct wsg_tok *t = &q->t[i];

	return i < q->n && t->type == T_COMMENT && q->s[t->off] == '#' && t->len > 1 &&
	       wsg_is_alpha((unsigned char)q->s[t->off + 1]);
}

/*
 * After a string break (token b, quoted) or from a leading number (b, not quoted): the rest
 * reads as a SQL expression that a comment, ';', the application's own closing quote or a
 * SQL clause completes.
 */
static int wsg_sqli_break_expr(const struct wsg_sq *q, size_t b, int quoted, int *rule)
{
	struct wsg_expr e;

	wsg_sqli_expr(q, b + 1, 0, &e);
	if (e.stop == -1)
		return 0;
	if (e.stop == T_KW && wsg_sqli_tail_clause(q, e.end, rule))
		return 1;
	if (e.stop == T_SEMI && wsg_sqli_stacked(q, e.end))
		return *rule = 4, 1;
	if (quoted && e.selects && e.ops + e.logic + e.commas &&
	    (e.stop == 0 || e.stop == T_COMMENT || e.stop == T_SEMI || e.open))
		return *rule = 3, 1;
	if (!e.ops && !e.logic)
		return 0;
	/*
	 * arithmetic alone only in a short tail ("' | '", "x'&email--", not "4'+x+4'+wood") or
	 * with calls up to a comment ("' + (1 / ascii(substring(p,1,1))-4)--")
	 */
	if (!e.logic && !e.cmps && (e.end > b + 3 || wsg_sqli_hashtag(q, e.end)) &&
	    !(e.calls && (e.stop == T_COMMENT || e.stop == T_SEMI)))
		return 0;
	if (quoted && (e.open || e.stop == T_COMMENT || e.stop == T_SEMI))
		return *rule = 10, 1;
	if (!quoted && e.logic && e.ops + e.calls && !e.dangling &&
	    (e.stop == 0 || e.stop == T_COMMENT || e.stop == T_SEMI))
		return *rule = 1, 1;
	return 0;
}

/* Token i names a function of the SQL list. */
static int wsg_sqli_listed(const struct wsg_sq *q, size_t i)
{
	return wsg_in_list(wsg_sqli_funcs, q->s + q->t[i].off, q->t[i].len) >= 0;
}

/*
 * The column list of a SELECT from i (walked into *e) ends in a bare alias: "select 1
 * foobar from dual", "select @version foo -- junk".
 */
static int wsg_sqli_alias(const struct wsg_sq *q, size_t i, const struct wsg_expr *e)
{
	size_t a = e->end;

	if (e->stop != -1 || e->dangling || !(e->calls || e->lits) || wsg_ty(q, a) != T_WORD ||
	    q->s[q->t[a].off] == '`')
		return 0;
	if (wsg_is(q, a + 1, K_FROM))
		return wsg_ty(q, a + 2) == T_WORD || wsg_ty(q, a + 2) == T_LP;
	return wsg_ty(q, a + 1) == T_COMMENT && a + 2 == q->n &&
	       (wsg_ty(q, i) == T_VAR || wsg_ty(q, i) == T_FUNC);
}

/*
 * SELECT at i: [ALL|DISTINCT|TOP n] a column list of SQL values (numbers, calls, variables,
 * '*'), then the end, a clause or FROM and a table. A subquery (paren before it) may list
 * bare column names when FROM follows.
 */
static int wsg_sqli_select(const struct wsg_sq *q, size_t i)
{
	int sub = i && q->t[i - 1].type == T_LP;

	struct wsg_expr e;

	if (!wsg_is(q, i, K_SELECT))
		return 0;
	i++;
	if (wsg_is(q, i, K_ALL) || wsg_is(q, i, K_DISTINCT))
		i++;
	if (wsg_ty(q, i) == T_WORD && q->t[i].len == 3 && !memcmp(q->s + q->t[i].off, "top", 3) &&
	    wsg_ty(q, i + 1) == T_NUM)
		i += 2;
	wsg_sqli_expr(q, i, 1, &e);
	/*
	 * "select concat(0x71,(select (case", "select char(": a subquery or a call of a SQL
	 * function cut where the payload ends
	 */
	if (e.stop == 0 && e.dangling && ((e.selects && e.calls + e.lits) ||
					  (wsg_ty(q, i) == T_FUNC && !e.words &&
					   wsg_sqli_listed(q, i))))
		return 1;
	if (wsg_sqli_alias(q, i, &e))
		return 1;
	if (e.stop == -1 || e.end == i || (e.dangling && e.stop != T_KW))
		return 0;
	/* "select 'and'": one string alone is a value, not a query */
	if (e.stop == 0 && !sub && e.lits == 1 && !e.calls && !e.ops && wsg_ty(q, i) == T_STR)
		return 0;
	if (e.stop == T_KW && wsg_is(q, e.end, K_FROM) &&
	    (e.calls || e.lits || sub || wsg_ty(q, i) == T_OP))
		return wsg_ty(q, e.end + 1) == T_WORD || wsg_ty(q, e.end + 1) == T_LP;
	if (!e.calls && !e.lits && !(e.end > i && wsg_ty(q, i) == T_OP))
		return 0;
	return e.stop != T_KW || wsg_sqli_clause(wsg_kw(q, e.end));
}

/*
 * The whole value is an always-true comparison of two numbers: "1=1", "42<=>42", "11!=1".
 */
static int wsg_sqli_num_taut(const struct wsg_sq *q)
{
	const struct wsg_tok *a = &q->t[0], *op = &q->t[1], *b = &q->t[2];
	const char *o = q->s + op->off;
	int same;

	if (q->n != 3 || a->type != T_NUM || op->type != T_OP || b->type != T_NUM)
		return 0;
	same = a->len == b->len && !memcmp(q->s + a->off, q->s + b->off, a->len);
	if (op->len == 1 && o[0] == '=')
		return same;
	if (op->len == 3 && !memcmp(o, "<=>", 3))
		return same;
	return op->len == 2 && (!memcmp(o, "!=", 2) || !memcmp(o, "<>", 2)) && !same;
}

/* The text opens with a statement or a subquery: [(...] SELECT ..., HAVING ..., LIMIT n. */
static int wsg_sqli_leading(const struct wsg_sq *q, int *rule)
{
	size_t i = 0;

	while (wsg_ty(q, i) == T_LP)
		i++;
	if (wsg_sqli_select(q, i))
		return *rule = 11, 1;
	if (i == 0 && (wsg_sqli_lone_stmt(q) || wsg_sqli_values(q)))
		return *rule = 4, 1;
	if (wsg_sqli_num_taut(q))
		return *rule = 7, 1;
	if (i == 0 && (wsg_is(q, 0, K_HAVING) || wsg_is(q, 0, K_LIMIT)) &&
	    wsg_sqli_tail_clause(q, 0, rule))
		return 1;
	return 0;
}

/* "in (1,2)", "in ( select ... )": a value that opens with an IN list, completed. */
static int wsg_sqli_in_list(const struct wsg_sq *q, size_t i)
{
	struct wsg_expr e;

	if (wsg_ty(q, i) != T_OP || q->t[i].len != 2 || memcmp(q->s + q->t[i].off, "in", 2) ||
	    wsg_ty(q, i + 1) != T_LP)
		return 0;
	if (wsg_is(q, i + 2, K_SELECT) && (wsg_sqli_select(q, i + 2) || wsg_sqli_star(q, i + 3)))
		return 1;
	wsg_sqli_expr(q, i + 1, 1, &e);
	return e.stop != -1 && !e.dangling && (e.lits || e.selects) && (!e.words || e.selects) &&
	       (e.stop == 0 || e.stop == T_COMMENT) && wsg_ty(q, e.end - 1) == T_RP;
}

/*
 * The value opens with a quoted literal compared to another ("'1' not regexp '2'",
 * "'1001'='10"): operators and literals only, up to the end or a comment.
 */
static int wsg_sqli_str_cmp(const struct wsg_sq *q, size_t b, int *rule)
{
	struct wsg_expr e;

	wsg_sqli_expr(q, b, 1, &e);
	if (e.stop == -1 || e.words || !e.cmps || (e.dangling && !e.open))
		return 0;
	if (e.stop == T_COMMENT || e.open || (e.stop == 0 && wsg_ty(q, e.end - 1) == T_STR))
		return *rule = 1, 1;
	return 0;
}

/* A comment token with nothing but its introducer (dashes, a hash, slash-star) and blanks. */
static int wsg_sqli_bare_comment(const struct wsg_sq *q, size_t i)
{
	const struct wsg_tok *t = &q->t[i];
	size_t k = q->s[t->off] == '#' ? 1 : 2;

	while (k < t->len && (wsg_is_space((unsigned char)q->s[t->off + k]) ||
			      q->s[t->off + k] == '-'))
		k++;
	return k >= t->len;
}

/*
 * The value opens with an expression (a number, variable, call, parenthesis, or a column
 * name and a boolean operator), as a numeric parameter would take it, that reads as SQL to
 * its end, a comment or a clause: "1 or 1=1", "-1 union", "pi() && cos(pi())=-1",
 * "( ( 1 ) ) --", "or x=y-- ".
 */
static int wsg_sqli_lead(const struct wsg_sq *q, size_t from, int *rule)
{
	struct wsg_expr e;
	size_t b = from, k;
	int ty, logic0 = 0;

	while (wsg_ty(q, b) == T_LP)
		b++;
	k = b;
	if (wsg_ty(q, k) == T_OP && q->t[k].len == 1 && strchr("-+!~", q->s[q->t[k].off]))
		k++;
	ty = wsg_ty(q, k);
	if (b == from && ty == T_LOGIC && wsg_kw(q, b) != K_NOT) {
		logic0 = 1;
		b++;
	} else if (b == from && wsg_sqli_in_list(q, b)) {
		return *rule = 1, 1;
	} else if (b == from && ty == T_STR && q->t[b].closed) {
		return wsg_sqli_str_cmp(q, b, rule);
	} else if (!(ty == T_NUM || ty == T_VAR || ty == T_FUNC || wsg_is(q, k, K_TRUE) ||
		     wsg_is(q, k, K_FALSE) || wsg_is(q, k, K_NULL) || b > from ||
		     (ty == T_WORD && wsg_ty(q, k + 1) == T_LOGIC))) {
		return 0;
	}
	wsg_sqli_expr(q, b, 1, &e);
	/* "21 update t set ...", "1 select * from ...": a statement glued to a number */
	if (e.stop == -1 && e.end == k + 1 && wsg_ty(q, k) == T_NUM && wsg_ty(q, e.end) == T_KW &&
	    wsg_sqli_stacked(q, k))
		return *rule = 4, 1;
	if (e.stop == -1)
		return 0;
	if (e.stop == T_KW && !e.dangling) {
		int kw = wsg_kw(q, e.end), nx = wsg_ty(q, e.end + 1);

		if (wsg_sqli_tail_clause(q, e.end, rule))
			return 1;
		/* "-1 union", "-1 union --", "-6374 union 1,2,3--" */
		if (kw == K_UNION && (nx == 0 || nx == T_COMMENT || nx == T_LP || nx == T_NUM ||
				      nx == T_OP || wsg_is(q, e.end + 1, K_ALL)) && e.lits)
			return *rule = 0, 1;
		return 0;
	}
	if (e.stop == T_SEMI && wsg_sqli_stacked(q, e.end))
		return *rule = 4, 1;
	/* "and 1=(", "or 1='": a condition the application's next bytes complete */
	if (logic0 && e.cmps && (e.dangling || e.open) && e.stop == 0 && e.end > b + 1)
		return *rule = 1, 1;
	/* "1='1' or-- -": a condition whose operand a comment cut off */
	if (e.dangling && e.stop == T_COMMENT && e.cmps && q->t[e.end - 1].type == T_LOGIC &&
	    wsg_sqli_bare_comment(q, e.end))
		return *rule = 1, 1;
	if (e.dangling)
		return 0;
	if ((e.logic || logic0) && e.cmps + e.calls && (e.lits + e.calls || e.stop == T_COMMENT))
		return *rule = 1, 1;
	if (b > from && !logic0 && e.stop == T_COMMENT && e.lits + e.calls + e.ops + e.selects &&
	    wsg_sqli_bare_comment(q, e.end))
		return *rule = 1, 1;
	/* "1--", "@version --", "1 * 1#": a number cut short by a comment */
	if (e.stop == T_COMMENT && (ty == T_NUM || ty == T_VAR) && !e.calls && !e.logic &&
	    !e.words && !e.commas &&
	    e.end == q->n - 1 && wsg_sqli_bare_comment(q, e.end))
		return *rule = 2, 1;
	return 0;
}

static int wsg_sqli_ctx(const char *s, size_t len, char ctx, int raw, struct wsg_toks *tk,
			int *rule, size_t *at)
{
	struct wsg_sq q = { s, len, tk->t, 0 };
	size_t b = 0;

	wsg_sqli_lex(s, len, ctx, raw, tk);
	q.n = tk->n;
	if (ctx) {
		/* The text must close the literal for this context to mean anything. */
		if (!q.n || !q.t[0].closed)
			return 0;
		*at = q.t[0].off + q.t[0].len;
		if (wsg_sqli_after_break(&q, 0, 1, rule) || wsg_sqli_break_expr(&q, 0, 1, rule))
			return 1;
		return wsg_sqli_anywhere(&q, 1, rule, at);
	}
	*at = 0;
	if (wsg_sqli_leading(&q, rule) || wsg_sqli_lead(&q, 0, rule) ||
	    wsg_sqli_func_opener(&q, rule))
		return 1;
	/* a form field "name=" before the value: "pay=or 1=1", "pay= set @old_sql_notes" */
	if (wsg_ty(&q, 0) == T_WORD && wsg_ty(&q, 1) == T_OP && q.t[1].len == 1 &&
	    s[q.t[1].off] == '=' && wsg_sqli_lead(&q, 2, rule))
		return 1;
	if (wsg_ty(&q, 0) == T_WORD && wsg_ty(&q, 1) == T_OP && q.t[1].len == 1 &&
	    s[q.t[1].off] == '=' && (wsg_is(&q, 2, K_SET) || wsg_is(&q, 2, K_DECLARE)) &&
	    wsg_sqli_stmt(&q, 2))
		return *rule = 4, 1;
	if (wsg_sqli_lone_op(&q))
		return *rule = 1, 1;
	/* As is: a leading number ("1 or 1=1", "-1 union select"), then anywhere rules. */
	while (wsg_ty(&q, b) == T_LP)
		b++;
	if (wsg_ty(&q, b) == T_OP && q.t[b].len == 1 && s[q.t[b].off] == '-')
		b++;
	if (wsg_ty(&q, b) == T_NUM) {
		*at = q.t[b].off;
		if (wsg_sqli_after_break(&q, b, 0, rule) || wsg_sqli_break_expr(&q, b, 0, rule))
			return 1;
	}
	if (wsg_ty(&q, 0) == T_RP || ((wsg_is(&q, 0, K_ORDER) || wsg_is(&q, 0, K_GROUP)) &&
				      wsg_is(&q, 1, K_BY) && wsg_ty(&q, 2) == T_NUM)) {
		*at = 0;
		if (wsg_ty(&q, 0) != T_RP)
			return *rule = 8, 1;
		if (wsg_sqli_after_break(&q, 0, 0, rule))
			return 1;
	}
	return wsg_sqli_anywhere(&q, 0, rule, at);
}

/* Every context of s: as is, then continuing a '- or "-quoted literal (escaped, raw). */
static int wsg_sqli_contexts(const char *s, size_t len, struct wsg_toks *tk, int *rule,
			     size_t *at)
{
	static const char ctxs[] = { 0, '\'', '"', '\'', '"' };

	for (size_t c = 0; c < sizeof(ctxs); c++) {
		const char *e = ctxs[c] ? memchr(s, ctxs[c], len) : NULL;
		int raw = c >= 3;

		/* the raw contexts only differ when a backslash precedes the first quote */
		if (ctxs[c] && (!e || (raw && (e == s || e[-1] != '\\'))))
			continue;
		if (wsg_sqli_ctx(s, len, ctxs[c], raw, tk, rule, at))
			return 1;
	}
	return 0;
}

/*
 * s with the typographic quotes U+2018, U+2019 and U+2032 as "'" and an en dash (U+2013)
 * that ends the text as "--", each padded to its three bytes so offsets hold: a best-fit
 * charset conversion on the way to the database makes them so. 0 if there were none.
 */
static int wsg_sqli_fold_typo(const char *s, size_t len, char *out)
{
	int n = 0;

	memcpy(out, s, len);
	for (size_t i = 0; i + 2 < len; i++) {
		unsigned char c = (unsigned char)s[i + 2];

		if ((unsigned char)s[i] != 0xe2 || (unsigned char)s[i + 1] != 0x80)
			continue;
		if (c == 0x98 || c == 0x99 || c == 0xb2)
			memcpy(out + i, "'  ", 3);
		else if (c == 0x93 && wsg_skip_space(s, len, i + 3) == len)
			memcpy(out + i, "-- ", 3);
		else
			continue;
		n++;
		i += 2;
	}
	return n;
}

#define WSG_SQLI_STACK_TOKS 256

int wsg_detect_sqli(const struct wsg_text *t, struct wsg_hit *h)
{
	struct wsg_tok stack[WSG_SQLI_STACK_TOKS];
	struct wsg_toks tk = { stack, 0, WSG_SQLI_STACK_TOKS };
	int rule = -1, found;
	size_t at = 0;

	if (t->len + 2 > WSG_SQLI_STACK_TOKS) {
		tk.cap = t->len + 2;
		tk.t = malloc(tk.cap * sizeof(*tk.t));
		if (!tk.t)
			return 0;
	}
	found = wsg_sqli_contexts(t->s, t->len, &tk, &rule, &at);
	if (!found && memmem(t->s, t->len, "\xe2\x80", 2)) {
		char *f = malloc(t->len + 1);

		if (f && wsg_sqli_fold_typo(t->s, t->len, f)) {
			f[t->len] = 0;
			found = wsg_sqli_contexts(f, t->len, &tk, &rule, &at);
		}
		free(f);
	}
	if (tk.t != stack)
		free(tk.t);
	if (!found)
		return 0;
	return wsg_rule_hit(h, wsg_sqli_rules[rule], at);
}
