"""kcache_copy_triton: decode-time append of new KEYS only (no values) into a blocked
key cache laid out (num_blocks, H, block_size, D). Sequence b has seq_lens[b] tokens
including its n new ones, so new token j sits at position p = seq_lens[b] - n + j,
in block block_tables[b, p // block_size] at offset p % block_size:
    k_cache[block, :, p % block_size, :] = k[b, j]."""

import torch


def make_inputs(case, gen):
    b, n, h, d = case.dims["B"], case.dims["N"], case.dims["H"], case.dims["D"]
    bs, lmax = case.dims["BS"], case.dims["L"]
    max_blocks = -(-lmax // bs)
    num_blocks = b * max_blocks + 1
    k = torch.randn(b, n, h, d, generator=gen).to(case.dtype)
    k_cache = torch.randn(num_blocks, h, bs, d, generator=gen).to(case.dtype)
    seq_lens = torch.randint(n, lmax + 1, (b,), generator=gen)
    # Each sequence owns distinct, scattered blocks; table entries past its length are -1.
    pool = torch.randperm(num_blocks, generator=gen)[: b * max_blocks].reshape(b, max_blocks)
    used = torch.arange(max_blocks)[None, :] < (-(-seq_lens // bs))[:, None]
    block_tables = torch.where(used, pool, torch.full_like(pool, -1)).to(torch.int32)
    return [k, k_cache, seq_lens.to(torch.int32), block_tables]


def reference(k, k_cache, seq_lens, block_tables):
    b, n = k.shape[0], k.shape[1]
    bs = k_cache.shape[2]
    pos = seq_lens.to(torch.int64)[:, None] - n + torch.arange(n, device=k.device)[None, :]   # (B, n)
    blk = torch.gather(block_tables.to(torch.int64), 1, pos // bs)          # (B, n)
    k_cache[blk.reshape(-1), :, (pos % bs).reshape(-1), :] = k.reshape(b * n, *k.shape[2:])


# The reference is already what a PyTorch user writes.
baseline = reference
