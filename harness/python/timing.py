"""GPU latency measurement: device events around each call, L2 flushed between calls,
and the GPU kept busy just before each call so that host launch latency stays out.

Works on CUDA and ROCm builds of torch (torch.cuda is HIP on ROCm). Never used on the
CPU: interpreter timings say nothing about kernel speed.
"""

import statistics
import time

import torch


class L2Flusher:
    """Overwrites a buffer larger than the device's caches before each timed call, so
    that a call does not find its inputs in cache from the previous repetition."""

    # Memory-side last-level caches that torch's L2_cache_size leaves out, by
    # gcnArchName: the Infinity Cache (MALL) of MI300X/MI325X (gfx942) and MI350 (gfx950).
    INFINITY_CACHE = {"gfx942": 256 << 20, "gfx950": 256 << 20}

    def __init__(self, enabled):
        self.buffer = None
        if enabled:
            size = self.size_bytes(torch.cuda.get_device_properties(torch.cuda.current_device()))
            self.buffer = torch.empty(size // 4, dtype=torch.int32, device="cuda")

    @classmethod
    def size_bytes(cls, props):
        """Twice the caches' total, at least 512 MiB."""
        l2 = getattr(props, "L2_cache_size", 0) or (256 << 20)
        arch = (getattr(props, "gcnArchName", "") or "").split(":")[0]
        return max(2 * (l2 + cls.INFINITY_CACHE.get(arch, 0)), 512 << 20)

    def __call__(self):
        if self.buffer is not None:
            self.buffer.zero_()


class LaunchSlack:
    """Keeps the GPU busy for about SLACK_MS before each timed call, so that the host has
    queued the call's start event and launches before the GPU reaches them. Without it a
    short kernel's events also catch the host's launch latency: on an H200 with five
    other evaluations drawing inputs on the CPU (evaluate --jobs=6), ground truth timed
    against itself read 0.87x-0.93x on 0.03-0.08 ms kernels, their latencies split into
    two modes (p20 0.027 ms, p80 0.063 ms). Uses torch.cuda._sleep (a spin kernel; CUDA
    and ROCm builds); a no-op where torch lacks it."""

    SLACK_MS = 1.0

    def __init__(self):
        self.cycles = 0
        sleep = getattr(torch.cuda, "_sleep", None)
        if sleep is None:
            return
        probe = 1 << 20
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        sleep(probe)  # first launch: module load
        start.record()
        sleep(probe)
        end.record()
        torch.cuda.synchronize()
        ms = start.elapsed_time(end)
        if ms > 0:
            self.cycles = int(probe * self.SLACK_MS / ms)

    def __call__(self):
        if self.cycles:
            torch.cuda._sleep(self.cycles)


# Timed calls of one function per case stop once their estimated total passes this
# (at least MIN_REPETITIONS): a 650 ms eager reference timed 100 times would hold the
# GPU (and, with evaluate --jobs, every other evaluation) for over a minute per case.
# Kernels under 5 ms still get every repetition asked for (100 by default); the slow
# ones are eager references looping over time steps in float32/float64 (0.2-1.5 s a
# call on an H200): host-bound, so more calls would not make them exact (their spread
# over 5 calls under evaluate --jobs=6 was 1-25%, from the other jobs' CPU load).
TIME_BUDGET_MS = 500.0
MIN_REPETITIONS = 3


def measure(fns, args, warmup_ms, repetitions, flush):
    """Times each of `fns` ({name: callable}) on the same args, up to `repetitions` times.

    Each function first warms up (the first call compiles and autotunes) for at least
    one more call and `warmup_ms` of wall time; the wall time of its first call, synchronized,
    is kept as first_call_ms (a kernel's JIT compile; torch.compile baselines arrive
    compiled, by the candidate process's stage op), and the warm-up's mean sets how many
    timed calls fit TIME_BUDGET_MS. The timed calls then alternate between
    the functions, one call each per round, so that clock and temperature drift during
    the measurement (seen on an H100: a kernel timed after itself ran 16% slower) falls
    on all of them alike. Each round's order is a fresh (seeded) permutation, so that no
    function always follows the same one: with a fixed cyclic order the kernel called
    right after a long eager reference (127 ms) read 1.75x slower than the same kernel
    in another slot (H200, test_triton_swizzle2d against itself; its p20 was unchanged).
    Returns {name: LatencyStats dict} in milliseconds.
    """
    first_call_ms, planned = {}, {}
    for name, fn in fns.items():
        torch.cuda.synchronize()
        start = time.perf_counter()
        fn(*args)
        torch.cuda.synchronize()
        first_call_ms[name] = (time.perf_counter() - start) * 1e3
        start = time.perf_counter()
        calls = 0
        while calls < 1 or (time.perf_counter() - start) * 1e3 < warmup_ms:
            fn(*args)
            calls += 1
            if calls % 8 == 0:
                torch.cuda.synchronize()
        torch.cuda.synchronize()
        planned[name] = planned_repetitions((time.perf_counter() - start) * 1e3 / calls, repetitions)
    slack = LaunchSlack()
    events = {name: [(torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True))
                     for _ in range(planned[name])] for name in fns}
    for i, names in enumerate(round_orders(planned)):
        for name in names:
            start_event, end_event = events[name][i]
            flush()
            slack()
            start_event.record()
            fns[name](*args)
            end_event.record()
    torch.cuda.synchronize()
    return {name: dict(summarize([s.elapsed_time(e) for s, e in pairs]), first_call_ms=first_call_ms[name])
            for name, pairs in events.items()}


