// SPDX-License-Identifier: GPL-2.0-only
/*
 * HTTP long-polling transports (decode_polling.h): the URL-decoding of query and form pairs,
 * the transport of a request, and the client messages of Engine.IO v3/v4 XHR and JSONP
 * payloads, SockJS xhr_send/jsonp_send arrays and SignalR HTTP POST bodies. Every loop is
 * bounded by its input; messages are slices of the body or of the caller's scratch.
 */
#include <string.h>
#include <strings.h>
#include "decode.h"
#include "decode_polling.h"
#include "normalize.h"

#define WSG_EIO_RS 0x1e		/* Engine.IO v4 packet separator */
#define WSG_EIO3_LEN_DIGITS 10	/* digits of a v3 binary payload length we accept */

static const char *const wsg_tr_names[] = {
	[WSG_TR_HTTP] = "http",
	[WSG_TR_WEBSOCKET] = "websocket",
	[WSG_TR_EIO_POLLING] = "polling",
	[WSG_TR_EIO_JSONP] = "jsonp",
	[WSG_TR_SOCKJS] = "sockjs",
	[WSG_TR_SOCKJS_JSONP] = "sockjs-jsonp",
	[WSG_TR_SOCKJS_RECV] = "sockjs-recv",
	[WSG_TR_SIGNALR] = "signalr",
};

const char *wsg_transport_name(enum wsg_transport t)
{
	if ((unsigned)t >= sizeof(wsg_tr_names) / sizeof(wsg_tr_names[0]))
		return "?";
	return wsg_tr_names[t];
}

/* ---- bytes ---- */

static int wsg_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static unsigned char wsg_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

/*
 * Length of the UTF-8 sequence at p[0..n), 0 if it is not one (strict, as Node's decoder:
 * no overlong form, surrogate or code point past U+10FFFF).
 */
static size_t wsg_u8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t need;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		lo = c == 0xe0 ? 0xa0 : lo;
		hi = c == 0xed ? 0x9f : hi;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		lo = c == 0xf0 ? 0x90 : lo;
		hi = c == 0xf4 ? 0x8f : hi;
	} else {
		return 0;
	}
	if (n <= need || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t k = 2; k <= need; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	return need + 1;
}

static int wsg_u8_valid(const unsigned char *p, size_t n)
{
	size_t i = 0, l;

	while (i < n) {
		if (!(l = wsg_u8_len(p + i, n - i)))
			return 0;
		i += l;
	}
	return 1;
}

/* ---- URL-encoded pairs (query strings, form bodies) ---- */

/*
 * Next byte of the URL-encoded run s[*i..n): %XX is its byte, '+' a space if plus (queries
 * and forms; not paths), a '%' that does not start %XX stays itself and sets *bad.
 */
static unsigned char wsg_url_byte(const unsigned char *s, size_t n, size_t *i, int plus, int *bad)
{
	unsigned char c = s[(*i)++];
	int hi, lo;

	if (c == '+' && plus)
		return ' ';
	if (c != '%')
		return c;
	if (n - *i < 2 || (hi = wsg_hexval(s[*i])) < 0 || (lo = wsg_hexval(s[*i + 1])) < 0) {
		*bad = 1;
		return c;
	}
	*i += 2;
	return (unsigned char)(hi << 4 | lo);
}

/* 1 if the URL-encoded s[0..n) decodes to the ASCII word (icase: in any case). */
static int wsg_url_is(const unsigned char *s, size_t n, int plus, const char *word, int icase)
{
	size_t i = 0, k = 0, wl = strlen(word);
	int bad = 0;

	while (i < n) {
		unsigned char c = wsg_url_byte(s, n, &i, plus, &bad);
		unsigned char w = k < wl ? (unsigned char)word[k] : 0;

		if (k++ == wl || (icase ? wsg_lower(c) != wsg_lower(w) : c != w))
			return 0;
	}
	return k == wl;
}

/* Decode the URL-encoded s[0..n) into out (n bytes); *bad as wsg_url_byte. Returns the length. */
static size_t wsg_url_decode(const unsigned char *s, size_t n, unsigned char *out, int *bad)
{
	size_t i = 0, o = 0;

	while (i < n)
		out[o++] = wsg_url_byte(s, n, &i, 1, bad);
	return o;
}

/* One name=value pair; the pointers index the raw query or form. */
struct wsg_pair {
	const unsigned char *name, *val;
	size_t nlen, vlen;
};

