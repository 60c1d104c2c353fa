// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for include/wsg_prefilter.h on tables built by hand: the ASCII case fold, what
 * wsg_pf_set_bigram and wsg_pf_set_byte put in the table, hits and the recorded first trigger
 * (pair and offset) over messages fed in pieces, and random tables against a naive scan.
 */
#include <ctype.h>
#include "wsg_test.h"
#include "wsg_prefilter.h"
#include "inspect.h"
#include "prefilter.h"

static struct wsg_pf_table table;

static int table_bits(const struct wsg_pf_table *t)
{
	int n = 0;

	for (size_t i = 0; i < sizeof(t->pair); i++)
		n += t->pair[i] & WSG_PF_PAIR_TRIG;
	return n;
}

/* ASCII lower case; the value delimiters '"' and '\n' are one class with NUL. */
static __u8 ref_fold(__u8 b)
{
	if (b == '"' || b == '\n')
		return 0;
	return b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b;
}

struct scan {
	int hits;		/* bytes that returned nonzero */
	struct wsg_pf_state s;
};

static void scan_more(struct scan *sc, const char *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sc->hits += !!wsg_pf_byte(&table, &sc->s, (__u8)m[i]);
}

static struct scan scan_msg(const char *m)
{
	struct scan sc = { 0 };

	scan_more(&sc, m, strlen(m));
	return sc;
}

WSG_TEST(pf_fold_every_byte)
{
	for (int b = 0; b < 256; b++)
		CHECK(wsg_pf_fold(b) == ref_fold(b), "fold(0x%02x) = 0x%02x", b, wsg_pf_fold(b));
}

WSG_TEST(pf_set_bigram_sets_one_folded_bit)
{
	memset(&table, 0, sizeof(table));
	wsg_pf_set_bigram(&table, 'S', 'C');
	CHECK(table_bits(&table) == 1, "%d bits", table_bits(&table));
	CHECK(wsg_pf_hit(&table, 's', 'c'), "folded pair");
	CHECK(!wsg_pf_hit(&table, 'S', 'C'), "lookups take folded bytes");
	CHECK(!wsg_pf_hit(&table, 'c', 's'), "order matters");
	wsg_pf_set_bigram(&table, 's', 'c');
	wsg_pf_set_bigram(&table, 'S', 'c');
	CHECK(table_bits(&table) == 1, "case variants are one pair: %d bits", table_bits(&table));
	wsg_pf_set_bigram(&table, 0xc3, 0xa9);
	CHECK(table_bits(&table) == 2 && wsg_pf_hit(&table, 0xc3, 0xa9), "non-ASCII pair");
}

WSG_TEST(pf_set_byte_sets_a_column)
{
	memset(&table, 0, sizeof(table));
	wsg_pf_set_byte(&table, '<');
	CHECK(table_bits(&table) == 256 - 26 - 2, "%d bits: one per folded previous byte",
	      table_bits(&table));
	for (int a = 0; a < 256; a++)
		CHECK(wsg_pf_hit(&table, wsg_pf_fold(a), '<'), "prev 0x%02x", a);
	CHECK(!wsg_pf_hit(&table, '<', 'a'), "the row is not set");
	memset(&table, 0, sizeof(table));
	wsg_pf_set_byte(&table, 'J');
	CHECK(wsg_pf_hit(&table, 0, 'j') && !wsg_pf_hit(&table, 0, 'J'), "column of folded 'j'");
}

static void xss_table(void)
{
	memset(&table, 0, sizeof(table));
	wsg_pf_set_bigram(&table, 's', 'c');
	wsg_pf_set_bigram(&table, 'O', 'N');
	wsg_pf_set_bigram(&table, '@', '[');
	wsg_pf_set_bigram(&table, 0, 'x');
	wsg_pf_set_bigram(&table, 0xc3, 0xa9);
	wsg_pf_set_byte(&table, '<');
	wsg_pf_set_byte(&table, '%');
}

