// SPDX-License-Identifier: GPL-2.0-only
/*
 * OS command injection detector: a shell separator at the start of a value (after at most
 * one short token, the value the application expected) followed by a command; command
 * substitution of a reconnaissance or download command; separators mid-text followed by a
 * command with attack-shaped arguments; shellshock and $IFS tricks. Shell talk in prose
 * ("run lspci | grep VGA") passes.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "detect.h"

/* Windows administration tools that are no words: commands after any separator. */
#define WSG_WINTOOLS                                                                      \
	"bcdboot", "bcdedit", "diskpart", "vssadmin", "wevtutil", "fsutil", "takeown",       \
	"icacls", "wbadmin"

/* A command after a separator in mid-value: "& x", "&x", "| x" ("|x" is WSG_LETTERS). */
#define WSG_SEPCMD(cmd) "& " cmd, "&" cmd, "| " cmd

/* Calls, substitution, separators at a value start or glued to a command. */
const char *const wsg_cmdi_anchors[] = {
	WSG_LETTERS("", "("), "`", "';", "'|", WSG_DIGITS("", ";"), ");", "\";", "\"|", "\"&",
	"$(", "${", "||", "&&", ":;", "{,", "$ifs", "; ", WSG_LETTERS(";", ""),
	WSG_LETTERS("|", ""), ";/", "|/",
	/* batch FOR/IF: '%' is an escape byte the prefilter holds anyway */
	"%", "==", "f ex", "if  ", "if/i", "/i n", "/i e", "rorl", "dext", " geq", " equ", " neq",
	" lss", " leq", " gtr",
	/*
	 * a value that starts with a command (the JSON quote before it) where no common JSON key
	 * starts so, or rare names
	 */
	"hoam", "\"ifc", "\"ipc", "\"pwd", "\"id;", "\"id|", "\"id&", "\"id`", "\"unam",
	"\"ls ", "\"nc ", "\"sle", "\"wge", "\"noh", "etsh", "/usr/b", "-enc", "oke-",
	"tasklist", "taskkill", "systeminfo", "\\n/", "/???", "/??",
	"?/", "*/", "/[", "''", "$@", "$*", "$$", "``", ">(", "<(",
	",}", "<<<", "(){", "() {", "c/pa", "c/sh", "\"csc", "\"pip3", "pip ",
	"\"chef", "h nc", "h py", "h ru", "h gd", ";\"", ";'",
	/*
	 * A command line as the whole value by its arguments or a rare name: the quote before a
	 * bare "id", "type", "time", "net", "cat", "dir", "ping" would match JSON keys
	 * ("type":, "timestamp":, "network":), which would hold every JSON message in the kernel
	 */
	"c/se", "c/ho", "c/gr", "c/ve", "/issue", ":\\", "/add", "calg", " -an", "g -c", "g -n",
	"rl -", "curl", "f --", "ias ", "ble-",
	/* tools that are no words, bin directories at a value start, find -exec */
	"/ans", "/vis", "cscli", "unxz", "gunzip", "zstdcat", "bsdtar", "ssh-copy-id",
	"cpulimit", "rmt-tar", "\"/bin/", "\"/sbin/", "-exec",
	/* Windows administration tools; a shell variable used as a command; piped into a shell */
	WSG_WINTOOLS, ";$", "|$", "| sh", "| bash", "| zsh", "| dash", "| ksh",
	"${shell}",
	/* an interpreter given code to run: "bash -c", "sh -i", "python -c", "perl -e" */
	"h -c", "h -i", "n -c", "l -e", "y -e", "n3 -c", "!-",
	/* reverse shells; Windows downloaders (certutil, bitsadmin) by their rarest piece */
	"/dev/tcp/", "/dev/udp/", "/inet/tcp/", "/inet/udp/", "-e /", "\"ncat", "socat",
	"| /bin/", "-display ", "rtut", "tsad",
	/* a command after "& ", "&" or "| " in mid-value */
	WSG_SEPCMD("id"), WSG_SEPCMD("ls"), WSG_SEPCMD("nc"), WSG_SEPCMD("ping"),
	WSG_SEPCMD("sleep"), WSG_SEPCMD("net "), WSG_SEPCMD("type "), WSG_SEPCMD("dir"),
	WSG_SEPCMD("cmd"), WSG_SEPCMD("powershell"), WSG_SEPCMD("wget"), WSG_SEPCMD("curl"),
	WSG_SEPCMD("echo"), WSG_SEPCMD("uname"), WSG_SEPCMD("systeminfo"), "& timeout", "&timeout",
	WSG_SEPCMD("ipconfig"), WSG_SEPCMD("ifconfig"), WSG_SEPCMD("tasklist"),
	/* a backslash inside a word ("w\\ho\\am\\i") */
	WSG_LETTERS("\\", ""),
	/* mail protocol commands after a CRLF as typed (after a raw one: wsg_cmdi_cr_anchors) */
	"\\r\\n",
	/* a literal "\\n" before a command */
	WSG_LETTERS("\\n", ""), "\\n ",
	/* editor shell escapes, SQLite dot commands, -wrapper, brace lists, arithmetic */
	":!", "\\!", ";.", ";\\", "-wrapper", "{a", "{b", "{c", "{d", "{e", "{f",
	"{g", "{h", "{i", "{j", "{l", "{m", "{n", "{o", "{p", "{q", "{r", "{s", "{t", "{u", "{v",
	"{w", "{x", "{y", "{z", "{/", "$[",
	/* "which gcc", "which perl": looking for a compiler or a download tool */
	"h gc", "h netc", "h pe", "h wg",
	/* ansible, by its rarest piece */
	"nsib",
	/* a value that starts with a command's first letter in single quotes: "'c'url" */
	WSG_LETTERS("\"'", "'"),
	/* shell history switched off */
	"-o hist", "+o hist", "histfile",
	/* a short command name in single quotes (wsg_cmdi_qword) */
	"'ll'", "'ls'", "'id'", "'ps'", "'nc'", "'sh'", "'rm'", "'cat'",
	/* a ping with an interval, the usual timing probe ("ping -i 30 127.0.0.1") */
	"g -i", NULL,
};

/*
 * Mail protocol lines after a raw CRLF (rce-010, wsg_cmdi_mail): they gate only a string
 * that holds a carriage return, so "subscribe" and "logout" in JSON, GraphQL or STOMP
 * traffic gate nothing. SMTP verbs that are no words of chat, IMAP commands after a tag
 * that ends in a digit ("a001"), IMAP commands that are no words of chat, IMAP flag lists,
 * data items and search dates (wsg_imap_syntax).
 */
const char *const wsg_cmdi_cr_anchors[] = {
	"rcpt to", "mail from:", "apop ", "vrfy ", "expn ", "ehlo ", "rset", "starttls",
	WSG_DIGITS("", " aut"), WSG_DIGITS("", " uid"), WSG_DIGITS("", " app"),
	WSG_DIGITS("", " cre"), WSG_DIGITS("", " clo"), WSG_DIGITS("", " che"),
	WSG_DIGITS("", " lsu"),
	"logout", "examine", "expunge", "subscribe", "getquotaroot", "setacl",
	"(\\", "(messages", "(recent", "(uidnext", "(uidvalidity", "(unseen", "(flags",
	"(envelope", "(body", "body[", "rfc822", "-jan-", "-feb-", "-mar-", "-apr-", "-may-",
	"-jun-", "-jul-", "-aug-", "-sep-", "-oct-", "-nov-", "-dec-", NULL,
};

/* Rule ids by index; class, level and description: rules/wsguard.rules.json. */
const char *const wsg_cmdi_rules[] = {
	"rce-001",
	"rce-002",
	"rce-003",
	"rce-004",
	"rce-005",
	"rce-006",
	"rce-007",
	"rce-008",
	"rce-009",
	"rce-010",
	"rce-011",
	"rce-012",
	"rce-013",
	"rce-014",
	"rce-015",
	NULL
};

static const char *const wsg_spawn_fns[] = {
	"system", "exec", "shell_exec", "passthru", "popen", "proc_open", "pcntl_exec",
	"phpinfo", "phpversion", "execsync", "spawnsync", "execfile", "getruntime",
	"processbuilder",
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
	"net1", "pkill", "killall", "halt", "poweroff", "gcc", "cc", "make", "chattr", "which",
	"date", NULL,
};

/*
 * Tools that are no word of chat: as the start of a value they are a command line; those
 * before WSG_TOOLS_RARE are not words at all and count after a leading token too.
 */
static const char *const wsg_tools[] = {
	"ansible", "ansible-playbook", "ansible-galaxy", "ansible-vault", "ansible-console",
	"ansible-inventory", "ansible-pull", "ansible-doc", "ansible-config", "chef-shell",
	"chef-client", "chef-run", "chef-solo", "cscli", "rmt-tar", "ssh-copy-id", "zstdcat",
	"gunzip", "unxz", "bsdtar", "visudo", "cpulimit",
	"knife", "rmt", "perf", "pip", "pip3", "irb", "gdb", "c89", "c99", "alias", NULL,
};

#define WSG_TOOLS_RARE 22

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
	if (*end < len && !wsg_is_space((unsigned char)s[*end]) &&
	    !strchr(";|&<>)`$'\"\\", s[*end]))
		return -1;
	return wsg_in_list(wsg_cmds, s + name, n);
}

/*
 * A separator at s[i]; returns its length, 0 if none. Called for every byte: a byte that
 * starts none is rejected by one lookup.
 */
static inline size_t wsg_cmd_sep(const char *s, size_t len, size_t i)
{
	static const unsigned char lead[256] = {
		[';'] = 1, ['|'] = 1, ['&'] = 1, ['`'] = 1, ['\n'] = 1, ['$'] = 1, ['\\'] = 1,
	};

	if (i >= len || !lead[(unsigned char)s[i]])
		return 0;
	if (i + 1 < len && ((s[i] == '|' && s[i + 1] == '|') || (s[i] == '&' && s[i + 1] == '&') ||
			    (s[i] == '$' && s[i + 1] == '(') || (s[i] == '\\' && s[i + 1] == 'n')))
		return 2;	/* a literal "\\n" is a line break typed into a field */
	if (s[i] == ';' || s[i] == '|' || s[i] == '&' || s[i] == '`' || s[i] == '\n')
		return 1;
	return 0;
}

