// SPDX-License-Identifier: GPL-2.0-only
/*
 * OS command injection detector: a shell separator at the start of a value (after at most
 * one short token, the value the application expected) followed by a command; command
 * substitution of a reconnaissance or download command; separators mid-text followed by a
 * command with attack-shaped arguments; shellshock and $IFS tricks. Shell talk in prose
 * ("run lspci | grep VGA") passes.
 */
#include <string.h>
#include "detect.h"

/* Calls, substitution, separators at a value start or glued to a command. */
const char *const wsg_cmdi_anchors[] = {
	WSG_LETTERS("", "("), "`", "';", "'|", WSG_DIGITS("", ";"), ");", "\";", "\"|", "\"&",
	"$(", "${", "||", "&&", ":;", "{,", "$ifs", "; ", WSG_LETTERS(";", ""),
	WSG_LETTERS("|", ""), ";/", "|/", NULL,
};

static const struct wsg_rule wsg_cmdi_rules[] = {
	{ "rce-001", "rce", "shell separator and command at the start of a value" },
	{ "rce-002", "rce", "command substitution of a reconnaissance or download command" },
	{ "rce-003", "rce", "chained command with attack arguments" },
	{ "rce-004", "rce", "shellshock function definition" },
	{ "rce-005", "rce", "shell variable/brace expansion used to hide spaces or commands" },
	{ "rce-006", "rce", "call of a process-spawning function (system, exec, popen, ...)" },
};

static const char *const wsg_spawn_fns[] = {
	"system", "exec", "shell_exec", "passthru", "popen", "proc_open", "pcntl_exec",
	"phpinfo", "execsync", "spawnsync", "execfile", "getruntime", "processbuilder",
	"subprocess.call", "subprocess.popen", "subprocess.run", "subprocess.check_output",
	"os.system", "os.popen", "child_process", NULL,
};

/* Commands an attacker runs through an injection; "risky" ones count mid-text too. */
static const char *const wsg_cmds[] = {
	"id", "whoami", "uname", "cat", "wget", "curl", "nc", "ncat", "netcat", "bash", "sh",
	"zsh", "ksh", "dash", "python", "python2", "python3", "perl", "ruby", "php", "ping",
	"sleep", "rm", "nslookup", "dig", "telnet", "base64", "echo", "ls", "powershell", "cmd",
	"certutil", "systeminfo", "ifconfig", "ipconfig", "net", "env", "printenv", "mkfifo",
	"socat", "busybox", "chmod", "kill", "touch", "tftp", "ftp", "sudo", "dir", "type",
	"pwd", "ps", "netstat", "find", "grep", "head", "tail", "more", "less", "awk", "sed",
	"xargs", "hostname", "tasklist", "taskkill", "reg", "wmic", "ver", "del", "copy",
	"crontab", "nohup", "lwp-download", "fetch", "tar", "useradd", "reboot", "shutdown",
	"systemctl", "openssl", "dd", "tee", "xterm", "iwr", "iex", "time", "eval", "exec",
	"expr", "chown", "cp", "mv", "node", "passwd", "su", "ssh", "scp", "w", "who", "uptime",
	"nmap", "cut", "od", "xxd", "strings", "getent", "lsof", "history", "start", "timeout",
	"cscript", "wscript", "mshta", "rundll32", "regsvr32", "bitsadmin", "sc", "schtasks",
	"net1", "pkill", "killall", "halt", "poweroff", "gcc", "cc", "make", "chattr", NULL,
};

/* Index below which wsg_cmds are risky enough to count after a leading token. */
#define WSG_CMD_RISKY 46

/*
 * The command word at s[i] ("/usr/bin/id" names "id", "cmd.exe" names "cmd"): its name in
 * [*name, *name + return), and *end just past the whole word.
 */
static size_t wsg_cmd_word(const char *s, size_t len, size_t i, size_t *name, size_t *end)
{
	size_t j = i;

	if (i < len && s[i] == '/') {
		size_t last = i;

		while (j < len && (wsg_is_word((unsigned char)s[j]) || s[j] == '/'))
			if (s[j++] == '/')
				last = j;
		i = last;
	}
	j = i;
	while (j < len && (wsg_is_word((unsigned char)s[j]) || s[j] == '-' || s[j] == '.'))
		j++;
	*name = i;
	*end = j;
	if (j - i > 4 && !memcmp(s + j - 4, ".exe", 4))
		j -= 4;
	return j - i;
}

/* The command at s[i]: its index in wsg_cmds, or -1; it must end at a shell boundary. */
static int wsg_cmd_at(const char *s, size_t len, size_t i, size_t *end)
{
	size_t name, n = wsg_cmd_word(s, len, i, &name, end);

	if (!n)
		return -1;
	if (*end < len && !wsg_is_space((unsigned char)s[*end]) && !strchr(";|&<>)`$'\"", s[*end]))
		return -1;
	return wsg_in_list(wsg_cmds, s + name, n);
}

