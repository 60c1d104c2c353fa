// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon's event loop: custody records from the kernel (held sends) are demultiplexed by
 * cookie into connections and judged; approved bytes go back into the proxy's socket in
 * order, blocked connections are killed; ring-buffer events report opens, closes and drops.
 * Every verdict, drop and lifecycle change is one JSON line (log.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "conn.h"
#include "daemon.h"
#include "log.h"
#include "wsguard.skel.h" /* after wsg_abi.h: it names struct wsg_cfg */
#include "release.h"
#include "rules.h"


struct wsg_daemon {
	struct wsg_loader ld;
	struct ring_buffer *rb;
	int epfd, sigfd;
	int rel_fd, blocked_fd, dstats_fd, resp_fd;
	/* the custody record being read: header, then len body bytes */
	struct wsg_hold_hdr hdr;
	size_t hdr_have;
	size_t body_left;
	struct wsg_conn_d *cur;
	struct wsg_conn_d *dirty;	/* judged in this custody batch, to flush after it */
	struct wsg_conn_d *waiting;	/* releases the socket had no room for: retried */
	size_t mem_used, mem_peak;	/* sum of wsg_conn_mem() over every connection */
	size_t mem_max;
};

static void wsg_dcount(struct wsg_daemon *d, __u32 reason)
{
	__u64 v = 0;

	bpf_map_lookup_elem(d->dstats_fd, &reason, &v);
	v++;
	bpf_map_update_elem(d->dstats_fd, &reason, &v, BPF_ANY);
}

static void wsg_ev_conn(struct wsg_ev *e, const char *event, struct wsg_conn_d *c, __u64 cookie)
{
	char s[64], t[64];

	wsg_ev_begin(e, event);
	snprintf(s, sizeof(s), "%llu", (unsigned long long)cookie);
	wsg_ev_str(e, "conn", s);
	if (c && c->have_tuple) {
		wsg_tuple_str(&c->tuple, 0, s, sizeof(s));
		wsg_tuple_str(&c->tuple, 1, t, sizeof(t));
		wsg_ev_str(e, "src", s);
		wsg_ev_str(e, "dst", t);
	}
}

static void wsg_log_handshake(struct wsg_conn_d *c)
{
	struct wsg_ev e;

	wsg_ev_conn(&e, "handshake", c, c->cookie);
	wsg_ev_str(&e, "mode", c->hs.upgrade ? "websocket" : "http");
	wsg_ev_str(&e, "path", c->hs.path);
	wsg_ev_str(&e, "protocol", c->hs.protocol);
	wsg_ev_str(&e, "extensions", c->hs.extensions);
	wsg_ev_str(&e, "origin", c->hs.origin);
	wsg_ev_end(&e);
}

static void wsg_log_verdict(struct wsg_conn_d *c, const struct wsg_verdict *v)
{
	struct wsg_ev e;

	wsg_ev_conn(&e, "verdict", c, c->cookie);
	wsg_ev_str(&e, "verdict", v->block ? "block" : "allow");
	wsg_ev_str(&e, "transport", wsg_transport_name(v->tr));
	wsg_ev_str(&e, "reason", wsg_reason_name(v->reason));
	if (!v->block) {
		wsg_ev_u64(&e, "messages", v->messages);
	} else if (v->reason == WSG_R_BAD_REQUEST || v->reason == WSG_R_LIMIT_MEM) {
		wsg_ev_str(&e, "error", v->finding.excerpt);
	} else if (v->reason == WSG_R_DETECT) {
		wsg_ev_str(&e, "rule", v->finding.rule);
		wsg_ev_str(&e, "class", v->finding.cls);
		wsg_ev_str(&e, "where", v->finding.where);
		wsg_ev_str(&e, "excerpt", v->finding.excerpt);
	}
	wsg_ev_end(&e);
}

static long wsg_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Recount c in the memory budget after its buffers may have changed. */
static void wsg_mem_note(struct wsg_daemon *d, struct wsg_conn_d *c)
{
	size_t now = wsg_conn_mem(c);

	d->mem_used += now - c->mem;
	c->mem = now;
	if (d->mem_used > d->mem_peak)
		d->mem_peak = d->mem_used;
}

/* Take c off a list threaded through next_of (the dirty or the waiting list). */
static void wsg_unlist(struct wsg_conn_d **head, struct wsg_conn_d *c,
		       struct wsg_conn_d **(*next_of)(struct wsg_conn_d *))
{
	for (struct wsg_conn_d **pp = head; *pp; pp = next_of(*pp)) {
		if (*pp == c) {
			*pp = *next_of(c);
			*next_of(c) = NULL;
			return;
		}
	}
}

static struct wsg_conn_d **wsg_dirty_next(struct wsg_conn_d *c) { return &c->dirty_next; }
static struct wsg_conn_d **wsg_wait_next(struct wsg_conn_d *c) { return &c->wait_next; }

/* Nothing of c is to be flushed or retried any more. */
static void wsg_release_fds(struct wsg_daemon *d, struct wsg_conn_d *c)
{
	if (c->dirty)
		wsg_unlist(&d->dirty, c, wsg_dirty_next);
	if (c->waiting)
		wsg_unlist(&d->waiting, c, wsg_wait_next);
	c->dirty = c->waiting = 0;
}

static void wsg_forget(struct wsg_daemon *d, struct wsg_conn_d *c)
{
	wsg_release_fds(d, c);
	if (d->cur == c)
		d->cur = NULL;
	d->mem_used -= c->mem;
	wsg_conns_del(c->cookie);
}

/*
 * A closed socket's custody may still be queued behind its CLOSE event: keep the entry as a
 * tombstone (buffers freed) so those records are dropped, and reap it a few seconds later.
 */
static void wsg_tombstone(struct wsg_daemon *d, struct wsg_conn_d *c)
{
	wsg_release_fds(d, c);
	c->closed_at = wsg_now_ms();
	wsg_conn_shrink(c);
	wsg_mem_note(d, c);
}

static void wsg_reap(struct wsg_conn_d *c, void *arg)
{
	if (c->closed_at && wsg_now_ms() - c->closed_at > 5000)
		wsg_forget(arg, c);
}

/* Kill: blocked map first (any further send fails), then RST; custody is dropped. */
static void wsg_block_conn(struct wsg_daemon *d, struct wsg_conn_d *c, const struct wsg_verdict *v)
{
	__u32 reason = v->reason;
	int err;

	c->dead = 1;
	bpf_map_update_elem(d->blocked_fd, &c->cookie, &reason, BPF_ANY);
	wsg_dcount(d, reason);
	wsg_log_verdict(c, v); /* before the RST, so the event is there when its effect is seen */
	err = wsg_kill(c);
	if (err) {
		wsg_dcount(d, WSG_R_FAIL_KILL);
		pr_warn("conn %llu: SOCK_DESTROY: %s", (unsigned long long)c->cookie,
			strerror(-err));
	}
	wsg_release_fds(d, c);
	wsg_conn_shrink(c);
	wsg_mem_note(d, c);
}

/* Release what is judged; a socket without room goes on the waiting list, retried soon. */
static void wsg_flush(struct wsg_daemon *d, struct wsg_conn_d *c)
{
	long n;

	if (!c->releasable || c->dead)
		return;
	if (c->arm) {
		/* before the upgrade request goes out: its answer is what wsg_skb records */
		struct wsg_resp r = {};

		if (bpf_map_update_elem(d->resp_fd, &c->cookie, &r, BPF_ANY))
			pr_warn("conn %llu: arm wsg_resp: %s", (unsigned long long)c->cookie,
				strerror(errno));
		c->arm = 0;
	}
	n = wsg_release(c, d->ld.rel_fd, d->rel_fd);
	if (n == -EAGAIN || (n >= 0 && c->releasable)) {
		if (!c->waiting) {
			c->waiting = 1;
			c->wait_next = d->waiting;
			d->waiting = c;
		}
		return;
	}
	if (n < 0) {
		struct wsg_verdict v = { .block = 1, .reason = WSG_R_FAIL_REINJECT };

		pr_warn("conn %llu: release: %s", (unsigned long long)c->cookie, strerror(-n));
		wsg_block_conn(d, c, &v);
	}
}

/* Retry the releases that found no room: the socket's send buffer drains on its own. */
static void wsg_flush_waiting(struct wsg_daemon *d)
{
	struct wsg_conn_d *c = d->waiting;

	d->waiting = NULL;
	while (c) {
		struct wsg_conn_d *next = c->wait_next;

		c->waiting = 0;
		c->wait_next = NULL;
		wsg_flush(d, c);
		wsg_mem_note(d, c);
		c = next;
	}
}

static void wsg_judge(struct wsg_daemon *d, struct wsg_conn_d *c)
{
	struct wsg_verdict v;

	wsg_conn_process(c, &v);
	wsg_mem_note(d, c);
	if (v.handshake_done)
		wsg_log_handshake(c);
	if (v.resp_forget)
		bpf_map_delete_elem(d->resp_fd, &c->cookie);
	if (v.block) {
		wsg_flush(d, c); /* what was judged before the blocked message still goes out */
		wsg_block_conn(d, c, &v);
		return;
	}
	if (v.messages)
		wsg_log_verdict(c, &v);
	if (c->releasable && !c->dirty) {
		/* one re-injection per connection and custody batch, not one per message */
		c->dirty = 1;
		c->dirty_next = d->dirty;
		d->dirty = c;
	}
}

static void wsg_flush_dirty(struct wsg_daemon *d)
{
	while (d->dirty) {
		struct wsg_conn_d *c = d->dirty;

		d->dirty = c->dirty_next;
		c->dirty = 0;
		c->dirty_next = NULL;
		wsg_flush(d, c);
		wsg_mem_note(d, c);
	}
}

static void wsg_largest(struct wsg_conn_d *c, void *arg)
{
	struct wsg_conn_d **max = arg;

	if (!c->dead && !c->closed_at && (!*max || c->mem > (*max)->mem))
		*max = c;
}

/*
 * The memory budget (--mem-max): while the daemon holds more, the connection holding the
 * most is dropped (memory_limit), so one flood costs its own connections, not everyone's.
 */
static void wsg_mem_enforce(struct wsg_daemon *d)
{
	while (d->mem_used > d->mem_max) {
		struct wsg_conn_d *max = NULL;
		struct wsg_verdict v = { .block = 1, .reason = WSG_R_LIMIT_MEM };

		wsg_conns_each(wsg_largest, &max);
		if (!max || max->mem <= sizeof(*max))
			break;
		snprintf(v.finding.excerpt, sizeof(v.finding.excerpt), "%zu bytes held", max->mem);
		wsg_block_conn(d, max, &v);
	}
}

static void wsg_log_drop(struct wsg_conn_d *c, __u32 reason)
{
	struct wsg_ev ev;

	wsg_ev_conn(&ev, "drop", c, c->cookie);
	wsg_ev_str(&ev, "reason", wsg_reason_name(reason));
	wsg_ev_end(&ev);
}

/* Kill a connection the daemon cannot serve (not a verdict on traffic): count and log it. */
static void wsg_kill_conn(struct wsg_daemon *d, struct wsg_conn_d *c, __u32 reason)
{
	int err;

	c->dead = 1;
	bpf_map_update_elem(d->blocked_fd, &c->cookie, &reason, BPF_ANY);
	wsg_dcount(d, reason);
	wsg_log_drop(c, reason);
	err = wsg_kill(c);
	if (err && err != -ENOENT)
		wsg_dcount(d, WSG_R_FAIL_KILL);
	wsg_conn_shrink(c);
	wsg_mem_note(d, c);
}

/*
 * The first chunk of a socket this daemon has not seen open: one a dead daemon served, or
 * one that was opened while none ran. It is adopted in the mode the kernel parsed it in,
 * unless custody that daemon had not delivered back was lost with it.
 */
static void wsg_adopt_chunk(struct wsg_daemon *d, struct wsg_conn_d *c)
{
	const struct wsg_hold_hdr *h = &d->hdr;
	struct wsg_ev ev;

	c->seen = 1;
	if (h->seq != h->released)
		return wsg_kill_conn(d, c, WSG_R_CUSTODY_LOST);
	c->recv_off = c->released = h->seq;
	c->mode = h->mode;
	if (c->mode == WSG_MODE_UPGRADE)
		c->up_end = h->seq;
	if (c->mode == WSG_MODE_WS) {
		c->tr = WSG_TR_WEBSOCKET;
		c->frame.flags = WSG_FF_CLIENT | WSG_FF_RSV1_OK;
	}
	wsg_ev_conn(&ev, "adopt", c, c->cookie);
	wsg_ev_u64(&ev, "offset", h->seq);
	wsg_ev_end(&ev);
}

static void wsg_custody_header(struct wsg_daemon *d)
{
	struct wsg_conn_d *c;

	d->body_left = d->hdr.len;
	d->cur = NULL;
	if (d->hdr.magic != WSG_HOLD_MAGIC) {
		/* the stream cannot be resynchronised: a bug, and fatal for every held conn */
		pr_warn("custody stream corrupt (magic %#x)", d->hdr.magic);
		wsg_dcount(d, WSG_R_FAIL_PROTO);
		return;
	}
	c = wsg_conns_get(d->hdr.cookie, 0);
	if (!c || !c->seen) {
		/* its OPEN may be in the ring still: custody is read in batches */
		ring_buffer__consume(d->rb);
		c = wsg_conns_get(d->hdr.cookie, 1);
	}
	if (!c || c->dead || c->closed_at)
		return;
	c->tgid = d->hdr.tgid;
	if (!c->seen)
		wsg_adopt_chunk(d, c);
	if (c->dead)
		return;
	if (d->hdr.seq != c->recv_off) {
		struct wsg_verdict v = { .block = 1, .reason = WSG_R_FAIL_PROTO };

		pr_warn("conn %llu: custody gap at %llu (have %llu)",
			(unsigned long long)c->cookie, (unsigned long long)d->hdr.seq,
			(unsigned long long)c->recv_off);
		wsg_block_conn(d, c, &v);
		return;
	}
	wsg_conn_chunk(c, &d->hdr);
	d->cur = c;
}

static void wsg_custody_feed(struct wsg_daemon *d, const unsigned char *p, size_t n)
{
	while (n) {
		size_t take;

		if (d->hdr_have < sizeof(d->hdr)) {
			take = sizeof(d->hdr) - d->hdr_have;
			take = take < n ? take : n;
			memcpy((char *)&d->hdr + d->hdr_have, p, take);
			d->hdr_have += take;
			p += take;
			n -= take;
			if (d->hdr_have == sizeof(d->hdr))
				wsg_custody_header(d);
			continue;
		}
		take = d->body_left < n ? d->body_left : n;
		if (d->cur && !d->cur->dead) {
			if (wsg_conn_append(d->cur, p, take)) {
				struct wsg_verdict v = { .block = 1, .reason = WSG_R_LIMIT_MEM };

				wsg_block_conn(d, d->cur, &v);
			}
			d->cur->recv_off += take;
		}
		p += take;
		n -= take;
		d->body_left -= take;
		if (d->body_left)
			continue;
		d->hdr_have = 0;
		if (d->cur && !d->cur->dead)
			wsg_judge(d, d->cur);
	}
}

static void wsg_custody_read(struct wsg_daemon *d)
{
	static unsigned char rx[1 << 18];

	for (;;) {
		ssize_t n = recv(d->ld.hold_fd, rx, sizeof(rx), MSG_DONTWAIT);

		if (n <= 0)
			break;
		wsg_custody_feed(d, rx, n);
		if (d->cur)
			wsg_mem_note(d, d->cur); /* a message in progress grew */
		wsg_mem_enforce(d);
	}
	wsg_flush_dirty(d);
}

static void wsg_on_drop(struct wsg_daemon *d, const struct wsg_event *e)
{
	struct wsg_conn_d *c = wsg_conns_get(e->cookie, 1);
	struct wsg_ev ev;
	int err;

	if (!c)
		return;
	if (!c->have_tuple) {
		c->tuple = e->tuple;
		c->have_tuple = 1;
	}
	c->tgid = e->tgid;
	c->dead = 1;
	if (e->reason != WSG_R_BLOCKED) {
		err = wsg_kill(c);
		if (err && err != -ENOENT)
			wsg_dcount(d, WSG_R_FAIL_KILL);
	}
	wsg_ev_conn(&ev, "drop", c, e->cookie);
	wsg_ev_str(&ev, "reason", wsg_reason_name(e->reason));
	wsg_ev_u64(&ev, "opcode", e->opcode);
	wsg_ev_end(&ev);
}

static int wsg_on_event(void *ctx, void *data, size_t size)
{
	struct wsg_daemon *d = ctx;
	const struct wsg_event *e = data;
	struct wsg_conn_d *c;
	struct wsg_ev ev;

	if (size < sizeof(*e) || e->size != sizeof(*e) || e->version != WSG_EVENT_VERSION) {
		wsg_dcount(d, WSG_R_FAIL_PROTO);
		return 0;
	}
	switch (e->type) {
	case WSG_EV_OPEN:
		c = wsg_conns_get(e->cookie, 1);
		if (c) {
			c->tuple = e->tuple;
			c->have_tuple = 1;
			c->seen = 1;
		}
		wsg_ev_conn(&ev, "open", c, e->cookie);
		wsg_ev_end(&ev);
		break;
	case WSG_EV_CLOSE:
		c = wsg_conns_get(e->cookie, 0);
		wsg_ev_conn(&ev, "close", c, e->cookie);
		wsg_ev_end(&ev);
		if (c)
			wsg_tombstone(d, c);
		break;
	case WSG_EV_DROP:
		wsg_on_drop(d, e);
		break;
	case WSG_EV_HOLD:
		c = wsg_conns_get(e->cookie, 1);
		if (c && !c->have_tuple) { /* adopted: no OPEN event was seen */
			c->tuple = e->tuple;
			c->have_tuple = 1;
		}
		pr_debug("conn %llu: held %u bytes at %llu: %s", (unsigned long long)e->cookie,
			 e->len, (unsigned long long)e->seq, wsg_reason_name(e->reason));
		break;
	}
	return 0;
}

/* The release socket's peer gets only releases whose socket had closed: discard them. */
static void wsg_drain_peer(struct wsg_daemon *d)
{
	static char sink[1 << 16];

	while (recv(d->ld.rel_peer_fd, sink, sizeof(sink), MSG_DONTWAIT) > 0)
		;
}

static int wsg_setup_loop(struct wsg_daemon *d)
{
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->rb = ring_buffer__new(bpf_map__fd(d->ld.skel->maps.wsg_events), wsg_on_event, d, NULL);
	if (d->sigfd < 0 || d->epfd < 0 || !d->rb)
		return -errno ? -errno : -EINVAL;
	ev.data.fd = d->sigfd;
	epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->sigfd, &ev);
	ev.data.fd = d->ld.hold_fd;
	epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->ld.hold_fd, &ev);
	ev.data.fd = d->ld.rel_peer_fd;
	epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->ld.rel_peer_fd, &ev);
	ev.data.fd = ring_buffer__epoll_fd(d->rb);
	epoll_ctl(d->epfd, EPOLL_CTL_ADD, ev.data.fd, &ev);
	d->rel_fd = bpf_map__fd(d->ld.skel->maps.wsg_rel);
	d->blocked_fd = bpf_map__fd(d->ld.skel->maps.wsg_blocked);
	d->dstats_fd = bpf_map__fd(d->ld.skel->maps.wsg_dstats);
	d->resp_fd = bpf_map__fd(d->ld.skel->maps.wsg_resp);
	return 0;
}

