"""Stick figures, signal summaries and the benchmark function (small sizes)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lib.body.analysis import dominant_frequency, horizontal_speed, moving_segment, rms, step_frequency
from lib.body.draw import draw_clip, face_forward
from lib.body.imu import P4_SITES, VirtualIMU
from lib.body.kinematics import joint_positions
from lib.body.motions import generate
from lib.body.skeleton import JOINT_INDEX, Subject
from lib.virtual_har.bench import bench_virtual_imu

SUBJECT = Subject(stature=1.75)


def test_face_forward_turns_the_body_to_face_plus_z():
    clip = generate("standing", 2.0, subject=SUBJECT, rng=np.random.default_rng(0), heading_deg=123.0)
    pos = face_forward(joint_positions(clip, SUBJECT.skeleton()))
    across = pos[0, JOINT_INDEX["left_hip"]] - pos[0, JOINT_INDEX["right_hip"]]
    assert across[0] > 0 and abs(across[2]) < 1e-9
    assert pos[0, JOINT_INDEX["left_foot"], 2] > pos[0, JOINT_INDEX["left_ankle"], 2]  # toes point +Z


def test_draw_clip_draws_every_bone_of_every_pose():
    clip = generate("waving", 3.0, subject=SUBJECT, rng=np.random.default_rng(1))
    fig, ax = plt.subplots()
    draw_clip(clip, SUBJECT.skeleton(), n_poses=4, view="front", ax=ax, trail=())
    assert len(ax.lines) == 4 * 23
    with pytest.raises(ValueError, match="view"):
        draw_clip(clip, SUBJECT.skeleton(), view="under", ax=ax)
    plt.close(fig)


def test_signal_summaries_on_known_signals():
    t = np.arange(600) / 60.0
    assert dominant_frequency(np.sin(2 * np.pi * 1.7 * t), 60.0) == pytest.approx(1.7, abs=0.02)
    assert rms(np.stack([3 * np.ones_like(t), 4 * np.ones_like(t), 0 * t], axis=1)) == pytest.approx(5.0)
    walk = generate("walking", 12.0, subject=SUBJECT, rng=np.random.default_rng(2), speed=1.2,
                    style={"step_hz": 1.9})
    imu = VirtualIMU(P4_SITES)(walk, SUBJECT.skeleton())
    assert step_frequency(imu.gyro[:, 1], 60.0) == pytest.approx(1.9, rel=0.08)
    seg = moving_segment(walk.trans, 60.0)
    assert horizontal_speed(walk.trans, 60.0, seg) == pytest.approx(1.2, rel=0.1)


def test_bench_function_returns_matching_implementations():
    out = bench_virtual_imu(n_frames=2000, loop_frames=20, clip_s=4.0)
    assert out["n_frames"] >= 2000 and out["speedup_vs_loop"] > 1
    assert out["max_abs_diff_loop_vs_vectorised"] < 1e-8
