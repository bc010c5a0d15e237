#!/usr/bin/env python3
"""Seeds for fuzz_vblk: a guest that brings the device up and makes a
write, a read and a flush request (the input format is fuzz_vblk.c's),
each also in the deferred mode with the serve between the two notifies.
usage: tests/blk/fuzz-seeds.py OUTDIR"""
import os
import struct
import sys

RAM = 0x40000000


def op(offset, value, write=True, ram_addr=False, flags=0):
    return struct.pack("<HBBI", offset, 2, (1 if write else 0) | (2 if ram_addr else 0) | flags, value)


def seed(req_type, data_flags, deferred=False):
    ops = [op(0x70, 0, flags=8 if deferred else 0), op(0x70, 3), op(0x24, 1), op(0x20, 1), op(0x24, 0), op(0x20, 1 << 9),
           op(0x70, 11), op(0x30, 0), op(0x38, 8), op(0x80, 0x0000, ram_addr=True),
           op(0x90, 0x1000, ram_addr=True), op(0xa0, 0x2000, ram_addr=True), op(0x44, 1), op(0x70, 15),
           op(0x50, 0), op(0x50, 0, flags=4 if deferred else 0)]
    ram = bytearray(0x5000)
    desc = [(RAM + 0x3000, 16, 1, 1), (RAM + 0x4000, 1024, 1 | data_flags, 2), (RAM + 0x3100, 1, 2, 0)]
    for i, d in enumerate(desc):
        struct.pack_into("<QIHH", ram, 16 * i, *d)
    struct.pack_into("<HHH", ram, 0x1000, 0, 1, 0)  # flags, idx = 1, ring[0] = head 0
    struct.pack_into("<IIQ", ram, 0x3000, req_type, 0, 2)
    return b"".join(ops) + b"\xff" + bytes(ram)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, t, f in [("write", 1, 0), ("read", 0, 2), ("flush", 4, 0), ("getid", 8, 2)]:
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(seed(t, f))
        with open(os.path.join(out, name + "-deferred"), "wb") as fh:
            fh.write(seed(t, f, deferred=True))


if __name__ == "__main__":
    main()