static void wsg_loop(struct wsg_daemon *d)
{
	long reaped = wsg_now_ms();

	for (;;) {
		struct epoll_event evs[64];
		int n = epoll_wait(d->epfd, evs, 64, d->waiting ? 1 : 100);

		/* events first: an OPEN carries the tuple the custody path may need */
		ring_buffer__consume(d->rb);
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == d->sigfd)
				return;
			if (fd == d->ld.hold_fd)
				wsg_custody_read(d);
			else if (fd == d->ld.rel_peer_fd)
				wsg_drain_peer(d);
		}
		ring_buffer__consume(d->rb);
		if (d->waiting)
			wsg_flush_waiting(d);
		if (wsg_now_ms() - reaped > 1000) {
			wsg_conns_each(wsg_reap, d);
			reaped = wsg_now_ms();
		}
	}
}

static void wsg_ready(const struct wsg_run_opts *o, const char *pin_dir, int adopted)
{
	char ports[WSG_MAX_PORTS * 8 + 4] = "[";
	const char *rules;
	unsigned paranoia;
	struct wsg_ev e;
	size_t on;

	for (int i = 0; i < o->nports; i++)
		snprintf(ports + strlen(ports), sizeof(ports) - strlen(ports), "%s%u",
			 i ? "," : "", o->ports[i]);
	strcat(ports, "]");
	wsg_ev_begin(&e, "ready");
	wsg_ev_str(&e, "cgroup", o->cgroup);
	wsg_ev_raw(&e, "ports", ports);
	wsg_ev_str(&e, "pin_dir", pin_dir);
	wsg_rules_info(&rules, &paranoia, &on);
	wsg_ev_str(&e, "rules", rules);
	wsg_ev_u64(&e, "paranoia", paranoia);
	wsg_ev_u64(&e, "rules_on", on);
	wsg_ev_str(&e, "fail", o->fail_open ? "open" : "closed");
	wsg_ev_u64(&e, "mem_max", o->mem_max ? o->mem_max : WSG_DEF_MEM_MAX);
	wsg_ev_raw(&e, "adopted", adopted ? "true" : "false");
	wsg_ev_u64(&e, "pid", getpid());
	wsg_ev_end(&e);
}

