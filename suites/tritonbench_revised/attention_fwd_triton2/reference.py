"""attention_fwd_triton2: non-causal cross-attention with padded keys. q is
(B, H, Sq, D); k and v are (B, H, Sk, D); kv_lens (B,) int32 holds the number of valid
keys of each batch entry (1 <= kv_lens[b] <= Sk):
    o[b, h] = softmax(q[b, h] @ k[b, h, :n]^T * sm_scale) @ v[b, h, :n],  n = kv_lens[b],
computed in float32 and returned in q's dtype. Keys past n are padding."""

import math

import torch
import torch.nn.functional as F


def make_inputs(case, gen):
    b, h, d = case.dims["B"], case.dims["H"], case.dims["D"]
    sq, sk = case.dims["SQ"], case.dims["SK"]
    # params: std scales q and k (std 3: peaked rows); full = 1 makes every kv_lens Sk;
    # ramp = 1 makes kv_lens[b] = ceil(Sk * (b + 1) / B) (performance cases).
    std = case.params.get("std", 1.0)
    q = (torch.randn(b, h, sq, d, generator=gen) * std).to(case.dtype)
    k = (torch.randn(b, h, sk, d, generator=gen) * std).to(case.dtype)
    v = torch.randn(b, h, sk, d, generator=gen).to(case.dtype)
    if case.params.get("full", 0):
        lens = torch.full((b,), sk, dtype=torch.int64)
    elif case.params.get("ramp", 0):
        lens = -(-sk * torch.arange(1, b + 1, dtype=torch.int64) // b)
    else:
        lens = torch.randint(1, sk + 1, (b,), generator=gen)
        lens[0] = sk          # one entry with no padding
        if b > 1:
            lens[1] = 1       # one entry with a single valid key
    # The padding holds large values, so a kernel that reads it is caught at once.
    pad = torch.arange(sk)[None, :] >= lens[:, None]                 # (B, Sk)
    k = k.masked_fill(pad[:, None, :, None], 30.0)
    v = v.masked_fill(pad[:, None, :, None], 1000.0)
    return [q, k, v, lens.to(torch.int32), 1.0 / math.sqrt(d)]


def reference(q, k, v, kv_lens, sm_scale):
    sk = k.shape[2]
    scores = torch.matmul(q.float(), k.float().transpose(-1, -2)) * sm_scale
    pad = torch.arange(sk, device=q.device)[None, :] >= kv_lens.to(torch.int64)[:, None]
    scores = scores.masked_fill(pad[:, None, None, :], float("-inf"))
    return torch.matmul(torch.softmax(scores, dim=-1), v.float()).to(q.dtype)


def baseline(q, k, v, kv_lens, sm_scale):
    """What a PyTorch user writes: SDPA with a boolean key-padding mask, in the inputs' dtype."""
    valid = torch.arange(k.shape[2], device=q.device)[None, :] < kv_lens[:, None]   # (B, Sk)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=valid[:, None, None, :], scale=sm_scale)
