// SPDX-License-Identifier: GPL-2.0-only
/*
 * The HTTP side of a protected connection: every request nginx sends on an upstream socket
 * in HTTP mode (keep-alive, one after another) is parsed (http_req.c), routed by transport
 * (decode_polling.c) and judged on its own. An upgrade request sets up the handshake (path,
 * subprotocol, extensions, framework) and hands the stream to the upgrade answer (conn.c);
 * a polling request is judged message by message like WebSocket messages, its query string
 * too; plain HTTP to other paths is delimited and released unjudged.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "conn.h"
#include "decode.h"

/* 1 if the comma-separated Sec-WebSocket-Protocol list offers token (case-insensitive). */
static int wsg_hs_offers(const char *list, const char *token)
{
	size_t n = strlen(token);

	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		while (l && (*p == ' ' || *p == '\t')) {
			p++;
			l--;
		}
		while (l && (p[l - 1] == ' ' || p[l - 1] == '\t'))
			l--;
		if (l == n && !strncasecmp(p, token, n))
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* 1 if the query string of path has the parameter name (followed by '='). */
static int wsg_hs_param(const char *path, const char *name)
{
	const char *q = strchr(path, '?');
	size_t n = strlen(name);

	while (q) {
		q++;
		if (!strncmp(q, name, n) && q[n] == '=')
			return 1;
		q = strchr(q, '&');
	}
	return 0;
}

/* The Engine.IO protocol the query names (EIO=3 or EIO=4), 0 if neither. */
static unsigned char wsg_hs_eio(const char *path)
{
	const char *q = strchr(path, '?');

	while (q) {
		q++;
		if (!strncmp(q, "EIO=", 4) && (q[4] == '3' || q[4] == '4') &&
		    (!q[5] || q[5] == '&' || q[5] == '#'))
			return (unsigned char)(q[4] - '0');
		q = strchr(q, '&');
	}
	return 0;
}

/* 1 if the path (before its query) has a segment ending in "hub" (/chathub, /hubs/chat). */
static int wsg_hs_hub_path(const char *path)
{
	size_t end = strcspn(path, "?#");

	for (size_t i = 0; i + 3 <= end; i++) {
		if (strncasecmp(path + i, "hub", 3))
			continue;
		if (i + 3 == end || path[i + 3] == '/' || path[i + 3] == 's')
			return 1;
	}
	return 0;
}

/*
 * The decoder for the connection's messages from its opening request. Socket.IO by path
 * (/socket.io/, EIO=); a subprotocol the client offers (GraphQL, STOMP); SignalR by its hub
 * path or the negotiation token (id=) / Azure hub= parameter. Else AUTO: each message is
 * guessed, which also catches SignalR from its 0x1E-terminated handshake record.
 */
enum wsg_framework wsg_fw_from_handshake(const struct wsg_handshake *hs)
{
	static const char *const stomp[] = { "v10.stomp", "v11.stomp", "v12.stomp", "stomp" };

	if (strstr(hs->path, "/socket.io/") || strstr(hs->path, "EIO="))
		return WSG_FW_SOCKETIO;
	if (wsg_hs_offers(hs->protocol, "graphql-transport-ws") ||
	    wsg_hs_offers(hs->protocol, "graphql-ws"))
		return WSG_FW_GRAPHQL;
	for (size_t i = 0; i < sizeof(stomp) / sizeof(stomp[0]); i++)
		if (wsg_hs_offers(hs->protocol, stomp[i]))
			return WSG_FW_STOMP;
	if (wsg_hs_hub_path(hs->path) || wsg_hs_param(hs->path, "id") ||
	    wsg_hs_param(hs->path, "hub"))
		return WSG_FW_SIGNALR;
	return WSG_FW_AUTO;
}


/* Copy a NUL-terminated string, cut to fit (the handshake copies are for logs and routing). */
static void wsg_copy(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}

static void wsg_hs_from_req(struct wsg_conn_d *c, const struct wsg_http_req *r)
{
	struct wsg_handshake *hs = &c->hs;

	memset(hs, 0, sizeof(*hs));
	wsg_copy(hs->path, sizeof(hs->path), r->target);
	wsg_copy(hs->protocol, sizeof(hs->protocol), r->protocol);
	wsg_copy(hs->extensions, sizeof(hs->extensions), r->extensions);
	wsg_copy(hs->origin, sizeof(hs->origin), r->origin);
	hs->upgrade = r->upgrade;
	c->pmd = strstr(hs->extensions, "permessage-deflate") != NULL;
	c->fw = wsg_fw_from_handshake(hs);
	c->sio.eio = wsg_hs_eio(hs->path);
}

/* Every query parameter, name and value, is text for the detectors, at "?name". */
static int wsg_query_param(void *ctx, const char *name, size_t nlen, const char *val,
			   size_t vlen)
{
	struct wsg_finding *f = ctx;

	if (!wsg_inspect(WSG_FW_TEXT, 1, val, vlen, f) &&
	    !wsg_inspect(WSG_FW_TEXT, 1, name, nlen, f))
		return 0;
	snprintf(f->where, sizeof(f->where), "?%.*s", (int)(nlen > 100 ? 100 : nlen), name);
	return 1;
}

static int wsg_judge_query(const struct wsg_http_req *r, struct wsg_verdict *v)
{
	static char scratch[sizeof(r->target) + 2];

	if (wsg_query_each(r->target, r->target_len, scratch, sizeof(scratch), wsg_query_param,
			   &v->finding) <= 0)
		return 0;
	wsg_verdict_block(v, WSG_R_DETECT);
	return 1;
}

struct wsg_poll_ctx {
	enum wsg_transport tr;
	int eio;
	struct wsg_finding *f;
	unsigned messages;
};

/* An Engine.IO packet that came by polling: text as a WebSocket text message, "b" base64
 * and binary packets as attachments (they cannot be matched to their packet across polls,
 * so each is inspected alone). */
static int wsg_poll_eio(struct wsg_poll_ctx *x, int is_text, const unsigned char *p, size_t n)
{
	static unsigned char *bin;
	static size_t cap;
	size_t skip = x->eio == 3 ? 2 : 1;

	if (!is_text) {
		if (n && p[0] == 4) /* v3: the message packet type */
			p++, n--;
		return wsg_inspect(WSG_FW_SOCKETIO, 0, (const char *)p, n, x->f);
	}
	if (!n || p[0] != 'b' || n < skip)
		return wsg_inspect(WSG_FW_SOCKETIO, 1, (const char *)p, n, x->f);
	if (cap < n) {
		unsigned char *nb = realloc(bin, n);

		if (!nb)
			return -ENOMEM;
		bin = nb;
		cap = n;
	}
	n = wsg_sio_base64((const char *)p + skip, n - skip, bin);
	return wsg_inspect(WSG_FW_SOCKETIO, 0, (const char *)bin, n, x->f);
}

static int wsg_poll_msg(void *ctx, unsigned idx, int is_text, const unsigned char *p, size_t n)
{
	struct wsg_poll_ctx *x = ctx;
	int hit;

	switch (x->tr) {
	case WSG_TR_EIO_POLLING:
	case WSG_TR_EIO_JSONP:
		hit = wsg_poll_eio(x, is_text, p, n);
		break;
	case WSG_TR_SIGNALR:
		hit = wsg_inspect(WSG_FW_SIGNALR, is_text, (const char *)p, n, x->f);
		break;
	default:
		hit = wsg_inspect(WSG_FW_AUTO, is_text, (const char *)p, n, x->f);
		break;
	}
	if (hit < 0) {
		x->f->rule = "dec-000";
		x->f->cls = "decode";
		x->f->desc = "out of memory decoding a polling packet";
		hit = 1;
	}
	if (hit) {
		char where[sizeof(x->f->where)];

		snprintf(where, sizeof(where), "#%u", idx);
		wsg_copy(where + strlen(where), sizeof(where) - strlen(where), x->f->where);
		memcpy(x->f->where, where, sizeof(where));
		return 1;
	}
	x->messages++;
	return 0;
}

/* A polling request: its query, then every message of its body. */
static void wsg_judge_polling(const struct wsg_http_req *r, int eio, struct wsg_verdict *v)
{
	static unsigned char *scratch;
	static size_t cap;
	struct wsg_poll_ctx x = { .tr = v->tr, .eio = eio, .f = &v->finding };
	const char *why = NULL;
	int ret;

	if (wsg_judge_query(r, v) || !r->body_len)
		return;
	if (cap < r->body_len + 1) {
		unsigned char *nb = realloc(scratch, r->body_len + 1);

		if (!nb)
			return wsg_verdict_block(v, WSG_R_LIMIT_MEM);
		scratch = nb;
		cap = r->body_len + 1;
	}
	/* a repeated EIO leaves the server's reading open: both must pass */
	ret = wsg_polling_messages(v->tr, eio ? eio : 4, r->method, r->content_type, r->body,
				   r->body_len, scratch, wsg_poll_msg, &x, &why);
	if (!eio && ret <= 0 && (v->tr == WSG_TR_EIO_POLLING || v->tr == WSG_TR_EIO_JSONP)) {
		int r3;

		x.eio = 3;
		r3 = wsg_polling_messages(v->tr, 3, r->method, r->content_type, r->body,
					  r->body_len, scratch, wsg_poll_msg, &x, &why);
		ret = r3 > 0 || (ret < 0 && r3 < 0) ? r3 : 0;
	}
	if (ret > 0)
		return wsg_verdict_block(v, WSG_R_DETECT);
	if (ret < 0) {
		v->finding.rule = "dec-100";
		v->finding.cls = "decode";
		v->finding.desc = why ? why : "malformed polling body";
		wsg_copy(v->finding.where, sizeof(v->finding.where), "$body");
		wsg_copy(v->finding.excerpt, sizeof(v->finding.excerpt), v->finding.desc);
		return wsg_verdict_block(v, WSG_R_DETECT);
	}
	v->messages += x.messages;
}

/* One complete request: route it, judge it, and move the stream past it if allowed. */
static void wsg_request_done(struct wsg_conn_d *c, const struct wsg_http_req *r,
			     struct wsg_verdict *v)
{
	int eio = 0;

	v->tr = wsg_transport_of(r->method, r->target, r->target_len, r->upgrade, &eio);
	c->tr = v->tr;
	if (v->tr == WSG_TR_WEBSOCKET) {
		wsg_hs_from_req(c, r);
		v->handshake_done = 1;
		/*
		 * RFC 6455 opens with a GET and no body. A body would reach the backend unjudged:
		 * Node hands it to the upgrade handler as the first frames, and a server that
		 * does not upgrade that request reads it as a polling body.
		 */
		if (strcmp(r->method, "GET") || r->has_body) {
			snprintf(v->finding.excerpt, sizeof(v->finding.excerpt), "%s",
				 r->has_body ? "upgrade_with_body" : "upgrade_not_get");
			return wsg_verdict_block(v, WSG_R_BAD_REQUEST);
		}
		if (wsg_judge_query(r, v))
			return;
		c->mode = WSG_MODE_UPGRADE;
		c->up_end = c->released + c->parsed;
		c->arm = 1;
	} else if (v->tr != WSG_TR_HTTP) {
		wsg_judge_polling(r, eio, v);
		if (v->block)
			return;
	}
	c->releasable = c->parsed;
}

void wsg_stream_http(struct wsg_conn_d *c, struct wsg_verdict *v)
{
	enum wsg_http_err err = WSG_HE_NONE;
	struct wsg_http_req req;
	int st;

	if (!c->hp) {
		c->hp = calloc(1, sizeof(*c->hp));
		if (!c->hp)
			return wsg_verdict_block(v, WSG_R_LIMIT_MEM);
		wsg_http_parser_init(c->hp);
	}
	while (c->parsed < c->len && c->mode == WSG_MODE_HTTP && !v->block) {
		c->parsed += wsg_http_feed(c->hp, c->buf + c->parsed, c->len - c->parsed, &st, &req,
					   &err);
		if (st == WSG_HTTP_NEED_MORE)
			return;
		if (st == WSG_HTTP_ERROR) {
			snprintf(v->finding.excerpt, sizeof(v->finding.excerpt), "%s",
				 wsg_http_err_name(err));
			return wsg_verdict_block(v, WSG_R_BAD_REQUEST);
		}
		wsg_request_done(c, &req, v);
		wsg_http_parser_reset(c->hp);
	}
}
