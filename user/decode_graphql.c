// SPDX-License-Identifier: GPL-2.0-only
/*
 * GraphQL documents (decode.h): recognise an executable document in a "query" string and
 * pull out its string literals, which a resolver receives as argument values just like
 * variables. A lexer only: no parse tree, linear passes, bounded by the literal count.
 */
#include <string.h>
#include "decode.h"

static int wsg_gql_name(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Skip GraphQL's ignored tokens: white space, line terminators, commas, comments. */
static size_t wsg_gql_ignored(const char *s, size_t len, size_t i)
{
	while (i < len) {
		char c = s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
			i++;
		} else if (c == '#') {
			while (i < len && s[i] != '\n' && s[i] != '\r')
				i++;
		} else {
			break;
		}
	}
	return i;
}

/* Bytes a GraphQL document may hold outside strings and comments. */
static int wsg_gql_token_byte(char c)
{
	return wsg_gql_name(c) || (c && strchr(" \t\n\r,!$&().:=@[]{|}-+", c));
}

static size_t wsg_gql_block(const char *s, size_t len, size_t i, char *out, size_t *n);
static size_t wsg_gql_string(const char *s, size_t len, size_t i, char *out, size_t *n);

int wsg_gql_is_document(const char *s, size_t len)
{
	static const char *const kw[] = { "query", "mutation", "subscription", "fragment" };
	size_t i = wsg_gql_ignored(s, len, 0), n;
	int start = i < len && s[i] == '{';

	for (size_t k = 0; k < sizeof(kw) / sizeof(kw[0]) && !start; k++) {
		n = strlen(kw[k]);
		start = len - i > n && !memcmp(s + i, kw[k], n) && !wsg_gql_name(s[i + n]);
	}
	if (!start || !memchr(s + i, '{', len - i))
		return 0;
	/* lexically GraphQL: outside literals and comments only names, numbers, punctuators */
	while (i < len) {
		if (s[i] == '#') {
			i = wsg_gql_ignored(s, len, i);
		} else if (s[i] == '"') {
			if (len - i >= 3 && !memcmp(s + i, "\"\"\"", 3))
				i = wsg_gql_block(s, len, i + 3, NULL, &n);
			else
				i = wsg_gql_string(s, len, i + 1, NULL, &n);
		} else if (wsg_gql_token_byte(s[i])) {
			i++;
		} else {
			return 0;
		}
	}
	return 1;
}

/* A block string after its opening quotes at s[i]: decoded into out; returns the end. */
static size_t wsg_gql_block(const char *s, size_t len, size_t i, char *out, size_t *n)
{
	size_t o = 0;

	while (i < len) {
		if (len - i >= 3 && !memcmp(s + i, "\"\"\"", 3)) {
			*n = o;
			return i + 3;
		}
		if (len - i >= 4 && !memcmp(s + i, "\\\"\"\"", 4)) {
			if (out)
				memcpy(out + o, "\"\"\"", 3);
			o += 3;
			i += 4;
			continue;
		}
		if (out)
			out[o] = s[i];
		o++;
		i++;
	}
	*n = o;
	return i;
}

/*
 * A quoted string after its opening quote at s[i]: simple escapes decoded, \u escapes left
 * for normalisation (which decodes them the same way); ends at the quote or the line end.
 */
static size_t wsg_gql_string(const char *s, size_t len, size_t i, char *out, size_t *n)
{
	size_t o = 0;

	while (i < len && s[i] != '"' && s[i] != '\n' && s[i] != '\r') {
		char c = s[i++], d;

		if (c != '\\' || i >= len) {
			if (out)
				out[o] = c;
			o++;
			continue;
		}
		d = s[i];
		switch (d) {
		case '"': case '\\': case '/': c = d; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		default:
			/* \u and invalid escapes stay as they are */
			if (out)
				out[o] = c;
			o++;
			continue;
		}
		if (out)
			out[o] = c;
		o++;
		i++;
	}
	*n = o;
	return i < len && s[i] == '"' ? i + 1 : i;
}

int wsg_gql_literals(const char *s, size_t len, char *out, wsg_gql_lit_fn fn, void *ctx)
{
	unsigned idx = 0;
	size_t i = 0, n;

	while (i < len) {
		if (s[i] == '#') {
			i = wsg_gql_ignored(s, len, i);
			continue;
		}
		if (s[i] != '"') {
			i++;
			continue;
		}
		if (len - i >= 3 && !memcmp(s + i, "\"\"\"", 3))
			i = wsg_gql_block(s, len, i + 3, out, &n);
		else
			i = wsg_gql_string(s, len, i + 1, out, &n);
		out[n] = 0;
		if (!n)
			continue;
		if (idx >= WSG_GQL_MAX_LITERALS)
			return -1;
		if (fn(ctx, idx++, out, n))
			return 1;
	}
	return 0;
}
