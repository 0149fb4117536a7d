"""The process-wide switches of torch a kernel could flip to change what other code in
the process computes or how fast: TF32 and reduced-precision reductions, deterministic
algorithms, cuDNN's autotuner, the default dtype and device, grad mode, the current
stream. A kernel that leaves one changed would change its user's whole program (and,
in a process shared with the yardstick, the yardstick), so the candidate process
compares them with their values before the candidate was imported, after the import
and after every call (REJECTED_BY_CHECK global_state), and the yardstick process sets
them to torch's defaults before it times anything.
"""

import torch


def _matmul_precision():
    return torch.get_float32_matmul_precision()


def _default_device():
    getter = getattr(torch, "get_default_device", None)
    return str(getter()) if getter else "cpu"


def _current_stream():
    if not torch.cuda.is_available() or not torch.cuda.is_initialized():
        return "default"
    stream = torch.cuda.current_stream()
    return "default" if stream == torch.cuda.default_stream() else f"stream {stream.stream_id}"


# name -> reader of its current value
_SWITCHES = {
    "torch.backends.cuda.matmul.allow_tf32": lambda: torch.backends.cuda.matmul.allow_tf32,
    "torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction":
        lambda: torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction,
    "torch.backends.cuda.matmul.allow_bf16_reduced_precision_reduction":
        lambda: torch.backends.cuda.matmul.allow_bf16_reduced_precision_reduction,
    "torch.backends.cudnn.allow_tf32": lambda: torch.backends.cudnn.allow_tf32,
    "torch.backends.cudnn.benchmark": lambda: torch.backends.cudnn.benchmark,
    "torch.backends.cudnn.deterministic": lambda: torch.backends.cudnn.deterministic,
    "torch.backends.cudnn.enabled": lambda: torch.backends.cudnn.enabled,
    "torch.get_float32_matmul_precision()": _matmul_precision,
    "torch.are_deterministic_algorithms_enabled()": torch.are_deterministic_algorithms_enabled,
    "torch.get_default_dtype()": torch.get_default_dtype,
    "default device": _default_device,
    "torch.is_grad_enabled()": torch.is_grad_enabled,
    "torch.is_inference_mode_enabled()": torch.is_inference_mode_enabled,
    "current CUDA stream": _current_stream,
}


def snapshot():
    """{switch: value} now; a switch that cannot be read holds its exception's text."""
    out = {}
    for name, read in _SWITCHES.items():
        try:
            out[name] = read()
        except Exception as e:  # noqa: BLE001 - an unreadable switch is a value too
            out[name] = f"unreadable: {type(e).__name__}"
    return out


def changed(before, after=None):
    """"name: old -> new" for every switch that differs between two snapshots (after:
    now), in a stable order."""
    after = snapshot() if after is None else after
    return [f"{name}: {before[name]!r} -> {after.get(name)!r}" for name in before
            if before[name] != after.get(name)]


def set_defaults():
    """torch's defaults, for a process that times trusted code (the yardstick)."""
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction = True
    torch.backends.cuda.matmul.allow_bf16_reduced_precision_reduction = True
    torch.set_float32_matmul_precision("highest")
    torch.backends.cudnn.enabled = True
    torch.backends.cudnn.allow_tf32 = True
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = False
    torch.use_deterministic_algorithms(False)
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)
