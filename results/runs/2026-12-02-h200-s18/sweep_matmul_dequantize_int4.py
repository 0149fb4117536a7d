"""Tile sweep for suites/tritonbench_revised/matmul_dequantize_int4 on a GPU: times the
ground truth's kernel (kernel.launch) with each candidate tile config on the task's
three performance shapes, checks each output against the reference, prints one line
per (shape, config). A measurement record, not part of the harness: the chosen configs
then go into kernel.tile_config and are timed by tools/device_measure.sh.
  python3 results/runs/2026-12-02-h200-s18/sweep_matmul_dequantize_int4.py [decode]
"decode" runs only the M=1 shape, over more configs (the second sweep)."""
import importlib.util
import math
import pathlib
import sys

import torch
import triton.testing

task = pathlib.Path(__file__).resolve().parents[3] / "suites/tritonbench_revised/matmul_dequantize_int4"


def load(name):
    spec = importlib.util.spec_from_file_location(name, task / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


kernel, ref = load("kernel"), load("reference")
SHAPES = [(1, 28672, 8192), (64, 14336, 4096), (8192, 8192, 8192)]
SMALL = [(16, 32, 256, 4, 4), (16, 64, 256, 4, 4), (16, 64, 128, 4, 4), (16, 128, 256, 4, 4),
         (16, 64, 512, 4, 3), (16, 128, 128, 4, 4), (32, 64, 256, 4, 4), (64, 64, 256, 4, 4),
         (64, 128, 128, 4, 4), (16, 64, 64, 4, 4)]
DECODE = [(16, 128, 128, 4, 4), (16, 128, 128, 8, 4), (16, 128, 128, 4, 6), (16, 256, 128, 8, 4),
          (16, 128, 64, 4, 6), (16, 256, 64, 8, 6), (16, 128, 256, 8, 3), (16, 64, 128, 2, 6),
          (32, 128, 128, 4, 4), (16, 256, 128, 4, 3)]
LARGE = [(128, 128, 64, 8, 3), (128, 128, 64, 8, 4), (128, 256, 64, 8, 3), (128, 128, 128, 8, 3),
         (256, 128, 64, 8, 3), (128, 64, 64, 4, 4), (64, 128, 64, 4, 4), (128, 256, 64, 8, 4)]


class Case:
    def __init__(self, m, n, k):
        self.dims = {"M": m, "N": n, "K": k}


decode = sys.argv[1:] == ["decode"]
for m, n, k in SHAPES[:1] if decode else SHAPES:
    gen = torch.Generator().manual_seed(7)
    args = [a.cuda() for a in ref.make_inputs(Case(m, n, k), gen)]
    want = ref.reference(*args)
    out = torch.empty((m, n), device="cuda", dtype=torch.float16)
    nbytes = sum(a.numel() * a.element_size() for a in args) + out.numel() * 2
    default = kernel.tile_config(m, n, k)
    for cfg in DECODE if decode else SMALL if m <= 64 else LARGE:
        try:
            kernel.launch(*args, out, cfg)
            ok = torch.allclose(out.float(), want.float(), atol=2e-3, rtol=2e-3)
            ms = triton.testing.do_bench(lambda: kernel.launch(*args, out, cfg), warmup=50, rep=300)
        except Exception as e:  # a config that does not compile (shared memory) is a row too
            print(f"M={m} N={n} K={k} cfg={cfg} FAILED {type(e).__name__}: {str(e)[:120]}", flush=True)
            continue
        print(f"M={m} N={n} K={k} cfg={cfg}{' (default)' if cfg == default else ''} ok={ok} "
              f"{ms * 1e3:.1f} us {nbytes / ms / 1e6:.0f} GB/s {2 * m * n * k / ms / 1e9:.1f} TFLOP/s",
              flush=True)
    del args, want, out
    torch.cuda.empty_cache()
print(torch.cuda.get_device_name(), torch.__version__, "triton", triton.__version__, file=sys.stderr)
