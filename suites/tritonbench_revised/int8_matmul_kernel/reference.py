"""int8_matmul_kernel: C = A @ B for int8 A (M, K) and int8 B (K, N), accumulated
exactly and returned as int32."""

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    m, n, k = case.dims["M"], case.dims["N"], case.dims["K"]
    # The full int8 range, -128 included. Edge: row 0 of A and column 0 of B are all
    # -128, so C[0, 0] = 16384 * K, the largest sum (2^26 at K = 4096, far inside int32),
    # and row 0 / column 0 of C are sums of the largest-magnitude products.
    a = torch.randint(-128, 128, (m, k), generator=gen, dtype=torch.int8)
    b = torch.randint(-128, 128, (k, n), generator=gen, dtype=torch.int8)
    a[0] = -128
    b[:, 0] = -128
    # Row 1 of A is +127 over the first half of K and -127 over the second, and column 1
    # of B is in [100, 127]: the partial sums of C[1, 1] climb to about 7200 * K (past
    # 2^24 once K > 2330) in steps that are not multiples of a power of two, then cancel.
    # An int32 accumulator is exact; a float32 one is off by units there.
    if m > 1:
        a[1, : k // 2] = 127
        a[1, k // 2:] = -127
    if n > 1:
        b[:, 1] = torch.randint(100, 128, (k,), generator=gen, dtype=torch.int8)
    return [a, b]


def reference(a, b):
    # float64 is exact here: every product is at most 2^14 and every partial sum at most
    # K * 2^14 < 2^53, whatever the summation order; and unlike int64 it has a GPU matmul.
    return (a.to(torch.float64) @ b.to(torch.float64)).to(torch.int32)


def baseline(a, b):
    """What a PyTorch user writes without torch._int_mm: exact float32 GEMMs over K chunks."""
    # PyTorch has no public int8 GEMM on the GPU. A float32 GEMM of int8 values is exact
    # while every partial sum stays within 2^24: 1024 products of at most 2^14 each. So
    # K is cut into 1024-long chunks (zero-padded), one batched GEMM, summed in int32.
    m, k = a.shape
    chunk = 1024
    nc = -(-k // chunk)
    pad = nc * chunk - k
    af = F.pad(a.float(), (0, pad)).view(m, nc, chunk).transpose(0, 1)    # (nc, M, chunk)
    bf = F.pad(b.float(), (0, 0, 0, pad)).view(nc, chunk, b.shape[1])     # (nc, chunk, N)
    return torch.bmm(af, bf).to(torch.int32).sum(dim=0, dtype=torch.int32)
