"""Timed calls of one process's functions at a performance case. The candidate process
times the candidate with it and the yardstick process the ground truth, the baselines
and the reference, so both sides are measured the same way.

Inputs. The judge sends D draws of the case's inputs (make_inputs with different
seeds). They stay on the device beside one set of buffers of the same layout, and
every call runs on the buffers. Before each call the buffers get the values of draw
(i mod D) in place (the whole storage is copied: same pointers, new values). Then,
except for the last call of each draw, SWAPS random pairs of elements of every
floating-point tensor trade places. So no two calls see the same contents. A kernel
that memoises by pointer, shape or content returns the answer to other inputs. A
kernel that skips work when a sampled fingerprint matches misses the swapped elements.
Integer and boolean tensors are never permuted: they may be indices or offsets whose
order matters, and the draws alone vary them. The last call of each draw runs on the
draw as drawn. Its outputs are kept for the judge, which compares them with the
reference's outputs for that draw.

Timing. On a GPU: device events around each call, with the last-level cache
overwritten and about 1 ms of spin on the GPU before it (timing.L2Flusher,
timing.LaunchSlack). The refresh of the inputs comes before the flush, so it is never
timed. On the CPU (tests only): the host clock, and nothing to flush.

Rounds. The judge alternates the two processes in rounds (perf_case.py). Each round
asks a process for some calls of each of its functions and makes them in a seeded
random interleaving. The times come back per round, so the judge can pair the
candidate's rounds with the yardstick's.
"""

import random
import time

import torch

import layout
import timing
import verdicts
from failures import EvaluationFailure

# Element pairs swapped per floating-point tensor per call.
SWAPS = 4
_BITS = {1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}


def as_outputs(ret):
    """A call's return value as a list of plain tensors (WRONG_OUTPUT_STRUCTURE
    otherwise). A tensor subclass is refused: its methods could compute the values
    only when the judge's copy reads them, after the timed events."""
    if ret is None:
        return []
    outs = [ret] if isinstance(ret, torch.Tensor) else list(ret) if isinstance(ret, (tuple, list)) else None
    if outs is None or not all(isinstance(v, torch.Tensor) for v in outs):
        raise EvaluationFailure(
            verdicts.WRONG_OUTPUT_STRUCTURE,
            f"the entry point returned {type(ret).__name__}; expected a tensor or a tuple of tensors")
    for i, v in enumerate(outs):
        if type(v) is not torch.Tensor:
            raise EvaluationFailure(verdicts.WRONG_OUTPUT_STRUCTURE,
                                    f"output {i} is a {type(v).__name__}, a subclass of torch.Tensor; "
                                    "outputs must be plain tensors")
    return outs


def _swappable(t):
    """The tensor as integers of its element size (swaps move bit patterns, so every
    floating dtype, fp8 included, is handled alike), or None where swapping does not
    apply: not floating point, fewer than two elements, or a broadcast view whose
    elements share memory."""
    if not isinstance(t, torch.Tensor) or not (t.is_floating_point() or t.is_complex()) or t.numel() < 2:
        return None
    if any(stride == 0 and size > 1 for stride, size in zip(t.stride(), t.size())):
        return None
    bits = _BITS.get(t.element_size())
    return t.view(bits) if bits is not None else None


class _EventClock:
    """Device events; L2 flush and launch slack before each call."""

    def __init__(self, flush_l2, slack_cycles=None):
        self.flush = timing.L2Flusher(flush_l2)
        self.slack = timing.LaunchSlack(slack_cycles)

    def before(self):
        self.flush()
        self.slack()

    @staticmethod
    def mark():
        event = torch.cuda.Event(enable_timing=True)
        event.record()
        return event

    @staticmethod
    def elapsed_ms(start, end):
        return start.elapsed_time(end)

    @staticmethod
    def synchronize():
        torch.cuda.synchronize()


class _HostClock:
    """The host's clock, for the CPU (tests)."""

    def before(self):
        pass

    @staticmethod
    def mark():
        return time.perf_counter()

    @staticmethod
    def elapsed_ms(start, end):
        return (end - start) * 1e3

    @staticmethod
    def synchronize():
        pass


