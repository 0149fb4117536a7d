"""Ground truth for apply_penalty: one program per sequence walks its token list in
blocks, gathering the penalized logits of its row, updating them and scattering them
back in place."""

import torch
import triton
import triton.language as tl


@triton.jit
def _apply_penalty_kernel(logits_ptr, ids_ptr, counts_ptr, cu_ptr, rep_ptr, freq_ptr, pres_ptr,
                          stride_b, BLOCK: tl.constexpr):
    b = tl.program_id(0)
    start = tl.load(cu_ptr + b)
    end = tl.load(cu_ptr + b + 1)
    rep = tl.load(rep_ptr + b)
    freq = tl.load(freq_ptr + b)
    pres = tl.load(pres_ptr + b)
    # 64-bit row offset: B * V passes 2^31 for large batches over 128K-200K vocabularies.
    row = logits_ptr + b.to(tl.int64) * stride_b
    lanes = tl.arange(0, BLOCK)
    for s in range(start, end, BLOCK):
        offs = s + lanes
        mask = offs < end
        # ids and counts are read contiguously; the logits are a gather within one row.
        tok = tl.load(ids_ptr + offs, mask=mask, other=0)
        cnt = tl.load(counts_ptr + offs, mask=mask, other=0).to(tl.float32)
        l = tl.load(row + tok, mask=mask, other=0.0).to(tl.float32)
        l = tl.where(l > 0, l / rep, l * rep)
        l = l - cnt * freq - pres
        # Ids are distinct within a sequence, so no two lanes write the same logit.
        tl.store(row + tok, l.to(logits_ptr.dtype.element_ty), mask=mask)


def apply_penalty(logits: torch.Tensor, token_ids: torch.Tensor, token_counts: torch.Tensor,
                  cu_seqlens: torch.Tensor, repetition: torch.Tensor, frequency: torch.Tensor,
                  presence: torch.Tensor) -> None:
    b = logits.shape[0]
    if b == 0 or token_ids.numel() == 0:
        return
    _apply_penalty_kernel[(b,)](logits, token_ids, token_counts, cu_seqlens, repetition,
                                frequency, presence, logits.stride(0), BLOCK=1024, num_warps=4)
