#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Rebuild user/prefilter_freq.h: measured byte frequencies of ordinary technical English.

The prefilter (user/prefilter.c) keeps one piece of every anchor as a trigger and picks the
piece ordinary text shows least. This script measures that on the English text installed
with Debian itself, never on the evaluation corpus:

  - the English man pages of sections 1, 5, 7 and 8 (roff requests dropped, the arguments
    of the font macros kept, escapes removed); the thousands of generated gcloud pages are
    left out so one tool does not dominate;
  - the first 32 KiB of every changelog, NEWS and README under /usr/share/doc;
  - every /usr/share/doc/*/copyright, each paragraph once (licence texts repeat).

Only prose lines are kept (24 bytes or more, at most 1 in 20 outside letters, space and
,.'?!): option lists, code, paths and tables are unlike chat. The text is folded like
wsg_pf_fold (ASCII letters lowercased), runs of whitespace become one space, and bytes outside
printable ASCII are boundaries. Output: log-scaled counts of the 95 printable symbols (ASCII
0x20..0x7e; the uppercase letters stay zero) and of every ordered pair of them, as
FREQ_SCALE * log2(1 + count) rounded, in one byte each; and the COMMON4 most frequent 4-grams.

Usage: scripts/gen-gramfreq.py [OUTPUT]   (default user/prefilter_freq.h)
The build never runs this; rerun it and commit the header when the model should change.
"""
import collections
import glob
import gzip
import hashlib
import math
import os
import re
import sys
import textwrap

FREQ_SCALE = 8
COMMON4 = 8192
DOC_CAP = 32 << 10

TEXT_MACROS = {
    b"SH", b"SS", b"B", b"I", b"BR", b"BI", b"IR", b"IB", b"RB", b"RI", b"IP", b"TP", b"Nm",
    b"Nd", b"Ar", b"Fl", b"Op", b"Xr", b"Sh", b"Ss", b"Pa", b"Cm", b"It", b"Dl", b"Em",
    b"Sy", b"Dq", b"Ql", b"Li", b"Va", b"Ev", b"Fn", b"Fa", b"Ic",
}
# \fB \f(CW \f[BI] \s-2 \(em \*(L" \[em] \- \e \& \% \c and the like
ROFF_ESC = re.compile(rb"\\(f(\[[^\]]*\]|\(..|.)|s[-+]?\d+|\(..|\*(\(..|\[[^\]]*\]|.)|\[[^\]]*\]|"
                      rb"[&%c:|^/,]|-|e|.)")
ROFF_NAMED = {b"\\-": b"-", b"\\e": b"\\", b"\\(dq": b'"', b"\\(aq": b"'", b"\\(em": b"-",
              b"\\(en": b"-", b"\\(lq": b'"', b"\\(rq": b'"', b"\\(oq": b"'", b"\\(cq": b"'",
              b"\\(ti": b"~", b"\\(ha": b"^", b"\\(bv": b"|", b"\\[em]": b"-", b"\\[dq]": b'"'}


def roff_text(src):
    out = []
    in_de = False
    for line in src.split(b"\n"):
        if in_de:
            in_de = line.strip() != b".."
            continue
        if line.startswith((b".", b"'")):
            parts = line[1:].split(None, 1)
            if not parts:
                continue
            if parts[0] in (b"de", b"de1", b"am", b"ig"):
                in_de = True
                continue
            if parts[0] not in TEXT_MACROS or len(parts) < 2:
                continue
            # the alternating-font macros (.BR ls (1)) render their arguments joined
            args = re.findall(rb'"[^"]*"|\S+', parts[1])
            sep = b"" if len(parts[0]) == 2 and parts[0].isupper() else b" "
            line = sep.join(a.strip(b'"') for a in args)
        out.append(ROFF_ESC.sub(lambda m: ROFF_NAMED.get(m.group(0), b""), line))
    return b"\n".join(out)


def man_pages():
    for sec in ("1", "5", "7", "8"):
        for path in sorted(glob.glob(f"/usr/share/man/man{sec}/*.gz")):
            if os.path.basename(path).startswith("gcloud_") or os.path.islink(path):
                continue
            try:
                src = gzip.open(path).read()
            except OSError:
                continue
            if src.startswith(b".so "):
                continue
            yield roff_text(src)


def read_doc(path):
    try:
        with (gzip.open(path) if path.endswith(".gz") else open(path, "rb")) as f:
            return f.read(DOC_CAP)
    except OSError:
        return b""


def docs():
    pats = ("changelog*", "NEWS*", "README*")
    for pkg in sorted(glob.glob("/usr/share/doc/*/")):
        for pat in pats:
            for path in sorted(glob.glob(pkg + pat)):
                if os.path.isfile(path) and not path.endswith((".html", ".png")):
                    yield read_doc(path)
    seen = set()
    for path in sorted(glob.glob("/usr/share/doc/*/copyright")):
        for para in read_doc(path).split(b"\n\n"):
            h = hashlib.sha1(para).digest()
            if h not in seen:
                seen.add(h)
                yield para


