/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * How the prefilter reads a text message on a GraphQL connection (profile WSG_PF_GRAPHQL,
 * set when the handshake offers graphql-transport-ws or graphql-ws): the message is checked
 * to be strict JSON byte by byte, and in the value of every member named exactly "query"
 * the text of the GraphQL document outside its string literals is skipped, because the
 * daemon never inspects it (user/inspect.c, wsg_inspect_json_leaf: a document's names and
 * punctuation are no values; its literals are). Shared by the BPF program and wsguard scan.
 *
 * Soundness: the daemon reads a "query" member as a document only when the whole message is
 * valid JSON (else it inspects the raw text) and the string is a lexically valid document
 * that starts with '{' or a keyword (decode_graphql.c). The reader answers WSG_GQ_HOLD at
 * anything it cannot follow exactly: invalid JSON (at the byte, or at the message end), a
 * document that starts otherwise, has a byte no GraphQL token has, a comment, no '{', or a
 * literal it cannot delimit as the daemon's lexer does (an empty one: "" or a block string;
 * a GraphQL escape, "\\" in the JSON; a line end, "\n" "\r"; any \u escape). Everything
 * else but the skipped document text is fed to the prefilter as on any connection, so it
 * can only hold more than the daemon's reading needs, never less.
 */
#ifndef WSG_PF_GQL_H
#define WSG_PF_GQL_H

#include "wsg_types.h"

/* What a byte is to the prefilter (wsg_gq_byte). */
enum { WSG_GQ_FEED, WSG_GQ_SKIP, WSG_GQ_HOLD };

/* Where the reader is (wsg_gq.st). */
enum wsg_gq_st {
	WSG_GQ_OFF,		/* not a GraphQL connection's text message */
	WSG_GQ_VALUE,		/* a value is due */
	WSG_GQ_ARR0,		/* after '[': a value or ']' */
	WSG_GQ_KEY0,		/* after '{': a key or '}' */
	WSG_GQ_KEY,		/* after ',' in an object: a key */
	WSG_GQ_COLON,		/* after a key */
	WSG_GQ_AFTER,		/* after a value: ',' or the close, or (outermost) the end */
	WSG_GQ_STR,		/* in a string */
	WSG_GQ_ESC,		/* after a backslash in it */
	WSG_GQ_HEX,		/* in a \u escape: sub digits read */
	WSG_GQ_NUM,		/* in a number: sub is the part, WSG_GQ_N_* */
	WSG_GQ_WORD,		/* in true, false or null: tok holds the bytes still due */
	WSG_GQ_DOC,		/* in a document, outside its literals: sub is WSG_GQ_D_* */
	WSG_GQ_DOC_ESC,		/* after a backslash there */
	WSG_GQ_LIT,		/* in a document's string literal */
	WSG_GQ_LIT_ESC,		/* after a backslash there */
};

/* Number parts; the final ones may end the number. */
enum { WSG_GQ_N_MINUS, WSG_GQ_N_ZERO, WSG_GQ_N_INT, WSG_GQ_N_DOT, WSG_GQ_N_FRAC, WSG_GQ_N_E,
       WSG_GQ_N_SIGN, WSG_GQ_N_EXP };

/* A document's start: nothing yet, in its first name, started as the daemon requires. */
enum { WSG_GQ_D_NONE, WSG_GQ_D_NAME, WSG_GQ_D_OK };

#define WSG_GQ_F_KEY 1		/* the string being read is a key */
#define WSG_GQ_F_QUERY 2	/* the key read last is "query": its value may be a document */
#define WSG_GQ_F_BRACE 4	/* the document has a '{' */
#define WSG_GQ_MAX_DEPTH 63	/* containers the stack tracks */

/*
 * The document keywords as wsg_gq_name() codes them (base 27, a = 1): "query", "mutation",
 * "subscription", "fragment" (test_prefilter checks them).
 */