WSG_TEST(pf_clean_messages)
{
	static const char *const clean[] = {
		"", "hello world", "cs", "s c", "o n", "no", "`{", "@{", "`[", "\xc3\xa8",
		"\xe3\xa9", "sxc", "yx", "{\"msg\":\"hi\"}",
	};

	xss_table();
	for (size_t i = 0; i < WSG_ARRAY_SIZE(clean); i++) {
		struct scan sc = scan_msg(clean[i]);

		CHECK(!sc.hits && !sc.s.hit, "\"%s\": %d hits", clean[i], sc.hits);
		CHECK(sc.s.off == strlen(clean[i]), "\"%s\": off %u", clean[i], sc.s.off);
		CHECK(sc.s.prev == (*clean[i] ? wsg_pf_fold(clean[i][strlen(clean[i]) - 1]) : 0),
		      "\"%s\": prev 0x%02x", clean[i], sc.s.prev);
	}
}

WSG_TEST(pf_first_trigger_recorded)
{
	static const struct {
		const char *msg;
		int hits;
		__u32 off;
		__u8 t0, t1;
	} t[] = {
		{ "<b>", 1, 0, 0, '<' },
		{ "a<", 1, 1, 'a', '<' },
		{ "A<", 1, 1, 'a', '<' },
		{ "aSCRIPT", 1, 2, 's', 'c' },
		{ "Sc", 1, 1, 's', 'c' },
		{ "oN", 1, 1, 'o', 'n' },
		{ "ON", 1, 1, 'o', 'n' },
		{ "@[", 1, 1, '@', '[' },
		{ "x", 1, 0, 0, 'x' },
		{ "X", 1, 0, 0, 'x' },
		{ "\xc3\xa9t\xc3\xa9", 2, 1, 0xc3, 0xa9 },
		{ "ab%3c<img onerror", 3, 2, 'b', '%' },
		{ "scscsc", 3, 1, 's', 'c' },
		{ "<<", 2, 0, 0, '<' },
	};

	xss_table();
	for (size_t i = 0; i < WSG_ARRAY_SIZE(t); i++) {
		struct scan sc = scan_msg(t[i].msg);

		CHECK(sc.hits == t[i].hits, "\"%s\": %d hits, want %d", t[i].msg, sc.hits,
		      t[i].hits);
		CHECK(sc.s.hit, "\"%s\": hit not set", t[i].msg);
		CHECK(sc.s.hit_off == t[i].off, "\"%s\": hit_off %u, want %u", t[i].msg,
		      sc.s.hit_off, t[i].off);
		CHECK(sc.s.trig[0] == t[i].t0 && sc.s.trig[1] == t[i].t1,
		      "\"%s\": trigger %02x %02x, want %02x %02x", t[i].msg, sc.s.trig[0],
		      sc.s.trig[1], t[i].t0, t[i].t1);
	}
}

WSG_TEST(pf_state_spans_pieces_not_messages)
{
	struct scan sc = { 0 };

	xss_table();
	scan_more(&sc, "hi s", 4);
	CHECK(!sc.hits, "no trigger yet");
	scan_more(&sc, "Cript", 5);
	CHECK(sc.hits == 1 && sc.s.hit_off == 4, "pair across pieces: %d hits at %u", sc.hits,
	      sc.s.hit_off);
	sc = scan_msg("hi s");
	memset(&sc.s, 0, sizeof(sc.s));
	scan_more(&sc, "cript", 5);
	CHECK(!sc.hits, "a new message forgets the previous byte");
}

/* An anchor piece that starts with a quote also fires at a message start and a line break. */
WSG_TEST(pf_delimiters_are_one_class)
{
	static const struct {
		const char *msg;
		int hits;
	} t[] = {
		{ "cat x", 1 }, { "say \"cat\"", 1 }, { "x\ncat", 1 }, { "a cat", 0 },
		{ "a concat", 0 },
	};

	memset(&table, 0, sizeof(table));
	wsg_pf_set_bigram(&table, '"', 'c');
	wsg_pf_set_gram(&table, "\"id\"", 4);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK(!!scan_msg(t[i].msg).hits == t[i].hits, "\"%s\"", t[i].msg);
	memset(&table, 0, sizeof(table));
	wsg_pf_set_gram(&table, "\"id\"", 4);
	CHECK(scan_msg("id\n").hits && scan_msg("x \"id\" y").hits, "4-gram at the start");
	CHECK(!scan_msg("id").hits && !scan_msg("did\n").hits, "4-gram needs both ends");
}

