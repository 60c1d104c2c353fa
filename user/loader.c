// SPDX-License-Identifier: GPL-2.0-only
/* Skeleton lifecycle and attachment of the kernel programs; see loader.h. */
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "inspect.h"
#include "loader.h"
#include "log.h"
#include "wsguard.skel.h" /* after wsg_abi.h: it names struct wsg_cfg */
#include "prefilter.h"
#include "release.h"

int wsg_cgroup2_root(char *buf, size_t len)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;
	int err = -ENOENT;

	if (!f)
		return -errno;
	while ((m = getmntent(f))) {
		if (strcmp(m->mnt_type, "cgroup2"))
			continue;
		snprintf(buf, len, "%s", m->mnt_dir);
		err = 0;
		break;
	}
	endmntent(f);
	return err;
}

int wsg_bpffs_ensure(void)
{
	struct statfs st;

	if (!statfs("/sys/fs/bpf", &st) && st.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL))
		return -errno;
	return 0;
}

/* A connected loopback TCP pair; *rx is the end the kernel redirects into. */
static int wsg_custody_pair(int *rx, int *peer)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int ls, c = -1, s = -1, err;

	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0)
		return -errno;
	if (bind(ls, (void *)&a, sizeof(a)) || listen(ls, 1) || getsockname(ls, (void *)&a, &alen))
		goto fail;
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0 || connect(c, (void *)&a, sizeof(a)))
		goto fail;
	s = accept4(ls, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (s < 0)
		goto fail;
	close(ls);
	*rx = s;
	*peer = c;
	return 0;
fail:
	err = -errno;
	if (c >= 0)
		close(c);
	close(ls);
	return err;
}

#define WSG_LINK_PIN "wsg_sockops_link"

static int wsg_fill_prefilter(struct wsg_loader *l)
{
	static struct wsg_pf_table table;
	__u32 zero = 0;

	wsg_pf_build(&table);
	if (bpf_map_update_elem(bpf_map__fd(l->skel->maps.wsg_prefilter), &zero, &table, 0))
		return -errno;
	return 0;
}

/* The cgroup id of a link's attachment (0 if unknown). */
static __u64 wsg_link_cgroup(struct bpf_link *link)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(bpf_link__fd(link), &info, &len))
		return 0;
	return info.cgroup.cgroup_id;
}

/*
 * sockops through a cgroup link pinned beside the maps: it keeps tracking new connections
 * while no daemon runs. A daemon that finds the pin takes it over with its own program.
 */
/* Open the cgroup and, when taking over pins, their link: which must serve that cgroup. */
static int wsg_open_cgroup(struct wsg_loader *l, const char *cgroup)
{
	struct stat st;
	char path[512];
	int err;

	l->cgroup_fd = open(cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->cgroup_fd < 0) {
		err = -errno;
		pr_warn("open cgroup %s: %s", cgroup, strerror(-err));
		return err;
	}
	snprintf(path, sizeof(path), "%s/%s", l->pin_dir, WSG_LINK_PIN);
	l->sockops_link = access(path, F_OK) ? NULL : bpf_link__open(path);
	if (l->sockops_link &&
	    (fstat(l->cgroup_fd, &st) || wsg_link_cgroup(l->sockops_link) != st.st_ino)) {
		pr_warn("%s attaches another cgroup than %s: stop that wsguard first", path,
			cgroup);
		return -EEXIST;
	}
	return 0;
}

static int wsg_attach_sockops(struct wsg_loader *l, const char *cgroup)
{
	char path[512];
	int err;

	snprintf(path, sizeof(path), "%s/%s", l->pin_dir, WSG_LINK_PIN);
	if (l->sockops_link) {
		err = bpf_link__update_program(l->sockops_link, l->skel->progs.wsg_sockops);
		if (err)
			pr_warn("take over %s: %s", path, strerror(-err));
		return err;
	}
	l->sockops_link = bpf_program__attach_cgroup(l->skel->progs.wsg_sockops, l->cgroup_fd);
	if (!l->sockops_link) {
		err = -errno;
		pr_warn("attach sockops to %s: %s", cgroup, strerror(-err));
		return err;
	}
	err = bpf_link__pin(l->sockops_link, path);
	if (err)
		pr_warn("pin %s: %s", path, strerror(-err));
	return err;
}