#define WSG_GQ_KW_QUERY 0x9039dcull
#define WSG_GQ_KW_MUTATION 0x219f684761ull
#define WSG_GQ_KW_SUBSCRIPTION 0x186adf7b8e01b1dull
#define WSG_GQ_KW_FRAGMENT 0x103da9d4a8ull
#define WSG_GQ_KW_NONE (~0ull)	/* a name no keyword has (a capital, digit or '_') */

struct wsg_gq {
	__u64 stack;		/* open containers, newest in bit 0: 1 an object, 0 an array */
	__u64 tok;		/* a literal's bytes still due, or the document's first name */
	__u8 st;		/* enum wsg_gq_st */
	__u8 sub;
	__u8 depth;
	__u8 flags;		/* WSG_GQ_F_* */
	__u8 key;		/* bytes of "query" the key matched so far, 0xff: not it */
	__u8 lit;		/* bytes in the current document literal (saturates) */
	__u8 feed;		/* kernel: the byte read last is still to be fed (wsg_scan_gql) */
	__u8 pad;
};

WSG_INLINE int wsg_gq_ws(__u8 b)
{
	return b == ' ' || b == '\t' || b == '\n' || b == '\r';
}

WSG_INLINE int wsg_gq_digit(__u8 b)
{
	return b >= '0' && b <= '9';
}

WSG_INLINE int wsg_gq_name(__u8 b)
{
	__u8 l = b | 0x20;

	return (l >= 'a' && l <= 'z') || wsg_gq_digit(b) || b == '_';
}

/* Punctuators and ignored bytes a document may hold outside literals and comments. */
WSG_INLINE int wsg_gq_punct(__u8 b)
{
	return b == ' ' || b == ',' || b == '!' || b == '$' || b == '&' || b == '(' || b == ')' ||
	       b == '.' || b == ':' || b == '=' || b == '@' || b == '[' || b == ']' || b == '{' ||
	       b == '|' || b == '}' || b == '-' || b == '+';
}

/* The next byte of a document's first name: its code (a lowercase word) or NONE. */
WSG_INLINE __u64 wsg_gq_code(__u64 tok, __u8 b)
{
	if (tok == WSG_GQ_KW_NONE || b < 'a' || b > 'z' || tok > WSG_GQ_KW_SUBSCRIPTION)
		return WSG_GQ_KW_NONE;
	return tok * 27 + (b - 'a' + 1);
}

WSG_INLINE int wsg_gq_keyword(__u64 tok)
{
	return tok == WSG_GQ_KW_QUERY || tok == WSG_GQ_KW_MUTATION ||
	       tok == WSG_GQ_KW_SUBSCRIPTION || tok == WSG_GQ_KW_FRAGMENT;
}

/* A value ended: after it, what its container allows. */
WSG_INLINE int wsg_gq_done(struct wsg_gq *g)
{
	g->st = WSG_GQ_AFTER;
	return WSG_GQ_FEED;
}

/* b (no white space) starts a value. */
WSG_INLINE int wsg_gq_value(struct wsg_gq *g, __u8 b)
{
	int query = g->flags & WSG_GQ_F_QUERY;

	g->flags &= ~WSG_GQ_F_QUERY;
	if (b == '{' || b == '[') {
		if (g->depth >= WSG_GQ_MAX_DEPTH)
			return WSG_GQ_HOLD;
		g->depth++;
		g->stack = g->stack << 1 | (b == '{');
		g->st = b == '{' ? WSG_GQ_KEY0 : WSG_GQ_ARR0;
		return WSG_GQ_FEED;
	}
	if (b == '"') {
		g->st = query ? WSG_GQ_DOC : WSG_GQ_STR;
		g->sub = WSG_GQ_D_NONE;
		g->tok = 0;
		g->flags &= ~WSG_GQ_F_BRACE;
		return WSG_GQ_FEED;
	}
	if (b == 't' || b == 'f' || b == 'n') {
		/* the bytes still due, the next in the low byte */
		g->tok = b == 't' ? 0x657572ull : b == 'f' ? 0x65736c61ull : 0x6c6c75ull;
		g->st = WSG_GQ_WORD;
		return WSG_GQ_FEED;
	}
	if (b == '-' || wsg_gq_digit(b)) {
		g->st = WSG_GQ_NUM;
		g->sub = b == '-' ? WSG_GQ_N_MINUS : b == '0' ? WSG_GQ_N_ZERO : WSG_GQ_N_INT;
		return WSG_GQ_FEED;
	}
	return WSG_GQ_HOLD;
}

