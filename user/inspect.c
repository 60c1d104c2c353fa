// SPDX-License-Identifier: GPL-2.0-only
/*
 * wsg_inspect() (inspect.h): picks the framework decoder, walks every string, normalises it,
 * runs the anchor automaton over it and the detectors its anchors gate, and turns the first
 * finding or a decoding bound into the verdict. Also exports the anchors and escape bytes the
 * kernel prefilter is built from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "anchor.h"
#include "decode.h"
#include "detect.h"
#include "inspect.h"
#include "normalize.h"

/* Decoded string bytes one message may carry (beyond it: block, cls "decode"). */
#define WSG_INSPECT_MAX_BYTES (4u << 20)
#define WSG_INSPECT_STACK 2048

static const struct wsg_rule wsg_decode_rules[] = {
	{ "dec-001", "decode", "JSON nested deeper than 32 levels" },
	{ "dec-002", "decode", "JSON with more than 10000 values" },
	{ "dec-003", "decode", "message decodes to more than 4 MiB of text" },
	{ "dec-004", "decode", "no memory to inspect the message (fail closed)" },
};

static struct wsg_ac *wsg_ac;
static const char **wsg_anchor_pats;
static size_t wsg_nanchors;

int wsg_inspect_init(void)
{
	const struct wsg_anchor *a = wsg_detect_anchors(&wsg_nanchors);
	unsigned *masks;

	if (wsg_ac)
		return 0;
	wsg_anchor_pats = calloc(wsg_nanchors, sizeof(*wsg_anchor_pats));
	masks = calloc(wsg_nanchors, sizeof(*masks));
	if (!wsg_anchor_pats || !masks)
		goto err;
	for (size_t i = 0; i < wsg_nanchors; i++) {
		wsg_anchor_pats[i] = a[i].pat;
		masks[i] = a[i].mask;
	}
	wsg_ac = wsg_ac_build(wsg_anchor_pats, masks, wsg_nanchors);
	free(masks);
	if (!wsg_ac)
		goto err;
	return 0;
err:
	free(wsg_anchor_pats);
	wsg_anchor_pats = NULL;
	return -ENOMEM;
}

void wsg_inspect_fini(void)
{
	wsg_ac_free(wsg_ac);
	wsg_ac = NULL;
	free(wsg_anchor_pats);
	wsg_anchor_pats = NULL;
}

void wsg_inspect_anchors(const char *const **anchors, size_t *n)
{
	*anchors = (const char *const *)wsg_anchor_pats;
	*n = wsg_anchor_pats ? wsg_nanchors : 0;
}

void wsg_inspect_escapes(const char *const **escapes, size_t *n)
{
	static const char *const esc[] = { "\\u", "\\x", "%", "&" };

	*escapes = esc;
	*n = sizeof(esc) / sizeof(esc[0]);
}

struct wsg_ictx {
	struct wsg_finding *f;
	char *norm;		/* normalisation buffer, message length + 1 */
	size_t total;		/* decoded bytes inspected so far */
	int decode_block;
};

