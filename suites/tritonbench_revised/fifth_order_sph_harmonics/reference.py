"""fifth_order_sph_harmonics: real spherical harmonics of degrees l = 0..5 of unit
vectors (x, y, z), in e3nn's "component" normalisation (sum_m Y_l^m(u)^2 = 2l + 1 for
a unit vector u), z as the polar axis and no Condon-Shortley phase:
    Y_l^m = K_lm * Q_l^|m|(z) * A_m(x, y),
    K_lm  = sqrt((2l + 1) (l - |m|)! / (l + |m|)!), times sqrt(2) when m != 0,
    Q_l^k = d^k P_l / dz^k (P_l the Legendre polynomial),
    A_m   = Re (x + iy)^m for m > 0, Im (x + iy)^|m| for m < 0, 1 for m = 0.
Output column l*l + l + m (36 columns in all). Evaluated here in float64 with the
associated-Legendre recurrence, independently of the kernel's explicit polynomials."""

import math

import torch


def make_inputs(case, gen):
    n = case.dims["N"]
    v = torch.randn(n, 3, generator=gen, dtype=torch.float64)
    # Edge directions: the six axis directions and a diagonal (poles, where
    # sin(theta) = 0 and every m != 0 harmonic vanishes).
    axes = torch.tensor([[0, 0, 1], [0, 0, -1], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0],
                         [1, 1, 1]], dtype=torch.float64)
    k = min(n, axes.shape[0])
    v[:k] = axes[:k]
    v = v / v.norm(dim=1, keepdim=True)
    return [v.to(torch.float32)]


def columns(x, y, z):
    """The 36 output columns from the coordinates, computed in their dtype."""
    # Re/Im of (x + iy)^m.
    re, im = [torch.ones_like(x)], [torch.zeros_like(x)]
    for m in range(1, 6):
        re.append(re[m - 1] * x - im[m - 1] * y)
        im.append(im[m - 1] * x + re[m - 1] * y)
    cols = [None] * 36
    for m in range(0, 6):
        # Q_l^m for l = m..5: Q_m^m = (2m-1)!!, Q_{m+1}^m = (2m+1) z Q_m^m,
        # (l - m) Q_l^m = (2l - 1) z Q_{l-1}^m - (l + m - 1) Q_{l-2}^m.
        q = {m: torch.full_like(z, float(math.prod(range(1, 2 * m, 2))))}
        if m + 1 <= 5:
            q[m + 1] = (2 * m + 1) * z * q[m]
        for l in range(m + 2, 6):
            q[l] = ((2 * l - 1) * z * q[l - 1] - (l + m - 1) * q[l - 2]) / (l - m)
        for l in range(m, 6):
            k = math.sqrt((2 * l + 1) * math.factorial(l - m) / math.factorial(l + m))
            if m == 0:
                cols[l * l + l] = k * q[l]
            else:
                kq = (k * math.sqrt(2.0)) * q[l]
                cols[l * l + l + m] = kq * re[m]
                cols[l * l + l - m] = kq * im[m]
    return cols


def reference(xyz):
    return torch.stack(columns(*xyz.to(torch.float64).unbind(dim=1)), dim=1).to(torch.float32)


def baseline(xyz):
    """What a PyTorch user writes: the same Legendre recurrence in float32, columns stacked."""
    return torch.stack(columns(*xyz.unbind(dim=1)), dim=1)
