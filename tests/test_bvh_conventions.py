"""Any humanoid BVH onto SMPL-24: naming conventions kept as data, Euler orders,
position channels on every joint, length units from the skeleton's height, zero-length End Sites.

One body and one motion (a 1.75 m adult, Winter's proportions, every segment turning) are written as BVH
files in five naming conventions (CMU subject-131, cgspeed, Mixamo, 3ds Max Biped, Unreal mannequin), each
with its own hierarchy quirks (zero-offset helper joints, twist bones, clavicles under the neck, a root
bone below the pelvis, eyes and thumbs beside the mapped chain), its own length unit (CMU unit, m, cm,
inch, mm), its own Euler orders and position channels. The generator poses each BVH joint from the body's
*global* segment rotations, independently of the loader; the tests check that the loader returns those
positions and rotations, and that every file retargets to the same SMPL clip.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from lib.datasets import bvh
from lib.datasets.bvh import (CMU_UNIT_M, CONVENTIONS, CONVENTIONS_FILE, UNITS, detect_convention, detect_units,
                              joint_map, load_bvh, load_conventions, local_rotations, read_bvh, rest_height,
                              to_motion_clip)
from lib.datasets.errors import DataFormatError

ORDERS = ("XYZ", "XZY", "YXZ", "YZX", "ZXY", "ZYX")

# ------------------------------------------------------------------------------------------- the body
# Rest positions (metres, Y up, facing +Z, the subject's left on +X) of a 1.75 m body: hip, knee, ankle at
# Winter's heights 0.530, 0.285, 0.039 of stature (*Biomechanics and Motor Control of Human Movement*, Fig. 4.1),
# arms out (T-pose).
_LEFT = {"hip": (0.09, 0.928, 0.0), "knee": (0.09, 0.499, 0.01), "ankle": (0.09, 0.068, 0.0),
         "toe": (0.09, 0.015, 0.13), "toe_end": (0.09, 0.01, 0.20), "collar": (0.03, 1.42, 0.0),
         "shoulder": (0.18, 1.43, 0.0), "elbow": (0.506, 1.43, -0.01), "wrist": (0.762, 1.43, 0.0),
         "hand": (0.85, 1.43, 0.0), "hand_end": (0.95, 1.43, 0.0), "thumb": (0.80, 1.42, 0.04),
         "twist_upper": (0.34, 1.43, 0.0), "twist_fore": (0.63, 1.43, 0.0), "eye": (0.03, 1.66, 0.08)}
REST = {"pelvis": (0.0, 0.98, 0.0), "spine1": (0.0, 1.08, -0.01), "spine2": (0.0, 1.20, -0.01),
        "spine3": (0.0, 1.33, 0.0), "neck": (0.0, 1.47, 0.0), "head": (0.0, 1.58, 0.01), "head_end": (0.0, 1.75, 0.0),
        "origin": (0.0, 0.0, 0.0)}
for _k, _v in _LEFT.items():
    REST["l_" + _k] = _v
    REST["r_" + _k] = (-_v[0], _v[1], _v[2])
REST = {k: np.array(v, dtype=float) for k, v in REST.items()}
STATURE = 1.75
LEG_STATURE = (np.linalg.norm(REST["l_knee"] - REST["l_hip"]) + np.linalg.norm(REST["l_ankle"] - REST["l_knee"])) / 0.491

#: Segments that turn (their global rotation is the motion); "world" never turns.
SEGMENTS = ("pelvis", "spine1", "spine2", "spine3", "neck", "head", *[f"{s}_{k}" for s in "lr" for k in
            ("hip", "knee", "ankle", "toe", "collar", "shoulder", "elbow", "wrist", "hand")])
T, FPS = 8, 30.0


def body_motion(seed: int = 0) -> tuple[dict, np.ndarray]:
    """(segment -> (T, 3, 3) global rotation, (T, 3) pelvis position in metres): every segment turns
    smoothly about its own axis by up to ~0.6 rad, the body yaws and walks forward."""
    rng = np.random.default_rng(seed)
    t = np.arange(T) / FPS
    rot = {"world": np.broadcast_to(np.eye(3), (T, 3, 3))}
    for seg in SEGMENTS:
        axis = rng.normal(size=3)
        axis /= np.linalg.norm(axis)
        angle = 0.25 + 0.35 * np.sin(2 * np.pi * 1.3 * t + rng.uniform(0, 2 * np.pi))
        rot[seg] = Rotation.from_rotvec(angle[:, None] * axis).as_matrix()
    rot["pelvis"] = (Rotation.from_euler("Y", 0.4 * t[:, None]) * Rotation.from_matrix(rot["pelvis"])).as_matrix()
    pelvis = REST["pelvis"] + np.stack([0.05 * np.sin(3 * t), 0.02 * np.cos(6 * t), 1.2 * t], axis=1)
    return rot, pelvis


# ------------------------------------------------------------------------------ the five BVH skeletons
END = None  # an End Site in a spec row: (END, parent, at, None)


def _sides(rows):
    """Rows with '{S}' (Left/Right), '{s}' (l/r), '{X}' (L/R), '{h}' (l/r) placeholders, for both sides."""
    out = []
    for s, S, X in (("l", "Left", "L"), ("r", "Right", "R")):
        f = {"s": s, "S": S, "X": X, "h": s}
        out += [(None if n is None else n.format(**f), p.format(**f), a.format(**f), None if g is None else g.format(**f))
                for n, p, a, g in rows]
    return out


# (name, parent, rest position key, segment whose rotation it carries)
SPECS = {
    "cmu_131": [("Hips", None, "pelvis", "pelvis"),
                *_sides([("{X}HipJoint", "Hips", "pelvis", "pelvis"), ("{S}Hip", "{X}HipJoint", "{s}_hip", "{s}_hip"),
                         ("{S}Knee", "{S}Hip", "{s}_knee", "{s}_knee"), ("{S}Ankle", "{S}Knee", "{s}_ankle", "{s}_ankle"),
                         ("{S}Toe", "{S}Ankle", "{s}_toe", "{s}_toe"), (END, "{S}Toe", "{s}_toe_end", None)]),
                ("lowerback", "Hips", "spine1", "spine1"), ("Chest", "lowerback", "spine2", "spine2"),
                ("Chest2", "Chest", "spine3", "spine3"), ("lowerneck", "Chest2", "spine3", "spine3"),
                ("Neck", "lowerneck", "neck", "neck"), ("Head", "Neck", "head", "head"), (END, "Head", "head_end", None),
                *_sides([("{S}Collar", "Chest2", "{s}_collar", "{s}_collar"),
                         ("{S}Shoulder", "{S}Collar", "{s}_shoulder", "{s}_shoulder"),
                         ("{S}Elbow", "{S}Shoulder", "{s}_elbow", "{s}_elbow"),
                         ("{S}Wrist", "{S}Elbow", "{s}_wrist", "{s}_wrist"), ("{h}hand", "{S}Wrist", "{s}_wrist", "{s}_wrist"),
                         ("{X}Fingers", "{h}hand", "{s}_hand", "{s}_hand"), (END, "{X}Fingers", "{s}_hand_end", None),
                         ("{X}Thumb", "{S}Wrist", "{s}_thumb", "{s}_wrist"), (END, "{X}Thumb", "{s}_thumb", None)])],
    "cgspeed": [("Hips", None, "pelvis", "pelvis"),
                *_sides([("{X}HipJoint", "Hips", "pelvis", "pelvis"), ("{S}UpLeg", "{X}HipJoint", "{s}_hip", "{s}_hip"),
                         ("{S}Leg", "{S}UpLeg", "{s}_knee", "{s}_knee"), ("{S}Foot", "{S}Leg", "{s}_ankle", "{s}_ankle"),
                         ("{S}ToeBase", "{S}Foot", "{s}_toe", "{s}_toe"), (END, "{S}ToeBase", "{s}_toe_end", None)]),
                ("LowerBack", "Hips", "spine1", "spine1"), ("Spine", "LowerBack", "spine2", "spine2"),
                ("Spine1", "Spine", "spine3", "spine3"), ("Neck", "Spine1", "spine3", "spine3"),
                ("Neck1", "Neck", "neck", "neck"), ("Head", "Neck1", "head", "head"), (END, "Head", "head_end", None),
                *_sides([("{S}Shoulder", "Spine1", "{s}_collar", "{s}_collar"),
                         ("{S}Arm", "{S}Shoulder", "{s}_shoulder", "{s}_shoulder"),
                         ("{S}ForeArm", "{S}Arm", "{s}_elbow", "{s}_elbow"), ("{S}Hand", "{S}ForeArm", "{s}_wrist", "{s}_wrist"),
                         ("{S}FingerBase", "{S}Hand", "{s}_hand", "{s}_hand"),
                         ("{S}HandIndex1", "{S}FingerBase", "{s}_hand_end", "{s}_hand"),
                         (END, "{S}HandIndex1", "{s}_hand_end", None),  # zero length
                         ("{X}Thumb", "{S}Hand", "{s}_thumb", "{s}_wrist"), (END, "{X}Thumb", "{s}_thumb", None)])],
    "mixamo": [("mixamorig:Hips", None, "pelvis", "pelvis"),
               ("mixamorig:Spine", "mixamorig:Hips", "spine1", "spine1"),
               ("mixamorig:Spine1", "mixamorig:Spine", "spine2", "spine2"),
               ("mixamorig:Spine2", "mixamorig:Spine1", "spine3", "spine3"),
               ("mixamorig:Neck", "mixamorig:Spine2", "neck", "neck"), ("mixamorig:Head", "mixamorig:Neck", "head", "head"),
               ("mixamorig:HeadTop_End", "mixamorig:Head", "head_end", "head"), (END, "mixamorig:HeadTop_End", "head_end", None),
               *_sides([("mixamorig:{S}Eye", "mixamorig:Head", "{s}_eye", "head"), (END, "mixamorig:{S}Eye", "{s}_eye", None)]),
               *_sides([("mixamorig:{S}Shoulder", "mixamorig:Spine2", "{s}_collar", "{s}_collar"),
                        ("mixamorig:{S}Arm", "mixamorig:{S}Shoulder", "{s}_shoulder", "{s}_shoulder"),
                        ("mixamorig:{S}ForeArm", "mixamorig:{S}Arm", "{s}_elbow", "{s}_elbow"),
                        ("mixamorig:{S}Hand", "mixamorig:{S}ForeArm", "{s}_wrist", "{s}_wrist"),
                        ("mixamorig:{S}HandMiddle1", "mixamorig:{S}Hand", "{s}_hand", "{s}_hand"),
                        ("mixamorig:{S}HandMiddle2", "mixamorig:{S}HandMiddle1", "{s}_hand_end", "{s}_hand"),
                        (END, "mixamorig:{S}HandMiddle2", "{s}_hand_end", None),
                        ("mixamorig:{S}HandThumb1", "mixamorig:{S}Hand", "{s}_thumb", "{s}_wrist"),
                        (END, "mixamorig:{S}HandThumb1", "{s}_thumb", None),
                        ("mixamorig:{S}UpLeg", "mixamorig:Hips", "{s}_hip", "{s}_hip"),
                        ("mixamorig:{S}Leg", "mixamorig:{S}UpLeg", "{s}_knee", "{s}_knee"),
                        ("mixamorig:{S}Foot", "mixamorig:{S}Leg", "{s}_ankle", "{s}_ankle"),
                        ("mixamorig:{S}ToeBase", "mixamorig:{S}Foot", "{s}_toe", "{s}_toe"),
                        ("mixamorig:{S}Toe_End", "mixamorig:{S}ToeBase", "{s}_toe_end", "{s}_toe"),
                        (END, "mixamorig:{S}Toe_End", "{s}_toe_end", None)])],
    "biped": [("Bip01", None, "pelvis", "pelvis"), ("Bip01 Pelvis", "Bip01", "pelvis", "pelvis"),
              ("Bip01 Spine", "Bip01 Pelvis", "spine1", "spine1"), ("Bip01 Spine1", "Bip01 Spine", "spine2", "spine2"),
              ("Bip01 Spine2", "Bip01 Spine1", "spine3", "spine3"), ("Bip01 Neck", "Bip01 Spine2", "neck", "neck"),
              ("Bip01 Head", "Bip01 Neck", "head", "head"), ("Bip01 HeadNub", "Bip01 Head", "head_end", "head"),
              (END, "Bip01 HeadNub", "head_end", None),
              *_sides([("Bip01 {X} Clavicle", "Bip01 Neck", "{s}_collar", "{s}_collar"),  # Biped hangs them on the neck
                       ("Bip01 {X} UpperArm", "Bip01 {X} Clavicle", "{s}_shoulder", "{s}_shoulder"),
                       ("Bip01 {X} Forearm", "Bip01 {X} UpperArm", "{s}_elbow", "{s}_elbow"),
                       ("Bip01 {X} ForeTwist", "Bip01 {X} Forearm", "{s}_twist_fore", "{s}_elbow"),
                       (END, "Bip01 {X} ForeTwist", "{s}_twist_fore", None),
                       ("Bip01 {X} Hand", "Bip01 {X} Forearm", "{s}_wrist", "{s}_wrist"),
                       ("Bip01 {X} Finger2", "Bip01 {X} Hand", "{s}_hand", "{s}_hand"),
                       ("Bip01 {X} Finger2Nub", "Bip01 {X} Finger2", "{s}_hand_end", "{s}_hand"),
                       (END, "Bip01 {X} Finger2Nub", "{s}_hand_end", None),
                       ("Bip01 {X} Thigh", "Bip01 Pelvis", "{s}_hip", "{s}_hip"),
                       ("Bip01 {X} Calf", "Bip01 {X} Thigh", "{s}_knee", "{s}_knee"),
                       ("Bip01 {X} Foot", "Bip01 {X} Calf", "{s}_ankle", "{s}_ankle"),
                       ("Bip01 {X} Toe0", "Bip01 {X} Foot", "{s}_toe", "{s}_toe"),
                       ("Bip01 {X} Toe0Nub", "Bip01 {X} Toe0", "{s}_toe_end", "{s}_toe"),
                       (END, "Bip01 {X} Toe0Nub", "{s}_toe_end", None)])],
    "unreal": [("root", None, "origin", "world"), ("pelvis", "root", "pelvis", "pelvis"),
               ("spine_01", "pelvis", "spine1", "spine1"), ("spine_02", "spine_01", "spine2", "spine2"),
               ("spine_03", "spine_02", "spine3", "spine3"), ("neck_01", "spine_03", "neck", "neck"),
               ("head", "neck_01", "head", "head"), (END, "head", "head_end", None),
               *_sides([("clavicle_{s}", "spine_03", "{s}_collar", "{s}_collar"),
                        ("upperarm_{s}", "clavicle_{s}", "{s}_shoulder", "{s}_shoulder"),
                        ("upperarm_twist_01_{s}", "upperarm_{s}", "{s}_twist_upper", "{s}_shoulder"),
                        (END, "upperarm_twist_01_{s}", "{s}_twist_upper", None),
                        ("lowerarm_{s}", "upperarm_{s}", "{s}_elbow", "{s}_elbow"),
                        ("hand_{s}", "lowerarm_{s}", "{s}_wrist", "{s}_wrist"),
                        ("middle_01_{s}", "hand_{s}", "{s}_hand", "{s}_hand"), (END, "middle_01_{s}", "{s}_hand_end", None),
                        ("thigh_{s}", "pelvis", "{s}_hip", "{s}_hip"), ("calf_{s}", "thigh_{s}", "{s}_knee", "{s}_knee"),
                        ("foot_{s}", "calf_{s}", "{s}_ankle", "{s}_ankle"), ("ball_{s}", "foot_{s}", "{s}_toe", "{s}_toe"),
                        (END, "ball_{s}", "{s}_toe_end", None)])],
}

#: How each file is written: length unit, root channels, other joints' channels ("{o}" = an Euler order from
#: the cycle), which non-root joints get 6 channels (position channels holding their offset).
STYLE = {
    "cmu_131": dict(units="cmu", root="Xposition Yposition Zposition {o}", orders=("ZYX", "ZXY"), six=()),
    "cgspeed": dict(units="m", root="Xposition Yposition Zposition {o}", orders=("ZYX",), six=()),
    "mixamo": dict(units="cm", root="Xposition Yposition Zposition {o}", orders=("ZXY", "YXZ"), six="all"),
    "biped": dict(units="inch", root="{o} Xposition Yposition Zposition", orders=ORDERS, six=()),
    "unreal": dict(units="mm", root="Xposition Yposition Zposition {o}", orders=("XYZ", "YZX", "XZY"), six=("pelvis",),
                   carrier="pelvis"),
}


def _channels(order: str) -> str:
    return " ".join(f"{axis}rotation" for axis in order)


def write_bvh(path, spec, motion, units="m", root="Xposition Yposition Zposition {o}", orders=("ZYX",), six=(),
              carrier=None):
    """Write ``spec`` posed by ``motion`` (segment rotations, pelvis position) to ``path`` in ``units``.

    Every joint's global rotation is its segment's; its local rotation G_parent^T G_joint is written as Euler
    angles in the joint's channel order. Positions follow the BVH chain from the root, which is placed so
    that the pelvis (its segment's joint at REST['pelvis']) is where ``motion`` says; with ``carrier`` (a
    non-root joint with 6 channels at the pelvis) the root stays at rest and the carrier's position
    channels move the body (its translation from the root, in the root's frame).
    Non-root joints in ``six`` get position channels holding their offset.
    returns {joint name: ((T, 3) position in metres, (T, 3, 3) global rotation)} for the joints and End Sites
    (End Sites named '<parent>_end', as the loader names them)
    """
    rot, pelvis = motion
    scale = UNITS[units]
    names = [n if n is not None else f"{p}_end" for n, p, _, _ in spec]
    parent_of = {name: p for name, (_, p, _, _) in zip(names, spec)}
    at = {name: REST[a] for name, (_, _, a, _) in zip(names, spec)}
    seg = {name: g for name, (_, _, _, g) in zip(names, spec)}
    for name in names:  # End Sites carry their parent's rotation
        if seg[name] is None:
            seg[name] = seg[parent_of[name]]
    children: dict = {}
    for name in names:
        children.setdefault(parent_of[name], []).append(name)
    (root_name,) = children[None]
    # global poses: the root sits so that the pelvis joint lands on the motion's pelvis position
    glob = {name: rot[seg[name]] for name in names}
    if carrier is None:
        pos = {root_name: pelvis - np.einsum("tij,j->ti", glob[root_name], REST["pelvis"] - at[root_name])}
    else:
        pos = {root_name: np.broadcast_to(at[root_name], (T, 3)).copy(), carrier: pelvis}
    for name in names:
        if parent_of[name] is not None and name != carrier:
            p = parent_of[name]
            pos[name] = pos[p] + np.einsum("tij,j->ti", glob[p], at[name] - at[p])
    lines, columns, k = [], [], 0
    for_six = set(names if six == "all" else six)

    def block(name, depth):
        nonlocal k
        pad = "  " * depth
        end = name.endswith("_end") and spec[names.index(name)][0] is None
        offset = (at[name] - at[parent_of[name]]) / scale if parent_of[name] is not None else np.zeros(3)
        if end:
            lines.extend([f"{pad}End Site", f"{pad}{{", f"{pad}  OFFSET {' '.join(f'{v:.9g}' for v in offset)}", f"{pad}}}"])
            return
        order = orders[k % len(orders)]
        k += 1
        if parent_of[name] is None:
            decl = root.format(o=_channels(order))
        elif name in for_six:
            decl = f"Xposition Yposition Zposition {_channels(order)}"
        else:
            decl = _channels(order)
        lines.extend([f"{pad}{'ROOT' if parent_of[name] is None else 'JOINT'} {name}", f"{pad}{{",
                      f"{pad}  OFFSET {' '.join(f'{v:.9g}' for v in offset)}", f"{pad}  CHANNELS {len(decl.split())} {decl}"])
        local = glob[name] if parent_of[name] is None else np.swapaxes(glob[parent_of[name]], -1, -2) @ glob[name]
        angles = Rotation.from_matrix(local).as_euler(order, degrees=True)  # intrinsic, as BVH
        if parent_of[name] is None:
            translation = pos[name] / scale
        elif name == carrier:  # the translation from the parent, in the parent's frame
            p = parent_of[name]
            translation = np.einsum("tji,tj->ti", glob[p], pos[name] - pos[p]) / scale
        else:
            translation = np.broadcast_to(offset, (T, 3))
        for c in decl.split():
            columns.append(translation[:, "XYZ".index(c[0])] if c.endswith("position") else angles[:, order.index(c[0])])
        for child in children.get(name, []):
            block(child, depth + 1)
        lines.append(f"{pad}}}")

    block(root_name, 0)
    rows = np.stack(columns, axis=1)
    text = "\n".join(["HIERARCHY", *lines, "MOTION", f"Frames: {T}", f"Frame Time: {1 / FPS:.7f}",
                      *(" ".join(f"{v:.9f}" for v in row) for row in rows)]) + "\n"
    path.write_text(text)
    return {name: (pos[name], glob[name]) for name in names}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """{convention: (path, expected {joint: (positions, rotations)})}, one motion in five conventions."""
    root = tmp_path_factory.mktemp("conventions")
    motion = body_motion()
    return {key: (root / f"{key}.bvh", write_bvh(root / f"{key}.bvh", spec, motion, **STYLE[key]))
            for key, spec in SPECS.items()}


# ---------------------------------------------------------------------------------------------- tests
def test_the_map_file_holds_five_conventions_with_sources():
    assert CONVENTIONS_FILE.name == "bvh_conventions.json" and CONVENTIONS_FILE.is_file()
    assert set(SPECS) <= set(CONVENTIONS) and len(CONVENTIONS) >= 5
    for conv in CONVENTIONS.values():
        assert conv.sources and conv.label, conv.key


@pytest.mark.parametrize("key", list(SPECS))
def test_each_convention_loads_in_its_unit_with_the_generators_poses(files, key):
    path, expected = files[key]
    pose = load_bvh(path)  # units detected
    assert pose.units == STYLE[key]["units"]
    assert pose.scale == UNITS[STYLE[key]["units"]]
    assert 1.5 < rest_height(read_bvh(path).skeleton) * pose.scale < 2.0
    assert set(pose.names) == set(expected)
    for name, (positions, rotations) in expected.items():
        i = pose.index(name)
        np.testing.assert_allclose(pose.positions[:, i], positions, atol=2e-6, err_msg=f"{key}: {name}")
        np.testing.assert_allclose(pose.rotations[:, i], rotations, atol=1e-7, err_msg=f"{key}: {name}")
    assert detect_convention(pose.names, path) == key


@pytest.mark.parametrize("key", list(SPECS))
def test_each_convention_retargets_onto_smpl_with_the_mocaps_bone_directions(files, key):
    from lib.body.kinematics import forward_kinematics as smpl_fk
    from lib.body.skeleton import JOINT_INDEX, skeleton_from_stature

    path, expected = files[key]
    pose = load_bvh(path)
    clip = to_motion_clip(pose)
    assert clip.subject["bvh_convention"] == key and clip.subject["bvh_units"] == STYLE[key]["units"]
    assert clip.subject["stature"] == pytest.approx(LEG_STATURE, abs=1e-3) and 1.5 < clip.subject["stature"] < 2.0
    jm = joint_map(pose)
    np.testing.assert_allclose(clip.trans, expected[jm.drivers["pelvis"]][0], atol=2e-6)
    _, smpl = smpl_fk(clip.poses, clip.trans, skeleton_from_stature(clip.subject["stature"]))
    for a, b in [("left_hip", "left_knee"), ("right_knee", "right_ankle"), ("left_ankle", "left_foot"),
                 ("left_collar", "left_shoulder"), ("left_shoulder", "left_elbow"), ("right_elbow", "right_wrist"),
                 ("left_wrist", "left_hand"), ("spine1", "spine2"), ("spine2", "spine3"), ("neck", "head")]:
        u = smpl[:, JOINT_INDEX[b]] - smpl[:, JOINT_INDEX[a]]
        v = expected[jm.drivers[b]][0] - expected[jm.drivers[a]][0]
        cos = (u * v).sum(1) / np.linalg.norm(u, axis=1) / np.linalg.norm(v, axis=1)
        assert cos.min() > 0.9999, (key, a, b)  # SMPL bones point where the mocap bones point


def test_one_motion_in_five_conventions_and_units_gives_one_smpl_clip(files):
    from lib.body.kinematics import forward_kinematics as smpl_fk
    from lib.body.skeleton import skeleton_from_stature

    clips = {key: to_motion_clip(load_bvh(path)) for key, (path, _) in files.items()}
    skeleton = skeleton_from_stature(STATURE)
    reference = smpl_fk(clips["cmu_131"].poses, clips["cmu_131"].trans, skeleton)[1]
    for key, clip in clips.items():
        rel = np.swapaxes(Rotation.from_rotvec(clip.poses.reshape(-1, 3)).as_matrix(), -1, -2) @ \
            Rotation.from_rotvec(clips["cmu_131"].poses.reshape(-1, 3)).as_matrix()
        assert np.degrees(np.abs(Rotation.from_matrix(rel).magnitude())).max() < 1e-4, key
        np.testing.assert_allclose(smpl_fk(clip.poses, clip.trans, skeleton)[1], reference, atol=1e-6, err_msg=key)
    assert {c.subject["bvh_units"] for c in clips.values()} == {"cmu", "m", "cm", "inch", "mm"}


@pytest.mark.parametrize("units", ["m", "cm", "mm", "inch", "cmu"])
def test_units_are_detected_from_the_skeletons_height(tmp_path, units):
    path = tmp_path / f"mixamo_{units}.bvh"
    expected = write_bvh(path, SPECS["mixamo"], body_motion(1), units=units)
    pose = load_bvh(path)
    assert pose.units == units and detect_units(read_bvh(path).skeleton) == units
    np.testing.assert_allclose(pose.positions[:, 0], expected["mixamorig:Hips"][0], atol=2e-6)
    metres = load_bvh(path, units="m")  # an explicit unit overrides the detection
    np.testing.assert_allclose(metres.positions, pose.positions / UNITS[units], rtol=1e-9, atol=1e-9)


def test_a_body_of_no_plausible_size_is_one_clear_error_and_units_override_it(tmp_path):
    small = {k: v * 0.4 for k, v in REST.items()}  # a 0.7 m figure in metres: no unit makes it an adult
    path = tmp_path / "doll.bvh"
    saved = dict(REST)
    try:
        REST.update(small)
        write_bvh(path, SPECS["cgspeed"], body_motion(), units="m")
    finally:
        REST.update(saved)
    with pytest.raises(DataFormatError, match="no adult body") as err:
        load_bvh(path)
    message = str(err.value)
    assert "doll.bvh" in message and "units=" in message and "0.696 m in m" in message
    assert load_bvh(path, units="m").units == "m"
    assert load_bvh(path, scale=1.0).units == "given"
    with pytest.raises(ValueError, match="units='feet' is unknown"):
        load_bvh(path, units="feet")
    with pytest.raises(ValueError, match="not both"):
        load_bvh(path, scale=1.0, units="cm")


def test_the_cmu_unit_is_one_over_0_45_inch_and_the_real_files_are_detected_in_it():
    assert CMU_UNIT_M == pytest.approx(0.0254 / 0.45) and UNITS["cmu"] == CMU_UNIT_M
    from lib.params import SHARED_DATA

    path = SHARED_DATA / "cmu_mocap" / "131_02.bvh"
    if not path.is_file():
        pytest.skip(f"real CMU BVH file not found at {path}")
    assert detect_units(read_bvh(path).skeleton) == "cmu"


@pytest.mark.parametrize("order", ORDERS)
def test_every_euler_order_gives_the_same_rotation_matrix(tmp_path, order):
    target = Rotation.from_rotvec([0.7, -0.4, 1.1])
    angles = dict(zip(order, target.as_euler(order, degrees=True)))  # intrinsic angles, first axis first
    text = ("HIERARCHY\nROOT Hips\n{\n OFFSET 0 0 0\n CHANNELS 6 Xposition Yposition Zposition Zrotation Yrotation Xrotation\n"
            f" JOINT Arm\n {{\n  OFFSET 1 0 0\n  CHANNELS 3 {_channels(order)}\n  End Site\n  {{\n   OFFSET 1 0 0\n  }}\n }}\n}}\n"
            "MOTION\nFrames: 1\nFrame Time: 0.01\n0 0 0 0 0 0 " + " ".join(f"{angles[a]:.12f}" for a in order) + "\n")
    path = tmp_path / f"arm_{order}.bvh"
    path.write_text(text)
    local = local_rotations(read_bvh(path))[0, 1]
    np.testing.assert_allclose(local, target.as_matrix(), atol=1e-10)
    # and by hand: intrinsic order = the product of the elementary rotations in the listed order
    elementary = {"X": lambda a: Rotation.from_rotvec([a, 0, 0]), "Y": lambda a: Rotation.from_rotvec([0, a, 0]),
                  "Z": lambda a: Rotation.from_rotvec([0, 0, a])}
    product = np.eye(3)
    for axis in order:
        product = product @ elementary[axis](np.radians(angles[axis])).as_matrix()
    np.testing.assert_allclose(local, product, atol=1e-10)


def test_position_channels_on_a_joint_replace_its_offset(tmp_path):
    text = ("HIERARCHY\nROOT Hips\n{\n OFFSET 0 0 0\n CHANNELS 6 Xposition Yposition Zposition Zrotation Yrotation Xrotation\n"
            " JOINT Spine\n {\n  OFFSET 0 10 0\n  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation\n"
            "  End Site\n  {\n   OFFSET 0 5 0\n  }\n }\n}\nMOTION\nFrames: 2\nFrame Time: 0.01\n"
            "1 2 3 0 0 0 0 10 0 0 0 0\n1 2 3 90 0 0 0.5 12 -1 0 0 0\n")
    path = tmp_path / "six.bvh"
    path.write_text(text)
    pose = load_bvh(path, scale=1.0)
    spine = pose.index("Spine")
    np.testing.assert_allclose(pose.positions[0, spine], [1, 12, 3], atol=1e-12)  # channels = the offset: rest
    # frame 2: root turned 90 deg about Z (+Y -> -X), Spine translated to (0.5, 12, -1) in the root's frame
    np.testing.assert_allclose(pose.positions[1, spine], [1 - 12, 2 + 0.5, 3 - 1], atol=1e-12)
    np.testing.assert_allclose(pose.positions[1, spine + 1], [1 - 17, 2.5, 2], atol=1e-12)


def test_zero_length_end_sites_are_accepted_and_skipped(tmp_path, files):
    path, _ = files["cmu_131"]
    text = path.read_text()
    flat = tmp_path / "flat_ends.bvh"
    lines = text.splitlines()
    for i, line in enumerate(lines):  # every End Site OFFSET -> 0 0 0
        if line.strip() == "End Site":
            lines[i + 2] = lines[i + 2].split("OFFSET")[0] + "OFFSET 0 0 0"
    flat.write_text("\n".join(lines) + "\n")
    pose = load_bvh(flat, units="cmu")
    jm = joint_map(pose)
    assert jm.ends["head"] == "Head_end"
    assert bvh._rest_direction(pose, pose.rest_positions, "Head", "Head_end") is None  # no direction to align
    clip = to_motion_clip(pose)
    reference = to_motion_clip(load_bvh(path))
    assert np.isfinite(clip.poses).all()
    # only the leaves whose direction came from an End Site change; the limbs do not
    from lib.body.skeleton import JOINT_INDEX
    for joint in ("left_hip", "left_knee", "left_shoulder", "left_elbow", "neck", "spine2"):
        np.testing.assert_allclose(clip.poses[:, JOINT_INDEX[joint]], reference.poses[:, JOINT_INDEX[joint]], atol=1e-9)


def test_a_skeleton_in_no_convention_lists_what_the_closest_lacks_and_how_to_add_a_map(files, tmp_path):
    path, _ = files["unreal"]
    renamed = tmp_path / "renamed.bvh"
    renamed.write_text(path.read_text().replace("thigh_l", "LeftThigh").replace("calf_l", "LeftShin"))
    with pytest.raises(DataFormatError) as err:
        to_motion_clip(load_bvh(renamed))
    message = str(err.value)
    assert "renamed.bvh" in message and "'unreal'" in message
    assert "['thigh_l', 'calf_l']" in message and "left_hip" in message and "left_knee" in message
    assert "bvh_conventions.json" in message and "'joints'" in message and "'optional'" in message
    assert all(repr(key) in message for key in CONVENTIONS)


def test_names_match_case_insensitively_and_with_or_without_the_documented_prefix():
    mixamo = [n for n, *_ in SPECS["mixamo"] if n is not None]
    assert detect_convention(mixamo) == "mixamo"
    assert detect_convention([n.replace("mixamorig:", "") for n in mixamo]) == "mixamo"
    assert detect_convention([n.replace("mixamorig:", "mixamorig1:").upper() for n in mixamo]) == "mixamo"
    biped = [n for n, *_ in SPECS["biped"] if n is not None]
    assert detect_convention(biped) == "biped"
    assert detect_convention([n.replace("Bip01 ", "Bip001 ") for n in biped]) == "biped"
    assert detect_convention([n.replace("Bip01 ", "ValveBiped.Bip01_").replace(" ", "_") for n in biped]) == "biped"
    assert detect_convention([n.replace("Bip01 ", "") for n in biped if n != "Bip01"]) == "biped"


def test_a_map_added_to_the_data_file_is_used(tmp_path, files, monkeypatch):
    """A new convention needs only an entry in the JSON map (the 'Fix' the error gives)."""
    path, _ = files["cgspeed"]
    custom = tmp_path / "custom.bvh"
    rename = {"LeftUpLeg": "LThigh", "RightUpLeg": "RThigh", "LeftLeg": "LShin", "RightLeg": "RShin"}
    text = path.read_text()
    for old, new in rename.items():
        text = text.replace(f"JOINT {old}\n", f"JOINT {new}\n")
    custom.write_text(text)
    with pytest.raises(DataFormatError, match="lacks"):
        detect_convention(read_bvh(custom).skeleton.names, custom)
    data = json.loads(CONVENTIONS_FILE.read_text())
    entry = json.loads(json.dumps(data["conventions"]["cgspeed"]))
    entry["joints"].update({"left_hip": "LThigh", "right_hip": "RThigh", "left_knee": "LShin", "right_knee": "RShin"})
    data["conventions"]["my_studio"] = entry
    table = tmp_path / "maps.json"
    table.write_text(json.dumps(data))
    monkeypatch.setattr(bvh, "CONVENTIONS", load_conventions(table))
    clip = to_motion_clip(load_bvh(custom))
    assert clip.subject["bvh_convention"] == "my_studio"


@pytest.mark.parametrize("edit,match", [
    (lambda c: c["cgspeed"]["joints"].pop("neck"), "'joints' must map every SMPL joint"),
    (lambda c: c["cgspeed"]["joints"].update({"nose": "Nose"}), "not SMPL joints"),
    (lambda c: c["cgspeed"]["joints"].update({"neck": []}), "non-empty list"),
    (lambda c: c["mixamo"].update({"prefix": "mixamorig("}), "not a regular expression"),
])
def test_a_malformed_map_file_is_one_clear_error(tmp_path, edit, match):
    data = json.loads(CONVENTIONS_FILE.read_text())
    edit(data["conventions"])
    table = tmp_path / "maps.json"
    table.write_text(json.dumps(data))
    with pytest.raises(DataFormatError, match=match) as err:
        load_conventions(table)
    assert "maps.json" in str(err.value)


def test_channel_counts_other_than_3_or_6_name_the_joint(tmp_path, files):
    path, _ = files["unreal"]
    text = path.read_text()
    start = text.index("JOINT calf_l")
    line = text[start:].split("CHANNELS", 1)[1].split("\n", 1)[0]
    broken = tmp_path / "four.bvh"
    n, *names = line.split()
    broken.write_text(text[:start] + text[start:].replace("CHANNELS" + line, f"CHANNELS 4 {' '.join(names)} Xposition", 1))
    with pytest.raises(DataFormatError, match="joint calf_l declares 4 channel"):
        read_bvh(broken)


def test_notebook_40_passes_its_bvh_units_parameter_and_refuses_a_bad_one():
    """Notebook 40's ``bvh_units`` parameter reaches load_bvh; a unit it does not know is one ParameterError."""
    import inspect
    from pathlib import Path

    import nbformat

    from lib.params import ParameterError
    from lib.virtual_har import synthesis

    path = Path(__file__).resolve().parent.parent / "notebooks" / "40_virtual_imu_synthesis.ipynb"
    code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert "syn.recording_and_draws(r, p, run.seed, run.bvh_units)" in "\n".join(code)
    assert "load_bvh(bvh_path, units=units)" in inspect.getsource(synthesis)  # where the notebook's value goes
    namespace: dict = {}
    exec(code[0], namespace)  # noqa: S102 - the notebook's own literals
    assert namespace["bvh_units"] is None
    namespace["bvh_units"] = "feet"
    with pytest.raises(ParameterError, match="bvh_units='feet' is not allowed"):
        exec(code[1], namespace)  # noqa: S102 - stops in setup, before any output