static int wsg_attach(struct wsg_loader *l, const char *cgroup)
{
	int err;

	l->socks_fd = bpf_map__fd(l->skel->maps.wsg_socks);
	if (bpf_prog_attach(bpf_program__fd(l->skel->progs.wsg_skb), l->socks_fd,
			    BPF_SK_SKB_VERDICT, 0)) {
		err = -errno;
		pr_warn("attach sk_skb verdict to wsg_socks: %s", strerror(-err));
		return err;
	}
	l->skb_attached = 1;
	/* the benchmark's floor (bpf/wsg_floor.bpf.c): nothing is parsed, held or judged */
	l->msg_prog = getenv("WSG_BENCH_FLOOR") ? l->skel->progs.wsg_msg_floor :
						  l->skel->progs.wsg_msg;
	if (l->msg_prog != l->skel->progs.wsg_msg)
		pr_warn("WSG_BENCH_FLOOR: sk_msg passes everything unread (benchmark only)");
	if (bpf_prog_attach(bpf_program__fd(l->msg_prog), l->socks_fd,
			    BPF_SK_MSG_VERDICT, 0)) {
		err = -errno;
		pr_warn("attach sk_msg to wsg_socks: %s", strerror(-err));
		return err;
	}
	l->msg_attached = 1;
	return wsg_attach_sockops(l, cgroup);
}

static int wsg_pin_prepare(struct wsg_loader *l)
{
	struct bpf_map *m;
	char path[512];
	int err;

	if (mkdir(l->pin_dir, 0700) && errno != EEXIST)
		return -errno;
	l->pin_lock = open(l->pin_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->pin_lock < 0)
		return -errno;
	if (flock(l->pin_lock, LOCK_EX | LOCK_NB)) {
		pr_warn("%s is in use by another wsguard (use --pin-dir for a second one)",
			l->pin_dir);
		close(l->pin_lock);
		l->pin_lock = -1;
		return -EBUSY;
	}
	snprintf(path, sizeof(path), "%s/wsg_conn", l->pin_dir);
	l->adopted = !access(path, F_OK);
	bpf_object__for_each_map(m, l->skel->obj) {
		if (strncmp(bpf_map__name(m), "wsg_", 4))
			continue; /* .rodata and friends stay unpinned */
		snprintf(path, sizeof(path), "%s/%s", l->pin_dir, bpf_map__name(m));
		err = bpf_map__set_pin_path(m, path);
		if (err)
			return err;
	}
	l->pinned = 1;
	return 0;
}

static int wsg_fill_ctl(struct wsg_loader *l, const struct wsg_run_opts *o)
{
	struct wsg_ctl old = {}, ctl = { .daemon_tgid = getpid(), .fail_open = !!o->fail_open };
	__u32 zero = 0;

	bpf_map_lookup_elem(bpf_map__fd(l->skel->maps.wsg_ctl), &zero, &old);
	ctl.gen = old.gen + 1; /* custody of an earlier generation is lost (wsg_msg) */
	l->gen = ctl.gen;
	if (getrandom(&ctl.tag, sizeof(ctl.tag), 0) != sizeof(ctl.tag))
		return -EIO;
	l->tag = ctl.tag;
	if (bpf_map_update_elem(bpf_map__fd(l->skel->maps.wsg_ctl), &zero, &ctl, 0))
		return -errno;
	return 0;
}