/* After a value: a separator, the container's close, or at the outermost level nothing. */
WSG_INLINE int wsg_gq_after(struct wsg_gq *g, __u8 b)
{
	int obj = g->stack & 1;

	if (wsg_gq_ws(b))
		return WSG_GQ_FEED;
	if (!g->depth)
		return WSG_GQ_HOLD;
	if (b == ',') {
		g->st = obj ? WSG_GQ_KEY : WSG_GQ_VALUE;
		return WSG_GQ_FEED;
	}
	if (b != (obj ? '}' : ']'))
		return WSG_GQ_HOLD;
	g->depth--;
	g->stack >>= 1;
	return wsg_gq_done(g);
}

/* A number's byte; one that ends it goes on as the byte after the value. */
WSG_INLINE int wsg_gq_num(struct wsg_gq *g, __u8 b)
{
	__u8 p = g->sub, d = wsg_gq_digit(b);

	if (d && (p == WSG_GQ_N_MINUS || p == WSG_GQ_N_INT)) {
		g->sub = b == '0' && p == WSG_GQ_N_MINUS ? WSG_GQ_N_ZERO : WSG_GQ_N_INT;
		return WSG_GQ_FEED;
	}
	if (d && (p == WSG_GQ_N_DOT || p == WSG_GQ_N_FRAC)) {
		g->sub = WSG_GQ_N_FRAC;
		return WSG_GQ_FEED;
	}
	if (d && (p == WSG_GQ_N_E || p == WSG_GQ_N_SIGN || p == WSG_GQ_N_EXP)) {
		g->sub = WSG_GQ_N_EXP;
		return WSG_GQ_FEED;
	}
	if (b == '.' && (p == WSG_GQ_N_ZERO || p == WSG_GQ_N_INT)) {
		g->sub = WSG_GQ_N_DOT;
		return WSG_GQ_FEED;
	}
	if ((b | 0x20) == 'e' && (p == WSG_GQ_N_ZERO || p == WSG_GQ_N_INT || p == WSG_GQ_N_FRAC)) {
		g->sub = WSG_GQ_N_E;
		return WSG_GQ_FEED;
	}
	if ((b == '+' || b == '-') && p == WSG_GQ_N_E) {
		g->sub = WSG_GQ_N_SIGN;
		return WSG_GQ_FEED;
	}
	if (p != WSG_GQ_N_ZERO && p != WSG_GQ_N_INT && p != WSG_GQ_N_FRAC && p != WSG_GQ_N_EXP)
		return WSG_GQ_HOLD;
	g->st = WSG_GQ_AFTER;
	return wsg_gq_after(g, b);
}

/* A string's byte (not in an escape); a key is matched against "query" on the way. */
WSG_INLINE int wsg_gq_str(struct wsg_gq *g, __u8 b)
{
	if (b < 0x20)
		return WSG_GQ_HOLD;
	if (b == '\\') {
		g->st = WSG_GQ_ESC;
		g->key = 0xff; /* an escaped key is no plain "query" (held to the safe side) */
		return WSG_GQ_FEED;
	}
	if (b != '"') {
		if (g->key < 5 && b == (__u8)(0x7972657571ull >> (g->key * 8)))
			g->key++;
		else
			g->key = 0xff;
		return WSG_GQ_FEED;
	}
	if (!(g->flags & WSG_GQ_F_KEY))
		return wsg_gq_done(g);
	g->flags = (g->flags & ~WSG_GQ_F_KEY) | (g->key == 5 ? WSG_GQ_F_QUERY : 0);
	g->st = WSG_GQ_COLON;
	return WSG_GQ_FEED;
}

