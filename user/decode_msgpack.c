// SPDX-License-Identifier: GPL-2.0-only
/*
 * A bounded MessagePack reader (decode.h) for binary frames: SignalR's MessagePack hub
 * protocol and socket.io-msgpack-parser packets. Like the JSON walker it builds no tree: it
 * hands every string, bin payload and string map key to the leaf callback with its path and
 * shares the walker's depth, node and byte bounds. Container counts are checked against the
 * bytes left (every element takes at least one), so a forged count costs nothing.
 */
#include <string.h>
#include "decode.h"

struct wsg_mp {
	struct wsg_walk *w;
	const unsigned char *p, *end;
	int depth;
};

/* Big-endian unsigned of n bytes (1, 2, 4 or 8) at p, or -1 if the input ends first. */
static int wsg_mp_be(struct wsg_mp *m, int n, unsigned long long *v)
{
	if (m->end - m->p < n)
		return -1;
	*v = 0;
	for (int i = 0; i < n; i++)
		*v = *v << 8 | m->p[i];
	m->p += n;
	return 0;
}

static enum wsg_walk_res wsg_mp_skip(struct wsg_mp *m, unsigned long long n)
{
	if ((unsigned long long)(m->end - m->p) < n)
		return WSG_WALK_SYNTAX;
	m->p += n;
	return WSG_WALK_OK;
}

/* A string or bin of n bytes at m->p: copied into scratch (NUL-terminated) and delivered. */
static enum wsg_walk_res wsg_mp_str(struct wsg_mp *m, unsigned long long n)
{
	struct wsg_walk *w = m->w;

	if ((unsigned long long)(m->end - m->p) < n)
		return WSG_WALK_SYNTAX;
	w->bytes += n;
	if (w->bytes > w->max_bytes)
		return WSG_WALK_BYTES;
	if (!w->scratch) {
		m->p += n;
		return WSG_WALK_OK;
	}
	memcpy(w->scratch, m->p, n);
	w->scratch[n] = 0;
	m->p += n;
	if (w->leaf && w->leaf(w->ctx, w->path, w->scratch, n, 0))
		return WSG_WALK_STOP;
	return WSG_WALK_OK;
}

static enum wsg_walk_res wsg_mp_value(struct wsg_mp *m);

static enum wsg_walk_res wsg_mp_array(struct wsg_mp *m, unsigned long long n)
{
	if ((unsigned long long)(m->end - m->p) < n)
		return WSG_WALK_SYNTAX;
	for (unsigned long long i = 0; i < n; i++) {
		size_t old = wsg_path_push_idx(m->w, (unsigned)i);
		enum wsg_walk_res r = wsg_mp_value(m);

		wsg_path_pop(m->w, old);
		if (r)
			return r;
	}
	return WSG_WALK_OK;
}

/*
 * Length of the string at m->p if it is one (fixstr, str8/16/32) that fits in the input,
 * else -1; *hdr: bytes before its data. m->p is not moved.
 */
static long long wsg_mp_strlen(const struct wsg_mp *m, size_t *hdr)
{
	struct wsg_mp t = *m;
	unsigned long long v;
	unsigned char b;

	if (t.p >= t.end)
		return -1;
	b = *t.p++;
	if (b >= 0xa0 && b <= 0xbf)
		v = b & 0x1f;
	else if (b < 0xd9 || b > 0xdb || wsg_mp_be(&t, 1 << (b - 0xd9), &v))
		return -1;
	*hdr = (size_t)(t.p - m->p);
	return v > (unsigned long long)(t.end - t.p) ? -1 : (long long)v;
}

static enum wsg_walk_res wsg_mp_map(struct wsg_mp *m, unsigned long long n)
{
	struct wsg_walk *w = m->w;

	if ((unsigned long long)(m->end - m->p) / 2 < n)
		return WSG_WALK_SYNTAX;
	for (unsigned long long i = 0; i < n; i++) {
		enum wsg_walk_res r;
		size_t hdr, old;
		long long kl = wsg_mp_strlen(m, &hdr);
		int query = 0;

		if (kl >= 0) {
			/* a string key is a leaf at its member's path, as in JSON */
			query = kl == 5 && !memcmp(m->p + hdr, "query", 5);
			old = wsg_path_push_key(w, (const char *)m->p + hdr, (size_t)kl);
			m->p += hdr;
			r = ++w->nodes > WSG_JSON_MAX_NODES ? WSG_WALK_NODES :
							      wsg_mp_str(m, (unsigned long long)kl);
		} else {
			old = wsg_path_push(w, "[?]", 3);
			r = wsg_mp_value(m);
		}
		w->query = query;
		if (!r)
			r = wsg_mp_value(m);
		w->query = 0;
		wsg_path_pop(w, old);
		if (r)
			return r;
	}
	return WSG_WALK_OK;
}

