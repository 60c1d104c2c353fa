// SPDX-License-Identifier: GPL-2.0-only
/*
 * The web-attack detectors (XSS, path traversal / LFI, SSRF / RFI) on normalised text: true
 * positives, chat-like true negatives, and for every firing string that one of the
 * detector's anchors is in it (the soundness the kernel prefilter relies on).
 */
#include <ctype.h>
#include <string.h>
#include "wsg_test.h"
#include "detect.h"
#include "wsg_detect_check.h"
#include "inspect.h"

WSG_TEST_MAIN


#define SSRF(s) wsg_run(wsg_detect_ssrf, (s), 1)
#define LFI(s) wsg_run(wsg_detect_lfi, (s), 1)
#define XSS(s) wsg_run(wsg_detect_xss, (s), 1)

WSG_TEST(ssrf_metadata_and_internal_urls)
{
	static const char *const hit[] = {
		"http://169.254.169.254/latest/meta-data/",
		"http://metadata.google.internal/computemetadata/v1/",
		"http://localhost:22",
		"https://127.0.0.1:443",
		"http://[::]:80/",
		"http://[0000::1]:80/",
		"http://[0:0:0:0:0:ffff:127.0.0.1]",
		"http://[::ffff:a9fe:a9fe]",
		"https://307.r3dir.me/--to/?url=http://localhost",
		"http://169.254.169.254.nip.io/",
		"gateway.docker.internal/",
		"ip6-loopback/",
		"lvh.me/",
		NULL,
	};

	for (int i = 0; hit[i]; i++)
		CHECK(SSRF(hit[i]), "missed %s", hit[i]);
}

WSG_TEST(ssrf_obfuscated_addresses)
{
	static const char *const hit[] = {
		"http://2130706433/",	  "http://7147006462/",	   "http://0x7f000001/",
		"http://0177.0.0.1/",	  "http://0xa9.0xfe.0xa9.0xfe/",
		"http://127.1/",	  "http:127.0.0.1",	   "http:/2852039166",
		"rtmp://017700000001",	  "http://0x41414141a9fea9fe/",
		"see http://0177.0.0.1/ now", NULL,
	};

	for (int i = 0; hit[i]; i++)
		CHECK(SSRF(hit[i]), "missed %s", hit[i]);
}

WSG_TEST(ssrf_schemes_and_confusion)
{
	static const char *const hit[] = {
		"gopher://127.0.0.1:6379/_flushall",
		"dict://localhost:11211/stat",
		"ldap://evil.example/a",
		"jar:http://evil.example/x.jar!/",
		"phar://upload/x.phar",
		"expect://id",
		"file:///etc/passwd",
		"url:file://foo.bar",
		"http://google.com:80 &@127.88.23.245:22/# @google.com:80/",
		"http://\\\\l\\\\o\\\\c\\\\a\\\\l\\\\h\\\\o\\\\s\\\\t/",
		"http://evil.example@127.0.0.1/",
		NULL,
	};

	for (int i = 0; hit[i]; i++)
		CHECK(SSRF(hit[i]), "missed %s", hit[i]);
}

WSG_TEST(ssrf_chat_urls_pass)
{
	static const char *const pass[] = {
		"the dev server runs on http://localhost:3000",
		"hit http://127.0.0.1:8080/health to check it",
		"ssh localhost",
		"ivoks, what if i put \"hostname@localhost\"?",
		"localhost",
		"mylocalhost",
		"https://github.com/torvalds/linux/blob/master/readme",
		"http://192.168.0.1 is my router, at 10.0.0.1 there is nothing",
		"http://paste.ubuntu.com/479464/",
		"https://launchpad.net/ubuntu/hardy/i386/xmms/1:1.2.10+20070601-1",
		"if i tell dig to use @192.168.0.1, it resolves local addresses",
		"well i try to build my own debs with a script found on http://3v1n0.tuxfamily.org",
		"mail me at bob@example.com or alice@10mail.org",
		"meeting at 10:30, http://8.8.8.8 is google dns",
		NULL,
	};

	for (int i = 0; pass[i]; i++)
		CHECK(!SSRF(pass[i]), "false positive on %s", pass[i]);
}

