// SPDX-License-Identifier: GPL-2.0-only
/*
 * Path traversal / local file inclusion detector: repeated "../" (any slash, "..;/", "....//"),
 * one traversal into a system location, well-known sensitive files, and stream wrappers
 * (php://, file://, expect://, phar://, zip://). One "../" in prose ("../assets/logo.png")
 * passes.
 */
#include <string.h>
#include "detect.h"

/*
 * Paths. "php:" gates php:// as a 4-gram of its own: "php://" would let the prefilter pick
 * "p://", which every http URL in chat holds. '%' is an escape anyway. Traversals whose dots an
 * overlong escape hid ("%c0%ae" leaves a 0xc0 byte) are gated by their target: ".ini",
 * "system32", "/issue". "li4v", "l2v0yy", "zxrjl" are "../", "/etc", "etc/" in base64.
 */
const char *const wsg_lfi_anchors[] = {
	"../", "..\\", "passwd", "etc/shadow", ":\\", "php:", "%", "?/", "?\\", ".?", "?.", "0x2e",
	"0x2f", "0x5c", "/.", "\".", ".ini", "system32", "/issue", "\\issue", "li4v",
	"l2v0yy", "zxrjl",
	/*
	 * a whole value that is a system path (wsg_lfi_abs) by its first letters: not '"' and
	 * '/' alone, which every route or file path value in JSON starts with ("/api", "/files")
	 */
	"\"/et", "\"/pr", "\"/ro", "\"/va", "\"/sy", "\"/op", "\"/ho", "\"/us", "\"/ap",
	/* an overlong "%c0%2e" leaves a 0xc0 byte before its dot, then the separator */
	"./", ".\\", NULL,
};