/* Next '&'-separated non-empty pair of s[*pos..n); a pair without '=' has an empty value. */
static int wsg_pair_next(const unsigned char *s, size_t n, size_t *pos, struct wsg_pair *pr)
{
	while (*pos < n) {
		const unsigned char *p = s + *pos;
		const unsigned char *amp = memchr(p, '&', n - *pos);
		size_t len = amp ? (size_t)(amp - p) : n - *pos;
		const unsigned char *eq = memchr(p, '=', len);

		*pos += len + (amp != NULL);
		if (!len)
			continue;
		pr->name = p;
		pr->nlen = eq ? (size_t)(eq - p) : len;
		pr->val = eq ? eq + 1 : p + len;
		pr->vlen = eq ? len - pr->nlen - 1 : 0;
		return 1;
	}
	return 0;
}

/* ---- which transport ---- */

/* The path and query of a request-target, as Node's URL parsers split it. */
struct wsg_target {
	const unsigned char *path, *query;
	size_t plen, qlen;
};

static void wsg_target_split(const char *target, size_t n, struct wsg_target *t)
{
	const unsigned char *s = (const unsigned char *)target;
	size_t end = 0, q;

	while (end < n && s[end] != '?' && s[end] != '#')
		end++;
	t->path = s;
	t->plen = end;
	t->query = s + end;
	t->qlen = 0;
	if (end == n || s[end] != '?')
		return;
	for (q = end + 1; q < n && s[q] != '#'; q++)
		;
	t->query = s + end + 1;
	t->qlen = q - end - 1;
}

/* Engine.IO's query parameters: 0 if the query names no Engine.IO request. */
static int wsg_eio_query(const struct wsg_target *t, int *jsonp, int *eio)
{
	unsigned eios = 0, js = 0;
	int polling = 0, four = 0;
	struct wsg_pair pr;
	size_t pos = 0;

	while (wsg_pair_next(t->query, t->qlen, &pos, &pr)) {
		if (wsg_url_is(pr.name, pr.nlen, 1, "transport", 0)) {
			polling |= wsg_url_is(pr.val, pr.vlen, 1, "polling", 0);
		} else if (wsg_url_is(pr.name, pr.nlen, 1, "EIO", 0)) {
			eios++;
			four = wsg_url_is(pr.val, pr.vlen, 1, "4", 0);
		} else if (wsg_url_is(pr.name, pr.nlen, 1, "j", 0)) {
			js++;
		}
	}
	if (!polling && !eios)
		return 0;
	*jsonp = js > 0;
	*eio = eios > 1 || js > 1 ? 0 : four ? 4 : 3;
	return 1;
}

static int wsg_slash(unsigned char c)
{
	return c == '/' || c == '\\';
}

/* sockjs-node's /<server>/<session>/<transport>[/] at the end of the raw path. */
static enum wsg_transport wsg_sockjs_path(const unsigned char *p, size_t n)
{
	static const char *const recv[] = {
		"xhr", "xhr_streaming", "eventsource", "htmlfile", "jsonp",
	};
	size_t end = n && wsg_slash(p[n - 1]) ? n - 1 : n, start = end, tlen;
	const char *tr;

	while (start && !wsg_slash(p[start - 1]))
		start--;
	tr = (const char *)p + start;
	tlen = end - start;
	for (int seg = 0; seg < 2; seg++) {	/* session, then server */
		if (!start)
			return WSG_TR_HTTP;
		end = start - 1;
		for (start = end; start && !wsg_slash(p[start - 1]); start--)
			if (p[start - 1] == '.')
				return WSG_TR_HTTP;
		if (start == end || !start)
			return WSG_TR_HTTP;
	}
	if (tlen == 8 && !memcmp(tr, "xhr_send", 8))
		return WSG_TR_SOCKJS;
	if (tlen == 10 && !memcmp(tr, "jsonp_send", 10))
		return WSG_TR_SOCKJS_JSONP;
	for (size_t i = 0; i < sizeof(recv) / sizeof(recv[0]); i++)
		if (tlen == strlen(recv[i]) && !memcmp(tr, recv[i], tlen))
			return WSG_TR_SOCKJS_RECV;
	return WSG_TR_HTTP;
}

/* A SignalR send: a non-empty id parameter (any case), the last path segment not negotiate. */
static int wsg_signalr_target(const struct wsg_target *t)
{
	size_t end = t->plen && t->path[t->plen - 1] == '/' ? t->plen - 1 : t->plen, start = end;
	struct wsg_pair pr;
	size_t pos = 0;
	int id = 0;

	while (wsg_pair_next(t->query, t->qlen, &pos, &pr))
		id |= pr.vlen && wsg_url_is(pr.name, pr.nlen, 1, "id", 1);
	while (start && t->path[start - 1] != '/')
		start--;
	return id && !wsg_url_is(t->path + start, end - start, 0, "negotiate", 1);
}

