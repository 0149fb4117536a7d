"""Ground truth for streamk_matmul: stream-K with a deterministic fix-up.

The output is cut into BLOCK_M x BLOCK_N tiles, each needing ITERS = cdiv(K, BLOCK_K)
K-iterations; the tiles' iterations are numbered tile by tile, and the T = tiles * ITERS
iterations are split into P contiguous ranges of equal size (+-1), one per persistent
program (P = number of SMs/CUs). A program walks its range from the END backwards, one
tile segment at a time:
  * a segment holding the tile's last K-iteration is the tile's "finisher": it adds the
    float32 partial tiles left by the earlier programs that share the tile (in program
    order, so the result is deterministic), then stores the float16 tile;
  * any other segment (only ever the one where the program's range ends mid-tile, so
    at most one per program) writes its float32 partial to the program's private
    scratch slot and raises the program's flag.
Walking backwards makes every program do its non-finishing segment (the tile where its
range ends) FIRST and its finishing segments later, so a finisher rarely waits, and it
only ever waits for lower-numbered programs: these are scheduled first on a GPU (and run
first in the CPU interpreter, which runs programs one after another), so no deadlock."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _range_start(p, base, extra):
    # Programs 0 .. extra-1 take base + 1 iterations, the rest take base.
    return p * base + tl.minimum(p, extra)


@triton.jit
def _streamk_kernel(a_ptr, b_ptr, c_ptr, scratch_ptr, flag_ptr, M, N, K,
                    stride_am, stride_bk, stride_cm, iters_per_tile, base, extra,
                    BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                    GROUP_M: tl.constexpr):
    pid = tl.program_id(0)
    start = _range_start(pid, base, extra)
    it_end = _range_start(pid + 1, base, extra)
    tiles_m = tl.cdiv(M, BLOCK_M)
    tiles_n = tl.cdiv(N, BLOCK_N)
    ra = tl.arange(0, BLOCK_M)
    rb = tl.arange(0, BLOCK_N)
    rk = tl.arange(0, BLOCK_K)
    while it_end > start:
        tile = (it_end - 1) // iters_per_tile
        tile_first = tile * iters_per_tile
        seg_first = tl.maximum(start, tile_first)
        k_begin = seg_first - tile_first
        k_end = it_end - tile_first

        # Grouped tile order (GROUP_M tile-rows, column by column): consecutive tiles,
        # which neighbouring programs work on together, share rows of A and columns of B.
        band = tile // (GROUP_M * tiles_n)
        first_m = band * GROUP_M
        rows_in_band = tl.minimum(tiles_m - first_m, GROUP_M)
        local = tile - band * GROUP_M * tiles_n
        rm = (first_m + local % rows_in_band) * BLOCK_M + ra
        rn = (local // rows_in_band) * BLOCK_N + rb
        m_ok = rm < M
        n_ok = rn < N

        # 64-bit offsets: M * K, K * N or M * N may pass 2^31.
        a_ptrs = a_ptr + rm.to(tl.int64)[:, None] * stride_am + (k_begin * BLOCK_K + rk)[None, :]
        b_ptrs = b_ptr + (k_begin * BLOCK_K + rk).to(tl.int64)[:, None] * stride_bk + rn[None, :]
        acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
        for kt in range(k_begin, k_end):
            k_left = K - kt * BLOCK_K  # the last K-iteration may be partial
            a = tl.load(a_ptrs, mask=m_ok[:, None] & (rk[None, :] < k_left), other=0.0)
            b = tl.load(b_ptrs, mask=(rk[:, None] < k_left) & n_ok[None, :], other=0.0)
            acc = tl.dot(a, b, acc)
            a_ptrs += BLOCK_K
            b_ptrs += BLOCK_K * stride_bk

        # Scratch offsets stay in int32: programs * BLOCK_M * BLOCK_N is a few million.
        slot = ra[:, None] * BLOCK_N + rb[None, :]
        if k_end == iters_per_tile:
            # Finisher. Programs owning the tile's earlier iterations: from the owner of
            # the tile's first iteration up to pid - 1 (none when k_begin == 0).
            if k_begin > 0:
                big = extra * (base + 1)
                if tile_first < big:
                    p_first = tile_first // (base + 1)
                else:
                    p_first = extra + (tile_first - big) // base
                for q in range(p_first, pid):
                    while tl.atomic_cas(flag_ptr + q, 1, 1, sem="acquire") != 1:
                        pass
                    # volatile: read the partial from memory, never from a stale cache.
                    acc += tl.load(scratch_ptr + q * (BLOCK_M * BLOCK_N) + slot, volatile=True)
            c_ptrs = c_ptr + rm.to(tl.int64)[:, None] * stride_cm + rn[None, :]
            tl.store(c_ptrs, acc.to(c_ptr.dtype.element_ty), mask=m_ok[:, None] & n_ok[None, :])
        else:
            # This program's range ends inside the tile: leave the partial, then signal.
            tl.store(scratch_ptr + pid * (BLOCK_M * BLOCK_N) + slot, acc)
            # Every thread's stores must be done before the (single-thread) release.
            tl.debug_barrier()
            tl.atomic_xchg(flag_ptr + pid, 1, sem="release")
        it_end = seg_first


def streamk_matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    a, b = a.contiguous(), b.contiguous()
    m, k = a.shape
    n = b.shape[1]
    c = torch.empty((m, n), device=a.device, dtype=a.dtype)
    if m == 0 or n == 0:
        return c
    if k == 0:
        return c.zero_()
    if os.environ.get("TRITON_INTERPRET", "0") == "1":
        # Small tiles and 5 programs, so the small test shapes split tiles across
        # programs at uneven points (and one tile across several programs).
        bm, bn, bk, warps, stages, programs = 32, 32, 16, 4, 1, 5
    else:
        programs = torch.cuda.get_device_properties(a.device).multi_processor_count
        if torch.version.hip:
            bm, bn, bk, warps, stages = 128, 128, 32, 8, 2
        else:
            # 128x128 keeps the fix-up's extra float32 tile clear of register spills.
            bm, bn, bk, warps, stages = 128, 128, 64, 8, 4
    iters_per_tile = triton.cdiv(k, bk)
    total = triton.cdiv(m, bm) * triton.cdiv(n, bn) * iters_per_tile
    programs = min(programs, total)  # every program gets at least one iteration
    base, extra = divmod(total, programs)
    scratch = torch.empty((programs, bm * bn), device=a.device, dtype=torch.float32)
    flags = torch.zeros((programs,), device=a.device, dtype=torch.int32)
    _streamk_kernel[(programs,)](a, b, c, scratch, flags, m, n, k,
                                 a.stride(0), b.stride(0), c.stride(0), iters_per_tile, base, extra,
                                 BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, GROUP_M=8,
                                 num_warps=warps, num_stages=stages)
    return c
