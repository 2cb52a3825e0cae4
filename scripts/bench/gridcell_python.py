#!/usr/bin/env python3
"""Time per step and peak memory of the Python toolkit's grid-cell sheets
(JAX-CPU).

    python gridcell_python.py velocity|position L STEPS

The model runs STEPS steps through brainpy's compiled for_loop with r
returned from every step (as users record), timed after a warm-up call
that compiles it.  Prints  us_per_step peak_rss_MB build_ms.
Used by scripts/bench/gridcell when the toolkit is installed; never by tests.
"""
import resource
import sys
import time

import brainpy.math as bm
import numpy as np
from canns.models.basic import GridCell2DPosition, GridCell2DVelocity


def main():
    kind, L, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    t0 = time.perf_counter()
    if kind == "velocity":
        bm.set_dt(5e-4)
        m = GridCell2DVelocity(length=L)
        inp = bm.asarray(np.tile(np.array([[0.3, 0.1]], np.float32), (steps, 1)))
    else:
        bm.set_dt(1.0)
        m = GridCell2DPosition(length=L)
        t = np.arange(steps) * 0.01
        inp = bm.asarray(np.stack([np.cos(t), np.sin(t)], axis=1).astype(np.float32))
    build = (time.perf_counter() - t0) * 1e3

    def step(i, x):
        m.update(x)
        return m.r.value

    r = bm.for_loop(step, (bm.arange(steps), inp), progress_bar=False)
    np.asarray(r)
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        r = bm.for_loop(step, (bm.arange(steps), inp), progress_bar=False)
        r.block_until_ready()
        best = min(best, time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{best / steps * 1e6:.3f} {rss:.1f} {build:.1f}")


main()
