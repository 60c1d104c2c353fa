// SPDX-License-Identifier: GPL-2.0-only
/*
 * Path traversal / local file inclusion detector: repeated "../" (any slash, "..;/", "....//"),
 * one traversal into a system location, well-known sensitive files, and stream wrappers
 * (php://, file://, expect://, phar://, zip://). One "../" in prose ("../assets/logo.png")
 * passes.
 */
#include <string.h>
#include "detect.h"

static const struct wsg_rule wsg_lfi_rules[] = {
	{ "lfi-001", "lfi", "repeated directory traversal" },
	{ "lfi-002", "lfi", "directory traversal into a system location" },
	{ "lfi-003", "lfi", "sensitive system file" },
	{ "lfi-004", "lfi", "stream wrapper (php://, file://, expect://, ...)" },
};

/* Targets that make a single traversal (or a bare absolute path at the start) an attack. */
static const char *const wsg_lfi_targets[] = {
	"etc/", "windows", "winnt", "boot.ini", "win.ini", "proc/", "var/log", "var/www",
	"usr/local", "root/", "home/", ".ssh", "web-inf", "wp-config", ".htaccess", ".htpasswd",
	".env", "system32", "inetpub", "apache", "nginx", "php.ini", "config", "passwd",
	"shadow", "bin/", "usr/", "var/", "opt/", "tmp/", "dev/", NULL,
};

/* Always an attack, wherever they appear. */
static const char *const wsg_lfi_files[] = {
	"etc/passwd", "etc/shadow", "etc/master.passwd", ".htpasswd", "boot.ini", "win.ini",
	"system32/", "proc/self/", "etc/security/", NULL,
};

static const char *const wsg_lfi_wrappers[] = {
	"php://", "expect://", "phar://", "zip://", "glob://", "data://", "zlib://",
	"compress.zlib://", "file://", NULL,
};

static int wsg_lfi_hit(struct wsg_hit *h, int rule, size_t off)
{
	h->rule = &wsg_lfi_rules[rule];
	h->off = off;
	return 1;
}

static int wsg_lfi_slash(char c)
{
	return c == '/' || c == '\\';
}

/* A traversal segment at s[i]: "..", "...", "...." then separators; returns its length. */
static size_t wsg_lfi_dots(const char *s, size_t len, size_t i)
{
	size_t j = i;

	while (j < len && s[j] == '.')
		j++;
	if (j - i < 2 || j - i > 4)
		return 0;
	if (j < len && s[j] == ';')
		j++;
	if (j >= len || !wsg_lfi_slash(s[j]))
		return 0;
	while (j < len && wsg_lfi_slash(s[j]))
		j++;
	return j - i;
}

static int wsg_lfi_target(const char *s, size_t len, size_t i)
{
	for (int k = 0; wsg_lfi_targets[k]; k++) {
		size_t n = strlen(wsg_lfi_targets[k]);

		if (i + n <= len && !memcmp(s + i, wsg_lfi_targets[k], n))
			return 1;
	}
	return 0;
}

static int wsg_lfi_traversal(const char *s, size_t len, struct wsg_hit *h)
{
	for (const char *p = memmem(s, len, "..", 2); p;
	     p = memmem(p + 1, len - (size_t)(p + 1 - s), "..", 2)) {
		size_t i = (size_t)(p - s), j = i, n, segs = 0;

		if (i && s[i - 1] == '.')
			continue;
		while ((n = wsg_lfi_dots(s, len, j))) {
			segs++;
			j += n;
		}
		if (segs >= 2)
			return wsg_lfi_hit(h, 0, i);
		if (segs == 1 && wsg_lfi_target(s, len, j))
			return wsg_lfi_hit(h, 1, i);
		if (p + 2 >= s + len)
			break;
	}
	return 0;
}

static int wsg_lfi_list(const char *s, size_t len, const char *const *list, int rule,
			struct wsg_hit *h)
{
	for (int k = 0; list[k]; k++) {
		const char *p = memmem(s, len, list[k], strlen(list[k]));

		if (p)
			return wsg_lfi_hit(h, rule, (size_t)(p - s));
	}
	return 0;
}

/* A value that is a Windows drive path into the system ("c:\windows\win.ini"). */
static int wsg_lfi_drive(const char *s, size_t len, struct wsg_hit *h)
{
	for (const char *p = memmem(s, len, ":\\", 2); p;
	     p = memmem(p + 1, len - (size_t)(p + 1 - s), ":\\", 2)) {
		size_t i = (size_t)(p - s) + 2;

		if (p > s && wsg_is_alpha((unsigned char)p[-1]) &&
		    (p - 1 == s || !wsg_is_word((unsigned char)p[-2])) &&
		    (wsg_lfi_target(s, len, i) || (i + 4 <= len && !memcmp(s + i, "inetpub", 4))) &&
		    memcmp(s + i, "config", 6))
			return wsg_lfi_hit(h, 1, (size_t)(p - s) - 1);
		if (p + 2 >= s + len)
			break;
	}
	return 0;
}

int wsg_detect_lfi(const struct wsg_text *t, struct wsg_hit *h)
{
	return wsg_lfi_traversal(t->s, t->len, h) ||
	       wsg_lfi_list(t->s, t->len, wsg_lfi_files, 2, h) ||
	       wsg_lfi_list(t->s, t->len, wsg_lfi_wrappers, 3, h) ||
	       wsg_lfi_drive(t->s, t->len, h);
}