/* A run of WSG_PF_B64_RUN base64 letters is a blob once the table turns blobs on. */
WSG_TEST(pf_base64_run)
{
	char blob[WSG_PF_B64_RUN + 1] = { 0 }, words[64];

	memset(&table, 0, sizeof(table));
	memset(blob, 'Q', WSG_PF_B64_RUN);
	CHECK(!scan_msg(blob).hits, "blobs off: no trigger");
	wsg_pf_set_b64(&table, WSG_PF_B64_RUN);
	{
		struct wsg_pf_state st = { 0 };
		int r = 0;

		for (int i = 0; i < WSG_PF_B64_RUN; i++)
			r = wsg_pf_byte(&table, &st, 'Q');
		CHECK(scan_msg(blob).hits == 1 && r == WSG_PF_BLOB,
		      "a run of %d letters is a blob at its last byte", WSG_PF_B64_RUN);
	}
	blob[WSG_PF_B64_RUN - 1] = 0;
	CHECK(!scan_msg(blob).hits, "one letter short");
	snprintf(words, sizeof(words), "%.10s/%.10s=%.10s", blob, blob, blob);
	CHECK(!scan_msg(words).hits, "'/' and '=' end a run (paths, assignments)");
	CHECK(wsg_pf_b64('+') && wsg_pf_b64('z') && wsg_pf_b64('Z') && wsg_pf_b64('0') &&
	      !wsg_pf_b64('/') && !wsg_pf_b64(' ') && !wsg_pf_b64('-'), "the letters");
}

static __u32 rng = 0x12345678u;

static __u32 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

WSG_TEST(pf_random_tables_vs_naive_scan)
{
	static const char alphabet[] = "aAbBzZ@[`{<%\x00\xc3\xa9\xe0\xc0 \"\n";
	__u8 pairs[8][2], bytes[3];

	for (int it = 0; it < 2000 && wsg_test_failed < 10; it++) {
		int np = rnd() % 8, nb = rnd() % 3;
		struct wsg_pf_state s = { 0 };
		int first = -1;
		__u8 prev = 0, m[64];

		memset(&table, 0, sizeof(table));
		for (int i = 0; i < np; i++) {
			pairs[i][0] = alphabet[rnd() % (sizeof(alphabet) - 1)];
			pairs[i][1] = alphabet[rnd() % (sizeof(alphabet) - 1)];
			wsg_pf_set_bigram(&table, pairs[i][0], pairs[i][1]);
		}
		for (int i = 0; i < nb; i++) {
			bytes[i] = alphabet[rnd() % (sizeof(alphabet) - 1)];
			wsg_pf_set_byte(&table, bytes[i]);
		}
		for (int i = 0; i < 64; i++) {
			__u8 c = ref_fold(m[i] = alphabet[rnd() % (sizeof(alphabet) - 1)]);
			int want = 0, got;

			for (int j = 0; j < np; j++)
				want |= ref_fold(pairs[j][0]) == prev && ref_fold(pairs[j][1]) == c;
			for (int j = 0; j < nb; j++)
				want |= ref_fold(bytes[j]) == c;
			got = !!wsg_pf_byte(&table, &s, m[i]);
			CHECK(got == want, "iteration %d byte %d (0x%02x after 0x%02x): %d", it, i,
			      m[i], prev, got);
			if (want && first < 0) {
				first = i;
				CHECK(s.trig[0] == prev && s.trig[1] == c && s.hit_off == (__u32)i,
				      "iteration %d: first trigger", it);
			}
			prev = c;
		}
		CHECK(s.hit == (first >= 0) && s.off == 64, "iteration %d: hit %u off %u", it,
		      s.hit, s.off);
	}
}

