#!/usr/bin/env python3
"""Seconds of the Python toolkit's roi_bump_fits (numba path) on the data
in NPY with N_STEPS sweeps (after a short warm-up run that compiles).

    python fly_roi_python.py NPY N_STEPS

Used by scripts/bench/fly_roi when the toolkit is installed; never by tests."""
import contextlib
import io
import sys
import time

import numpy as np
from canns.analyzer.data.asa import roi_bump_fits

data = np.load(sys.argv[1])
n = int(sys.argv[2])
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    roi_bump_fits(data[:10], n_steps=5, random_seed=1)
    t0 = time.perf_counter()
    roi_bump_fits(data, n_steps=n, random_seed=1)
    dt = time.perf_counter() - t0
print(dt)
