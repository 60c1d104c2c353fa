/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HTTP long-polling transports of the messaging frameworks: which transport an HTTP request
 * is (Engine.IO XHR and JSONP polling, SockJS, SignalR's HTTP POST), and the client messages
 * its body carries, handed out as the messages a WebSocket connection of the same framework
 * would carry so that they take the same inspection path. Each rule follows the server that
 * reads the format (engine.io 3.6 and 6.6 with engine.io-parser 2 and 5, sockjs-node 0.3,
 * ASP.NET Core SignalR); where that server is laxer than every client, the body is refused
 * rather than guessed at. Nothing here allocates or recurses.
 */
#ifndef WSG_DECODE_POLLING_H
#define WSG_DECODE_POLLING_H

#include <stddef.h>

enum wsg_transport {
	WSG_TR_HTTP = 0,	/* plain HTTP: not a messaging transport */
	WSG_TR_WEBSOCKET,	/* an upgrade request */
	WSG_TR_EIO_POLLING,	/* Engine.IO v3/v4 XHR polling */
	WSG_TR_EIO_JSONP,	/* Engine.IO JSONP polling (query j=): body d=<payload> */
	WSG_TR_SOCKJS,		/* SockJS xhr_send: a JSON array of strings */
	WSG_TR_SOCKJS_JSONP,	/* SockJS jsonp_send: form d=<JSON array>, or the array */
	WSG_TR_SOCKJS_RECV,	/* SockJS xhr, xhr_streaming, eventsource, htmlfile, jsonp */
	WSG_TR_SIGNALR,		/* SignalR HTTP POST (long polling, SSE): hub records */
};

/* "http", "websocket", "polling", "jsonp", "sockjs", "sockjs-jsonp", "sockjs-recv", "signalr". */
const char *wsg_transport_name(enum wsg_transport t);

/*
 * The transport of a request from its method, its request-target target[0..target_len) as
 * on the wire (path?query; '#' ends the query, as in Node) and whether it asks for an
 * upgrade. Query names and values are compared URL-decoded (%XX, '+'), as the servers
 * decode them. An upgrade request is WSG_TR_WEBSOCKET. Otherwise, in this order:
 *  - Engine.IO: a query with transport=polling or any EIO parameter, whatever the path (the
 *    engine.io server routes by query). JSONP if it has a j parameter. *eio gets the
 *    protocol the server reads the body with: 4 if EIO is exactly "4", else 3 (engine.io's
 *    own rule, also for a missing EIO); 0 if EIO or j is repeated (engine.io 3 to 5 turn a
 *    repeated parameter into an array, 6 keeps the last one: the reading is not known).
 *    An upgrade with such a query sets *eio too; any other request sets it to 0.
 *  - SockJS: a path ending /<server>/<session>/<transport>, optionally with one more '/',
 *    where server and session are non-empty and hold no '/' or '.' (sockjs-node's routing
 *    regex, on the raw path with '\' read as '/' as Node's url.parse does): xhr_send and
 *    jsonp_send send, xhr, xhr_streaming, eventsource, htmlfile and jsonp only receive.
 *  - SignalR: a POST (any case, as ASP.NET Core) with a non-empty id parameter (name in any
 *    case) to a path whose last segment is not "negotiate": the HTTP POST half-transport
 *    of long polling and SSE. Their GET and DELETE carry no client messages and are left
 *    as HTTP, ?id= alone being too common a parameter to name a transport.
 * No server routes by Content-Type, so neither does this. eio may be NULL.
 */
enum wsg_transport wsg_transport_of(const char *method, const char *target, size_t target_len,
				    int upgrade, int *eio);

/* Client messages one request body may carry (more: -1, "too many packets"). */
#define WSG_POLL_MAX_MSGS 1000

/*
 * One client message: p[0..n) (not NUL-terminated) lies in the body or in scratch and is
 * valid only during the call. Return 0 to go on; anything else stops the walk and is
 * returned (use a positive value: -1 means a malformed body).
 */
typedef int (*wsg_poll_msg_fn)(void *ctx, unsigned idx, int is_text, const unsigned char *p,
			       size_t n);

/*
 * Hand every client message of the body of a request of transport t (eio from
 * wsg_transport_of) to fn, as a WebSocket connection of the framework would carry it:
 *  - Engine.IO: every packet, each a text message ("42[...]", "2", "b<base64>"; v3:
 *    "b4<base64>"), or for a v3 binary payload's binary packet a binary message holding its
 *    type byte first ("\x04<data>"), as a v3 binary frame does.
 *  - SockJS: every string of the array, decoded (JSON escapes, surrogate pairs), as text;
 *    a lone surrogate escape becomes U+FFFD, as Node writes it out.
 *  - SignalR: the body as one message (hub records for the caller to split): text if it is
 *    valid UTF-8 JSON records ended by 0x1E, binary if it is length-prefixed MessagePack
 *    records; a JSON handshake naming "messagepack" followed by such records is two
 *    messages. Any other body is still handed over (text if valid UTF-8, else binary),
 *    never refused, as ?id= is no proof of SignalR. The server ignores Content-Type here.
 * Only a POST carries client messages: any other method, and the receive-only and
 * non-messaging transports, return 0 without calling fn. content_type is the header value
 * (NULL if absent) as Node sees it. scratch holds at least n + 1 bytes.
 * Returns 0 when every message went through, what fn returned if it stopped, or -1 with
 * *why (a static string) when the body is malformed for the transport, including forms a
 * lax server would still read but no client writes (a non-decimal v3 length, a repeated
 * d=, invalid UTF-8): the caller blocks the request. Messages before the fault were
 * already handed to fn.
 */
int wsg_polling_messages(enum wsg_transport t, int eio, const char *method,
			 const char *content_type, const unsigned char *body, size_t n,
			 unsigned char *scratch, wsg_poll_msg_fn fn, void *ctx, const char **why);

#endif /* WSG_DECODE_POLLING_H */