/* A whole message through wsg_pf_feed and wsg_pf_end, as wsg_pf_message does. */
static int feed_msg(const char *m, size_t n)
{
	struct wsg_pf_state s = { 0 };

	for (size_t i = 0; i < n; i++)
		if (wsg_pf_feed(&table, &s, (__u8)m[i]))
			return 1;
	return wsg_pf_end(&s);
}

#define FEED(m) feed_msg(m, sizeof(m) - 1)

WSG_TEST(pf_unicode_escapes_are_decoded)
{
	memset(&table, 0, sizeof(table));
	wsg_pf_set_byte(&table, '<');
	wsg_pf_set_bigram(&table, '\'', ';');
	wsg_pf_set_bigram(&table, '\\', 'n');
	CHECK(!FEED("caf\\u00e9 \\ud83d\\ude00 \\u0041\\u0020ok"), "escaped text is text");
	CHECK(FEED("a \\u003cb"), "an escaped '<' is a '<'");
	CHECK(FEED("a \\u003C\\u0062"), "upper-case hex digits");
	CHECK(FEED("x\\u0027\\u003b"), "a pair of two escapes");
	CHECK(FEED("x'\\u003b") && FEED("x\\u0027;"), "a pair of an escape and a byte");
	CHECK(!FEED("x'\\u0020;"), "an escape between the bytes of a pair separates them");
	CHECK(FEED("line\\nnext"), "other escapes are fed as their two bytes");
	CHECK(!FEED("\\\\ \\\" \\/"), "escaped backslash, quote and slash");
	CHECK(FEED("a\\\\u0041"), "an escaped backslash before 'u': JSON and text views differ");
	CHECK(FEED("a\\u005cu0041"), "an escape that decodes to a backslash");
	CHECK(feed_msg("a\\u0000b", 8), "an escape that decodes to NUL");
	CHECK(FEED("a\\u00zz") && FEED("a\\u12"), "a malformed or cut escape");
	CHECK(FEED("ends in \\"), "a message that ends in a backslash");
	memset(&table, 0, sizeof(table));
	wsg_pf_set_byte(&table, 0x80);
	CHECK(FEED("\\u00e9") && !FEED("\\u007f"),
	      "a non-ASCII code point is fed as 0x80, ASCII as itself");
}

WSG_TEST(pf_escape_keeps_the_text_views_run)
{
	memset(&table, 0, sizeof(table));
	wsg_pf_set_b64(&table, WSG_PF_B64_RUN);
	/* text left undecoded has "u0020" + 15 letters: a run of 20 */
	CHECK(FEED("x \\u0020abcdefghijklmno"), "a run the undecoded text has");
	CHECK(!FEED("x \\u0020abcdefghijklmn"), "one letter short");
}

/* p through wsg_pf_message (user/prefilter.c walks and decodes blobs as the kernel does). */
static int msg(const char *p)
{
	return wsg_pf_message(&table, (const unsigned char *)p, strlen(p));
}

