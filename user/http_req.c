// SPDX-License-Identifier: GPL-2.0-only
/*
 * HTTP/1.x request parser (http_req.h): one byte-driven state machine for the request line,
 * header fields and chunk framing, and bulk copies for body data. The field values that
 * decide framing (Content-Length, Transfer-Encoding) and Upgrade are matched byte by byte on
 * their full length; nothing is re-read. Also query and path decoding.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "http_req.h"

enum {
	/* request line */
	WSG_HS_START,			/* before the method; empty lines are skipped */
	WSG_HS_START_LF,
	WSG_HS_METHOD,
	WSG_HS_TARGET,
	WSG_HS_VERSION,
	WSG_HS_RL_LF,
	/* header and trailer fields */
	WSG_HS_LINE,			/* a field line or the empty line ending the section */
	WSG_HS_NAME,
	WSG_HS_OWS,			/* after the colon */
	WSG_HS_VALUE,
	WSG_HS_VALUE_LF,
	WSG_HS_END_LF,
	/* body */
	WSG_HS_BODY,			/* Content-Length data */
	WSG_HS_SIZE0,			/* first hex digit of a chunk size */
	WSG_HS_SIZE,
	WSG_HS_SIZE_WS,			/* BWS after the size: only ';' may follow */
	WSG_HS_EXT,
	WSG_HS_SIZE_LF,
	WSG_HS_DATA,
	WSG_HS_DATA_CR,
	WSG_HS_DATA_LF,
	WSG_HS_DONE,
	WSG_HS_ERROR,
};

/* wsg_http_parser.seen beyond the WSG_HF_* bits */
#define WSG_SEEN_CL (1u << 8)
#define WSG_SEEN_TE (1u << 9)

/* A body buffer larger than this is freed between requests. */
#define WSG_HTTP_KEEP_CAP (64 * 1024)

enum { WSG_FK_NONE, WSG_FK_ONE, WSG_FK_LIST, WSG_FK_CL, WSG_FK_TE, WSG_FK_UPGRADE };

/* The fields the parser reads; index 0 stands for every other name. */
static const struct wsg_http_field {
	const char *name;
	int kind;			/* WSG_FK_*; ONE: a repeat is ambiguous */
	size_t off, cap;		/* the copy in struct wsg_http_req */
	unsigned bit;			/* WSG_HF_* */
} wsg_http_fields[] = {
#define WSG_STR(n, f, k, b) \
	{ n, k, offsetof(struct wsg_http_req, f), sizeof(((struct wsg_http_req *)0)->f), b }
	{ "", WSG_FK_NONE, 0, 0, 0 },
	WSG_STR("host", host, WSG_FK_ONE, WSG_HF_HOST),
	WSG_STR("origin", origin, WSG_FK_ONE, WSG_HF_ORIGIN),
	WSG_STR("content-type", content_type, WSG_FK_ONE, WSG_HF_CONTENT_TYPE),
	WSG_STR("sec-websocket-protocol", protocol, WSG_FK_LIST, WSG_HF_PROTOCOL),
	WSG_STR("sec-websocket-extensions", extensions, WSG_FK_LIST, WSG_HF_EXTENSIONS),
	{ "content-length", WSG_FK_CL, 0, 0, 0 },
	{ "transfer-encoding", WSG_FK_TE, 0, 0, 0 },
	{ "upgrade", WSG_FK_UPGRADE, 0, 0, 0 },
#undef WSG_STR
};

static const char *const wsg_http_err_names[] = {
#define WSG_HTTP_ERR_NAME(name, text) text,
	WSG_HTTP_ERRS(WSG_HTTP_ERR_NAME)
#undef WSG_HTTP_ERR_NAME
};

const char *wsg_http_err_name(enum wsg_http_err e)
{
	return (unsigned)e < WSG_HE__COUNT ? wsg_http_err_names[e] : "unknown";
}

static int wsg_is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 9110 tchar */
static int wsg_is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Method bytes nginx accepts: uppercase letters, '_' and '-'. */
static int wsg_is_mchar(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}

