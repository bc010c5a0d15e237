#!/usr/bin/env python3
"""Random policy.conf generator for the differential suite.

    gen.py SEED [--large] [OUTDIR]

writes OUTDIR/policy.conf (valid for checkpolicy), OUTDIR/av.queries,
OUTDIR/create.queries and OUTDIR/bools (one set of --bool flips per line);
without OUTDIR it prints the policy on stdout.  The runner imports
generate() directly to save a process per seed.

The generator keeps a small model of what it wrote (which concrete types
each type set means, which permissions the rules grant) only for the things
checkpolicy would otherwise reject: neverallow rules must not be violated,
type and role transitions must not conflict, multi-class rules must use
permissions every class has.  It never predicts an answer: answers come from
libsepol (sepolq) and are compared with polq.  It also keeps clear of two
checkpolicy defects that make SELinux's own answer contradict the source
(falsely merged conditions, four leading `!`); the edge cases
cond_merge.conf and cond_negations.conf pin those.
"""
import os
import random
import sys

# Exploration only (never used by make test): DIFF_GEN_AVOID=rdom,notop,rexcl
# leaves out features with a known disagreement, to look for others behind
# them.  rdom: dom/domby/incomp constraints; notop: `!` directly after a
# binary boolean operator; rexcl: `-` in `role R types`.
AVOID = set(os.environ.get("DIFF_GEN_AVOID", "").split(","))

# Generated names carry a prefix and a number (ty3, at1, ro0, us2, bo1, cl4),
# so none can collide with the grammar's keywords (dom, domby, incomp, u1..t3,
# self, not, and, or).


class Policy:
    """What the generator has declared so far, and a model of its rules."""

    def __init__(self, rng, size):
        self.rng = rng
        self.size = size
        self.out = []
        self.commons = []     # (name, [perms])
        self.classes = []     # (name, common index or None, own perms)
        self.types = []       # names
        self.aliases = {}     # alias -> type index
        self.attrs = []       # names
        self.members = []     # attr index -> set of type indices
        self.roles = []       # names, object_r excluded
        self.role_types = []  # role index -> set of type indices
        self.users = []       # (name, [role indices])
        self.bools = []       # (name, default)
        self.allowed = {}     # (src type, tgt type, class) -> perm bitmask
        self.type_rule_keys = {}  # kind -> {(s, t, c)}
        self.role_trans_keys = set()

    def emit(self, line=""):
        self.out.append(line)

    def perms(self, c):
        _, common, own = self.classes[c]
        inherited = self.commons[common][1] if common is not None else []
        return inherited + own

    def all_perm_mask(self, c):
        return (1 << len(self.perms(c))) - 1


# --- declarations --------------------------------------------------------

def declare_classes(p):
    rng = p.rng
    ncommons = rng.randint(1, 3)
    for i in range(ncommons):
        n = rng.randint(1, 12)
        p.commons.append((f"com{i}", [f"c{i}p{j}" for j in range(n)]))
    nclasses = rng.randint(2, 5) + (3 if p.size == "large" else 0)
    # libsepol finds `process` by name: it need not be the first class.
    proc_common = rng.choice([None, None, 0])
    own = ["transition", "dyntransition"] + [f"pp{j}" for j in range(rng.randint(0, 4))]
    rng.shuffle(own)
    p.classes.append(("process", proc_common, own))
    for i in range(1, nclasses):
        common = rng.choice([None] + list(range(ncommons)))
        inherited = len(p.commons[common][1]) if common is not None else 0
        if rng.random() < 0.15:
            nown = 32 - inherited  # a full 32-bit vector
        else:
            nown = rng.randint(0 if common is not None else 1, min(10, 32 - inherited))
        p.classes.append((f"cl{i}", common, [f"k{i}p{j}" for j in range(nown)]))
    if rng.random() < 0.3:
        rng.shuffle(p.classes)
    p.process = [c[0] for c in p.classes].index("process")

    for name, _, _ in p.classes:
        p.emit(f"class {name}")
    p.emit()
    nsids = rng.randint(1, 4)
    p.sids = ["kernel"] + [f"isid{i}" for i in range(1, nsids)]
    for s in p.sids:
        p.emit(f"sid {s}")
    p.emit()
    for name, perms in p.commons:
        p.emit(f"common {name} {{ {' '.join(perms)} }}")
    for name, common, own in p.classes:
        inh = f" inherits {p.commons[common][0]}" if common is not None else ""
        body = f" {{ {' '.join(own)} }}" if own else ""
        p.emit(f"class {name}{inh}{body}")
    p.emit()


