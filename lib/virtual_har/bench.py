"""Benchmark: virtual IMU synthesis for AMASS-scale data (``python -m lib.bench virtual_imu``).

Target: 3 sensors (P4's left wrist, right thigh, head), acceleration (Eq. 3) and
orientation matrices, for 9 million frames — about AMASS's 40 hours at 60 Hz — in <= 60 s on 2 CPU
cores. The vectorised path (:class:`lib.body.imu.VirtualIMU`: forward kinematics over only the joints
the sensors need, batched over frames) runs over a pool of procedural clips until ``n_frames`` frames
are done, clip by clip as AMASS sequences would be. The reference is the textbook per-frame loop
(one ``Rotation`` per joint per frame, then the same finite difference), timed side by side on a
subset and extrapolated per frame; both give the same numbers (checked). Wall-clock and CPU time
(``time.process_time``) are both reported: on a shared machine the CPU time per frame is the number
that carries over to an idle one; ``load_avg_1min_before`` says how busy the machine was.
"""

from __future__ import annotations

import os
import time

import numpy as np
from scipy.spatial.transform import Rotation

from lib.body.imu import P4_SITES, VirtualIMU, finite_difference_acceleration
from lib.body.kinematics import chain_joints
from lib.body.motions import generate
from lib.body.skeleton import PARENTS, Subject

POOL = ("walking", "running", "sitting", "stretching_arms", "jumping", "computer_work", "dancing", "stairs_up")


def _loop_synthesis(poses: np.ndarray, trans: np.ndarray, offsets: np.ndarray, fps: float) -> tuple[np.ndarray, np.ndarray]:
    """The per-frame reference: frame by frame, joint by joint, then Eq. (3) frame by frame."""
    sites = P4_SITES
    needed = chain_joints([s.joint for s in sites])
    T = poses.shape[0]
    pos = np.zeros((T, len(sites), 3))
    ori = np.zeros((T, len(sites), 3, 3))
    site_offsets = [_site_offset(site, offsets) for site in sites]
    for t in range(T):
        glob, jpos = {}, {}
        for j in needed:
            local = Rotation.from_rotvec(poses[t, j]).as_matrix()
            p = PARENTS[j]
            if p < 0:
                glob[j], jpos[j] = local, trans[t] + offsets[j]
            else:
                glob[j], jpos[j] = glob[p] @ local, jpos[p] + glob[p] @ offsets[j]
        for s, site in enumerate(sites):
            pos[t, s] = jpos[site.joint] + glob[site.joint] @ site_offsets[s]
            ori[t, s] = glob[site.joint]
    acc = np.zeros_like(pos)
    for t in range(1, T - 1):
        acc[t] = (pos[t - 1] + pos[t + 1] - 2 * pos[t]) * fps * fps
    acc[0], acc[-1] = acc[1], acc[-2]
    return acc, ori


def _site_offset(site, offsets: np.ndarray) -> np.ndarray:
    off = np.asarray(site.offset, dtype=float).copy()
    if site.along:
        off += site.along * offsets[site.child()]
    return off


def bench_virtual_imu(n_frames: int = 9_000_000, loop_frames: int = 600, clip_s: float = 60.0, seed: int = 0) -> dict:
    """Time the vectorised virtual IMU over ``n_frames`` frames and the per-frame loop on ``loop_frames``."""
    if n_frames < 1000 or loop_frames < 10:
        raise ValueError(f"n_frames={n_frames} must be >= 1000 and loop_frames={loop_frames} >= 10")
    rng = np.random.default_rng(seed)
    subject = Subject()
    skeleton = subject.skeleton()
    started = time.perf_counter()
    pool = [generate(name, clip_s, 60.0, subject, rng) for name in POOL]
    generate_s = time.perf_counter() - started
    pool_frames = sum(c.n_frames for c in pool)
    vimu = VirtualIMU(P4_SITES, acc_frame="world", gravity=False, gyro=False)

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    done, calls = 0, 0
    checksum = 0.0
    started, cpu_started = time.perf_counter(), time.process_time()
    while done < n_frames:
        clip = pool[calls % len(pool)]
        imu = vimu(clip, skeleton)
        checksum += float(imu.acc[-1, 0, 0])
        done += clip.n_frames
        calls += 1
    vector_s = time.perf_counter() - started
    vector_cpu_s = time.process_time() - cpu_started

    sub = pool[1]
    poses, trans = sub.poses[:loop_frames], sub.trans[:loop_frames]
    started, cpu_started = time.perf_counter(), time.process_time()
    acc_loop, ori_loop = _loop_synthesis(poses, trans, skeleton.offsets, sub.fps)
    loop_s = time.perf_counter() - started
    loop_cpu_s = time.process_time() - cpu_started
    ref = vimu.from_trajectories(*vimu.trajectories(poses, trans, skeleton), sub.fps)
    max_diff = float(max(np.abs(ref.acc - acc_loop).max(), np.abs(ref.ori - ori_loop).max()))
    assert np.allclose(ref.acc, finite_difference_acceleration(vimu.trajectories(poses, trans, skeleton)[0], sub.fps))

    per_frame_vec = vector_s / done
    per_frame_loop = loop_s / loop_frames
    projected_9m = per_frame_vec * 9_000_000
    return {
        "n_frames": int(done), "sensors": len(P4_SITES), "clips_processed": calls,
        "generate_pool_s": round(generate_s, 2), "pool_frames": int(pool_frames),
        "vectorised_s": round(vector_s, 2), "vectorised_cpu_s": round(vector_cpu_s, 2),
        "vectorised_us_per_frame": round(per_frame_vec * 1e6, 3),
        "vectorised_cpu_us_per_frame": round(vector_cpu_s / done * 1e6, 3),
        "vectorised_frames_per_s": round(done / vector_s),
        "projected_9M_frames_s": round(projected_9m, 1), "projected_9M_frames_cpu_s": round(vector_cpu_s / done * 9e6, 1),
        "target_s": 60.0, "meets_target": bool(projected_9m <= 60.0),
        "loop_frames": int(loop_frames), "loop_s": round(loop_s, 3), "loop_us_per_frame": round(per_frame_loop * 1e6, 1),
        "loop_cpu_us_per_frame": round(loop_cpu_s / loop_frames * 1e6, 1),
        "loop_projected_9M_frames_h": round(per_frame_loop * 9_000_000 / 3600, 2),
        "speedup_vs_loop": round(per_frame_loop / per_frame_vec, 1),
        "speedup_vs_loop_cpu": round((loop_cpu_s / loop_frames) / (vector_cpu_s / done), 1),
        "max_abs_diff_loop_vs_vectorised": max_diff, "cpu_count": os.cpu_count(),
        "load_avg_1min_before": round(load_before, 2), "checksum": round(checksum, 6),
    }


if __name__ == "__main__":  # pragma: no cover
    import json
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 9_000_000
    print(json.dumps(bench_virtual_imu(n), indent=1))
