#!/usr/bin/env python3
"""bin2c.py NAME IN OUT: a binary file as `const unsigned char NAME[]` and
`const unsigned long NAME_size`, 8-byte aligned (the policy reader needs 4)."""
import sys

name, src, out = sys.argv[1:4]
data = open(src, "rb").read()
with open(out, "w") as f:
    f.write(f"/* Generated from {src} by policyd/bin2c.py. */\n")
    f.write(f"const unsigned char {name}[] __attribute__((aligned(8))) = {{\n")
    for i in range(0, len(data), 16):
        f.write("\t" + ", ".join(str(b) for b in data[i:i + 16]) + ",\n")
    f.write("};\n")
    f.write(f"const unsigned long {name}_size = {len(data)};\n")