static int wsg_configure(struct wsg_loader *l, const struct wsg_run_opts *o)
{
	struct wsg_cfg *cfg = (struct wsg_cfg *)&l->skel->rodata->wsg_cfg;
	int err = wsg_custody_pair(&l->hold_fd, &l->hold_peer_fd);

	if (!err)
		err = wsg_custody_pair(&l->rel_peer_fd, &l->rel_fd);
	if (err) {
		pr_warn("custody/release socket: %s", strerror(-err));
		return err;
	}
	cfg->hold_max = o->hold_max ? o->hold_max : WSG_DEF_HOLD_MAX;
	cfg->scan_max = o->scan_max ? o->scan_max : WSG_DEF_SCAN_MAX;
	if (cfg->scan_max > WSG_SCAN_LIMIT)
		cfg->scan_max = WSG_SCAN_LIMIT;
	cfg->nports = o->nports;
	for (int i = 0; i < o->nports && i < WSG_MAX_PORTS; i++)
		cfg->ports[i] = o->ports[i];
	return 0;
}

int wsg_loader_start(struct wsg_loader *l, const struct wsg_run_opts *o)
{
	__u64 key = WSG_HOLD_KEY, fd;
	int err;

	memset(l, 0, sizeof(*l));
	l->cgroup_fd = l->hold_fd = l->hold_peer_fd = l->pin_lock = -1;
	l->rel_fd = l->rel_peer_fd = -1;
	snprintf(l->pin_dir, sizeof(l->pin_dir), "%s", o->pin_dir ? o->pin_dir : WSG_PIN_DIR);
	l->skel = wsguard_bpf__open();
	if (!l->skel) {
		err = -errno;
		pr_warn("open BPF skeleton: %s", strerror(-err));
		return err;
	}
	err = wsg_configure(l, o);
	if (err)
		goto fail;
	err = wsg_bpffs_ensure();
	if (!err)
		err = wsg_pin_prepare(l);
	if (err) {
		pr_warn("pin directory %s: %s", l->pin_dir, strerror(-err));
		goto fail;
	}
	err = wsguard_bpf__load(l->skel);
	if (err && l->adopted) {
		pr_warn("load BPF programs on the maps pinned in %s: %s (pins of another wsguard "
			"version? stop it, or remove %s)", l->pin_dir, strerror(-err), l->pin_dir);
		goto fail;
	}
	if (err) {
		pr_warn("load BPF programs: %s (kernel >= 5.17 with BTF needed)", strerror(-err));
		goto fail;
	}
	/* nothing pinned is changed before this can fail */
	err = wsg_open_cgroup(l, o->cgroup);
	if (err)
		goto fail;
	err = wsg_fill_prefilter(l);
	if (!err)
		err = wsg_fill_ctl(l, o);
	if (err) {
		pr_warn("fill wsg_prefilter/wsg_ctl: %s", strerror(-err));
		goto fail;
	}
	err = wsg_attach(l, o->cgroup);
	if (err)
		goto fail;
	fd = l->hold_fd; /* the value is 64 bits wide; replaces a dead daemon's socket */
	if (bpf_map_update_elem(l->socks_fd, &key, &fd, BPF_ANY)) {
		err = -errno;
		pr_warn("insert custody socket into wsg_socks: %s", strerror(-err));
		goto fail;
	}
	key = wsg_fd_cookie(l->rel_fd);
	fd = l->rel_fd;
	if (!key || bpf_map_update_elem(l->socks_fd, &key, &fd, BPF_NOEXIST)) {
		err = key ? -errno : -EINVAL;
		pr_warn("insert release socket into wsg_socks: %s", strerror(-err));
		goto fail;
	}
	return 0;
fail:
	/* pins a crashed daemon left keep serving (its failure policy) when taking over fails */
	l->keep = l->adopted;
	wsg_loader_stop(l);
	return err;
}

