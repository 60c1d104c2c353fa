// SPDX-License-Identifier: GPL-2.0-only
/*
 * Engine.IO v3/v4 and Socket.IO packet prefixes (decode.h): the Engine.IO type digit, then for
 * a message the Socket.IO type, the binary attachment count ("451-"), the namespace
 * ("/admin,") and the ack id ("421"), leaving the offset of the JSON payload.
 */
#include <string.h>
#include "decode.h"

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
