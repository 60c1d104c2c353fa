// SPDX-License-Identifier: GPL-2.0-only
/*
 * wsg_inspect() (inspect.h): picks the framework decoder (from the connection, or guessed from
 * the message), walks every string, normalises it, runs the rules' gate over it and the
 * detectors and signatures it gates, and turns the first finding or a decoding bound into the
 * verdict. A framework decoder that does not recognise a message hands it to the generic
 * decoding (Socket.IO, JSON, text), so a wrong framework choice never hides a message. Also
 * exports the anchors and escape bytes the kernel prefilter is built from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"
#include "detect.h"
#include "inspect.h"
#include "normalize.h"
#include "rules.h"
#include "wsg_prefilter.h"

/* Decoded string bytes one message may carry (beyond it: block, cls "decode"). */
#define WSG_INSPECT_MAX_BYTES (4u << 20)
#define WSG_INSPECT_STACK 2048
#define WSG_B64_DEPTH 2		/* base64 inside base64 */

/* Decoding bounds: always on, whatever the rules file and the paranoia level say. */
#define WSG_DEC_RULE(i, d) { .id = i, .cls = "decode", .desc = d, .paranoia = 1, .on = 1 }

static const struct wsg_rule wsg_decode_rules[] = {
	WSG_DEC_RULE("dec-001", "JSON or MessagePack nested deeper than 32 levels"),
	WSG_DEC_RULE("dec-002", "more than 10000 JSON/MessagePack values or STOMP headers"),
	WSG_DEC_RULE("dec-003", "message decodes to more than 4 MiB of text"),
	WSG_DEC_RULE("dec-004", "no memory to inspect the message (fail closed)"),
	WSG_DEC_RULE("dec-005", "more than 1000 SignalR records or STOMP frames in one message"),
	WSG_DEC_RULE("dec-006", "GraphQL query with more than 1000 string literals"),
	WSG_DEC_RULE("dec-007", "Socket.IO packet announcing more than 10 binary attachments"),
};

/* Indexes of wsg_decode_rules; the first three follow enum wsg_walk_res from DEPTH on. */
enum { WSG_DEC_DEPTH, WSG_DEC_NODES, WSG_DEC_BYTES, WSG_DEC_NOMEM, WSG_DEC_RECORDS, WSG_DEC_GQL,
       WSG_DEC_ATTACH };

int wsg_inspect_init(void)
{
	return wsg_rules(NULL) ? 0 : -EINVAL;
}

void wsg_inspect_fini(void)
{
	wsg_rules_free();
}

void wsg_inspect_anchors(const char *const **anchors, const unsigned char **need, size_t *n)
{
	wsg_rules_anchors(anchors, need, n);
}

void wsg_inspect_escapes(const char *const **escapes, size_t *n)
{
	/* "\\c": STOMP header escape for ':' (inspect.c decodes STOMP headers) */
	static const char *const esc[] = { "\\u", "\\x", "%", "&", "\\c" };

	*escapes = esc;
	*n = sizeof(esc) / sizeof(esc[0]);
}

#define WSG_SIO_COUNT(t) "\"" t "0", "\"" t "1", "\"" t "2", "\"" t "3", "\"" t "4", \
			  "\"" t "5", "\"" t "6", "\"" t "7", "\"" t "8", "\"" t "9"

void wsg_inspect_triggers(const char *const **triggers, size_t *n)
{
	/*
	 * Socket.IO attachment placeholders; a binary packet ("45", "46" at the message start,
	 * which the prefilter reads as a quote) announcing two digits' worth of attachments,
	 * past the decoding bound.
	 */
	static const char *const trig[] = { "_placeholder", WSG_SIO_COUNT("45"),
					    WSG_SIO_COUNT("46") };

	*triggers = trig;
	*n = sizeof(trig) / sizeof(trig[0]);
}

