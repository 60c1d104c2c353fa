// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon: start (loader), the event loop, and shutdown. The loop hands the custody and
 * release sockets to the custody path (custody.c) and turns ring-buffer events (opens,
 * closes, kernel drops) into connection state and JSON lines (log.h).
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
#include "custody.h"
#include "daemon.h"
#include "log.h"
#include "wsguard.skel.h" /* after wsg_abi.h: it names struct wsg_cfg */
#include "release.h"
#include "rules.h"

struct wsg_daemon {
	struct wsg_loader ld;
	struct wsg_custody cu;
	struct ring_buffer *rb;
	int epfd, sigfd;
};

static long wsg_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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
	wsg_custody_dropped(&d->cu, c);
	if (e->reason != WSG_R_BLOCKED) {
		err = wsg_kill(c);
		if (err && err != -ENOENT)
			wsg_custody_count(&d->cu, WSG_R_FAIL_KILL);
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
		wsg_custody_count(&d->cu, WSG_R_FAIL_PROTO);
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
			wsg_custody_closed(&d->cu, c);
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

/* The custody socket is replaced (custody.c found its stream broken): poll the new one. */
static int wsg_renew_custody(void *ctx)
{
	struct wsg_daemon *d = ctx;
	struct epoll_event ev = { .events = EPOLLIN };
	int old = d->ld.hold_fd, err;

	epoll_ctl(d->epfd, EPOLL_CTL_DEL, old, NULL);
	err = wsg_loader_renew_custody(&d->ld);
	ev.data.fd = d->ld.hold_fd;
	epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->ld.hold_fd, &ev);
	d->cu.hold_fd = d->ld.hold_fd;
	return err;
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
	d->cu.hold_fd = d->ld.hold_fd;
	d->cu.rel_sock = d->ld.rel_fd;
	d->cu.rel_peer = d->ld.rel_peer_fd;
	d->cu.rel_fd = bpf_map__fd(d->ld.skel->maps.wsg_rel);
	d->cu.blocked_fd = bpf_map__fd(d->ld.skel->maps.wsg_blocked);
	d->cu.dstats_fd = bpf_map__fd(d->ld.skel->maps.wsg_dstats);
	d->cu.resp_fd = bpf_map__fd(d->ld.skel->maps.wsg_resp);
	d->cu.rb = d->rb;
	d->cu.conn_map = bpf_map__fd(d->ld.skel->maps.wsg_conn);
	d->cu.tag = d->ld.tag;
	d->cu.renew = wsg_renew_custody;
	d->cu.renew_ctx = d;
	return 0;
}

static void wsg_loop(struct wsg_daemon *d)
{
	long reaped = wsg_now_ms(), reconciled = reaped;

	for (;;) {
		struct epoll_event evs[64];
		/* releases waiting for room in a socket are retried every millisecond */
		int n = epoll_wait(d->epfd, evs, 64, d->cu.waiting ? 1 : 100);

		/* events first: an OPEN carries the tuple the custody path may need */
		ring_buffer__consume(d->rb);
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == d->sigfd)
				return;
			if (fd == d->ld.hold_fd)
				wsg_custody_read(&d->cu);
			else if (fd == d->ld.rel_peer_fd)
				wsg_custody_drain_peer(&d->cu);
		}
		ring_buffer__consume(d->rb);
		if (d->cu.waiting)
			wsg_custody_retry(&d->cu);
		if (wsg_now_ms() - reaped > 1000) {
			wsg_custody_reap(&d->cu);
			reaped = wsg_now_ms();
		}
		if (wsg_now_ms() - reconciled > 60000) { /* events the ring had no room for */
			wsg_custody_reconcile(&d->cu);
			reconciled = wsg_now_ms();
		}
	}
}

static void wsg_ready(const struct wsg_run_opts *o, const char *pin_dir, int adopted,
		      unsigned conns)
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
	if (adopted)
		wsg_ev_u64(&e, "conns", conns);
	wsg_ev_u64(&e, "pid", getpid());
	wsg_ev_end(&e);
}

/*
 * Judge and flush what is in custody while still attached, detach (nothing new is held
 * after that), drain once more for sends that raced the detach, then kill what is left.
 */
static void wsg_shutdown(struct wsg_daemon *d)
{
	wsg_custody_read(&d->cu);
	ring_buffer__consume(d->rb);
	wsg_loader_detach(&d->ld);
	wsg_custody_read(&d->cu);
	ring_buffer__consume(d->rb);
	wsg_custody_stop(&d->cu);
}

int wsg_daemon_run(const struct wsg_run_opts *o)
{
	static struct wsg_daemon d;
	struct wsg_ev e;
	int err;

	d.cu.mem_max = o->mem_max ? o->mem_max : WSG_DEF_MEM_MAX;
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
	if (d.ld.adopted) /* the ring's events of the time without a daemon first */
		ring_buffer__consume(d.rb);
	wsg_ready(o, d.ld.pin_dir, d.ld.adopted,
		  d.ld.adopted ? wsg_custody_adopt(&d.cu, d.ld.gen) : 0);
	wsg_loop(&d);
	wsg_shutdown(&d);
	wsg_ev_begin(&e, "stopped");
	wsg_ev_u64(&e, "mem_peak", d.cu.mem_peak);
	wsg_ev_end(&e);
stop:
	wsg_custody_fini(&d.cu);
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
