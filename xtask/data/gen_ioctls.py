#!/usr/bin/env python3
"""Generates tracer/src/decode/ioctl_names.rs: every ioctl request the machine's kernel UAPI
headers define, by value, for naming ioctl's second argument.

Each header under /usr/include's kernel directories is scanned for macros defined with
_IO/_IOR/_IOW/_IOWR (and the terminal and socket requests, plain numbers in their own
headers); a C program that includes the header then prints each macro's value, so every
number is the compiler's, not this script's. A header that does not compile on its own is
tried after <sys/types.h> and <linux/types.h>, then left out.

Run: python3 xtask/data/gen_ioctls.py > tracer/src/decode/ioctl_names.rs
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = "/usr/include"
DIRS = ["linux", "asm-generic", "x86_64-linux-gnu/asm", "sound", "mtd", "rdma", "scsi",
        "misc", "video", "drm", "xen"]
# `_IOWR(...)`, or a family's own wrapper of it (`SECCOMP_IOWR(...)`, soundcard.h's `_SIOWR`).
IOC = re.compile(r"^\s*#\s*define\s+([A-Z][A-Z0-9_]*)\s+(?:[A-Z][A-Z0-9]*)?_S?IO(?:R|W|WR|C)?\s*\(", re.M)
# Requests that are plain numbers: terminals (asm-generic/ioctls.h) and sockets (sockios.h).
PLAIN = {
    "asm-generic/ioctls.h": re.compile(r"^\s*#\s*define\s+((?:TC|TIOC|FIO)[A-Z0-9_]*)\s+0x54[0-9a-fA-F]{2}\b", re.M),
    "linux/sockios.h": re.compile(r"^\s*#\s*define\s+((?:SIOC|FIO)[A-Z0-9_]*)\s+0x[0-9a-fA-F]+\b", re.M),
    "asm-generic/sockios.h": re.compile(r"^\s*#\s*define\s+((?:SIOC|FIO)[A-Z0-9_]*)\s+0x[0-9a-fA-F]+\b", re.M),
    "linux/kd.h": re.compile(r"^\s*#\s*define\s+([A-Z][A-Z0-9_]*)\s+0x4[bB][0-9a-fA-F]{2}\b", re.M),
    "linux/hdreg.h": re.compile(r"^\s*#\s*define\s+(HDIO_[A-Z0-9_]*)\s+0x03[0-9a-fA-F]{2}\b", re.M),
    "linux/vt.h": re.compile(r"^\s*#\s*define\s+(VT_[A-Z0-9_]*)\s+0x56[0-9a-fA-F]{2}\b", re.M),
    "scsi/sg.h": re.compile(r"^\s*#\s*define\s+(SG_[A-Z0-9_]*)\s+0x22[0-9a-fA-F]{2}\b", re.M),
    "linux/loop.h": re.compile(r"^\s*#\s*define\s+(LOOP_[A-Z0-9_]*)\s+0x4[cC][0-9a-fA-F]{2}\b", re.M),
    "linux/cdrom.h": re.compile(r"^\s*#\s*define\s+(CDROM[A-Z0-9_]*)\s+0x53[0-9a-fA-F]{2}\b", re.M),
}
# What a header may need before it (its request macros, the types their sizes name).
PRE = [
    "#include <sys/types.h>\n#include <linux/types.h>\n#include <linux/ioctl.h>\n",
    "#include <sys/types.h>\n#include <sys/socket.h>\n#include <sys/time.h>\n#include <stdint.h>\n"
    "#include <linux/types.h>\n#include <linux/ioctl.h>\n#include <asm/termbits.h>\n",
    "",
]
# Headers whose requests name a structure another header defines.
EXTRA = {"linux/fs.h": "#include <linux/fiemap.h>\n"}
# Requests strace still names that today's headers define no more, as their header did
# (`SECCOMP_IOR(2, __u64)`: the ID_VALID request with the wrong direction bits, which old
# programs still send); compiled like the others.
RETIRED = {"SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR": ("linux/seccomp.h", "SECCOMP_IOR(2, __u64)")}
# Macros that name a range or a helper, not a request.
SKIP = re.compile(r"(_BASE|_MAGIC|_TYPE|_FIRST|_LAST)$")


def headers():
    for d in DIRS:
        top = os.path.join(ROOT, d)
        for dirpath, _, files in os.walk(top):
            for f in sorted(files):
                if f.endswith(".h"):
                    full = os.path.join(dirpath, f)
                    yield os.path.relpath(full, ROOT).replace("x86_64-linux-gnu/", "")


def names_in(rel):
    path = os.path.join(ROOT, rel)
    if not os.path.exists(path):
        path = os.path.join(ROOT, "x86_64-linux-gnu", rel)
    text = open(path, errors="replace").read()
    found = set(IOC.findall(text))
    if rel in PLAIN:
        found |= set(PLAIN[rel].findall(text))
    return sorted(n for n in found if not SKIP.search(n))


def values(rel, names, tmp):
    for pre in PRE:
        src = os.path.join(tmp, "p.c")
        with open(src, "w") as f:
            f.write(pre + EXTRA.get(rel, ""))
            f.write(f"#include <{rel}>\n#include <stdio.h>\nint main(void) {{\n")
            for n in names:
                f.write(f"#ifdef {n}\n  printf(\"%s %#x\\n\", \"{n}\", (unsigned int)({n}));\n#endif\n")
            f.write("  return 0;\n}\n")
        exe = os.path.join(tmp, "p")
        r = subprocess.run(["cc", "-w", "-o", exe, src], capture_output=True)
        if r.returncode == 0:
            out = subprocess.run([exe], capture_output=True, text=True).stdout
            return [(int(v, 16), n) for n, v in (l.split() for l in out.splitlines())]
    # One name at a time: a header may compile but one macro's size type be unknown.
    got = []
    for n in names:
        with open(os.path.join(tmp, "p.c"), "w") as f:
            f.write(f"{PRE[1]}{EXTRA.get(rel, '')}#include <{rel}>\n#include <stdio.h>\n")
            f.write(f"int main(void) {{ printf(\"%#x\\n\", (unsigned int)({n})); return 0; }}\n")
        r = subprocess.run(["cc", "-w", "-o", os.path.join(tmp, "p"), os.path.join(tmp, "p.c")],
                           capture_output=True)
        if r.returncode == 0:
            v = subprocess.run([os.path.join(tmp, "p")], capture_output=True, text=True).stdout
            got.append((int(v.strip(), 16), n))
    return got


def main():
    table = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rel in headers():
            names = names_in(rel)
            if not names:
                continue
            for v, n in values(rel, names, tmp):
                table.setdefault(n, v)
        for n, (rel, expr) in RETIRED.items():
            src = os.path.join(tmp, "r.c")
            with open(src, "w") as f:
                f.write(f"{PRE[0]}#include <{rel}>\n#include <stdio.h>\n")
                f.write(f"int main(void) {{ printf(\"%#x\\n\", (unsigned int)({expr})); return 0; }}\n")
            exe = os.path.join(tmp, "r")
            if subprocess.run(["cc", "-w", "-o", exe, src], capture_output=True).returncode == 0:
                v = subprocess.run([exe], capture_output=True, text=True).stdout
                table.setdefault(n, int(v.strip(), 16))
    rows = sorted((v, n) for n, v in table.items())
    print("//! Generated by xtask/data/gen_ioctls.py from this machine's kernel UAPI headers: do not")
    print("//! edit. ioctl requests by value (sorted by value, then name), each as the compiler")
    print("//! computed it from its header's `_IO*` macro.")
    print()
    print("/// (request, name), sorted by request then name.")
    print("pub const IOCTL_NAMES: &[(u32, &str)] = &[")
    for v, n in rows:
        print(f"    ({v:#x}, \"{n}\"),")
    print("];")
    print(f"generated {len(rows)} requests", file=sys.stderr)


if __name__ == "__main__":
    main()
