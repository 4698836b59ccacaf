"""How a cost grows with the size of what it is given: a check that does not depend on how fast
or how busy the machine is. How fast things are is measured in benchmarks/, never by a test.

Ten times the input must take well under the hundred times a quadratic cost would: the bound
is three times linear. Costs are CPU time of this process (`time.process_time`), not the
wall clock: on a busy machine a long run is interrupted more often than a short one, which
would inflate the ratio. The smaller size is timed first (any warm-up falls on it, which only
loosens the check); where a cost can be repeated, take the best of a few runs (`seconds`).
"""

from __future__ import annotations

import time
from collections.abc import Callable


def seconds(action: Callable[[], object], runs: int = 3) -> float:
    """The best of `runs` timings of `action`, in seconds of CPU."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        action()
        best = min(best, time.process_time() - started)
    return best


def assert_linear(cost: Callable[[int], float], small: int, large: int, what: str) -> None:
    """`cost(n)` (seconds for an input of size n) grows about linearly from `small` to `large`."""
    small_seconds = cost(small)
    large_seconds = cost(large)
    bound = 3 * large / small
    assert large_seconds < bound * small_seconds, (
        f"{what}: {large:,} took {large_seconds / small_seconds:.0f}× as long as {small:,} "
        f"({large_seconds:.2f} s); linear would be {large / small:.0f}×"
    )