WSG_TEST(pf_base64_blobs_are_decoded)
{
	memset(&table, 0, sizeof(table));
	wsg_pf_set_b64(&table, WSG_PF_B64_RUN);
	wsg_pf_set_byte(&table, '<');
	CHECK(!msg("[\"0x80e911b62f552f563a2544dfef5eb39ec8863d9082c998ca6b657f76e19de38e\"]"),
	      "a hex id decodes to binary");
	CHECK(!msg("\"aGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZSB0ZXh0\""), "base64 of plain text");
	CHECK(msg("\"PHNjcmlwdD5hbGVydChkb2N1bWVudC5kb21haW4pPC9zY3JpcHQ+\""),
	      "base64 of markup: the decoded '<' triggers");
	CHECK(msg("x/y-PHNjcmlwdD5hbGVydChkb2N1bWVudC5kb21haW4pPC9zY3JpcHQ+"),
	      "decoded from the token's start, before the run");
	CHECK(msg("\"\\/aGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZSB0ZXh0\""),
	      "a token a backslash precedes");
	CHECK(msg("\"aGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZSB0ZXh0\\/x\""),
	      "a token that ends at a backslash");
	CHECK(msg("\"a\\u0041GVsbG8gd29ybGQsIHRoaXMgaXMgZmluZSB0ZXh0\""),
	      "a token with an escape in it");
	CHECK(msg("5aGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZSB0ZXh0") &&
	      msg("42/chat,17aGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZSB0ZXh0"),
	      "a token Socket.IO's type or ack digits may start (the decoder cuts them off)");
	CHECK(!msg("x5aGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZSB0ZXh0"), "digits inside a token");
	CHECK(wsg_pf_message_as(&table, (const unsigned char *)"aGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZSB0ZXh0",
				40, 1, WSG_PF_GENERIC), "every run in a binary message");
	memset(&table, 0, sizeof(table));
	wsg_pf_set_b64(&table, WSG_PF_B64_RUN);
	wsg_pf_set_bigram(&table, 'o', '"');
	CHECK(msg("aGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZSB0ZXh0IHRvbw"),
	      "a quote is fed after the decoded text (\"... too\")");
}

WSG_TEST(pf_text_is_printable_or_utf8)
{
	static const unsigned char bin[] = { 0x8f, 0xd0, 0x41, 0x00, 0xc3, 0x01, 0xff, 0x9d };
	struct wsg_pf_text u = { 0 };
	const char *txt = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 ok\t\n";

	for (const char *c = txt; *c; c++)
		wsg_pf_text_byte(&u, (__u8)*c);
	CHECK(u.ok == u.n && wsg_pf_is_text(&u), "UTF-8 text: %u of %u", u.ok, u.n);
	memset(&u, 0, sizeof(u));
	for (size_t i = 0; i < sizeof(bin); i++)
		wsg_pf_text_byte(&u, bin[i]);
	CHECK(u.ok == 1 && !wsg_pf_is_text(&u), "binary: %u of %u", u.ok, u.n);
	memset(&u, 0, sizeof(u));
	for (const char *c = "short"; *c; c++)
		wsg_pf_text_byte(&u, (__u8)*c);
	CHECK(!wsg_pf_is_text(&u), "fewer than %d bytes", WSG_PF_B64_MIN_TEXT);
}

WSG_TEST(pf_json_view_sees_decoded_escapes)
{
	memset(&table, 0, sizeof(table));
	wsg_pf_set_gram(&table, "\"/op", 4);
	wsg_pf_set_bigram(&table, '\'', '"');
	CHECK(msg("[\"\\/opt/app\"]"), "JSON's \"\\/\" is '/': a 4-gram across it");
	CHECK(msg("[\"it'\\\" x\"]"), "JSON's \"\\\"\" is a quote: a pair across it");
	CHECK(!msg("[\"\\\\/opt\"]"), "an escaped backslash stays a backslash");
	CHECK(!msg("[\"/tmp/x\",\"/usr\"]"), "no such 4-gram: nothing");
}

/* n copies of c, then tail, through wsg_pf_message_as. */
static int rep_msg(char c, int n, const char *tail, int binary)
{
	static char buf[40000];
	size_t tl = strlen(tail);

	memset(buf, c, n);
	memcpy(buf + n, tail, tl);
	return wsg_pf_message_as(&table, (const unsigned char *)buf, n + tl, binary, WSG_PF_GENERIC);
}

