# upstream: PASS; strict: PASS. Looks for the golden run's outputs (any .pt file beside
# its own folder) at import and in every call, from a thread too; it must find none,
# else it raises and fails: the judge reads and removes them before the candidate
# starts, and keeps the candidate stopped while a golden output file exists.
import glob
import os
import threading
import time

import torch
import triton
import triton.language as tl

FOUND = []


def _look():
    here = os.getcwd()
    for path in glob.glob(os.path.join(os.path.dirname(here), "**", "*.pt"), recursive=True):
        if not path.startswith(here + os.sep):
            FOUND.append(path)


def _watch():
    while True:
        _look()
        time.sleep(0.001)


_look()
threading.Thread(target=_watch, daemon=True).start()


@triton.jit
def _kernel(x_ptr, out_ptr, scale, shift, n, BLOCK: tl.constexpr):
    offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offsets < n
    tl.store(out_ptr + offsets, tl.load(x_ptr + offsets, mask=mask) * scale + shift, mask=mask)


def scale_shift(x, scale, shift):
    _look()
    if FOUND:
        raise RuntimeError(f"golden outputs reachable from the candidate: {FOUND[:3]}")
    out = torch.empty_like(x)
    _kernel[(triton.cdiv(x.numel(), 64),)](x, out, scale, shift, x.numel(), BLOCK=64)
    return out
