#!/usr/bin/env python3
"""Times of the Python toolkit's brain-inspired trainers (JAX-CPU).

    python learning_python.py CASE SIZE [COUNT]

CASE: hebbian (train an AmariHopfieldNetwork of SIZE neurons on 0.1 SIZE
random +-1 patterns), recall (predict_batch of COUNT noisy probes, 20
synchronous iterations, after that training), oja / sanger (one pass over
COUNT samples of dimension SIZE, 10 outputs), stdp (COUNT
steps of a SIZE -> 100 SpikingLayer).  Each case runs once to compile and
is timed on the second run.  Prints  seconds peak_rss_MB.
Used by scripts/bench/learning when the toolkit is installed; never by tests.
"""
import contextlib
import io
import resource
import sys
import time

import brainpy.math as bm
import numpy as np
from canns.models.brain_inspired import AmariHopfieldNetwork, LinearLayer, SpikingLayer
from canns.trainer import HebbianTrainer, OjaTrainer, SangerTrainer, STDPTrainer


def timed(f, result):
    """Seconds of the second call of f; result() returns the arrays f
    produced, converted to numpy so that JAX's asynchronous dispatch has
    finished inside the timed region."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        f()
        np.asarray(result())
        t0 = time.perf_counter()
        f()
        np.asarray(result())
        return time.perf_counter() - t0


def main():
    case, size = sys.argv[1], int(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    rng = np.random.default_rng(1)
    if case in ("hebbian", "recall"):
        P = max(1, size // 10)
        pats = [np.where(rng.random(size) < 0.5, -1.0, 1.0).astype(np.float32) for _ in range(P)]
        net = AmariHopfieldNetwork(num_neurons=size, asyn=False, activation="sign")
        tr = HebbianTrainer(net, progress=False) if "progress" in HebbianTrainer.__init__.__code__.co_varnames else HebbianTrainer(net)
        if case == "hebbian":
            sec = timed(lambda: tr.train(pats), lambda: net.W.value)
        else:
            tr.train(pats)
            probes = []
            for i in range(count):
                p = pats[i % P].copy()
                flip = rng.choice(size, size // 10, replace=False)
                p[flip] = -p[flip]
                probes.append(p)
            out = []
            sec = timed(lambda: out.append(tr.predict_batch(probes, num_iter=20, show_sample_progress=False)),
                        lambda: np.stack([np.asarray(x) for x in out[-1]]))
    elif case in ("oja", "sanger"):
        data = rng.normal(size=(count, size)).astype(np.float32) * np.linspace(2, 0.1, size, dtype=np.float32)
        layer = LinearLayer(input_size=size, output_size=10)
        T = OjaTrainer if case == "oja" else SangerTrainer
        tr = T(layer, learning_rate=1e-4, normalize_weights=True, compiled=True)
        sec = timed(lambda: tr.train(data), lambda: layer.W.value)
    elif case == "stdp":
        seq = (rng.random((count, size)) < 0.05).astype(np.float32)
        layer = SpikingLayer(input_size=size, output_size=100)
        tr = STDPTrainer(layer, learning_rate=0.01, compiled=True)
        sec = timed(lambda: tr.train(seq), lambda: layer.W.value)
    else:
        raise SystemExit("unknown case " + case)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{sec:.6f} {rss:.1f}")


main()