/* Blank-separated words in s[i..e). */
static int wsg_count_words(const char *s, size_t i, size_t e)
{
	int n = 0;

	while (i < e) {
		i = wsg_skip_space(s, e, i);
		if (i < e)
			n++;
		while (i < e && !wsg_is_space((unsigned char)s[i]))
			i++;
	}
	return n;
}

static int wsg_cmdi_hit(struct wsg_hit *h, int rule, size_t off)
{
	return wsg_rule_hit(h, wsg_cmdi_rules[rule], off);
}

static int wsg_cmdi_windows(const char *cmd, const char *s, size_t len, size_t i);
static int wsg_cmdi_args(const char *cmd, const char *s, size_t len, size_t i);
static int wsg_cmdi_sysdir(const char *s, size_t len, size_t i);

static size_t wsg_cmd_clean(const char *s, size_t len, size_t i, char *out, size_t cap,
			    int *hidden);

/*
 * The word at s[i] is a command whose name quotes, escapes or empty expansions hide
 * ("c$*at", "w\\ho\\ami"); a '+' (a form-encoded blank) may end it.
 */
static int wsg_cmdi_hidden(const char *s, size_t len, size_t i)
{
	char cmd[32];
	const char *slash;
	int hidden;
	size_t n, e = wsg_cmd_clean(s, len, i, cmd, sizeof(cmd), &hidden);

	if (!hidden || e == i || (e < len && !wsg_is_space((unsigned char)s[e]) &&
				  !strchr(";|&<>)`+", s[e])))
		return 0;
	slash = strrchr(cmd, '/');
	if (slash)
		memmove(cmd, slash + 1, strlen(slash + 1) + 1);
	n = strlen(cmd);
	if (wsg_in_list(wsg_cmds, cmd, n) < 0)	/* "${x}gcc7.4": a versioned name */
		while (n > 2 && (wsg_is_digit((unsigned char)cmd[n - 1]) || cmd[n - 1] == '.'))
			n--;
	return n > 1 && wsg_in_list(wsg_cmds, cmd, n) >= 0;
}

/*
 * "a=nc&&$a -lvp 555": the leading token assigns a command to a variable that the command
 * at s[i] expands (after "&&", "||", ";" or "|", each with "$" an anchor).
 */
static int wsg_cmdi_assigned(const char *s, size_t len, size_t lead, size_t i)
{
	size_t b = wsg_skip_space(s, len, 0), n = 0, v, e;

	while (b < len && (s[b] == '\'' || s[b] == '"'))
		b++;
	while (n < lead && wsg_is_word((unsigned char)s[b + n]))
		n++;
	if (!n || n >= lead || s[b + n] != '=' || i + 1 + n > len || s[i] != '$' ||
	    i == 0 || !strchr(";|&", s[i - 1]))
		return 0;
	if (s[i + 1] == '{' ? i + 3 + n > len || memcmp(s + i + 2, s + b, n) || s[i + 2 + n] != '}'
			    : memcmp(s + i + 1, s + b, n) ||
			      (i + 1 + n < len && wsg_is_word((unsigned char)s[i + 1 + n])))
		return 0;
	v = b + n + 1;
	for (e = v; e < b + lead && wsg_is_word((unsigned char)s[e]);)
		e++;
	return e == b + lead && wsg_in_list(wsg_cmds, s + v, e - v) >= 0;
}

/*
 * The leading token of a value, lead bytes long after blanks and quotes, is a command or a
 * value without letters ("127.0.0.1"): what a chained tool is believable after.
 */
static int wsg_cmdi_lead_cmd(const char *s, size_t len, size_t lead)
{
	size_t i = wsg_skip_space(s, len, 0);

	while (i < len && (s[i] == '\'' || s[i] == '"'))
		i++;
	for (size_t k = i; k < i + lead; k++)
		if (wsg_is_alpha((unsigned char)s[k]))
			return wsg_in_list(wsg_cmds, s + i, lead) >= 0;
	return 1;
}

static int wsg_cmdi_prose(const char *s, size_t len, size_t i);

/*
 * A word not in the lists at s[i..end) after a separator is a command when the value is
 * "time; word ..." (a timing wrapper, then ';') or ";word -flag" / ";word /path" with the
 * ';' glued to it (";<letter>" anchors).
 */
static int wsg_cmdi_unknown(const char *s, size_t len, size_t lead, size_t i, size_t end)
{
	size_t b = wsg_skip_space(s, len, 0), a;

	if (i == 0 || !wsg_is_alpha((unsigned char)s[i]))
		return 0;
	/* "time; word", "time;word": "; " and ";<letter>" are anchors */
	if (lead == 4 && !memcmp(s + b, "time", 4) && s[b + 4] == ';' &&
	    (i == b + 5 || (i == b + 6 && s[b + 5] == ' ')))
		return !wsg_cmdi_prose(s, len, end);	/* "time; money is tight" */
	a = wsg_skip_space(s, len, end);
	return !lead && s[i - 1] == ';' && end < len && s[end] == ' ' && a < len &&
	       (s[a] == '-' || s[a] == '/');
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
	if (wsg_cmdi_hidden(s, len, i) || wsg_cmdi_assigned(s, len, lead, i))
		return wsg_cmdi_hit(h, 8, i);
	k = wsg_cmd_at(s, len, i, &end);
	if (k < 0) {
		size_t name, n = wsg_cmd_word(s, len, i, &name, &end);

		k = n ? wsg_in_list(wsg_tools, s + name, n) : -1;
		if (k >= 0 && (!lead || (k < WSG_TOOLS_RARE && wsg_cmdi_lead_cmd(s, len, lead))))
			return wsg_cmdi_hit(h, 0, i);
		return n && wsg_cmdi_unknown(s, len, lead, i, end) ? wsg_cmdi_hit(h, 0, i) : 0;
	}
	if (k < 0 || (lead && k >= WSG_CMD_RISKY && !wsg_cmdi_args(wsg_cmds[k], s, len, end)))
		return 0;
	/* "tom & ping pong": after a word and a lone '&', prose unless the arguments attack */
	if (lead && s[i - 1 - (s[i - 1] == ' ')] == '&' && wsg_cmd_sep(s, len, i - 1) != 2 &&
	    wsg_is_alpha((unsigned char)s[wsg_skip_space(s, len, end)]) &&
	    !wsg_cmdi_args(wsg_cmds[k], s, len, end) &&
	    !wsg_cmdi_windows(wsg_cmds[k], s, len, wsg_skip_space(s, len, end)))
		return 0;
	/* "!ntfs | NET||abuse": net is a word unless a net verb follows */
	if (!strcmp(wsg_cmds[k], "net") &&
	    !wsg_cmdi_windows("net", s, len, wsg_skip_space(s, len, end)))
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
		/* "$(`dir`)": a substitution nested in another runs any command */
		if (k >= 0 && i >= 2 && s[i] == '`' && s[i - 1] == '(' && s[i - 2] == '$')
			return wsg_cmdi_hit(h, 1, i - 2);
		if (k < 0 || k >= WSG_CMD_RISKY || !strcmp(wsg_cmds[k], "echo"))
			continue;
		/* "linux-headers-$(uname -r)" is everyday advice */
		if (!strcmp(wsg_cmds[k], "uname") && j + 8 <= len && !memcmp(s + j, "uname -r", 8))
			continue;
		/* for i in `ls /media`; do ...: listing in a loop is advice */
		if (!strcmp(wsg_cmds[k], "ls") && !wsg_cmdi_sysdir(s, len, end))
			continue;
		if (s[i] == '`' && wsg_cmdi_prose_span(s, len, i) &&
		    !wsg_cmdi_args(wsg_cmds[k], s, len, end))
			continue;
		return wsg_cmdi_hit(h, 1, i);
	}
	return 0;
}

/* A shell or script interpreter (its -c/-e/-i arguments run code). */
static int wsg_cmdi_interp(const char *cmd)
{
	static const char *const interp[] = { "bash", "sh", "zsh", "ksh", "dash", "python",
		"python2", "python3", "perl", "ruby", "php", "node", NULL };

	return wsg_in_list(interp, cmd, strlen(cmd)) >= 0;
}

/* Arguments that make a chained command an attack rather than advice. */
static int wsg_cmdi_args(const char *cmd, const char *s, size_t len, size_t i)
{
	static const char *const files[] = { "/etc/passwd", "/etc/shadow", "/etc/hosts",
		"/etc/group", "/etc/issue", "/proc/self", "/proc/version", "win.ini", "boot.ini", "/.ssh", NULL };
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
		char arg[256];
		size_t n = 0;

		/* "/e\"t\"c/pa's'swd": quotes and backslashes do not split a path */
		for (size_t k = i; k < end && n + 1 < sizeof(arg); k++)
			if (s[k] != '"' && s[k] != '\'' && s[k] != '\\')
				arg[n++] = s[k];
		for (int k = 0; files[k]; k++)
			if (memmem(arg, n, files[k], strlen(files[k])))
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
	    !strcmp(cmd, "python3") || !strcmp(cmd, "python2") || !strcmp(cmd, "zsh") ||
	    !strcmp(cmd, "ksh"))
		return i + 1 < end && s[i] == '-' && strchr("ceir", s[i + 1]);
	if (!strcmp(cmd, "rm"))
		return i + 2 < end && s[i] == '-' && memchr(s + i, 'r', end - i < 4 ? end - i : 4);
	if (!strcmp(cmd, "sleep") || !strcmp(cmd, "ping"))
		return i < end && (wsg_is_digit((unsigned char)s[i]) || s[i] == '-');
	if (!strcmp(cmd, "powershell") || !strcmp(cmd, "cmd") || !strcmp(cmd, "certutil"))
		return 1;
	/* socat tcp:x:4444 exec:/bin/sh; xterm -display 10.0.0.1:1 */
	if (!strcmp(cmd, "socat"))
		return memmem(s + i, end - i, "exec:", 5) || memmem(s + i, end - i, "system:", 7);
	if (!strcmp(cmd, "xterm"))
		return memmem(s + i, end - i, "-display ", 9) != NULL;
	/* date -f reads a file and prints its lines as errors */
	if (!strcmp(cmd, "date"))
		return i + 1 < end && (!memcmp(s + i, "-f", 2) || !memcmp(s + i, "--file", 6));
	/* find /etc -name passwd -exec cat {} + ("-exec" is an anchor) */
	if (!strcmp(cmd, "find"))
		return memmem(s + i, end - i, "-exec", 5) &&
		       (memmem(s + i, end - i, "/etc", 4) || memmem(s + i, end - i, "passwd", 6) ||
			memmem(s + i, end - i, "shadow", 6));
	return 0;
}