int wsg_loader_renew_custody(struct wsg_loader *l)
{
	__u64 key = WSG_HOLD_KEY, fd;
	int rx, peer, err = wsg_custody_pair(&rx, &peer);

	if (err)
		return err;
	fd = rx;
	if (bpf_map_update_elem(l->socks_fd, &key, &fd, BPF_ANY)) {
		err = -errno;
		close(rx);
		close(peer);
		return err;
	}
	close(l->hold_fd);
	close(l->hold_peer_fd);
	l->hold_fd = rx;
	l->hold_peer_fd = peer;
	return 0;
}

static void wsg_unpin(struct wsg_loader *l)
{
	struct bpf_map *m;
	char path[512];

	bpf_object__for_each_map(m, l->skel->obj) {
		if (strncmp(bpf_map__name(m), "wsg_", 4))
			continue;
		snprintf(path, sizeof(path), "%s/%s", l->pin_dir, bpf_map__name(m));
		bpf_map__unpin(m, path);
	}
	snprintf(path, sizeof(path), "%s/%s", l->pin_dir, WSG_LINK_PIN);
	unlink(path);
	rmdir(l->pin_dir);
	l->pinned = 0;
}

void wsg_loader_detach(struct wsg_loader *l)
{
	__u64 key = WSG_HOLD_KEY;

	if (l->keep) {
		if (l->sockops_link) {
			bpf_link__disconnect(l->sockops_link); /* close our fd, leave it attached */
			bpf_link__destroy(l->sockops_link);
		}
		l->sockops_link = NULL;
		return;
	}
	/* first: nothing more is held (a later send meets the failure policy), so what the
	 * custody socket has is all the daemon still has to judge */
	if (l->socks_fd > 0)
		bpf_map_delete_elem(l->socks_fd, &key);
	if (l->sockops_link) {
		bpf_link__unpin(l->sockops_link);
		bpf_link__detach(l->sockops_link);
		bpf_link__destroy(l->sockops_link);
	}
	l->sockops_link = NULL;
	/* an sk_msg attachment lives with the map, not with this process: detach explicitly */
	if (l->msg_attached)
		bpf_prog_detach2(bpf_program__fd(l->msg_prog), l->socks_fd,
				 BPF_SK_MSG_VERDICT);
	if (l->skb_attached)
		bpf_prog_detach2(bpf_program__fd(l->skel->progs.wsg_skb), l->socks_fd,
				 BPF_SK_SKB_VERDICT);
	l->msg_attached = l->skb_attached = 0;
}

/*
 * A full stop: every socket leaves wsg_socks, which takes the programs off it (a socket keeps
 * the programs it was inserted with for as long as it stays in the map).
 */
static void wsg_untrack(struct wsg_loader *l)
{
	__u64 key, next;
	int more = !bpf_map_get_next_key(l->socks_fd, NULL, &next);

	while (more) {
		key = next;
		more = !bpf_map_get_next_key(l->socks_fd, &key, &next);
		bpf_map_delete_elem(l->socks_fd, &key);
	}
}

void wsg_loader_stop(struct wsg_loader *l)
{
	wsg_loader_detach(l);
	if (l->skel && l->pinned && !l->keep && l->socks_fd > 0)
		wsg_untrack(l);
	if (l->skel && l->pinned && !l->keep)
		wsg_unpin(l);
	if (l->pin_lock >= 0)
		close(l->pin_lock);
	l->pin_lock = -1;
	if (l->cgroup_fd >= 0)
		close(l->cgroup_fd);
	if (l->hold_fd >= 0)
		close(l->hold_fd);
	if (l->hold_peer_fd >= 0)
		close(l->hold_peer_fd);
	if (l->rel_fd >= 0)
		close(l->rel_fd);
	if (l->rel_peer_fd >= 0)
		close(l->rel_peer_fd);
	l->cgroup_fd = l->hold_fd = l->hold_peer_fd = l->rel_fd = l->rel_peer_fd = -1;
	wsguard_bpf__destroy(l->skel);
	l->skel = NULL;
}
