"""Describes the machine an evaluation runs on, for run records (Environment proto)."""

import os
import platform
import shutil
import socket
import subprocess


def _command_output(argv):
    if shutil.which(argv[0]) is None:
        return ""
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        return out.stdout.strip() if out.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _driver_version(backend):
    if backend == "cuda":
        out = _command_output(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"])
        return out.splitlines()[0] if out else ""
    if backend == "rocm":
        try:
            with open("/sys/module/amdgpu/version") as f:
                return f.read().strip()
        except OSError:
            return _command_output(["rocm-smi", "--showdriverversion"])
    return ""


def gpu_backend():
    """"rocm", "cuda", or "" when torch sees no GPU."""
    import torch

    if not torch.cuda.is_available():
        return ""
    return "rocm" if getattr(torch.version, "hip", None) else "cuda"


def describe(device):
    """Environment dict for `device` ("cpu" or "gpu")."""
    import torch
    import triton

    env = {
        "torch_version": torch.__version__,
        "triton_version": triton.__version__,
        "python_version": platform.python_version(),
        "hostname": socket.gethostname(),
        "os": f"{platform.system()} {platform.release()}",
        "cpu": _cpu_name(),
    }
    if device == "gpu":
        backend = gpu_backend()
        props = torch.cuda.get_device_properties(0)
        env.update({
            "backend": backend,
            "device_name": props.name,
            "device_count": torch.cuda.device_count(),
            "driver_version": _driver_version(backend),
            "runtime_version": (torch.version.hip if backend == "rocm" else torch.version.cuda) or "",
            "device_memory_gb": round(props.total_memory / 2**30, 2),
            "multiprocessor_count": props.multi_processor_count,
        })
    else:
        env.update({"backend": "cpu-interpreter", "device_name": env["cpu"],
                    "device_count": os.cpu_count() or 0})
    return env


def supported_features(device):
    """Feature names (Feature enum in task.proto) the device supports."""
    if device == "cpu":
        # The interpreter emulates these with numpy; fp8/fp4/TMA need real hardware.
        return {"TL_DOT", "FP16", "BF16", "ATOMICS", "INT8_DOT"}
    import torch

    features = {"TL_DOT", "FP16", "ATOMICS", "INT8_DOT", "GPU_ONLY"}
    props = torch.cuda.get_device_properties(0)
    if gpu_backend() == "rocm":
        arch = getattr(props, "gcnArchName", "")
        features.add("BF16")
        if arch.startswith(("gfx94", "gfx95", "gfx12")):
            features |= {"FP8_E4M3", "FP8_E5M2"}
        if arch.startswith("gfx95"):
            features.add("FP4")
        return features
    cc = (props.major, props.minor)
    if cc >= (8, 0):
        features.add("BF16")
    if cc >= (8, 9):
        features |= {"FP8_E4M3", "FP8_E5M2"}
    if cc >= (9, 0):
        features.add("TMA")
    if cc >= (10, 0):
        features.add("FP4")
    return features