/* A system directory among the arguments at s[i..]: /etc, /var, /tmp, /root, C:\\, ... */
static int wsg_cmdi_sysdir(const char *s, size_t len, size_t i)
{
	static const char *const dirs[] = { "/etc", "/var", "/tmp", "/root", "/home", "/proc",
		"/usr", "/bin", "/opt", "/srv", "/boot", "/dev", NULL };

	for (; i < len; i++) {
		if (i + 2 < len && wsg_is_alpha((unsigned char)s[i]) && s[i + 1] == ':' &&
		    s[i + 2] == '\\')
			return 1;
		if (s[i] != '/' || (i && !wsg_is_space((unsigned char)s[i - 1])))
			continue;
		for (int k = 0; dirs[k]; k++) {
			size_t n = strlen(dirs[k]);

			if (i + n <= len && !memcmp(s + i, dirs[k], n) &&
			    (i + n == len || s[i + n] == '/' || wsg_is_space((unsigned char)s[i + n])))
				return 1;
		}
	}
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

/*
 * The end of the parenthesised set at s[i] == '(': nested parentheses counted, those inside
 * quotes ("('cmd /c \"set /a (6+2)\"')") skipped when the quotes close; i when unclosed.
 */
static size_t wsg_bat_paren(const char *s, size_t len, size_t i)
{
	for (int quotes = 1; quotes >= 0; quotes--) {
		char q = 0;
		int depth = 0;

		for (size_t k = i; k < len; k++) {
			if (q) {
				q = s[k] == q ? 0 : q;
			} else if (quotes && (s[k] == '\'' || s[k] == '"')) {
				q = s[k];
			} else if (s[k] == '(') {
				depth++;
			} else if (s[k] == ')' && !--depth) {
				return k + 1;
			}
		}
	}
	return i;
}

/*
 * One batch token: "quoted" (or \"quoted\" as a JSON-escaped value holds it), [bracketed],
 * (parenthesised) or a run up to a blank or '='. Returns its end, or i when there is none.
 */
static size_t wsg_bat_token(const char *s, size_t len, size_t i)
{
	const char *close;

	if (i >= len)
		return i;
	if (s[i] == '(')
		return wsg_bat_paren(s, len, i);
	if (s[i] == '\\' && i + 2 < len && s[i + 1] == '"') {
		close = memchr(s + i + 2, '"', len - i - 2);
		return close ? (size_t)(close - s) + 1 : i;
	}
	if (s[i] == '"' || s[i] == '[') {
		close = memchr(s + i + 1, s[i] == '"' ? '"' : ']', len - i - 1);
		return close ? (size_t)(close - s) + 1 : i;
	}
	while (i < len && !wsg_is_space((unsigned char)s[i]) && s[i] != '=' && s[i] != '(')
		i++;
	return i;
}

/* s[i..] starts with keyword w followed by a blank (or, for "if"/"for", a '/'). */
static int wsg_kw(const char *s, size_t len, size_t i, const char *w)
{
	size_t n = strlen(w);

	return i + n < len && !memcmp(s + i, w, n) &&
	       (wsg_is_space((unsigned char)s[i + n]) || s[i + n] == '/' || s[i + n] == '(' ||
		s[i + n] == '"' || s[i + n] == '[' || s[i + n] == '%');
}

/* Start of the value proper: blanks, quotes and a leading separator skipped. */
static size_t wsg_value_start(const char *s, size_t len)
{
	size_t i = wsg_skip_space(s, len, 0);

	while (i < len && (s[i] == '\'' || s[i] == '"' || s[i] == '&' || s[i] == '|' ||
			   s[i] == ';' || wsg_is_space((unsigned char)s[i])))
		i++;
	return i;
}

/* rce-007: FOR [/d|/r|/l|/f [opts]] %%v IN (set) DO cmd, and IF [/I] [NOT] cond cmd. */
static int wsg_cmdi_batch(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const cmp[] = { "equ", "neq", "lss", "leq", "gtr", "geq", NULL };
	size_t st = wsg_value_start(s, len), i = st, e;

	if (wsg_kw(s, len, i, "for")) {
		i = wsg_skip_space(s, len, i + 3);
		while (i + 1 < len && s[i] == '/') {	/* switches and their argument */
			i = wsg_skip_space(s, len, wsg_bat_token(s, len, i));
			if (i < len && s[i] != '%')
				i = wsg_skip_space(s, len, wsg_bat_token(s, len, i));
		}
		if (i >= len || s[i] != '%')
			return 0;
		i = wsg_skip_space(s, len, wsg_bat_token(s, len, i));
		if (!wsg_kw(s, len, i, "in"))
			return 0;
		i = wsg_skip_space(s, len, i + 2);
		e = wsg_bat_token(s, len, i);
		if (s[i] != '(' || e == i)
			return 0;
		i = wsg_skip_space(s, len, e);
		return i + 2 <= len && !memcmp(s + i, "do", 2) ? wsg_cmdi_hit(h, 6, st) : 0;
	}
	if (!wsg_kw(s, len, i, "if"))
		return 0;
	i = wsg_skip_space(s, len, i + 2);
	if (i + 1 < len && s[i] == '/' && s[i + 1] == 'i')
		i = wsg_skip_space(s, len, i + 2);
	if (wsg_kw(s, len, i, "not"))
		i = wsg_skip_space(s, len, i + 3);
	if (wsg_kw(s, len, i, "exist") || wsg_kw(s, len, i, "defined") ||
	    wsg_kw(s, len, i, "errorlevel") || wsg_kw(s, len, i, "cmdextversion")) {
		i = wsg_skip_space(s, len, wsg_bat_token(s, len, i));
		e = wsg_bat_token(s, len, i);
		if (e == i)
			return 0;
		i = wsg_skip_space(s, len, e);
		return i < len ? wsg_cmdi_hit(h, 6, st) : 0;
	}
	e = wsg_bat_token(s, len, i);
	if (e == i)
		return 0;
	i = wsg_skip_space(s, len, e);
	if (i + 1 < len && s[i] == '=' && s[i + 1] == '=') {
		i += 2;
		while (i < len && s[i] == '=')
			i++;
	} else if (e - i == 0 || (i + 3 < len && wsg_in_list(cmp, s + i, 3) >= 0 &&
				    wsg_is_space((unsigned char)s[i + 3]))) {
		i += 3;
	} else if (s[st + 2] == '(' || (e > 0 && s[e - 1] == ')')) {
		/* IF (2 GEQ 15) cmd: the comparison is inside the parentheses */
		return i < len && memchr(s + st, ' ', e - st) ? wsg_cmdi_hit(h, 6, st) : 0;
	} else {
		return 0;
	}
	i = wsg_skip_space(s, len, i);
	e = wsg_bat_token(s, len, i);
	if (e == i)
		return 0;
	i = wsg_skip_space(s, len, e);
	return i < len ? wsg_cmdi_hit(h, 6, st) : 0;
}

/* The '\'' at s[i] sits between letters and no other one closes it within the word. */
static int wsg_cmd_contraction(const char *s, size_t len, size_t i)
{
	if (!i || !wsg_is_alpha((unsigned char)s[i - 1]) || i + 1 >= len ||
	    !wsg_is_alpha((unsigned char)s[i + 1]))
		return 0;
	for (i++; i < len && !wsg_is_space((unsigned char)s[i]) && !strchr(";|&", s[i]); i++)
		if (s[i] == '\'')
			return 0;
	return 1;
}

/*
 * The command word at s[i] with shell obfuscation removed: quotes ('' "" 'x'), backslashes,
 * empty expansions ($@ $* $() ${x} `` <() >()), written to out (lowercase letters, digits,
 * '.', '-', '_', '/'). Returns the end of the word in s; *hidden says something was removed.
 */
static size_t wsg_cmd_clean(const char *s, size_t len, size_t i, char *out, size_t cap,
			    int *hidden)
{
	size_t o = 0;

	*hidden = 0;
	while (i < len && o + 1 < cap) {
		unsigned char c = (unsigned char)s[i];

		if (wsg_is_word(c) || c == '.' || c == '-' || c == '/') {
			out[o++] = (char)c;
			i++;
		} else if (c == '\\' && i + 1 < len && strchr("nrt", s[i + 1]) && o) {
			break;	/* a literal "\n" after the word ends it */
		} else if (c == '\'' && o && wsg_cmd_contraction(s, len, i)) {
			break;	/* "i'd", "don't": an apostrophe, not a quote */
		} else if (c == '\'' || c == '"' || c == '\\') {
			*hidden = 1;
			i++;
		} else if (c == '$' && i + 1 < len && (s[i + 1] == '@' || s[i + 1] == '*' ||
						       s[i + 1] == '$')) {
			*hidden = 1;
			i += 2;
		} else if ((c == '$' || c == '<' || c == '>') && i + 2 < len && s[i + 1] == '(' &&
			   s[i + 2] == ')') {
			*hidden = 1;
			i += 3;
		} else if (c == '`' && i + 1 < len && s[i + 1] == '`') {
			*hidden = 1;
			i += 2;
		} else if (c == '$' && i + 1 < len && s[i + 1] == '{') {
			const char *e = memchr(s + i, '}', len - i);

			if (!e)
				break;
			*hidden = 1;
			i = (size_t)(e - s) + 1;
		} else {
			break;
		}
	}
	out[o] = 0;
	return i;
}

/* Commands that run the next word: skipped (with their flags) when judging a value. */
static const char *const wsg_wrappers[] = {
	"time", "nohup", "strace", "timeout", "nice", "cpulimit", "xargs", "exec", "command",
	"builtin", "busybox", "sudo", "doas", "env", "watch", "stdbuf", "setsid", "ltrace", NULL,
};

/*
 * Reconnaissance commands: as the whole value, with at most flags after them. Those before
 * WSG_RECON_WORDS are never words or JSON keys; the rest ("id", "set", "top") need a flag,
 * a wrapper, a separator or a newline around them.
 */
static const char *const wsg_recon[] = {
	"whoami", "ifconfig", "ipconfig", "uname", "netstat", "systeminfo", "tasklist",
	"printenv", "lastlog", "getmac", "sysinfo", "htop",
	"id", "pwd", "hostname", "top", "ver", "aptitude", "shutdown", "reboot", "set", "env",
	"w", "who", "ss", "arp", NULL,
};

#define WSG_RECON_WORDS 12

/* Windows administration commands with their attack verbs. */
static int wsg_cmdi_windows(const char *cmd, const char *s, size_t len, size_t i)
{
	static const char *const net[] = { "user", "localgroup", "view", "share", "use",
		"group", "accounts", "start", "stop", "session", NULL };
	size_t e = i;

	while (e < len && wsg_is_word((unsigned char)s[e]))
		e++;
	if (!strcmp(cmd, "net") || !strcmp(cmd, "net1"))
		return wsg_in_list(net, s + i, e - i) >= 0;
	if (!strcmp(cmd, "netsh") || !strcmp(cmd, "wmic") || !strcmp(cmd, "reg") ||
	    !strcmp(cmd, "schtasks") || !strcmp(cmd, "bitsadmin") || !strcmp(cmd, "vssadmin") ||
	    !strcmp(cmd, "invoke-webrequest") || !strcmp(cmd, "invoke-expression") ||
	    !strcmp(cmd, "pwsh") || !strcmp(cmd, "icacls")) {
		if (e == i && i + 1 < len && s[i] == '/')	/* "bitsadmin /transfer" */
			for (e = i + 1; e < len && wsg_is_word((unsigned char)s[e]);)
				e++;
		return e > i + 1 || (e > i && s[i] != '/');
	}
	if (!strcmp(cmd, "type") || !strcmp(cmd, "dir"))
		return i + 2 < len && ((s[i + 1] == ':' && wsg_is_alpha((unsigned char)s[i])) ||
				       s[i] == '%' || s[i] == '\\');
	return 0;
}

/*
 * The arguments at s[i] (up to a separator) hold a function word of English: the command
 * is quoted in a sentence ("cat /etc/hosts shows it"), not run.
 */
static int wsg_cmdi_prose(const char *s, size_t len, size_t i)
{
	static const char *const fw[] = { "is", "it", "the", "to", "a", "an", "on", "of", "for",
		"and", "or", "you", "your", "with", "in", "if", "how", "this", "that", "what", "me",
		"my", "then", "will", "can", "should", "does", "just", "from", "shows", "lists",
		"are", "was", "but", "not", "when", "there", "i", "we", NULL };

	while (i < len && !strchr(";|&`\n", s[i])) {
		size_t e = i;

		while (e < len && wsg_is_alpha((unsigned char)s[e]))
			e++;
		if (e > i && wsg_in_list(fw, s + i, e - i) >= 0 &&
		    (e == len || wsg_is_space((unsigned char)s[e]) || strchr(",?!", s[e]) ||
		     (s[e] == '.' && (e + 1 == len || wsg_is_space((unsigned char)s[e + 1])))))
			return 1;
		while (e < len && !wsg_is_space((unsigned char)s[e]))
			e++;
		i = wsg_skip_space(s, len, e);
	}
	return 0;
}

/* "chef report nodes": the Chef tool with one of its subcommands ("\"chef" anchors). */
static int wsg_cmdi_chef(const char *s, size_t len, size_t i)
{
	static const char *const sub[] = { "report", "exec", "shell", "client", "solo", "run",
		"generate", "install", "push", "update", "export", "env", "diff", "verify", "gem",
		"provision", "describe-cookbook", "show-policy", "delete-policy", NULL };
	size_t e = i;

	while (e < len && (wsg_is_alpha((unsigned char)s[e]) || s[e] == '-'))
		e++;
	return wsg_in_list(sub, s + i, e - i) >= 0 &&
	       (e == len || wsg_is_space((unsigned char)s[e]));
}

/*
 * "which nc", "which python3": the rest of the value at s[i] is one interpreter, compiler or
 * download tool an attacker looks for ("h nc", "h py", "h ru", "h gd", "h gc", "h netc",
 * "h pe", "h wg" are anchors).
 */
static int wsg_cmdi_which(const char *s, size_t len, size_t i)
{
	static const char *const tools[] = { "nc", "ncat", "python", "python2",
		"python3", "ruby", "gdb", "gcc", "netcat", "perl", "wget", NULL };
	size_t e;

	i = wsg_skip_space(s, len, i);
	for (e = i; e < len && !wsg_is_space((unsigned char)s[e]);)
		e++;
	return wsg_in_list(tools, s + i, e - i) >= 0 && wsg_skip_space(s, len, e) == len;
}

/*
 * "/usr/bin/python3 -m http.server": the command at s[st] is named by its bin directory, at
 * the value start or after ';' or '|' (anchors with the directory).
 */
static int wsg_cmdi_bindir(const char *s, size_t st)
{
	static const char *const dirs[] = { "/usr/bin/", "/bin/", "/sbin/", NULL };

	for (int k = 0; dirs[k]; k++)
		if (!strncmp(s + st, dirs[k], strlen(dirs[k])) &&
		    (k < 1 || st == 0 || s[st - 1] == ';' || s[st - 1] == '|') &&
		    !strchr(s + st + strlen(dirs[k]), '/'))
			return 1;
	return 0;
}

/*
 * rce-008/009: the value is a command line. Wrappers (time, nohup, ...) are skipped; the
 * command must be a recon command with at most flags, a command with attack arguments, a
 * listing of a system directory, or a Windows admin command. rce-009 when the name was
 * obfuscated: then any known command counts.
 */
static int wsg_cmdi_value(const char *s, size_t len, struct wsg_hit *h)
{
	size_t i = wsg_value_start(s, len), st, e;
	char cmd[32];
	int hidden, k, words = 0, sudo = 0;

	while (i + 1 < len && s[i] == '\\' && (s[i + 1] == 'n' || s[i + 1] == 'r'))
		i = wsg_skip_space(s, len, i + 2);	/* a literal "\\n" before the command */
	if (i + 9 <= len && !memcmp(s + i, "${shell}", 8) && s[i + 8] == ' ')
		return wsg_cmdi_hit(h, 8, i);	/* the login shell, run by its variable */
	for (int w = 0; w < 4; w++) {
		st = i;
		e = wsg_cmd_clean(s, len, i, cmd, sizeof(cmd), &hidden);
		if (i + 9 <= len && !memcmp(s + i, "%comspec%", 9)) {	/* '%' is an anchor */
			strcpy(cmd, "cmd");
			e = i + 9;
		}
		if (e == i || (e < len && !wsg_is_space((unsigned char)s[e]) &&
			       !strchr(";|&<>)`'\"\\", s[e])))
			return 0;
		{
			const char *slash = strrchr(cmd, '/');
			size_t n;

			if (slash && slash[1])
				memmove(cmd, slash + 1, strlen(slash + 1) + 1);
			n = strlen(cmd);
			if (n > 4 && !strcmp(cmd + n - 4, ".exe"))
				cmd[n - 4] = 0;
		}
		i = wsg_skip_space(s, len, e);
		if (wsg_in_list(wsg_wrappers, cmd, strlen(cmd)) < 0)
			break;
		/* "sudo x" is advice */
		sudo |= !strcmp(cmd, "sudo") || !strcmp(cmd, "doas");
		words += !sudo;
		while (i < len && (s[i] == '-' || wsg_is_digit((unsigned char)s[i]))) {
			while (i < len && !wsg_is_space((unsigned char)s[i]))
				i++;
			i = wsg_skip_space(s, len, i);
		}
	}
	k = wsg_in_list(wsg_cmds, cmd, strlen(cmd));
	/* "'ls' lists files": a name quoted whole, then words, is a name in prose */
	if (st > 0 && s[st - 1] == '\'' && e > st + 1 && s[e - 1] == '\'' &&
	    !memchr(s + st, '\'', e - 1 - st) && i < len && wsg_is_alpha((unsigned char)s[i]))
		hidden = 0;
	if (hidden && (k >= 0 || wsg_in_list(wsg_recon, cmd, strlen(cmd)) >= 0))
		return wsg_cmdi_hit(h, 8, st);
	if ((k = wsg_in_list(wsg_recon, cmd, strlen(cmd))) >= 0) {
		size_t j = i;
		int args = 0, ctx = words || k < WSG_RECON_WORDS || s[st] == '/' ||
				    memchr(s, '\n', len);

		for (size_t m = 0; m < st; m++)	/* a quote, separator or "\n" before it */
			ctx |= s[m] != ' ';

		while (j < len) {
			if (s[j] == '|' || s[j] == ';' || s[j] == '&' || s[j] == '\\' || s[j] == '\n') {
				ctx = 1;
				break;
			}
			ctx = 1;
			if (s[j] != '-' && s[j] != '/' && words == 0)
				return 0;
			while (j < len && !wsg_is_space((unsigned char)s[j]))
				j++;
			j = wsg_skip_space(s, len, j);
			if (++args > 2)
				return 0;
		}
		return ctx ? wsg_cmdi_hit(h, 7, st) : 0;
	}
	k = wsg_in_list(wsg_cmds, cmd, strlen(cmd));
	if (wsg_in_list(wsg_tools, cmd, strlen(cmd)) >= 0)
		return wsg_cmdi_hit(h, 7, st);
	/* a newline (raw or a literal "\n") injected before a known command */
	for (size_t m = 0; m < st && k >= 0; m++)
		if (s[m] == '\n' || (s[m] == '\\' && m + 1 < st && s[m + 1] == 'n'))
			return wsg_cmdi_hit(h, 7, st);
	if (words && k >= 0)
		return wsg_cmdi_hit(h, 7, st);
	/* "cat /etc/hosts shows it", "nc -l 1234 to test the port": a command in a sentence */
	if (wsg_cmdi_prose(s, len, i))
		return 0;
	/* "sudo sh -c 'echo 1 > /proc/...'" is advice; "bash -c '...'" alone is not */
	if (k >= 0 && wsg_cmdi_args(cmd, s, len, i) && !(sudo && k < WSG_CMD_RISKY &&
							   wsg_cmdi_interp(cmd)))
		return wsg_cmdi_hit(h, 7, st);
	if ((!strcmp(cmd, "ls") || !strcmp(cmd, "dir") || !strcmp(cmd, "find")) &&
	    wsg_cmdi_sysdir(s, len, i))
		return wsg_cmdi_hit(h, 7, st);
	if (wsg_cmdi_windows(cmd, s, len, i))
		return wsg_cmdi_hit(h, 7, st);
	if (!strcmp(cmd, "which") && wsg_cmdi_which(s, len, i))
		return wsg_cmdi_hit(h, 7, st);
	if (!strcmp(cmd, "chef") && wsg_cmdi_chef(s, len, i))
		return wsg_cmdi_hit(h, 7, st);
	if (k >= 0 && i < len && s[i] == '-' && wsg_count_words(s, i, len) > 1 &&
	    wsg_cmdi_bindir(s, st))
		return wsg_cmdi_hit(h, 7, st);
	return 0;
}

/*
 * A shell function defined and run through itself in the background or a pipe (fork bomb:
 * ":(){ :|:& };:"), or a value that opens a function body ("() {", shellshock's prefix).
 */
static int wsg_cmdi_fnbomb(const char *s, size_t len, struct wsg_hit *h)
{
	for (const char *p = memmem(s, len, "()", 2); p;
	     p = memmem(p + 2, len - (size_t)(p + 2 - s), "()", 2)) {
		size_t e = (size_t)(p - s), b = e, i = wsg_skip_space(s, len, e + 2);
		const char *close;

		if (i >= len || s[i] != '{')
			continue;
		if (wsg_skip_space(s, len, 0) == e)
			return wsg_cmdi_hit(h, 3, e);
		while (b > 0 && (wsg_is_word((unsigned char)s[b - 1]) || s[b - 1] == ':'))
			b--;
		close = memchr(s + i, '}', len - i);
		if (b == e || !close)
			continue;
		/* the name is called again inside the body, piped or backgrounded */
		if (memmem(s + i, (size_t)(close - s) - i, s + b, e - b) &&
		    (memchr(s + i, '|', (size_t)(close - s) - i) ||
		     memchr(s + i, '&', (size_t)(close - s) - i)))
			return wsg_cmdi_hit(h, 3, b);
	}
	return 0;
}

/*
 * One glob token at pat[0..n) against byte c: the token's length if it matches, else 0.
 * '?' any byte, [set] one byte of the set (a '?' or '*' inside counts as any byte, so
 * "/[?]tc" reads as "/?tc"), an unclosed '[' itself, anything else itself.
 */
static size_t wsg_glob_token(const char *pat, size_t n, char c)
{
	const char *close;
	size_t m;
	int neg, in = 0;

	if (pat[0] != '[' || !(close = memchr(pat + 1, ']', n - 1)))
		return pat[0] == '?' || pat[0] == c;
	m = (size_t)(close - pat);
	neg = m > 1 && (pat[1] == '!' || pat[1] == '^');
	for (size_t k = 1 + neg; k < m; k++) {
		if (k + 2 < m && pat[k + 1] == '-')
			in |= c >= pat[k] && c <= pat[k + 2], k += 2;
		else
			in |= pat[k] == c || pat[k] == '?' || pat[k] == '*';
	}
	return in != neg ? m + 1 : 0;
}

/*
 * A shell glob component pat[0..n) against name; '*' any run. Iterative, retrying from the
 * last '*' only: O(n * strlen(name)) whatever the stars (recursion is exponential in them).
 */
static int wsg_glob_match(const char *pat, size_t n, const char *name)
{
	size_t p = 0, i = 0, star = (size_t)-1, from = 0, k;

	while (name[i]) {
		if (p < n && pat[p] == '*') {
			star = ++p;
			from = i;
		} else if (p < n && (k = wsg_glob_token(pat + p, n - p, name[i]))) {
			p += k;
			i++;
		} else if (star != (size_t)-1) {
			p = star;	/* the last '*' takes one more byte */
			i = ++from;
		} else {
			return 0;
		}
	}
	while (p < n && pat[p] == '*')
		p++;
	return p == n;
}

/* The system names a globbed path component stands for: directories, files, commands. */
static int wsg_glob_names(const char *pat, size_t n)
{
	static const char *const names[] = { "bin", "sbin", "etc", "usr", "var", "tmp", "dev",
		"proc", "root", "home", "lib", "opt", "boot", "srv", "passwd", "shadow", "hosts",
		"group", "issue", "environ", "self", "version", "cmdline", "sudoers", "subuid",
		"crontab", "authorized_keys", "id_rsa", NULL };

	for (int k = 0; names[k]; k++)
		if (wsg_glob_match(pat, n, names[k]))
			return 1;
	for (int k = 0; wsg_cmds[k]; k++)
		if (wsg_cmds[k][1] && wsg_glob_match(pat, n, wsg_cmds[k]))
			return 1;
	return 0;
}

/*
 * The path at s[b..e) hides a system path behind globs: a set holding '/' (it never matches
 * in a path: pure disguise), or every globbed component names a system directory, file or
 * command and one of them does so by more than a trailing '*' on the last component
 * ("ls /usr/bin/py*" lists; "/et*" and "/???/c?t" disguise).
 */
static int wsg_glob_path(const char *s, size_t b, size_t e)
{
	int evidence = 0, comps = 0;

	for (size_t i = b + 1; i <= e;) {
		size_t c = i, depth = 0, glob = 0, stars = 0;

		while (c < e && (s[c] != '/' || depth)) {
			if (s[c] == '[' && !depth) {
				const char *close = memchr(s + c, ']', e - c);

				if (close && memchr(s + c, '/', (size_t)(close - s) - c))
					return 1;
				depth = close != NULL;
				glob++;
			} else if (s[c] == ']') {
				depth = 0;
			} else if (s[c] == '?' || s[c] == '*') {
				glob++;
				stars += s[c] == '*';
			}
			c++;
		}
		comps++;
		if (glob) {
			if (c - i < 2 || (stars == c - i) || !wsg_glob_names(s + i, c - i))
				return 0;
			if (!(c == e && glob == 1 && stars == 1 && s[c - 1] == '*'))
				evidence = 1;
		}
		i = c + 1;
	}
	return evidence && (comps > 1 || s[b + 1] == '[');
}

/* rce-009: an absolute path with glob characters that stands for a system path. */
static int wsg_cmdi_glob(const char *s, size_t len, struct wsg_hit *h)
{
	for (size_t i = 0; i < len; i++) {
		size_t e = i;
		int glob = 0;

		if (s[i] != '/' || (i && !wsg_is_space((unsigned char)s[i - 1]) &&
				    !strchr("+;|&=('\"`<>{,", s[i - 1])))
			continue;
		while (e < len && !wsg_is_space((unsigned char)s[e]) &&
		       !strchr("+;|&'\"`<>(),}", s[e])) {
			glob |= s[e] == '?' || s[e] == '*' || s[e] == '[';
			e++;
		}
		if (glob && wsg_glob_path(s, i, e))
			return wsg_cmdi_hit(h, 8, i);
		i = e;
	}
	return 0;
}

/* The shell command positions of s: its start and after every separator, in order. */
static size_t wsg_cmd_next(const char *s, size_t len, size_t i)
{
	while (i < len) {
		size_t sep = wsg_cmd_sep(s, len, i);

		if (sep)
			return i + sep;
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == 'n')
			return i + 2;
		i++;
	}
	return len;
}

