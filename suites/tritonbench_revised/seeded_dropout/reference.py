"""seeded_dropout: dropout whose mask is generated from an integer seed with Triton's
Philox generator. For the flat (row-major) index i of x (M, N):
    r_i = tl.rand(seed, i)                       (float32 in [0, 1))
    out_i = x_i / (1 - p) if r_i > p else 0      (p compared as float32)
computed in float32 or better and returned in x's dtype. philox_rand() below
re-implements tl.rand bit for bit (triton/language/random.py, Triton 3.x): Philox-4x32
with 10 rounds, counter (offset low 32 bits, offset high 32 bits, 0, 0), key (seed low 32
bits, seed high 32 bits); the first output word, bitcast to int32, folded to
[0, 2^31) by x -> -x - 1 for negative x, converted to float32 and multiplied by the
float32 constant 4.6566127342e-10."""

import torch

_M32 = 0xFFFFFFFF
_ROUND_A, _ROUND_B = 0xD2511F53, 0xCD9E8D57
_KEY_A, _KEY_B = 0x9E3779B9, 0xBB67AE85


def _mul_hi_lo(a, x):
    """(a * x) >> 32 and (a * x) mod 2^32 for a constant a < 2^32 and an int64 tensor x
    of values < 2^32, without int64 overflow (x split into 16-bit halves)."""
    xh, xl = x >> 16, x & 0xFFFF
    ph, pl = a * xh, a * xl  # each < 2^48
    hi = (ph + (pl >> 16)) >> 16
    lo = (((ph & 0xFFFF) << 16) + pl) & _M32
    return hi, lo


def philox_uint32(seed, offsets, n_rounds=10):
    """tl.randint(seed, offsets) as int64 values in [0, 2^32)."""
    seed = int(seed) & 0xFFFFFFFFFFFFFFFF
    off = offsets.to(torch.int64)
    c0, c1 = off & _M32, (off >> 32) & _M32
    c2 = torch.zeros_like(c0)
    c3 = torch.zeros_like(c0)
    k0, k1 = seed & _M32, (seed >> 32) & _M32
    for _ in range(n_rounds):
        hi_b, lo_b = _mul_hi_lo(_ROUND_B, c2)
        hi_a, lo_a = _mul_hi_lo(_ROUND_A, c0)
        c0, c1, c2, c3 = hi_b ^ c1 ^ k0, lo_b, hi_a ^ c3 ^ k1, lo_a
        k0 = (k0 + _KEY_A) & _M32
        k1 = (k1 + _KEY_B) & _M32
    return c0


def philox_rand(seed, offsets):
    """tl.rand(seed, offsets): float32 in [0, 1), bit-identical to Triton."""
    x = philox_uint32(seed, offsets)
    x = torch.where(x >= 2 ** 31, x - 2 ** 32, x)  # bitcast to int32
    x = torch.where(x < 0, -x - 1, x)
    return x.to(torch.float32) * torch.tensor(4.6566127342e-10, dtype=torch.float32)


def make_inputs(case, gen):
    m, n = case.dims["M"], case.dims["N"]
    p = case.params.get("p", 0.5)
    x = torch.randn(m, n, generator=gen, dtype=torch.float32).to(case.dtype)
    seed = int(torch.randint(0, 2 ** 31 - 1, (1,), generator=gen).item())
    # params.big_seed: a seed past 2^32, so both 32-bit halves of the Philox key matter.
    if case.params.get("big_seed", 0.0):
        seed += 2 ** 40
    return [x, p, seed]


def reference(x, p, seed):
    r = philox_rand(seed, torch.arange(x.numel(), device=x.device)).reshape(x.shape)
    keep = r > torch.tensor(p, dtype=torch.float32)
    scaled = x.to(torch.float64) / (1.0 - p)
    return torch.where(keep, scaled, torch.zeros_like(scaled)).to(x.dtype)


def baseline(x, p, seed):
    """What a PyTorch user writes: the same Philox stream (no built-in op reproduces tl.rand), scaled in x's dtype."""
    r = philox_rand(seed, torch.arange(x.numel(), device=x.device)).view(x.shape)
    return torch.where(r > p, x / (1.0 - p), 0.0)  # p compared as float32
