// SPDX-License-Identifier: GPL-2.0-only
/*
 * STOMP 1.0-1.2 frames (decode.h): command line, header lines, blank line, body, NUL; frames
 * may follow each other in one WebSocket message, with heart-beat EOLs between them. Only
 * slicing: inspect.c decodes header escapes and walks the bodies.
 */
#include <string.h>
#include "decode.h"

static const char *const wsg_stomp_cmds[] = {
	"SEND", "SUBSCRIBE", "UNSUBSCRIBE", "BEGIN", "COMMIT", "ABORT", "ACK", "NACK",
	"DISCONNECT", "CONNECT", "STOMP", "CONNECTED", "MESSAGE", "RECEIPT", "ERROR",
};

static int wsg_stomp_cmd(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(wsg_stomp_cmds) / sizeof(wsg_stomp_cmds[0]); i++)
		if (strlen(wsg_stomp_cmds[i]) == n && !memcmp(s, wsg_stomp_cmds[i], n))
			return 1;
	return 0;
}

/* The line at p[i..): its length without the EOL; *next is past the LF. -1 without LF. */
static long wsg_stomp_line(const char *p, size_t len, size_t i, size_t *next)
{
	const char *lf = memchr(p + i, '\n', len - i);
	size_t n;

	if (!lf)
		return -1;
	n = (size_t)(lf - (p + i));
	*next = n + i + 1;
	if (n && p[i + n - 1] == '\r')
		n--;
	return (long)n;
}

/* content-length value, or -1 if absent or not a plain decimal number. */
static long long wsg_stomp_clen(const struct wsg_stomp_frame *f)
{
	const char *name, *val;
	size_t hpos = 0, nlen, vlen;

	while (wsg_stomp_header(f, &hpos, &name, &nlen, &val, &vlen) > 0) {
		long long v = 0;

		if (nlen != 14 || memcmp(name, "content-length", 14))
			continue;
		/* the first occurrence of a repeated header wins */
		if (!vlen || vlen > 12)
			return -1;
		for (size_t i = 0; i < vlen; i++) {
			if (val[i] < '0' || val[i] > '9')
				return -1;
			v = v * 10 + (val[i] - '0');
		}
		return v;
	}
	return -1;
}

int wsg_stomp_next(const char *p, size_t len, size_t *pos, struct wsg_stomp_frame *f)
{
	size_t i = *pos, next, b, end;
	long n;
	long long clen;
	const char *nul;

	while (i < len && (p[i] == '\n' || (p[i] == '\r' && i + 1 < len && p[i + 1] == '\n')))
		i += p[i] == '\r' ? 2 : 1;
	if (i >= len) {
		*pos = len;
		return 0;
	}
	memset(f, 0, sizeof(*f));
	n = wsg_stomp_line(p, len, i, &next);
	if (n <= 0 || !wsg_stomp_cmd(p + i, (size_t)n))
		return -1;
	f->cmd = p + i;
	f->cmd_len = (size_t)n;
	f->escapes = !(n == 7 && !memcmp(f->cmd, "CONNECT", 7)) &&
		     !(n == 9 && !memcmp(f->cmd, "CONNECTED", 9));
	f->hdrs = p + next;
	for (i = next; (n = wsg_stomp_line(p, len, i, &next)) > 0; i = next)
		;
	if (n < 0)
		return -1;
	f->hdrs_len = (size_t)(p + i - f->hdrs);
	b = next;
	f->body = p + b;
	clen = wsg_stomp_clen(f);
	if (clen >= 0 && (unsigned long long)clen < len - b && !p[b + clen]) {
		f->body_len = (size_t)clen;
		end = b + (size_t)clen + 1;
	} else {
		nul = memchr(p + b, 0, len - b);
		f->body_len = nul ? (size_t)(nul - (p + b)) : len - b;
		end = nul ? (size_t)(nul - p) + 1 : len;
	}
	*pos = end;
	return 1;
}

int wsg_stomp_header(const struct wsg_stomp_frame *f, size_t *hpos, const char **name,
		     size_t *nlen, const char **val, size_t *vlen)
{
	size_t i = *hpos, next;
	const char *colon;
	long n;

	if (i >= f->hdrs_len)
		return 0;
	n = wsg_stomp_line(f->hdrs, f->hdrs_len, i, &next);
	if (n < 0) {
		/* the block ends at the blank line: its last line has no LF within it */
		n = (long)(f->hdrs_len - i);
		next = f->hdrs_len;
	}
	*name = f->hdrs + i;
	colon = memchr(*name, ':', (size_t)n);
	*nlen = colon ? (size_t)(colon - *name) : (size_t)n;
	*val = colon ? colon + 1 : *name + n;
	*vlen = colon ? (size_t)n - *nlen - 1 : 0;
	*hpos = next;
	return 1;
}

size_t wsg_stomp_unescape(const char *s, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\' && i + 1 < len) {
			char e = s[i + 1];
			char d = e == 'c' ? ':' : e == 'n' ? '\n' : e == 'r' ? '\r' :
				 e == '\\' ? '\\' : 0;

			if (d) {
				out[o++] = d;
				i++;
				continue;
			}
		}
		out[o++] = c;
	}
	out[o] = 0;
	return o;
}

int wsg_stomp_is(const char *p, size_t len)
{
	struct wsg_stomp_frame f;
	size_t pos = 0;

	/* a guess: the message starts with the frame (no leading heart-beats) */
	return len && p[0] >= 'A' && p[0] <= 'Z' && wsg_stomp_next(p, len, &pos, &f) == 1;
}