/* Skip blanks and literal "\n" at s[i]. */
static size_t wsg_skip_breaks(const char *s, size_t len, size_t i)
{
	for (;;) {
		i = wsg_skip_space(s, len, i);
		if (i + 1 < len && s[i] == '\\' && (s[i + 1] == 'n' || s[i + 1] == 'r'))
			i += 2;
		else
			return i;
	}
}

/* The word at s[i] is w (a whole word: a blank, separator or the end after it). */
static int wsg_cmd_is(const char *s, size_t len, size_t i, const char *w)
{
	size_t n = strlen(w);

	return i + n <= len && !memcmp(s + i, w, n) &&
	       (i + n == len || wsg_is_space((unsigned char)s[i + n]) ||
		strchr(";|&\\", s[i + n]));
}

/*
 * rce-011, vi/vim/ex run with a shell escape: "vim -c ':!id'", "ex +silent\ \!whoami":
 * a '!' before a known command in the editor's arguments. Only after a separator: "vim x,
 * then :!ls" is advice.
 */
static int wsg_cmdi_editor(const char *s, size_t len, size_t i)
{
	static const char *const eds[] = { "vi", "vim", "ex", "view", "nvim", "rvim", "vimdiff",
					   NULL };
	size_t e = i;

	while (e < len && wsg_is_alpha((unsigned char)s[e]))
		e++;
	if (wsg_in_list(eds, s + i, e - i) < 0 || (e < len && !wsg_is_space((unsigned char)s[e])))
		return 0;
	for (size_t k = e; k < len && s[k] != ';' && s[k] != '|' && s[k] != '&'; k++) {
		size_t end;

		/* ":!" and "\\!" are anchors */
		if (s[k] == '!' && k > 0 && (s[k - 1] == ':' || s[k - 1] == '\\') &&
		    (wsg_cmd_at(s, len, k + 1, &end) >= 0 ||
				    wsg_in_list(wsg_recon, s + k + 1, end - k - 1) >= 0))
			return 1;
	}
	return 0;
}