/* Rule ids by index; class, level and description: rules/wsguard.rules.json. */
const char *const wsg_lfi_rules[] = {
	"lfi-001",
	"lfi-002",
	"lfi-003",
	"lfi-004",
	"lfi-005",
	NULL
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

/* Secrets and system paths: an attack when the whole value is such a path. */
static const char *const wsg_lfi_abs[] = {
	"/etc/", "/proc/", "/root/", "/var/log/", "/sys/", "/private/", "/var/lib/", "/var/www/",
	"/usr/local/etc/", "/opt/", "/home/", "/var/mail/", "/var/spool/", "/var/run/",
	"/var/adm/", "/usr/local/apache", "/apache/", "/usr/pkg/", "/var/cpanel/", "c:/",
	"c:\\", "d:\\", "file:", "~/", "/.", ".", NULL,
};

/* Secret files that are an attack wherever they are named in a path. */
static const char *const wsg_lfi_secrets[] = {
	".ssh/", "id_rsa", "id_dsa", ".aws/", ".htaccess", ".htpasswd", "wp-config.php",
	"web.config", ".git/", ".bash_history", "/.env", ".docker/", ".kube/",
	"/.npmrc", ".netrc", NULL,
};

static const char *const wsg_lfi_wrappers[] = {
	"php://", "expect://", "phar://", "zip://", "glob://", "data://", "zlib://",
	"compress.zlib://", "file://", NULL,
};

static int wsg_lfi_hit(struct wsg_hit *h, int rule, size_t off)
{
	return wsg_rule_hit(h, wsg_lfi_rules[rule], off);
}

/* "0x2e" "0x2f" "0x5c" spell '.', '/', '\' in some traversal fuzzers; 0 if not at s[i]. */
static char wsg_lfi_hexdot(const char *s, size_t len, size_t i)
{
	if (i + 4 > len || s[i] != '0' || s[i + 1] != 'x')
		return 0;
	if (s[i + 2] == '2' && s[i + 3] == 'e')
		return '.';
	if ((s[i + 2] == '2' && s[i + 3] == 'f') || (s[i + 2] == '5' && s[i + 3] == 'c'))
		return '/';
	return 0;
}

/*
 * Debris of a broken overlong UTF-8 escape: a lead byte 0xc0/0xc1 left undecoded and the
 * byte that followed it ("%c0%ae", "%c0%2e", "%c1%9c", "%c0n"). Lenient decoders keep the
 * low bits of that byte: a low nibble of 0xe reads as '.', anything else here as a slash.
 * Returns the character, 0 if s[i] is not such a pair.
 */
static char wsg_lfi_overlong(const char *s, size_t len, size_t i)
{
	unsigned char u = (unsigned char)s[i], x;

	if ((u != 0xc0 && u != 0xc1) || i + 1 >= len)
		return 0;
	x = (unsigned char)s[i + 1];
	if (x == '%' || wsg_is_space(x))
		return 0;
	return (x & 0x0f) == 0x0e ? '.' : '/';
}

/* "%2%e": a "%2e" whose digits were escaped once more ("%%32%%65") and decoded alone. */
static char wsg_lfi_split_pct(const char *s, size_t len, size_t i)
{
	if (i + 4 > len || s[i] != '%' || s[i + 2] != '%')
		return 0;
	if (s[i + 1] == '2' && s[i + 3] == 'e')
		return '.';
	if ((s[i + 1] == '2' && s[i + 3] == 'f') || (s[i + 1] == '5' && s[i + 3] == 'c'))
		return '/';
	return 0;
}

/* One path character as a traversal sees it, its source length in *n. */
static char wsg_lfi_ch(const char *s, size_t len, size_t i, size_t *n)
{
	char c = wsg_lfi_hexdot(s, len, i);

	*n = 4;
	if (c)
		return c;
	c = wsg_lfi_split_pct(s, len, i);
	if (c)
		return c;
	*n = 2;
	c = wsg_lfi_overlong(s, len, i);
	if (c)
		return c;
	*n = 1;
	c = s[i];
	return c == '\\' ? '/' : c;
}

/*
 * A separator run at s[i]: slashes and the debris that broken or overlong encodings leave
 * ("\xc0%9v", "%01", ";", "?"); returns its length, 0 if none. It must hold a slash or
 * debris; letters and digits only inside "%XX" leftovers, or as the "2f" / "5c" that a lost
 * '%' leaves right after the dots ("..2f").
 */
static size_t wsg_lfi_sep(const char *s, size_t len, size_t i)
{
	size_t j = i, n;

	if (i + 2 <= len && ((s[i] == '2' && s[i + 1] == 'f') || (s[i] == '5' && s[i + 1] == 'c')))
		j += 2;
	while (j < len && j - i < 16) {
		unsigned char u = (unsigned char)s[j];
		char c = wsg_lfi_ch(s, len, j, &n);

		if (c == '.') {
			break;
		} else if (c == '/' || u >= 0x80 || u < 0x20 || c == ';' || c == '?') {
			j += n;
		} else if (c == '%' && j + 2 < len && wsg_is_word((unsigned char)s[j + 1]) &&
			   (wsg_is_word((unsigned char)s[j + 2]) || (unsigned char)s[j + 2] >= 0x80)) {
			j += 3;
		} else if (c == '%') {
			j++;
		} else {
			break;
		}
	}
	return j - i;
}

/* A dot-dot unit at s[i]: 2-4 of '.', or ".?", "?.", "??" (a fuzzer's stand-in dots). */
static size_t wsg_lfi_dotdot(const char *s, size_t len, size_t i)
{
	size_t j = i, n, dots = 0, q = 0;

	while (j < len && j - i < 16) {
		char c = wsg_lfi_ch(s, len, j, &n);

		if (c == '.')
			dots++;
		else if (c == '?')
			q++;
		else
			break;
		j += n;
	}
	if (dots + q < 2 || dots + q > 4 || (q && dots + q > 2) || (!dots && q != 2))
		return 0;
	return j - i;
}

/*
 * A system location at s[i]. Targets written with a trailing '/' are directories: the name
 * must be followed by a separator, a lost-'%' "2f" / "5c", or the 'o' that "%c1%af" decodes
 * to in a traversal that already came before.
 */
static int wsg_lfi_target(const char *s, size_t len, size_t i)
{
	for (int k = 0; wsg_lfi_targets[k]; k++) {
		const char *t = wsg_lfi_targets[k];
		size_t n = strlen(t), m = t[n - 1] == '/' ? n - 1 : n;

		if (i + m > len || memcmp(s + i, t, m))
			continue;
		if (m == n || i + m == len || wsg_lfi_sep(s, len, i + m) || s[i + m] == 'o')
			return 1;
	}
	return 0;
}

/* The 'o' of "..%c1%af" ahead of another dot-dot or a system location. */
static size_t wsg_lfi_o_sep(const char *s, size_t len, size_t i)
{
	if (i >= len || s[i] != 'o')
		return 0;
	return wsg_lfi_dotdot(s, len, i + 1) || wsg_lfi_target(s, len, i + 1);
}

/* The run of traversal units from s[i]; returns how many, *end past the last. */
static unsigned wsg_lfi_run(const char *s, size_t len, size_t i, size_t *end)
{
	unsigned segs = 0;

	for (;;) {
		size_t d = wsg_lfi_dotdot(s, len, i), sep, n;

		if (!d)
			break;
		sep = wsg_lfi_sep(s, len, i + d);
		if (!sep)
			sep = wsg_lfi_o_sep(s, len, i + d);
		if (!sep)
			break;
		segs++;
		i += d + sep;
		/* skip "./" (current directory) units */
		while (i + 1 < len && wsg_lfi_ch(s, len, i, &n) == '.' &&
		       wsg_lfi_ch(s, len, i + n, &n) != '.' && (sep = wsg_lfi_sep(s, len, i + 1)))
			i += 1 + sep;
	}
	*end = i;
	return segs;
}

static int wsg_lfi_has_space(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (wsg_is_space((unsigned char)s[i]))
			return 1;
	return 0;
}

/* Only slashes and debris before s[i]: the traversal starts the value. */
static int wsg_lfi_leads(const char *s, size_t len, size_t i)
{
	return i == 0 || wsg_lfi_sep(s, len, 0) >= i;
}

/* A whole value of dots and slashes only ("/./\/././", "/.../"): a traversal probe. */
static int wsg_lfi_dots_only(const char *s, size_t len)
{
	size_t dots = 0, slashes = 0;

	if (len < 4)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.')
			dots++;
		else if (s[i] == '/' || s[i] == '\\')
			slashes++;
		else
			return 0;
	}
	return dots && slashes >= 2;
}

