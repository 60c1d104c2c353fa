// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON walker (decode.h): a strict RFC 8259 recursive-descent reader that builds no tree.
 * It decodes every string (keys too) into one scratch buffer and hands it on with its path,
 * and enforces depth, node and decoded-byte bounds before doing any work past them. It is
 * written here rather than using cJSON so \u0000 cannot truncate a string and nothing is
 * allocated per node.
 */
#include <stdio.h>
#include <string.h>
#include "decode.h"
#include "normalize.h"

struct wsg_jp {
	struct wsg_walk *w;
	const char *p, *end;
	int depth;
};

static void wsg_jp_ws(struct wsg_jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int wsg_hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (c | 0x20) - 'a' + 10;
		else
			return -1;
	}
	return v;
}

/* A \u escape at p (after the backslash-u); returns input bytes used after "\u", or 0. */
static size_t wsg_jp_uesc(const char *p, const char *end, char *out, size_t *olen)
{
	int hi, lo;
	unsigned int cp;

	if (end - p < 4 || (hi = wsg_hex4(p)) < 0)
		return 0;
	cp = (unsigned int)hi;
	if (hi >= 0xd800 && hi < 0xdc00 && end - p >= 10 && p[4] == '\\' && p[5] == 'u' &&
	    (lo = wsg_hex4(p + 6)) >= 0xdc00 && lo < 0xe000) {
		cp = 0x10000 + ((unsigned int)(hi - 0xd800) << 10) + (unsigned int)(lo - 0xdc00);
		*olen = wsg_utf8_put(cp, out);
		return 10;
	}
	/* A decoded NUL is removed (normalisation), never a terminator. */
	*olen = cp ? wsg_utf8_put(cp, out) : 0;
	return 4;
}

/* Decode the string literal at j->p (on the opening quote) into scratch; -1 on bad syntax. */
static long wsg_jp_string(struct wsg_jp *j, char *out)
{
	size_t o = 0;

	j->p++;
	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p;
		size_t olen = 0, used;

		if (c == '"') {
			j->p++;
			out[o] = 0;
			return (long)o;
		}
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			const char *q = j->p;

			while (q < j->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
				q++;
			memcpy(out + o, j->p, (size_t)(q - j->p));
			o += (size_t)(q - j->p);
			j->p = q;
			continue;
		}
		if (j->end - j->p < 2)
			return -1;
		switch (j->p[1]) {
		case '"': case '\\': case '/':
			out[o++] = j->p[1];
			break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			used = wsg_jp_uesc(j->p + 2, j->end, out + o, &olen);
			if (!used)
				return -1;
			o += olen;
			j->p += used;
			break;
		default:
			return -1;
		}
		j->p += 2;
	}
	return -1;
}

/* Append a path step; a step that does not fit is replaced by "~" once. */
size_t wsg_path_push(struct wsg_walk *w, const char *step, size_t n)
{
	size_t old = w->plen;

	if (w->plen + n + 1 < sizeof(w->path)) {
		memcpy(w->path + w->plen, step, n);
		w->plen += n;
	} else if (w->plen + 2 < sizeof(w->path) && w->path[w->plen - 1] != '~') {
		w->path[w->plen++] = '~';
	}
	w->path[w->plen] = 0;
	return old;
}

void wsg_path_pop(struct wsg_walk *w, size_t old)
{
	w->plen = old;
	w->path[old] = 0;
}

size_t wsg_path_push_key(struct wsg_walk *w, const char *k, size_t n)
{
	char step[WSG_PATH_MAX];
	size_t o = 0, i;
	int plain = n > 0 && n < 48;

	for (i = 0; i < n && plain; i++) {
		unsigned char c = (unsigned char)k[i];

		plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
			(i && c >= '0' && c <= '9');
	}
	if (plain) {
		step[o++] = '.';
		memcpy(step + o, k, n);
		o += n;
	} else {
		memcpy(step, "[\"", 2);
		o = 2;
		for (i = 0; i < n && o < 40; i++)
			step[o++] = ((unsigned char)k[i] >= 0x20 && k[i] != '"' && k[i] != '\\' &&
				     (unsigned char)k[i] < 0x7f) ? k[i] : '?';
		memcpy(step + o, "\"]", 2);
		o += 2;
	}
	return wsg_path_push(w, step, o);
}

size_t wsg_path_push_idx(struct wsg_walk *w, unsigned idx)
{
	char step[16];
	int n = snprintf(step, sizeof(step), "[%u]", idx);

	return wsg_path_push(w, step, (size_t)n);
}

/* The root step is at most half the path, so children always get room. */
void wsg_path_root(struct wsg_walk *w, const char *root)
{
	size_t n = root ? strnlen(root, WSG_PATH_MAX / 2) : 1;

	memcpy(w->path, root ? root : "$", n);
	w->plen = n;
	w->path[n] = 0;
}

static enum wsg_walk_res wsg_jp_value(struct wsg_jp *j);