struct wsg_ictx {
	struct wsg_finding *f;
	char *norm;		/* normalisation buffer, message length + 1 */
	char *aux;		/* STOMP header unescaping, GraphQL literals: length + 1 */
	struct wsg_walk w;	/* every walk of the message: bounds are per message */
	size_t total;		/* decoded bytes inspected so far */
	unsigned headers;	/* STOMP headers so far */
	wsg_explain_fn explain;
	void *ectx;
	const char *msg;	/* the raw message, where a base64 blob must show its run */
	size_t msglen;
	unsigned b64_depth;	/* base64 inside base64 so far */
	int graphql;		/* the message is read as GraphQL over WebSocket */
};

static void wsg_excerpt(char *dst, size_t cap, const char *s, size_t len, size_t off)
{
	size_t start = off > 24 ? off - 24 : 0, o = 0;

	for (size_t i = start; i < len && o + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		dst[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
	}
	dst[o] = 0;
}

static void wsg_finding_set(struct wsg_finding *f, const struct wsg_rule *r, const char *path)
{
	f->rule = r->id;
	f->cls = r->cls;
	f->desc = r->desc;
	snprintf(f->where, sizeof(f->where), "%s", path);
	f->excerpt[0] = 0;
}

/* A decoding bound was passed: block with that rule. */
static int wsg_decode_block(struct wsg_ictx *c, int rule, const char *path)
{
	wsg_finding_set(c->f, &wsg_decode_rules[rule], path);
	return 1;
}

static int wsg_inspect_leaf(void *ctx, const char *path, const char *s, size_t len, int quoted);

static int wsg_b64_byte(unsigned char c)
{
	return wsg_pf_b64val(c) >= 0;
}

/* Text a backend might act on, as the kernel prefilter decides it (wsg_pf_text_byte). */
static int wsg_printable(const unsigned char *p, size_t n)
{
	struct wsg_pf_text u = {};

	for (size_t i = 0; i < n; i++)
		wsg_pf_text_byte(&u, p[i]);
	return wsg_pf_is_text(&u);
}

/* One base64 token: decoded, and inspected as text when it is some. */
static int wsg_inspect_blob(struct wsg_ictx *c, const char *path, const char *tok, size_t n,
			    int whole)
{
	unsigned char *out = malloc(n);
	char where[sizeof(c->f->where)];
	size_t o;
	int ret = 0;

	if (!out)
		return wsg_decode_block(c, WSG_DEC_NOMEM, path);
	o = wsg_sio_base64(tok, n, out);
	if (wsg_printable(out, o)) {
		snprintf(where, sizeof(where), "%s.base64", path);
		c->b64_depth++;
		ret = wsg_inspect_leaf(c, where, (const char *)out, o,
				       whole ? WSG_QUOTED : WSG_UNQUOTED);
		c->b64_depth--;
	}
	free(out);
	return ret;
}

/*
 * Base64 blobs of one decoded string. Normalisation cannot decode base64 (no escape byte
 * announces it), so a token is decoded only when its longest run of base64 letters reaches
 * WSG_PF_B64_RUN and is verbatim in the raw message: the kernel prefilter decoded the same
 * token at that run and held the message if what it decodes is text with a trigger in it
 * (include/wsg_prefilter.h), so the fast path stays sound.
 */
static int wsg_inspect_b64(struct wsg_ictx *c, const char *path, const char *s, size_t len)
{
	size_t i = 0;

	if (c->b64_depth >= WSG_B64_DEPTH || !c->msg)
		return 0;
	while (i < len) {
		size_t st = i, run = 0, best = 0, end = 0;

		for (; i < len && wsg_b64_byte((unsigned char)s[i]); i++) {
			run = wsg_pf_b64((unsigned char)s[i]) ? run + 1 : 0;
			if (run > best) {
				best = run;
				end = i + 1;
			}
		}
		if (best >= WSG_PF_B64_RUN && memmem(c->msg, c->msglen, s + end - best, best) &&
		    wsg_inspect_blob(c, path, s + st, i - st, st == 0 && i == len))
			return 1;
		while (i < len && !wsg_b64_byte((unsigned char)s[i]))
			i++;
	}
	return 0;
}

/*
 * One decoded string: normalise, find anchors (with the JSON quotes around it when it was a
 * literal, see detect.h; quoted is a WSG_QUOTED... value of rules.h), run what they gate.
 */
static int wsg_inspect_leaf(void *ctx, const char *path, const char *s, size_t len, int quoted)
{
	struct wsg_ictx *c = ctx;
	struct wsg_text t = { .s = c->norm, .quoted = quoted != WSG_UNQUOTED };
	struct wsg_hit h = {};
	struct wsg_gate g;

	c->total += len;
	if (c->total > WSG_INSPECT_MAX_BYTES)
		return wsg_decode_block(c, WSG_DEC_BYTES, path);
	t.len = wsg_normalize(s, len, c->norm);
	if (c->explain)
		c->explain(c->ectx, path, s, len, t.s, t.len);
	wsg_rules_gate(t.s, t.len, quoted, &g);
	if (!(g.mask && wsg_detect(g.mask, &t, &h)) && !wsg_rules_sig(&g, &t, &h))
		return wsg_inspect_b64(c, path, s, len);
	wsg_finding_set(c->f, h.rule, path);
	wsg_excerpt(c->f->excerpt, sizeof(c->f->excerpt), t.s, t.len, h.off);
	return 1;
}

static int wsg_inspect_text(struct wsg_ictx *c, const char *path, const char *s, size_t len)
{
	return wsg_inspect_leaf(c, path, s, len, WSG_UNQUOTED);
}

/*
 * A whole value that the raw message starts with or a line break precedes (plain-text
 * messages, STOMP bodies): gated like a JSON string value, by its leading delimiter.
 */
static int wsg_inspect_value(struct wsg_ictx *c, const char *path, const char *s, size_t len)
{
	return wsg_inspect_leaf(c, path, s, len, WSG_QUOTE_LEAD);
}

struct wsg_gql_ctx {
	struct wsg_ictx *c;
	const char *path;
};

static int wsg_gql_lit(void *ctx, unsigned idx, const char *lit, size_t n)
{
	struct wsg_gql_ctx *g = ctx;
	char path[WSG_PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s#%u", g->path, idx);
	/* not quoted: inside a JSON string the raw holds \" around it, not a bare quote */
	return wsg_inspect_leaf(g->c, path, lit, n, 0);
}

/*
 * A JSON leaf. A string member named "query" holding a GraphQL document (graphql-transport-ws
 * subscribe, graphql-ws start, or any JSON carrying one) is inspected as its string
 * literals, which a resolver receives as argument values like variables: the rest of a
 * lexically valid document is names and punctuation only, and as a whole it looks like code
 * to the detectors ("$text" operators, "chat(" calls). Anything else in a "query" member,
 * even if it starts like GraphQL, is an ordinary leaf. Only a message on a connection whose
 * handshake offered GraphQL has documents: elsewhere a "query" member is whatever the
 * application makes of it, and an attacker would choose to write it as one. The walker
 * says which leaf is such a member (its path may be cut short); the kernel reads GraphQL
 * connections the same way (include/wsg_pf_gql.h).
 */
static int wsg_inspect_json_leaf(void *ctx, const char *path, const char *s, size_t len,
				 int quoted)
{
	struct wsg_ictx *c = ctx;
	struct wsg_gql_ctx g = { .c = c, .path = path };
	int r;

	if (!c->graphql || !c->w.query || !wsg_gql_is_document(s, len))
		return wsg_inspect_leaf(c, path, s, len, quoted);
	if (c->explain)
		c->explain(c->ectx, path, s, len, "", 0);
	r = wsg_gql_literals(s, len, c->aux, wsg_gql_lit, &g);
	if (r < 0)
		return wsg_decode_block(c, WSG_DEC_GQL, path);
	return r;
}

/* The verdict of a walk: 1 block, 0 allow, -1 not this syntax. */
static int wsg_walk_verdict(struct wsg_ictx *c, enum wsg_walk_res r)
{
	switch (r) {
	case WSG_WALK_OK:
		return 0;
	case WSG_WALK_STOP:
		return 1;
	case WSG_WALK_DEPTH:
	case WSG_WALK_NODES:
	case WSG_WALK_BYTES:
		return wsg_decode_block(c, WSG_DEC_DEPTH + (int)(r - WSG_WALK_DEPTH), c->w.path);
	case WSG_WALK_SYNTAX:
	default:
		return -1;
	}
}

/* A JSON document at path root `root` (NULL: "$"); invalid JSON is inspected as raw text. */
static int wsg_inspect_json(struct wsg_ictx *c, const char *root, const char *p, size_t len)
{
	int v = wsg_walk_verdict(c, wsg_json_walk_more(&c->w, root, p, len));

	if (v >= 0)
		return v;
	return wsg_inspect_text(c, root ? root : "$", p, len);
}

static int wsg_looks_json(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i < len && (p[i] == '{' || p[i] == '[' || p[i] == '"');
}

static int wsg_inspect_sio(struct wsg_ictx *c, const char *p, size_t len, const struct wsg_sio *s)
{
	if ((s->sio_type == '5' || s->sio_type == '6') &&
	    s->attachments > WSG_SIO_MAX_ATTACHMENTS)
		return wsg_decode_block(c, WSG_DEC_ATTACH, "$");
	if (s->nsp_len && wsg_inspect_text(c, "nsp", p + s->nsp_off, s->nsp_len))
		return 1;
	switch (s->kind) {
	case WSG_SIO_EMPTY:
		return 0;
	case WSG_SIO_JSON:
		return wsg_inspect_json(c, NULL, p + s->off, len - s->off);
	case WSG_SIO_TEXT:
		if (wsg_looks_json(p + s->off, len - s->off))
			return wsg_inspect_json(c, NULL, p + s->off, len - s->off);
		return wsg_inspect_text(c, "$", p + s->off, len - s->off);
	default:
		return wsg_inspect_text(c, "$", p, len);
	}
}

/* SignalR JSON records, each ended by 0x1E; -1 if the message is not that. */
static int wsg_inspect_signalr_json(struct wsg_ictx *c, const char *p, size_t len)
{
	size_t pos = 0;
	unsigned n = 0;

	if (!wsg_signalr_json_is(p, len))
		return -1;
	while (pos < len) {
		const char *rs = memchr(p + pos, WSG_SIGNALR_RS, len - pos);
		size_t end = rs ? (size_t)(rs - p) : len, i = pos;
		char root[16];

		while (i < end && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
			i++;
		if (i < end) {
			if (n >= WSG_RECORDS_MAX)
				return wsg_decode_block(c, WSG_DEC_RECORDS, "$");
			snprintf(root, sizeof(root), "$r%u", n++);
			if (wsg_inspect_json(c, root, p + i, end - i))
				return 1;
		}
		pos = end + 1;
	}
	return 0;
}

/* SignalR MessagePack records, each length-prefixed; -1 if the message is not that. */
static int wsg_inspect_signalr_bin(struct wsg_ictx *c, const char *msg, size_t len)
{
	const unsigned char *p = (const unsigned char *)msg;
	size_t pos = 0, off, rlen, used;
	unsigned n = 0;
	char root[16];
	int r, v;

	while ((r = wsg_signalr_bin_next(p, len, &pos, &off, &rlen)) > 0) {
		if (n >= WSG_RECORDS_MAX)
			return wsg_decode_block(c, WSG_DEC_RECORDS, "$");
		snprintf(root, sizeof(root), "$r%u", n++);
		v = wsg_walk_verdict(c, wsg_msgpack_walk_more(&c->w, root, p + off, rlen, &used));
		if (v > 0)
			return 1;
		if ((v < 0 || used != rlen) && wsg_inspect_text(c, root, msg + off, rlen))
			return 1;
	}
	if (r == 0)
		return 0;
	if (!n)
		return -1;
	snprintf(root, sizeof(root), "$r%u", n);
	return wsg_inspect_text(c, root, msg + pos, len - pos);
}

/* A STOMP header name or value: escapes decoded where the command has them. */
static int wsg_inspect_stomp_str(struct wsg_ictx *c, const struct wsg_stomp_frame *fr,
				 const char *path, const char *s, size_t n)
{
	if (!n)
		return 0;
	if (!fr->escapes)
		return wsg_inspect_text(c, path, s, n);
	n = wsg_stomp_unescape(s, n, c->aux);
	return wsg_inspect_text(c, path, c->aux, n);
}

/* Headers at "$f<idx>.h.<name>", the body at "$f<idx>.body" (walked if it is JSON). */
static int wsg_inspect_stomp_frame(struct wsg_ictx *c, unsigned idx,
				   const struct wsg_stomp_frame *fr)
{
	const char *name, *val;
	size_t hpos = 0, nlen, vlen;
	char root[24];

	snprintf(root, sizeof(root), "$f%u.h", idx);
	while (wsg_stomp_header(fr, &hpos, &name, &nlen, &val, &vlen) > 0) {
		if (++c->headers > WSG_JSON_MAX_NODES)
			return wsg_decode_block(c, WSG_DEC_NODES, root);
		wsg_path_root(&c->w, root);
		wsg_path_push_key(&c->w, name, nlen);
		if (wsg_inspect_stomp_str(c, fr, c->w.path, name, nlen) ||
		    wsg_inspect_stomp_str(c, fr, c->w.path, val, vlen))
			return 1;
	}
	if (!fr->body_len)
		return 0;
	snprintf(root, sizeof(root), "$f%u.body", idx);
	if (wsg_looks_json(fr->body, fr->body_len))
		return wsg_inspect_json(c, root, fr->body, fr->body_len);
	return wsg_inspect_value(c, root, fr->body, fr->body_len);
}

/* STOMP frames; -1 if the message does not start with one. */
static int wsg_inspect_stomp(struct wsg_ictx *c, const char *p, size_t len)
{
	struct wsg_stomp_frame fr;
	size_t pos = 0;
	unsigned n = 0;
	char root[16];
	int r;

	while ((r = wsg_stomp_next(p, len, &pos, &fr)) > 0) {
		if (n >= WSG_RECORDS_MAX)
			return wsg_decode_block(c, WSG_DEC_RECORDS, "$");
		if (wsg_inspect_stomp_frame(c, n++, &fr))
			return 1;
	}
	if (r == 0)
		return 0;
	if (!n)
		return -1;
	/* trailing bytes that are no frame: what a lenient broker might still read */
	snprintf(root, sizeof(root), "$f%u", n);
	return wsg_inspect_text(c, root, p + pos, len - pos);
}

/* The decoding of a message no framework decoder recognised (also the old AUTO). */
static int wsg_inspect_generic(struct wsg_ictx *c, const char *msg, size_t len)
{
	struct wsg_sio s;

	wsg_sio_parse(msg, len, 1, &s);
	if (s.kind != WSG_SIO_NOT)
		return wsg_inspect_sio(c, msg, len, &s);
	if (wsg_looks_json(msg, len))
		return wsg_inspect_json(c, NULL, msg, len);
	return wsg_inspect_value(c, "$", msg, len);
}

/*
 * A binary message: SignalR MessagePack records, one MessagePack document
 * (socket.io-msgpack-parser and the like), a Socket.IO attachment (opaque bytes the
 * application may still read as a string). -1: inspect it like a text message.
 */
static int wsg_inspect_binary(struct wsg_ictx *c, enum wsg_framework fw, const char *msg,
			      size_t len)
{
	const unsigned char *p = (const unsigned char *)msg;
	size_t used;
	int v;

	if (fw == WSG_FW_TEXT)
		return -1;
	if (fw == WSG_FW_SIGNALR || (fw == WSG_FW_AUTO && wsg_signalr_bin_is(p, len))) {
		v = wsg_inspect_signalr_bin(c, msg, len);
		if (v >= 0)
			return v;
	}
	if (wsg_msgpack_is_doc(p, len)) {
		v = wsg_walk_verdict(c, wsg_msgpack_walk_more(&c->w, NULL, p, len, &used));
		if (v >= 0)
			return v;
	}
	if (fw == WSG_FW_SOCKETIO)
		return wsg_inspect_text(c, "$attachment", msg, len);
	return -1;
}

static int wsg_inspect_fw(struct wsg_ictx *c, enum wsg_framework fw, int is_text,
			  const char *msg, size_t len)
{
	struct wsg_sio s;
	int v = -1;

	if (!is_text && (v = wsg_inspect_binary(c, fw, msg, len)) >= 0)
		return v;
	/* documents only where the handshake said GraphQL, never by a guess (see above) */
	c->graphql = fw == WSG_FW_GRAPHQL;
	if (fw == WSG_FW_AUTO)
		fw = wsg_fw_guess(1, msg, len);
	switch (fw) {
	case WSG_FW_SOCKETIO:
		wsg_sio_parse(msg, len, 0, &s);
		return wsg_inspect_sio(c, msg, len, &s);
	case WSG_FW_SIGNALR:
		v = wsg_inspect_signalr_json(c, msg, len);
		break;
	case WSG_FW_STOMP:
		v = wsg_inspect_stomp(c, msg, len);
		break;
	case WSG_FW_JSON:
	case WSG_FW_GRAPHQL:
	case WSG_FW_JSONRPC:
		return wsg_inspect_json(c, NULL, msg, len);
	case WSG_FW_TEXT:
		return wsg_inspect_value(c, "$", msg, len);
	default:
		break;
	}
	return v >= 0 ? v : wsg_inspect_generic(c, msg, len);
}

/* The context every inspection needs, then the decoder: a parsed Socket.IO packet (sio), or
 * the one for fw. */
static int wsg_inspect_run(enum wsg_framework fw, int is_text, const char *msg, size_t len,
			   const struct wsg_sio *sio, struct wsg_finding *f, wsg_explain_fn fn,
			   void *ctx)
{
	char stack[3][WSG_INSPECT_STACK];
	struct wsg_ictx c = { .f = f, .explain = fn, .ectx = ctx, .msg = msg, .msglen = len };
	char *scratch = stack[0];
	int ret;

	if (!len)
		return 0;
	if (!wsg_rules(NULL)) {
		wsg_finding_set(f, &wsg_decode_rules[WSG_DEC_NOMEM], "$");
		return 1;
	}
	if (len > WSG_INSPECT_MAX_BYTES) {
		wsg_finding_set(f, &wsg_decode_rules[WSG_DEC_BYTES], "$");
		return 1;
	}
	c.norm = stack[1];
	c.aux = stack[2];
	if (len + 1 > WSG_INSPECT_STACK) {
		scratch = malloc(3 * (len + 1));
		if (!scratch) {
			wsg_finding_set(f, &wsg_decode_rules[WSG_DEC_NOMEM], "$");
			return 1;
		}
		c.norm = scratch + len + 1;
		c.aux = c.norm + len + 1;
	}
	c.w.leaf = wsg_inspect_json_leaf;
	c.w.ctx = &c;
	c.w.scratch = scratch;
	c.w.max_bytes = WSG_INSPECT_MAX_BYTES;
	ret = sio ? wsg_inspect_sio(&c, msg, len, sio) : wsg_inspect_fw(&c, fw, is_text, msg, len);
	if (scratch != stack[0])
		free(scratch);
	return ret > 0;
}

int wsg_inspect_explain(enum wsg_framework fw, int is_text, const char *msg, size_t len,
			struct wsg_finding *f, wsg_explain_fn fn, void *ctx)
{
	return wsg_inspect_run(fw, is_text, msg, len, NULL, f, fn, ctx);
}

int wsg_inspect_sio_packet(const char *msg, size_t len, const struct wsg_sio *s,
			   struct wsg_finding *f)
{
	return wsg_inspect_run(WSG_FW_SOCKETIO, 1, msg, len, s, f, NULL, NULL);
}

int wsg_inspect(enum wsg_framework fw, int is_text, const char *msg, size_t len,
		struct wsg_finding *f)
{
	return wsg_inspect_explain(fw, is_text, msg, len, f, NULL, NULL);
}
