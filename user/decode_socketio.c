// SPDX-License-Identifier: GPL-2.0-only
/*
 * Engine.IO v3/v4 and Socket.IO packet prefixes (decode.h): the Engine.IO type digit, then for
 * a message the Socket.IO type, the binary attachment count ("451-"), the namespace
 * ("/admin,") and the ack id ("421"), leaving the offset of the JSON payload; the check of a
 * binary packet's placeholders against its count; the base64 of Engine.IO "b" packets.
 */
#include <string.h>
#include "decode.h"
#include "wsg_prefilter.h"

static int wsg_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* The Socket.IO part after the Engine.IO '4'; q indexes p. */
static void wsg_sio_packet(const char *p, size_t len, size_t q, int strict, struct wsg_sio *s)
{
	s->sio_type = p[q++];
	if (s->sio_type == '5' || s->sio_type == '6') {
		size_t d = q;

		while (q < len && wsg_isdigit(p[q])) {
			if (s->attachments < 1000000)
				s->attachments = s->attachments * 10 + (unsigned long)(p[q] - '0');
			q++;
		}
		if (q == d || q >= len || p[q] != '-') {
			s->kind = strict ? WSG_SIO_NOT : WSG_SIO_TEXT;
			s->off = d;
			return;
		}
		s->binary = 1;
		q++;
	}
	if (q < len && p[q] == '/') {
		const char *comma = memchr(p + q, ',', len - q);
		size_t end = comma ? (size_t)(comma - p) : len;

		s->nsp_off = q;
		s->nsp_len = end - q;
		q = comma ? end + 1 : len;
	}
	while (q < len && wsg_isdigit(p[q]))
		q++;
	s->off = q;
	if (q == len) {
		s->kind = WSG_SIO_EMPTY;
		return;
	}
	if (strict && p[q] != '[' && p[q] != '{' && p[q] != '"') {
		s->kind = WSG_SIO_NOT;
		return;
	}
	s->kind = WSG_SIO_JSON;
}

void wsg_sio_parse(const char *p, size_t len, int strict, struct wsg_sio *s)
{
	memset(s, 0, sizeof(*s));
	if (!len || p[0] < '0' || p[0] > '6')
		return;
	s->eio_type = p[0];
	if (p[0] != '4') {
		/* open, close, ping, pong, upgrade, noop: at most an opaque payload ("probe"). */
		if (len == 1) {
			s->kind = WSG_SIO_EMPTY;
			return;
		}
		if (strict && !(len == 6 && !memcmp(p + 1, "probe", 5)))
			return;
		s->kind = WSG_SIO_TEXT;
		s->off = 1;
		return;
	}
	if (len >= 2 && p[1] >= '0' && p[1] <= '6') {
		wsg_sio_packet(p, len, 1, strict, s);
		return;
	}
	/* A bare Engine.IO message: its payload is the application's own text. */
	if (strict)
		return;
	s->kind = len == 1 ? WSG_SIO_EMPTY : WSG_SIO_TEXT;
	s->off = 1;
}

/* Placeholder scan of one JSON value: a bounded recursive descent (see decode.h). */
struct wsg_ph {
	const char *p;
	size_t len, i;
	unsigned long n;	/* attachments announced */
	unsigned long found;	/* placeholders seen */
	unsigned seen;		/* bit k: num k seen (n <= WSG_SIO_MAX_ATTACHMENTS) */
	int bad;		/* a num out of range, repeated or not a plain integer */
};

static void wsg_ph_ws(struct wsg_ph *x)
{
	while (x->i < x->len && (x->p[x->i] == ' ' || x->p[x->i] == '\t' ||
				 x->p[x->i] == '\n' || x->p[x->i] == '\r'))
		x->i++;
}

static int wsg_ph_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * A string literal at x->i (its opening quote). Returns -1 on a syntax error, else 1 if it
 * decodes to the ASCII word (escapes decoded: "\u005fplaceholder" is "_placeholder"), 0 if not.
 */
static int wsg_ph_string(struct wsg_ph *x, const char *word)
{
	size_t k = 0, wl = word ? strlen(word) : 0;
	int same = word != NULL;

	x->i++;
	while (x->i < x->len) {
		unsigned char c = (unsigned char)x->p[x->i++];
		int h, cp;

		if (c == '"')
			return same && k == wl;
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (x->i >= x->len)
				return -1;
			c = (unsigned char)x->p[x->i++];
			if (c == 'u') {
				if (x->len - x->i < 4)
					return -1;
				for (cp = 0, h = 0; h < 4; h++) {
					int d = wsg_ph_hex(x->p[x->i++]);

					if (d < 0)
						return -1;
					cp = cp << 4 | d;
				}
				c = cp < 0x80 ? (unsigned char)cp : 0x80;
			} else if (!strchr("\"\\/bfnrt", c)) {
				return -1;
			}
		}
		same = same && k < wl && word[k] == (char)c;
		k++;
	}
	return -1;
}

