/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Streaming scan of the HTTP request that opens a proxied connection, shared by sk_msg and
 * the daemon: finds the end of the header block and whether an Upgrade header is present.
 * An upgrade makes the connection a WebSocket (frames follow); anything else is plain HTTP
 * and is passed untouched. The daemon parses the request fully; this only routes it.
 */
#ifndef WSG_HTTP_H
#define WSG_HTTP_H

#include "wsg_types.h"

#define WSG_HTTP_MAX (64 * 1024) /* a longer header block is a bad handshake */

struct wsg_http_scan {
	__u32 bytes;		/* header bytes seen so far */
	__u8 up;		/* bytes of "\nupgrade:" matched */
	__u8 eoh;		/* bytes of "\r\n\r\n" matched */
	__u8 upgrade;		/* an Upgrade header was seen */
	__u8 done;		/* the header block ended */
};

/*
 * "upgrade:" as little-endian bytes; an immediate rather than a string so the BPF object
 * needs no read-only string section.
 */
#define WSG_HTTP_UPGRADE_LE 0x3a65646172677075ULL

WSG_INLINE __u8 wsg_http_lower(__u8 c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* Feed one byte. Returns 1 when it ends the header block, 0 otherwise. */
WSG_INLINE int wsg_http_byte(struct wsg_http_scan *h, __u8 b)
{
	__u8 c = wsg_http_lower(b), want;

	h->bytes++;
	/* "\nupgrade:" has no border, so a mismatch restarts at 0 or at a new '\n'. */
	want = h->up ? (__u8)(WSG_HTTP_UPGRADE_LE >> (((h->up - 1) & 7) * 8)) : '\n';
	if (c == want) {
		if (++h->up == 9) {
			h->upgrade = 1;
			h->up = 0;
		}
	} else {
		h->up = c == '\n';
	}
	if (c == ((h->eoh & 1) ? '\n' : '\r'))
		h->eoh++;
	else
		h->eoh = c == '\r';
	if (h->eoh == 4) {
		h->done = 1;
		return 1;
	}
	return 0;
}

#endif /* WSG_HTTP_H */