/* rce-011, SQLite shell dot commands after a separator: ";\n.shell id", ";.\"system ls". */
static int wsg_cmdi_dotcmd(const char *s, size_t len, size_t i)
{
	static const char *const dot[] = { "shell", "system", "databases", "tables", "dump",
		"import", "output", "once", "read", "load", "schema", "open", NULL };
	size_t e;
	int k;

	if (i >= len || s[i] != '.')
		return 0;
	i = wsg_skip_space(s, len, i + 1);
	while (i < len && (s[i] == '\\' || s[i] == '"' || s[i] == '\''))
		i++;
	for (e = i; e < len && wsg_is_alpha((unsigned char)s[e]);)
		e++;
	k = wsg_in_list(dot, s + i, e - i);
	if (k < 0 || (e < len && !wsg_is_space((unsigned char)s[e]) && s[e] != '\\'))
		return 0;
	/* .shell and .system need the command they run */
	return k > 1 || wsg_skip_space(s, len, e) < len;
}

/*
 * "cd /;cd etc;cat passwd": a path assembled by changing into each directory in turn, two
 * or more cds in a row ending in a system directory, then a command.
 */
static int wsg_cmdi_cdchain(const char *s, size_t len, size_t i)
{
	static const char *const dirs[] = { "/", "etc", "/etc", "bin", "/bin", "var", "/var",
		"usr", "/usr", "root", "/root", "proc", "/proc", "tmp", "/tmp", "..", "../", NULL };
	int cds = 0, sys = 0;

	for (;;) {
		size_t e;

		i = wsg_skip_breaks(s, len, i);
		if (!wsg_cmd_is(s, len, i, "cd"))
			break;
		i = wsg_skip_space(s, len, i + 2);
		e = i;
		while (e < len && !wsg_is_space((unsigned char)s[e]) && !wsg_cmd_sep(s, len, e))
			e++;
		sys = wsg_in_list(dirs, s + i, e - i) >= 0;
		if (e == i)
			return 0;
		cds++;
		i = wsg_skip_space(s, len, e);
		if (i >= len || s[i] != ';')	/* "; " and ";<letter>" are anchors */
			break;
		i++;
	}
	return cds >= 2 && sys && i < len && s[i - 1] == ';' &&
	       wsg_is_alpha((unsigned char)s[wsg_skip_space(s, len, i)]);
}