static void wsg_excerpt(char *dst, size_t cap, const char *s, size_t len, size_t off)
{
	size_t start = off > 24 ? off - 24 : 0, o = 0;

	for (size_t i = start; i < len && o + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		dst[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
	}
	dst[o] = 0;
}

static void wsg_finding_set(struct wsg_finding *f, const struct wsg_rule *r, const char *path)
{
	f->rule = r->id;
	f->cls = r->cls;
	f->desc = r->desc;
	snprintf(f->where, sizeof(f->where), "%s", path);
	f->excerpt[0] = 0;
}

/*
 * One decoded string: normalise, find anchors (with the JSON quotes around it when it was a
 * literal, see detect.h), run the gated detectors.
 */
static int wsg_inspect_leaf(void *ctx, const char *path, const char *s, size_t len, int quoted)
{
	struct wsg_ictx *c = ctx;
	struct wsg_text t = { .s = c->norm, .quoted = quoted };
	struct wsg_hit h = {};
	unsigned st = 0, mask = 0;

	c->total += len;
	if (c->total > WSG_INSPECT_MAX_BYTES) {
		wsg_finding_set(c->f, &wsg_decode_rules[2], path);
		c->decode_block = 1;
		return 1;
	}
	t.len = wsg_normalize(s, len, c->norm);
	if (quoted)
		mask |= wsg_ac_feed(wsg_ac, &st, "\"", 1);
	mask |= wsg_ac_feed(wsg_ac, &st, t.s, t.len);
	if (quoted)
		mask |= wsg_ac_feed(wsg_ac, &st, "\"", 1);
	if (!mask || !wsg_detect(mask, &t, &h))
		return 0;
	wsg_finding_set(c->f, h.rule, path);
	wsg_excerpt(c->f->excerpt, sizeof(c->f->excerpt), t.s, t.len, h.off);
	return 1;
}

static int wsg_inspect_text(struct wsg_ictx *c, const char *path, const char *s, size_t len)
{
	return wsg_inspect_leaf(c, path, s, len, 0);
}

/* A JSON payload; invalid JSON is inspected as raw text. Returns 1 to block. */
static int wsg_inspect_json(struct wsg_ictx *c, char *scratch, const char *p, size_t len)
{
	struct wsg_walk w = {
		.leaf = wsg_inspect_leaf, .ctx = c, .scratch = scratch,
		.max_bytes = WSG_INSPECT_MAX_BYTES,
	};
	enum wsg_walk_res r = wsg_json_walk(&w, p, len);

	switch (r) {
	case WSG_WALK_OK:
		return 0;
	case WSG_WALK_STOP:
		return 1;
	case WSG_WALK_DEPTH:
	case WSG_WALK_NODES:
	case WSG_WALK_BYTES:
		wsg_finding_set(c->f, &wsg_decode_rules[r - WSG_WALK_DEPTH], w.path);
		c->decode_block = 1;
		return 1;
	case WSG_WALK_SYNTAX:
		break;
	}
	return wsg_inspect_text(c, "$", p, len);
}

static int wsg_looks_json(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i < len && (p[i] == '{' || p[i] == '[' || p[i] == '"');
}

static int wsg_inspect_sio(struct wsg_ictx *c, char *scratch, const char *p, size_t len,
			   const struct wsg_sio *s)
{
	if (s->nsp_len && wsg_inspect_text(c, "nsp", p + s->nsp_off, s->nsp_len))
		return 1;
	switch (s->kind) {
	case WSG_SIO_EMPTY:
		return 0;
	case WSG_SIO_JSON:
		return wsg_inspect_json(c, scratch, p + s->off, len - s->off);
	case WSG_SIO_TEXT:
		if (wsg_looks_json(p + s->off, len - s->off))
			return wsg_inspect_json(c, scratch, p + s->off, len - s->off);
		return wsg_inspect_text(c, "$", p + s->off, len - s->off);
	default:
		return wsg_inspect_text(c, "$", p, len);
	}
}

static int wsg_inspect_fw(struct wsg_ictx *c, char *scratch, enum wsg_framework fw,
			  const char *msg, size_t len)
{
	struct wsg_sio s;

	switch (fw) {
	case WSG_FW_SOCKETIO:
		wsg_sio_parse(msg, len, 0, &s);
		return wsg_inspect_sio(c, scratch, msg, len, &s);
	case WSG_FW_JSON:
		return wsg_inspect_json(c, scratch, msg, len);
	case WSG_FW_TEXT:
		return wsg_inspect_text(c, "$", msg, len);
	case WSG_FW_AUTO:
	default:
		wsg_sio_parse(msg, len, 1, &s);
		if (s.kind != WSG_SIO_NOT)
			return wsg_inspect_sio(c, scratch, msg, len, &s);
		if (wsg_looks_json(msg, len))
			return wsg_inspect_json(c, scratch, msg, len);
		return wsg_inspect_text(c, "$", msg, len);
	}
}

int wsg_inspect(enum wsg_framework fw, int is_text, const char *msg, size_t len,
		struct wsg_finding *f)
{
	char stack[2][WSG_INSPECT_STACK];
	struct wsg_ictx c = { .f = f };
	char *scratch = stack[0];
	int ret;

	if (!wsg_ac || (!len))
		return 0;
	if (len > WSG_INSPECT_MAX_BYTES) {
		wsg_finding_set(f, &wsg_decode_rules[2], "$");
		return 1;
	}
	/* Binary messages are inspected like text: applications decode them as strings too. */
	(void)is_text;
	c.norm = stack[1];
	if (len + 1 > WSG_INSPECT_STACK) {
		scratch = malloc(len + 1);
		c.norm = malloc(len + 1);
		if (!scratch || !c.norm) {
			free(scratch);
			free(c.norm);
			wsg_finding_set(f, &wsg_decode_rules[3], "$");
			return 1;
		}
	}
	ret = wsg_inspect_fw(&c, scratch, fw, msg, len);
	if (scratch != stack[0]) {
		free(scratch);
		free(c.norm);
	}
	return ret;
}
