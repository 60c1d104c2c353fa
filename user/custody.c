// SPDX-License-Identifier: GPL-2.0-only
/*
 * The custody path in the daemon, from the kernel's hold to the bytes going back: held chunks
 * are read from the custody socket and demultiplexed by cookie (a socket first seen here is
 * adopted, or killed if its earlier custody died with another daemon), handed to the
 * connection's stream to be judged, released in order once judged (release.c), or blocked
 * and killed; the memory budget drops the largest holders. Every verdict and drop it decides
 * is counted (wsg_dstats) and is one JSON line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "custody.h"
#include "log.h"
#include "prefilter.h"
#include "release.h"

static void wsg_custody_sync(struct wsg_custody *cu);
static void wsg_custody_renew(struct wsg_custody *cu);

void wsg_custody_count(struct wsg_custody *cu, __u32 reason)
{
	__u64 v = 0;

	bpf_map_lookup_elem(cu->dstats_fd, &reason, &v);
	v++;
	bpf_map_update_elem(cu->dstats_fd, &reason, &v, BPF_ANY);
}

void wsg_ev_conn(struct wsg_ev *e, const char *event, struct wsg_conn_d *c, __u64 cookie)
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
static void wsg_mem_note(struct wsg_custody *cu, struct wsg_conn_d *c)
{
	size_t now = wsg_conn_mem(c);

	cu->mem_used += now - c->mem;
	c->mem = now;
	if (cu->mem_used > cu->mem_peak)
		cu->mem_peak = cu->mem_used;
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
static void wsg_release_fds(struct wsg_custody *cu, struct wsg_conn_d *c)
{
	if (c->dirty)
		wsg_unlist(&cu->dirty, c, wsg_dirty_next);
	if (c->waiting)
		wsg_unlist(&cu->waiting, c, wsg_wait_next);
	c->dirty = c->waiting = 0;
}

void wsg_custody_forget(struct wsg_custody *cu, struct wsg_conn_d *c)
{
	wsg_release_fds(cu, c);
	if (cu->cur == c)
		cu->cur = NULL;
	cu->mem_used -= c->mem;
	wsg_conns_del(c->cookie);
}

/*
 * A closed socket's custody may still be queued behind its CLOSE event: keep the entry as a
 * tombstone (buffers freed) so those records are dropped, and reap it a few seconds later.
 */
void wsg_custody_closed(struct wsg_custody *cu, struct wsg_conn_d *c)
{
	wsg_release_fds(cu, c);
	if (cu->cur == c)
		cu->cur = NULL; /* the rest of a chunk being read belongs to nobody now */
	c->closed_at = wsg_now_ms();
	wsg_conn_shrink(c);
	wsg_mem_note(cu, c);
}

void wsg_custody_dropped(struct wsg_custody *cu, struct wsg_conn_d *c)
{
	c->dead = 1;
	wsg_release_fds(cu, c);
	wsg_conn_shrink(c);
	wsg_mem_note(cu, c);
}

static void wsg_reap_one(struct wsg_conn_d *c, void *arg)
{
	if (c->kill_at && !c->closed_at && wsg_now_ms() > c->kill_at) {
		c->kill_at = 0; /* the proxy kept a refused request's socket open: reset it */
		if (wsg_kill(c) && c->have_tuple)
			wsg_custody_count(arg, WSG_R_FAIL_KILL);
	}
	if (c->closed_at && wsg_now_ms() - c->closed_at > 5000)
		wsg_custody_forget(arg, c);
}

/* Kill: blocked map first (any further send fails), then RST; custody is dropped. */
/*
 * The answer to a refused HTTP request, put where the proxy waits for the backend's: a 403
 * whose body the proxy cannot parse, so that it closes the client's connection as well as
 * the upstream one (nginx, buffering, sends nothing of it). A reset socket would get the
 * client a 502 on a connection kept alive, and nginx would retry a request that failed on a
 * reused upstream socket on a new one.
 */
static const char wsg_refusal[] = "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n"
				  "Transfer-Encoding: chunked\r\nX-Wsguard: blocked\r\n\r\n"
				  "blocked by wsguard\r\n";