/* Drop unset variables of one or two letters inside a word ("n$u\\c$u"); the new length. */
static size_t wsg_drop_vars(char *w, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		size_t e = i + 1;

		while (e < n && wsg_is_word((unsigned char)w[e]))
			e++;
		if (w[i] == '$' && o > 0 && e > i + 1 && e - i - 1 <= 2 &&
		    wsg_is_alpha((unsigned char)w[i + 1])) {
			i = e - 1;
			continue;
		}
		w[o++] = w[i];
	}
	w[o] = 0;
	return o;
}

/*
 * "{cat,/etc/passwd}", "c{a,oun}t", "{l,-lh}s": the word at s[i] holds a brace list whose
 * first expansion (prefix, first item, suffix) is a command.
 */
static int wsg_cmdi_brace(const char *s, size_t len, size_t i)
{
	const char *open, *comma, *close, *item;
	char word[32], cmd[32];
	size_t e = i, n, o = 0;
	int hidden;

	while (e < len && !wsg_is_space((unsigned char)s[e]) && s[e] != ';' && s[e] != '|' &&
	       s[e] != '&')
		e++;
	open = memchr(s + i, '{', e - i);
	if (!open || open > s + i + 8)
		return 0;
	close = memchr(open, '}', (size_t)(s + e - open));
	comma = memchr(open, ',', (size_t)(s + e - open));
	/* the item starts with a letter, a '/' or is empty: "{a", "{/", "{," are anchors ("{k"
	 * is none: IRC nicks) */
	if (!close || !comma || comma > close || open[1] == 'k' ||
	    !(wsg_is_alpha((unsigned char)open[1]) || open[1] == '/' || open[1] == ','))
		return 0;
	item = open + 1;
	/* "{,ifconfig,eth0}": an empty item is no word; $"whoami" is locale quoting */
	if (item == comma && open == s + i) {
		item = comma + 1;
		comma = memchr(item, ',', (size_t)(close - item));
		if (!comma)
			return 0;
	}
	if (*item == '$' && (item[1] == '"' || item[1] == '\''))
		item++;
	n = (size_t)(open - s) - i;	/* prefix */
	memcpy(word, s + i, n);
	o = n;
	n = (size_t)(comma - item);	/* first item */
	if (o + n >= sizeof(word))
		return 0;
	memcpy(word + o, item, n);
	o += n;
	n = (size_t)(s + e - close) - 1;	/* suffix */
	if (o + n >= sizeof(word))
		return 0;
	memcpy(word + o, close + 1, n);
	o += n;
	o = wsg_drop_vars(word, o);
	if (wsg_cmd_clean(word, o, 0, cmd, sizeof(cmd), &hidden) != o || !cmd[0])
		return 0;
	return wsg_in_list(wsg_cmds, cmd, strlen(cmd)) >= 0 ||
	       wsg_in_list(wsg_recon, cmd, strlen(cmd)) >= 0 || !strcmp(cmd, "cd");
}

/*
 * At a command position s[i]: "<(cat file)", ">(tee log)", a process substitution run as
 * the command ("diff <(ls a) <(ls b)" passes it as an argument); "$[2+2]" arithmetic.
 */
static int wsg_cmdi_procsub(const char *s, size_t len, size_t i)
{
	size_t end, j = i + 2;
	int op = 0;

	if (i + 2 >= len)
		return 0;
	if ((s[i] == '<' || s[i] == '>') && s[i + 1] == '(')
		return wsg_cmd_at(s, len, i + 2, &end) >= 0 && memchr(s + end, ')', len - end);
	if (s[i] != '$' || s[i + 1] != '[')
		return 0;
	for (; j < len && (wsg_is_digit((unsigned char)s[j]) || strchr("+-*/%() ", s[j])); j++)
		op |= !wsg_is_digit((unsigned char)s[j]) && s[j] != ' ';
	return op && j < len && s[j] == ']';
}

/* A Windows administration tool at s[i] ("bcdboot/r", "diskpart.exe <x"). */
static int wsg_cmdi_wintool(const char *s, size_t len, size_t i)
{
	static const char *const tools[] = { WSG_WINTOOLS, NULL };
	size_t e = i;

	while (e < len && wsg_is_alpha((unsigned char)s[e]))
		e++;
	if (wsg_in_list(tools, s + i, e - i) < 0)
		return 0;
	if (e + 4 <= len && !memcmp(s + e, ".exe", 4))
		e += 4;
	return e == len || wsg_is_space((unsigned char)s[e]) || strchr("/<>|&;", s[e]);
}

/*
 * "printf ...|base64 -d|sh": a decoded payload piped into a shell; the pipe and the shell
 * are glued or one blank apart ("|s", "| sh", "| bash" are anchors).
 */
static int wsg_cmdi_b64sh(const char *s, size_t len, size_t i)
{
	static const char *const sh[] = { "sh", "bash", "zsh", "dash", "ksh", NULL };
	const char *bar;
	size_t j = i + 6, e;

	if (!wsg_cmd_is(s, len, i, "base64"))
		return 0;
	j = wsg_skip_space(s, len, j);
	if (!(wsg_cmd_is(s, len, j, "-d") || wsg_cmd_is(s, len, j, "--decode") ||
	      wsg_cmd_is(s, len, j, "-di")))
		return 0;
	bar = memchr(s + j, '|', len - j);
	if (!bar)
		return 0;
	j = (size_t)(bar - s) + 1;
	if (j < len && s[j] == ' ')
		j++;
	for (e = j; e < len && wsg_is_alpha((unsigned char)s[e]);)
		e++;
	return wsg_in_list(sh, s + j, e - j) >= 0 &&
	       (e == len || !wsg_is_word((unsigned char)s[e]));
}

/*
 * ";$a cat $a/etc/passwd": unset variables as the first words, then a command. After ';' or
 * '|' glued, "; " or "&&"/"||" (anchors), never at the value start.
 */
static int wsg_cmdi_after_vars(const char *s, size_t len, size_t i, size_t j)
{
	size_t end;
	int vars = 0;

	if (i == 0 || j > i + 1 || (j == i + 1 && s[i] != ' ') ||
	    !(s[i - 1] == ';' || (s[i - 1] == '|' && s[i] == '$') ||
	      (i > 1 && (s[i - 2] == '&' || s[i - 2] == '|') && s[i - 1] == s[i - 2])))
		return 0;
	while (j + 2 < len && s[j] == '$' && wsg_is_alpha((unsigned char)s[j + 1])) {
		size_t e = j + 1;

		while (e < len && wsg_is_word((unsigned char)s[e]))
			e++;
		if (e - j > 3 || e >= len || s[e] != ' ')
			return 0;
		vars++;
		j = wsg_skip_space(s, len, e);
	}
	return vars && wsg_cmd_at(s, len, j, &end) >= 0;
}

/*
 * rce-015 at a command position s[i]: "set +o history", "set -o history" (one blank before
 * "history": "-o hist" and "+o hist" are anchors), "unset histfile" ("histfile" is one):
 * the shell history turned off or back on around commands that should leave no trace.
 */
