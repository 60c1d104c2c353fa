// SPDX-License-Identifier: GPL-2.0-only
/* Diagnostics to stderr and JSON event lines; see log.h for the contract. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "log.h"
#include "wsg_reasons.h"

static const char *const wsg_reason_names[] = {
#define WSG_REASON_NAME(name, text, kind) text,
	WSG_REASONS(WSG_REASON_NAME)
#undef WSG_REASON_NAME
};

const char *wsg_reason_name(unsigned r)
{
	return r < WSG_R__COUNT ? wsg_reason_names[r] : "unknown";
}

static int wsg_verbosity = WSG_LOG_INFO;
static FILE *wsg_events_fp;

static int wsg_libbpf_print(enum libbpf_print_level lvl, const char *fmt, va_list ap)
{
	if (lvl == LIBBPF_DEBUG && wsg_verbosity < WSG_LOG_DEBUG)
		return 0;
	if (lvl == LIBBPF_INFO && wsg_verbosity < WSG_LOG_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void wsg_log_setup(int verbosity)
{
	wsg_verbosity = verbosity;
	libbpf_set_print(wsg_libbpf_print);
}

void wsg_log(enum wsg_level lvl, const char *fmt, ...)
{
	static const char *const names[] = { "warn", "info", "debug" };
	va_list ap;

	if ((int)lvl > wsg_verbosity)
		return;
	fprintf(stderr, "wsguard: %s: ", names[lvl]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int wsg_events_open(const char *path)
{
	if (!path) {
		wsg_events_fp = stdout;
		return 0;
	}
	wsg_events_fp = fopen(path, "a");
	return wsg_events_fp ? 0 : -errno;
}

void wsg_events_close(void)
{
	if (wsg_events_fp && wsg_events_fp != stdout)
		fclose(wsg_events_fp);
	wsg_events_fp = NULL;
}

size_t wsg_json_escape(char *out, size_t cap, const char *in, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < len && o + 7 < cap; i++) {
		unsigned char c = in[i];

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = c;
		} else if (c < 0x20 || c == 0x7f) {
			out[o++] = '\\';
			out[o++] = 'u';
			out[o++] = '0';
			out[o++] = '0';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = c;
		}
	}
	if (cap)
		out[o < cap ? o : cap - 1] = 0;
	return o;
}

static void wsg_ev_put(struct wsg_ev *e, const char *s, size_t len)
{
	size_t room = sizeof(e->buf) - e->n - 2; /* keep space for "}\n" */

	if (len > room)
		len = room;
	memcpy(e->buf + e->n, s, len);
	e->n += len;
}

static void wsg_ev_key(struct wsg_ev *e, const char *key)
{
	char tmp[96];
	int n = snprintf(tmp, sizeof(tmp), "%s\"%s\":", e->n > 1 ? "," : "", key);

	wsg_ev_put(e, tmp, n);
}

void wsg_ev_begin(struct wsg_ev *e, const char *event)
{
	struct timeval tv;
	struct tm tm;
	char ts[64];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	if (!event) { /* a plain record: no time, no event name */
		e->buf[0] = '{';
		e->n = 1;
		return;
	}
	e->n = snprintf(e->buf, sizeof(e->buf), "{\"time\":\"%s.%03ldZ\"", ts,
			(long)tv.tv_usec / 1000);
	wsg_ev_str(e, "event", event);
}

void wsg_ev_strn(struct wsg_ev *e, const char *key, const char *val, size_t len)
{
	char tmp[1024];
	size_t n = wsg_json_escape(tmp, sizeof(tmp), val, len);

	wsg_ev_key(e, key);
	wsg_ev_put(e, "\"", 1);
	wsg_ev_put(e, tmp, n);
	wsg_ev_put(e, "\"", 1);
}

void wsg_ev_str(struct wsg_ev *e, const char *key, const char *val)
{
	wsg_ev_strn(e, key, val ? val : "", val ? strlen(val) : 0);
}

void wsg_ev_u64(struct wsg_ev *e, const char *key, __u64 val)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)val);

	wsg_ev_key(e, key);
	wsg_ev_put(e, tmp, n);
}

void wsg_ev_raw(struct wsg_ev *e, const char *key, const char *json)
{
	wsg_ev_key(e, key);
	wsg_ev_put(e, json, strlen(json));
}

void wsg_ev_end(struct wsg_ev *e)
{
	e->buf[e->n++] = '}';
	e->buf[e->n++] = '\n';
	if (!wsg_events_fp)
		wsg_events_fp = stdout;
	fwrite(e->buf, 1, e->n, wsg_events_fp);
	fflush(wsg_events_fp);
}
