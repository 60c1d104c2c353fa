/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Framework decoders shared by inspect.c: a bounded JSON walker that hands every string leaf
 * and object key to a callback with its JSON path, and the Engine.IO/Socket.IO packet parser
 * that finds the JSON payload of a packet.
 */
#ifndef WSG_DECODE_H
#define WSG_DECODE_H

#include <stddef.h>

#define WSG_JSON_MAX_DEPTH 32
#define WSG_JSON_MAX_NODES 10000
#define WSG_PATH_MAX 128

/*
 * Called for every decoded string (value or key). quoted: the string was a JSON string
 * literal, so the raw message holds a '"' right before and after its encoding. s is
 * NUL-terminated but may hold NULs of its own only if the input did. Nonzero stops the walk.
 */
typedef int (*wsg_leaf_fn)(void *ctx, const char *path, const char *s, size_t len, int quoted);

enum wsg_walk_res {
	WSG_WALK_OK = 0,
	WSG_WALK_STOP,		/* a callback returned nonzero */
	WSG_WALK_SYNTAX,	/* not JSON (leaves before the error were already delivered) */
	WSG_WALK_DEPTH,		/* nesting deeper than WSG_JSON_MAX_DEPTH */
	WSG_WALK_NODES,		/* more than WSG_JSON_MAX_NODES values */
	WSG_WALK_BYTES,		/* more decoded string bytes than the caller's bound */
};

struct wsg_walk {
	wsg_leaf_fn leaf;
	void *ctx;
	char *scratch;		/* decoded string buffer: at least len + 1 of the document */
	size_t max_bytes;	/* bound on the decoded string bytes of this walk */
	/* private */
	size_t bytes;
	unsigned nodes;
	size_t plen;
	char path[WSG_PATH_MAX];
};

/* Walk one JSON document p[0..len) (surrounding whitespace allowed), path root "$". */
enum wsg_walk_res wsg_json_walk(struct wsg_walk *w, const char *p, size_t len);

enum wsg_sio_kind {
	WSG_SIO_NOT = 0,	/* not an Engine.IO packet */
	WSG_SIO_EMPTY,		/* no payload (ping, pong, connect, ...): allow */
	WSG_SIO_JSON,		/* a Socket.IO packet whose payload (JSON) starts at off */
	WSG_SIO_TEXT,		/* an Engine.IO packet whose payload is opaque text at off */
};

struct wsg_sio {
	enum wsg_sio_kind kind;
	size_t off;		/* payload offset */
	size_t nsp_off, nsp_len; /* namespace ("/admin") if any, else nsp_len 0 */
	char eio_type, sio_type; /* '0'..'6'; sio_type 0 if the packet is not Socket.IO */
};

/*
 * Parse the Engine.IO v3/v4 packet and Socket.IO v4/v5 packet prefix of p[0..len). strict:
 * only accept the exact Socket.IO grammar (used to guess the framework).
 */
void wsg_sio_parse(const char *p, size_t len, int strict, struct wsg_sio *s);

#endif /* WSG_DECODE_H */
