"""PyTorch baselines timed beside the ground truth: what a user gets without writing a
kernel. PyTorch eager is the task's reference itself (`time_reference`); these are
torch.compile (Inductor, which writes Triton kernels on GPUs without any LLM) of the
same reference function.
"""

# The longest a baseline's first call on one case's shapes (its compile) may take. On
# an H200, default-mode compiles took 0.9 s (median) to 10 s over 209 cases, but
# torch.compile of test_randn's reference (Philox rounds in int64 torch ops) had not
# finished after minutes, holding the GPU lock's shared side, so no other task's timing
# could start. One that runs past its limit is recorded as a TIMEOUT baseline failure
# and not tried again in that evaluation. Autotuning benchmarks candidate kernels: more.
FIRST_CALL_LIMIT_S = {"torch_compile": 60, "torch_compile_max_autotune": 300}

# name -> torch.compile keyword arguments
NAMES = {
    "torch_compile": {"mode": "default"},
    "torch_compile_max_autotune": {"mode": "max-autotune"},
}


def unknown(names):
    """The names that are not baselines, in order."""
    return [n for n in names if n not in NAMES]


def build(reference, names):
    """{name: compiled reference} for each baseline name. Compilation happens at the
    first call on each shape: the candidate process makes it before timing
    (Session._compile_baselines) and records its wall time as compile_ms."""
    import torch
    import torch._inductor.config as inductor

    # One compile thread: Inductor's worker pool would outlive the call, and the
    # candidate process counts leftover processes as cheating.
    inductor.compile_threads = 1
    # Static shapes: each performance case gets its own graph, as a user's fixed-shape
    # model would.
    return {name: torch.compile(reference, dynamic=False, **NAMES[name]) for name in names}