/* A separator at s[i]; returns its length, 0 if none. */
static size_t wsg_cmd_sep(const char *s, size_t len, size_t i)
{
	if (i >= len)
		return 0;
	if (i + 1 < len && ((s[i] == '|' && s[i + 1] == '|') || (s[i] == '&' && s[i + 1] == '&') ||
			    (s[i] == '$' && s[i + 1] == '(')))
		return 2;
	if (s[i] == ';' || s[i] == '|' || s[i] == '&' || s[i] == '`' || s[i] == '\n')
		return 1;
	return 0;
}

static int wsg_cmdi_hit(struct wsg_hit *h, int rule, size_t off)
{
	h->rule = &wsg_cmdi_rules[rule];
	h->off = off;
	return 1;
}

/* rce-001: [token] sep command, at the start of the value. */
static int wsg_cmdi_start(const char *s, size_t len, struct wsg_hit *h)
{
	size_t i = wsg_skip_space(s, len, 0), lead = 0, sep, end;
	int k;

	while (i < len && (s[i] == '\'' || s[i] == '"'))
		i++;
	while (i + lead < len && !wsg_is_space((unsigned char)s[i + lead]) &&
	       !wsg_cmd_sep(s, len, i + lead))
		lead++;
	if (lead > 40)
		return 0;
	i = wsg_skip_space(s, len, i + lead);
	sep = wsg_cmd_sep(s, len, i);
	if (!sep || (lead && s[i] == '`')) /* a backtick after a word is rce-002's to judge */
		return 0;
	i = wsg_skip_space(s, len, i + sep);
	k = wsg_cmd_at(s, len, i, &end);
	if (k < 0 || (lead && k >= WSG_CMD_RISKY))
		return 0;
	return wsg_cmdi_hit(h, 0, i);
}

/*
 * A backtick span set in prose ("use `ls -la` to list"): a space before it and a space after
 * its closing backtick. Markdown-style code in chat; only attack arguments make it rce-002.
 */
static int wsg_cmdi_prose_span(const char *s, size_t len, size_t i)
{
	const char *close = memchr(s + i + 1, '`', len - i - 1);
	size_t c = close ? (size_t)(close - s) : len;

	return close && i > 0 && s[i - 1] == ' ' && c + 1 < len && s[c + 1] == ' ';
}

static int wsg_cmdi_args(const char *cmd, const char *s, size_t len, size_t i);

/* rce-002: $(cmd) or `cmd` with a risky command. */
static int wsg_cmdi_subst(const char *s, size_t len, struct wsg_hit *h)
{
	for (size_t i = 0; i < len; i++) {
		size_t j, end;
		int k;

		if (s[i] == '`')
			j = i + 1;
		else if (s[i] == '$' && i + 1 < len && s[i + 1] == '(')
			j = i + 2;
		else
			continue;
		j = wsg_skip_space(s, len, j);
		k = wsg_cmd_at(s, len, j, &end);
		if (k < 0 || k >= WSG_CMD_RISKY || !strcmp(wsg_cmds[k], "echo"))
			continue;
		/* "linux-headers-$(uname -r)" is everyday advice */
		if (!strcmp(wsg_cmds[k], "uname") && j + 8 <= len && !memcmp(s + j, "uname -r", 8))
			continue;
		if (s[i] == '`' && wsg_cmdi_prose_span(s, len, i) &&
		    !wsg_cmdi_args(wsg_cmds[k], s, len, end))
			continue;
		return wsg_cmdi_hit(h, 1, i);
	}
	return 0;
}