#define WSG_ANSWER_GRACE_MS 2000 /* the proxy closes at once; the RST follows if it did not */

static void wsg_block_conn(struct wsg_custody *cu, struct wsg_conn_d *c,
			   const struct wsg_verdict *v)
{
	__u32 reason = v->reason;
	int err;

	c->dead = 1;
	bpf_map_update_elem(cu->blocked_fd, &c->cookie, &reason, BPF_ANY);
	wsg_custody_count(cu, reason);
	wsg_log_verdict(c, v); /* before the RST, so the event is there when its effect is seen */
	if (c->mode == WSG_MODE_HTTP &&
	    !wsg_answer(c, cu->rel_sock, wsg_refusal, sizeof(wsg_refusal) - 1)) {
		c->kill_at = wsg_now_ms() + WSG_ANSWER_GRACE_MS;
		wsg_release_fds(cu, c);
		wsg_conn_shrink(c);
		wsg_mem_note(cu, c);
		return;
	}
	err = wsg_kill(c);
	if (err) {
		wsg_custody_count(cu, WSG_R_FAIL_KILL);
		pr_warn("conn %llu: SOCK_DESTROY: %s", (unsigned long long)c->cookie,
			strerror(-err));
	}
	wsg_release_fds(cu, c);
	wsg_conn_shrink(c);
	wsg_mem_note(cu, c);
}

/* Release what is judged; a socket without room goes on the waiting list, retried soon. */
static void wsg_flush(struct wsg_custody *cu, struct wsg_conn_d *c)
{
	long n;

	if (!c->releasable || c->dead || c->closed_at)
		return;
	if (c->arm) {
		/* before the upgrade request goes out: its answer is what wsg_skb records */
		struct wsg_resp r = {};

		if (bpf_map_update_elem(cu->resp_fd, &c->cookie, &r, BPF_ANY))
			pr_warn("conn %llu: arm wsg_resp: %s", (unsigned long long)c->cookie,
				strerror(errno));
		c->arm = 0;
	}
	n = wsg_release(c, cu->rel_sock, cu->rel_fd);
	if (n == -EAGAIN || (n >= 0 && c->releasable)) {
		if (!c->waiting) {
			c->waiting = 1;
			c->wait_next = cu->waiting;
			cu->waiting = c;
		}
		return;
	}
	if (n < 0) {
		struct wsg_verdict v = { .block = 1, .reason = WSG_R_FAIL_REINJECT };

		pr_warn("conn %llu: release: %s", (unsigned long long)c->cookie, strerror(-n));
		wsg_block_conn(cu, c, &v);
	}
}

/* Retry the releases that found no room: the socket's send buffer drains on its own. */
void wsg_custody_retry(struct wsg_custody *cu)
{
	struct wsg_conn_d *c = cu->waiting;

	cu->waiting = NULL;
	while (c) {
		struct wsg_conn_d *next = c->wait_next;

		c->waiting = 0;
		c->wait_next = NULL;
		wsg_flush(cu, c);
		wsg_mem_note(cu, c);
		c = next;
	}
}

static void wsg_judge(struct wsg_custody *cu, struct wsg_conn_d *c)
{
	struct wsg_verdict v;

	wsg_conn_process(c, &v);
	wsg_mem_note(cu, c);
	if (v.handshake_done)
		wsg_log_handshake(c);
	if (v.resp_forget)
		bpf_map_delete_elem(cu->resp_fd, &c->cookie);
	if (v.block) {
		wsg_flush(cu, c); /* what was judged before the blocked message still goes out */
		wsg_block_conn(cu, c, &v);
		return;
	}
	if (v.messages)
		wsg_log_verdict(c, &v);
	if (c->releasable && !c->dirty) {
		/* one re-injection per connection and custody batch, not one per message */
		c->dirty = 1;
		c->dirty_next = cu->dirty;
		cu->dirty = c;
	}
}