static void wsg_conn_drop_all(struct wsg_conn_d *c, void *arg)
{
	wsg_forget(arg, c);
}

/* Custody not yet back in its socket cannot be delivered in order any more: kill its conn. */
static void wsg_conn_stop(struct wsg_conn_d *c, void *arg)
{
	struct wsg_verdict v = { .block = 1, .reason = WSG_R_DAEMON_STOP };

	if (!c->dead && !c->closed_at && c->recv_off != c->released)
		wsg_block_conn(arg, c, &v);
}

/*
 * Judge and flush what is in custody while still attached, detach (nothing new is held
 * after that), drain once more for sends that raced the detach, then kill what is left.
 */
static void wsg_shutdown(struct wsg_daemon *d)
{
	wsg_custody_read(d);
	ring_buffer__consume(d->rb);
	wsg_loader_detach(&d->ld);
	wsg_custody_read(d);
	ring_buffer__consume(d->rb);
	wsg_conns_each(wsg_conn_stop, d);
}

int wsg_daemon_run(const struct wsg_run_opts *o)
{
	static struct wsg_daemon d;
	struct wsg_ev e;
	int err;

	d.mem_max = o->mem_max ? o->mem_max : WSG_DEF_MEM_MAX;
	err = wsg_inspect_init();
	if (err) {
		pr_warn("detectors: %s", strerror(-err));
		return err;
	}
	err = wsg_loader_start(&d.ld, o);
	if (err)
		goto out;
	err = wsg_setup_loop(&d);
	if (err) {
		pr_warn("event loop: %s", strerror(-err));
		goto stop;
	}
	wsg_ready(o, d.ld.pin_dir, d.ld.adopted);
	wsg_loop(&d);
	wsg_shutdown(&d);
	wsg_ev_begin(&e, "stopped");
	wsg_ev_u64(&e, "mem_peak", d.mem_peak);
	wsg_ev_end(&e);
stop:
	wsg_conns_each(wsg_conn_drop_all, &d);
	ring_buffer__free(d.rb);
	wsg_loader_stop(&d.ld);
	if (d.epfd > 0)
		close(d.epfd);
	if (d.sigfd > 0)
		close(d.sigfd);
out:
	wsg_inspect_fini();
	return err;
}
