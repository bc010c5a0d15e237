#!/usr/bin/env python3
"""Large, realistic benchmark policy, deterministic for a given seed.

    biggen.py OUT.conf [SEED]

Shape (checked at the end, printed on stderr): >= 2,000 types, >= 200
attributes of varied size (a few cover most types, as `domain` or
`file_type` do in the reference policy; most are small), >= 100,000 allow
rules written on types and on attributes, auditallow/dontaudit rules,
booleans with conditional blocks, type transitions and constraints.
"""
import random
import sys

NTYPES = 2400
NATTRS = 240
NALLOW = 104000
NBOOLS = 120
NCONDS = 240


def main(argv):
    if len(argv) < 2:
        print("usage: biggen.py OUT.conf [SEED]", file=sys.stderr)
        return 2
    seed = int(argv[2]) if len(argv) > 2 else 20261126
    rng = random.Random(seed)
    out = []
    w = out.append

    commons = {"file": [f"f{i}" for i in range(22)], "socket": [f"s{i}" for i in range(20)]}
    classes = [("process", None, ["transition", "dyntransition"] + [f"p{i}" for i in range(28)])]
    for name in ["file", "dir", "lnk_file", "chr_file", "blk_file", "sock_file", "fifo_file"]:
        classes.append((name, "file", [f"{name}_x{i}" for i in range(rng.randint(0, 8))]))
    for name in ["tcp_socket", "udp_socket", "unix_stream_socket"]:
        classes.append((name, "socket", [f"{name}_x{i}" for i in range(rng.randint(2, 10))]))
    for name in ["capability", "ipc", "msg", "shm", "service", "binder"]:
        classes.append((name, None, [f"{name}_p{i}" for i in range(rng.randint(4, 32))]))

    def perms(c):
        _, common, own = classes[c]
        return (commons[common] if common else []) + own

    for name, _, _ in classes:
        w(f"class {name}")
    w("sid kernel")
    w("sid init")
    for name, ps in commons.items():
        w(f"common {name} {{ {' '.join(ps)} }}")
    for name, common, own in classes:
        inh = f" inherits {common}" if common else ""
        body = f" {{ {' '.join(own)} }}" if own else ""
        w(f"class {name}{inh}{body}")

    # Attribute sizes: a handful cover a large share of the types, most are
    # small groups, some medium; memberships drawn so types have 0..many.
    sizes = []
    for a in range(NATTRS):
        r = rng.random()
        if r < 0.02:
            sizes.append(rng.randint(NTYPES // 5, NTYPES // 2))
        elif r < 0.20:
            sizes.append(rng.randint(30, 200))
        else:
            sizes.append(rng.randint(1, 30))
    members = [set(rng.sample(range(NTYPES), k)) for k in sizes]
    attrs_of = [[] for _ in range(NTYPES)]
    for a, m in enumerate(members):
        for t in m:
            attrs_of[t].append(a)
    w("attribute every_type;")
    for a in range(NATTRS):
        w(f"attribute at{a};")
    for t in range(NTYPES):
        attrs = ", ".join(["every_type"] + [f"at{a}" for a in sorted(attrs_of[t])])
        alias = f" alias ty{t}_alias" if t % 17 == 0 else ""
        w(f"type ty{t}{alias}, {attrs};")

    def endpoint():
        r = rng.random()
        if r < 0.6:
            return f"ty{rng.randrange(NTYPES)}"
        if r < 0.95:
            # Small attributes are used more than big ones, as in practice.
            a = rng.randrange(NATTRS)
            if sizes[a] > 200 and rng.random() < 0.7:
                a = rng.randrange(NATTRS)
            return f"at{a}"
        return f"{{ at{rng.randrange(NATTRS)} ty{rng.randrange(NTYPES)} }}"

    def permset(c):
        ps = perms(c)
        k = min(len(ps), rng.choice([1, 1, 2, 3, 4, 6]))
        chosen = rng.sample(ps, k)
        return chosen[0] if k == 1 else "{ " + " ".join(chosen) + " }"

    keys = set()
    n = 0
    while n < NALLOW:
        s, t, c = endpoint(), endpoint(), rng.randrange(len(classes))
        if rng.random() < 0.05:
            t = "self"
        keys.add((s, t, c))
        w(f"allow {s} {t}:{classes[c][0]} {permset(c)};")
        n += 1
    for _ in range(3000):
        c = rng.randrange(len(classes))
        kind = rng.choice(["auditallow", "dontaudit", "dontaudit"])
        w(f"{kind} {endpoint()} {endpoint()}:{classes[c][0]} {permset(c)};")

    for b in range(NBOOLS):
        w(f"bool bo{b} {'true' if rng.random() < 0.5 else 'false'};")
    for _ in range(NCONDS):
        b1, b2 = rng.randrange(NBOOLS), rng.randrange(NBOOLS)
        expr = rng.choice([f"bo{b1}", f"!bo{b1}", f"bo{b1} && bo{b2}", f"bo{b1} || !bo{b2}"])
        w(f"if ({expr}) {{")
        for _ in range(rng.randint(5, 20)):
            c = rng.randrange(len(classes))
            w(f"\tallow {endpoint()} {endpoint()}:{classes[c][0]} {permset(c)};")
        if rng.random() < 0.5:
            w("} else {")
            for _ in range(rng.randint(2, 10)):
                c = rng.randrange(len(classes))
                w(f"\tallow {endpoint()} {endpoint()}:{classes[c][0]} {permset(c)};")
        w("}")

    tt = set()
    for _ in range(3000):
        s, t, c = rng.randrange(NTYPES), rng.randrange(NTYPES), rng.randrange(len(classes))
        if (s, t, c) in tt:
            continue
        tt.add((s, t, c))
        w(f"type_transition ty{s} ty{t}:{classes[c][0]} ty{rng.randrange(NTYPES)};")

    w("role system_r;")
    w("role system_r types every_type;")
    w("role staff_r;")
    w(f"role staff_r types {{ {' '.join(f'at{a}' for a in range(0, NATTRS, 7))} }};")
    w("allow system_r staff_r;")
    w("user system_u roles { system_r staff_r };")
    w("user staff_u roles { staff_r };")
    w("constrain process { transition dyntransition } u1 == u2 or t1 == at0;")
    w("constrain file { f1 f2 } u1 == u2 or t1 == { at1 at2 } or r1 == system_r;")
    w("constrain dir { f3 } not ( t2 == at3 and u2 != system_u );")
    w("sid kernel system_u:system_r:ty0")
    w("sid init system_u:system_r:ty1")

    with open(argv[1], "w") as f:
        f.write("\n".join(out) + "\n")
    print(f"biggen: {NTYPES} types, {NATTRS + 1} attributes, {NALLOW} allow rules "
          f"({len(keys)} distinct source/target/class), {NBOOLS} booleans, "
          f"{NCONDS} conditionals, {len(tt)} type transitions", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
