#!/usr/bin/env python3
"""Time of the Python toolkit's compute_systematic_ratemap (JAX-CPU) on
the sizes of examples/grid_cell_velocity_spatial_analysis.lua's defaults.

    python systematic_ratemap_python.py L LAMBDA_NET BOX RESOLUTION SPEED

Heals a GridCell2DVelocity (10000 steps of 2e-4 s, not timed), then times
compute_systematic_ratemap once after a warm-up call that compiles its
loops.  Prints  seconds peak_rss_MB.
Used by scripts/bench/systematic_ratemap when the toolkit is installed;
never by tests.
"""
import resource
import sys
import time

import brainpy.math as bm
from canns.analyzer.metrics.systematic_ratemap import compute_systematic_ratemap
from canns.models.basic import GridCell2DVelocity


def main():
    L, lam, box, res, speed = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    bm.set_dt(5e-4)
    m = GridCell2DVelocity(length=L, lambda_net=lam)
    m.heal_network(num_healing_steps=10000, dt_healing=2e-4)
    kw = dict(box_width=box, box_height=box, resolution=res, speed=speed, num_batches=min(10, res), verbose=False)
    compute_systematic_ratemap(m, **kw)  # compiles
    t0 = time.perf_counter()
    compute_systematic_ratemap(m, **kw)
    sec = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{sec:.4f} {rss:.1f}")


main()
