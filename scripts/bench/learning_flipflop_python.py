#!/usr/bin/env python3
"""Times of the Python toolkit on the 3-bit flip-flop RNN (JAX-CPU).

    python learning_flipflop_python.py train DIR STEPS
    python learning_flipflop_python.py fps DIR

DIR holds .npy files written by scripts/bench/learning_table.lua: the
training inputs / targets U, Y (trials, 64, bits), the parameters W_ih,
W_hh, b, W_out, b_out, h0 (initial ones for `train`, trained ones for
`fps`) and the test hidden states H.  `train` times STEPS Adam steps
(batches of 128, BPTT through the 64 steps, jitted loss and gradient and
BrainPy's Adam at lr 0.08, as upstream's flip-flop example trains) after
one compiling step.  `fps` runs upstream's FixedPointFinder with the
example's options (joint, lr_init 0.02, tol_q 1e-4, tol_unique 1e-2,
final_q_threshold 1e-6, 1024 initial states, noise 0.4) twice and times
the second call.  Prints  seconds peak_rss_MB [iterations unique stable].
Used by scripts/bench/learning when the toolkit is installed; never by tests.
"""
import contextlib
import io
import os
import resource
import sys
import time

import brainpy as bp
import brainpy.math as bm
import jax
import jax.numpy as jnp
import numpy as np
from canns.analyzer.slow_points import FixedPointFinder

NAMES = ("W_ih", "W_hh", "b", "W_out", "b_out", "h0")


def load(d):
    return {k: np.load(os.path.join(d, k + ".npy")).astype(np.float32) for k in NAMES}


class TanhRNN(bp.DynamicalSystem):
    """h' = tanh(u W_ih + h W_hh + b), y = h' W_out + b_out (the example's tanh RNN)."""

    def __init__(self, p):
        super().__init__()
        self.w_ih = bm.Variable(jnp.asarray(p["W_ih"]))
        self.w_hh = bm.Variable(jnp.asarray(p["W_hh"]))
        self.b_h = bm.Variable(jnp.asarray(p["b"]))
        self.w_out = bm.Variable(jnp.asarray(p["W_out"]))
        self.b_out = bm.Variable(jnp.asarray(p["b_out"]))
        self.h0 = bm.Variable(jnp.asarray(p["h0"]))

    def __call__(self, inputs, hidden):
        h = jnp.tanh(inputs[:, 0, :] @ self.w_ih.value + hidden @ self.w_hh.value + self.b_h.value)
        return (h @ self.w_out.value + self.b_out.value)[:, None, :], h


def train(d, steps):
    U, Y = np.load(os.path.join(d, "U.npy")), np.load(os.path.join(d, "Y.npy"))
    rnn = TanhRNN(load(d))
    tv = {n: v for n, v in rnn.vars().items() if isinstance(v, bm.Variable)}
    short = {n.split(".")[-1]: n for n in tv}
    opt = bp.optimizers.Adam(lr=0.08, train_vars=tv)

    @jax.jit
    def loss_grad(p, u, y):
        def loss(p):
            def step(h, x):
                h = jnp.tanh(x @ p["w_ih"] + h @ p["w_hh"] + p["b_h"])
                return h, h @ p["w_out"] + p["b_out"]
            h = jnp.tile(p["h0"], (u.shape[0], 1))
            _, out = jax.lax.scan(step, h, u.transpose(1, 0, 2))
            return jnp.mean((out.transpose(1, 0, 2) - y) ** 2)
        return jax.value_and_grad(loss)(p)

    rng = np.random.default_rng(1)
    n = U.shape[0]

    def run(k):
        perm = rng.permutation(n)
        for s in range(k):
            i = perm[(s % (n // 128)) * 128:][:128]
            p = {a: v.value for a, v in ((a, tv[short[a]]) for a in short)}
            _, g = loss_grad(p, jnp.asarray(U[i]), jnp.asarray(Y[i]))
            opt.update({short[a]: v for a, v in g.items()})
        return np.asarray(tv[short["w_hh"]].value)

    run(1)
    t0 = time.perf_counter()
    run(steps)
    return time.perf_counter() - t0, ""


def fps(d):
    rnn = TanhRNN(load(d))
    H = np.load(os.path.join(d, "H.npy"))
    bits = np.load(os.path.join(d, "W_ih.npy")).shape[0]

    def once():
        finder = FixedPointFinder(rnn, method="joint", max_iters=5000, lr_init=0.02, tol_q=1e-4,
                                  final_q_threshold=1e-6, tol_unique=1e-2,
                                  outlier_distance_scale=10.0, verbose=False, super_verbose=False)
        u, a = finder.find_fixed_points(state_traj=H, inputs=np.zeros((1, bits), np.float32),
                                        n_inits=1024, noise_scale=0.4)
        return u, a

    once()
    t0 = time.perf_counter()
    u, a = once()
    sec = time.perf_counter() - t0
    stable = int(np.sum(u.is_stable)) if u.n > 0 else 0
    return sec, f" {int(np.max(a.n_iters))} {u.n} {stable}"


def main():
    case, d = sys.argv[1], sys.argv[2]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        if case == "train":
            sec, extra = train(d, int(sys.argv[3]))
        elif case == "fps":
            sec, extra = fps(d)
        else:
            raise SystemExit("unknown case " + case)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{sec:.6f} {rss:.1f}{extra}")


main()
