/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Framework decoders shared by inspect.c: a bounded JSON walker and a bounded MessagePack
 * reader that hand every string leaf and map key to a callback with its path, the
 * Engine.IO/Socket.IO packet parser, SignalR record framing, STOMP frames, GraphQL string
 * literals, and the framework guess for a message whose connection gave no hint. None of
 * them allocates; every one is bounded by its input and the limits below.
 */
#ifndef WSG_DECODE_H
#define WSG_DECODE_H

#include <stddef.h>
#include "inspect.h"
#include "wsg_limits.h"

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
	int query;		/* for the leaf callback: this string is the value of a member
				 * whose key is exactly "query" (a GraphQL document's place) */
	/* private */
	size_t bytes;
	unsigned nodes;
	size_t plen;
	char path[WSG_PATH_MAX];
};

/* Walk one JSON document p[0..len) (surrounding whitespace allowed), path root "$". */
enum wsg_walk_res wsg_json_walk(struct wsg_walk *w, const char *p, size_t len);

/*
 * Walk one more JSON document with path root `root` (NULL: "$"). Node and byte counts
 * accumulate over every walk (JSON or MessagePack) of one zero-initialised struct wsg_walk,
 * so a message of many records is bounded as a whole.
 */
enum wsg_walk_res wsg_json_walk_more(struct wsg_walk *w, const char *root, const char *p,
				     size_t len);

/*
 * Walk one MessagePack value at p[0..len) with path root `root` (NULL: "$"); *used gets the
 * bytes it took. Strings and bin payloads are leaves (quoted 0: no quotes in the raw bytes),
 * string map keys are leaves at the member's path like JSON keys; extension payloads are
 * skipped. Truncation, the never-used byte 0xc1 and a length beyond the input are SYNTAX.
 */
enum wsg_walk_res wsg_msgpack_walk_more(struct wsg_walk *w, const char *root,
					const unsigned char *p, size_t len, size_t *used);

/* 1 if p[0..len) is exactly one MessagePack array or map (a strict guess for binary frames). */
int wsg_msgpack_is_doc(const unsigned char *p, size_t len);

/* Path steps shared by the walkers: push returns the length to pop back to. */
void wsg_path_root(struct wsg_walk *w, const char *root);
size_t wsg_path_push(struct wsg_walk *w, const char *step, size_t n);
size_t wsg_path_push_key(struct wsg_walk *w, const char *k, size_t n);
size_t wsg_path_push_idx(struct wsg_walk *w, unsigned idx);
void wsg_path_pop(struct wsg_walk *w, size_t old);

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
	unsigned long attachments; /* binary packets (5, 6): announced attachment count */
	int binary;		/* a binary packet (5, 6) with a well-formed "<count>-" prefix */
};

/*
 * Parse the Engine.IO v3/v4 packet and Socket.IO v4/v5 packet prefix of p[0..len). strict:
 * only accept the exact Socket.IO grammar (used to guess the framework).
 */
void wsg_sio_parse(const char *p, size_t len, int strict, struct wsg_sio *s);

/* WSG_SIO_MAX_ATTACHMENTS (wsg_limits.h): attachments of one binary Socket.IO packet. */

/* Bytes all attachments of one binary packet may carry together (conn.c blocks beyond). */
#define WSG_SIO_MAX_ATTACH_BYTES (4u << 20)

/*
 * 1 if the JSON payload p[0..len) of a binary packet holds exactly n binary placeholders
 * ({"_placeholder":true,"num":K}) numbered 0..n-1, each once: what every encoder writes and
 * what socket.io-parser's reconstructPacket resolves (it rejects a num outside [0, n)). An
 * object whose "_placeholder" is true is one placeholder whatever else it holds, as there;
 * num must be a plain integer. 0 for any other count or numbering, or if p is not one JSON
 * value nested at most WSG_JSON_MAX_DEPTH deep (the server rejects such a payload too).
 */
int wsg_sio_placeholders_ok(const char *p, size_t len, unsigned long n);

/*
 * Base64 as Node's Buffer.from(s, "base64") reads it (the Engine.IO "b" text packet that
 * carries binary data): both alphabets, other bytes skipped, '=' ends the data. Writes at
 * most len * 3 / 4 bytes to out and returns their count.
 */
size_t wsg_sio_base64(const char *p, size_t len, unsigned char *out);

/* WSG_RECORDS_MAX (wsg_limits.h): records (SignalR) or frames (STOMP) of one message. */

/*
 * SignalR hub protocol. Text frames carry JSON records, each terminated by the record
 * separator 0x1E; binary frames carry MessagePack records, each prefixed by its length as a
 * varint (7 bits a byte, low group first, at most 5 bytes).
 */
