// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the daemon's whole custody path: arbitrary bytes (an HTTP request,
 * then frames, or anything) fed to one connection in chunks whose sizes the input chooses,
 * through the shared parsers, reassembly, inflate and the detectors. It must never crash,
 * and the bookkeeping must hold: parsed and releasable never pass what was received, and a
 * Socket.IO binary packet never expects more attachments or bytes than its bounds.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include "conn.h"
#include "decode.h"

static const char wsg_fuzz_req[] =
	"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nUpgrade: websocket\r\n"
	"Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct wsg_conn_d *c;
	size_t off = 0;

	if (!ready)
		ready = wsg_inspect_init() == 0;
	if (size < 1)
		return 0;
	c = wsg_conn_new(1);
	if (!c)
		return 0;
	/* the backend's answer to an upgrade: accepted, or refused (HTTP requests follow) */
	c->answer = (data[0] & 2) ? 400 : 101;
	/* odd first byte: start past a valid upgrade, so most inputs exercise the frame path */
	if (data[0] & 1)
		wsg_conn_append(c, wsg_fuzz_req, sizeof(wsg_fuzz_req) - 1);
	off = 1;
	while (off < size && !c->dead) {
		size_t chunk = 1 + data[off] % 64;
		struct wsg_verdict v;

		off++;
		if (chunk > size - off)
			chunk = size - off;
		if (wsg_conn_append(c, data + off, chunk))
			break;
		off += chunk;
		wsg_conn_process(c, &v);
		assert(c->parsed <= c->len && c->releasable <= c->parsed);
		assert(c->sio.expect <= WSG_SIO_MAX_ATTACHMENTS &&
		       c->sio.bytes <= WSG_SIO_MAX_ATTACH_BYTES + WSG_MSG_MAX);
		if (v.block)
			break;
		wsg_conn_consume(c, c->releasable);
	}
	wsg_conn_free(c);
	return 0;
}
