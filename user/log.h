/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Diagnostics (pr_warn/pr_info/pr_debug to stderr, libbpf's output routed through them) and
 * the JSON event lines the daemon writes, one object per line, to stdout or --log FILE.
 */
#ifndef WSG_LOG_H
#define WSG_LOG_H

#include <stdio.h>
#include <stddef.h>
#include <linux/types.h>

enum wsg_level { WSG_LOG_WARN, WSG_LOG_INFO, WSG_LOG_DEBUG };

void wsg_log_setup(int verbosity);
/* The text of an enum wsg_reason, as logged and counted ("unknown" out of range). */
const char *wsg_reason_name(unsigned r);
void wsg_log(enum wsg_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define pr_warn(...) wsg_log(WSG_LOG_WARN, __VA_ARGS__)
#define pr_info(...) wsg_log(WSG_LOG_INFO, __VA_ARGS__)
#define pr_debug(...) wsg_log(WSG_LOG_DEBUG, __VA_ARGS__)

/* One JSON object being built; wsg_ev_end() writes it as a line. Truncates, never overflows. */
struct wsg_ev {
	char buf[4096];
	size_t n;
};

int wsg_events_open(const char *path); /* NULL: stdout. Returns 0 or -errno. */
void wsg_events_close(void);
/* event NULL: a plain object without time and event fields. */
void wsg_ev_begin(struct wsg_ev *e, const char *event);
void wsg_ev_str(struct wsg_ev *e, const char *key, const char *val);
void wsg_ev_strn(struct wsg_ev *e, const char *key, const char *val, size_t len);
void wsg_ev_u64(struct wsg_ev *e, const char *key, __u64 val);
void wsg_ev_raw(struct wsg_ev *e, const char *key, const char *json);
void wsg_ev_end(struct wsg_ev *e);
/* JSON string escape of len bytes into out (always terminated); returns chars written. */
size_t wsg_json_escape(char *out, size_t cap, const char *in, size_t len);

#endif /* WSG_LOG_H */
