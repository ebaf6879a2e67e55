"""Side-by-side timing: both sides of a comparison run in the same process,
interleaved, so machine noise hits them alike and their ratio is stable."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Timings:
    samples: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def interleaved(
    sides: dict[str, Callable[[], object]], repeats: int, warmup: int = 1
) -> dict[str, Timings]:
    """Run each side `repeats` times, alternating A B A B ..., after
    `warmup` untimed rounds."""
    for _ in range(warmup):
        for run in sides.values():
            run()
    results = {name: Timings() for name in sides}
    for _ in range(repeats):
        for name, run in sides.items():
            start = time.perf_counter()
            run()
            results[name].samples.append(time.perf_counter() - start)
    return results
