"""An initramfs written directly as a newc cpio archive.

Writing the archive ourselves (instead of staging a directory for cpio)
lets the image hold device nodes and root-owned files without root, and
gives identical bytes for identical inputs.  Also: which kernel modules to
copy, from the dependencies each module records in its .modinfo section.
"""
import os
import stat
import struct

NEWC_MAGIC = b"070701"


class Tree:
    """The files of an initramfs, in the order the kernel will unpack them."""

    def __init__(self):
        self.entries = []  # (name, mode, data, rdev_major, rdev_minor)
        self.names = set()

    def _add(self, name, mode, data=b"", rmaj=0, rmin=0):
        name = name.strip("/")
        if name in self.names:
            raise ValueError(f"initramfs: {name} added twice")
        # The kernel creates nothing implicitly: every parent must come first.
        parent = os.path.dirname(name)
        if parent and parent not in self.names:
            self.directory(parent)
        self.names.add(name)
        self.entries.append((name, mode, data, rmaj, rmin))

    def directory(self, name, perm=0o755):
        name = name.strip("/")
        if name in self.names:
            return
        self._add(name, stat.S_IFDIR | perm)

    def data(self, name, data, perm):
        self._add(name, stat.S_IFREG | perm, data)

    def file(self, name, path, perm):
        with open(path, "rb") as f:
            self.data(name, f.read(), perm)

    def symlink(self, name, target):
        self._add(name, stat.S_IFLNK | 0o777, target.encode())

    def char_device(self, name, major, minor, perm):
        self._add(name, stat.S_IFCHR | perm, b"", major, minor)

    def cpio(self):
        out = bytearray()
        for ino, (name, mode, data, rmaj, rmin) in enumerate(self.entries, 1):
            _entry(out, ino, name, mode, data, rmaj, rmin)
        _entry(out, 0, "TRAILER!!!", 0, b"", 0, 0)
        return bytes(out)


def _pad4(out):
    out.extend(b"\0" * (-len(out) % 4))


def _entry(out, ino, name, mode, data, rmaj, rmin):
    nlink = 2 if stat.S_ISDIR(mode) else 1
    raw = name.encode() + b"\0"
    fields = (ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rmaj, rmin, len(raw), 0)
    out.extend(NEWC_MAGIC + b"".join(b"%08X" % v for v in fields))
    out.extend(raw)
    _pad4(out)
    out.extend(data)
    _pad4(out)


def _modinfo(data):
    """The key=value strings of an ELF64 little-endian module's .modinfo."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not an ELF64 little-endian module")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    if shoff + shnum * shentsize > len(data) or shstrndx >= shnum:
        raise ValueError("section table outside the file")

    def section(i):
        name, _, _, _, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
        if off + size > len(data):
            raise ValueError("section outside the file")
        return name, off, size

    _, stroff, strsize = section(shstrndx)
    for i in range(shnum):
        name, off, size = section(i)
        end = data.find(b"\0", stroff + name, stroff + strsize)
        if data[stroff + name:end] == b".modinfo":
            return [s.decode("utf-8", "replace") for s in data[off:off + size].split(b"\0") if s]
    return []


def _index(moddir):
    """module name -> path relative to moddir (names use '_' for '-')."""
    index = {}
    for root, _, files in os.walk(os.path.join(moddir, "kernel")):
        for f in files:
            if f.endswith(".ko"):
                rel = os.path.relpath(os.path.join(root, f), moddir)
                index[f[:-3].replace("-", "_")] = rel
    return index


def _depends(moddir, rel):
    with open(os.path.join(moddir, rel), "rb") as f:
        data = f.read()
    try:
        info = _modinfo(data)
    except ValueError as e:
        raise ValueError(f"{rel}: {e}") from None
    for kv in info:
        if kv.startswith("depends="):
            return [d.replace("-", "_") for d in kv[len("depends="):].split(",") if d], data
    return [], data


def _closure(moddir, wanted):
    """(name, rel, data, deps) for wanted modules and all they depend on,
    dependencies first."""
    index = _index(moddir)
    order, seen = [], {}

    def visit(name, chain):
        if name in seen:
            return
        if name in chain:
            raise ValueError(f"module dependency cycle: {' -> '.join(chain + [name])}")
        if name not in index:
            raise ValueError(f"module {name} is not in {moddir}")
        deps, data = _depends(moddir, index[name])
        for d in deps:
            visit(d, chain + [name])
        seen[name] = True
        order.append((name, index[name], data, deps))

    for w in wanted:
        visit(w, [])
    return order, index


def module_closure(moddir, wanted):
    """(path relative to moddir, bytes) of each module needed."""
    order, _ = _closure(moddir, wanted)
    return [(rel, data) for _, rel, data, _ in order]


def modules_dep(moddir, wanted):
    """modules.dep in depmod's format, for busybox modprobe."""
    order, index = _closure(moddir, wanted)
    lines = []
    for _, rel, _, deps in order:
        # depmod lists the full transitive set, nearest first.
        full, stack = [], list(deps)
        while stack:
            d = stack.pop(0)
            if index[d] not in full:
                full.append(index[d])
                stack.extend(_closure(moddir, [d])[0][-1][3])
        lines.append(f"{rel}: {' '.join(full)}".rstrip())
    return "\n".join(lines) + "\n"
