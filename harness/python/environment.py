"""Describes the machine an evaluation runs on, for run records (Environment proto):
the GPU and its vendor stack, the features tasks may require (Feature in task.proto),
and torch/triton pairings that cannot work (stack_problems)."""

import glob
import os
import platform
import re
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


def _read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return ""


def _amd_smi_version(field):
    """A field of `amd-smi version` ("ROCm version: 6.4.1 | amdgpu version: ...")."""
    m = re.search(rf"{field} version:\s*([^\s|,]+)", _command_output(["amd-smi", "version"]), re.I)
    return m.group(1) if m else ""


def _driver_version(backend):
    if backend == "cuda":
        out = _command_output(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"])
        return out.splitlines()[0] if out else ""
    if backend == "rocm":
        # The DKMS amdgpu module states its version; the in-tree one does not.
        version = _read("/sys/module/amdgpu/version") or _amd_smi_version("amdgpu")
        if not version:
            m = re.search(r"Driver version:\s*(\S+)", _command_output(["rocm-smi", "--showdriverversion"]))
            version = m.group(1) if m else ""
        return version
    return ""


def _rocm_version():
    """The ROCm installation's version (which may differ from the HIP torch was built with)."""
    for root in (os.environ.get("ROCM_PATH", ""), "/opt/rocm"):
        version = root and _read(os.path.join(root, ".info", "version"))
        if version:
            return version
    return _amd_smi_version("ROCm")


def _amd_card(props):
    """The /sys/class/drm card folder of GPU 0, matched by PCI bus where torch gives it."""
    bus, dev = getattr(props, "pci_bus_id", None), getattr(props, "pci_device_id", 0)
    for card in sorted(glob.glob("/sys/class/drm/card[0-9]*/device")):
        if not os.path.exists(os.path.join(card, "pp_dpm_sclk")):
            continue
        if bus is None or os.path.realpath(card).lower().endswith(f":{bus:02x}:{dev:02x}.0"):
            return card
    return ""


def _dpm_levels(path):
    """(current MHz, highest MHz) from an amdgpu pp_dpm_* file ("2: 2100Mhz *")."""
    current, levels = "", []
    for line in _read(path).splitlines():
        m = re.search(r"(\d+)\s*Mhz", line, re.I)
        if m:
            levels.append(int(m.group(1)))
            if line.rstrip().endswith("*"):
                current = m.group(1)
    return current, (str(max(levels)) if levels else "")


def _clocks(backend, props):
    """Graphics and memory clocks, current and highest, in MHz, as one line."""
    if backend == "cuda":
        out = _command_output(["nvidia-smi", "--id=0", "--format=csv,noheader,nounits",
                               "--query-gpu=clocks.sm,clocks.max.sm,clocks.mem,clocks.max.mem"])
        parts = [p.strip() for p in out.splitlines()[0].split(",")] if out else []
        if len(parts) == 4:
            return f"sm {parts[0]} MHz (max {parts[1]}), memory {parts[2]} MHz (max {parts[3]})"
        return ""
    if backend == "rocm":
        card = _amd_card(props)
        if card:
            sclk, sclk_max = _dpm_levels(os.path.join(card, "pp_dpm_sclk"))
            mclk, mclk_max = _dpm_levels(os.path.join(card, "pp_dpm_mclk"))
            return f"sclk {sclk or '?'} MHz (max {sclk_max or '?'}), mclk {mclk or '?'} MHz (max {mclk_max or '?'})"
        # "GPU[0] : sclk clock level: 1: (2100Mhz)"
        out = _command_output(["rocm-smi", "-d", "0", "--showclocks"])
        found = dict(re.findall(r"\b([sm]clk) clock level:\s*\d+:\s*\((\d+)\s*Mhz\)", out, re.I))
        return ", ".join(f"{kind} {found[kind]} MHz" for kind in ("sclk", "mclk") if kind in found)
    return ""


def device_arch(props):
    """"gfx942:sramecc+:xnack-" on ROCm, "sm_90" on CUDA."""
    return getattr(props, "gcnArchName", "") or f"sm_{props.major}{props.minor}"


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
        "triton_build": triton_build(),
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
            "device_arch": device_arch(props),
            "rocm_version": _rocm_version() if backend == "rocm" else "",
            "clocks": _clocks(backend, props),
        })
    else:
        env.update({"backend": "cpu-interpreter", "device_name": env["cpu"],
                    "device_count": os.cpu_count() or 0})
    env["supported_features"] = sorted(supported_features(device))
    env["stack_problems"] = stack_problems()
    return env


# Feature (task.proto) -> Triton's name of that fp8 format.
_FP8_FORMATS = {"FP8_E4M3": "fp8e4nv", "FP8_E5M2": "fp8e5",
                "FP8_E4M3FNUZ": "fp8e4b8", "FP8_E5M2FNUZ": "fp8e5b16"}


def _triton_fp8_formats():
    """The fp8 formats the installed Triton compiles for GPU 0 (its backend's own list:
    on MI300 it emulates the OCP formats in software and has the FNUZ ones natively;
    NVIDIA has the OCP ones from sm_89). None where Triton cannot say."""
    try:
        from triton.compiler.compiler import make_backend
        from triton.runtime import driver

        options = make_backend(driver.active.get_current_target()).parse_options({})
        return set(getattr(options, "supported_fp8_dtypes", ()))
    except Exception:  # noqa: BLE001 - a Triton without this API, or no driver
        return None