static int wsg_lfi_traversal(const char *s, size_t len, int quoted, struct wsg_hit *h)
{
	int whole = !wsg_lfi_has_space(s, len);

	(void)quoted;
	for (size_t i = 0; i + 1 < len; i++) {
		size_t end, n;
		unsigned segs;
		char c = wsg_lfi_ch(s, len, i, &n);

		if (c != '.' && c != '?')
			continue;
		if (i && (wsg_lfi_ch(s, len, i - 1, &n) == '.' || s[i - 1] == '?'))
			continue;
		segs = wsg_lfi_run(s, len, i, &end);
		if (segs >= 2)
			return wsg_lfi_hit(h, 0, i);
		if (segs == 1 && (wsg_lfi_target(s, len, end) ||
				  (whole && c == '.' && wsg_lfi_leads(s, len, i))))
			return wsg_lfi_hit(h, 1, i);
	}
	if (whole && wsg_lfi_dots_only(s, len))
		return wsg_lfi_hit(h, 0, 0);
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

/* A whole value that is a path to somewhere sensitive. */
static int wsg_lfi_path(const char *s, size_t len, struct wsg_hit *h)
{
	for (size_t i = 0; i < len; i++)
		if (wsg_is_space((unsigned char)s[i]))
			return 0;
	for (int k = 0; wsg_lfi_abs[k]; k++) {
		size_t n = strlen(wsg_lfi_abs[k]);

		if (n <= len && !memcmp(s, wsg_lfi_abs[k], n) &&
		    (n > 2 || wsg_lfi_list(s, len, wsg_lfi_secrets, 2, h)))
			return wsg_lfi_hit(h, 2, 0);
	}
	/* a dotfile or dot-directory right under the root: "/.cshrc", "/.codex/config.toml" */
	if (len > 2 && s[0] == '/' && s[1] == '.' && wsg_is_alpha((unsigned char)s[2]))
		return wsg_lfi_hit(h, 2, 0);
	/* an absolute path to an .ini file: "/winnt\php.ini" */
	if (len > 5 && (s[0] == '/' || s[0] == '\\') && !memcmp(s + len - 4, ".ini", 4))
		return wsg_lfi_hit(h, 2, 0);
	return 0;
}

/*
 * A whole value in base64 that starts with an encoded traversal or system path ("li4vli4v" is
 * "../../", "l2v0yy" is "/etc", "zxrjl" is "etc/"): applications that decode a parameter
 * before opening it. Case is lost by normalisation, so the prefixes are matched lowercase.
 */
static int wsg_lfi_base64(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const enc[] = { "li4vli4v", "l2v0yy9", "zxrjl3", NULL };
	size_t i = 0;

	while (i < len && (wsg_is_alpha((unsigned char)s[i]) || wsg_is_digit((unsigned char)s[i]) ||
			   s[i] == '+' || s[i] == '/'))
		i++;
	while (i < len && s[i] == '=')
		i++;
	if (i != len || len < 12)
		return 0;
	for (int k = 0; enc[k]; k++)
		if (!strncmp(s, enc[k], strlen(enc[k])))
			return wsg_lfi_hit(h, 4, 0);
	return 0;
}

/*
 * Sensitive files named in a value. In prose a bare absolute path ("deleting /etc/passwd
 * would be bad") is talk about the file, not a request for it: there the path must be glued
 * to something (a scheme, '=', a quote, debris) to count.
 */
static int wsg_lfi_file(const char *s, size_t len, struct wsg_hit *h)
{
	int prose = wsg_lfi_has_space(s, len);

	for (int k = 0; wsg_lfi_files[k]; k++) {
		size_t n = strlen(wsg_lfi_files[k]);

		for (const char *p = memmem(s, len, wsg_lfi_files[k], n); p;
		     p = memmem(p + 1, len - (size_t)(p + 1 - s), wsg_lfi_files[k], n)) {
			const char *b = p;

			while (b > s && !wsg_is_space((unsigned char)b[-1]))
				b--;
			if (!prose || b[0] != '/')
				return wsg_lfi_hit(h, 2, (size_t)(p - s));
			if (p + 1 >= s + len)
				break;
		}
	}
	return 0;
}

/*
 * An anchor in the (lowercase) text, or a '"'-led one at its start when it was a literal. A
 * traversal whose dots and separators overlong escapes all hid ("/\xc0.\xc0.\xc0/") holds
 * none now that a value starting with '/' is no anchor (every JSON route is one): it fires
 * only where an anchor gates it.
 */
static int wsg_lfi_gated(const struct wsg_text *t)
{
	for (size_t k = 0; wsg_lfi_anchors[k]; k++) {
		const char *a = wsg_lfi_anchors[k];
		size_t m = strlen(a);

		if (a[0] == '"' && t->quoted && m - 1 <= t->len && !memcmp(t->s, a + 1, m - 1))
			return 1;
		if (memmem(t->s, t->len, a, m))
			return 1;
	}
	return 0;
}

int wsg_detect_lfi(const struct wsg_text *t, struct wsg_hit *h)
{
	return (wsg_lfi_traversal(t->s, t->len, t->quoted, h) && wsg_lfi_gated(t)) ||
	       wsg_lfi_file(t->s, t->len, h) ||
	       wsg_lfi_base64(t->s, t->len, h) ||
	       wsg_lfi_list(t->s, t->len, wsg_lfi_wrappers, 3, h) ||
	       wsg_lfi_drive(t->s, t->len, h) || wsg_lfi_path(t->s, t->len, h) ||
	       wsg_lfi_list(t->s, t->len, wsg_lfi_secrets, 2, h);
}