WSG_TEST(lfi_traversal_and_encodings)
{
	static const char *const hit[] = {
		"../../../../etc/passwd",
		"..\\..\\windows\\win.ini",
		"\xc0.\xc0./\xc0.\xc0./boot.ini",	/* %c0%2e%c0%2e%c0%2f... */
		"\xc0\xae\xc0\xae\\\xc0\xae\xc0\xae\\windows\\system32\\drivers\\etc\\hosts",
		"..2f..2fetc2fpasswd",
		"0x2e0x2e0x2fetc0x2fpasswd",
		"%2%e%2%e/%2%e%2%e/etc/issue",
		"/../",
		"0x5c0x2e./",
		"/./\\/././\\/./",
		"li4vli4vli4vzxrjl3bhc3n3za==",
		"/.codex/config.toml",
		"/winnt\\php.ini",
		"file=/etc/passwd",
		NULL,
	};

	for (int i = 0; hit[i]; i++)
		CHECK(LFI(hit[i]), "missed %s", hit[i]);
}

WSG_TEST(lfi_chat_paths_pass)
{
	static const char *const pass[] = {
		"the image is at ../assets/logo.png",
		"byen, deleting /etc/passwd would be a very bad thing to do  :)",
		"/etc/security/limits.conf  the file is responsible to limit resources",
		"can anybody print me the /etc/issue here?",
		"so..ok then...",
		"wait... what?. really",
		"zykotick9: you win.  the suffix -gtk was all i needed",
		"mv ~/.gnome2 ~/.gnome2.bak and try again",
		"hmmm... no apt-build in /usr/bin",
		"the '90s were wild",
		"/files", "/api/users/7", "/profile/settings",
		NULL,
	};

	for (int i = 0; pass[i]; i++)
		CHECK(!LFI(pass[i]), "false positive on %s", pass[i]);
}

/* A whole value that is a system path: anchored by '"/' and its first letters. */
WSG_TEST(lfi_system_path_values)
{
	static const char *const hit[] = {
		"/etc/hostname", "/proc/self/environ", "/root/.bash_history", "/var/log/auth.log",
		"/usr/local/etc/php.ini", "/home/bob/.ssh/id_rsa", "/opt/app/.env", "/.cshrc",
		"/\xc0./\xc0./etc/passwd", NULL,
	};

	for (int i = 0; hit[i]; i++)
		CHECK(LFI(hit[i]) != NULL, "missed %s", hit[i]);
}

WSG_TEST(xss_probe_tags_and_wrapped_sinks)
{
	static const char *const hit[] = {
		"<",	/* "%3c" or "&lt;" as the whole value, quoted */
		"<style>@import'http://ha.ckers.org/xss.css';</style>",
		"<body onload=alert(1)>",
		"<form><button formaction=javascript:alert(1)>x",
		"top['alert'](1)",
		"(alert)(1)",
		"[].sort.call`${alert}1337`",
		"self[/*foo*/\"alert\"](self[\"document\"][\"cookie\"])",
		"<script>alert(1)</script>",
		NULL,
	};

	for (int i = 0; hit[i]; i++)
		CHECK(XSS(hit[i]), "missed %s", hit[i]);
}

WSG_TEST(xss_chat_passes)
{
	static const char *const pass[] = {
		"i used the <b> tag for bold, is that deprecated?",
		"put a <br> between them",
		"<3",
		"<-- this one",
		"if a<b and b<c then a<c",
		"print(f\"{user}'s score is {score}\")",
		"set an alert for 5pm (alert me)",
		"aplay /usr/share/sounds/gnome/default/alerts/bark.ogg",
		NULL,
	};

	for (int i = 0; pass[i]; i++)
		CHECK(!XSS(pass[i]), "false positive on %s", pass[i]);
	CHECK(!wsg_run(wsg_detect_xss, "<", 0), "unquoted '<' is not gated");
}

WSG_TEST(xss_split_schemes_and_handlers_outside_tags)
{
	static const char *const hit[] = {
		"ja\tvascript: ",
		"jav\nascript:x",
		"javascript: \\\\t",
		"<img src=\"mocha:[code]\">",
		"data:text/html;base64,phnjcmlwdd4=",
		"\" onmouseover=\"alert(1)",
		" onmouseover=\"document.cookie=true;\">//x",
		"onload='kcf' \\\" onload=\\\"kcf\\\"",
		"\"onfocus=x autofocus a=\"",
		"<\"onwebkitplaybacktargetavailabilitychanged=",
		"<x </onxxx=1",
		"<svg/onload=alert(1)>",
		"<img src=x onerror=alert(1)>",
		NULL,
	};
	static const char *const pass[] = {
		"javascript: the good parts is a short book",
		"mocha: command not found",
		"set onload=true in the config",
		"onload=true is the default",
		"the onerror handler never fires",
		"data:text/plain is fine",
		NULL,
	};

	for (int i = 0; hit[i]; i++)
		CHECK(XSS(hit[i]), "missed %s", hit[i]);
	for (int i = 0; pass[i]; i++)
		CHECK(!XSS(pass[i]), "false positive on %s", pass[i]);
}