/* A number at x->i; *idx gets its value if it is a plain integer (no sign, fraction, exponent). */
static int wsg_ph_number(struct wsg_ph *x, unsigned long *idx, int *plain)
{
	size_t start = x->i;

	*idx = 0;
	*plain = 1;
	if (x->p[x->i] == '-') {
		*plain = 0;
		x->i++;
	}
	if (x->i >= x->len || !wsg_isdigit(x->p[x->i]))
		return -1;
	if (x->p[x->i] == '0' && x->i + 1 < x->len && wsg_isdigit(x->p[x->i + 1]))
		return -1;
	while (x->i < x->len && wsg_isdigit(x->p[x->i])) {
		if (*idx < 1000000)
			*idx = *idx * 10 + (unsigned long)(x->p[x->i] - '0');
		x->i++;
	}
	if (x->i < x->len && x->p[x->i] == '.') {
		*plain = 0;
		if (++x->i >= x->len || !wsg_isdigit(x->p[x->i]))
			return -1;
		while (x->i < x->len && wsg_isdigit(x->p[x->i]))
			x->i++;
	}
	if (x->i < x->len && (x->p[x->i] | 0x20) == 'e') {
		*plain = 0;
		if (++x->i < x->len && (x->p[x->i] == '+' || x->p[x->i] == '-'))
			x->i++;
		if (x->i >= x->len || !wsg_isdigit(x->p[x->i]))
			return -1;
		while (x->i < x->len && wsg_isdigit(x->p[x->i]))
			x->i++;
	}
	return x->i > start ? 0 : -1;
}

/* What one member value was, for the object that holds it. */
struct wsg_ph_val {
	int is_true;		/* the literal true */
	int is_index;		/* a plain integer */
	unsigned long idx;
};

static int wsg_ph_value(struct wsg_ph *x, unsigned depth, struct wsg_ph_val *val);

/*
 * An object at x->i. Duplicate members: the last one counts, as in JSON.parse. If its
 * "_placeholder" is true, it is one placeholder and what it nests is not looked at, as
 * reconstructPacket replaces it whole.
 */
static int wsg_ph_object(struct wsg_ph *x, unsigned depth)
{
	unsigned long found = x->found;
	unsigned seen = x->seen;
	int bad = x->bad, ph = 0, num_ok = 0;
	unsigned long num = 0;

	x->i++;
	wsg_ph_ws(x);
	if (x->i < x->len && x->p[x->i] == '}') {
		x->i++;
		return 0;
	}
	for (;;) {
		struct wsg_ph_val val;
		size_t key;
		int is_ph, is_num;

		wsg_ph_ws(x);
		if (x->i >= x->len || x->p[x->i] != '"')
			return -1;
		key = x->i;
		is_ph = wsg_ph_string(x, "_placeholder");
		x->i = key;
		is_num = wsg_ph_string(x, "num");
		if (is_ph < 0 || is_num < 0)
			return -1;
		wsg_ph_ws(x);
		if (x->i >= x->len || x->p[x->i++] != ':')
			return -1;
		if (wsg_ph_value(x, depth + 1, &val))
			return -1;
		if (is_ph)
			ph = val.is_true;
		if (is_num) {
			num_ok = val.is_index;
			num = val.idx;
		}
		wsg_ph_ws(x);
		if (x->i < x->len && x->p[x->i] == ',') {
			x->i++;
			continue;
		}
		if (x->i < x->len && x->p[x->i] == '}') {
			x->i++;
			break;
		}
		return -1;
	}
	if (!ph)
		return 0;
	x->found = found + 1;
	x->seen = seen;
	x->bad = bad;
	if (!num_ok || num >= x->n || (x->seen & (1u << num)))
		x->bad = 1;
	else
		x->seen |= 1u << num;
	return 0;
}

static int wsg_ph_array(struct wsg_ph *x, unsigned depth)
{
	struct wsg_ph_val val;

	x->i++;
	wsg_ph_ws(x);
	if (x->i < x->len && x->p[x->i] == ']') {
		x->i++;
		return 0;
	}
	for (;;) {
		if (wsg_ph_value(x, depth + 1, &val))
			return -1;
		wsg_ph_ws(x);
		if (x->i < x->len && x->p[x->i] == ',') {
			x->i++;
			continue;
		}
		if (x->i < x->len && x->p[x->i] == ']') {
			x->i++;
			return 0;
		}
		return -1;
	}
}

static int wsg_ph_literal(struct wsg_ph *x, const char *word)
{
	size_t n = strlen(word);

	if (x->len - x->i < n || memcmp(x->p + x->i, word, n))
		return -1;
	x->i += n;
	return 0;
}

/* One value at x->i (whitespace before it skipped): 0 or -1 on a syntax error or depth. */
static int wsg_ph_value(struct wsg_ph *x, unsigned depth, struct wsg_ph_val *val)
{
	memset(val, 0, sizeof(*val));
	wsg_ph_ws(x);
	if (x->i >= x->len || depth > WSG_JSON_MAX_DEPTH)
		return -1;
	switch (x->p[x->i]) {
	case '{':
		return wsg_ph_object(x, depth);
	case '[':
		return wsg_ph_array(x, depth);
	case '"':
		return wsg_ph_string(x, NULL) < 0 ? -1 : 0;
	case 't':
		val->is_true = 1;
		return wsg_ph_literal(x, "true");
	case 'f':
		return wsg_ph_literal(x, "false");
	case 'n':
		return wsg_ph_literal(x, "null");
	default:
		return wsg_ph_number(x, &val->idx, &val->is_index);
	}
}

int wsg_sio_placeholders_ok(const char *p, size_t len, unsigned long n)
{
	struct wsg_ph x = { .p = p, .len = len, .n = n };
	struct wsg_ph_val val;

	if (n > WSG_SIO_MAX_ATTACHMENTS || wsg_ph_value(&x, 1, &val))
		return 0;
	wsg_ph_ws(&x);
	return x.i == len && !x.bad && x.found == n;
}

size_t wsg_sio_base64(const char *p, size_t len, unsigned char *out)
{
	unsigned acc = 0, bits = 0;
	size_t o = 0;

	for (size_t i = 0; i < len && p[i] != '='; i++) {
		int v = wsg_pf_b64val((unsigned char)p[i]);

		if (v < 0)
			continue;
		acc = (acc << 6 | (unsigned)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	return o;
}
