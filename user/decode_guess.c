// SPDX-License-Identifier: GPL-2.0-only
/*
 * The framework guess for a message whose connection handshake named none (decode.h). Each
 * test is strict enough that chat text does not pass it; a wrong guess only changes how the
 * message is sliced, and inspect.c falls back to the generic decoding when a framework's
 * decoder does not recognise the message.
 */
#include <string.h>
#include "decode.h"

static int wsg_guess_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* needle within the first 256 bytes of p */
static int wsg_guess_has(const char *p, size_t len, const char *needle)
{
	return memmem(p, len < 256 ? len : 256, needle, strlen(needle)) != NULL;
}

static enum wsg_framework wsg_guess_json(const char *p, size_t len)
{
	if (wsg_guess_has(p, len, "\"jsonrpc\""))
		return WSG_FW_JSONRPC;
	if (wsg_guess_has(p, len, "\"type\"") &&
	    (wsg_guess_has(p, len, "\"subscribe\"") || wsg_guess_has(p, len, "\"start\"") ||
	     wsg_guess_has(p, len, "\"connection_init\"")))
		return WSG_FW_GRAPHQL;
	return WSG_FW_JSON;
}

enum wsg_framework wsg_fw_guess(int is_text, const char *p, size_t len)
{
	struct wsg_sio s;
	size_t i = 0;

	if (!is_text && wsg_signalr_bin_is((const unsigned char *)p, len))
		return WSG_FW_SIGNALR;
	wsg_sio_parse(p, len, 1, &s);
	if (s.kind != WSG_SIO_NOT)
		return WSG_FW_SOCKETIO;
	if (wsg_stomp_is(p, len))
		return WSG_FW_STOMP;
	if (wsg_signalr_json_is(p, len))
		return WSG_FW_SIGNALR;
	while (i < len && wsg_guess_ws(p[i]))
		i++;
	if (i < len && (p[i] == '{' || p[i] == '[' || p[i] == '"'))
		return wsg_guess_json(p + i, len - i);
	return WSG_FW_TEXT;
}