/* The first name of a document ended (at b): it must be a keyword. */
WSG_INLINE int wsg_gq_doc_start(struct wsg_gq *g)
{
	if (g->sub != WSG_GQ_D_NAME)
		return WSG_GQ_SKIP;
	if (!wsg_gq_keyword(g->tok))
		return WSG_GQ_HOLD;
	g->sub = WSG_GQ_D_OK;
	return WSG_GQ_SKIP;
}

/* The JSON string of a document ended: the daemon reads it as one only if it started right. */
WSG_INLINE int wsg_gq_doc_end(struct wsg_gq *g)
{
	if (g->sub != WSG_GQ_D_OK || !(g->flags & WSG_GQ_F_BRACE))
		return WSG_GQ_HOLD;
	return wsg_gq_done(g);
}

/* A document's byte outside literals: skipped, unless it ends the JSON string. */
WSG_INLINE int wsg_gq_doc(struct wsg_gq *g, __u8 b)
{
	if (b == '"')
		return wsg_gq_doc_end(g);
	if (b == '\\') {
		g->st = WSG_GQ_DOC_ESC;
		return WSG_GQ_SKIP;
	}
	if (wsg_gq_name(b)) {
		if (g->sub == WSG_GQ_D_NONE) {
			g->sub = WSG_GQ_D_NAME;
			g->tok = 0;
		}
		if (g->sub == WSG_GQ_D_NAME)
			g->tok = wsg_gq_code(g->tok, b);
		return WSG_GQ_SKIP;
	}
	if (!wsg_gq_punct(b))
		return WSG_GQ_HOLD;
	if (wsg_gq_doc_start(g) == WSG_GQ_HOLD)
		return WSG_GQ_HOLD;
	if (b == '{') {
		g->flags |= WSG_GQ_F_BRACE;
		g->sub = WSG_GQ_D_OK;
	} else if (g->sub == WSG_GQ_D_NONE && b != ' ' && b != ',') {
		return WSG_GQ_HOLD; /* punctuation before '{' or a keyword */
	}
	return WSG_GQ_SKIP;
}

/* "\X" in a document outside literals: white space, or the quote that opens a literal. */
WSG_INLINE int wsg_gq_doc_esc(struct wsg_gq *g, __u8 x)
{
	if (x != 'n' && x != 'r' && x != 't' && x != '"')
		return WSG_GQ_HOLD;
	if (wsg_gq_doc_start(g) == WSG_GQ_HOLD)
		return WSG_GQ_HOLD;
	if (x != '"') {
		g->st = WSG_GQ_DOC;
		return WSG_GQ_SKIP;
	}
	if (g->sub != WSG_GQ_D_OK)
		return WSG_GQ_HOLD; /* a literal before the document started */
	g->st = WSG_GQ_LIT;
	g->lit = 0;
	return WSG_GQ_FEED; /* the views see a bare quote: a delimiter, as around a value */
}

/* A literal's byte; its content is fed as on any connection. */
WSG_INLINE int wsg_gq_lit(struct wsg_gq *g, __u8 b)
{
	if (b < 0x20)
		return WSG_GQ_HOLD;
	if (b == '"') /* the JSON string ends in the literal: the lexer ends it there too */
		return wsg_gq_doc_end(g) == WSG_GQ_HOLD ? WSG_GQ_HOLD : WSG_GQ_FEED;
	if (b == '\\')
		g->st = WSG_GQ_LIT_ESC;
	else if (g->lit < 255)
		g->lit++;
	return WSG_GQ_FEED;
}

/* "\X" in a literal: its closing quote, or a JSON escape the lexer reads as one byte. */
WSG_INLINE int wsg_gq_lit_esc(struct wsg_gq *g, __u8 x)
{
	if (x == '"') {
		if (!g->lit)
			return WSG_GQ_HOLD; /* "" or the start of a block string */
		g->st = WSG_GQ_DOC;
		return WSG_GQ_FEED;
	}
	if (x != '/' && x != 'b' && x != 'f' && x != 't')
		return WSG_GQ_HOLD;
	g->st = WSG_GQ_LIT;
	g->lit += g->lit < 255;
	return WSG_GQ_FEED;
}