static int wsg_cmdi_history(const char *s, size_t len, size_t i)
{
	size_t j;

	if (wsg_cmd_is(s, len, i, "unset"))
		return wsg_cmd_is(s, len, wsg_skip_space(s, len, i + 5), "histfile");
	if (!wsg_cmd_is(s, len, i, "set"))
		return 0;
	j = wsg_skip_space(s, len, i + 3);
	return j + 3 < len && (s[j] == '-' || s[j] == '+') && s[j + 1] == 'o' &&
	       s[j + 2] == ' ' && wsg_cmd_is(s, len, j + 3, "history");
}

/*
 * rce-011/012 at every command position: an editor shell escape, a SQLite dot command, a cd
 * chain, a compiler -wrapper that runs a shell, a brace expansion whose first word is a
 * command ("{cat,/etc/passwd}", "c{a,oun}t"), process substitution of a command.
 */
static int wsg_cmdi_positions(const char *s, size_t len, struct wsg_hit *h)
{
	const char *p = memmem(s, len, "-wrapper", 8);

	if (p) {
		size_t i = wsg_skip_space(s, len, (size_t)(p - s) + 8);

		if ((wsg_cmd_is(s, len, i, "sh") || i + 3 <= len) &&
		    (!memcmp(s + i, "sh,", 3) || !memcmp(s + i, "bash,", 5) ||
		     !memcmp(s + i, "/bin/sh,", 8)))
			return wsg_cmdi_hit(h, 10, (size_t)(p - s));
	}
	for (size_t i = 0; i < len; i = wsg_cmd_next(s, len, i)) {
		size_t j = wsg_skip_breaks(s, len, i);

		/* after ";" then " ", "\\n" or the dot itself: "; ", ";\\", ";." are anchors */
		if (i > 0 && s[i - 1] == ';' && i < len && strchr(" \\.", s[i]) &&
		    wsg_cmdi_dotcmd(s, len, j))
			return wsg_cmdi_hit(h, 10, j);
		while (j < len && (s[j] == '\'' || s[j] == '"'))
			j++;
		if ((i > 0 && wsg_cmdi_editor(s, len, j)) || wsg_cmdi_cdchain(s, len, j))
			return wsg_cmdi_hit(h, 10, j);
		/* ... or "!-1", a history expansion ("!-" is an anchor) */
		if (wsg_cmdi_brace(s, len, j) || wsg_cmdi_procsub(s, len, j) ||
		    (j + 2 < len && s[j] == '!' && s[j + 1] == '-' &&
		     wsg_is_digit((unsigned char)s[j + 2])))
			return wsg_cmdi_hit(h, 11, j);
		if (wsg_cmdi_after_vars(s, len, i, j))
			return wsg_cmdi_hit(h, 8, j);
		if (wsg_cmdi_history(s, len, j))
			return wsg_cmdi_hit(h, 14, j);
		if ((i > 0 && wsg_cmdi_wintool(s, len, j)) || wsg_cmdi_b64sh(s, len, j))
			return wsg_cmdi_hit(h, 0, j);
		if (i == len)
			break;
	}
	return 0;
}

/*
 * rce-013: bash's /dev/tcp/host/port and awk's /inet/tcp/... sockets; a network client
 * whose output is piped into a shell ("telnet x 4444 | /bin/bash | telnet x 4445").
 */
static int wsg_cmdi_revshell(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const sock[] = { "/dev/tcp/", "/dev/udp/", "/inet/tcp/", "/inet/udp/",
					    NULL };
	static const char *const net[] = { "nc", "ncat", "netcat", "telnet", "socat", NULL };
	static const char *const sh[] = { "sh", "bash", "zsh", "dash", "ksh", NULL };

	for (int k = 0; sock[k]; k++) {
		const char *p = memmem(s, len, sock[k], strlen(sock[k]));
		size_t i = p ? (size_t)(p - s) + strlen(sock[k]) : len;

		if (i < len && (wsg_is_word((unsigned char)s[i]) || s[i] == '['))
			return wsg_cmdi_hit(h, 12, (size_t)(p - s));
	}
	for (size_t i = 0; i < len; i = wsg_cmd_next(s, len, i)) {
		size_t j, e, te;
		const char *bar;

		i = wsg_skip_space(s, len, i);
		for (e = i; e < len && wsg_is_word((unsigned char)s[e]);)
			e++;
		/* a host, an address or a flag after the client */
		j = wsg_skip_space(s, len, e);
		for (te = j; te < len && !wsg_is_space((unsigned char)s[te]);)
			te++;
		if (wsg_in_list(net, s + i, e - i) >= 0 && j < len &&
		    (wsg_is_digit((unsigned char)s[j]) || s[j] == '-' ||
		     memchr(s + j, '.', te - j)) &&
		    (bar = memchr(s + e, '|', len - e))) {
			size_t b = (size_t)(bar - s) + 1, n, end;

			/* "| /bin/", "|/", "| sh", "|s" are anchors */
			b += b < len && s[b] == ' ';
			n = wsg_cmd_word(s, len, b, &j, &end);
			if (n && wsg_in_list(sh, s + j, n) >= 0)
				return wsg_cmdi_hit(h, 12, b);
		}
		if (i == len)
			break;
	}
	return 0;
}

/*
 * rce-014: ";top", ";whoami something": a reconnaissance command glued to a ';' (";<letter>"
 * anchors) anywhere in the value, then a blank, a separator or the end. Prose puts a blank
 * after a ';'; CSS (";top:0") and code (";top = 5", ";set x") are no command line.
 */
static int wsg_cmdi_glued(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const recon[] = { "whoami", "ifconfig", "ipconfig", "uname", "netstat",
		"systeminfo", "tasklist", "printenv", "lastlog", "getmac", "sysinfo", "htop", "top",
		"pwd", "hostname", "shutdown", "reboot", NULL };

	for (const char *p = memchr(s, ';', len); p;
	     p = memchr(p + 1, ';', len - (size_t)(p + 1 - s))) {
		size_t i = (size_t)(p - s) + 1, e = i, a;

		while (e < len && wsg_is_alpha((unsigned char)s[e]))
			e++;
		a = wsg_skip_space(s, len, e);
		if (e > i && wsg_in_list(recon, s + i, e - i) >= 0 &&
		    (e == len || wsg_is_space((unsigned char)s[e]) || strchr(";|&`'\"", s[e])) &&
		    (a == len || !strchr("=:(.", s[a])))
			return wsg_cmdi_hit(h, 13, i);
		if (i >= len)
			break;
	}
	return 0;
}

static int wsg_cmdi_misc(const char *s, size_t len, struct wsg_hit *h)
{
	const char *p = memmem(s, len, "()", 2);

	if (wsg_cmdi_fnbomb(s, len, h))
		return 1;

	if (p) {
		size_t i = wsg_skip_space(s, len, (size_t)(p - s) + 2);

		if (i < len && s[i] == '{') {
			i = wsg_skip_space(s, len, i + 1);
			if (i + 1 < len && s[i] == ':' && s[wsg_skip_space(s, len, i + 1)] == ';')
				return wsg_cmdi_hit(h, 3, (size_t)(p - s));
		}
	}
	/* "$(($() 42))", "c$()at": an empty command substitution glued to a word */
	for (p = memmem(s, len, "$()", 3); p;
	     p = memmem(p + 3, len - (size_t)(p + 3 - s), "$()", 3))
		if ((p > s && (p[-1] == '(' || wsg_is_word((unsigned char)p[-1]))) ||
		    (p + 3 < s + len && wsg_is_word((unsigned char)p[3])))
			return wsg_cmdi_hit(h, 8, (size_t)(p - s));
	if ((p = memmem(s, len, "$ifs", 4)) || (p = memmem(s, len, "${ifs", 5)))
		return wsg_cmdi_hit(h, 4, (size_t)(p - s));
	if ((p = memmem(s, len, "${path:", 7)))
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
					(s[a] == ')' && !memcmp(s + b, "php", 3))))
				return wsg_cmdi_hit(h, 5, b);
		}
		if (p + 1 >= s + len)
			break;
	}
	return 0;
}

/* The end of the line at s[i]: a raw CR or LF, or a literal "\\r" or "\\n". */
static size_t wsg_line_end(const char *s, size_t len, size_t i)
{
	while (i < len && s[i] != '\r' && s[i] != '\n' &&
	       !(s[i] == '\\' && i + 1 < len && (s[i + 1] == 'r' || s[i + 1] == 'n')))
		i++;
	return i;
}

#define WSG_MAIL_ANCHORED 8

/*
 * IMAP syntax in the arguments s[i..e): a flag list, a data item list or a search date
 * ("1-feb-1994"); all of them anchors.
 */
static int wsg_imap_syntax(const char *s, size_t i, size_t e)
{
	static const char *const items[] = { "(\\", "(messages", "(recent", "(uidnext",
		"(uidvalidity", "(unseen", "(flags", "(envelope", "(body", "body[", "rfc822",
		NULL };
	static const char mon[] = "janfebmaraprmayjunjulaugsepoctnovdec";

	for (int k = 0; items[k]; k++)
		if (memmem(s + i, e - i, items[k], strlen(items[k])))
			return 1;
	for (size_t k = i; k + 5 <= e; k++) {
		if (s[k] != '-' || s[k + 4] != '-')
			continue;
		for (size_t m = 0; m < sizeof(mon) - 1; m += 3)
			if (!memcmp(s + k + 1, mon + m, 3))
				return 1;
	}
	return 0;
}

/*
 * One mail protocol command line s[i..e): an SMTP or POP3 verb with its arguments, or an
 * IMAP tag and command. The argument counts keep prose after a line break out. After a
 * typed "\\r\\n" (an anchor) every verb counts; after a raw CRLF (no anchor) only the verbs
 * that are anchors, IMAP commands with IMAP syntax in their arguments (wsg_imap_syntax) and
 * the IMAP commands of imap_rare after a tag that ends in a digit ("1 aut", "4 uid", ...,
 * "logout", "examine", ... are anchors).
 */