/* Hand the decoded string in scratch to the callback, within the byte bound. */
static enum wsg_walk_res wsg_jp_deliver(struct wsg_walk *w, size_t n)
{
	w->bytes += n;
	if (w->bytes > w->max_bytes)
		return WSG_WALK_BYTES;
	if (w->leaf && w->leaf(w->ctx, w->path, w->scratch, n, 1))
		return WSG_WALK_STOP;
	return WSG_WALK_OK;
}

static enum wsg_walk_res wsg_jp_leaf(struct wsg_jp *j)
{
	long n = wsg_jp_string(j, j->w->scratch);

	if (n < 0)
		return WSG_WALK_SYNTAX;
	return wsg_jp_deliver(j->w, (size_t)n);
}

static enum wsg_walk_res wsg_jp_object(struct wsg_jp *j)
{
	struct wsg_walk *w = j->w;
	enum wsg_walk_res r;
	int first = 1, klen, query;

	j->p++;
	for (;;) {
		size_t old;
		char *key = w->scratch;

		wsg_jp_ws(j);
		if (j->p < j->end && *j->p == '}' && first) {
			j->p++;
			return WSG_WALK_OK;
		}
		if (j->p >= j->end || *j->p != '"')
			return WSG_WALK_SYNTAX;
		/* The key is a leaf too, reported at the member's path. */
		klen = (int)wsg_jp_string(j, key);
		if (klen < 0)
			return WSG_WALK_SYNTAX;
		query = klen == 5 && !memcmp(key, "query", 5);
		old = wsg_path_push_key(w, key, (size_t)klen);
		r = wsg_jp_deliver(w, (size_t)klen);
		if (r) {
			wsg_path_pop(w, old);
			return r;
		}
		wsg_jp_ws(j);
		if (j->p >= j->end || *j->p != ':') {
			wsg_path_pop(w, old);
			return WSG_WALK_SYNTAX;
		}
		j->p++;
		w->query = query;
		r = wsg_jp_value(j);
		w->query = 0;
		wsg_path_pop(w, old);
		if (r)
			return r;
		wsg_jp_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			first = 0;
			continue;
		}
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			return WSG_WALK_OK;
		}
		return WSG_WALK_SYNTAX;
	}
}

static enum wsg_walk_res wsg_jp_array(struct wsg_jp *j)
{
	struct wsg_walk *w = j->w;
	enum wsg_walk_res r;
	unsigned idx = 0;

	j->p++;
	wsg_jp_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return WSG_WALK_OK;
	}
	for (;;) {
		size_t old = wsg_path_push_idx(w, idx++);

		r = wsg_jp_value(j);
		wsg_path_pop(w, old);
		if (r)
			return r;
		wsg_jp_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			return WSG_WALK_OK;
		}
		return WSG_WALK_SYNTAX;
	}
}

static int wsg_jp_digits(struct wsg_jp *j)
{
	const char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s;
}

static enum wsg_walk_res wsg_jp_number(struct wsg_jp *j)
{
	if (*j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (!wsg_jp_digits(j))
		return WSG_WALK_SYNTAX;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!wsg_jp_digits(j))
			return WSG_WALK_SYNTAX;
	}
	if (j->p < j->end && (*j->p | 0x20) == 'e') {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!wsg_jp_digits(j))
			return WSG_WALK_SYNTAX;
	}
	return WSG_WALK_OK;
}

static enum wsg_walk_res wsg_jp_literal(struct wsg_jp *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return WSG_WALK_SYNTAX;
	j->p += n;
	return WSG_WALK_OK;
}

static enum wsg_walk_res wsg_jp_value(struct wsg_jp *j)
{
	enum wsg_walk_res r;

	wsg_jp_ws(j);
	if (j->p >= j->end)
		return WSG_WALK_SYNTAX;
	if (++j->w->nodes > WSG_JSON_MAX_NODES)
		return WSG_WALK_NODES;
	switch (*j->p) {
	case '{':
	case '[':
		j->w->query = 0; /* only a string member is a document's place */
		if (++j->depth > WSG_JSON_MAX_DEPTH)
			return WSG_WALK_DEPTH;
		r = *j->p == '{' ? wsg_jp_object(j) : wsg_jp_array(j);
		j->depth--;
		return r;
	case '"':
		return wsg_jp_leaf(j);
	case 't':
		return wsg_jp_literal(j, "true");
	case 'f':
		return wsg_jp_literal(j, "false");
	case 'n':
		return wsg_jp_literal(j, "null");
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			return wsg_jp_number(j);
		return WSG_WALK_SYNTAX;
	}
}

enum wsg_walk_res wsg_json_walk(struct wsg_walk *w, const char *p, size_t len)
{
	w->bytes = 0;
	w->nodes = 0;
	return wsg_json_walk_more(w, NULL, p, len);
}

enum wsg_walk_res wsg_json_walk_more(struct wsg_walk *w, const char *root, const char *p,
				     size_t len)
{
	struct wsg_jp j = { .w = w, .p = p, .end = p + len };
	enum wsg_walk_res r;

	wsg_path_root(w, root);
	r = wsg_jp_value(&j);
	if (r)
		return r;
	wsg_jp_ws(&j);
	return j.p == j.end ? WSG_WALK_OK : WSG_WALK_SYNTAX;
}