static void wsg_flush_dirty(struct wsg_custody *cu)
{
	while (cu->dirty) {
		struct wsg_conn_d *c = cu->dirty;

		cu->dirty = c->dirty_next;
		c->dirty = 0;
		c->dirty_next = NULL;
		wsg_flush(cu, c);
		wsg_mem_note(cu, c);
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
static void wsg_mem_enforce(struct wsg_custody *cu)
{
	while (cu->mem_used > cu->mem_max) {
		struct wsg_conn_d *max = NULL;
		struct wsg_verdict v = { .block = 1, .reason = WSG_R_LIMIT_MEM };

		wsg_conns_each(wsg_largest, &max);
		if (!max || max->mem <= sizeof(*max))
			break;
		snprintf(v.finding.excerpt, sizeof(v.finding.excerpt), "%zu bytes held", max->mem);
		wsg_block_conn(cu, max, &v);
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
void wsg_custody_kill(struct wsg_custody *cu, struct wsg_conn_d *c, __u32 reason)
{
	int err;

	c->dead = 1;
	bpf_map_update_elem(cu->blocked_fd, &c->cookie, &reason, BPF_ANY);
	wsg_custody_count(cu, reason);
	wsg_log_drop(c, reason);
	err = wsg_kill(c);
	if (err && err != -ENOENT)
		wsg_custody_count(cu, WSG_R_FAIL_KILL);
	wsg_conn_shrink(c);
	wsg_mem_note(cu, c);
}

/*
 * The first chunk of a socket this daemon has not seen open: one a dead daemon served, or
 * one that was opened while none ran. It is adopted in the mode the kernel parsed it in,
 * unless custody that daemon had not delivered back was lost with it.
 */
static void wsg_adopt_chunk(struct wsg_custody *cu, struct wsg_conn_d *c)
{
	const struct wsg_hold_hdr *h = &cu->hdr;
	struct wsg_rel rel = {};
	struct wsg_ev ev;

	c->seen = 1;
	if (h->seq != h->released)
		return wsg_custody_kill(cu, c, WSG_R_CUSTODY_LOST);
	c->recv_off = c->released = h->seq;
	c->mode = h->mode;
	/* the framework its handshake chose, which the kernel still reads it by */
	if (!bpf_map_lookup_elem(cu->rel_fd, &c->cookie, &rel))
		c->fw = wsg_pf_profile_fw(rel.profile);
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

static void wsg_custody_header(struct wsg_custody *cu)
{
	struct wsg_conn_d *c;

	cu->body_left = cu->hdr.len;
	cu->cur = NULL;
	if (cu->hdr.magic != (WSG_HOLD_MAGIC ^ cu->tag)) {
		/* no way to find the next header: wsg_custody_read renews the socket */
		pr_warn("custody stream corrupt (magic %#x)", cu->hdr.magic);
		wsg_custody_count(cu, WSG_R_FAIL_PROTO);
		cu->corrupt = 1;
		return;
	}
	c = wsg_conns_get(cu->hdr.cookie, 0);
	if (!c || !c->seen) {
		/* its OPEN may be in the ring still: custody is read in batches */
		wsg_custody_sync(cu);
		c = wsg_conns_get(cu->hdr.cookie, 1);
	}
	if (!c || c->dead || c->closed_at)
		return;
	if (!c->seen)
		wsg_adopt_chunk(cu, c);
	if (c->dead)
		return;
	if (cu->hdr.seq != c->recv_off) {
		struct wsg_verdict v = { .block = 1, .reason = WSG_R_FAIL_PROTO };

		pr_warn("conn %llu: custody gap at %llu (have %llu)",
			(unsigned long long)c->cookie, (unsigned long long)cu->hdr.seq,
			(unsigned long long)c->recv_off);
		wsg_block_conn(cu, c, &v);
		return;
	}
	wsg_conn_chunk(c, &cu->hdr);
	cu->cur = c;
}

static void wsg_custody_feed(struct wsg_custody *cu, const unsigned char *p, size_t n)
{
	while (n && !cu->corrupt) {
		size_t take;

		if (cu->hdr_have < sizeof(cu->hdr)) {
			take = sizeof(cu->hdr) - cu->hdr_have;
			take = take < n ? take : n;
			memcpy((char *)&cu->hdr + cu->hdr_have, p, take);
			cu->hdr_have += take;
			p += take;
			n -= take;
			if (cu->hdr_have == sizeof(cu->hdr))
				wsg_custody_header(cu);
			continue;
		}
		take = cu->body_left < n ? cu->body_left : n;
		if (cu->cur && !cu->cur->dead) {
			if (wsg_conn_append(cu->cur, p, take)) {
				struct wsg_verdict v = { .block = 1, .reason = WSG_R_LIMIT_MEM };

				wsg_block_conn(cu, cu->cur, &v);
			}
			cu->cur->recv_off += take;
		}
		p += take;
		n -= take;
		cu->body_left -= take;
		if (cu->body_left)
			continue;
		cu->hdr_have = 0;
		if (cu->cur && !cu->cur->dead)
			wsg_judge(cu, cu->cur);
	}
}

void wsg_custody_read(struct wsg_custody *cu)
{
	static unsigned char rx[1 << 18];

	for (;;) {
		ssize_t n = recv(cu->hold_fd, rx, sizeof(rx), MSG_DONTWAIT);

		if (n <= 0)
			break;
		wsg_custody_feed(cu, rx, n);
		if (cu->corrupt) {
			wsg_flush_dirty(cu); /* what was judged before the break still goes out */
			wsg_custody_renew(cu);
			break;
		}
		if (cu->cur)
			wsg_mem_note(cu, cu->cur); /* a message in progress grew */
		wsg_mem_enforce(cu);
	}
	wsg_flush_dirty(cu);
}

/* A release that reached the peer: lost for its socket, unless that socket had closed. */
static void wsg_peer_record(struct wsg_custody *cu)
{
	struct wsg_conn_d *c = wsg_conns_get(cu->peer_hdr.cookie, 0);

	if (c && !c->dead && !c->closed_at)
		wsg_custody_kill(cu, c, WSG_R_FAIL_REINJECT);
}

/*
 * The release socket's peer gets the releases wsg_msg did not redirect: those for sockets
 * that closed meanwhile (discarded), and any the kernel refused (their connection missed
 * bytes it was sent as released: killed). Records are wsg_rel_hdr + len bytes.
 */
void wsg_custody_drain_peer(struct wsg_custody *cu)
{
	static unsigned char sink[1 << 16];
	ssize_t n;

	wsg_custody_sync(cu); /* a CLOSE the ring holds explains a release that came back */
	while ((n = recv(cu->rel_peer, sink, sizeof(sink), MSG_DONTWAIT)) > 0) {
		for (size_t i = 0; i < (size_t)n && !cu->peer_lost;) {
			size_t take;

			if (cu->peer_have < sizeof(cu->peer_hdr)) {
				take = sizeof(cu->peer_hdr) - cu->peer_have;
				take = take < n - i ? take : n - i;
				memcpy((char *)&cu->peer_hdr + cu->peer_have, sink + i, take);
				cu->peer_have += take;
				i += take;
				if (cu->peer_have < sizeof(cu->peer_hdr))
					break;
				if (cu->peer_hdr.magic != WSG_REL_MAGIC &&
				    cu->peer_hdr.magic != WSG_ANS_MAGIC) {
					pr_warn("release peer: unframed bytes; releases lost after "
						"this are no longer attributed");
					cu->peer_lost = 1;
					break;
				}
				cu->peer_left = cu->peer_hdr.len;
				wsg_peer_record(cu);
			}
			take = cu->peer_left < n - i ? cu->peer_left : n - i;
			cu->peer_left -= take;
			i += take;
			if (!cu->peer_left)
				cu->peer_have = 0;
		}
	}
}

/* Custody not yet back in its socket cannot be delivered in order any more: kill its conn. */
static void wsg_conn_stop(struct wsg_conn_d *c, void *arg)
{
	struct wsg_verdict v = { .block = 1, .reason = WSG_R_DAEMON_STOP };

	if (!c->dead && !c->closed_at && c->recv_off != c->released)
		wsg_block_conn(arg, c, &v);
}

/* Forget closed sockets whose late custody had time to arrive. */
void wsg_custody_reap(struct wsg_custody *cu)
{
	wsg_conns_each(wsg_reap_one, cu);
}

void wsg_custody_stop(struct wsg_custody *cu)
{
	wsg_conns_each(wsg_conn_stop, cu);
}

static void wsg_forget_one(struct wsg_conn_d *c, void *arg)
{
	wsg_custody_forget(arg, c);
}

void wsg_custody_fini(struct wsg_custody *cu)
{
	wsg_conns_each(wsg_forget_one, cu);
}

struct wsg_adopt {
	struct wsg_custody *cu;
	__u16 gen;
	int all;		/* custody of this daemon's generation is lost too */
	unsigned alive;
};

static void wsg_adopt_one(void *ctx, const struct wsg_conn *k)
{
	struct wsg_adopt *a = ctx;
	struct wsg_rel rel = {};
	struct wsg_conn_d *c;

	if (k->mode == WSG_MODE_DEAD || !k->cookie)
		return;
	a->alive++;
	bpf_map_lookup_elem(a->cu->rel_fd, &k->cookie, &rel);
	if (!k->lost && (k->held == rel.released || (k->gen == a->gen && !a->all)))
		return; /* nothing lost: adopted at its next hold */
	c = wsg_conns_get(k->cookie, 1);
	if (!c || c->dead)
		return;
	c->tuple = k->tuple;
	c->have_tuple = 1;
	c->seen = 1;
	wsg_custody_kill(a->cu, c, k->lost ? WSG_R_LOST_SYNC : WSG_R_CUSTODY_LOST);
}

/* Kill every tracked socket whose custody is lost (a->all: whatever daemon had it). */
static unsigned wsg_kill_lost(struct wsg_custody *cu, __u16 gen, int all)
{
	struct wsg_adopt a = { .cu = cu, .gen = gen, .all = all };
	int err = wsg_tracked_each(cu->conn_map, wsg_adopt_one, &a);

	if (err)
		pr_warn("list the tracked sockets (sock_diag): %s", strerror(-err));
	return a.alive;
}

unsigned wsg_custody_adopt(struct wsg_custody *cu, __u16 gen)
{
	return wsg_kill_lost(cu, gen, 0);
}

/*
 * The custody stream broke (a header that is not one: a kernel that split a redirect, or
 * a bug): nothing after it can be attributed. A new custody socket takes later holds, and
 * every connection with custody in flight is killed, since some of it is lost.
 */
static void wsg_custody_renew(struct wsg_custody *cu)
{
	int err = cu->renew ? cu->renew(cu->renew_ctx) : -ENOSYS;

	if (err)
		pr_warn("renew the custody socket: %s", strerror(-err));
	cu->corrupt = 0;
	cu->hdr_have = cu->body_left = 0;
	cu->cur = NULL;
	wsg_kill_lost(cu, 0, 1);
}

static void wsg_unlisted(struct wsg_conn_d *c, void *arg)
{
	if (!c->listed && !c->closed_at)
		wsg_custody_closed(arg, c); /* its CLOSE event was lost (ring full) */
	c->listed = 0;
}

static void wsg_listed(void *ctx, const struct wsg_conn *k)
{
	struct wsg_conn_d *c = wsg_conns_get(k->cookie, 0);

	(void)ctx;
	if (!c)
		return;
	c->listed = 1;
	if (!c->have_tuple) { /* its OPEN and HOLD events were lost */
		c->tuple = k->tuple;
		c->have_tuple = 1;
	}
}

void wsg_custody_reconcile(struct wsg_custody *cu)
{
	wsg_custody_sync(cu);
	if (!wsg_tracked_each(cu->conn_map, wsg_listed, cu))
		wsg_conns_each(wsg_unlisted, cu);
}

/* Events the ring holds may name a socket custody is about to show: take them first. */
static void wsg_custody_sync(struct wsg_custody *cu)
{
	if (cu->rb)
		ring_buffer__consume(cu->rb);
}
