"""Ground truth for spinning_lock_reduction: program (i, j) sums row chunk i of column
block j into a float32 partial, then takes column block j's spin lock (atomic
compare-and-swap on an int32 flag), adds its partial into the zero-initialized output,
and releases the lock. Row chunks are sized so that ~512 programs run and each lock
sees only a few dozen contenders."""

import torch
import triton
import triton.language as tl


@triton.jit
def _colsum_lock_kernel(x_ptr, out_ptr, lock_ptr, M, N, stride_m, rows_per_prog,
                        BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    pid_m = tl.program_id(0)
    pid_n = tl.program_id(1)
    cols = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    col_ok = cols < N
    r_lo = pid_m * rows_per_prog
    r_hi = tl.minimum(r_lo + rows_per_prog, M)
    rows = tl.arange(0, BLOCK_M)
    acc = tl.zeros([BLOCK_M, BLOCK_N], dtype=tl.float32)
    for r0 in range(r_lo, r_hi, BLOCK_M):
        r = r0 + rows
        mask = (r[:, None] < r_hi) & col_ok[None, :]
        # 64-bit row offsets: M * N may pass 2^31 elements.
        ptrs = x_ptr + r.to(tl.int64)[:, None] * stride_m + cols[None, :]
        acc += tl.load(ptrs, mask=mask, other=0.0).to(tl.float32)
    part = tl.sum(acc, axis=0)

    lock = lock_ptr + pid_n
    # Acquire: spin until this program flips the flag 0 -> 1 (acq_rel by default).
    while tl.atomic_cas(lock, 0, 1) == 1:
        pass
    # Critical section. volatile: read the current total from memory, not a stale cache.
    cur = tl.load(out_ptr + cols, mask=col_ok, other=0.0, volatile=True)
    tl.store(out_ptr + cols, cur + part, mask=col_ok)
    # Every thread's store must precede the release done by the atomic below.
    tl.debug_barrier()
    tl.atomic_xchg(lock, 0)


def spinning_lock_reduction(x: torch.Tensor) -> torch.Tensor:
    m, n = x.shape
    out = torch.zeros(n, dtype=torch.float32, device=x.device)
    if m == 0 or n == 0:
        return out
    block_n = min(128, triton.next_power_of_2(n))
    block_m = max(1, 4096 // block_n)  # ~4K-element tiles
    col_blocks = triton.cdiv(n, block_n)
    # ~512 programs in all, but at least 256 rows per program.
    chunks = max(1, min(triton.cdiv(512, col_blocks), triton.cdiv(m, 256)))
    rows_per_prog = triton.cdiv(m, chunks)
    chunks = triton.cdiv(m, rows_per_prog)
    locks = torch.zeros(col_blocks, dtype=torch.int32, device=x.device)
    _colsum_lock_kernel[(chunks, col_blocks)](x, out, locks, m, n, x.stride(0), rows_per_prog,
                                              BLOCK_M=block_m, BLOCK_N=block_n, num_warps=4)
    return out