enum wsg_transport wsg_transport_of(const char *method, const char *target, size_t target_len,
				    int upgrade, int *eio)
{
	struct wsg_target t;
	enum wsg_transport tr;
	int jsonp = 0, v = 0;

	wsg_target_split(target ? target : "", target ? target_len : 0, &t);
	if (wsg_eio_query(&t, &jsonp, &v)) {
		if (eio)
			*eio = v;
		return upgrade ? WSG_TR_WEBSOCKET : jsonp ? WSG_TR_EIO_JSONP : WSG_TR_EIO_POLLING;
	}
	if (eio)
		*eio = 0;
	if (upgrade)
		return WSG_TR_WEBSOCKET;
	tr = wsg_sockjs_path(t.path, t.plen);
	if (tr != WSG_TR_HTTP)
		return tr;
	if (method && !strcasecmp(method, "POST") && wsg_signalr_target(&t))
		return WSG_TR_SIGNALR;
	return WSG_TR_HTTP;
}

/* ---- messages ---- */

struct wsg_pm {
	wsg_poll_msg_fn fn;
	void *ctx;
	unsigned count;
	const char **why;
};

static int wsg_pm_fail(struct wsg_pm *m, const char *why)
{
	*m->why = why;
	return -1;
}

static int wsg_pm_emit(struct wsg_pm *m, int is_text, const unsigned char *p, size_t n)
{
	if (m->count >= WSG_POLL_MAX_MSGS)
		return wsg_pm_fail(m, "too many packets");
	return m->fn(m->ctx, m->count++, is_text, p, n);
}

/* An Engine.IO packet type engine.io-parser accepts in a string: '0'..'6', or 'b' (base64). */
static int wsg_eio_type_ok(unsigned char c)
{
	return c == 'b' || (c >= '0' && c <= '6');
}

/*
 * Next packet of an Engine.IO v3 string payload ("<length>:<packet>", repeated) from *pos,
 * p being valid UTF-8: 1 with the packet at p[*off..*off + *len), 0 at the end, -1 with *why.
 * The length counts UTF-16 code units of the JS string the server slices, so a 4-byte
 * sequence counts 2. A zero length is skipped, as engine.io-parser does. The server also
 * takes any length Number() reads (" 11", "0xb", "1e1"); no client writes one: refused.
 */
static int wsg_eio3_next(const unsigned char *p, size_t n, size_t *pos, size_t *off,
			 size_t *len, const char **why)
{
	while (*pos < n) {
		size_t i = *pos, want = 0, units = 0;

		while (i < n && p[i] >= '0' && p[i] <= '9') {
			if (want <= n)
				want = want * 10 + (size_t)(p[i] - '0');
			i++;
		}
		if (i == *pos || i == n || p[i] != ':') {
			*why = i == n ? "v3 length without ':'" : "v3 length not decimal";
			return -1;
		}
		*off = ++i;
		while (units < want) {
			size_t l;

			if (i == n) {
				*why = "v3 length beyond the payload";
				return -1;
			}
			l = wsg_u8_len(p + i, n - i);
			units += l == 4 ? 2 : 1;
			i += l ? l : 1;
		}
		if (units > want) {
			*why = "v3 length splits a character";
			return -1;
		}
		*pos = i;
		*len = i - *off;
		if (!*len)
			continue;
		if (!wsg_eio_type_ok(p[*off])) {
			*why = "bad Engine.IO packet type";
			return -1;
		}
		return 1;
	}
	return 0;
}

static int wsg_eio3_text(struct wsg_pm *m, const unsigned char *p, size_t n)
{
	size_t pos = 0, off, len;
	int r;

	while ((r = wsg_eio3_next(p, n, &pos, &off, &len, m->why)) > 0)
		if ((r = wsg_pm_emit(m, 1, p + off, len)))
			return r;
	return r;
}

/*
 * An engine.io 3 server reads every payload as v3, whatever EIO says: 1 if it would take a
 * packet from p (no v4 client writes a body that starts "<digits>:").
 */
static int wsg_eio3_reads(const unsigned char *p, size_t n)
{
	size_t pos = 0, off, len;
	const char *why;

	return wsg_eio3_next(p, n, &pos, &off, &len, &why) > 0;
}