def planned_repetitions(mean_ms, repetitions):
    """Timed calls for a function whose warm-up calls took `mean_ms` each: `repetitions`,
    or fewer (not under MIN_REPETITIONS) where they would pass TIME_BUDGET_MS."""
    fit = int(TIME_BUDGET_MS / max(mean_ms, 1e-3))
    return max(1, min(repetitions, max(MIN_REPETITIONS, fit)))


def round_orders(planned, seed=0x7B):
    """The timed rounds: round i calls every function with more than i planned calls,
    in a seeded random order of its own."""
    import random

    rng = random.Random(seed)
    rounds = []
    for i in range(max(planned.values(), default=0)):
        names = [n for n in planned if i < planned[n]]
        rng.shuffle(names)
        rounds.append(names)
    return rounds


def summarize(times_ms):
    """Median, mean, spread and quantiles of a list of latencies."""
    ordered = sorted(times_ms)
    n = len(ordered)

    def quantile(q):
        return ordered[min(n - 1, max(0, round(q * (n - 1))))]

    return {
        "median_ms": statistics.median(ordered),
        "mean_ms": statistics.fmean(ordered),
        "stdev_ms": statistics.stdev(ordered) if n > 1 else 0.0,
        "min_ms": ordered[0],
        "max_ms": ordered[-1],
        "p20_ms": quantile(0.2),
        "p80_ms": quantile(0.8),
        "repetitions": n,
    }


def throughput(flops, nbytes, median_ms):
    """(TFLOP/s, GB/s) achieved at a median latency; 0 where a count is 0."""
    seconds = median_ms * 1e-3
    if seconds <= 0:
        return 0.0, 0.0
    return flops / seconds / 1e12, nbytes / seconds / 1e9


def synced_wall_excess_ms(fn, args, calls=10):
    """Median over `calls` of (host wall time of one call up to a device-wide
    synchronize) minus (device events recorded around it on the current stream), in
    ms. For a kernel on the current stream this is the synchronize's round trip, tens
    of microseconds; work hidden on another stream, or left running after the call
    returns, shows up here as the time the events missed."""
    excess = []
    for _ in range(calls):
        start_event = torch.cuda.Event(enable_timing=True)
        end_event = torch.cuda.Event(enable_timing=True)
        torch.cuda.synchronize()
        start = time.perf_counter()
        start_event.record()
        fn(*args)
        end_event.record()
        torch.cuda.synchronize()
        wall_ms = (time.perf_counter() - start) * 1e3
        excess.append(wall_ms - start_event.elapsed_time(end_event))
    return statistics.median(excess)


def copy_bandwidth_gbps(nbytes=256 << 20, calls=10):
    """Device-memory bandwidth a plain copy reaches here (bytes read + written per
    second / 1e9): the yardstick for the timing sanity check."""
    src = torch.empty(nbytes // 4, dtype=torch.float32, device="cuda")
    dst = torch.empty_like(src)
    dst.copy_(src)
    torch.cuda.synchronize()
    start_event = torch.cuda.Event(enable_timing=True)
    end_event = torch.cuda.Event(enable_timing=True)
    start_event.record()
    for _ in range(calls):
        dst.copy_(src)
    end_event.record()
    torch.cuda.synchronize()
    seconds = start_event.elapsed_time(end_event) * 1e-3 / calls
    return 2 * nbytes / seconds / 1e9 if seconds > 0 else 0.0
