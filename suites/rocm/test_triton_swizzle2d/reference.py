"""test_triton_swizzle2d: a tiled copy of x (M, N) launched in grouped tile order.
The (M, N) matrix is cut into T = tiles_m * tiles_n tiles of (block_m, block_n)
(tiles_m = ceil(M / block_m), tiles_n = ceil(N / block_n)). Launch index p in [0, T)
handles tile swizzle(p // tiles_n, p % tiles_n), where, with G = group_m,
    q = i * tiles_n + j;  band = q // (G * tiles_n);  first = band * G;
    g = min(tiles_m - first, G);  r = q % (G * tiles_n);
    swizzle(i, j) = (first + r % g, r // g)
(Triton's tl.swizzle2d). Outputs: y = x (a copy) and owner (M, N) int32 holding, for
every element, the launch index of the program whose tile contains it."""

import torch


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    bm, bn, g = int(case.params["block_m"]), int(case.params["block_n"]), int(case.params["group_m"])
    x = torch.randn(m, n, generator=gen).to(case.dtype)
    return [x, bm, bn, g]


def tile_owner(tiles_m, tiles_n, group_m):
    """(tiles_m, tiles_n) int64: the launch index that handles each tile."""
    p = torch.arange(tiles_m * tiles_n, dtype=torch.int64)
    size_gj = group_m * tiles_n
    first = (p // size_gj) * group_m
    g = torch.clamp(tiles_m - first, max=group_m)
    r = p % size_gj
    ti, tj = first + r % g, r // g
    owner = torch.full((tiles_m, tiles_n), -1, dtype=torch.int64)
    owner[ti, tj] = p
    assert (owner >= 0).all(), "swizzle is a permutation of the tiles"
    return owner


def reference(x, block_m, block_n, group_m):
    m, n = x.shape
    tiles_m, tiles_n = -(-m // block_m), -(-n // block_n)
    owner = tile_owner(tiles_m, tiles_n, group_m)
    owner = owner.repeat_interleave(block_m, dim=0)[:m].repeat_interleave(block_n, dim=1)[:, :n]
    return x.clone(), owner.to(torch.int32).to(x.device)


def baseline(x, block_m, block_n, group_m):
    """What a PyTorch user writes: the swizzle on the tile grid on x's device, gathered per element."""
    m, n = x.shape
    tiles_m, tiles_n = -(-m // block_m), -(-n // block_n)
    p = torch.arange(tiles_m * tiles_n, device=x.device)
    size_gj = group_m * tiles_n
    first = (p // size_gj) * group_m
    g = torch.clamp(tiles_m - first, max=group_m)
    r = p % size_gj
    owner = torch.empty(tiles_m, tiles_n, dtype=torch.int32, device=x.device)
    owner[first + r % g, r // g] = p.to(torch.int32)
    rows = torch.arange(m, device=x.device) // block_m
    cols = torch.arange(n, device=x.device) // block_n
    return x.clone(), owner[rows[:, None], cols[None, :]]
