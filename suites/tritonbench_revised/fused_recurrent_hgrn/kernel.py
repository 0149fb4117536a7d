"""Ground truth for fused_recurrent_hgrn: one program per (batch, block of D channels)
walks the sequence in tiles of BLOCK_T steps. The recurrence h_t = a_t * h_{t-1} + x_t
(a_t = exp(g_t)) is linear, so pairs (a, x) compose associatively:
    (a1, x1) then (a2, x2) = (a1 * a2, a2 * x1 + x2).
Each tile is scanned in parallel along time with tl.associative_scan and then joined to
the state carried in from the previous tile; loads of a whole tile keep many bytes in
flight instead of one row per sequential step."""

import torch
import triton
import triton.language as tl

BLOCK_T = 32  # time steps per tile
BLOCK_D = 64  # channels per program (64 contiguous elements per row: coalesced)


@triton.jit
def _compose(a1, x1, a2, x2):
    return a1 * a2, a2 * x1 + x2


@triton.jit
def _hgrn_fwd_kernel(x_ptr, g_ptr, h0_ptr, o_ptr, ht_ptr, T, D,
                     HAS_H0: tl.constexpr, BLOCK_T: tl.constexpr, BLOCK_D: tl.constexpr):
    pid_d = tl.program_id(0)
    b = tl.program_id(1).to(tl.int64)  # 64-bit: B * T * D may pass 2^31
    cols = pid_d * BLOCK_D + tl.arange(0, BLOCK_D)
    cmask = cols < D
    rows = tl.arange(0, BLOCK_T)
    if HAS_H0:
        h = tl.load(h0_ptr + b * D + cols, mask=cmask, other=0.0).to(tl.float32)
    else:
        h = tl.zeros([BLOCK_D], tl.float32)
    seq = b * T * D
    for t0 in range(0, T, BLOCK_T):
        t = t0 + rows
        mask = (t < T)[:, None] & cmask[None, :]
        offs = seq + t.to(tl.int64)[:, None] * D + cols[None, :]
        x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(tl.float32)
        # Padding steps get g = 0 (a = 1) and x = 0: they carry the state unchanged.
        g = tl.load(g_ptr + offs, mask=mask, other=0.0).to(tl.float32)
        a_cum, x_cum = tl.associative_scan((tl.exp(g), x), 0, _compose)
        hs = a_cum * h[None, :] + x_cum
        tl.store(o_ptr + offs, hs.to(o_ptr.dtype.element_ty), mask=mask)
        # The last row (a padding row in a partial tile) is the state after the tile.
        h = tl.sum(tl.where((rows == BLOCK_T - 1)[:, None], hs, 0.0), axis=0)
    tl.store(ht_ptr + b * D + cols, h, mask=cmask)


def fused_recurrent_hgrn(x: torch.Tensor, g: torch.Tensor, initial_state=None):
    bsz, seqlen, dim = x.shape
    o = torch.empty_like(x)
    final_state = torch.empty((bsz, dim), device=x.device, dtype=torch.float32)
    has_h0 = initial_state is not None
    block_d = min(BLOCK_D, triton.next_power_of_2(dim))
    grid = (triton.cdiv(dim, block_d), bsz)
    _hgrn_fwd_kernel[grid](x, g, initial_state if has_h0 else final_state, o, final_state,
                           seqlen, dim, HAS_H0=has_h0, BLOCK_T=BLOCK_T, BLOCK_D=block_d,
                           num_warps=4)
    return o, final_state
