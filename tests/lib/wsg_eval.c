// SPDX-License-Identifier: GPL-2.0-only
/* The evaluation corpus lookup, payload reading and JSON escaping; see wsg_eval.h. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "decode.h"
#include "wsg_eval.h"

char wsg_eval_dir[4096];

int wsg_find_eval(void)
{
	const char *env = getenv("WSG_EVAL_DIR");
	char exe[4096], beside[4200], path[4200];
	const char *cands[] = { env, "../shared/eval", "../../shared/eval", beside };
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	/* The binary is <repo>/build/tests/unit/<name>; the corpus is <repo>/../shared/eval. */
	beside[0] = 0;
	if (n > 0) {
		exe[n] = 0;
		snprintf(beside, sizeof(beside), "%s/../../../../shared/eval", dirname(exe));
	}
	for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		if (!cands[i] || !cands[i][0])
			continue;
		snprintf(path, sizeof(path), "%s/attacks-dev.jsonl", cands[i]);
		if (!access(path, R_OK)) {
			snprintf(wsg_eval_dir, sizeof(wsg_eval_dir), "%s", cands[i]);
			return 1;
		}
	}
	return 0;
}

struct wsg_eval_pl {
	char *s;
	size_t len;
};

/* Keys come at their member's path too: the value, delivered last, wins. */
static int wsg_eval_leaf(void *ctx, const char *path, const char *s, size_t len, int quoted)
{
	struct wsg_eval_pl *pl = ctx;

	if (strcmp(path, "$.payload"))
		return 0;
	free(pl->s);
	pl->s = malloc(len + 1);
	if (pl->s) {
		memcpy(pl->s, s, len);
		pl->s[len] = 0;
	}
	pl->len = len;
	return 0;
}

int wsg_eval_payload(const char *line, char **s, size_t *len)
{
	size_t n = strlen(line);
	char *scratch = malloc(n + 1);
	struct wsg_eval_pl pl = {};
	struct wsg_walk w = { .leaf = wsg_eval_leaf, .ctx = &pl, .scratch = scratch,
			      .max_bytes = n + 1 };
	int ok = scratch && wsg_json_walk(&w, line, n) == WSG_WALK_OK && pl.s;

	free(scratch);
	if (!ok)
		free(pl.s);
	*s = ok ? pl.s : NULL;
	*len = ok ? pl.len : 0;
	return ok;
}

size_t wsg_eval_json_str(char *w, const char *p, size_t n, int all)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		int alnum = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');

		if (all && c < 0x80 && !alnum)
			o += (size_t)sprintf(w + o, "\\u%04x", c);
		else if (c == '"' || c == '\\')
			o += (size_t)sprintf(w + o, "\\%c", c);
		else if (c == '\n')
			o += (size_t)sprintf(w + o, "\\n");
		else if (c == '\r')
			o += (size_t)sprintf(w + o, "\\r");
		else if (c == '\t')
			o += (size_t)sprintf(w + o, "\\t");
		else if (c < 0x20)
			o += (size_t)sprintf(w + o, "\\u%04x", c);
		else
			w[o++] = (char)c;
	}
	return o;
}

unsigned wsg_eval_each(const char *file, void (*fn)(void *ctx, const struct wsg_eval_line *l),
		       void *ctx, unsigned *lines)
{
	char path[4200], *line = NULL;
	unsigned bad = 0;
	size_t cap = 0;
	FILE *in;

	snprintf(path, sizeof(path), "%s/%s", wsg_eval_dir, file);
	in = fopen(path, "r");
	if (!in)
		return 1;
	while (getline(&line, &cap, in) > 0) {
		cJSON *d = cJSON_Parse(line), *id = cJSON_GetObjectItem(d, "id");
		cJSON *src = cJSON_GetObjectItem(d, "source");
		struct wsg_eval_line l = { .doc = d };
		char *s;

		(*lines)++;
		if (!d || !wsg_eval_payload(line, &s, &l.len)) {
			bad++;
			cJSON_Delete(d);
			continue;
		}
		l.id = cJSON_IsString(id) ? id->valuestring : "?";
		l.s = s;
		l.irc = cJSON_IsString(src) && !strncmp(src->valuestring, "irc", 3);
		fn(ctx, &l);
		free(s);
		cJSON_Delete(d);
	}
	free(line);
	fclose(in);
	return bad;
}

const char *const wsg_wrap_names[WSG_WRAP_COUNT] = {
	"Socket.IO event", "JSON field", "GraphQL variable", "STOMP body", "JSON \\u-escaped",
	"plain text",
};

enum wsg_framework wsg_wrap_fw(enum wsg_wrap_env e)
{
	return e == WSG_WRAP_STOMP ? WSG_FW_STOMP : e == WSG_WRAP_GQL ? WSG_FW_GRAPHQL : WSG_FW_AUTO;
}

char *wsg_wrap(enum wsg_wrap_env e, const char *p, size_t n, size_t *out_len)
{
	static const char *const pre[] = {
		[WSG_WRAP_SIO] = "42[\"chat message\",\"",
		[WSG_WRAP_JSON] = "{\"type\":\"message\",\"room\":\"lobby\",\"text\":\"",
		[WSG_WRAP_GQL] = "{\"id\":\"7\",\"type\":\"subscribe\",\"payload\":{\"query\":"
				"\"mutation Send($t: String!) { send(text: $t) { id } }\","
				"\"variables\":{\"t\":\"",
		[WSG_WRAP_ESC] = "42[\"chat message\",\"",
	};
	static const char *const post[] = {
		[WSG_WRAP_SIO] = "\"]", [WSG_WRAP_JSON] = "\"}", [WSG_WRAP_GQL] = "\"}}}",
		[WSG_WRAP_ESC] = "\"]",
	};
	char *w = malloc(n * 6 + 256);
	size_t o;

	if (e == WSG_WRAP_TEXT) {
		memcpy(w, p, n);
		o = n;
	} else if (e == WSG_WRAP_STOMP) {
		o = (size_t)sprintf(w, "SEND\ndestination:/app/chat\ncontent-type:text/plain\n"
				    "content-length:%zu\n\n", n);
		memcpy(w + o, p, n);
		o += n;
		w[o++] = 0;
	} else {
		o = (size_t)sprintf(w, "%s", pre[e]);
		o += wsg_eval_json_str(w + o, p, n, e == WSG_WRAP_ESC);
		o += (size_t)sprintf(w + o, "%s", post[e]);
	}
	*out_len = o;
	return w;
}