/* Engine.IO v4: packets joined by 0x1E; an empty one (an empty body too) is a parser error. */
static int wsg_eio4_text(struct wsg_pm *m, const unsigned char *p, size_t n)
{
	size_t i = 0;

	for (;;) {
		const unsigned char *rs = memchr(p + i, WSG_EIO_RS, n - i);
		size_t end = rs ? (size_t)(rs - p) : n;
		int r;

		if (end == i)
			return wsg_pm_fail(m, "empty Engine.IO packet");
		if (!wsg_eio_type_ok(p[i]))
			return wsg_pm_fail(m, "bad Engine.IO packet type");
		if ((r = wsg_pm_emit(m, 1, p + i, end - i)))
			return r;
		if (!rs)
			return 0;
		i = end + 1;
	}
}

/*
 * A v3 binary payload (Content-Type exactly application/octet-stream), repeated: 0 (string)
 * or 1 (binary), the length's decimal digits as bytes 0..9, 0xFF, then that many bytes.
 * engine.io-parser 2 also takes other flag and digit bytes and cuts a length past the end
 * short; no client writes those: refused. A string packet is UTF-8 (utf8.js decodes it).
 */
static int wsg_eio3_binary(struct wsg_pm *m, const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char flag = p[i++];
		unsigned long long want = 0;
		size_t d = 0;
		int r;

		if (flag > 1)
			return wsg_pm_fail(m, "v3 binary packet flag not 0 or 1");
		for (; i < n && p[i] != 0xff; i++, d++) {
			if (p[i] > 9 || d == WSG_EIO3_LEN_DIGITS)
				return wsg_pm_fail(m, "v3 binary length not decimal");
			want = want * 10 + p[i];
		}
		if (i == n || !d)
			return wsg_pm_fail(m, "v3 binary length without 0xFF");
		i++;
		if (want > n - i)
			return wsg_pm_fail(m, "v3 length beyond the payload");
		if (!flag && (!want || !wsg_eio_type_ok(p[i])))
			return wsg_pm_fail(m, "bad Engine.IO packet type");
		if (!flag && !wsg_u8_valid(p + i, (size_t)want))
			return wsg_pm_fail(m, "invalid UTF-8");
		if ((r = wsg_pm_emit(m, !flag, p + i, (size_t)want)))
			return r;
		i += (size_t)want;
	}
	return 0;
}

/* A text payload (an XHR body, or a JSONP body's d) of Engine.IO version eio. */
static int wsg_eio_payload(struct wsg_pm *m, int eio, const unsigned char *p, size_t n)
{
	if (!n)
		return wsg_pm_fail(m, "empty Engine.IO payload");
	if (!wsg_u8_valid(p, n))
		return wsg_pm_fail(m, "invalid UTF-8");
	if (eio == 3)
		return wsg_eio3_text(m, p, n);
	if (wsg_eio3_reads(p, n))
		return wsg_pm_fail(m, "v3 payload under EIO=4");
	return wsg_eio4_text(m, p, n);
}

static int wsg_ct_is(const char *ct, const char *type)
{
	return ct && !strcmp(ct, type);
}

/*
 * The one field d of a form body, decoded into out (n bytes): what Node's querystring.parse
 * gives, or -1 with *why. The body must be valid UTF-8 and its d free of a '%' that does not
 * start %XX: with either, querystring decodes the field byte by byte and truncates every
 * character to its low 8 bits, so the server would read another string than this.
 */
static int wsg_form_d(struct wsg_pm *m, const unsigned char *s, size_t n, unsigned char *out,
		      size_t *len)
{
	struct wsg_pair pr, d = {};
	size_t pos = 0;
	unsigned seen = 0;
	int bad = 0;

	if (!wsg_u8_valid(s, n))
		return wsg_pm_fail(m, "invalid UTF-8");
	while (wsg_pair_next(s, n, &pos, &pr)) {
		if (wsg_url_is(pr.name, pr.nlen, 1, "d", 0)) {
			d = pr;
			seen++;
		}
	}
	if (seen != 1)
		return wsg_pm_fail(m, seen ? "repeated d= field" : "no d= field");
	*len = wsg_url_decode(d.val, d.vlen, out, &bad);
	if (bad)
		return wsg_pm_fail(m, "bad %-escape in d=");
	if (!wsg_u8_valid(out, *len))
		return wsg_pm_fail(m, "invalid UTF-8");
	return 0;
}

