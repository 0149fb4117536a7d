"""Fixture for tools/portability_audit_test.sh: one (128 x 256) @ (256 x 64) float32
product in a single tile, whose operands need more shared memory than MI300's 64 KB of
LDS and less than an H100's 227 KB, then an elementwise add on 32 warps."""

import torch
import triton
import triton.language as tl


@triton.jit
def _one_tile_dot(a_ptr, b_ptr, c_ptr, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr):
    rm = tl.arange(0, M)
    rn = tl.arange(0, N)
    rk = tl.arange(0, K)
    a = tl.load(a_ptr + rm[:, None] * K + rk[None, :])
    b = tl.load(b_ptr + rk[:, None] * N + rn[None, :])
    tl.store(c_ptr + rm[:, None] * N + rn[None, :], tl.dot(a, b))


@triton.jit
def _add_one(c_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(c_ptr + offs, tl.load(c_ptr + offs, mask=offs < n) + 1, mask=offs < n)


def big_tiles(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    (m, k), n = a.shape, b.shape[1]
    c = torch.empty((m, n), device=a.device, dtype=a.dtype)
    _one_tile_dot[(1,)](a, b, c, M=m, N=n, K=k, num_warps=8, num_stages=1)
    _add_one[(triton.cdiv(m * n, 4096),)](c, m * n, BLOCK=4096, num_warps=32)
    return c
