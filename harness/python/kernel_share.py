"""Where a call's GPU time goes: Triton kernels, PyTorch's (and its libraries') compute
kernels, and data movement. A candidate answers a Triton task only if Triton does the
work: one whose GPU time is mostly PyTorch compute (a torch.softmax laundered through a
one-line Triton kernel that loads and stores its output, a cuBLAS GEMM with a Triton
epilogue) is rejected as `mostly_torch`, whatever the data flow says.

The call is profiled once with the PyTorch profiler (Kineto, CUDA or HIP activity).
A kernel is Triton's when Triton compiled it in this process (its name is recorded
when the compiled kernel is built: launch_guard.LaunchGuard.compiled_names).
Copies, fills and memsets are data movement that any implementation may need; every
other kernel is PyTorch compute.
"""

# Substrings of kernel names that are data movement, not computation.
_MOVEMENT = ("memcpy", "memset", "copy", "fill", "zero")

# Below this share of (Triton + PyTorch compute) time in Triton kernels: mostly_torch.
MIN_TRITON_SHARE = 0.5


def classify(kernels, triton_names):
    """KernelTimeShare dict from [(kernel name, GPU microseconds)]."""
    triton_us = torch_us = movement_us = 0.0
    torch_kernels = {}
    for name, us in kernels:
        if name in triton_names:
            triton_us += us
        elif any(word in name.lower() for word in _MOVEMENT):
            movement_us += us
        else:
            torch_us += us
            torch_kernels[name] = torch_kernels.get(name, 0.0) + us
    compute = triton_us + torch_us
    top = sorted(torch_kernels.items(), key=lambda kv: -kv[1])[:5]
    return {"triton_ms": triton_us / 1e3, "torch_compute_ms": torch_us / 1e3,
            "data_movement_ms": movement_us / 1e3,
            "triton_share": triton_us / compute if compute > 0 else 1.0,
            "top_torch_kernels": [f"{name[:160]}: {us / 1e3:.4f} ms" for name, us in top]}


def problem(share):
    """Why a KernelTimeShare is mostly PyTorch, or "" when Triton did the work."""
    if share["triton_share"] >= MIN_TRITON_SHARE:
        return ""
    return (f"PyTorch compute kernels took {share['torch_compute_ms']:.4f} ms of the call's GPU time and "
            f"Triton kernels {share['triton_ms']:.4f} ms (Triton share {share['triton_share']:.0%}, at least "
            f"{MIN_TRITON_SHARE:.0%} asked): {'; '.join(share['top_torch_kernels'][:3])}")


def profile(fn, args, triton_names):
    """Profiles one call of fn(*args) on the GPU. Returns (KernelTimeShare dict, "") or
    (None, why it could not be measured)."""
    import torch

    try:
        from torch.autograd import DeviceType
        from torch.profiler import ProfilerActivity, profile as torch_profile
    except ImportError as e:
        return None, f"the PyTorch profiler is not available: {e}"
    torch.cuda.synchronize()
    try:
        with torch_profile(activities=[ProfilerActivity.CUDA]) as prof:
            fn(*args)
            torch.cuda.synchronize()
        kernels = [(e.name, e.time_range.elapsed_us()) for e in prof.events()
                   if e.device_type in (DeviceType.CUDA, getattr(DeviceType, "HIP", DeviceType.CUDA))]
    except Exception as e:  # noqa: BLE001 - a profiler that fails is reported, not guessed around
        return None, f"the PyTorch profiler failed: {type(e).__name__}: {str(e)[:300]}"
    if not kernels:
        return None, "the profiler recorded no GPU activity for the call (no CUPTI/roctracer?)"
    return classify(kernels, triton_names), ""
