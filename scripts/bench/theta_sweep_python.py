#!/usr/bin/env python3
"""Time per step and peak memory of the Python toolkit's theta-sweep chain
(DirectionCellNetwork -> GridCellNetwork, JAX-CPU), at the sizes of
upstream's theta_sweep_grid_cell_network example.

    python theta_sweep_python.py NUM_GC_X STEPS

STEPS steps of calculate_theta_modulation, dc.update and gc.update through
brainpy's compiled for_loop, returning the grid centre position every
step, timed after a warm-up call that compiles it.  Prints
us_per_step peak_rss_MB build_ms.  Used by scripts/bench/theta_sweep when
the toolkit is installed; never by tests.
"""
import resource
import sys
import time

import brainpy.math as bm
import numpy as np
from canns.models.basic.theta_sweep_model import (DirectionCellNetwork, GridCellNetwork,
                                                  calculate_theta_modulation)


def main():
    L, steps = int(sys.argv[1]), int(sys.argv[2])
    bm.set_dt(1.0)
    t0 = time.perf_counter()
    dc = DirectionCellNetwork(num=100, adaptation_strength=15, noise_strength=0.0)
    gc = GridCellNetwork(num_dc=100, num_gc_x=L, adaptation_strength=25, mapping_ratio=10,
                         noise_strength=0.0)
    build = (time.perf_counter() - t0) * 1e3
    t = np.arange(steps)
    pos = np.stack([0.2 + 0.002 * t, 0.5 + 0.0 * t], axis=1).astype(np.float32)
    hd = np.zeros(steps, np.float32)
    lin = np.ones(steps, np.float32)
    ang = np.zeros(steps, np.float32)

    def step(i, p, h, lg, ag):
        _, mhd, mgc = calculate_theta_modulation(i, lg, ag, 1.0, 1.0, 100.0)
        dc.update(h, mhd)
        gc.update(p, dc.r.value, mgc)
        return gc.center_position.value

    ops = (bm.arange(steps), bm.asarray(pos), bm.asarray(hd), bm.asarray(lin), bm.asarray(ang))
    np.asarray(bm.for_loop(step, ops, progress_bar=False))
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        r = bm.for_loop(step, ops, progress_bar=False)
        r.block_until_ready()
        best = min(best, time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{best / steps * 1e6:.3f} {rss:.1f} {build:.1f}")


main()