/*
 * engine.io's JSONP unescaping, in place: /(\\)?\\n/g turns a backslash-n into a newline
 * unless a backslash precedes it, then /\\\\n/g turns two backslashes and n into one and n.
 */
static size_t wsg_jsonp_newlines(unsigned char *s, size_t n)
{
	size_t i = 0, o = 0;

	while (i < n) {
		if (s[i] == '\\' && n - i > 2 && s[i + 1] == '\\' && s[i + 2] == 'n') {
			s[o++] = s[i++];
			s[o++] = s[i++];
			s[o++] = s[i++];
		} else if (s[i] == '\\' && n - i > 1 && s[i + 1] == 'n') {
			s[o++] = '\n';
			i += 2;
		} else {
			s[o++] = s[i++];
		}
	}
	for (n = o, i = o = 0; i < n;) {
		if (s[i] == '\\' && n - i > 2 && s[i + 1] == '\\' && s[i + 2] == 'n') {
			s[o++] = '\\';
			s[o++] = 'n';
			i += 3;
		} else {
			s[o++] = s[i++];
		}
	}
	return o;
}

static int wsg_eio_messages(struct wsg_pm *m, int jsonp, int eio, const char *ct,
			    const unsigned char *body, size_t n, unsigned char *scratch)
{
	int binary = wsg_ct_is(ct, "application/octet-stream");
	size_t len;

	if (eio != 3 && eio != 4)
		return wsg_pm_fail(m, "Engine.IO version ambiguous (repeated EIO or j)");
	if (binary && eio == 4)
		return wsg_pm_fail(m, "binary payload under EIO=4");
	if (binary)
		return jsonp ? wsg_pm_fail(m, "binary JSONP body") : wsg_eio3_binary(m, body, n);
	if (!jsonp)
		return wsg_eio_payload(m, eio, body, n);
	if (wsg_form_d(m, body, n, scratch, &len))
		return -1;
	return wsg_eio_payload(m, eio, scratch, wsg_jsonp_newlines(scratch, len));
}

/* ---- SockJS ---- */

static size_t wsg_json_ws(const unsigned char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i;
}