/* field-vchar / obs-text / SP / HTAB: also the request-target (minus SP, HTAB). */
static int wsg_is_vchar(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static unsigned char wsg_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int wsg_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int wsg_http_fail(struct wsg_http_parser *p, enum wsg_http_err e)
{
	p->err = e;
	p->state = WSG_HS_ERROR;
	return -1;
}

/*
 * A byte that has no place where it is: NUL and a bare LF are ambiguous, the rest syntax (a
 * CR is judged by the byte after it).
 */
static int wsg_http_bad(struct wsg_http_parser *p, unsigned char c)
{
	return wsg_http_fail(p, !c || c == '\n' ? WSG_HE_AMBIGUOUS : WSG_HE_SYNTAX);
}

static int wsg_http_body_put(struct wsg_http_parser *p, const unsigned char *s, size_t n)
{
	struct wsg_http_req *r = &p->req;
	size_t need = r->body_len + n;

	if (need > p->body_cap) {
		size_t cap = p->body_cap ? p->body_cap : 4096;
		unsigned char *b;

		while (cap < need)
			cap *= 2;
		if (cap > WSG_HTTP_BODY_MAX)
			cap = WSG_HTTP_BODY_MAX;
		b = realloc(r->body, cap);
		if (!b)
			return wsg_http_fail(p, WSG_HE_NOMEM);
		r->body = b;
		p->body_cap = cap;
	}
	memcpy(r->body + r->body_len, s, n);
	r->body_len = need;
	return 0;
}

/* Body data: up to p->left bytes of s[0..n) in one copy; returns the bytes consumed. */
static size_t wsg_http_take(struct wsg_http_parser *p, const unsigned char *s, size_t n)
{
	size_t k = n < p->left ? n : p->left;

	if (wsg_http_body_put(p, s, k))
		return 0;
	p->req.wire_len += k;
	p->left -= k;
	if (!p->left)
		p->state = p->state == WSG_HS_BODY ? WSG_HS_DONE : WSG_HS_DATA_CR;
	return k;
}

/* "HTTP/" DIGIT "." DIGIT, byte by byte; a well-formed version other than 1.0, 1.1 fails. */
static int wsg_http_version(struct wsg_http_parser *p, unsigned char c)
{
	static const char pat[] = "HTTP/1.1";

	if (c == '\r' && p->len == 8) {
		if (p->name[5] != '1' || p->name[7] > '1')
			return wsg_http_fail(p, WSG_HE_VERSION);
		p->req.minor = p->name[7] - '0';
		p->state = WSG_HS_RL_LF;
		return 0;
	}
	if (p->len == 8)
		return wsg_http_bad(p, c);
	if (p->len == 5 || p->len == 7 ? c < '0' || c > '9' : c != (unsigned char)pat[p->len])
		return wsg_http_bad(p, c);
	p->name[p->len++] = c;
	return 0;
}

static int wsg_http_target(struct wsg_http_parser *p, unsigned char c)
{
	struct wsg_http_req *r = &p->req;

	if (c == ' ') {
		if (!r->target_len || (r->target[0] == '*' && strcmp(r->method, "OPTIONS")))
			return wsg_http_fail(p, WSG_HE_SYNTAX);
		r->target[r->target_len] = 0;
		p->len = 0;
		p->state = WSG_HS_VERSION;
		return 0;
	}
	if (c <= ' ' || c == 0x7f)
		return wsg_http_bad(p, c);
	/* origin-form, or asterisk-form alone */
	if ((!r->target_len && c != '/' && c != '*') || (r->target_len == 1 && r->target[0] == '*'))
		return wsg_http_fail(p, WSG_HE_SYNTAX);
	if (r->target_len == sizeof(r->target) - 1)
		return wsg_http_fail(p, WSG_HE_URI_TOO_LONG);
	r->target[r->target_len++] = c;
	return 0;
}

static int wsg_http_step_line(struct wsg_http_parser *p, unsigned char c)
{
	struct wsg_http_req *r = &p->req;

	switch (p->state) {
	case WSG_HS_START:
		if (c == '\r') {
			p->state = WSG_HS_START_LF;
			return 0;
		}
		if (!wsg_is_mchar(c))
			return wsg_http_bad(p, c);
		p->state = WSG_HS_METHOD;
		/* fallthrough */
	case WSG_HS_METHOD:
		if (c == ' ' && p->len) {
			r->method[p->len] = 0;
			p->state = WSG_HS_TARGET;
			return 0;
		}
		if (!wsg_is_mchar(c))
			return wsg_http_bad(p, c);
		if (p->len == sizeof(r->method) - 1)
			return wsg_http_fail(p, WSG_HE_SYNTAX);
		r->method[p->len++] = c;
		return 0;
	case WSG_HS_START_LF:
		if (c != '\n')
			return wsg_http_fail(p, WSG_HE_AMBIGUOUS);
		p->state = WSG_HS_START;
		return 0;
	case WSG_HS_TARGET:
		return wsg_http_target(p, c);
	case WSG_HS_VERSION:
		return wsg_http_version(p, c);
	default: /* WSG_HS_RL_LF */
		if (c != '\n')
			return wsg_http_fail(p, WSG_HE_AMBIGUOUS);
		p->state = WSG_HS_LINE;
		return 0;
	}
}

static int wsg_http_field_find(const struct wsg_http_parser *p)
{
	if (p->len >= sizeof(p->name))
		return 0;
	for (size_t i = 1; i < sizeof(wsg_http_fields) / sizeof(wsg_http_fields[0]); i++)
		if (strlen(wsg_http_fields[i].name) == p->len &&
		    !memcmp(wsg_http_fields[i].name, p->name, p->len))
			return (int)i;
	return 0;
}

/* Store one value byte of a copied field; bytes past the buffer are dropped. */
static void wsg_http_str_put(struct wsg_http_parser *p, const struct wsg_http_field *f, char c)
{
	char *dst = (char *)&p->req + f->off;

	if (p->vpos < f->cap - 1)
		dst[p->vpos] = c;
	p->vpos++;
}

/* The name before the colon is complete: set up reading its value. */
static int wsg_http_field_begin(struct wsg_http_parser *p)
{
	const struct wsg_http_field *f;
	int i = wsg_http_field_find(p);

	f = &wsg_http_fields[i];
	p->num = 0;
	p->tok = p->bad = p->tail = 0;
	p->field = i;
	if (p->trailer) {
		/* framing is decided by the header block alone */
		if (f->kind == WSG_FK_CL || f->kind == WSG_FK_TE)
			return wsg_http_fail(p, WSG_HE_AMBIGUOUS);
		p->field = 0;
		return 0;
	}
	if ((f->kind == WSG_FK_ONE && (p->seen & f->bit)) ||
	    (f->kind == WSG_FK_TE && (p->seen & WSG_SEEN_TE)))
		return wsg_http_fail(p, WSG_HE_AMBIGUOUS);
	p->seen |= f->bit;
	if (f->kind == WSG_FK_ONE || f->kind == WSG_FK_LIST) {
		p->vpos = p->keep = strnlen((char *)&p->req + f->off, f->cap);
		if (p->vpos) {
			wsg_http_str_put(p, f, ',');
			wsg_http_str_put(p, f, ' ');
		}
	}
	return 0;
}

/* Content-Length: 1*DIGIT, saturated at WSG_HTTP_BODY_MAX + 1. */
static void wsg_http_num_byte(struct wsg_http_parser *p, unsigned char c)
{
	if (wsg_is_ows(c)) {
		p->tail = 1;
		return;
	}
	if (c < '0' || c > '9' || p->tail) {
		p->bad = 1;
		return;
	}
	p->tok = 1;
	p->num = p->num * 10 + (c - '0');
	if (p->num > WSG_HTTP_BODY_MAX)
		p->num = WSG_HTTP_BODY_MAX + 1;
}

/* Transfer-Encoding: exactly one coding, "chunked" (any case). */
static void wsg_http_te_byte(struct wsg_http_parser *p, unsigned char c)
{
	static const char want[] = "chunked";

	if (wsg_is_ows(c))
		p->tail = 1;
	else if (p->tail || p->tok == sizeof(want) - 1 || wsg_lower(c) != want[p->tok])
		p->bad = 1;
	else
		p->tok++;
}

/* The end of one Upgrade list element: does its protocol-name say websocket? */
static void wsg_http_up_elem(struct wsg_http_parser *p)
{
	if (!p->bad && p->tok == 9)
		p->req.upgrade = 1;
	p->tok = p->bad = p->tail = 0;
}

/*
 * Upgrade: #protocol, protocol = name ["/" version]. tail: 0 in the name, 1 in the OWS after
 * it, 2 in the version (ignored).
 */
static void wsg_http_up_byte(struct wsg_http_parser *p, unsigned char c)
{
	static const char want[] = "websocket";

	if (c == ',') {
		wsg_http_up_elem(p);
	} else if (p->tail == 2) {
		return;
	} else if (wsg_is_ows(c)) {
		if (p->tok || p->bad)
			p->tail = 1;
	} else if (c == '/' && !p->tail) {
		p->tail = 2;
	} else if (p->tail || p->tok == sizeof(want) - 1 || wsg_lower(c) != want[p->tok]) {
		p->bad = 1;
	} else {
		p->tok++;
	}
}

static void wsg_http_value_byte(struct wsg_http_parser *p, unsigned char c)
{
	const struct wsg_http_field *f = &wsg_http_fields[p->field];

	switch (f->kind) {
	case WSG_FK_ONE:
	case WSG_FK_LIST:
		wsg_http_str_put(p, f, (char)c);
		if (!wsg_is_ows(c))
			p->keep = p->vpos;
		break;
	case WSG_FK_CL:
		wsg_http_num_byte(p, c);
		break;
	case WSG_FK_TE:
		wsg_http_te_byte(p, c);
		break;
	case WSG_FK_UPGRADE:
		wsg_http_up_byte(p, c);
		break;
	}
}

/* The field line ended (CRLF): judge or store the value. */
static int wsg_http_field_end(struct wsg_http_parser *p)
{
	const struct wsg_http_field *f = &wsg_http_fields[p->field];
	char *dst = (char *)&p->req + f->off;

	switch (f->kind) {
	case WSG_FK_ONE:
	case WSG_FK_LIST:
		if (p->keep > f->cap - 1)
			p->req.trunc |= f->bit;
		dst[p->keep < f->cap - 1 ? p->keep : f->cap - 1] = 0;
		return 0;
	case WSG_FK_CL:
		if (p->bad || !p->tok)
			return wsg_http_fail(p, WSG_HE_LENGTH);
		if ((p->seen & WSG_SEEN_CL) && p->num != p->content_length)
			return wsg_http_fail(p, WSG_HE_AMBIGUOUS);
		p->seen |= WSG_SEEN_CL;
		p->content_length = p->num;
		return 0;
	case WSG_FK_TE:
		if (p->bad || p->tok != 7)
			return wsg_http_fail(p, WSG_HE_AMBIGUOUS);
		p->seen |= WSG_SEEN_TE;
		return 0;
	case WSG_FK_UPGRADE:
		wsg_http_up_elem(p);
		return 0;
	}
	return 0;
}

/* The empty line after the header block: choose the body framing (RFC 9112 6.3). */
static int wsg_http_head_end(struct wsg_http_parser *p)
{
	struct wsg_http_req *r = &p->req;
	int cl = !!(p->seen & WSG_SEEN_CL), te = !!(p->seen & WSG_SEEN_TE);

	if (te && (cl || r->minor == 0))
		return wsg_http_fail(p, WSG_HE_AMBIGUOUS);
	if (cl && p->content_length > WSG_HTTP_BODY_MAX)
		return wsg_http_fail(p, WSG_HE_BODY_TOO_BIG);
	if (te) {
		r->chunked = r->has_body = 1;
		p->line = 0;
		p->state = WSG_HS_SIZE0;
	} else if (cl && p->content_length) {
		r->has_body = 1;
		p->left = p->content_length;
		p->state = WSG_HS_BODY;
	} else {
		p->state = WSG_HS_DONE;
	}
	return 0;
}

static int wsg_http_step_field(struct wsg_http_parser *p, unsigned char c)
{
	switch (p->state) {
	case WSG_HS_LINE:
		if (c == '\r') {
			p->state = WSG_HS_END_LF;
			return 0;
		}
		/* obs-fold, or whitespace before the first field */
		if (wsg_is_ows(c))
			return wsg_http_fail(p, WSG_HE_AMBIGUOUS);
		if (!wsg_is_tchar(c))
			return wsg_http_bad(p, c);
		p->len = 0;
		p->state = WSG_HS_NAME;
		/* fallthrough */
	case WSG_HS_NAME:
		if (c == ':') {
			p->state = WSG_HS_OWS;
			return wsg_http_field_begin(p);
		}
		if (wsg_is_ows(c))
			return wsg_http_fail(p, WSG_HE_AMBIGUOUS);
		if (!wsg_is_tchar(c))
			return wsg_http_bad(p, c);
		if (p->len < sizeof(p->name))
			p->name[p->len] = (char)wsg_lower(c);
		p->len++;
		return 0;
	case WSG_HS_OWS:
		if (wsg_is_ows(c))
			return 0;
		p->state = WSG_HS_VALUE;
		/* fallthrough */
	case WSG_HS_VALUE:
		if (c == '\r') {
			p->state = WSG_HS_VALUE_LF;
			return 0;
		}
		if (!wsg_is_vchar(c))
			return wsg_http_bad(p, c);
		wsg_http_value_byte(p, c);
		return 0;
	case WSG_HS_VALUE_LF:
		if (c != '\n')
			return wsg_http_fail(p, WSG_HE_AMBIGUOUS);
		p->state = WSG_HS_LINE;
		return wsg_http_field_end(p);
	default: /* WSG_HS_END_LF */
		if (c != '\n')
			return wsg_http_fail(p, WSG_HE_AMBIGUOUS);
		if (p->trailer) {
			p->state = WSG_HS_DONE;
			return 0;
		}
		return wsg_http_head_end(p);
	}
}

/* One hex digit of a chunk size; the sum of sizes may not pass the body bound. */
static int wsg_http_size_digit(struct wsg_http_parser *p, int d)
{
	p->left = p->left * 16 + (size_t)d;
	if (p->left > WSG_HTTP_BODY_MAX - p->req.body_len)
		return wsg_http_fail(p, WSG_HE_BODY_TOO_BIG);
	p->state = WSG_HS_SIZE;
	return 0;
}

static int wsg_http_step_chunk(struct wsg_http_parser *p, unsigned char c)
{
	if (++p->framing > WSG_HTTP_FRAMING_MAX)
		return wsg_http_fail(p, WSG_HE_BODY_TOO_BIG);
	if (p->state <= WSG_HS_EXT && ++p->line > WSG_HTTP_CHUNK_LINE_MAX)
		return wsg_http_fail(p, WSG_HE_CHUNK);
	switch (p->state) {
	case WSG_HS_SIZE0:
		if (wsg_hex(c) < 0)
			return wsg_http_fail(p, WSG_HE_CHUNK);
		return wsg_http_size_digit(p, wsg_hex(c));
	case WSG_HS_SIZE:
		if (wsg_hex(c) >= 0)
			return wsg_http_size_digit(p, wsg_hex(c));
		/* fallthrough */
	case WSG_HS_SIZE_WS:
		if (wsg_is_ows(c))
			p->state = WSG_HS_SIZE_WS;
		else if (c == ';')
			p->state = WSG_HS_EXT;
		else if (c == '\r' && p->state == WSG_HS_SIZE)
			p->state = WSG_HS_SIZE_LF;
		else
			return wsg_http_fail(p, WSG_HE_CHUNK);
		return 0;
	case WSG_HS_EXT:
		/* extensions are ignored, but must be printable */
		if (c == '\r')
			p->state = WSG_HS_SIZE_LF;
		else if (!wsg_is_vchar(c))
			return wsg_http_fail(p, WSG_HE_CHUNK);
		return 0;
	case WSG_HS_SIZE_LF:
		if (c != '\n')
			return wsg_http_fail(p, WSG_HE_CHUNK);
		if (p->left) {
			p->state = WSG_HS_DATA;
		} else {
			/* the last chunk: the trailer section follows */
			p->trailer = 1;
			p->hdr_bytes = 0;
			p->state = WSG_HS_LINE;
		}
		return 0;
	case WSG_HS_DATA_CR:
		if (c != '\r')
			return wsg_http_fail(p, WSG_HE_CHUNK);
		p->state = WSG_HS_DATA_LF;
		return 0;
	default: /* WSG_HS_DATA_LF */
		if (c != '\n')
			return wsg_http_fail(p, WSG_HE_CHUNK);
		p->line = 0;
		p->state = WSG_HS_SIZE0;
		return 0;
	}
}

static void wsg_http_step(struct wsg_http_parser *p, unsigned char c)
{
	p->req.wire_len++;
	if (p->state <= WSG_HS_END_LF && ++p->hdr_bytes > WSG_HTTP_HDR_MAX) {
		wsg_http_fail(p, WSG_HE_HDR_TOO_BIG);
		return;
	}
	if (p->trailer && ++p->framing > WSG_HTTP_FRAMING_MAX) {
		wsg_http_fail(p, WSG_HE_BODY_TOO_BIG);
		return;
	}
	if (p->state <= WSG_HS_RL_LF)
		wsg_http_step_line(p, c);
	else if (p->state <= WSG_HS_END_LF)
		wsg_http_step_field(p, c);
	else
		wsg_http_step_chunk(p, c);
}

size_t wsg_http_feed(struct wsg_http_parser *p, const unsigned char *data, size_t n, int *st,
		     struct wsg_http_req *req, enum wsg_http_err *err)
{
	size_t i = 0;

	while (i < n && p->state < WSG_HS_DONE) {
		if (p->state == WSG_HS_BODY || p->state == WSG_HS_DATA)
			i += wsg_http_take(p, data + i, n - i);
		else
			wsg_http_step(p, data[i++]);
	}
	if (p->state == WSG_HS_ERROR) {
		*st = WSG_HTTP_ERROR;
		if (err)
			*err = p->err;
	} else if (p->state == WSG_HS_DONE) {
		*st = WSG_HTTP_DONE;
		if (req) {
			*req = p->req;
			if (!req->body_len)
				req->body = NULL;
		}
	} else {
		*st = WSG_HTTP_NEED_MORE;
	}
	return i;
}

void wsg_http_parser_init(struct wsg_http_parser *p)
{
	memset(p, 0, sizeof(*p));
	p->state = WSG_HS_START;
}

void wsg_http_parser_free(struct wsg_http_parser *p)
{
	free(p->req.body);
	wsg_http_parser_init(p);
}

void wsg_http_parser_reset(struct wsg_http_parser *p)
{
	unsigned char *body = p->req.body;
	size_t cap = p->body_cap;

	if (cap > WSG_HTTP_KEEP_CAP) {
		free(body);
		body = NULL;
		cap = 0;
	}
	wsg_http_parser_init(p);
	p->req.body = body;
	p->body_cap = cap;
}

/* The byte at s[*i] of s[0..n) URL-decoded, *i moved past it; '+' is a space if plus. */
static unsigned char wsg_url_next(const char *s, size_t n, size_t *i, int plus)
{
	unsigned char c = (unsigned char)s[*i];

	if (c == '%' && n - *i > 2 && wsg_hex(s[*i + 1]) >= 0 && wsg_hex(s[*i + 2]) >= 0) {
		c = (unsigned char)(wsg_hex(s[*i + 1]) << 4 | wsg_hex(s[*i + 2]));
		*i += 3;
		return c;
	}
	*i += 1;
	return plus && c == '+' ? ' ' : c;
}

/* Decode s[0..n) into out (NUL-terminated): the length, or -1 if out is too small. */
static long wsg_url_decode(const char *s, size_t n, int plus, char *out, size_t out_len)
{
	size_t i = 0, o = 0;

	while (i < n) {
		if (o + 1 >= out_len)
			return -1;
		out[o++] = (char)wsg_url_next(s, n, &i, plus);
	}
	if (o >= out_len)
		return -1;
	out[o] = 0;
	return (long)o;
}

/* Does s[0..n), decoded, equal the C string want? */
static int wsg_url_equal(const char *s, size_t n, const char *want)
{
	size_t i = 0, w = 0;

	while (i < n)
		if (!want[w] || wsg_url_next(s, n, &i, 1) != (unsigned char)want[w++])
			return 0;
	return !want[w];
}

/* The query of target: *i at its first byte, *end past its last; 0 if there is none. */
static int wsg_query_bounds(const char *t, size_t len, size_t *i, size_t *end)
{
	const char *hash = memchr(t, '#', len), *q;

	*end = hash ? (size_t)(hash - t) : len;
	q = memchr(t, '?', *end);
	if (!q)
		return 0;
	*i = (size_t)(q - t) + 1;
	return 1;
}

/* The next non-empty parameter from *i: 1 with its raw bytes and its '=' (or NULL). */
static int wsg_query_next(const char *t, size_t end, size_t *i, const char **s, size_t *n,
			  const char **eq)
{
	while (*i < end) {
		const char *amp = memchr(t + *i, '&', end - *i);
		size_t stop = amp ? (size_t)(amp - t) : end;

		*s = t + *i;
		*n = stop - *i;
		*i = stop + 1;
		if (*n) {
			*eq = memchr(*s, '=', *n);
			return 1;
		}
	}
	return 0;
}

int wsg_query_each(const char *target, size_t len, char *scratch, size_t scratch_len,
		   int (*fn)(void *ctx, const char *name, size_t nlen, const char *val,
			     size_t vlen),
		   void *ctx)
{
	size_t i, end, n;
	const char *s, *eq;

	if (!wsg_query_bounds(target, len, &i, &end))
		return 0;
	if (scratch_len < end - i + 2)
		return -1;
	while (wsg_query_next(target, end, &i, &s, &n, &eq)) {
		size_t nl = eq ? (size_t)(eq - s) : n;
		long dn = wsg_url_decode(s, nl, 1, scratch, scratch_len);
		char *val = scratch + dn + 1;
		long dv = wsg_url_decode(eq ? eq + 1 : s, eq ? n - nl - 1 : 0, 1, val,
					 scratch_len - (size_t)dn - 1);
		int rc = fn(ctx, scratch, (size_t)dn, val, (size_t)dv);

		if (rc)
			return rc;
	}
	return 0;
}

int wsg_query_get(const char *target, size_t len, const char *name, char *out, size_t out_len)
{
	size_t i, end, n;
	const char *s, *eq;

	if (!wsg_query_bounds(target, len, &i, &end))
		return 0;
	while (wsg_query_next(target, end, &i, &s, &n, &eq)) {
		size_t nl = eq ? (size_t)(eq - s) : n;

		if (!wsg_url_equal(s, nl, name))
			continue;
		if (wsg_url_decode(eq ? eq + 1 : s, eq ? n - nl - 1 : 0, 1, out, out_len) < 0)
			return -1;
		return 1;
	}
	return 0;
}

long wsg_http_path(const char *target, size_t len, char *out, size_t out_len)
{
	size_t n = 0;

	while (n < len && target[n] != '?' && target[n] != '#')
		n++;
	return wsg_url_decode(target, n, 0, out, out_len);
}
