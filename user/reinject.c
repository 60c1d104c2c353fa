// SPDX-License-Identifier: GPL-2.0-only
/* Re-injection into and destruction of the proxy's sockets; see reinject.h. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <bpf/bpf.h>
#include "log.h"
#include "reinject.h"

__u64 wsg_fd_cookie(int fd)
{
	__u64 cookie = 0;
	socklen_t len = sizeof(cookie);

	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &len))
		return 0;
	return cookie;
}

static int wsg_getfd(struct wsg_conn_d *c, int fdnum)
{
	int fd = syscall(SYS_pidfd_getfd, c->pidfd, fdnum, 0);

	if (fd < 0)
		return -1;
	if (wsg_fd_cookie(fd) == c->cookie)
		return fd;
	close(fd);
	return -1;
}

/* Walk /proc/<tgid>/fd for the socket with c's cookie (fd numbers are reused: re-check). */
static int wsg_find_fd(struct wsg_conn_d *c)
{
	char path[64], link[64];
	struct dirent *de;
	DIR *dir;
	int fd = -1;

	if (c->pidfd < 0)
		c->pidfd = syscall(SYS_pidfd_open, c->tgid, 0);
	if (c->pidfd < 0)
		return -errno;
	if (c->fdnum >= 0 && (fd = wsg_getfd(c, c->fdnum)) >= 0)
		return fd;
	snprintf(path, sizeof(path), "/proc/%u/fd", c->tgid);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		char lp[320];
		ssize_t n;
		int num = atoi(de->d_name);

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(lp, sizeof(lp), "%s/%s", path, de->d_name);
		n = readlink(lp, link, sizeof(link) - 1);
		if (n < 8 || strncmp(link, "socket:[", 8))
			continue;
		fd = wsg_getfd(c, num);
		if (fd >= 0) {
			c->fdnum = num;
			break;
		}
	}
	closedir(dir);
	return fd >= 0 ? fd : -ENOENT;
}

void wsg_reinject_close(struct wsg_conn_d *c)
{
	if (c->dup >= 0)
		close(c->dup);
	c->dup = -1;
}

long wsg_reinject(struct wsg_conn_d *c, int rel_fd)
{
	struct wsg_rel rel = {};
	long total = 0;

	if (c->dup < 0) {
		c->dup = wsg_find_fd(c);
		if (c->dup < 0) {
			int err = c->dup;

			c->dup = -1;
			return err;
		}
	}
	while (c->releasable) {
		ssize_t n = send(c->dup, c->buf, c->releasable, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return total ? total : -EAGAIN;
			n = -errno;
			wsg_reinject_close(c);
			return n;
		}
		wsg_conn_consume(c, n);
		total += n;
		/* only now may the kernel pass later sends directly: these bytes are queued */
		rel.released = c->released;
		rel.mode = c->mode;
		if (bpf_map_update_elem(rel_fd, &c->dup, &rel, BPF_ANY))
			pr_warn("conn %llu: update wsg_rel: %s", (unsigned long long)c->cookie,
				strerror(errno));
	}
	wsg_reinject_close(c);
	return total;
}

int wsg_conn_tuple_from_fd(struct wsg_conn_d *c)
{
	struct sockaddr_storage l, r;
	socklen_t ll = sizeof(l), rl = sizeof(r);
	int fd = wsg_find_fd(c), err = 0;

	if (fd < 0)
		return fd;
	if (getsockname(fd, (void *)&l, &ll) || getpeername(fd, (void *)&r, &rl)) {
		err = -errno;
		goto out;
	}
	memset(&c->tuple, 0, sizeof(c->tuple));
	c->tuple.family = l.ss_family;
	if (l.ss_family == AF_INET) {
		struct sockaddr_in *a = (void *)&l, *b = (void *)&r;

		c->tuple.sport = ntohs(a->sin_port);
		c->tuple.dport = ntohs(b->sin_port);
		c->tuple.saddr[0] = a->sin_addr.s_addr;
		c->tuple.daddr[0] = b->sin_addr.s_addr;
	} else {
		struct sockaddr_in6 *a = (void *)&l, *b = (void *)&r;

		c->tuple.sport = ntohs(a->sin6_port);
		c->tuple.dport = ntohs(b->sin6_port);
		memcpy(c->tuple.saddr, &a->sin6_addr, 16);
		memcpy(c->tuple.daddr, &b->sin6_addr, 16);
	}
	c->have_tuple = 1;
out:
	close(fd);
	return err;
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

	if (!c->have_tuple && wsg_conn_tuple_from_fd(c))
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

void wsg_tuple_str(const struct wsg_tuple *t, int dst, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	const __u32 *a = dst ? t->daddr : t->saddr;

	inet_ntop(t->family == AF_INET6 ? AF_INET6 : AF_INET, a, ip, sizeof(ip));
	snprintf(buf, len, t->family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip,
		 dst ? t->dport : t->sport);
}