def declare_types(p):
    rng = p.rng
    if p.size == "large":
        ntypes, nattrs = rng.randint(60, 120), rng.randint(10, 25)
    else:
        ntypes, nattrs = rng.randint(5, 40), rng.randint(0, 10)
    p.types = [f"ty{i}" for i in range(ntypes)]
    p.attrs = [f"at{i}" for i in range(nattrs)]
    p.members = [set() for _ in range(nattrs)]
    # Membership: some attributes empty, others of varied size.
    memberships = {t: set() for t in range(ntypes)}
    for a in range(nattrs):
        if rng.random() < 0.15:
            continue
        k = rng.randint(1, max(1, ntypes // rng.choice([1, 2, 4, 8])))
        for t in rng.sample(range(ntypes), min(k, ntypes)):
            memberships[t].add(a)
            p.members[a].add(t)

    for a in range(nattrs):
        p.emit(f"attribute {p.attrs[a]};")
    alias_no = 0
    late_attrs = []  # attributes given with typeattribute instead
    late_aliases = []
    for t in range(ntypes):
        decl = f"type {p.types[t]}"
        r = rng.random()
        if r < 0.15:
            name = f"al{alias_no}"
            alias_no += 1
            p.aliases[name] = t
            decl += f" alias {name}"
        elif r < 0.25:
            names = []
            for _ in range(rng.randint(1, 3)):
                names.append(f"al{alias_no}")
                p.aliases[f"al{alias_no}"] = t
                alias_no += 1
            decl += f" alias {{ {' '.join(names)} }}"
        elif r < 0.35:
            name = f"al{alias_no}"
            alias_no += 1
            p.aliases[name] = t
            late_aliases.append((t, name))
        attrs = sorted(memberships[t])
        inline = [a for a in attrs if rng.random() < 0.6]
        late = [a for a in attrs if a not in inline]
        if inline:
            decl += ", " + ", ".join(p.attrs[a] for a in inline)
        p.emit(decl + ";")
        if late:
            late_attrs.append((t, late))
    for t, name in late_aliases:
        p.emit(f"typealias {p.types[t]} alias {name};")
    for t, attrs in late_attrs:
        # Through an alias half of the time: typeattribute accepts either.
        tname = name_of_type(p, t)
        p.emit(f"typeattribute {tname} {', '.join(p.attrs[a] for a in attrs)};")
    p.emit()


def name_of_type(p, t):
    """A type's name, or one of its aliases now and then."""
    als = [a for a, v in p.aliases.items() if v == t]
    if als and p.rng.random() < 0.4:
        return p.rng.choice(als)
    return p.types[t]


def declare_bools(p):
    rng = p.rng
    n = rng.randint(0, 6) + (4 if p.size == "large" else 0)
    for i in range(n):
        p.bools.append((f"bo{i}", rng.random() < 0.5))
        p.emit(f"bool bo{i} {'true' if p.bools[-1][1] else 'false'};")
    p.emit()


# --- type sets -----------------------------------------------------------

def type_atom(p, allow_attr=True):
    """A name usable in a type set, and the concrete types it stands for."""
    rng = p.rng
    if allow_attr and p.attrs and rng.random() < 0.35:
        a = rng.randrange(len(p.attrs))
        return p.attrs[a], set(p.members[a])
    t = rng.randrange(len(p.types))
    return name_of_type(p, t), {t}


def type_set(p, allow_self=False, allow_star=False, allow_attr=True):
    """Returns (text, concrete types, uses_self).  checkpolicy takes `*` and
    `~` in type sets of neverallow rules only."""
    rng = p.rng
    alltypes = set(range(len(p.types)))
    r = rng.random()
    if allow_self and r < 0.12:
        if rng.random() < 0.6:
            return "self", set(), True
        text, types = type_atom(p, allow_attr)
        return f"{{ {text} self }}", types, True
    if allow_star and r < 0.16:
        return "*", alltypes, False
    if allow_star and r < 0.24:
        text, types = type_atom(p, allow_attr)
        if rng.random() < 0.5:
            return f"~{text}", alltypes - types, False
        t2, types2 = type_atom(p, allow_attr)
        return f"~{{ {text} {t2} }}", alltypes - types - types2, False
    if r < 0.55:
        text, types = type_atom(p, allow_attr)
        return text, types, False
    pos, neg = [], []
    want = set()
    for _ in range(rng.randint(1, 4)):
        text, types = type_atom(p, allow_attr)
        pos.append(text)
        want |= types
    drop = set()
    if rng.random() < 0.4:
        for _ in range(rng.randint(1, 2)):
            text, types = type_atom(p, allow_attr)
            neg.append("-" + text)
            drop |= types
    return f"{{ {' '.join(pos + neg)} }}", want - drop, False


# --- permission sets -----------------------------------------------------

def class_choice(p):
    """One class, or several classes that share their first permissions."""
    rng = p.rng
    c = rng.randrange(len(p.classes))
    if rng.random() < 0.25:
        common = p.classes[c][1]
        if common is not None:
            same = [i for i, cl in enumerate(p.classes) if cl[1] == common]
            if len(same) > 1:
                chosen = rng.sample(same, rng.randint(2, len(same)))
                return chosen
    return [c]


def perm_set(p, classes, allow_star=True, allow_tilde=True):
    """Returns (text, {class: mask}) for perms every class in `classes` has."""
    rng = p.rng
    if len(classes) > 1:
        usable = p.commons[p.classes[classes[0]][1]][1]
    else:
        usable = p.perms(classes[0])
    r = rng.random()
    if allow_star and r < 0.08:
        return "*", {c: p.all_perm_mask(c) for c in classes}
    k = rng.randint(1, min(4, len(usable)))
    chosen = rng.sample(range(len(usable)), k)
    mask = 0
    for b in chosen:
        mask |= 1 << b
    names = [usable[b] for b in chosen]
    text = names[0] if k == 1 and rng.random() < 0.5 else f"{{ {' '.join(names)} }}"
    if allow_tilde and r < 0.16:
        return f"~{text}", {c: p.all_perm_mask(c) & ~mask for c in classes}
    return text, {c: mask for c in classes}


def class_text(p, classes):
    names = [p.classes[c][0] for c in classes]
    return names[0] if len(names) == 1 else f"{{ {' '.join(names)} }}"


# --- rules ---------------------------------------------------------------

def record_allow(p, src, tgt, uses_self, masks):
    for s in src:
        targets = set(tgt)
        if uses_self:
            targets.add(s)
        for t in targets:
            for c, m in masks.items():
                p.allowed[(s, t, c)] = p.allowed.get((s, t, c), 0) | m


def av_rule(p, kinds=("allow", "allow", "allow", "auditallow", "dontaudit")):
    rng = p.rng
    kind = rng.choice(kinds)
    stext, src, _ = type_set(p)
    ttext, tgt, uses_self = type_set(p, allow_self=True)
    classes = class_choice(p)
    ptext, masks = perm_set(p, classes)
    if kind == "allow":
        record_allow(p, src, tgt, uses_self, masks)
    return f"{kind} {stext} {ttext}:{class_text(p, classes)} {ptext};"


def type_rule(p):
    """type_transition / type_member / type_change whose keys no earlier
    type rule of the same kind has: checkpolicy rejects conflicts."""
    rng = p.rng
    kind = rng.choice(["type_transition", "type_transition", "type_member", "type_change"])
    keys = p.type_rule_keys.setdefault(kind, set())
    for _ in range(10):
        stext, src, _ = type_set(p)
        ttext, tgt, _ = type_set(p)
        classes = class_choice(p)
        new = {(s, t, c) for s in src for t in tgt for c in classes}
        if not new or new & keys:
            continue
        keys |= new
        dflt = name_of_type(p, rng.randrange(len(p.types)))
        return f"{kind} {stext} {ttext}:{class_text(p, classes)} {dflt};"
    return None


def cond_expr(p, depth=0):
    rng = p.rng
    if depth > 2 or rng.random() < 0.35:
        return [rng.choice(p.bools)[0]]
    op = rng.choice(["!", "&&", "||", "^", "==", "!="])
    if op == "!":
        inner = cond_expr(p, depth + 1)
        return ["!"] + wrap(p, inner)
    left, right = cond_expr(p, depth + 1), cond_expr(p, depth + 1)
    right = wrap(p, right)
    if "notop" in AVOID and right[0] == "!":
        right = ["("] + right + [")"]
    return wrap(p, left) + [op] + right


def wrap(p, tokens):
    # Parentheses only sometimes: without them the grammar's precedence
    # decides the meaning, and both compilers must decide alike.
    if len(tokens) > 1 and p.rng.random() < 0.7:
        return ["("] + tokens + [")"]
    return tokens


# How checkpolicy reads a condition: `!` binds looser than `==`/`!=` and
# tighter than `&&`, then `^`, then `||`; binary operators associate left.
COND_PREC = {"||": 1, "^": 2, "&&": 3, "==": 5, "!=": 5}
NOT_OPERAND_PREC = 5
COND_MAX_BOOLS = 5


def parse_cond(tokens):
    pos = [0]

    def peek():
        return tokens[pos[0]] if pos[0] < len(tokens) else None

    def take():
        pos[0] += 1
        return tokens[pos[0] - 1]

    def primary():
        tok = take()
        if tok == "(":
            e = expr(0)
            take()  # ")"
            return e
        if tok == "!":
            return ("!", expr(NOT_OPERAND_PREC))
        return ("bool", tok)

    def expr(min_prec):
        lhs = primary()
        while peek() in COND_PREC and COND_PREC[peek()] >= min_prec:
            op = take()
            lhs = (op, lhs, expr(COND_PREC[op] + 1))
        return lhs

    return expr(0)


def eval_cond(tree, env):
    op = tree[0]
    if op == "bool":
        return env[tree[1]]
    if op == "!":
        return not eval_cond(tree[1], env)
    a, b = eval_cond(tree[1], env), eval_cond(tree[2], env)
    return {"||": a or b, "&&": a and b, "^": a != b, "==": a == b, "!=": a != b}[op]


def cond_signature(tokens):
    """What checkpolicy uses to decide that two conditions are the same one
    (libsepol's cond_normalize_expr / cond_expr_equal), next to what the
    condition really means.  checkpolicy drops a leading `!` (swapping the
    branches), lists the booleans in order of first appearance, and keeps
    the truth table indexed by that order; two conditions with the same set
    of booleans and the same table are merged into one, even when the orders
    differ and so the functions differ."""
    tree = parse_cond(tokens)
    if tree[0] == "!":
        tree = tree[1]
    order = []
    for tok in tokens:
        if tok not in COND_PREC and tok not in ("!", "(", ")") and tok not in order:
            order.append(tok)
    if len(order) > COND_MAX_BOOLS:
        return None  # compared as exact expressions: no false merge
    table = 0
    for i in range(1 << len(order)):
        env = {b: bool(i >> j & 1) for j, b in enumerate(order)}
        table |= int(eval_cond(tree, env)) << i
    canon = sorted(order)
    meaning = 0
    for i in range(1 << len(canon)):
        env = {b: bool(i >> j & 1) for j, b in enumerate(canon)}
        meaning |= int(eval_cond(tree, env)) << i
    return frozenset(order), table, meaning


def root_negations(tokens):
    """How many `!` stack at the top of the condition (parentheses aside)."""
    tree, n = parse_cond(tokens), 0
    while tree[0] == "!":
        tree, n = tree[1], n + 1
    return n


def falsely_merged(sig, seen):
    """True if checkpolicy would merge this condition into an earlier one
    that means something else: a checkpolicy bug (see cond_signature), so
    the generator stays clear of it; tests/policy/edge/cond_merge.conf
    documents it."""
    if sig is None:
        return False
    return any(o is not None and o[0] == sig[0] and o[1] == sig[1] and o[2] != sig[2]
               for o in seen)


def conditionals(p):
    rng = p.rng
    if not p.bools:
        return
    nconds = rng.randint(1, 5) + (6 if p.size == "large" else 0)
    seen = []
    for _ in range(nconds):
        for _ in range(20):
            tokens = cond_expr(p)
            sig = cond_signature(tokens)
            # checkpolicy strips a leading `!` at each of four passes and
            # the last strip forgets to swap the branches: two or more
            # leading `!` change the table it merges by, four invert the
            # condition (tests/policy/edge/cond_negations.conf).
            if not falsely_merged(sig, seen) and root_negations(tokens) <= 1:
                break
        else:
            tokens = [p.bools[0][0]]
            sig = cond_signature(tokens)
        seen.append(sig)
        expr = " ".join(tokens)
        p.emit(f"if ({expr}) {{")
        branch_type_rules = []
        for _ in range(rng.randint(1, 4)):
            if rng.random() < 0.8:
                p.emit("\t" + av_rule(p))
            else:
                r = type_rule(p)
                if r:
                    p.emit("\t" + r)
                    branch_type_rules.append(r)
        if rng.random() < 0.6:
            p.emit("} else {")
            # The same key in both branches with different new types is not
            # a conflict: only one branch is ever enabled.
            for r in branch_type_rules:
                if rng.random() < 0.5:
                    head = r[:-1].rsplit(" ", 1)[0]
                    p.emit(f"\t{head} {name_of_type(p, rng.randrange(len(p.types)))};")
            for _ in range(rng.randint(1, 3)):
                if rng.random() < 0.8:
                    p.emit("\t" + av_rule(p))
                else:
                    r = type_rule(p)
                    if r:
                        p.emit("\t" + r)
        p.emit("}")
    p.emit()


def neverallows(p, n):
    """Neverallow rules that the generated allows do not violate."""
    rng = p.rng
    lines = []
    for _ in range(n):
        stext, src, _ = type_set(p, allow_star=True)
        ttext, tgt, uses_self = type_set(p, allow_self=True, allow_star=True)
        if not src:
            continue
        c = rng.randrange(len(p.classes))
        granted = 0
        for s in src:
            targets = {s} if uses_self and ttext == "self" else set(tgt) | ({s} if uses_self else set())
            for t in targets:
                granted |= p.allowed.get((s, t, c), 0)
        free = [b for b in range(len(p.perms(c))) if not granted >> b & 1]
        if not free:
            continue
        chosen = rng.sample(free, rng.randint(1, min(3, len(free))))
        names = " ".join(p.perms(c)[b] for b in chosen)
        lines.append(f"neverallow {stext} {ttext}:{p.classes[c][0]} {{ {names} }};")
    return lines


def violated_neverallow(p):
    """A neverallow that some allow rule violates, written through an
    attribute when the source type has one."""
    if not p.allowed:
        return None
    (s, t, c), mask = p.rng.choice(sorted(p.allowed.items()))
    if not mask:
        return None
    b = min(i for i in range(32) if mask >> i & 1)
    attrs = [a for a in range(len(p.attrs)) if s in p.members[a]]
    src = p.attrs[p.rng.choice(attrs)] if attrs and p.rng.random() < 0.7 else name_of_type(p, s)
    return f"neverallow {src} {name_of_type(p, t)}:{p.classes[c][0]} {p.perms(c)[b]};"


# --- RBAC ----------------------------------------------------------------

def declare_roles(p):
    rng = p.rng
    nroles = rng.randint(1, 5)
    p.roles = [f"ro{i}" for i in range(nroles)]
    for i, r in enumerate(p.roles):
        p.emit(f"role {r};")
        # One plain type first, so every role has a valid context.
        t = rng.randrange(len(p.types))
        p.emit(f"role {r} types {name_of_type(p, t)};")
        types, excluded = {t}, set()
        for _ in range(rng.randint(0, 3)):
            parts = []
            for _ in range(rng.randint(1, 4)):
                text, ts = type_atom(p)
                parts.append(text)
                types |= ts
            # An exclusion applies to the role as a whole, whichever
            # statement carries it (tests/policy/edge/role_types_exclusion).
            if rng.random() < 0.25 and "rexcl" not in AVOID:
                text, ts = type_atom(p)
                if t not in ts:
                    parts.append("-" + text)
                    excluded |= ts
            p.emit(f"role {r} types {{ {' '.join(parts)} }};")
        p.role_types.append(types - excluded)
    # Role allows: process transitions between these are not refused by RBAC.
    def role_set():
        chosen = rng.sample(range(nroles), rng.randint(1, min(3, nroles)))
        names = [p.roles[i] for i in chosen]
        text = names[0] if len(names) == 1 else f"{{ {' '.join(names)} }}"
        return text, chosen

    for _ in range(rng.randint(0, nroles)):
        (a, _), (b, _) = role_set(), role_set()
        p.emit(f"allow {a} {b};")
    # Role transitions, with and without a class, from one role or several.
    for _ in range(rng.randint(0, 4)):
        rtext, rs = role_set()
        ttext, types, _ = type_set(p)
        if rng.random() < 0.5:
            classes = [p.process]
            ctext = ""
        else:
            classes = class_choice(p)
            ctext = ":" + class_text(p, classes)
        keys = {(r, t, c) for r in rs for t in types for c in classes}
        if not keys or keys & p.role_trans_keys:
            continue
        p.role_trans_keys |= keys
        new = rng.randrange(nroles)
        p.emit(f"role_transition {rtext} {ttext}{ctext} {p.roles[new]};")
    p.emit()


def declare_users(p):
    rng = p.rng
    nusers = rng.randint(1, 4)
    for i in range(nusers):
        roles = rng.sample(range(len(p.roles)), rng.randint(1, len(p.roles)))
        p.users.append((f"us{i}", roles))
        names = [p.roles[r] for r in roles]
        if rng.random() < 0.2:
            names.append("object_r")
        p.emit(f"user us{i} roles {{ {' '.join(names)} }};")
    p.emit()


def constraint_prim(p):
    rng = p.rng
    kind = rng.choice(["uu", "rr", "tt", "un", "rn", "tn", "rdom"])
    if kind == "rdom" and "rdom" in AVOID:
        kind = "rr"
    op = rng.choice(["==", "!="])
    if kind == "uu":
        return f"u1 {op} u2"
    if kind == "rr":
        return f"r1 {op} r2"
    if kind == "tt":
        return f"t1 {op} t2"
    if kind == "rdom":
        return f"r1 {rng.choice(['dom', 'domby', 'incomp'])} r2"
    side = rng.choice(["1", "2"])
    if kind == "un":
        names = rng.sample([u for u, _ in p.users], rng.randint(1, len(p.users)))
        return f"u{side} {op} {{ {' '.join(names)} }}"
    if kind == "rn":
        names = rng.sample(p.roles + ["object_r"], rng.randint(1, min(3, len(p.roles) + 1)))
        return f"r{side} {op} {{ {' '.join(names)} }}"
    names = [type_atom(p)[0] for _ in range(rng.randint(1, 3))]
    if len(names) == 1 and rng.random() < 0.5:
        return f"t{side} {op} {names[0]}"
    return f"t{side} {op} {{ {' '.join(names)} }}"


# checkpolicy refuses constraint expressions whose evaluation stack would
# exceed libsepol's CEXPR_MAXDEPTH.
CEXPR_MAXDEPTH = 5


def constraint_tree(p, depth=0):
    rng = p.rng
    if depth > 2 or rng.random() < 0.4:
        return ("prim", constraint_prim(p))
    op = rng.choice(["not", "and", "or"])
    if op == "not":
        return ("not", constraint_tree(p, depth + 1))
    return (op, constraint_tree(p, depth + 1), constraint_tree(p, depth + 1))


def stack_depth(tree):
    if tree[0] == "prim":
        return 1
    if tree[0] == "not":
        return stack_depth(tree[1])
    return max(stack_depth(tree[1]), stack_depth(tree[2]) + 1)


def needs_parens(parent, child, right):
    """Whether printing child without parentheses would make the grammar
    (`not` binds tightest, then `and`, then `or`, both left-associative)
    build a different tree."""
    if child[0] in ("prim", "not"):
        return False
    if parent == "not":
        return True
    if parent == "and":
        return child[0] == "or" or right
    return child[0] == "or" and right


def constraint_text(p, tree):
    if tree[0] == "prim":
        return tree[1]

    def sub(child, right=False):
        text = constraint_text(p, child)
        if needs_parens(tree[0], child, right) or (child[0] != "prim" and p.rng.random() < 0.5):
            return f"( {text} )"
        return text

    if tree[0] == "not":
        return f"not {sub(tree[1])}"
    return f"{sub(tree[1])} {tree[0]} {sub(tree[2], True)}"


def constraint_expr(p):
    while True:
        tree = constraint_tree(p)
        if stack_depth(tree) <= CEXPR_MAXDEPTH:
            return constraint_text(p, tree)


def constraints(p):
    rng = p.rng
    for _ in range(rng.randint(0, 4)):
        classes = class_choice(p)
        ptext, _ = perm_set(p, classes, allow_star=False, allow_tilde=False)
        p.emit(f"constrain {class_text(p, classes)} {ptext} {constraint_expr(p)};")
    p.emit()


def valid_contexts(p):
    out = []
    for u, roles in p.users:
        for r in roles:
            for t in sorted(p.role_types[r]):
                out.append((u, r, t))
    return out


def sid_contexts(p):
    ctxs = valid_contexts(p)
    for s in p.sids:
        u, r, t = p.rng.choice(ctxs)
        p.emit(f"sid {s} {u}:{p.roles[r]}:{p.types[t]}")


# --- queries -------------------------------------------------------------

def random_context(p, valid):
    rng = p.rng
    r = rng.random()
    if r < 0.70 and valid:
        u, ro, t = rng.choice(valid)
        return f"{u}:{p.roles[ro]}:{name_of_type(p, t)}"
    if r < 0.88:
        u = rng.choice(p.users)[0]
        return f"{u}:object_r:{name_of_type(p, rng.randrange(len(p.types)))}"
    # Mostly invalid: unauthorised or unknown parts, attributes as types.
    u = rng.choice(p.users)[0]
    ro = rng.choice(p.roles)
    t = name_of_type(p, rng.randrange(len(p.types)))
    k = rng.randrange(7)
    if k == 0:
        u = "nouser"
    elif k == 1:
        ro = "norole"
    elif k == 2:
        t = "notype"
    elif k == 3 and p.attrs:
        t = rng.choice(p.attrs)
    elif k == 4:
        return f"{u}:{ro}"
    return f"{u}:{ro}:{t}"


def context_for_type(p, t, by_type):
    """A context with type t: an authorised one when some role has t."""
    rng = p.rng
    if by_type.get(t) and rng.random() < 0.8:
        u, ro, _ = rng.choice(by_type[t])
        return f"{u}:{p.roles[ro]}:{name_of_type(p, t)}"
    return f"{rng.choice(p.users)[0]}:object_r:{name_of_type(p, t)}"


def queries(p, n, hot_keys):
    """Random queries, a share of them aimed at keys some rule wrote
    (hot_keys: (source type, target type, class) triples), since random
    pairs mostly miss the rules in a sparse policy."""
    rng = p.rng
    valid = valid_contexts(p)
    by_type = {}
    for u, ro, t in valid:
        by_type.setdefault(t, []).append((u, ro, t))
    hot = sorted(hot_keys)
    lines = []
    for _ in range(n):
        if hot and rng.random() < 0.45:
            st, tt, c = rng.choice(hot)
            s, t = context_for_type(p, st, by_type), context_for_type(p, tt, by_type)
            lines.append(f"{s} {t} {p.classes[c][0]}")
            continue
        s, t = random_context(p, valid), random_context(p, valid)
        c = rng.randrange(len(p.classes))
        cname = "noclass" if rng.random() < 0.02 else p.classes[c][0]
        if rng.random() < 0.25:
            cname = "process"
        lines.append(f"{s} {t} {cname}")
    return lines


def bool_flips(p, n):
    rng = p.rng
    flips = []
    for _ in range(n):
        if not p.bools:
            break
        chosen = rng.sample(p.bools, rng.randint(1, len(p.bools)))
        flips.append([f"{b}={rng.choice(['true', 'false', '1', '0'])}" for b, _ in chosen])
    return flips


def create_keys(p):
    keys = set()
    for k in p.type_rule_keys.values():
        keys |= k
    return keys


def role_transition_queries(p, n):
    """--create queries whose source has the role of a role_transition and
    whose target has its type, so the rule is actually exercised."""
    rng = p.rng
    valid = valid_contexts(p)
    by_type = {}
    for u, ro, t in valid:
        by_type.setdefault(t, []).append((u, ro, t))
    rules = sorted(p.role_trans_keys)
    lines = []
    for _ in range(n if rules else 0):
        r, t, c = rng.choice(rules)
        sources = [(u, ro, st) for u, ro, st in valid if ro == r]
        if not sources:
            continue
        u, _, st = rng.choice(sources)
        s = f"{u}:{p.roles[r]}:{name_of_type(p, st)}"
        lines.append(f"{s} {context_for_type(p, t, by_type)} {p.classes[c][0]}")
    return lines


# --- the whole policy ----------------------------------------------------

def generate(seed, size=None):
    """Returns a dict: conf, negative (a policy both compilers must reject, or
    None), av (query lines), create (query lines), flips (lists of NAME=VALUE)."""
    rng = random.Random(seed)
    if size is None:
        size = "large" if seed % 50 == 49 else "small"
    p = Policy(rng, size)
    p.emit(f"# generated by tests/policy/diff/gen.py, seed {seed} ({size})")
    declare_classes(p)
    declare_types(p)
    declare_bools(p)
    # libsepol refuses to load a policy whose unconditional rule table is
    # empty (as the kernel does), and rules on empty sets add nothing: one
    # plain rule keeps every policy loadable.
    t, c = rng.randrange(len(p.types)), rng.randrange(len(p.classes))
    p.emit(f"allow {p.types[t]} {p.types[t]}:{p.classes[c][0]} {p.perms(c)[0]};")
    record_allow(p, {t}, {t}, False, {c: 1})
    nrules = rng.randint(5, 40) if size == "small" else rng.randint(300, 600)
    for _ in range(nrules):
        p.emit(av_rule(p))
    for _ in range(rng.randint(0, 6) + (20 if size == "large" else 0)):
        r = type_rule(p)
        if r:
            p.emit(r)
    conditionals(p)
    for t in rng.sample(range(len(p.types)), rng.randint(0, 2)):
        p.emit(f"permissive {name_of_type(p, t)};")
    declare_roles(p)
    # Neverallows go last in TE so they see every allow rule the model knows.
    for line in neverallows(p, rng.randint(0, 4)):
        p.emit(line)
    te_end = len(p.out)
    declare_users(p)
    constraints(p)
    sid_contexts(p)
    conf = "\n".join(p.out) + "\n"

    negative = None
    bad = violated_neverallow(p)
    if bad:
        neg = p.out[:te_end] + [bad] + p.out[te_end:]
        negative = "\n".join(neg) + "\n"

    nq = 150 if size == "small" else 2000
    return {
        "conf": conf,
        "negative": negative,
        "av": queries(p, nq, p.allowed.keys()),
        "create": queries(p, nq // 3, create_keys(p)) + role_transition_queries(p, nq // 10),
        "flips": bool_flips(p, 2),
    }


def write_case(g, outdir):
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "policy.conf"), "w") as f:
        f.write(g["conf"])
    if g["negative"]:
        with open(os.path.join(outdir, "negative.conf"), "w") as f:
            f.write(g["negative"])
    with open(os.path.join(outdir, "av.queries"), "w") as f:
        f.write("\n".join(g["av"]) + "\n")
    with open(os.path.join(outdir, "create.queries"), "w") as f:
        f.write("\n".join(g["create"]) + "\n")
    with open(os.path.join(outdir, "bools"), "w") as f:
        for flips in g["flips"]:
            f.write(" ".join(flips) + "\n")


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    if not args:
        print("usage: gen.py SEED [--large] [OUTDIR]", file=sys.stderr)
        return 2
    g = generate(int(args[0]), "large" if "--large" in argv else None)
    if len(args) > 1:
        write_case(g, args[1])
    else:
        sys.stdout.write(g["conf"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
