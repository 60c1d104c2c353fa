// SPDX-License-Identifier: GPL-2.0-only
/* Release into and destruction of the proxy's sockets; see release.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <bpf/bpf.h>
#include "log.h"
#include "prefilter.h"
#include "release.h"

__u64 wsg_fd_cookie(int fd)
{
	__u64 cookie = 0;
	socklen_t len = sizeof(cookie);

	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &len))
		return 0;
	return cookie;
}

long wsg_release(struct wsg_conn_d *c, int sock, int rel_map)
{
	long total = 0;

	while (c->releasable) {
		size_t n = c->releasable < WSG_REL_CHUNK ? c->releasable : WSG_REL_CHUNK;
		struct wsg_rel_hdr h = { .magic = WSG_REL_MAGIC, .len = n, .cookie = c->cookie };
		struct iovec iov[2] = { { &h, sizeof(h) }, { c->buf, n } };
		struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };
		struct wsg_rel rel = {};
		ssize_t r = sendmsg(sock, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
		size_t pushed;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return total ? total : -EAGAIN;
			return -errno;
		}
		/* the kernel pushed r - header bytes; what the target had no room for is gone */
		pushed = (size_t)r > sizeof(h) ? (size_t)r - sizeof(h) : 0;
		if (pushed > n)
			pushed = n;
		if (!pushed)
			return total ? total : -EAGAIN;
		wsg_conn_consume(c, pushed);
		total += pushed;
		/* only now may the kernel pass later sends directly: these bytes are queued */
		rel.released = c->released;
		rel.mode = c->mode;
		rel.profile = wsg_pf_profile_of(c->fw);
		if (bpf_map_update_elem(rel_map, &c->cookie, &rel, BPF_ANY))
			pr_warn("conn %llu: update wsg_rel: %s", (unsigned long long)c->cookie,
				strerror(errno));
		if (pushed < n)
			break;
	}
	return total;
}

int wsg_answer(struct wsg_conn_d *c, int sock, const char *resp, size_t n)
{
	struct wsg_rel_hdr h = { .magic = WSG_ANS_MAGIC, .len = n, .cookie = c->cookie };
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)resp, n } };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };
	ssize_t r;

	if (n > WSG_REL_CHUNK)
		return -EINVAL;
	r = sendmsg(sock, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (r < 0)
		return -errno;
	return r == (ssize_t)(sizeof(h) + n) ? 0 : -EIO;
}

int wsg_kill(struct wsg_conn_d *c)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} m = {};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char ack[512];
	struct nlmsghdr *h = (void *)ack;
	int fd, err = 0;
	ssize_t n;

	if (!c->have_tuple)
		return -ENOENT;
	m.nlh.nlmsg_len = sizeof(m);
	m.nlh.nlmsg_type = SOCK_DESTROY;
	m.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	m.req.sdiag_family = c->tuple.family;
	m.req.sdiag_protocol = IPPROTO_TCP;
	m.req.idiag_states = ~0u;
	m.req.id.idiag_sport = htons(c->tuple.sport);
	m.req.id.idiag_dport = htons(c->tuple.dport);
	memcpy(m.req.id.idiag_src, c->tuple.saddr, 16);
	memcpy(m.req.id.idiag_dst, c->tuple.daddr, 16);
	/* the kernel compares the cookie too: a reused 4-tuple is never hit */
	m.req.id.idiag_cookie[0] = (__u32)c->cookie;
	m.req.id.idiag_cookie[1] = (__u32)(c->cookie >> 32);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	if (sendto(fd, &m, sizeof(m), 0, (void *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		goto out;
	}
	n = recv(fd, ack, sizeof(ack), 0);
	if (n < 0)
		err = -errno;
	else if (n >= (ssize_t)sizeof(*h) && h->nlmsg_type == NLMSG_ERROR)
		err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
out:
	close(fd);
	return err;
}

/* The first attribute of type `type` among those in p[0..len), or NULL. */
static const struct nlattr *wsg_nla_find(const void *p, size_t len, int type)
{
	const struct nlattr *a = p;

	while (len >= sizeof(*a) && a->nla_len >= sizeof(*a) && a->nla_len <= len) {
		size_t step = NLA_ALIGN(a->nla_len);

		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		if (step >= len)
			break;
		len -= step;
		a = (const void *)((const char *)a + step);
	}
	return NULL;
}

#define WSG_NLA_DATA(a) ((const void *)((a) + 1))
#define WSG_NLA_LEN(a) ((size_t)(a)->nla_len - sizeof(*(a)))

/* One dump reply: the socket's wsg_conn storage, if it has one, to fn. */
static void wsg_diag_msg(const struct nlmsghdr *h, void (*fn)(void *, const struct wsg_conn *),
			 void *ctx)
{
	size_t head = NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct inet_diag_msg)));
	const struct nlattr *a;

	if (h->nlmsg_len < head)
		return;
	a = wsg_nla_find((const char *)h + head, h->nlmsg_len - head, INET_DIAG_SK_BPF_STORAGES);
	if (a)
		a = wsg_nla_find(WSG_NLA_DATA(a), WSG_NLA_LEN(a), SK_DIAG_BPF_STORAGE);
	if (a)
		a = wsg_nla_find(WSG_NLA_DATA(a), WSG_NLA_LEN(a), SK_DIAG_BPF_STORAGE_MAP_VALUE);
	if (a && WSG_NLA_LEN(a) >= sizeof(struct wsg_conn)) {
		struct wsg_conn c;

		memcpy(&c, WSG_NLA_DATA(a), sizeof(c)); /* attribute data is 4-byte aligned */
		fn(ctx, &c);
	}
}

static int wsg_diag_family(int fd, int family, int conn_map,
			   void (*fn)(void *, const struct wsg_conn *), void *ctx)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
		struct nlattr stg;
		struct nlattr map;
		__u32 map_fd;
	} m = {};
	static char buf[1 << 16];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	m.nlh.nlmsg_len = sizeof(m);
	m.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	m.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	m.req.sdiag_family = family;
	m.req.sdiag_protocol = IPPROTO_TCP;
	m.req.idiag_states = ~0u;
	m.stg.nla_type = INET_DIAG_REQ_SK_BPF_STORAGES | NLA_F_NESTED;
	m.stg.nla_len = sizeof(m.stg) + sizeof(m.map) + sizeof(m.map_fd);
	m.map.nla_type = SK_DIAG_BPF_STORAGE_REQ_MAP_FD;
	m.map.nla_len = sizeof(m.map) + sizeof(m.map_fd);
	m.map_fd = conn_map;
	if (sendto(fd, &m, sizeof(m), 0, (void *)&sa, sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (void *)buf;

		if (n < 0)
			return -errno;
		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			wsg_diag_msg(h, fn, ctx);
		}
	}
}

int wsg_tracked_each(int conn_map, void (*fn)(void *ctx, const struct wsg_conn *c), void *ctx)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG), err;

	if (fd < 0)
		return -errno;
	err = wsg_diag_family(fd, AF_INET, conn_map, fn, ctx);
	if (!err)
		err = wsg_diag_family(fd, AF_INET6, conn_map, fn, ctx);
	close(fd);
	return err;
}

void wsg_tuple_str(const struct wsg_tuple *t, int dst, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	const __u32 *a = dst ? t->daddr : t->saddr;

	inet_ntop(t->family == AF_INET6 ? AF_INET6 : AF_INET, a, ip, sizeof(ip));
	snprintf(buf, len, t->family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip,
		 dst ? t->dport : t->sport);
}
