"""var_len_copy: copy B variable-length runs of rows from one buffer to another (e.g.
moving sequences' packed KV or hidden rows when a serving pool is compacted):
    dst[dst_start[b] + t] = src[src_start[b] + t]   for 0 <= t < lengths[b].
dst is updated in place; rows outside the destination runs keep their values."""

import torch


def make_inputs(case, gen):
    b, lmax, w = case.dims["B"], case.dims["L"], case.dims["W"]
    # params: full = 1 makes every run exactly L rows (performance cases); otherwise
    # lengths are drawn in [0, L] (empty runs included) with one run exactly L.
    if case.params.get("full", 0):
        lengths = torch.full((b,), lmax, dtype=torch.int64)
    else:
        lengths = torch.randint(0, lmax + 1, (b,), generator=gen)
        lengths[torch.randint(0, b, (1,), generator=gen)] = lmax
    total = int(lengths.sum())
    # Source runs start anywhere in a buffer of total + L rows (they may overlap: reads).
    t_src = total + lmax
    src_start = torch.randint(0, t_src - lmax + 1, (b,), generator=gen)
    src_start = torch.minimum(src_start, t_src - lengths)
    # Destination runs are disjoint, in shuffled order, with gaps of 0-3 rows between.
    order = torch.randperm(b, generator=gen)
    gaps = torch.randint(0, 4, (b,), generator=gen)
    dst_start = torch.empty(b, dtype=torch.int64)
    cur = 0
    for i in order.tolist():
        cur += int(gaps[i])
        dst_start[i] = cur
        cur += int(lengths[i])
    # Sized for the largest gaps (3 per run), so that a performance case's shapes follow
    # from its dims alone; the rows past the last run are left untouched too.
    t_dst = total + 3 * b + 2
    src = torch.randn(t_src, w, generator=gen).to(case.dtype)
    dst = torch.randn(t_dst, w, generator=gen).to(case.dtype)
    return [src, dst, src_start.to(torch.int32), dst_start.to(torch.int32),
            lengths.to(torch.int32), lmax]


def reference(src, dst, src_start, dst_start, lengths, max_len):
    for s, d, n in zip(src_start.tolist(), dst_start.tolist(), lengths.tolist()):
        dst[d:d + n] = src[s:s + n]


def baseline(src, dst, src_start, dst_start, lengths, max_len):
    """What a PyTorch user writes: the row indices of every run (padded to max_len, the
    valid ones picked by a mask), then one indexed copy."""
    t = torch.arange(max_len, device=dst.device)
    valid = t < lengths[:, None]
    # Boolean-mask indexing syncs once with the host: the number of rows is data-dependent.
    src_rows = (src_start.long()[:, None] + t)[valid]
    dst_rows = (dst_start.long()[:, None] + t)[valid]
    dst[dst_rows] = src[src_rows]
