"""Ground truth for softmax_reducev: the softmax-times-V step of single-query (decode)
attention, split over the sequence. Stage 1: program (bh, split) streams its CHUNK of
positions in BLOCK_S blocks, keeping a running max m, the sum l of exp(score - m) and
the accumulator acc = sum exp(score - m) * V[s, :], all rescaled when m grows, and
writes (m, l, acc) of its chunk. Stage 2: one program per (b, h) merges the chunks:
out = sum_c exp(m_c - M) acc_c / sum_c exp(m_c - M) l_c with M = max_c m_c."""

import torch
import triton
import triton.language as tl

BLOCK_S = 32          # positions per block in stage 1 (a 32 x 128 fp16 tile: ~110 registers, 4 warps)
TARGET_PROGRAMS = 1024  # stage-1 programs aimed for (several waves on 100+ SMs)
MAX_SPLITS = 64          # chunks per head at most (longer chunks past 64 * 32 positions)
MERGE_BLOCK = 16      # chunks merged at a time in stage 2


@triton.jit
def _partial_kernel(p_ptr, v_ptr, m_ptr, l_ptr, acc_ptr, S, D, n_splits,
                    CHUNK: tl.constexpr, BLOCK_S: tl.constexpr, BLOCK_D: tl.constexpr):
    bh = tl.program_id(0).to(tl.int64)  # 64-bit: B*H*S*D may pass 2^31
    split = tl.program_id(1)
    ds = tl.arange(0, BLOCK_D)
    d_ok = ds < D
    s_row = p_ptr + bh * S
    v_head = v_ptr + bh * S * D
    # The chunk's first block starts below S, so m is finite after it; later blocks
    # past S read -inf scores and add exp(-inf - m) = 0.
    m = float("-inf")
    l = 0.0
    acc = tl.zeros([BLOCK_D], tl.float32)
    for i in range(0, CHUNK, BLOCK_S):
        pos = split * CHUNK + i + tl.arange(0, BLOCK_S)
        pos_ok = pos < S
        sc = tl.load(s_row + pos, mask=pos_ok, other=float("-inf"))
        m_new = tl.maximum(m, tl.max(sc, axis=0))
        alpha = tl.exp(m - m_new)
        w = tl.exp(sc - m_new)
        v = tl.load(v_head + pos[:, None] * D + ds[None, :],
                    mask=pos_ok[:, None] & d_ok[None, :], other=0.0).to(tl.float32)
        l = l * alpha + tl.sum(w, axis=0)
        acc = acc * alpha + tl.sum(w[:, None] * v, axis=0)
        m = m_new
    slot = bh * n_splits + split
    tl.store(m_ptr + slot, m)
    tl.store(l_ptr + slot, l)
    tl.store(acc_ptr + slot * BLOCK_D + ds, acc)


@triton.jit
def _merge_kernel(m_ptr, l_ptr, acc_ptr, out_ptr, D, n_splits,
                  MERGE: tl.constexpr, BLOCK_D: tl.constexpr):
    bh = tl.program_id(0).to(tl.int64)
    ds = tl.arange(0, BLOCK_D)
    base = bh * n_splits
    big_m = float("-inf")
    l_tot = 0.0
    acc = tl.zeros([BLOCK_D], tl.float32)
    # Same online merge over groups of MERGE chunks; every real chunk's m is finite and
    # the first group holds chunk 0, so big_m is finite after it.
    for c0 in range(0, n_splits, MERGE):
        cs = c0 + tl.arange(0, MERGE)
        c_ok = cs < n_splits
        m_c = tl.load(m_ptr + base + cs, mask=c_ok, other=float("-inf"))
        l_c = tl.load(l_ptr + base + cs, mask=c_ok, other=0.0)
        a_c = tl.load(acc_ptr + (base + cs)[:, None] * BLOCK_D + ds[None, :],
                      mask=c_ok[:, None], other=0.0)
        m_new = tl.maximum(big_m, tl.max(m_c, axis=0))
        alpha = tl.exp(big_m - m_new)
        w = tl.exp(m_c - m_new)
        l_tot = l_tot * alpha + tl.sum(w * l_c, axis=0)
        acc = acc * alpha + tl.sum(w[:, None] * a_c, axis=0)
        big_m = m_new
    out = acc / l_tot
    tl.store(out_ptr + bh * D + ds, out.to(out_ptr.dtype.element_ty), mask=ds < D)


def softmax_reducev(scores: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    scores = scores.contiguous()
    v = v.contiguous()
    b, h, s, d = v.shape
    out = torch.empty((b, h, d), device=v.device, dtype=v.dtype)
    bh = b * h
    if bh == 0 or d == 0:
        return out
    # Chunk length: a power of two >= BLOCK_S giving about TARGET_PROGRAMS programs in
    # all, and at most MAX_SPLITS chunks per head.
    want = max(triton.cdiv(s * bh, TARGET_PROGRAMS), triton.cdiv(s, MAX_SPLITS), BLOCK_S)
    chunk = triton.next_power_of_2(want)
    n_splits = triton.cdiv(s, chunk)
    block_d = triton.next_power_of_2(d)
    m_part = torch.empty((bh, n_splits), device=v.device, dtype=torch.float32)
    l_part = torch.empty_like(m_part)
    acc_part = torch.empty((bh, n_splits, block_d), device=v.device, dtype=torch.float32)
    _partial_kernel[(bh, n_splits)](scores, v, m_part, l_part, acc_part, s, d, n_splits,
                                    CHUNK=chunk, BLOCK_S=BLOCK_S, BLOCK_D=block_d, num_warps=4)
    _merge_kernel[(bh,)](m_part, l_part, acc_part, out, d, n_splits,
                         MERGE=MERGE_BLOCK, BLOCK_D=block_d, num_warps=4)
    return out
