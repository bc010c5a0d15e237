#!/usr/bin/env python3
"""Generates the kernel's class/permission numbering from classes.conf.

usage: genflask.py classes.conf OUTDIR

Writes OUTDIR/flask.h (SC_<CLASS> numbers, P_<CLASS>_<PERM> bits, for the
kernel and user code) and OUTDIR/flask_names.h (the names, for policyd,
which maps this numbering onto a loaded policy by name).  Numbering follows
SELinux: classes from 1 in declaration order; a class's permissions are its
common's first, then its own, bit 0 upwards.
"""
import re
import sys


def fail(path, line, msg):
    print(f"{path}:{line}: error: {msg}", file=sys.stderr)
    sys.exit(1)


def parse(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    # Tokens with their line numbers; comments run from '#' to end of line.
    toks = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0]
        for t in re.findall(r"[{}]|[A-Za-z_][A-Za-z0-9_]*|\S", line):
            toks.append((t, n))
    classes, commons, perms = [], {}, {}
    i = 0

    def block(i):
        if i >= len(toks) or toks[i][0] != "{":
            fail(path, toks[min(i, len(toks) - 1)][1], "expected '{'")
        names = []
        i += 1
        while i < len(toks) and toks[i][0] != "}":
            names.append(toks[i][0])
            i += 1
        if i >= len(toks):
            fail(path, toks[-1][1], "missing '}'")
        return names, i + 1

    while i < len(toks):
        word, line = toks[i]
        if word == "sid" and i + 1 < len(toks):
            i += 2
        elif word == "common":
            name = toks[i + 1][0]
            names, i = block(i + 2)
            commons[name] = names
        elif word == "class":
            name = toks[i + 1][0]
            i += 2
            if i < len(toks) and toks[i][0] in ("inherits", "{"):
                if name not in classes:
                    fail(path, line, f"permissions for undeclared class {name}")
                own = []
                if toks[i][0] == "inherits":
                    com = toks[i + 1][0]
                    if com not in commons:
                        fail(path, line, f"unknown common {com}")
                    own = list(commons[com])
                    i += 2
                if i < len(toks) and toks[i][0] == "{":
                    names, i = block(i)
                    own += names
                if len(own) > 32:
                    fail(path, line, f"class {name} has more than 32 permissions")
                if len(set(own)) != len(own):
                    fail(path, line, f"class {name} repeats a permission")
                perms[name] = own
            else:
                if name in classes:
                    fail(path, line, f"class {name} declared twice")
                classes.append(name)
        else:
            fail(path, line, f"unexpected '{word}'")
    for c in classes:
        perms.setdefault(c, [])
    return classes, perms


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, out = sys.argv[1], sys.argv[2]
    classes, perms = parse(src)
    head = f"/* Generated from {src} by policy/flask/genflask.py: do not edit. */\n"
    h = [head, "#ifndef FLASK_FLASK_H", "#define FLASK_FLASK_H", ""]
    for n, c in enumerate(classes, 1):
        h.append(f"#define SC_{c.upper()} {n}")
    h.append(f"#define SC_COUNT {len(classes) + 1} /* one more than the highest */")
    h.append("")
    for c in classes:
        for b, p in enumerate(perms[c]):
            h.append(f"#define P_{c.upper()}_{p.upper()} (1u << {b})")
        h.append(f"#define P_{c.upper()}__ALL 0x{(1 << len(perms[c])) - 1:x}u")
        h.append("")
    h.append("#endif")
    n = [head, "#ifndef FLASK_NAMES_H", "#define FLASK_NAMES_H", "",
         '#include "flask.h"', "",
         "#define FLASK_MAX_PERMS 32", "",
         "static const char *const flask_class_names[SC_COUNT] = {"]
    for c in classes:
        n.append(f'\t[SC_{c.upper()}] = "{c}",')
    n += ["};", "", "static const char *const flask_perm_names[SC_COUNT][FLASK_MAX_PERMS] = {"]
    for c in classes:
        n.append(f"\t[SC_{c.upper()}] = {{" + ", ".join(f'"{p}"' for p in perms[c]) + "},")
    n += ["};", "", "#endif"]
    for name, lines in (("flask.h", h), ("flask_names.h", n)):
        with open(f"{out}/{name}.tmp", "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    import os
    for name in ("flask.h", "flask_names.h"):
        os.replace(f"{out}/{name}.tmp", f"{out}/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