WSG_TEST(xss_markup_variants)
{
	static const char *const hit[] = {
		"1234<f o r m",
		"$<d i a l o g",
		"<v:vmlframe src=\"foo.com/sup.fml\"/>",
		"</xsl:template>",
		"<div style=\"background:url(/f#[a]oo/;color:red/*/foo.jpg);\">x</div>",
		"<div style=\"font-family:foo}color=red;\">x</div>",
		"<div style=\"font-family:'foo\n;color:red;';\">x",
		"<// style=x:expression\\28write(1)\\29>",
		"<div style=\"behaviour: url(http://x.example/kcf.html);\">",
		"<div datafld=\"b\" dataformatas=\"html\" datasrc=\"#x\"></div>",
		"<object\tallowscriptaccess=always data=//x.example/a.swf?",
		"<x xmlns:ev=\"http://www.w3.org/2001/xml-events\" ev:handler=\"a#x\"/>",
		"xmlns:svg=\"http://www.w3.org/2000/svg\">",
		"<!--[if gte ie 4]>",
		"<![endif]-->",
		"<div id=\"39\"><!-- up to opera 11.52 -->",
		"<!-- ff 14+ -->",
		"<div><?xml-stylesheet type=\"text/xsl\" href=\"#\" ?>",
		"\xef\xbc\x9cscript \xef\xbc\x9e" "alert(1)\xef\xbc\x9c/script\xef\xbc\x9e",
		"\xef\xb9\xa4\xef\xbd\x93\xef\xbd\x96\xef\xbd\x87 onload=x\xef\xb9\xa5 alert`1`",
		NULL,
	};
	static const char *const pass[] = {
		"<div style=\"color:red\">hi</div>",
		"<a href=\"/teams/\">page des teams</a>",
		"use <!-- --> for html comments",
		"<project xmlns=\"http://maven.apache.org/pom/4.0.0\">",
		"<?xml-stylesheet type=\"text/xsl\" href=\"style.xsl\"?>",
		"the behavior: it crashes",
		"\xef\xbc\x9c" "3 you \xef\xbc\x9c" "b\xef\xbc\x9e" "bold",
		"\xef\xbf\xbdscript \xef\xbf\xbd" "alert(1);\xef\xbf\xbd/script\xef\xbf\xbd",
		"<a b c> is a placeholder",
		NULL,
	};

	for (int i = 0; hit[i]; i++)
		CHECK(XSS(hit[i]), "missed %s", hit[i]);
	for (int i = 0; pass[i]; i++)
		CHECK(!XSS(pass[i]), "false positive on %s", pass[i]);
}

WSG_TEST(xss_script_without_markup)
{
	static const char *const hit[] = {
		"document.cookie",
		"...(document.domain)...",
		"(document/*foo*/)[\"cookie\"]",
		"document.body.appendchild(document.createelement(\"h1\"))",
		"top[/al/.source+/ert/.source](1)",
		"top['al\\145rt'](1)",
		"window[8680439..tostring(30)](1)",
		"(![]+[])[+!+[]]",
		"(![] [])[ ! []]",
		"reflect.sort.call``",
		"[  ] . sort . call ` ${ alert } 1337 `",
		"btoa()",
		NULL,
	};
	static const char *const pass[] = {
		"the document.pdf is attached",
		"see the documentation. then the document.",
		"it is on top[1] (see above)",
		"![](http://example.org/logo.png) and ![][logo]",
		"the template literal is `hello ${name}`",
		NULL,
	};

	for (int i = 0; hit[i]; i++)
		CHECK(XSS(hit[i]), "missed %s", hit[i]);
	for (int i = 0; pass[i]; i++)
		CHECK(!XSS(pass[i]), "false positive on %s", pass[i]);
}
