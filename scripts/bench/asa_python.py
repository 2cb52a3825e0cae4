"""Upstream side of scripts/bench/asa: times canns.analyzer.data.asa on the
session written by asa_table.lua.  argv: dir repeats shuffles tda-args
(k=v,... overriding TDAConfig defaults).  Prints "stage seconds" lines."""
import sys
import time
import warnings

import numpy as np
from canns.analyzer.data.asa import decode, embedding, tda
from canns.analyzer.data.asa.config import SpikeEmbeddingConfig, TDAConfig

warnings.filterwarnings("ignore")
d, reps, nshuf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
over = dict(kv.split("=") for kv in sys.argv[4].split(",") if kv) if len(sys.argv) > 4 else {}
over = {k: int(v) for k, v in over.items()}
times = np.load(d + "/spike_times.npy")
counts = np.load(d + "/spike_counts.npy")
spike = np.split(times, np.cumsum(counts)[:-1])
s = {"spike": spike, "t": np.load(d + "/t.npy"), "x": np.load(d + "/x.npy"), "y": np.load(d + "/y.npy")}
cfg = TDAConfig(maxdim=1, show=False, progress_bar=False, **over)


def best(f):
    b, out = float("inf"), None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = f()
        b = min(b, time.perf_counter() - t0)
    return b, out


# warm-up of numba's JIT (not timed)
E0, *_ = embedding.embed_spike_trains(s, SpikeEmbeddingConfig(speed_filter=False))
small = TDAConfig(maxdim=1, show=False, progress_bar=False, active_times=200, k=20,
                  n_points=60, nbs=20)
tda.tda_vis(E0[:3000], small)

te, (E, *_) = best(lambda: embedding.embed_spike_trains(s, SpikeEmbeddingConfig(speed_filter=False)))
print("embed %.6f" % te, flush=True)
tt, r = best(lambda: tda.tda_vis(E, cfg))
print("tda %.6f" % tt, flush=True)
td, _ = best(lambda: decode.decode_circular_coordinates_multi(r, {"spike": E}, num_circ=2))
print("decode %.6f" % td, flush=True)
t0 = time.perf_counter()
tda._run_shuffle_analysis(E, config=TDAConfig(**{**cfg.__dict__, "num_shuffles": nshuf,
                                                 "shuffle_seed": 0}))
print("shuffle %.6f" % ((time.perf_counter() - t0) / nshuf), flush=True)