FOLD = bytes(b + 32 if 65 <= b <= 90 else (32 if b in (9, 10, 13) else b) for b in range(256))
WS = re.compile(rb" +")
NONPRINT = re.compile(rb"[^\x20-\x7e]+")


NOT_PROSE = re.compile(rb"[^A-Za-z ,.'?!]")


def prose(line):
    """Lines of sentences, not of option lists, code, paths or tables: chat is like those."""
    return len(line) >= 24 and len(NOT_PROSE.findall(line)) * 20 <= len(line)


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else "user/prefilter_freq.h"
    uni = collections.Counter()
    bi = collections.Counter()
    quad = collections.Counter()
    total = 0
    for text in [*man_pages(), *docs()]:
        t = WS.sub(b" ", b" ".join(filter(prose, text.split(b"\n"))).translate(FOLD))
        # a non-printable run is a boundary: count no pair across it
        for piece in NONPRINT.split(t):
            total += len(piece)
            uni.update(piece)
            bi.update(zip(piece, piece[1:]))
            quad.update(piece[i:i + 4] for i in range(len(piece) - 3))

    def lg(n):
        return min(255, round(FREQ_SCALE * math.log2(1 + n)))

    def wrap(vals, indent):
        return textwrap.fill(", ".join(str(v) for v in vals), 100 - 8 * len(indent),
                             initial_indent=indent, subsequent_indent=indent)

    rows = []
    for a in range(0x20, 0x7f):
        if not uni[a]:
            continue  # uppercase: folded away, the row stays zero
        vals = [lg(bi[(a, b)]) for b in range(0x20, 0x7f)]
        rows.append(f"\t[0x{a:02x} - 0x20] = {{ /* {chr(a)!r} */\n{wrap(vals, chr(9) * 2)}\n\t}},")
    # the most frequent 4-grams, most frequent first, as one C string of 4-byte entries
    common = [g for g, _ in sorted(quad.items(), key=lambda kv: (-kv[1], kv[0]))[:COMMON4]]
    esc = {ord('"'): '\\"', ord("\\"): "\\\\", ord("?"): "\\?"}
    quads = "\n".join(f'\t"{"".join(g.decode() for g in common[i:i + 20]).translate(esc)}"'
                      for i in range(0, len(common), 20))
    unis = wrap([lg(uni[a]) for a in range(0x20, 0x7f)], "\t")
    with open(out_path, "w") as f:
        f.write(f"""/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * GENERATED by scripts/gen-gramfreq.py: do not edit, rerun it.
 *
 * Measured byte frequencies of ordinary technical English, for the prefilter to choose the
 * rarest piece of an anchor (user/prefilter.c). Source: the English man pages (sections 1, 5,
 * 7, 8, gcloud pages excluded) and the changelogs, NEWS, READMEs and copyright files under
 * /usr/share/doc of a Debian 12 system, prose lines only, {total} bytes after folding;
 * never the evaluation corpus. Text folded like wsg_pf_fold, whitespace runs as one space.
 *
 * Entries are {FREQ_SCALE} * log2(1 + count), rounded: [x - 0x20] for the byte x, [x - 0x20][y - 0x20]
 * for the pair x, y (x first). Only printable ASCII (0x20..0x7e) is covered.
 */
#ifndef WSG_PREFILTER_FREQ_H
#define WSG_PREFILTER_FREQ_H

#define WSG_PF_FREQ_SCALE {FREQ_SCALE}	/* table units per doubling of the count */
#define WSG_PF_FREQ_FIRST 0x20
#define WSG_PF_FREQ_SYMS 95

static const unsigned char wsg_pf_freq1[WSG_PF_FREQ_SYMS] = {{
{unis}
}};

static const unsigned char wsg_pf_freq2[WSG_PF_FREQ_SYMS][WSG_PF_FREQ_SYMS] = {{
""")
        f.write("\n".join(rows) + "\n};\n")
        f.write(f"""
/* The {COMMON4} most frequent 4-grams, the most frequent first ({quad[common[-1]]} times or more). */
#define WSG_PF_COMMON4 {COMMON4}

static const char wsg_pf_common4[4 * WSG_PF_COMMON4 + 1] =
{quads};

#endif /* WSG_PREFILTER_FREQ_H */
""")


if __name__ == "__main__":
    main()