static int wsg_mail_line(const char *s, size_t i, size_t e, int typed)
{
	static const char *const imap_rare[] = { "authenticate", "uid", "append", "create",
		"close", "check", "lsub", "logout", "examine", "expunge", "subscribe",
		"unsubscribe", "getquotaroot", "setacl", NULL };
	static const struct { const char *verb; int min, max; } smtp[] = {
		{ "rcpt to:", 0, 1 }, { "mail from:", 0, 1 }, { "ehlo", 1, 1 }, { "vrfy", 1, 1 },
		{ "expn", 1, 1 }, { "apop", 2, 2 }, { "rset", 0, 0 }, { "starttls", 0, 0 },
		/* the verbs below need a typed "\\r\\n" */
		{ "helo", 1, 1 }, { "help", 0, 1 }, { "data", 0, 0 },
		{ "noop", 0, 0 }, { "quit", 0, 0 },
		{ "user", 1, 1 }, { "pass", 1, 1 }, { "retr", 1, 1 },
		{ "dele", 1, 1 }, { "stat", 0, 0 }, { "uidl", 0, 1 }, { "top", 2, 2 },
		{ "capa", 0, 0 }, { "auth", 1, 2 },
	};
	static const char *const imap[] = { "capability", "noop", "logout", "starttls",
		"authenticate", "login", "select", "examine", "create", "delete", "rename",
		"subscribe", "unsubscribe", "list", "lsub", "status", "append", "check", "close",
		"expunge", "search", "fetch", "store", "copy", "move", "uid", "idle", "quit",
		"getquotaroot", "setacl", NULL };
	size_t t = i;
	int tag;

	for (size_t k = 0; k < sizeof(smtp) / sizeof(smtp[0]); k++) {
		size_t n = strlen(smtp[k].verb);
		int w;

		if (i + n > e || memcmp(s + i, smtp[k].verb, n) ||
		    (i + n < e && wsg_is_word((unsigned char)s[i + n])))
			continue;
		w = wsg_count_words(s, i + n, e);
		return (typed || k < WSG_MAIL_ANCHORED) && w >= smtp[k].min && w <= smtp[k].max;
	}
	/* IMAP: a tag of letters and digits (a001, a1, d) and a command */
	while (t < e && wsg_is_word((unsigned char)s[t]))
		t++;
	if (t == i || t - i > 8 || t >= e || s[t] != ' ')
		return 0;
	/* a tag like "a001": a letter, ending in a digit ("2 logout buttons" is a count) */
	tag = wsg_is_digit((unsigned char)s[t - 1]) && wsg_is_alpha((unsigned char)s[i]);
	i = t + 1;
	while (t + 1 < e && wsg_is_alpha((unsigned char)s[t + 1]))
		t++;
	if (!typed && !wsg_imap_syntax(s, t, e) &&
	    !(tag && wsg_in_list(imap_rare, s + i, t + 1 - i) >= 0))
		return 0;
	return wsg_in_list(imap, s + i, t + 1 - i) >= 0 && (t + 1 == e || s[t + 1] == ' ');
}

/* rce-010: a line after a CRLF (raw or literal "\\r\\n") that is a mail protocol command. */
static int wsg_cmdi_mail(const char *s, size_t len, struct wsg_hit *h)
{
	for (size_t i = 0; i + 1 < len; i++) {
		size_t b, e;

		int typed = 0;

		if (s[i] == '\r' && s[i + 1] == '\n')
			b = i + 2;
		else if (i + 3 < len && !memcmp(s + i, "\\r\\n", 4))
			b = i + 4, typed = 1;
		else
			continue;
		e = wsg_line_end(s, len, b);
		while (e > b && wsg_is_space((unsigned char)s[e - 1]))
			e--;
		if (e > b && wsg_mail_line(s, b, e, typed))
			return wsg_cmdi_hit(h, 9, b);
	}
	return 0;
}

/*
 * An anchor of this detector in the text (in '"' + text + '"' when it was a literal). A
 * command line as the whole value (rce-007/008/009) is often a bare command whose name JSON
 * keys start with ("type", "time", "net", "cat", "id"): those are no anchors, so such a value
 * fires only where another anchor (its arguments, a separator, a rare name) gates it.
 */
static int wsg_cmdi_gated(const struct wsg_text *t)
{
	size_t n = t->len + 2, o = 0;
	char *buf = malloc(n + 1);
	int found = 0;

	if (!buf)
		return 0;
	if (t->quoted)
		buf[o++] = '"';
	memcpy(buf + o, t->s, t->len);
	o += t->len;
	if (t->quoted)
		buf[o++] = '"';
	for (size_t k = 0; wsg_cmdi_anchors[k] && !found; k++) {
		size_t m = strlen(wsg_cmdi_anchors[k]);

		for (size_t i = 0; i + m <= o && !found; i++)
			found = !strncasecmp(buf + i, wsg_cmdi_anchors[k], m);
	}
	free(buf);
	return found;
}

/*
 * rce-009: "'c'url localhost", "'w'g'e't x": a string literal that starts with one letter in
 * single quotes glued to more of a command name (the JSON quote, the quoted letter and its
 * closing quote, "\"'c'", are the anchor). Three letters at least: "'i'd like" is a quote.
 */
static int wsg_cmdi_qsplit(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;
	size_t len = t->len, e, n = 1;
	char cmd[32];

	if (!t->quoted || len < 5 || s[0] != '\'' || !wsg_is_alpha((unsigned char)s[1]) ||
	    s[2] != '\'' || !wsg_is_alpha((unsigned char)s[3]))
		return 0;
	cmd[0] = s[1];
	/* every further quote in the word is obfuscation too: "'w'g'e't" */
	for (e = 3; e < len && n + 1 < sizeof(cmd); e++) {
		if (wsg_is_word((unsigned char)s[e]) || s[e] == '-' || s[e] == '.')
			cmd[n++] = s[e];
		else if (s[e] != '\'')
			break;
	}
	cmd[n] = 0;
	if (n < 3 || (e < len && !wsg_is_space((unsigned char)s[e]) && !strchr(";|&<>)`", s[e])))
		return 0;
	return wsg_in_list(wsg_cmds, cmd, n) >= 0 || wsg_in_list(wsg_recon, cmd, n) >= 0 ||
	       wsg_in_list(wsg_tools, cmd, n) >= 0 ? wsg_cmdi_hit(h, 8, 0) : 0;
}

/*
 * rce-009: "'ll' /var/www/", "'ls' -la": the value starts with a short command name in single
 * quotes (each quoted name an anchor), alone or before a flag, an absolute path or a
 * separator. "'ls' lists files" is prose.
 */
static int wsg_cmdi_qword(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const names[] = { "ll", "ls", "id", "ps", "nc", "sh", "rm", "cat",
		NULL };
	size_t e = 1, a;

	if (len < 4 || s[0] != '\'')
		return 0;
	while (e < len && wsg_is_alpha((unsigned char)s[e]))
		e++;
	if (e >= len || s[e] != '\'' || wsg_in_list(names, s + 1, e - 1) < 0 ||
	    (e + 1 < len && !wsg_is_space((unsigned char)s[e + 1])))
		return 0;
	a = wsg_skip_space(s, len, e + 1);
	return a == len || strchr("-/;|&", s[a]) ? wsg_cmdi_hit(h, 8, 0) : 0;
}

/*
 * rce-001 inside a URL: "?args=perf --version", "&cmd=cat /etc/passwd": a query parameter
 * whose value is a command line (a tool or a risky command, then a flag or attack
 * arguments). Only where an anchor gates it (the caller checks).
 */
static int wsg_cmdi_query(const char *s, size_t len, struct wsg_hit *h)
{
	for (const char *p = memchr(s, '=', len); p;
	     p = memchr(p + 1, '=', len - (size_t)(p + 1 - s))) {
		size_t v = (size_t)(p - s) + 1, b = v - 1, name, end, n, a;
		int k;

		while (b > 0 && (wsg_is_word((unsigned char)s[b - 1]) || s[b - 1] == '-'))
			b--;
		if (b == 0 || b == v - 1 || (s[b - 1] != '?' && s[b - 1] != '&'))
			continue;
		n = wsg_cmd_word(s, len, v, &name, &end);
		if (!n || end >= len || s[end] != ' ')
			continue;
		a = wsg_skip_space(s, len, end);
		k = wsg_in_list(wsg_cmds, s + name, n);
		if ((wsg_in_list(wsg_tools, s + name, n) >= 0 && a < len && s[a] == '-') ||
		    (k >= 0 && k < WSG_CMD_RISKY && wsg_cmdi_args(wsg_cmds[k], s, len, end)))
			return wsg_cmdi_hit(h, 0, v);
	}
	return 0;
}

int wsg_detect_cmdi(const struct wsg_text *t, struct wsg_hit *h)
{
	return wsg_cmdi_spawn(t->s, t->len, h) || wsg_cmdi_start(t->s, t->len, h) ||
	       wsg_cmdi_batch(t->s, t->len, h) ||
	       (wsg_cmdi_value(t->s, t->len, h) && wsg_cmdi_gated(t)) ||
	       (wsg_cmdi_query(t->s, t->len, h) && wsg_cmdi_gated(t)) ||
	       wsg_cmdi_subst(t->s, t->len, h) ||
	       wsg_cmdi_chain(t->s, t->len, h) || wsg_cmdi_misc(t->s, t->len, h) ||
	       wsg_cmdi_mail(t->s, t->len, h) || wsg_cmdi_glob(t->s, t->len, h) ||
	       wsg_cmdi_positions(t->s, t->len, h) || wsg_cmdi_revshell(t->s, t->len, h) ||
	       wsg_cmdi_glued(t->s, t->len, h) || wsg_cmdi_qsplit(t, h) ||
	       wsg_cmdi_qword(t->s, t->len, h);
}
