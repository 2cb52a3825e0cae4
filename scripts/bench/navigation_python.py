"""Time canns-lib's Agent.update on its own benchmark scenario (the unit
square plus the inner square of 4 walls, dt 0.02, seed 321, no history), or
canns's OpenLoopNavigationTask.get_data.  Prints "seconds".

    python navigation_python.py agent STEPS
    python navigation_python.py task DURATION DT
"""
import sys
import time

import numpy as np

mode = sys.argv[1]
if mode == "agent":
    from canns_lib.spatial import Agent, Environment
    n = int(sys.argv[2])
    env = Environment(scale=1.0, aspect=1.0,
                      walls=[[[0.1, 0.1], [0.9, 0.1]], [[0.9, 0.1], [0.9, 0.9]],
                             [[0.9, 0.9], [0.1, 0.9]], [[0.1, 0.9], [0.1, 0.1]]])
    params = dict(speed_mean=0.08, speed_std=0.02, speed_coherence_time=0.7,
                  rotational_velocity_std=np.deg2rad(45), rotational_velocity_coherence_time=0.1,
                  wall_repel_distance=0.15, wall_repel_strength=1.4, thigmotaxis=0.3,
                  dt=0.02, save_history=False)
    agent = Agent(env, params=params, rng_seed=321, init_pos=[0.5, 0.5])
    t0 = time.perf_counter()
    for _ in range(n):
        agent.update(dt=0.02)
    print(time.perf_counter() - t0)
else:
    import io, contextlib
    from canns.task.open_loop_navigation import OpenLoopNavigationTask
    duration, dt = float(sys.argv[2]), float(sys.argv[3])
    task = OpenLoopNavigationTask(duration=duration, dt=dt, rng_seed=1, progress_bar=False)
    t0 = time.perf_counter()
    task.get_data()
    print(time.perf_counter() - t0)