/* Arguments that make a chained command an attack rather than advice. */
static int wsg_cmdi_args(const char *cmd, const char *s, size_t len, size_t i)
{
	static const char *const files[] = { "/etc/passwd", "/etc/shadow", "/etc/hosts",
		"/etc/group", "/etc/issue", "/proc/", "win.ini", "boot.ini", "/.ssh", NULL };
	size_t end = len;
	const char *nl = memchr(s + i, '\n', len - i);

	if (nl)
		end = (size_t)(nl - s);
	i = wsg_skip_space(s, end, i);
	if (!strcmp(cmd, "id") || !strcmp(cmd, "whoami") || !strcmp(cmd, "systeminfo") ||
	    !strcmp(cmd, "ifconfig") || !strcmp(cmd, "ipconfig"))
		return i == end || strchr(";|&`)'\"", s[i]);
	if (!strcmp(cmd, "cat") || !strcmp(cmd, "type") || !strcmp(cmd, "more") ||
	    !strcmp(cmd, "head") || !strcmp(cmd, "tail") || !strcmp(cmd, "less")) {
		for (int k = 0; files[k]; k++)
			if (memmem(s + i, end - i, files[k], strlen(files[k])))
				return 1;
		return 0;
	}
	if (!strcmp(cmd, "wget") || !strcmp(cmd, "curl") || !strcmp(cmd, "tftp") ||
	    !strcmp(cmd, "fetch"))
		return memmem(s + i, end - i, "://", 3) ||
		       (i < end && wsg_is_digit((unsigned char)s[i]));
	if (!strcmp(cmd, "nc") || !strcmp(cmd, "ncat") || !strcmp(cmd, "netcat"))
		return i < end && (s[i] == '-' || wsg_is_digit((unsigned char)s[i]));
	if (!strcmp(cmd, "bash") || !strcmp(cmd, "sh") || !strcmp(cmd, "python") ||
	    !strcmp(cmd, "perl") || !strcmp(cmd, "ruby") || !strcmp(cmd, "php") ||
	    !strcmp(cmd, "python3"))
		return i + 1 < end && s[i] == '-' && strchr("ceir", s[i + 1]);
	if (!strcmp(cmd, "rm"))
		return i + 2 < end && s[i] == '-' && memchr(s + i, 'r', end - i < 4 ? end - i : 4);
	if (!strcmp(cmd, "sleep") || !strcmp(cmd, "ping"))
		return i < end && (wsg_is_digit((unsigned char)s[i]) || s[i] == '-');
	if (!strcmp(cmd, "powershell") || !strcmp(cmd, "cmd") || !strcmp(cmd, "certutil"))
		return 1;
	return 0;
}

/* rce-003: sep then a risky command with attack-shaped arguments, anywhere. */
static int wsg_cmdi_chain(const char *s, size_t len, struct wsg_hit *h)
{
	for (size_t i = 0; i < len; i++) {
		size_t sep = wsg_cmd_sep(s, len, i), j, end;
		int k;

		if (!sep || s[i] == '`' || s[i] == '$')
			continue;
		j = wsg_skip_space(s, len, i + sep);
		k = wsg_cmd_at(s, len, j, &end);
		if (k < 0 || k >= WSG_CMD_RISKY)
			continue;
		if (wsg_cmdi_args(wsg_cmds[k], s, len, end))
			return wsg_cmdi_hit(h, 2, i);
		i += sep - 1;
	}
	return 0;
}

static int wsg_cmdi_misc(const char *s, size_t len, struct wsg_hit *h)
{
	const char *p = memmem(s, len, "()", 2);

	if (p) {
		size_t i = wsg_skip_space(s, len, (size_t)(p - s) + 2);

		if (i < len && s[i] == '{') {
			i = wsg_skip_space(s, len, i + 1);
			if (i + 1 < len && s[i] == ':' && s[wsg_skip_space(s, len, i + 1)] == ';')
				return wsg_cmdi_hit(h, 3, (size_t)(p - s));
		}
	}
	if ((p = memmem(s, len, "$ifs", 4)) || (p = memmem(s, len, "${ifs", 5)))
		return wsg_cmdi_hit(h, 4, (size_t)(p - s));
	if ((p = memmem(s, len, "{,", 2)) || (p = memmem(s, len, "${path:", 7)))
		return wsg_cmdi_hit(h, 4, (size_t)(p - s));
	return 0;
}

/* rce-006: system("..."), exec('...'), os.system(...), require('child_process'). */
static int wsg_cmdi_spawn(const char *s, size_t len, struct wsg_hit *h)
{
	for (const char *p = memchr(s, '(', len); p;
	     p = memchr(p + 1, '(', len - (size_t)(p + 1 - s))) {
		size_t e = (size_t)(p - s), b;

		while (e > 0 && wsg_is_space((unsigned char)s[e - 1]))
			e--;
		b = e;
		while (b > 0 && (wsg_is_word((unsigned char)s[b - 1]) || s[b - 1] == '.'))
			b--;
		if (b < e && wsg_in_list(wsg_spawn_fns, s + b, e - b) >= 0) {
			size_t a = wsg_skip_space(s, len, (size_t)(p - s) + 1);

			/* an argument that is a string or a variable, or phpinfo() */
			if (a < len && (s[a] == '\'' || s[a] == '"' || s[a] == '$' || s[a] == '`' ||
					(s[a] == ')' && !memcmp(s + b, "phpinfo", 7))))
				return wsg_cmdi_hit(h, 5, b);
		}
		if (p + 1 >= s + len)
			break;
	}
	return 0;
}

int wsg_detect_cmdi(const struct wsg_text *t, struct wsg_hit *h)
{
	return wsg_cmdi_spawn(t->s, t->len, h) || wsg_cmdi_start(t->s, t->len, h) ||
	       wsg_cmdi_subst(t->s, t->len, h) ||
	       wsg_cmdi_chain(t->s, t->len, h) || wsg_cmdi_misc(t->s, t->len, h);
}
