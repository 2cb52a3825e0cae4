"""Upstream side of scripts/bench/cell_classification: times the Python
toolkit on the inputs the Lua driver wrote.  usage: python this.py DIR REPEAT
Prints "name seconds" lines."""
import sys
import time
import warnings

import numpy as np

from canns.analyzer.data.cell_classification import (GridnessAnalyzer, compute_2d_autocorrelation,
                                                     compute_rate_map)

warnings.simplefilter("ignore")
d, reps = sys.argv[1], int(sys.argv[2])
maps = np.load(d + "/maps.npy")
spikes, pos, t = np.load(d + "/spikes.npy"), np.load(d + "/pos.npy"), np.load(d + "/t.npy")


def best(f):
    b = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        b = min(b, time.perf_counter() - t0)
    return b


an = GridnessAnalyzer()


def grid():
    for m in maps:
        an.compute_gridness_score(compute_2d_autocorrelation(m))


print("gridness %.6f" % (best(grid) / len(maps)))
print("ratemap %.6f" % best(lambda: compute_rate_map(spikes, pos, t, spatial_bins=40, smoothing_sigma=1.5)))

try:  # BTN needs upstream's optional gudhi (ToMATo); skip the row without it
    import gudhi.clustering.tomato  # noqa: F401

    from canns.analyzer.data.cell_classification import BTNAnalyzer, BTNConfig
except ImportError:
    sys.exit(0)
flat, off = np.load(d + "/btn_spikes.npy"), np.load(d + "/btn_offsets.npy")
btn_data = {"spike": [flat[off[i]:off[i + 1]] for i in range(len(off) - 1)], "t": np.load(d + "/btn_t.npy")}
btn_an = BTNAnalyzer(BTNConfig(n_clusters=3, nbs=40, smooth_sigma=2.0))
print("btn %.6f" % best(lambda: btn_an.classify_btn(btn_data)))