#define WSG_SIGNALR_RS 0x1e

/* 1 if p[0..len) is JSON records each ended by 0x1E (whitespace around allowed). */
int wsg_signalr_json_is(const char *p, size_t len);

/*
 * 1 if p[0..len) is a SignalR handshake request {"protocol":"json"|"messagepack",...}0x1E;
 * *msgpack (if not NULL) tells which.
 */
int wsg_signalr_handshake(const char *p, size_t len, int *msgpack);

/*
 * Next binary record from *pos: 1 and p[*off..*off + *rlen) is the record, 0 at the end,
 * -1 on a bad or truncated length prefix.
 */
int wsg_signalr_bin_next(const unsigned char *p, size_t len, size_t *pos, size_t *off,
			 size_t *rlen);

/* 1 if p[0..len) is one or more binary records, each exactly one MessagePack array. */
int wsg_signalr_bin_is(const unsigned char *p, size_t len);

/* One STOMP frame; the pointers index the message. */
struct wsg_stomp_frame {
	const char *cmd, *hdrs, *body;
	size_t cmd_len, hdrs_len, body_len;
	int escapes;		/* header escapes apply (every command but CONNECT/CONNECTED) */
};

/*
 * Next STOMP frame from *pos: a known command line, header lines, a blank line, the body (of
 * content-length bytes if that header is valid, else up to the NUL; a missing NUL ends the
 * body at the end of the message), then EOLs (heart-beats). 1: a frame; 0: only EOLs were
 * left; -1: not a STOMP frame at *pos. Lines end in LF or CRLF.
 */
int wsg_stomp_next(const char *p, size_t len, size_t *pos, struct wsg_stomp_frame *f);

/*
 * Next header line of f from *hpos: 1 with the raw name and value, 0 at the end of the
 * header block. A line without ':' is all name with an empty value.
 */
int wsg_stomp_header(const struct wsg_stomp_frame *f, size_t *hpos, const char **name,
		     size_t *nlen, const char **val, size_t *vlen);

/*
 * STOMP 1.2 header escapes (backslash-c ':', backslash-n LF, backslash-r CR, two backslashes
 * one) decoded into out (len + 1 bytes); an undefined escape is kept literally. Returns the
 * length; out is NUL-terminated.
 */
size_t wsg_stomp_unescape(const char *s, size_t len, char *out);

/* 1 if p[0..len) starts with a complete STOMP frame header block (a strict guess). */
int wsg_stomp_is(const char *p, size_t len);

/* WSG_GQL_MAX_LITERALS (wsg_limits.h): string literals of one GraphQL document. */

/*
 * 1 if s[0..len) is lexically a GraphQL executable document: it starts with a selection set
 * or an operation/fragment keyword, and outside its string literals and comments holds only
 * names, numbers and punctuators, so its literals are the only data in it.
 */
int wsg_gql_is_document(const char *s, size_t len);

typedef int (*wsg_gql_lit_fn)(void *ctx, unsigned idx, const char *lit, size_t n);

/*
 * Hand every string literal (quoted with GraphQL escapes, or a triple-quoted block string) of
 * the document s[0..len) to fn, decoded into out (len + 1 bytes), skipping comments. Returns
 * 0, 1 if fn returned nonzero, -1 past WSG_GQL_MAX_LITERALS literals.
 */
int wsg_gql_literals(const char *s, size_t len, char *out, wsg_gql_lit_fn fn, void *ctx);

/*
 * The framework a message without a connection hint most likely uses: Socket.IO, SignalR
 * (records ended by 0x1E, or binary length-prefixed MessagePack), STOMP, JSON-RPC, GraphQL
 * over WebSocket, JSON, else text. Never returns WSG_FW_AUTO.
 */
enum wsg_framework wsg_fw_guess(int is_text, const char *p, size_t len);

/*
 * wsg_inspect() that also reports every string it inspected: its path, the decoded string
 * and its normalised form (what the detectors saw; empty for a GraphQL document, which is
 * inspected as the literals reported after it, at "<path>#<n>"). fn NULL: exactly
 * wsg_inspect().
 */
typedef void (*wsg_explain_fn)(void *ctx, const char *path, const char *s, size_t len,
			       const char *norm, size_t nlen);
int wsg_inspect_explain(enum wsg_framework fw, int is_text, const char *msg, size_t len,
			struct wsg_finding *f, wsg_explain_fn fn, void *ctx);

/* wsg_inspect() of a Socket.IO text packet the caller already parsed (wsg_sio_parse, not
 * strict): the connection's stream parses each packet once. */
int wsg_inspect_sio_packet(const char *msg, size_t len, const struct wsg_sio *s,
			   struct wsg_finding *f);

#endif /* WSG_DECODE_H */
