// SPDX-License-Identifier: GPL-2.0-only
/*
 * HTTP long-polling transports (user/decode_polling.c): the transport of requests as the
 * official clients and hand-written attacks send them (encoded query names and values, SockJS
 * paths, SignalR sends against negotiate), the messages of real client bodies (written from
 * the engine.io-parser 2/5, engine.io-client JSONP, sockjs-client and SignalR encoders), every
 * malformed body refused with a reason, the bounds, and the brief's bypass: a polling body
 * whose message the WebSocket inspection path now blocks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wsg_test.h"
#include "decode_polling.h"
#include "inspect.h"

WSG_TEST_MAIN

/* ---- transport ---- */

struct wsg_tr_case {
	const char *method, *target;
	int upgrade;
	enum wsg_transport want;
	int eio;
};

static const struct wsg_tr_case wsg_tr_cases[] = {
	{ "POST", "/socket.io/?EIO=4&transport=polling&sid=X", 0, WSG_TR_EIO_POLLING, 4 },
	{ "GET", "/socket.io/?EIO=4&transport=polling&t=Ox1", 0, WSG_TR_EIO_POLLING, 4 },
	{ "POST", "/socket.io/?EIO=3&transport=polling&sid=X", 0, WSG_TR_EIO_POLLING, 3 },
	{ "POST", "/x?transport=%70olling&sid=X", 0, WSG_TR_EIO_POLLING, 3 },
	{ "POST", "/x?tr%61nsport=p%6Flling", 0, WSG_TR_EIO_POLLING, 3 },
	{ "POST", "/any/path?EIO=4", 0, WSG_TR_EIO_POLLING, 4 },
	{ "POST", "/x?EIO=%34&sid=1", 0, WSG_TR_EIO_POLLING, 4 },
	{ "POST", "/x?EIO=4.0&transport=polling", 0, WSG_TR_EIO_POLLING, 3 },
	{ "POST", "/x?EIO=&transport=polling", 0, WSG_TR_EIO_POLLING, 3 },
	{ "POST", "/x?EIO=4&EIO=4&transport=polling", 0, WSG_TR_EIO_POLLING, 0 },
	{ "POST", "/io/?EIO=3&transport=polling&j=0&sid=X", 0, WSG_TR_EIO_JSONP, 3 },
	{ "POST", "/io/?EIO=4&transport=polling&j", 0, WSG_TR_EIO_JSONP, 4 },
	{ "POST", "/io/?EIO=3&j=0&j=1", 0, WSG_TR_EIO_JSONP, 0 },
	{ "POST", "/x?transport=polling+", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/x?transport=Polling", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/x?eio=4", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/x?a=1#&EIO=4", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/x#?EIO=4", 0, WSG_TR_HTTP, 0 },
	{ "GET", "/socket.io/?EIO=4&transport=websocket", 1, WSG_TR_WEBSOCKET, 4 },
	{ "GET", "/chat", 1, WSG_TR_WEBSOCKET, 0 },
	{ "POST", "/echo/000/abcd1234/xhr_send", 0, WSG_TR_SOCKJS, 0 },
	{ "POST", "/echo/000/abcd1234/xhr_send/", 0, WSG_TR_SOCKJS, 0 },
	{ "POST", "/000/abcd1234/xhr_send?t=1", 0, WSG_TR_SOCKJS, 0 },
	{ "POST", "/echo/000/abc\\xhr_send", 0, WSG_TR_SOCKJS, 0 },
	{ "POST", "/echo/000/abcd1234/jsonp_send?i=a1b2", 0, WSG_TR_SOCKJS_JSONP, 0 },
	{ "POST", "/echo/000/abcd1234/xhr", 0, WSG_TR_SOCKJS_RECV, 0 },
	{ "POST", "/echo/000/abcd1234/xhr_streaming", 0, WSG_TR_SOCKJS_RECV, 0 },
	{ "GET", "/echo/000/abcd1234/eventsource", 0, WSG_TR_SOCKJS_RECV, 0 },
	{ "GET", "/echo/000/abcd1234/htmlfile?c=cb", 0, WSG_TR_SOCKJS_RECV, 0 },
	{ "GET", "/echo/000/abcd1234/jsonp?c=cb", 0, WSG_TR_SOCKJS_RECV, 0 },
	{ "POST", "/echo/000/a.b/xhr_send", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/echo/0.0/ab/xhr_send", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/echo/000//xhr_send", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/abcd1234/xhr_send", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/echo/000/abc/xhr_send//", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/echo/000/abc/xhr_%73end", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/echo/000/abc/XHR_SEND", 0, WSG_TR_HTTP, 0 },
	{ "GET", "/echo/000/abc/websocket", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/chathub?id=x9tRkq3mNzl8D5yPcW0aHg", 0, WSG_TR_SIGNALR, 0 },
	{ "post", "/chathub?id=x9tRkq3mNzl8D5yPcW0aHg", 0, WSG_TR_SIGNALR, 0 },
	{ "POST", "/hubs/chat?ID=abc", 0, WSG_TR_SIGNALR, 0 },
	{ "POST", "/hubs/chat?%69d=abc", 0, WSG_TR_SIGNALR, 0 },
	{ "POST", "/chathub/negotiate?negotiateVersion=1", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/chathub/negotiate?id=abc", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/chathub/Negotiat%65/?id=abc", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/chathub?id=", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/chathub?idx=abc", 0, WSG_TR_HTTP, 0 },
	{ "GET", "/chathub?id=abc", 0, WSG_TR_HTTP, 0 },
	{ "DELETE", "/chathub?id=abc", 0, WSG_TR_HTTP, 0 },
	{ "GET", "/", 0, WSG_TR_HTTP, 0 },
	{ "POST", "/login", 0, WSG_TR_HTTP, 0 },
	{ "POST", "", 0, WSG_TR_HTTP, 0 },
};

WSG_TEST(transport_table)
{
	for (size_t i = 0; i < sizeof(wsg_tr_cases) / sizeof(wsg_tr_cases[0]); i++) {
		const struct wsg_tr_case *c = &wsg_tr_cases[i];
		int eio = -1;
		enum wsg_transport t = wsg_transport_of(c->method, c->target, strlen(c->target),
							c->upgrade, &eio);

		CHECK(t == c->want, "%s %s: %s, want %s", c->method, c->target,
		      wsg_transport_name(t), wsg_transport_name(c->want));
		CHECK(eio == c->eio, "%s %s: eio %d, want %d", c->method, c->target, eio, c->eio);
	}
}

WSG_TEST(transport_target_length_and_names)
{
	static const char target[] = "/socket.io/?EIO=4&transport=polling";

	/* only target[0..len) counts: the query is cut before EIO */
	CHECK(wsg_transport_of("POST", target, 11, 0, NULL) == WSG_TR_HTTP, "cut target");
	CHECK(wsg_transport_of("POST", NULL, 0, 0, NULL) == WSG_TR_HTTP, "no target");
	CHECK(!strcmp(wsg_transport_name(WSG_TR_EIO_POLLING), "polling"), "polling");
	CHECK(!strcmp(wsg_transport_name(WSG_TR_SIGNALR), "signalr"), "signalr");
	CHECK(!strcmp(wsg_transport_name(WSG_TR_SOCKJS_RECV), "sockjs-recv"), "sockjs-recv");
	CHECK(!strcmp(wsg_transport_name((enum wsg_transport)99), "?"), "out of range");
}

/* ---- messages ---- */

/* Every message as "t:" or "b:" and its bytes (\xNN below 0x20, above 0x7e, '\' and '|'). */
struct wsg_msgs {
	char out[8192];
	size_t len;
	unsigned count;
	const unsigned char *body, *scratch;
	size_t n;
	int stray;		/* a message outside the body and the scratch */
	int stop_at, stop_with;	/* return stop_with at message stop_at (when stop_with != 0) */
};

static int wsg_within(const unsigned char *p, size_t n, const unsigned char *lo, size_t len)
{
	return p >= lo && n <= len && p - lo <= (long)(len - n);
}

static int wsg_collect(void *ctx, unsigned idx, int is_text, const unsigned char *p, size_t n)
{
	struct wsg_msgs *m = ctx;

	if (!wsg_within(p, n, m->body, m->n) && !wsg_within(p, n, m->scratch, m->n + 1))
		m->stray = 1;
	m->len += (size_t)snprintf(m->out + m->len, sizeof(m->out) - m->len, "%s%c:",
				   m->count ? "|" : "", is_text ? 't' : 'b');
	for (size_t i = 0; i < n && m->len + 5 < sizeof(m->out); i++) {
		unsigned char c = p[i];

		if (c < 0x20 || c > 0x7e || c == '\\' || c == '|')
			m->len += (size_t)snprintf(m->out + m->len, 5, "\\x%02x", c);
		else
			m->out[m->len++] = (char)c;
	}
	m->out[m->len] = 0;
	if (idx != m->count++)
		m->stray = 1;
	return m->stop_with && (int)idx == m->stop_at ? m->stop_with : 0;
}

/* One POST body through wsg_polling_messages from exact-size heap copies. */
static int wsg_run(enum wsg_transport t, int eio, const char *ct, const void *body, size_t n,
		   struct wsg_msgs *m, const char **why)
{
	unsigned char *copy = malloc(n ? n : 1), *scratch = malloc(n + 1);
	int r = -2;

	if (copy && scratch) {
		memcpy(copy, body, n);
		m->body = copy;
		m->scratch = scratch;
		m->n = n;
		r = wsg_polling_messages(t, eio, "POST", ct, copy, n, scratch, wsg_collect, m, why);
	}
	free(copy);
	free(scratch);
	return r;
}

struct wsg_body_case {
	const char *name;
	enum wsg_transport t;
	int eio;
	const char *ct;
	const char *body;
	size_t len;
	const char *want;	/* the messages; NULL: refused */
	const char *why;	/* a word of the reason when refused */
};

#define OK(name, t, eio, ct, lit, want) { name, t, eio, ct, lit, sizeof(lit) - 1, want, NULL }
#define BAD(name, t, eio, ct, lit, why) { name, t, eio, ct, lit, sizeof(lit) - 1, NULL, why }

#define EIO WSG_TR_EIO_POLLING
#define JSONP WSG_TR_EIO_JSONP
#define SJS WSG_TR_SOCKJS
#define SJSP WSG_TR_SOCKJS_JSONP
#define SR WSG_TR_SIGNALR
#define OCTET "application/octet-stream"
#define FORM "application/x-www-form-urlencoded"
#define TEXT "text/plain;charset=UTF-8"

static const struct wsg_body_case wsg_body_cases[] = {
	/* Engine.IO v4 (engine.io-parser 5 encodePayload) */
	OK("v4 the bypass", EIO, 4, TEXT, "42[\"chat message\",\"<img src=x onerror=alert(1)>\"]",
	   "t:42[\"chat message\",\"<img src=x onerror=alert(1)>\"]"),
	OK("v4 three packets", EIO, 4, TEXT,
	   "42[\"chat message\",\"<img src=x onerror=alert(1)>\"]\x1e" "baGkgw6k=\x1e" "3",
	   "t:42[\"chat message\",\"<img src=x onerror=alert(1)>\"]|t:baGkgw6k=|t:3"),
	OK("v4 no content type", EIO, 4, NULL, "40\x1e" "42[\"a\"]", "t:40|t:42[\"a\"]"),
	OK("v4 octet-stream with parameters is text", EIO, 4, OCTET "; x=1", "4hi", "t:4hi"),
	OK("v4 raw message with a colon", EIO, 4, TEXT, "412:30 meeting", "t:412:30 meeting"),
	BAD("v4 empty body", EIO, 4, TEXT, "", "empty"),
	BAD("v4 trailing separator", EIO, 4, TEXT, "42[\"a\"]\x1e", "empty"),
	BAD("v4 empty packet inside", EIO, 4, TEXT, "2\x1e\x1e" "3", "empty"),
	BAD("v4 bad type", EIO, 4, TEXT, "42[\"a\"]\x1e" "7x", "type"),
	BAD("v4 bad type first", EIO, 4, TEXT, "x42", "type"),
	BAD("v4 invalid UTF-8", EIO, 4, TEXT, "4a\xff", "UTF-8"),
	BAD("v4 surrogate in UTF-8", EIO, 4, TEXT, "4\xed\xa0\x80", "UTF-8"),
	BAD("v4 binary content type", EIO, 4, OCTET, "\x00\x01\xff" "4", "EIO=4"),
	BAD("v3 payload sent with EIO=4", EIO, 4, TEXT, "11:42[\"a\",\"b\"]", "v3 payload"),
	BAD("ambiguous version", EIO, 0, TEXT, "4a", "ambiguous"),
	/* Engine.IO v3 string payloads (engine.io-parser 2): lengths in UTF-16 units */
	OK("v3 two packets", EIO, 3, TEXT, "11:42[\"a\",\"b\"]2:40",
	   "t:42[\"a\",\"b\"]|t:40"),
	OK("v3 non-ASCII and emoji", EIO, 3, TEXT,
	   "11:42[\"a\",\"\xc3\xa9\"]8:42[\"\xf0\x9f\x98\x80\"]1:2",
	   "t:42[\"a\",\"\\xc3\\xa9\"]|t:42[\"\\xf0\\x9f\\x98\\x80\"]|t:2"),
	OK("v3 base64 packet", EIO, 3, TEXT, "6:b4AQID", "t:b4AQID"),
	OK("v3 zero lengths are skipped", EIO, 3, TEXT, "0:1:20:", "t:2"),
	OK("v3 leading zero", EIO, 3, TEXT, "01:2", "t:2"),
	OK("v3 with EIO absent is v3", EIO, 3, NULL, "3:4hi", "t:4hi"),
	BAD("v3 empty body", EIO, 3, TEXT, "", "empty"),
	BAD("v3 counted in bytes", EIO, 3, TEXT, "12:42[\"a\",\"\xc3\xa9\"]", "beyond"),
	BAD("v3 length beyond", EIO, 3, TEXT, "11:42", "beyond"),
	BAD("v3 length splits an emoji", EIO, 3, TEXT, "2:4\xf0\x9f\x98\x80", "splits"),
	BAD("v3 length not decimal", EIO, 3, TEXT, "x:4", "decimal"),
	BAD("v3 length with a space", EIO, 3, TEXT, " 2:40", "decimal"),
	BAD("v3 length in hex", EIO, 3, TEXT, "0x2:40", "decimal"),
	BAD("v3 no colon", EIO, 3, TEXT, "2:403", "':'"),
	BAD("v3 empty length", EIO, 3, TEXT, ":4", "decimal"),
	BAD("v3 bad type", EIO, 3, TEXT, "1:9", "type"),
	BAD("v3 invalid UTF-8", EIO, 3, TEXT, "2:4\xc3", "UTF-8"),
	BAD("v3 overlong UTF-8", EIO, 3, TEXT, "3:4\xc0\xbc", "UTF-8"),
	/* Engine.IO v3 binary payloads (encodePayloadAsBinary) */
	OK("v3 binary payload", EIO, 3, OCTET,
	   "\x00\x01\x02\xff" "42[\"a\",\"\xc3\xa9\"]\x01\x04\xff\x04\x01\x02\x03",
	   "t:42[\"a\",\"\\xc3\\xa9\"]|b:\\x04\\x01\\x02\\x03"),
	OK("v3 binary empty binary packet", EIO, 3, OCTET, "\x01\x00\xff", "b:"),
	OK("v3 binary empty body", EIO, 3, OCTET, "", ""),
	BAD("v3 binary flag 2", EIO, 3, OCTET, "\x02\x01\xff" "4", "flag"),
	BAD("v3 binary digit 10", EIO, 3, OCTET, "\x00\x0a\xff" "4", "decimal"),
	BAD("v3 binary no 0xFF", EIO, 3, OCTET, "\x00\x01\x02", "0xFF"),
	BAD("v3 binary no digits", EIO, 3, OCTET, "\x00\xff" "4", "0xFF"),
	BAD("v3 binary eleven digits", EIO, 3, OCTET,
	    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\xff" "4", "decimal"),
	BAD("v3 binary length beyond", EIO, 3, OCTET, "\x01\x05\xff\x04\x01", "beyond"),
	BAD("v3 binary empty string packet", EIO, 3, OCTET, "\x00\x00\xff", "type"),
	BAD("v3 binary string bad type", EIO, 3, OCTET, "\x00\x01\xff" "x", "type"),
	BAD("v3 binary string invalid UTF-8", EIO, 3, OCTET, "\x00\x02\xff" "4\xff", "UTF-8"),
	/* JSONP (engine.io-client 3 escaping, then form encoding) */
	OK("jsonp v3 newlines", JSONP, 3, FORM, "d=10%3A42%5B%22x%5C%5Cny%22%5D4%3A4a%5Cnb",
	   "t:42[\"x\\x5cny\"]|t:4a\\x0ab"),
	OK("jsonp v4 plus and separator", JSONP, 4, FORM, "d=42%5B%22a+b%22%5D%1E2",
	   "t:42[\"a b\"]|t:2"),
	OK("jsonp encoded name, other fields", JSONP, 3, FORM, "x=1&%64=3%3A4hi&&y", "t:4hi"),
	OK("jsonp raw non-ASCII", JSONP, 3, FORM, "d=2:4\xc3\xa9", "t:4\\xc3\\xa9"),
	OK("jsonp triple backslash n", JSONP, 4, FORM, "d=4%5C%5C%5Cn", "t:4\\x5c\\x5cn"),
	BAD("jsonp no d", JSONP, 3, FORM, "x=3%3A4hi", "no d="),
	BAD("jsonp repeated d", JSONP, 3, FORM, "d=3%3A4hi&d=1%3A2", "repeated"),
	BAD("jsonp bad escape", JSONP, 3, FORM, "d=3%3A4h%ZZ", "escape"),
	BAD("jsonp escape cut", JSONP, 3, FORM, "d=3%3A4h%4", "escape"),
	BAD("jsonp raw invalid UTF-8", JSONP, 3, FORM, "d=3:4\xc3\xa9\xff", "UTF-8"),
	BAD("jsonp decoded invalid UTF-8", JSONP, 3, FORM, "d=2%3A4%FF", "UTF-8"),
	BAD("jsonp empty d", JSONP, 4, FORM, "d=", "empty"),
	BAD("jsonp binary", JSONP, 3, OCTET, "d=3%3A4hi", "binary"),
	BAD("jsonp v3 under EIO=4", JSONP, 4, FORM, "d=3%3A4hi", "v3 payload"),
	/* SockJS xhr_send (sockjs-client: JSON.stringify of the queued strings) */
	OK("sockjs array", SJS, 0, TEXT,
	   "[\"a\",\"<img src=x onerror=alert(1)>\",\"\xc3\xa9\xf0\x9f\x98\x80\",\"\\n\\\"\\\\\\/\"]",
	   "t:a|t:<img src=x onerror=alert(1)>|t:\\xc3\\xa9\\xf0\\x9f\\x98\\x80|t:\\x0a\"\\x5c/"),
	OK("sockjs unicode escapes", SJS, 0, "application/json",
	   " [ \"\\u00e9\\ud83d\\ude00\" , \"\\u003cb\\u003E\" ] \n",
	   "t:\\xc3\\xa9\\xf0\\x9f\\x98\\x80|t:<b>"),
	OK("sockjs lone surrogate", SJS, 0, NULL, "[\"a\\ud83db\",\"\\ude00\"]",
	   "t:a\\xef\\xbf\\xbdb|t:\\xef\\xbf\\xbd"),
	OK("sockjs NUL escape", SJS, 0, "T", "[\"a\\u0000b\"]", "t:a\\x00b"),
	OK("sockjs empty array", SJS, 0, TEXT, "[ ]", ""),
	OK("sockjs empty string", SJS, 0, "text/xml", "[\"\"]", "t:"),
	BAD("sockjs form content type", SJS, 0, FORM, "[\"a\"]", "Content-Type"),
	BAD("sockjs content type case", SJS, 0, "Text/Plain", "[\"a\"]", "Content-Type"),
	BAD("sockjs empty body", SJS, 0, TEXT, "", "empty"),
	BAD("sockjs object", SJS, 0, TEXT, "{\"a\":1}", "array"),
	BAD("sockjs number", SJS, 0, TEXT, "[\"a\",1]", "not a string"),
	BAD("sockjs nested array", SJS, 0, TEXT, "[[\"a\"]]", "not a string"),
	BAD("sockjs bad escape", SJS, 0, TEXT, "[\"\\x41\"]", "JSON string"),
	BAD("sockjs short unicode escape", SJS, 0, TEXT, "[\"\\u12\"]", "JSON string"),
	BAD("sockjs control character", SJS, 0, TEXT, "[\"a\nb\"]", "JSON string"),
	BAD("sockjs unterminated string", SJS, 0, TEXT, "[\"abc", "JSON string"),
	BAD("sockjs missing comma", SJS, 0, TEXT, "[\"a\" \"b\"]", "array"),
	BAD("sockjs trailing comma", SJS, 0, TEXT, "[\"a\",]", "not a string"),
	BAD("sockjs unclosed array", SJS, 0, TEXT, "[\"a\"", "array"),
	BAD("sockjs bytes after", SJS, 0, TEXT, "[\"a\"]x", "after"),
	BAD("sockjs double-encoded", SJS, 0, TEXT, "\"[\\\"a\\\"]\"", "JSON string"),
	BAD("sockjs BOM", SJS, 0, TEXT, "\xef\xbb\xbf[\"a\"]", "array"),
	BAD("sockjs invalid UTF-8", SJS, 0, TEXT, "[\"\xff\"]", "UTF-8"),
	/* SockJS jsonp_send (sockjs-client: a form with a textarea d) */
	OK("sockjs jsonp form", SJSP, 0, FORM, "d=%5B%22hi%22%2C%22%3Cimg%3E%22%5D",
	   "t:hi|t:<img>"),
	OK("sockjs jsonp form charset", SJSP, 0, FORM "; charset=UTF-8", "d=%5B%22a+b%22%5D",
	   "t:a b"),
	OK("sockjs jsonp raw", SJSP, 0, "text/plain", "[\"hi\"]", "t:hi"),
	OK("sockjs jsonp raw without type", SJSP, 0, NULL, "[\"hi\"]", "t:hi"),
	BAD("sockjs jsonp json type", SJSP, 0, "application/json", "[\"hi\"]", "Content-Type"),
	BAD("sockjs jsonp no d", SJSP, 0, FORM, "x=%5B%22hi%22%5D", "no d="),
	BAD("sockjs jsonp repeated d", SJSP, 0, FORM, "d=%3Cimg%3E&d=x", "repeated"),
	BAD("sockjs jsonp empty d", SJSP, 0, FORM, "d=", "empty"),
	BAD("sockjs jsonp raw double-encoded", SJSP, 0, "text/plain", "\"[\\\"hi\\\"]\"", "string"),
	BAD("sockjs jsonp bad escape", SJSP, 0, FORM, "d=%5B%22%ZZ%22%5D", "escape"),
	/* SignalR HTTP POST (@microsoft/signalr sendMessage): never refused */
	OK("signalr json", SR, 0, TEXT,
	   "{\"type\":1,\"target\":\"send\",\"arguments\":[\"<img>\"]}\x1e",
	   "t:{\"type\":1,\"target\":\"send\",\"arguments\":[\"<img>\"]}\\x1e"),
	OK("signalr handshake", SR, 0, TEXT, "{\"protocol\":\"json\",\"version\":1}\x1e",
	   "t:{\"protocol\":\"json\",\"version\":1}\\x1e"),
	OK("signalr json whatever the content type", SR, 0, OCTET, " {\"type\":6}\x1e",
	   "t: {\"type\":6}\\x1e"),
	OK("signalr messagepack", SR, 0, OCTET,
	   "\x10\x95\x01\x80\xc0\xa4send\x91\xa5<img>\x02\x91\x06",
	   "b:\\x10\\x95\\x01\\x80\\xc0\\xa4send\\x91\\xa5<img>\\x02\\x91\\x06"),
	OK("signalr messagepack handshake then records", SR, 0, OCTET,
	   "{\"protocol\":\"messagepack\",\"version\":1}\x1e\x02\x91\x06",
	   "t:{\"protocol\":\"messagepack\",\"version\":1}\\x1e|b:\\x02\\x91\\x06"),
	OK("signalr not records, text", SR, 0, FORM, "comment=hello", "t:comment=hello"),
	OK("signalr not records, cut record", SR, 0, TEXT, "{\"type\":1,\"target\":\"se",
	   "t:{\"type\":1,\"target\":\"se"),
	OK("signalr not records, binary", SR, 0, OCTET, "\xff\x00", "b:\\xff\\x00"),
	OK("signalr json with invalid UTF-8 is binary", SR, 0, TEXT, "{\"a\":\"\xff\"}\x1e",
	   "b:{\"a\":\"\\xff\"}\\x1e"),
	OK("signalr empty", SR, 0, TEXT, "", ""),
	/* transports whose POST carries no client messages */
	OK("sockjs receive", WSG_TR_SOCKJS_RECV, 0, TEXT, "[\"x\"]", ""),
	OK("plain http", WSG_TR_HTTP, 0, FORM, "d=1", ""),
	OK("websocket", WSG_TR_WEBSOCKET, 4, TEXT, "42[]", ""),
};

WSG_TEST(body_table)
{
	for (size_t i = 0; i < sizeof(wsg_body_cases) / sizeof(wsg_body_cases[0]); i++) {
		const struct wsg_body_case *c = &wsg_body_cases[i];
		struct wsg_msgs m = {};
		const char *why = "unset";
		int r = wsg_run(c->t, c->eio, c->ct, c->body, c->len, &m, &why);

		CHECK(!m.stray, "%s: a message outside body and scratch", c->name);
		if (c->want) {
			CHECK(r == 0, "%s: %d (%s)", c->name, r, why ? why : "");
			CHECK(!why, "%s: why set on success", c->name);
			CHECK(!strcmp(m.out, c->want), "%s:\n#   got  %s\n#   want %s", c->name,
			      m.out, c->want);
		} else {
			CHECK(r == -1, "%s: %d, want -1 (got %s)", c->name, r, m.out);
			CHECK(why && strstr(why, c->why), "%s: why \"%s\", want \"%s\"", c->name,
			      why ? why : "(null)", c->why);
		}
	}
}

WSG_TEST(only_post_carries_messages)
{
	static const unsigned char body[] = "42[\"a\"]";
	static const char *const methods[] = { "GET", "PUT", "OPTIONS", "", NULL };
	unsigned char scratch[sizeof(body)];
	struct wsg_msgs m = {};
	const char *why;

	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		CHECK(wsg_polling_messages(WSG_TR_EIO_POLLING, 4, methods[i], NULL, body,
					   sizeof(body) - 1, scratch, wsg_collect, &m, &why) == 0 &&
		      !m.count, "method %s", methods[i] ? methods[i] : "(null)");
	CHECK(wsg_polling_messages(WSG_TR_EIO_POLLING, 4, "post", NULL, body, sizeof(body) - 1,
				   scratch, wsg_collect, &m, NULL) == 0 && m.count == 1,
	      "post in lower case, why NULL");
}

#define LIT(lit) lit, sizeof(lit) - 1

/* Bodies of three messages for every transport that has messages. */
static const struct {
	enum wsg_transport t;
	int eio;
	const char *ct, *body;
	size_t len;
} wsg_three[] = {
	{ EIO, 4, NULL, LIT("4a\x1e" "4b\x1e" "4c") },
	{ EIO, 3, NULL, LIT("2:4a2:4b2:4c") },
	{ EIO, 3, OCTET, LIT("\x00\x02\xff" "4a\x01\x01\xff\x04\x00\x01\xff" "2") },
	{ JSONP, 4, FORM, LIT("d=4a%1E4b%1E4c") },
	{ SJS, 0, NULL, LIT("[\"a\",\"b\",\"c\"]") },
	{ SJSP, 0, FORM, LIT("d=%5B%22a%22%2C%22b%22%2C%22c%22%5D") },
	{ SR, 0, OCTET, LIT("{\"protocol\":\"messagepack\",\"version\":1}\x1e\x02\x91\x06") },
};

WSG_TEST(callback_stops_the_walk)
{
	for (size_t i = 0; i < sizeof(wsg_three) / sizeof(wsg_three[0]); i++) {
		struct wsg_msgs m = { .stop_at = 1, .stop_with = 7 };
		const char *why;
		int r = wsg_run(wsg_three[i].t, wsg_three[i].eio, wsg_three[i].ct,
				wsg_three[i].body, wsg_three[i].len, &m, &why);

		CHECK(r == 7 && m.count == 2, "case %zu: %d after %u messages", i, r, m.count);
	}
}

WSG_TEST(every_prefix_is_safe)
{
	for (size_t i = 0; i < sizeof(wsg_three) / sizeof(wsg_three[0]); i++) {
		for (size_t n = 0; n <= wsg_three[i].len; n++) {
			struct wsg_msgs m = {};
			const char *why;
			int r = wsg_run(wsg_three[i].t, wsg_three[i].eio, wsg_three[i].ct,
					wsg_three[i].body, n, &m, &why);

			CHECK(!m.stray && (r == 0 || (r == -1 && why)), "case %zu prefix %zu: %d",
			      i, n, r);
		}
	}
}

/* n packets "2" joined for v4, or "1:2" repeated for v3. */
static size_t wsg_many(char *out, unsigned n, int eio)
{
	size_t len = 0;

	for (unsigned i = 0; i < n; i++) {
		if (eio == 4 && i)
			out[len++] = '\x1e';
		len += (size_t)sprintf(out + len, eio == 4 ? "2" : "1:2");
	}
	return len;
}

WSG_TEST(packet_bound)
{
	char *buf = malloc(4 * (WSG_POLL_MAX_MSGS + 1));
	const char *why;

	REQUIRE(buf, "alloc");
	for (int eio = 3; eio <= 4; eio++) {
		struct wsg_msgs m = {}, m2 = {};
		size_t n = wsg_many(buf, WSG_POLL_MAX_MSGS, eio);

		CHECK(wsg_run(WSG_TR_EIO_POLLING, eio, NULL, buf, n, &m, &why) == 0 &&
		      m.count == WSG_POLL_MAX_MSGS, "v%d: %u at the bound", eio, m.count);
		n = wsg_many(buf, WSG_POLL_MAX_MSGS + 1, eio);
		CHECK(wsg_run(WSG_TR_EIO_POLLING, eio, NULL, buf, n, &m2, &why) == -1 &&
		      m2.count == WSG_POLL_MAX_MSGS && !strcmp(why, "too many packets"),
		      "v%d: %u past the bound", eio, m2.count);
	}
	free(buf);
}

WSG_TEST(signalr_record_of_123_bytes_starts_with_a_brace)
{
	/* a MessagePack record 123 (0x7b, '{') bytes long: length prefix, then the array */
	unsigned char rec[1 + 123];
	struct wsg_msgs m = {};
	const char *why;

	rec[0] = 0x7b;
	memcpy(rec + 1, "\x95\x01\x80\xc0\xa4send\x91\xd9\x6f", 12);
	memset(rec + 13, 'x', 111);
	CHECK(wsg_run(WSG_TR_SIGNALR, 0, TEXT, rec, sizeof(rec), &m, &why) == 0 &&
	      m.count == 1 && !strncmp(m.out, "b:{", 3), "%s", m.out);
}

/* ---- the bypass, closed: polling messages through the WebSocket inspection path ---- */

struct wsg_judged {
	enum wsg_framework fw;
	int blocked;
	struct wsg_finding f;
};

static int wsg_judge(void *ctx, unsigned idx, int is_text, const unsigned char *p, size_t n)
{
	struct wsg_judged *j = ctx;

	j->blocked |= wsg_inspect(j->fw, is_text, (const char *)p, n, &j->f);
	return 0;
}

WSG_TEST(polling_attacks_are_blocked)
{
	static const struct {
		const char *target, *ct, *body;
		enum wsg_framework fw;
		int attack;
	} c[] = {
		{ "/socket.io/?EIO=4&transport=polling&sid=X", TEXT,
		  "42[\"chat message\",\"<img src=x onerror=alert(1)>\"]", WSG_FW_SOCKETIO, 1 },
		{ "/socket.io/?EIO=4&transport=%70olling&sid=X", TEXT,
		  "2\x1e" "42[\"chat message\",\"<img src=x onerror=alert(1)>\"]", WSG_FW_SOCKETIO, 1 },
		{ "/socket.io/?EIO=3&transport=polling&sid=X", TEXT,
		  "49:42[\"chat message\",\"<img src=x onerror=alert(1)>\"]", WSG_FW_SOCKETIO, 1 },
		{ "/socket.io/?EIO=3&transport=polling&sid=X&j=1", FORM,
		  "d=49%3A42%5B%22chat+message%22%2C%22%3Cimg+src%3Dx+onerror%3Dalert(1)%3E%22%5D",
		  WSG_FW_SOCKETIO, 1 },
		{ "/echo/000/abcd1234/xhr_send", TEXT, "[\"<img src=x onerror=alert(1)>\"]",
		  WSG_FW_AUTO, 1 },
		{ "/socket.io/?EIO=4&transport=polling&sid=X", TEXT,
		  "42[\"chat message\",\"hello, see you at 12:30\"]", WSG_FW_SOCKETIO, 0 },
		{ "/echo/000/abcd1234/xhr_send", TEXT, "[\"hello there\"]", WSG_FW_AUTO, 0 },
	};

	REQUIRE(wsg_inspect_init() == 0, "inspect init");
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		size_t n = strlen(c[i].body);
		unsigned char *scratch = malloc(n + 1);
		struct wsg_judged j = { .fw = c[i].fw };
		const char *why;
		int eio, r;
		enum wsg_transport t = wsg_transport_of("POST", c[i].target, strlen(c[i].target), 0,
							&eio);

		REQUIRE(scratch, "alloc");
		r = wsg_polling_messages(t, eio, "POST", c[i].ct, (const unsigned char *)c[i].body,
					 n, scratch, wsg_judge, &j, &why);
		CHECK(r == 0, "case %zu: %d (%s)", i, r, why ? why : "");
		CHECK(j.blocked == c[i].attack, "case %zu (%s): blocked %d, want %d", i,
		      wsg_transport_name(t), j.blocked, c[i].attack);
		free(scratch);
	}
}
