"""Ground truth for bmm_chunk_bwd: the gradient of Mamba2's chunked C B^T product with
respect to B. Within each (batch, chunk, group), dB[j, :] = sum_i dout[i, j] * C[i, :],
i.e. dout^T @ C for a (Q, Q) dout block and a (Q, N) slice of C. The grid is 3-D: axis 0
the (BLOCK_M x BLOCK_N) tiles of one (Q, N) output slice, axis 1 the chunk, axis 2
batch * group. Each program walks the chunk's Q rows of C in BLOCK_K steps; the dout
tile is loaded along its contiguous j axis (coalesced) and transposed in registers.
C is widened to float32 so both dot operands match the float32 dout (TF32 products on
GPUs); rows of C past the end of the sequence load 0, so the matching dout rows add
nothing."""

import os

import torch
import triton
import triton.language as tl


@triton.jit
def _bmm_chunk_bwd_kernel(c_ptr, dout_ptr, db_ptr, T, G, N, Q,
                          stride_cb, stride_ct, stride_cg,
                          stride_db, stride_dc, stride_dg, stride_di,
                          stride_ob, stride_ot, stride_og,
                          BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr):
    pid_tile = tl.program_id(0)
    chunk = tl.program_id(1).to(tl.int64)
    pid_bg = tl.program_id(2)
    bi = (pid_bg // G).to(tl.int64)
    gi = (pid_bg % G).to(tl.int64)
    tiles_n = tl.cdiv(N, BLOCK_N)
    pid_m = pid_tile // tiles_n
    pid_n = pid_tile % tiles_n

    offs_j = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)  # output row inside the chunk
    offs_n = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_k = tl.arange(0, BLOCK_K)                    # summed row i inside the chunk
    ok_j = offs_j < Q
    ok_n = offs_n < N
    # 64-bit: B * T * G * N and B * nchunks * G * Q * Q can pass 2^31.
    t0 = chunk * Q
    c_base = c_ptr + bi * stride_cb + gi * stride_cg + t0 * stride_ct
    d_base = dout_ptr + bi * stride_db + chunk * stride_dc + gi * stride_dg

    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k0 in range(0, Q, BLOCK_K):
        rows = k0 + offs_k
        # Rows past T (the zero padding of the last chunk) load 0 from C.
        ok_rows = (rows < Q) & (t0 + rows < T)
        d = tl.load(d_base + rows[:, None].to(tl.int64) * stride_di + offs_j[None, :],
                    mask=(rows[:, None] < Q) & ok_j[None, :], other=0.0)
        cv = tl.load(c_base + rows[:, None].to(tl.int64) * stride_ct + offs_n[None, :],
                     mask=ok_rows[:, None] & ok_n[None, :], other=0.0).to(tl.float32)
        acc = tl.dot(tl.trans(d), cv, acc)

    t_j = t0 + offs_j
    o_ptrs = (db_ptr + bi * stride_ob + gi * stride_og + t_j[:, None] * stride_ot
              + offs_n[None, :])
    tl.store(o_ptrs, acc, mask=(ok_j & (t_j < T))[:, None] & ok_n[None, :])


def bmm_chunk_bwd(c: torch.Tensor, dout: torch.Tensor) -> torch.Tensor:
    bsz, seqlen, ngroups, dstate = c.shape
    q = dout.shape[-1]
    c = c.contiguous()
    dout = dout.contiguous()
    db = torch.empty((bsz, seqlen, ngroups, dstate), device=c.device, dtype=torch.float32)
    if db.numel() == 0:
        return db
    nchunks = dout.shape[1]
    interpret = os.environ.get("TRITON_INTERPRET", "0") == "1"
    bm = min(64, triton.next_power_of_2(q))
    bn = max(16, min(64, triton.next_power_of_2(dstate)))
    bk = min(64, bm)
    grid = (triton.cdiv(q, bm) * triton.cdiv(dstate, bn), nchunks, bsz * ngroups)
    _bmm_chunk_bwd_kernel[grid](
        c, dout, db, seqlen, ngroups, dstate, q,
        c.stride(0), c.stride(1), c.stride(2),
        dout.stride(0), dout.stride(1), dout.stride(2), dout.stride(3),
        db.stride(0), db.stride(1), db.stride(2),
        BLOCK_M=bm, BLOCK_N=bn, BLOCK_K=bk,
        num_warps=4, num_stages=1 if interpret else 3)
    return db
