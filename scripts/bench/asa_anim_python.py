#!/usr/bin/env python3
"""Seconds of the per-frame maps of canns 1.5.0's bump animations (its own
_smooth_tuning_map, scipy's binned_statistic_2d and gaussian_filter, the
loop of plot_3d_bump_on_torus) on DIR/{coords,times,activity}.npy.

    python asa_anim_python.py DIR NUMANGSINT WINDOW STEP NFRAMES

Used by scripts/bench/asa_anim when the toolkit is installed; never by tests."""
import sys
import time

import numpy as np
from scipy.ndimage import gaussian_filter
from scipy.stats import binned_statistic_2d
from canns.analyzer.data.asa import plotting as P

d = sys.argv[1]
na, win, step, nf = (int(v) for v in sys.argv[2:6])
coords, times, act = (np.load(f"{d}/{n}.npy") for n in ("coords", "times", "activity"))
t0 = time.perf_counter()
prev = None
for f in range(nf):
    a, b = f * step, f * step + win
    if b > np.max(times):
        break
    mask = (times >= a) & (times < b)
    if not mask.any():
        continue
    m, _, _, _ = binned_statistic_2d(coords[mask, 0], coords[mask, 1], act[times[mask]], statistic="sum",
                                     bins=np.linspace(0, 2 * np.pi, na - 1))
    m = P._smooth_tuning_map(np.nan_to_num(m), na - 1, sig=4.0, bClose=True)
    m = gaussian_filter(m, sigma=1.0)
    if prev is not None:
        m = 0.7 * prev + 0.3 * m
    prev = m
print(time.perf_counter() - t0)