def supported_features(device):
    """Feature names (Feature enum in task.proto) the device supports."""
    if device == "cpu":
        # The interpreter emulates these with numpy; fp8/fp4/TMA need real hardware.
        return {"TL_DOT", "FP16", "BF16", "ATOMICS", "INT8_DOT"}
    import torch

    features = {"TL_DOT", "FP16", "ATOMICS", "INT8_DOT", "GPU_ONLY"}
    props = torch.cuda.get_device_properties(0)
    fp8 = _triton_fp8_formats()
    if gpu_backend() == "rocm":
        arch = getattr(props, "gcnArchName", "")
        features.add("BF16")
        if fp8 is None:
            fp8 = {"fp8e4b8", "fp8e5b16", "fp8e4nv", "fp8e5"} if arch.startswith("gfx94") else \
                  {"fp8e4nv", "fp8e5"} if arch.startswith(("gfx95", "gfx12")) else set()
        if arch.startswith("gfx95"):
            features.add("FP4")
    else:
        cc = (props.major, props.minor)
        if fp8 is None:
            fp8 = {"fp8e4nv", "fp8e5"} if cc >= (8, 9) else set()
        if cc >= (8, 0):
            features.add("BF16")
        if cc >= (9, 0):
            features.add("TMA")
        if cc >= (10, 0):
            features.add("FP4")
    features |= {feature for feature, name in _FP8_FORMATS.items() if name in fp8}
    return features


def unsupported_reason(missing, device):
    """The UNSUPPORTED message: which required features this device lacks, naming it."""
    if device == "cpu":
        where = "the Triton CPU interpreter"
    else:
        import torch

        props = torch.cuda.get_device_properties(0)
        where = f"{props.name} ({device_arch(props)}, {gpu_backend()})"
    return f"{where} lacks required feature(s): {', '.join(missing)}"


def triton_build():
    """Which distribution installed the triton module, its version and its backends:
    "pytorch-triton-rocm 3.3.1+git... (backends: amd)"."""
    dists, version = _triton_distributions()
    return f"{'+'.join(dists) or 'triton'} {version} (backends: {', '.join(_triton_backends()) or 'none'})"


def _triton_distributions():
    from importlib import metadata

    names = sorted(set(metadata.packages_distributions().get("triton", [])))
    import triton

    return names, triton.__version__


def _triton_backends():
    try:
        from triton.backends import backends
        return sorted(backends)
    except Exception:  # noqa: BLE001 - an old or broken triton
        return []


def _torch_triton_pin():
    """(distribution, version) of the triton torch was built against, from torch's
    package metadata (Requires-Dist: triton==3.6.0 / pytorch-triton-rocm==...), or None
    where torch names none (CPU builds, builds from source)."""
    from importlib import metadata

    try:
        requires = metadata.requires("torch") or []
    except metadata.PackageNotFoundError:
        return None
    for req in requires:
        m = re.match(r"\s*(triton|pytorch-triton(?:-rocm|-xpu)?)\s*==\s*([^\s;,]+)", req)
        if m:
            return m.group(1), m.group(2)
    return None


def _wheel_index(hip, cuda):
    """PyTorch's wheel index for this build: .../rocm6.4 for HIP 6.4.x, .../cu128 for CUDA 12.8."""
    if hip:
        return "https://download.pytorch.org/whl/rocm" + ".".join(hip.split(".")[:2])
    if cuda:
        return "https://download.pytorch.org/whl/cu" + "".join(cuda.split(".")[:2])
    return ""


_VENDOR_NAME = {"rocm": "ROCm", "cuda": "CUDA"}


def stack_problems():
    """torch/triton pairings that will not work, as [{fatal, problem, fix}]. Fatal: a ROCm
    build of torch with a triton that has no AMD backend (a CUDA build of triton), or a
    CUDA build of torch with a triton that has no NVIDIA backend: no kernel can compile
    for the GPU that torch drives. Reported only: a triton other than the one torch was
    built against (another version or distribution: kernels often still run, torch.compile
    may not), or two distributions installing the triton module."""
    import torch
    from importlib import metadata

    hip, cuda = getattr(torch.version, "hip", None), getattr(torch.version, "cuda", None)
    vendor = "rocm" if hip else "cuda" if cuda else ""
    backends = _triton_backends()
    dists, triton_version = _triton_distributions()
    pin = _torch_triton_pin()
    wanted = f"{pin[0]}=={pin[1]}" if pin else "the triton your torch was built with"
    index = _wheel_index(hip, cuda)
    reinstall = (f"pip uninstall -y {' '.join(dists) or 'triton'} && pip install {wanted}"
                 f"{' --index-url ' + index if index and pin else ''}")
    installed = f"triton {triton_version} (distribution {'+'.join(dists) or 'unknown'})"
    problems = []
    need = {"rocm": "amd", "cuda": "nvidia"}.get(vendor)
    if need and need not in backends:
        problems.append({"fatal": True, "fix": reinstall, "problem": (
            f"torch {torch.__version__} is a {_VENDOR_NAME[vendor]} build, but {installed} has no '{need}' "
            f"backend (it has: {', '.join(backends) or 'none'}): no kernel can compile for this GPU")})
    elif pin and len(dists) <= 1:
        try:
            have = metadata.version(pin[0])
        except metadata.PackageNotFoundError:
            have = None
        if have != pin[1]:
            problems.append({"fatal": False, "fix": reinstall, "problem": (
                f"torch {torch.__version__} was built against {wanted}, but this environment has {installed}")})
    if len(dists) > 1:
        problems.append({"fatal": False, "fix": reinstall, "problem": (
            f"{len(dists)} distributions install the triton module ({', '.join(dists)}); the one installed "
            "last wins")})
    return problems
