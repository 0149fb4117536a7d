"""Ground truth for bmm_chunk_fwd: Mamba2's per-chunk C B^T product. The sequence is cut
into chunks of Q steps; for every (batch, chunk, group) the (Q, N) slice of C times the
transposed (Q, N) slice of B gives a (Q, Q) float32 block. The grid is 3-D: axis 0 the
(BLOCK_M x BLOCK_N) output tiles of one block, axis 1 the chunk, axis 2 batch * group.
Each program walks the state dimension N in BLOCK_K steps with tl.dot, accumulating in
float32. Rows past the end of the sequence load 0 (zero padding). With causal=True the
tiles lying wholly above the diagonal skip the N loop and just store zeros, and the
diagonal tiles mask j > i."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _bmm_chunk_fwd_kernel(c_ptr, b_ptr, out_ptr, T, G, N, Q,
                          stride_cb, stride_ct, stride_cg,
                          stride_bb, stride_bt, stride_bg,
                          stride_ob, stride_oc, stride_og, stride_oi,
                          BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
                          CAUSAL: tl.constexpr, UPCAST: tl.constexpr):
    pid_tile = tl.program_id(0)
    chunk = tl.program_id(1)
    pid_bg = tl.program_id(2)
    bi = (pid_bg // G).to(tl.int64)
    gi = (pid_bg % G).to(tl.int64)
    tiles_n = tl.cdiv(Q, BLOCK_N)
    pid_m = pid_tile // tiles_n
    pid_n = pid_tile % tiles_n

    offs_i = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)  # row inside the chunk
    offs_j = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)  # column inside the chunk
    offs_k = tl.arange(0, BLOCK_K)
    # Sequence positions; 64-bit because B * T * G * N can pass 2^31.
    t_i = chunk.to(tl.int64) * Q + offs_i
    t_j = chunk.to(tl.int64) * Q + offs_j
    ok_i = (offs_i < Q) & (t_i < T)
    ok_j = (offs_j < Q) & (t_j < T)
    c_ptrs = c_ptr + bi * stride_cb + gi * stride_cg + t_i[:, None] * stride_ct + offs_k[None, :]
    b_ptrs = b_ptr + bi * stride_bb + gi * stride_bg + t_j[None, :] * stride_bt + offs_k[:, None]

    k_tiles = tl.cdiv(N, BLOCK_K)
    if CAUSAL:
        # Every column of this tile lies right of every row: the whole tile is zero.
        if pid_n * BLOCK_N > pid_m * BLOCK_M + BLOCK_M - 1:
            k_tiles = 0
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for kt in range(0, k_tiles):
        k_left = N - kt * BLOCK_K
        a = tl.load(c_ptrs, mask=ok_i[:, None] & (offs_k[None, :] < k_left), other=0.0)
        bt = tl.load(b_ptrs, mask=(offs_k[:, None] < k_left) & ok_j[None, :], other=0.0)
        if UPCAST:
            # Only in the CPU interpreter, whose tl.dot is wrong on bf16; exact widening.
            a = a.to(tl.float32)
            bt = bt.to(tl.float32)
        acc = tl.dot(a, bt, acc)
        c_ptrs += BLOCK_K
        b_ptrs += BLOCK_K
    if CAUSAL:
        acc = tl.where(offs_j[None, :] <= offs_i[:, None], acc, 0.0)

    o_ptrs = (out_ptr + bi * stride_ob + chunk.to(tl.int64) * stride_oc + gi * stride_og
              + offs_i[:, None] * stride_oi + offs_j[None, :])
    tl.store(o_ptrs, acc, mask=(offs_i[:, None] < Q) & (offs_j[None, :] < Q))


def bmm_chunk_fwd(c: torch.Tensor, b: torch.Tensor, chunk_size: int,
                  causal: bool = False) -> torch.Tensor:
    bsz, seqlen, ngroups, dstate = c.shape
    c = c.contiguous()
    b = b.contiguous()
    q = int(chunk_size)
    nchunks = triton.cdiv(seqlen, q)
    out = torch.empty((bsz, nchunks, ngroups, q, q), device=c.device, dtype=torch.float32)
    if out.numel() == 0:
        return out
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    # 64x64 output tiles: a Q=128 block is 4 tiles, so the causal case skips one of them
    # and the grid has enough programs. N (16..256 in practice) is walked in 64-wide steps.
    bm = bn = min(64, triton.next_power_of_2(q))
    bk = max(16, min(64, triton.next_power_of_2(dstate)))
    grid = (triton.cdiv(q, bm) * triton.cdiv(q, bn), nchunks, bsz * ngroups)
    _bmm_chunk_fwd_kernel[grid](
        c, b, out, seqlen, ngroups, dstate, q,
        c.stride(0), c.stride(1), c.stride(2),
        b.stride(0), b.stride(1), b.stride(2),
        out.stride(0), out.stride(1), out.stride(2), out.stride(3),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk, CAUSAL=bool(causal),
        UPCAST=interpret and c.dtype == torch.bfloat16,
        num_warps=4, num_stages=1 if interpret else 3)
    return out
