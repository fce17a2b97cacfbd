"""The shared body model (used by P2, P3 and P4): SMPL-topology skeleton, forward kinematics,
procedural motion library, virtual IMUs and the sim-to-real sensor model.

==============================  =================================================================
module                          concept
==============================  =================================================================
:mod:`lib.body.clip`            :class:`MotionClip`, the one motion container (AMASS-like)
:mod:`lib.body.skeleton`        SMPL joints/parents, anthropometric rest offsets, subjects
:mod:`lib.body.kinematics`      vectorised forward kinematics (axis-angle -> global rotations, positions)
:mod:`lib.body.anatomy`         anatomical joint angles -> SMPL local rotations
:mod:`lib.body.waveforms`       phases, bumps, smooth noise, min-jerk profiles
:mod:`lib.body.posture`         the motion canvas (:class:`Body`) and base postures
:mod:`lib.body.locomotion`      walking, jogging, running, stairs, jumps, hops, climbing, kicking
:mod:`lib.body.everyday`        postures, transitions, exercise, gestures, household and work tasks
:mod:`lib.body.activities`      the activity catalogue (metadata, P4 classes, narrations)
:mod:`lib.body.motions`         ``generate`` / ``generate_sequence``: clips with labels
:mod:`lib.body.second_source`   a second, independent motion source (own style model; P4's DIP stand-in)
:mod:`lib.body.imu`             virtual IMUs (P4 Eq. 3), sensor sites, resampling
:mod:`lib.body.sensors`         sim-to-real sensor model (noise, bias, wobble, ...)
:mod:`lib.body.analysis`        signal summaries (RMS, dominant frequency, step frequency)
:mod:`lib.body.draw`            stick figures
==============================  =================================================================
"""