static enum wsg_walk_res wsg_mp_container(struct wsg_mp *m, int map, unsigned long long n)
{
	enum wsg_walk_res r;

	m->w->query = 0; /* only a string member is a document's place */
	if (++m->depth > WSG_JSON_MAX_DEPTH)
		return WSG_WALK_DEPTH;
	r = map ? wsg_mp_map(m, n) : wsg_mp_array(m, n);
	m->depth--;
	return r;
}

static enum wsg_walk_res wsg_mp_value(struct wsg_mp *m)
{
	unsigned long long v;
	unsigned char b;

	if (m->p >= m->end)
		return WSG_WALK_SYNTAX;
	if (++m->w->nodes > WSG_JSON_MAX_NODES)
		return WSG_WALK_NODES;
	b = *m->p++;
	if (b <= 0x7f || b >= 0xe0 || (b >= 0xc0 && b <= 0xc3 && b != 0xc1))
		return WSG_WALK_OK;			/* fixint, nil, bool */
	if (b <= 0x8f)
		return wsg_mp_container(m, 1, b & 0x0f);
	if (b <= 0x9f)
		return wsg_mp_container(m, 0, b & 0x0f);
	if (b <= 0xbf)
		return wsg_mp_str(m, b & 0x1f);
	switch (b) {
	case 0xc4: case 0xc5: case 0xc6:		/* bin 8/16/32 */
		if (wsg_mp_be(m, 1 << (b - 0xc4), &v))
			return WSG_WALK_SYNTAX;
		return wsg_mp_str(m, v);
	case 0xc7: case 0xc8: case 0xc9:		/* ext 8/16/32: length, type, data */
		if (wsg_mp_be(m, 1 << (b - 0xc7), &v))
			return WSG_WALK_SYNTAX;
		return wsg_mp_skip(m, v + 1);
	case 0xca: return wsg_mp_skip(m, 4);		/* float 32 */
	case 0xcb: return wsg_mp_skip(m, 8);		/* float 64 */
	case 0xcc: case 0xcd: case 0xce: case 0xcf:	/* uint 8..64 */
		return wsg_mp_skip(m, 1ull << (b - 0xcc));
	case 0xd0: case 0xd1: case 0xd2: case 0xd3:	/* int 8..64 */
		return wsg_mp_skip(m, 1ull << (b - 0xd0));
	case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8: /* fixext 1..16 + type */
		return wsg_mp_skip(m, 1 + (1ull << (b - 0xd4)));
	case 0xd9: case 0xda: case 0xdb:		/* str 8/16/32 */
		if (wsg_mp_be(m, 1 << (b - 0xd9), &v))
			return WSG_WALK_SYNTAX;
		return wsg_mp_str(m, v);
	case 0xdc: case 0xdd:				/* array 16/32 */
		if (wsg_mp_be(m, 2 << (b - 0xdc), &v))
			return WSG_WALK_SYNTAX;
		return wsg_mp_container(m, 0, v);
	case 0xde: case 0xdf:				/* map 16/32 */
		if (wsg_mp_be(m, 2 << (b - 0xde), &v))
			return WSG_WALK_SYNTAX;
		return wsg_mp_container(m, 1, v);
	default:					/* 0xc1: never used */
		return WSG_WALK_SYNTAX;
	}
}

enum wsg_walk_res wsg_msgpack_walk_more(struct wsg_walk *w, const char *root,
					const unsigned char *p, size_t len, size_t *used)
{
	struct wsg_mp m = { .w = w, .p = p, .end = p + len };
	enum wsg_walk_res r;

	wsg_path_root(w, root);
	r = wsg_mp_value(&m);
	*used = (size_t)(m.p - p);
	return r;
}

int wsg_msgpack_is_doc(const unsigned char *p, size_t len)
{
	struct wsg_walk w = { .max_bytes = (size_t)-1 };
	size_t used;
	unsigned char b;

	if (!len)
		return 0;
	b = p[0];
	if (!((b >= 0x80 && b <= 0x9f) || (b >= 0xdc && b <= 0xdf)))
		return 0;
	/*
	 * No leaf callback and no scratch: a guess only measures the structure. A document past
	 * the bounds is one too, so that the real walk blocks it.
	 */
	switch (wsg_msgpack_walk_more(&w, NULL, p, len, &used)) {
	case WSG_WALK_OK:
		return used == len;
	case WSG_WALK_DEPTH:
	case WSG_WALK_NODES:
		return 1;
	default:
		return 0;
	}
}
