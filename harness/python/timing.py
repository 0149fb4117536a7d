"""GPU latency measurement pieces: the L2 flush and the launch slack before each timed
call, how many calls a function gets, the statistics of its times, the speedup's
interval from paired rounds, and the sanity measurements (wall time past the events,
copy bandwidth). timed_calls.py makes the calls.

Works on CUDA and ROCm builds of torch (torch.cuda is HIP on ROCm). Interpreter
timings on the CPU say nothing about kernel speed: the CPU path exists for tests.
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

    def __init__(self, cycles=None):
        """`cycles`: the spin's length as calibrated elsewhere (the two timing processes
        of an evaluation share the yardstick's: calibrated apart, at different clocks,
        their spins differed by up to half a millisecond); None: calibrate here."""
        self.cycles = 0
        sleep = getattr(torch.cuda, "_sleep", None)
        if sleep is None:
            return
        if cycles is not None:
            self.cycles = int(cycles)
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


def planned_repetitions(mean_ms, repetitions):
    """Timed calls for a function whose warm-up calls took `mean_ms` each: `repetitions`,
    or fewer (not under MIN_REPETITIONS) where they would pass TIME_BUDGET_MS."""
    fit = int(TIME_BUDGET_MS / max(mean_ms, 1e-3))
    return max(1, min(repetitions, max(MIN_REPETITIONS, fit)))


def paired_speedup_interval(cases, samples=1000, seed=0, level=0.95):
    """Percentile-bootstrap interval of the geometric mean over cases of
    median(ground truth) / median(candidate), resampling each case's paired rounds.
    `cases`: per case, a list of rounds, each (ground truth's times, candidate's times)
    in ms. Returns (low, high); (0, 0) without rounds."""
    import math
    import random

    cases = [c for c in cases if c]
    if not cases:
        return 0.0, 0.0
    rng = random.Random(seed)
    values = []
    for _ in range(samples):
        logs = []
        for rounds in cases:
            picked = [rounds[rng.randrange(len(rounds))] for _ in rounds]
            gt = statistics.median([ms for g, _ in picked for ms in g])
            cand = statistics.median([ms for _, c in picked for ms in c])
            logs.append(math.log(gt / cand) if gt > 0 and cand > 0 else 0.0)
        values.append(math.exp(sum(logs) / len(logs)))
    values.sort()

    def quantile(q):
        pos = q * (len(values) - 1)
        low = int(pos)
        high = min(low + 1, len(values) - 1)
        return values[low] + (values[high] - values[low]) * (pos - low)

    tail = (1 - level) / 2
    return quantile(tail), quantile(1 - tail)


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
