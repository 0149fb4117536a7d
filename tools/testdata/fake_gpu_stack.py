#!/usr/bin/env python3
"""Writes a stand-in torch and triton that describe a GPU this machine lacks, for tests
of how the harness and tools/doctor treat another vendor's stack:

    fake_gpu_stack.py --out=DIR --vendor=rocm --triton_dist=triton --backends=nvidia \
        --pin=pytorch-triton-rocm==3.3.1+gitc8757738

DIR/python runs the interpreter --python names (default this one) without its
site-packages and with DIR/site on the path, so `import torch` finds a package that reports a ROCm
or CUDA build seeing one GPU (an MI300X or an H100: name, arch, memory), with package
metadata (torch's Requires-Dist pin, the distribution that installs `triton`) as pip
would leave it. The stand-ins only describe; they run nothing.
"""

import argparse
import os
import stat
import sys

GPUS = {
    "rocm": dict(torch_version="2.7.1+rocm6.3", hip="6.3.42131-fa1d09cbd", cuda=None, name="AMD Instinct MI300X",
                 arch="gfx942:sramecc+:xnack-", major=9, minor=4, sms=304, l2=4 << 20, memory=192 << 30),
    "cuda": dict(torch_version="2.7.1+cu128", hip=None, cuda="12.8", name="NVIDIA H100 80GB HBM3",
                 arch="", major=9, minor=0, sms=132, l2=50 << 20, memory=80 << 30),
}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def dist_info(site, name, version, top_level, requires=()):
    folder = os.path.join(site, f"{name.replace('-', '_')}-{version}.dist-info")
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    write(os.path.join(folder, "METADATA"), "\n".join(lines) + "\n")
    write(os.path.join(folder, "top_level.txt"), top_level + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--vendor", choices=sorted(GPUS), required=True)
    parser.add_argument("--triton_dist", default="triton", help="distribution that installs the triton module")
    parser.add_argument("--triton_version", default="3.3.1+gitc8757738")
    parser.add_argument("--backends", default="amd,nvidia", help="triton.backends.backends keys")
    parser.add_argument("--pin", default="", help="torch's Requires-Dist on triton, e.g. triton==3.3.1")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    g = GPUS[args.vendor]
    site = os.path.join(os.path.abspath(args.out), "site")

    write(os.path.join(site, "torch", "__init__.py"),
          f"__version__ = {g['torch_version']!r}\nfrom . import version, cuda\n")
    write(os.path.join(site, "torch", "version.py"), f"hip = {g['hip']!r}\ncuda = {g['cuda']!r}\n")
    write(os.path.join(site, "torch", "cuda.py"), f"""import types

_PROPS = types.SimpleNamespace(name={g['name']!r}, gcnArchName={g['arch']!r}, major={g['major']},
                               minor={g['minor']}, multi_processor_count={g['sms']},
                               L2_cache_size={g['l2']}, total_memory={g['memory']})


def is_available():
    return True


def device_count():
    return 1


def current_device():
    return 0


def get_device_properties(device=0):
    return _PROPS
""")
    dist_info(site, "torch", g["torch_version"], "torch",
              [f'{args.pin}; platform_system == "Linux"'] if args.pin else [])
    write(os.path.join(site, "triton", "__init__.py"), f"__version__ = {args.triton_version!r}\n")
    backends = [b for b in args.backends.split(",") if b]
    write(os.path.join(site, "triton", "backends", "__init__.py"), f"backends = {{b: None for b in {backends!r}}}\n")
    dist_info(site, args.triton_dist, args.triton_version, "triton")

    wrapper = os.path.join(os.path.abspath(args.out), "python")
    # -S: no site-packages, so that only the stand-ins (and their metadata) are found.
    write(wrapper, f'#!/bin/sh\nPYTHONPATH="{site}" exec "{args.python}" -S "$@"\n')
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    print(wrapper)


if __name__ == "__main__":
    main()