class TimedCalls:
    """Times `fns` ({name: callable}) on `host_draws` (a list of argument lists, CPU)."""

    def __init__(self, fns, host_draws, device, read_only, flush_l2=True, seed=0, keep=None, slack_cycles=None):
        """`keep`: the names whose pure calls' outputs are kept (default: every one);
        `slack_cycles`: the launch slack's calibration to use (timing.LaunchSlack)."""
        self.fns = dict(fns)
        self.keep = set(self.fns if keep is None else keep)
        self.gpu = device == "gpu"
        dev = "cuda" if self.gpu else "cpu"
        self.draws = [layout.device_copies(d, dev) for d in host_draws]
        self.buffers = layout.device_copies(host_draws[0], dev)
        self.written = [i for i, a in enumerate(self.buffers)
                        if isinstance(a, torch.Tensor) and i not in set(read_only)]
        self.bits = [b for b in (_swappable(a) for a in self.buffers) if b is not None]
        self.rng = random.Random(seed)
        self.generator = torch.Generator(device=dev).manual_seed(seed)
        self.clock = _EventClock(flush_l2, slack_cycles) if self.gpu else _HostClock()
        self.slack_cycles = self.clock.slack.cycles if self.gpu else 0
        self.made = {name: 0 for name in self.fns}
        self.kept = {name: {} for name in self.fns}  # name -> {draw: outputs}
        self.synchronize()

    def synchronize(self):
        if self.gpu:
            torch.cuda.synchronize()

    def _inputs(self, draw, pure):
        """The buffers holding draw `draw` (permuted unless `pure`), as call arguments."""
        source = self.draws[draw]
        for buf, src in zip(self.buffers, source):
            if isinstance(buf, torch.Tensor):
                buf.untyped_storage().copy_(src.untyped_storage())
        if not pure:
            for bits in self.bits:
                picks = torch.randint(0, bits.numel(), (2 * SWAPS,), generator=self.generator, device=bits.device)
                where = torch.unravel_index(picks, bits.shape)
                first = tuple(w[:SWAPS] for w in where)
                second = tuple(w[SWAPS:] for w in where)
                a, b = bits[first], bits[second]
                bits[first] = b
                bits[second] = a
        # Plain values (a scale, a zero point) are the draw's own.
        return [buf if isinstance(buf, torch.Tensor) else src for buf, src in zip(self.buffers, source)]

    def _call(self, name, pure_draw=None):
        """One timed call; returns its (start, end) marks. Without `pure_draw` the call
        runs on the next draw in turn, permuted; with it, on that draw as drawn, and its
        outputs (returned, then written arguments) are kept."""
        pure = pure_draw is not None
        args = self._inputs(pure_draw if pure else self.made[name] % len(self.draws), pure)
        self.clock.before()
        start = self.clock.mark()
        ret = self.fns[name](*args)
        end = self.clock.mark()
        if pure and name in self.keep:
            outs = as_outputs(ret) + [self.buffers[i] for i in self.written]
            self.kept[name][pure_draw] = [o.detach().clone() for o in outs]
        self.made[name] += 1
        return start, end

    def warm_up(self, warmup_ms, repetitions):
        """Each function's first call (compiles and autotunes; its synchronized wall time
        is first_call_ms), then calls for at least `warmup_ms`, whose mean sets how many
        timed calls fit timing.TIME_BUDGET_MS. Returns {name: {"first_call_ms", "planned"}}."""
        out = {}
        for name in self.fns:
            self.synchronize()
            started = time.perf_counter()
            self._call(name)
            self.synchronize()
            first_ms = (time.perf_counter() - started) * 1e3
            started = time.perf_counter()
            calls = 0
            while calls < 1 or (time.perf_counter() - started) * 1e3 < warmup_ms:
                self._call(name)
                calls += 1
                if calls % 8 == 0:
                    self.synchronize()
            self.synchronize()
            mean_ms = (time.perf_counter() - started) * 1e3 / calls
            out[name] = {"first_call_ms": first_ms, "planned": timing.planned_repetitions(mean_ms, repetitions)}
        self.made = {name: 0 for name in self.fns}
        return out

    def round(self, calls, last=False):
        """Makes calls[name] timed calls of each function, interleaved in a seeded random
        order; in the `last` round each function also makes one pure call per draw
        (outputs kept). Returns {name: [ms, ...]} in call order."""
        order = [(name, None) for name, n in calls.items() for _ in range(int(n))]
        self.rng.shuffle(order)
        if last:
            pure = [(name, d) for name in self.fns for d in range(len(self.draws))]
            self.rng.shuffle(pure)
            order += pure
        marks = [(name, self._call(name, draw)) for name, draw in order]
        self.synchronize()
        out = {name: [] for name in calls}
        for name, (start, end) in marks:
            out.setdefault(name, []).append(self.clock.elapsed_ms(start, end))
        return out

    def inputs(self, draw):
        """The buffers holding draw `draw` as drawn (for a call outside the timing)."""
        return self._inputs(draw, pure=True)

    def wall_excess_ms(self, name):
        """timing.synced_wall_excess_ms of one function on fresh inputs (GPU only)."""
        return timing.synced_wall_excess_ms(self.fns[name], self._inputs(0, pure=False))

    def collect(self):
        """{name: [outputs of draw 0, of draw 1, ...]} on the host, for the judge; the
        device copies are freed."""
        out = {}
        for name, by_draw in self.kept.items():
            out[name] = [[o.cpu() for o in by_draw[d]] for d in sorted(by_draw)]
        self.kept = {name: {} for name in self.fns}
        return out

    def release(self):
        """Frees the draws and buffers."""
        self.draws = self.buffers = self.bits = None
        self.kept = {}
