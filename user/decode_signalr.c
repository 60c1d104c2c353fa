// SPDX-License-Identifier: GPL-2.0-only
/*
 * SignalR hub protocol framing (decode.h): JSON records ended by 0x1E in text frames, varint
 * length-prefixed MessagePack records in binary frames, and the handshake request that names
 * the protocol. The records themselves are walked by the JSON and MessagePack readers.
 */
#include <string.h>
#include "decode.h"

static int wsg_sr_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int wsg_signalr_json_is(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && wsg_sr_ws(p[i]))
		i++;
	while (len > i && wsg_sr_ws(p[len - 1]))
		len--;
	return len - i >= 3 && p[i] == '{' && p[len - 1] == WSG_SIGNALR_RS;
}

struct wsg_sr_hs {
	int json, msgpack;
};

static int wsg_sr_hs_leaf(void *ctx, const char *path, const char *s, size_t len, int quoted)
{
	struct wsg_sr_hs *h = ctx;

	if (strcmp(path, "$.protocol"))
		return 0;
	/* the key arrives at this path too: only a value names the protocol */
	h->json |= len == 4 && !memcmp(s, "json", 4);
	h->msgpack |= len == 11 && !memcmp(s, "messagepack", 11);
	return 0;
}

int wsg_signalr_handshake(const char *p, size_t len, int *msgpack)
{
	char scratch[512];
	struct wsg_sr_hs h = {};
	struct wsg_walk w = { .leaf = wsg_sr_hs_leaf, .ctx = &h, .scratch = scratch,
			      .max_bytes = sizeof(scratch) };
	const char *rs;

	if (len >= sizeof(scratch) || !wsg_signalr_json_is(p, len))
		return 0;
	rs = memchr(p, WSG_SIGNALR_RS, len);
	if (wsg_json_walk(&w, p, (size_t)(rs - p)) != WSG_WALK_OK || (!h.json && !h.msgpack))
		return 0;
	if (msgpack)
		*msgpack = h.msgpack;
	return 1;
}

int wsg_signalr_bin_next(const unsigned char *p, size_t len, size_t *pos, size_t *off,
			 size_t *rlen)
{
	unsigned long long v = 0;
	size_t i = *pos;

	if (i >= len)
		return 0;
	for (int k = 0;; k++) {
		unsigned char b;

		if (i >= len || k == 5)
			return -1;
		b = p[i++];
		v |= (unsigned long long)(b & 0x7f) << (7 * k);
		if (!(b & 0x80))
			break;
	}
	if (v > len - i)
		return -1;
	*off = i;
	*rlen = (size_t)v;
	*pos = i + (size_t)v;
	return 1;
}

int wsg_signalr_bin_is(const unsigned char *p, size_t len)
{
	size_t pos = 0, off, rlen;
	unsigned n = 0;
	int r;

	while ((r = wsg_signalr_bin_next(p, len, &pos, &off, &rlen)) > 0) {
		/* each record: an array whose first element is the message type 1..7 */
		if (rlen < 2 || p[off] < 0x91 || p[off] > 0x9f || p[off + 1] < 1 || p[off + 1] > 7 ||
		    !wsg_msgpack_is_doc(p + off, rlen))
			return 0;
		if (++n > WSG_RECORDS_MAX)
			return 1;	/* the walk blocks it */
	}
	return r == 0 && n > 0;
}
