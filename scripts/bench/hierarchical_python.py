#!/usr/bin/env python3
"""Time per step and peak memory of the Python toolkit's
HierarchicalNetwork (JAX-CPU), the way upstream's
hierarchical_path_integration example runs it.

    python hierarchical_python.py NUM_MODULE NUM_PLACE STEPS

STEPS steps of update(velocity, loc, 0) through brainpy's compiled
for_loop, returning band_x_fr, band_y_fr, grid_fr and place_fr every step
(the example's recording), timed after a warm-up call that compiles it.
Prints us_per_step peak_rss_MB build_ms.  Used by
scripts/bench/hierarchical when the toolkit is installed; never by tests.
"""
import resource
import sys
import time

import brainpy.math as bm
import numpy as np
from canns.models.basic import HierarchicalNetwork


def main():
    K, P, steps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    bm.set_dt(0.05)
    t0 = time.perf_counter()
    net = HierarchicalNetwork(num_module=K, num_place=P)
    build = (time.perf_counter() - t0) * 1e3
    t = np.arange(steps)
    vel = np.stack([0.04 + 0.0 * t, 0.02 + 0.0 * t], axis=1).astype(np.float32)
    loc = (2.5 + np.cumsum(vel, axis=0) * 0.05).astype(np.float32)

    def step(i, v, p):
        net(velocity=v, loc=p, loc_input_stre=0.0)
        return (net.band_x_fr.value, net.band_y_fr.value, net.grid_fr.value, net.place_fr.value)

    ops = (bm.arange(steps), bm.asarray(vel), bm.asarray(loc))
    jax_out = bm.for_loop(step, ops, progress_bar=False)
    np.asarray(jax_out[3])
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        r = bm.for_loop(step, ops, progress_bar=False)
        r[3].block_until_ready()
        best = min(best, time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{best / steps * 1e6:.3f} {rss:.1f} {build:.1f}")


main()