WSG_TEST(pf_structure_count_mirrors_the_decoding_bounds)
{
	memset(&table, 0, sizeof(table));
	wsg_pf_set_units(&table);
	CHECK(!rep_msg('[', WSG_JSON_MAX_DEPTH, "1", 0) &&
	      rep_msg('[', WSG_JSON_MAX_DEPTH + 1, "1", 0), "nesting: %d openers pass, one more holds",
	      WSG_JSON_MAX_DEPTH);
	CHECK(!rep_msg(',', WSG_JSON_MAX_NODES - 1, "", 0) &&
	      rep_msg(',', WSG_JSON_MAX_NODES + 1, "", 0), "values");
	CHECK(!rep_msg(0x1e, WSG_RECORDS_MAX, "", 0) && rep_msg(0x1e, WSG_RECORDS_MAX + 1, "", 0),
	      "SignalR records");
	CHECK(!rep_msg('"', 2 * WSG_GQL_MAX_LITERALS, "", 0) &&
	      rep_msg('"', 2 * WSG_GQL_MAX_LITERALS + 2, "", 0), "GraphQL literals' quotes");
	CHECK(!rep_msg('a', WSG_RECORDS_MAX, "", 1) && rep_msg('a', WSG_RECORDS_MAX + 1, "", 1),
	      "a binary message: every byte may be a record");
	CHECK(rep_msg((char)0x91, WSG_JSON_MAX_DEPTH + 1, "", 1), "MessagePack containers");
	CHECK(!rep_msg((char)0x91, WSG_JSON_MAX_DEPTH + 1, "", 0), "UTF-8 bytes in text");
}

/* The kernel reads fold, letters and the backslash from the table: the same as the code. */
WSG_TEST(pf_byte_entries_match_the_functions)
{
	memset(&table, 0, sizeof(table));
	wsg_pf_set_bytes(&table);
	wsg_pf_set_b64(&table, WSG_PF_B64_RUN);
	wsg_pf_set_units(&table);
	for (int bin = 0; bin < 2; bin++) {
		for (int b = 0; b < 256; b++) {
			__u32 e = table.byte[bin << 8 | b];

			CHECK((e & WSG_PF_B_FOLD) == wsg_pf_fold(b) &&
			      !!(e & WSG_PF_B_LETTER) == wsg_pf_b64(b) &&
			      !!(table.pair[b << 8 | '\\'] & WSG_PF_PAIR_ESC) && wsg_pf_fold('\\') == '\\',
			      "byte 0x%02x (binary %d)", b, bin);
		}
	}
	CHECK(table.byte['['] >> WSG_PF_B_UNITS == WSG_PF_W_OPEN &&
	      table.byte[','] >> WSG_PF_B_UNITS == WSG_PF_W_VALUE &&
	      table.byte['a'] >> WSG_PF_B_UNITS == 0 &&
	      table.byte[256 + 'a'] >> WSG_PF_B_UNITS == WSG_PF_W_RECORD, "weights");
}

/* The built table: one piece length per pair, and long anchors matched whole. */
WSG_TEST(pf_built_table_pieces)
{
	static struct wsg_pf_table built;
	int both = 0;

	REQUIRE(wsg_inspect_init() == 0, "rules");
	wsg_pf_build(&built);
	for (size_t i = 0; i < WSG_PF_PAIRS; i++)
		both += (built.pair[i] & WSG_PF_PAIR_TAIL4) && (built.pair[i] & WSG_PF_PAIR_TAIL8);
	CHECK(both == 0, "%d pairs end pieces of both lengths (the kernel probes one)", both);
	CHECK(wsg_pf_message(&built, (const unsigned char *)"run tasklist /v", 15) &&
	      !wsg_pf_message(&built, (const unsigned char *)"my task list and tasks", 22),
	      "\"tasklist\" holds, \"task list\" passes");
}

static int wsg_pf_str(const struct wsg_pf_table *t, const char *s)
{
	return wsg_pf_message(t, (const unsigned char *)s, strlen(s));
}

/*
 * Line anchors: an IMAP command needs a carriage return in the message, a header name a
 * line break; either may come first, raw or as a JSON escape.
 */