/* One raw byte of the message: WSG_GQ_FEED, WSG_GQ_SKIP or WSG_GQ_HOLD. */
WSG_INLINE int wsg_gq_byte(struct wsg_gq *g, __u8 b)
{
	switch (g->st) {
	case WSG_GQ_VALUE:
		return wsg_gq_ws(b) ? WSG_GQ_FEED : wsg_gq_value(g, b);
	case WSG_GQ_ARR0:
		if (b == ']') {
			g->st = WSG_GQ_AFTER;
			return wsg_gq_after(g, b);
		}
		return wsg_gq_ws(b) ? WSG_GQ_FEED : wsg_gq_value(g, b);
	case WSG_GQ_KEY0:
	case WSG_GQ_KEY:
		if (wsg_gq_ws(b))
			return WSG_GQ_FEED;
		if (b == '}' && g->st == WSG_GQ_KEY0)
			return wsg_gq_after(g, b);
		if (b != '"')
			return WSG_GQ_HOLD;
		g->st = WSG_GQ_STR;
		g->flags |= WSG_GQ_F_KEY;
		g->key = 0;
		return WSG_GQ_FEED;
	case WSG_GQ_COLON:
		if (wsg_gq_ws(b))
			return WSG_GQ_FEED;
		if (b != ':')
			return WSG_GQ_HOLD;
		g->st = WSG_GQ_VALUE;
		return WSG_GQ_FEED;
	case WSG_GQ_AFTER:
		return wsg_gq_after(g, b);
	case WSG_GQ_STR:
		return wsg_gq_str(g, b);
	case WSG_GQ_ESC:
		if (b == 'u') {
			g->st = WSG_GQ_HEX;
			g->sub = 0;
			return WSG_GQ_FEED;
		}
		if (b != '"' && b != '\\' && b != '/' && b != 'b' && b != 'f' && b != 'n' &&
		    b != 'r' && b != 't')
			return WSG_GQ_HOLD;
		g->st = WSG_GQ_STR;
		return WSG_GQ_FEED;
	case WSG_GQ_HEX:
		if (!wsg_gq_digit(b) && ((b | 0x20) < 'a' || (b | 0x20) > 'f'))
			return WSG_GQ_HOLD;
		if (++g->sub == 4)
			g->st = WSG_GQ_STR;
		return WSG_GQ_FEED;
	case WSG_GQ_NUM:
		return wsg_gq_num(g, b);
	case WSG_GQ_WORD:
		if (b != (__u8)g->tok)
			return WSG_GQ_HOLD;
		g->tok >>= 8;
		return g->tok ? WSG_GQ_FEED : wsg_gq_done(g);
	case WSG_GQ_DOC:
		return wsg_gq_doc(g, b);
	case WSG_GQ_DOC_ESC:
		return wsg_gq_doc_esc(g, b);
	case WSG_GQ_LIT:
		return wsg_gq_lit(g, b);
	case WSG_GQ_LIT_ESC:
		return wsg_gq_lit_esc(g, b);
	default:
		return WSG_GQ_HOLD;
	}
}

/* At the message end: 1 unless it was one whole JSON value (a number may end it). */
WSG_INLINE int wsg_gq_end(const struct wsg_gq *g)
{
	__u8 p = g->sub;

	if (g->st == WSG_GQ_OFF || (g->st == WSG_GQ_AFTER && !g->depth))
		return 0;
	return !(g->st == WSG_GQ_NUM && !g->depth &&
		 (p == WSG_GQ_N_ZERO || p == WSG_GQ_N_INT || p == WSG_GQ_N_FRAC || p == WSG_GQ_N_EXP));
}

#endif /* WSG_PF_GQL_H */
