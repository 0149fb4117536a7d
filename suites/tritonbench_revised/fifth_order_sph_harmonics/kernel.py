"""Ground truth for fifth_order_sph_harmonics: one program evaluates BLOCK vectors. With
c_m + i s_m = (x + i y)^m built by complex multiplication, every harmonic is
K_lm * Q_lm(z) * (c_m or s_m), where K_lm * Q_lm is an explicit polynomial in z
(Horner form in z^2, coefficients = normalisation times d^m P_l / dz^m)."""

import torch
import triton
import triton.language as tl


@triton.jit
def _store4(ptr, a, b, c, d, mask):
    # Packs four [BLOCK] columns into a [BLOCK, 4] tile held in each thread's registers
    # (join stacks on a new last dim: join(join(a, c), join(b, d)) reshapes to a, b, c,
    # d) and writes it as one 16-byte vector per row, instead of four 4-byte stores.
    t = tl.reshape(tl.join(tl.join(a, c), tl.join(b, d)), [a.shape[0], 4])
    tl.store(ptr[:, None] + tl.arange(0, 4)[None, :], t, mask=mask[:, None])


@triton.jit
def _sph_kernel(xyz_ptr, out_ptr, n, BLOCK: tl.constexpr):
    # 64-bit row indices: n * 36 may pass 2^31.
    rows = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = rows < n
    src = xyz_ptr + rows * 3
    x = tl.load(src + 0, mask=mask, other=0.0).to(tl.float32)
    y = tl.load(src + 1, mask=mask, other=0.0).to(tl.float32)
    z = tl.load(src + 2, mask=mask, other=0.0).to(tl.float32)
    z2 = z * z
    # c_m = Re (x + iy)^m = sin^m(theta) cos(m phi), s_m = Im (x + iy)^m.
    c1 = x
    s1 = y
    c2 = x * c1 - y * s1
    s2 = x * s1 + y * c1
    c3 = x * c2 - y * s2
    s3 = x * s2 + y * c2
    c4 = x * c3 - y * s3
    s4 = x * s3 + y * c3
    c5 = x * c4 - y * s4
    s5 = x * s4 + y * c4
    # Column l*l + l + m holds Y_l^m (m = -l..l); a row is 144 contiguous bytes.
    o = out_ptr + rows * 36
    # l = 0
    y0 = tl.full([BLOCK], 1.0, tl.float32)
    # l = 1
    y2 = 1.7320508075688772 * z
    y1 = 1.7320508075688772 * s1
    y3 = 1.7320508075688772 * c1
    # l = 2
    y6 = 3.3541019662496847 * z2 - 1.118033988749895
    q = 3.8729833462074175 * z
    y5 = q * s1
    y7 = q * c1
    y4 = 1.9364916731037087 * s2
    y8 = 1.9364916731037087 * c2
    # l = 3
    y12 = (6.614378277661476 * z2 - 3.968626966596886) * z
    q = 8.100925873009826 * z2 - 1.620185174601965
    y11 = q * s1
    y13 = q * c1
    q = 5.1234753829798 * z
    y10 = q * s2
    y14 = q * c2
    y9 = 2.091650066335189 * s3
    y15 = 2.091650066335189 * c3
    # l = 4
    y20 = (13.125 * z2 - 11.25) * z2 + 1.125
    q = (16.601957715883994 * z2 - 7.1151247353788545) * z
    y19 = q * s1
    y21 = q * c1
    q = 11.739356881873897 * z2 - 1.6770509831248424
    y18 = q * s2
    y22 = q * c2
    q = 6.274950199005566 * z
    y17 = q * s3
    y23 = q * c3
    y16 = 2.218529918662356 * s4
    y24 = 2.218529918662356 * c4
    # l = 5
    y30 = ((26.118420224048773 * z2 - 29.02046691560975) * z2 + 6.218671481916375) * z
    q = (33.71873551899596 * z2 - 22.479157012663975) * z2 + 1.6056540723331412
    y29 = q * s1
    y31 = q * c1
    q = (25.488968201949643 * z2 - 8.496322733983215) * z
    y28 = q * s2
    y32 = q * c2
    q = 15.608741541200558 * z2 - 1.734304615688951
    y27 = q * s3
    y33 = q * c3
    q = 7.358031326380718 * z
    y26 = q * s4
    y34 = q * c4
    y25 = 2.326813808623286 * s5
    y35 = 2.326813808623286 * c5
    # Nine 16-byte stores per row (4 consecutive columns each).
    _store4(o + 0, y0, y1, y2, y3, mask)
    _store4(o + 4, y4, y5, y6, y7, mask)
    _store4(o + 8, y8, y9, y10, y11, mask)
    _store4(o + 12, y12, y13, y14, y15, mask)
    _store4(o + 16, y16, y17, y18, y19, mask)
    _store4(o + 20, y20, y21, y22, y23, mask)
    _store4(o + 24, y24, y25, y26, y27, mask)
    _store4(o + 28, y28, y29, y30, y31, mask)
    _store4(o + 32, y32, y33, y34, y35, mask)


def fifth_order_sph_harmonics(xyz: torch.Tensor) -> torch.Tensor:
    n = xyz.shape[0]
    out = torch.empty((n, 36), device=xyz.device, dtype=torch.float32)
    if n == 0:
        return out
    block = 256
    _sph_kernel[(triton.cdiv(n, block),)](xyz, out, n, BLOCK=block, num_warps=4)
    return out