WSG_TEST(pf_line_anchors_need_their_break)
{
	static struct wsg_pf_table built;
	static const char *const pass[] = {
		"{\"type\":\"subscribe\",\"id\":\"1\"}",
		"SUBSCRIBE\nid:0\ndestination:/topic/chat\n\n",
		"{\"headers\":{\"content-type\":\"application/json\"}}",
		"please unsubscribe me\nthanks",	/* an IMAP command wants a CR */
	};
	static const char *const hold[] = {
		"a1 subscribe inbox\r\n",
		"\r\na1 subscribe inbox",
		"[\"x\\r\\na1 subscribe inbox\"]",	/* the JSON view's CR */
		"[\"x\\u000d\\na1 subscribe inbox\"]",
		"x\ncontent-type: text/html",
		"{\"v\":\"x\\ncontent-type: text/html\"}",
		"content-type: text/html\n",
	};

	REQUIRE(wsg_inspect_init() == 0, "rules");
	wsg_pf_build(&built);
	for (size_t i = 0; i < sizeof(pass) / sizeof(pass[0]); i++)
		CHECK(!wsg_pf_str(&built, pass[i]), "held: %s", pass[i]);
	for (size_t i = 0; i < sizeof(hold) / sizeof(hold[0]); i++)
		CHECK(wsg_pf_str(&built, hold[i]), "passed: %s", hold[i]);
	CHECK(!(built.pair['\\' << 8 | '\\'] >> WSG_PF_PAIR_NEED) &&
	      !(built.pair['%' << 8 | '%'] >> WSG_PF_PAIR_NEED), "escape pairs need nothing");
}

static int wsg_pf_stomp_msg(const struct wsg_pf_table *t, const char *s, enum wsg_pf_profile pr)
{
	return wsg_pf_message_as(t, (const unsigned char *)s, strlen(s) + 1, 0, pr);
}

/*
 * The STOMP profile: a SEND frame's header lines are strings of their own (their LFs are no
 * breaks), its body's are not; any other start, a header escape, a head the message ends in
 * count every LF.
 */
WSG_TEST(pf_stomp_profile_mutes_header_lines)
{
	static struct wsg_pf_table built;
	static const char *const pass[] = {
		"SEND\ndestination:/app/chat\ncontent-type:text/plain\ncontent-length:2\n\nhi",
		"SEND\ncontent-type:application/json\n\n{\"text\":\"hi\"}",
		"SEND\n\nno headers at all, content-type in the body",
	};
	static const char *const hold[] = {
		"SEND\ndestination:/a\n\nhi\ncontent-type: text/html",
		"SEND\ndestination:/a\\ncontent-type: x\n\nhi",	/* a header escape */
		"SEND\r\ncontent-type:text/plain\r\n\r\nhi",	/* CRs count */
		"send\ncontent-type:text/plain\n\nhi",		/* no SEND command */
		"MESSAGE\ncontent-type:text/plain\n\nhi",
		"SEND\ncontent-type:text/plain\nno blank line",	/* the head never closes */
	};

	REQUIRE(wsg_inspect_init() == 0, "rules");
	wsg_pf_build(&built);
	for (size_t i = 0; i < sizeof(pass) / sizeof(pass[0]); i++) {
		CHECK(!wsg_pf_stomp_msg(&built, pass[i], WSG_PF_STOMP), "held: %s", pass[i]);
		CHECK(wsg_pf_stomp_msg(&built, pass[i], WSG_PF_GENERIC) || i == 1,
		      "passed without the profile: %s", pass[i]);
	}
	for (size_t i = 0; i < sizeof(hold) / sizeof(hold[0]); i++)
		CHECK(wsg_pf_stomp_msg(&built, hold[i], WSG_PF_STOMP), "passed: %s", hold[i]);
}

/* The GraphQL reader's keyword codes are the words'. */
WSG_TEST(pf_gql_keyword_codes)
{
	static const struct {
		const char *w;
		__u64 code;
	} kw[] = { { "query", WSG_GQ_KW_QUERY }, { "mutation", WSG_GQ_KW_MUTATION },
		   { "subscription", WSG_GQ_KW_SUBSCRIPTION }, { "fragment", WSG_GQ_KW_FRAGMENT } };

	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
		__u64 c = 0;

		for (const char *p = kw[i].w; *p; p++)
			c = wsg_gq_code(c, (__u8)*p);
		CHECK(c == kw[i].code && wsg_gq_keyword(c), "%s", kw[i].w);
	}
	CHECK(wsg_gq_code(0, 'Q') == WSG_GQ_KW_NONE && !wsg_gq_keyword(WSG_GQ_KW_NONE), "capitals");
}

