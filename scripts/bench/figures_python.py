"""Python-toolkit column of scripts/bench/figures: renders the same
energy-landscape animation with canns (imageio backend, one worker) and
prints frames per second.  usage: figures_python.py 1d|2d FRAMES OUTDIR"""
import sys
import time

import numpy as np

from canns.analyzer.visualization import (PlotConfigs, energy_landscape_1d_animation,
                                          energy_landscape_2d_animation)

dim, frames, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
T = frames
if dim == "1d":
    n = 512
    x = np.linspace(-np.pi, np.pi, n, dtype=np.float32)
    c = -2.5 + 5 * np.arange(T)[:, None] / (T - 1)
    d = (x[None, :] - c) ** 2
    u, inp = 0.4 * np.exp(-d / 0.5), 0.8 * np.exp(-d / 0.25)
    cfg = PlotConfigs.energy_landscape_1d_animation(
        time_steps_per_second=30, fps=30, save_path=f"{out}/py1d.gif", show=False,
        show_progress_bar=False, render_backend="imageio", render_workers=1)
    t0 = time.perf_counter()
    energy_landscape_1d_animation({"u": (x, u), "Iext": (x, inp)}, config=cfg,
                                  render_backend="imageio", render_workers=1)
else:
    L = 100
    r = np.arange(L, dtype=np.float32)
    c = 10 + (L - 20) * np.arange(T) / (T - 1)
    g = np.exp(-((r[None, :] - c[:, None]) ** 2) / 40)
    zs = g[:, :, None] * g[:, None, :]
    cfg = PlotConfigs.energy_landscape_2d_animation(
        time_steps_per_second=30, fps=30, save_path=f"{out}/py2d.gif", show=False,
        show_progress_bar=False, render_backend="imageio", render_workers=1)
    t0 = time.perf_counter()
    energy_landscape_2d_animation(zs, config=cfg, render_backend="imageio", render_workers=1)
print(f"{T / (time.perf_counter() - t0):.3f}")
