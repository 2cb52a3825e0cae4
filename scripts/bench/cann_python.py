#!/usr/bin/env python3
"""Time per step and peak memory of the Python toolkit's CANN (JAX-CPU).

    python cann_python.py DIM N STEPS [ACCL_MODE] [MODE]
        DIM        1d | 2d | 1d_sfa | 2d_sfa
        ACCL_MODE  normal (default, the dense product) | fast (canns 1.5's
                   rank-k SVD approximation) | any other accl_mode
        MODE       record (default): a (STEPS, N) zero input array and u
                   returned from every step, as users run a task;
                   free: zero input, nothing returned

Same protocol as bench_cann: a bump is formed with 10 steps of the
stimulus at 0, then STEPS steps run through brainpy's compiled for_loop
(timed after a warm-up call that compiles it).  Prints
    dim n python-<accl_mode> steps us_per_step peak_rss_MB build_ms
Used by scripts/bench/cann when the toolkit is installed; never by tests.
"""
import resource
import sys
import time

import brainpy.math as bm
import numpy as np
from canns.models.basic import CANN1D, CANN1D_SFA, CANN2D, CANN2D_SFA


def main():
    dim, n, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    accl = sys.argv[4] if len(sys.argv) > 4 else "normal"
    mode = sys.argv[5] if len(sys.argv) > 5 else "record"
    bm.set_dt(0.1)
    cls = {"1d": CANN1D, "1d_sfa": CANN1D_SFA, "2d": CANN2D, "2d_sfa": CANN2D_SFA}[dim]
    kw = {} if accl == "normal" else {"accl_mode": accl}
    t0 = time.perf_counter()
    model = cls(n, **kw) if dim.startswith("1d") else cls(length=n, **kw)
    _ = np.asarray(model.conn_mat)
    build = time.perf_counter() - t0
    stim = model.get_stimulus_by_pos(0.0 if dim.startswith("1d") else np.zeros(2))
    for _ in range(10):
        model(stim)

    if mode == "record":
        inputs = bm.zeros((steps,) + tuple(model.shape))

        def step(inp):
            model(inp)
            return model.u.value

        def go():
            return bm.for_loop(step, inputs)
    else:
        zero = bm.zeros(model.shape)

        def step(i):
            model(zero)

        def go():
            bm.for_loop(step, bm.arange(steps))
            return model.u.value

    np.asarray(go())                              # compile
    t0 = time.perf_counter()
    out = go()
    _ = np.asarray(out)                           # wait for the result
    el = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"{dim} {n} python-{accl} {steps} {el / steps * 1e6:.3f} {rss:.1f} {build * 1e3:.1f}")


if __name__ == "__main__":
    main()
