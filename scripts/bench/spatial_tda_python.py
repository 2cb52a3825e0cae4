#!/usr/bin/env python3
"""Seconds of the Python toolkit's run_spatial_tda_from_asa on the dense
session in NPZ (spike (T, N), x, y) with skip_embed and the options given.

    python spatial_tda_python.py NPZ BINS CROP SHUFFLES

Used by scripts/bench/spatial_tda when the toolkit is installed; never by tests."""
import contextlib
import io
import sys
import tempfile
import time

import numpy as np
from canns.analyzer.data.asa import run_spatial_tda_from_asa
from canns.analyzer.data.asa.fr import compute_frm

z = np.load(sys.argv[1])
data = {"spike": z["spike"], "x": z["x"], "y": z["y"]}
bins, crop, ns = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
with tempfile.TemporaryDirectory() as d, contextlib.redirect_stdout(io.StringIO()), \
        contextlib.redirect_stderr(io.StringIO()):
    t0 = time.perf_counter()
    run_spatial_tda_from_asa(data, compute_frm_fn=compute_frm, out_dir=d, skip_embed=True, bins=bins,
                             crop_fraction=crop, maxdim=1, shuffle=ns > 0, num_shuffles=ns, seed=0)
    dt = time.perf_counter() - t0
print(dt)
