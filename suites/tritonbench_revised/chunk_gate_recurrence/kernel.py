"""Ground truth for chunk_gate_recurrence: the (K, V) state of one (batch, head) is a
contiguous run of K * V elements per chunk, so the state is treated as a flat vector.
One program per (batch * head, block of BLOCK state elements) keeps its block of h in
float32 registers and walks the N chunks in order: h = exp(g_n) * h + x_n, storing h
after every chunk. Each step reads and writes BLOCK contiguous elements (coalesced)."""

import torch
import triton
import triton.language as tl

BLOCK = 512  # state elements per program


@triton.jit
def _chunk_gate_recurrence_kernel(x_ptr, g_ptr, h_ptr, N, KV, BLOCK: tl.constexpr):
    pid = tl.program_id(0)
    bh = tl.program_id(1).to(tl.int64)  # 64-bit: B * H * N * K * V may pass 2^31
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    mask = offs < KV
    x_row = x_ptr + bh * N * KV + offs
    h_row = h_ptr + bh * N * KV + offs
    g_row = g_ptr + bh * N
    h = tl.zeros([BLOCK], tl.float32)
    for n in range(N):
        decay = tl.exp(tl.load(g_row + n).to(tl.float32))  # one scalar per chunk
        x = tl.load(x_row, mask=mask, other=0.0).to(tl.float32)
        h = decay * h + x
        tl.store(h_row, h, mask=mask)
        x_row += KV
        h_row += KV


def chunk_gate_recurrence(x: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
    bsz, heads, nchunks, dk, dv = x.shape
    kv = dk * dv
    h = torch.empty((bsz, heads, nchunks, dk, dv), device=x.device, dtype=torch.float32)
    block = min(BLOCK, triton.next_power_of_2(kv))
    grid = (triton.cdiv(kv, block), bsz * heads)
    _chunk_gate_recurrence_kernel[grid](x, g, h, nchunks, kv, BLOCK=block,
                                        num_warps=max(1, min(4, block // 128)))
    return h