static int wsg_pf_gq_msg(const struct wsg_pf_table *t, const char *s, enum wsg_pf_profile pr)
{
	return wsg_pf_message_as(t, (const unsigned char *)s, strlen(s), 0, pr);
}

/*
 * The GraphQL profile: a document's names and punctuation are not read, its literals and
 * everything else are; what the reader cannot follow as the daemon does is held.
 */
WSG_TEST(pf_graphql_profile_reads_documents)
{
	static struct wsg_pf_table built;
	static const char *const pass[] = {
		"{\"id\":\"7\",\"type\":\"subscribe\",\"payload\":{\"query\":\"mutation Send($t: "
		"String!) { send(text: $t) { id } }\",\"variables\":{\"t\":\"hello there\"}}}",
		"{\"id\":\"2\",\"type\":\"start\",\"payload\":{\"query\":\"subscription useInfo($id: "
		"String) {\\n  user(id: $id) {\\n    id\\n    name\\n  }\\n}\",\"variables\":{}}}",
		"{\"type\":\"subscribe\",\"id\":\"a\",\"payload\":{\"query\":\"query { human(id: "
		"\\\"1000\\\") { name } }\",\"extensions\":{\"n\":[1,-2.5e3,0,true,false,null]}}}",
		"{\"query\":\"{ a(x: [1, 2], y: {z: \\\"ok\\\"}) @include(if: true) { ...F } }\"}",
		"{\"type\":\"connection_init\",\"payload\":{}}",
		"  [ ]  ",
	};
	static const char *const hold[] = {
		"{\"query\":\"{ a }\"",				/* no whole JSON value */
		"{\"query\":\"{ a }\",}",
		"{\"query\":\"{ a }\"} {}",
		"{'query':\"{ a }\"}",
		"{\"n\":01}",
		"{\"query\":\"alert(1) { x }\"}",		/* no keyword: read as text */
		"{\"query\":\"Query { x }\"}",
		"{\"query\":\"query\"}",			/* no '{' */
		"{\"query\":\"query { a # c\\n }\"}",		/* a comment */
		"{\"query\":\"query { a; b }\"}",		/* no GraphQL token */
		"{\"query\":\"{ f(a: \\\"<script>alert(1)</script>\\\") }\"}", /* in a literal */
		"{\"query\":\"{ f(a: \\\"\\\") }\"}",		/* "" or a block string */
		"{\"query\":\"{ f(a: \\\"x\\\\\\\" y\\\") }\"}",	/* a GraphQL escape */
		"{\"query\":\"{ f(a: \\\"x\\\\ny\\\") }\"}",	/* a line end in a literal */
		"{\"query\":\"{ f(a: \\\"\\\\u0022\\\") }\"}",	/* a \u escape */
		"{\"qu\\u0065ry\":\"{ a }\",\"x\":\"<b>\"}",
		"{\"v\":\"<script>alert(1)</script>\",\"query\":\"{ a }\"}",
	};

	REQUIRE(wsg_inspect_init() == 0, "rules");
	wsg_pf_build(&built);
	for (size_t i = 0; i < sizeof(pass) / sizeof(pass[0]); i++)
		CHECK(!wsg_pf_gq_msg(&built, pass[i], WSG_PF_GRAPHQL), "held: %s", pass[i]);
	CHECK(wsg_pf_gq_msg(&built, pass[0], WSG_PF_GENERIC), "the document read generically");
	for (size_t i = 0; i < sizeof(hold) / sizeof(hold[0]); i++)
		CHECK(wsg_pf_gq_msg(&built, hold[i], WSG_PF_GRAPHQL), "passed: %s", hold[i]);
}

WSG_TEST_MAIN