static int wsg_json_hex4(const unsigned char *p)
{
	int v = 0;

	for (int k = 0; k < 4; k++) {
		int d = wsg_hexval(p[k]);

		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/*
 * The JSON string literal at in[*i] (its opening quote), decoded onto out + *o; -1 on bad
 * syntax. Writes at most as many bytes as it reads, so out may be in.
 */
static int wsg_json_string(const unsigned char *in, size_t n, size_t *i, unsigned char *out,
			   size_t *o)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	size_t k = *i + 1, w = *o;

	while (k < n) {
		unsigned char c = in[k++];
		const char *e;
		int cp, lo;

		if (c == '"') {
			*i = k;
			*o = w;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			out[w++] = c;
			continue;
		}
		if (k == n)
			return -1;
		c = in[k++];
		if ((e = memchr(from, c, sizeof(from) - 1))) {
			out[w++] = (unsigned char)to[e - from];
			continue;
		}
		if (c != 'u' || n - k < 4 || (cp = wsg_json_hex4(in + k)) < 0)
			return -1;
		k += 4;
		if (cp >= 0xd800 && cp < 0xdc00 && n - k >= 6 && in[k] == '\\' &&
		    in[k + 1] == 'u' && (lo = wsg_json_hex4(in + k + 2)) >= 0xdc00 && lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			k += 6;
		}
		/* a lone surrogate becomes U+FFFD, as Node writes the string out */
		w += wsg_utf8_put((unsigned)cp, (char *)out + w);
	}
	return -1;
}

/*
 * The JSON array of strings sockjs-node takes (JSON.parse, then an Array): each string is
 * one text message, decoded onto out (out may be in). Elements that are not strings are
 * passed on as they are by the server; no client sends one: refused.
 */
static int wsg_sockjs_array(struct wsg_pm *m, const unsigned char *in, size_t n,
			    unsigned char *out)
{
	size_t i, o = 0;
	int r;

	if (!wsg_u8_valid(in, n))
		return wsg_pm_fail(m, "invalid UTF-8");
	i = wsg_json_ws(in, n, 0);
	if (i < n && in[i] == '"')
		return wsg_pm_fail(m, "SockJS array sent as a JSON string");
	if (i == n || in[i] != '[')
		return wsg_pm_fail(m, "SockJS body not a JSON array");
	i = wsg_json_ws(in, n, i + 1);
	if (i < n && in[i] == ']')
		i++;
	else
		for (;;) {
			size_t start = o;

			if (i == n || in[i] != '"')
				return wsg_pm_fail(m, "SockJS message not a string");
			if (wsg_json_string(in, n, &i, out, &o))
				return wsg_pm_fail(m, "bad JSON string");
			if ((r = wsg_pm_emit(m, 1, out + start, o - start)))
				return r;
			i = wsg_json_ws(in, n, i);
			if (i < n && in[i] == ']') {
				i++;
				break;
			}
			if (i == n || in[i] != ',')
				return wsg_pm_fail(m, "SockJS body not a JSON array");
			i = wsg_json_ws(in, n, i + 1);
		}
	if (wsg_json_ws(in, n, i) != n)
		return wsg_pm_fail(m, "bytes after the SockJS array");
	return 0;
}

/* The media type of a Content-Type as sockjs-node reads it: up to the first ';', exact. */
static int wsg_ct_type_is(const char *ct, const char *type)
{
	size_t n = ct ? strcspn(ct, ";") : 0;

	return n == strlen(type) && (!n || !memcmp(ct, type, n));
}

static int wsg_sockjs_messages(struct wsg_pm *m, int jsonp, const char *ct,
			       const unsigned char *body, size_t n, unsigned char *scratch)
{
	static const char *const xhr[] = {
		"text/plain", "T", "application/json", "application/xml", "", "text/xml",
	};
	size_t len, i;
	int ok = 0;

	if (jsonp && wsg_ct_type_is(ct, "application/x-www-form-urlencoded")) {
		if (wsg_form_d(m, body, n, scratch, &len))
			return -1;
		if (!len)
			return wsg_pm_fail(m, "empty SockJS body");
		return wsg_sockjs_array(m, scratch, len, scratch);
	}
	if (jsonp)
		ok = wsg_ct_type_is(ct, "text/plain") || wsg_ct_type_is(ct, "");
	for (i = 0; !jsonp && i < sizeof(xhr) / sizeof(xhr[0]); i++)
		ok |= wsg_ct_type_is(ct, xhr[i]);
	if (!ok)
		return wsg_pm_fail(m, "Content-Type sockjs-node refuses");
	if (!n)
		return wsg_pm_fail(m, "empty SockJS body");
	return wsg_sockjs_array(m, body, n, scratch);
}

/* ---- SignalR ---- */

static int wsg_signalr_messages(struct wsg_pm *m, const unsigned char *body, size_t n)
{
	const char *s = (const char *)body;
	const unsigned char *rs;
	size_t hs;
	int mp = 0, r;

	if (!n)
		return 0;
	if (wsg_signalr_json_is(s, n) && wsg_u8_valid(body, n))
		return wsg_pm_emit(m, 1, body, n);
	if (wsg_signalr_bin_is(body, n))
		return wsg_pm_emit(m, 0, body, n);
	rs = memchr(body, WSG_SIGNALR_RS, n);
	hs = rs ? (size_t)(rs - body) + 1 : 0;
	if (rs && wsg_signalr_handshake(s, hs, &mp) && mp && wsg_signalr_bin_is(rs + 1, n - hs)) {
		if ((r = wsg_pm_emit(m, 1, body, hs)))
			return r;
		return wsg_pm_emit(m, 0, rs + 1, n - hs);
	}
	return wsg_pm_emit(m, wsg_u8_valid(body, n), body, n);
}

int wsg_polling_messages(enum wsg_transport t, int eio, const char *method,
			 const char *content_type, const unsigned char *body, size_t n,
			 unsigned char *scratch, wsg_poll_msg_fn fn, void *ctx, const char **why)
{
	const char *unused;
	struct wsg_pm m = { .fn = fn, .ctx = ctx, .why = why ? why : &unused };

	*m.why = NULL;
	if (!method || strcasecmp(method, "POST"))
		return 0;
	switch (t) {
	case WSG_TR_EIO_POLLING:
	case WSG_TR_EIO_JSONP:
		return wsg_eio_messages(&m, t == WSG_TR_EIO_JSONP, eio, content_type, body, n,
					scratch);
	case WSG_TR_SOCKJS:
	case WSG_TR_SOCKJS_JSONP:
		return wsg_sockjs_messages(&m, t == WSG_TR_SOCKJS_JSONP, content_type, body, n,
					   scratch);
	case WSG_TR_SIGNALR:
		return wsg_signalr_messages(&m, body, n);
	default:
		return 0;
	}
}
