"""A corpus of malformed inputs, one parametrised test per loader family.

Every case writes one broken input into ``tmp_path``, runs the loader the way a notebook does and
asserts ONE clear error: the expected type (``DataFormatError`` for a malformed file,
``FileNotFoundError`` for an absent one) and a message that names the file and, where it applies, the
joint, key, column or row, what was found and what was expected. Each family also loads its valid
input, so a case fails because of its one defect and not because the base input is broken.

Families: CMU BVH, AMASS ``*_poses.npz``, DIP-IMU pickles (+ ``p4_labels.csv``), EgoExo4D-style
triplet folders, UCI HAPT raw text files, P1's ``pairs.csv`` folders.
"""

from __future__ import annotations

import pickle
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from lib.datasets.errors import DataFormatError

LATIN1_HINT = "iconv -f latin1 -t utf-8"


@dataclass(frozen=True)
class Case:
    """One malformed input: ``build(tmp_path)`` writes it and returns the call that must fail."""

    id: str
    build: Callable[[Path], Callable[[], object]]
    error: type
    needles: tuple  # substrings the message must contain, besides the file name
    file: str  # the file (or folder) name the message must name


def check(case: Case, tmp_path: Path) -> None:
    call = case.build(tmp_path)
    with pytest.raises(case.error) as err:
        call()
    message = str(err.value)
    assert type(err.value) is case.error or case.error is DataFormatError and isinstance(err.value, DataFormatError)
    assert case.file in message, f"the message does not name {case.file}: {message}"
    for needle in case.needles:
        assert needle in message, f"{needle!r} is not in the message: {message}"
    if isinstance(err.value, DataFormatError):
        assert err.value.path.name == case.file, f"DataFormatError.path is {err.value.path}, not {case.file}"


def cases(*items: Case):
    return pytest.mark.parametrize("case", items, ids=[c.id for c in items])


# ------------------------------------------------------------------------------------------------ BVH
# A small skeleton in the CMU subject-131 naming (the convention of ../shared/data/cmu_mocap), enough
# for the notebook-40 path: load_bvh -> to_motion_clip(fps=60) -> virtual IMU.
_SIDE = [("{s}HipJoint", "Hips", (1, 0, 0)), ("{S}Hip", "{s}HipJoint", (1.2, -1.6, 0.7)),
         ("{S}Knee", "{S}Hip", (2.5, -6.9, 0)), ("{S}Ankle", "{S}Knee", (2.4, -6.5, 0)),
         ("{S}Toe", "{S}Ankle", (0.1, -0.4, 2.2)),
         ("{S}Collar", "Chest2", (0.5, 1.5, 0)), ("{S}Shoulder", "{S}Collar", (3, 0, 0)),
         ("{S}Elbow", "{S}Shoulder", (5, 0, 0)), ("{S}Wrist", "{S}Elbow", (4, 0, 0)),
         ("{h}hand", "{S}Wrist", (1, 0, 0)), ("{F}Fingers", "{h}hand", (1, 0, 0))]
CMU_131_JOINTS = [("Hips", None, (0, 0, 0)), ("lowerback", "Hips", (0, 2, 0)), ("Chest", "lowerback", (0, 2, 0)),
                  ("Chest2", "Chest", (0, 2, 0)), ("Neck", "Chest2", (0, 1.5, 0)), ("Head", "Neck", (0, 1.5, 0))]
for _s, _sign in (("L", 1), ("R", -1)):
    _names = {"s": _s, "S": "Left" if _s == "L" else "Right", "h": _s.lower(), "F": _s}
    CMU_131_JOINTS += [(n.format(**_names), p.format(**_names), (_sign * o[0], o[1], o[2])) for n, p, o in _SIDE]
LEAVES = {"Head", "LeftToe", "RightToe", "LFingers", "RFingers"}


def bvh_text(joints=CMU_131_JOINTS, frames: int = 12, channels: dict | None = None) -> str:
    """BVH text of ``joints`` (name, parent, offset) with ``frames`` rows; ``channels`` overrides a joint's
    CHANNELS line (the rows stay as wide as the declared total)."""
    channels = channels or {}
    children: dict = {}
    for name, parent, _ in joints:
        children.setdefault(parent, []).append(name)
    offsets = {name: offset for name, _, offset in joints}
    lines, width = [], 0

    def block(name, depth):
        nonlocal width
        pad = "\t" * depth
        root = depth == 0
        default = ("6 Xposition Yposition Zposition Zrotation Yrotation Xrotation" if root
                   else "3 Zrotation Yrotation Xrotation")
        declared = channels.get(name, default)
        width += int(declared.split()[0])
        lines.extend([f"{pad}{'ROOT' if root else 'JOINT'} {name}", f"{pad}{{",
                      f"{pad}\tOFFSET {' '.join(str(float(v)) for v in offsets[name])}", f"{pad}\tCHANNELS {declared}"])
        for child in children.get(name, []):
            block(child, depth + 1)
        if name in LEAVES:
            lines.extend([f"{pad}\tEnd Site", f"{pad}\t{{", f"{pad}\t\tOFFSET 0.0 1.0 1.0", f"{pad}\t}}"])
        lines.append(f"{pad}}}")

    block(joints[0][0], 0)
    rows = []
    for t in range(frames):
        row = np.zeros(width)
        row[1] = 17.0
        row[2] = 0.1 * t  # walking forward
        row[3:] = 5.0 * np.sin(0.3 * t + np.arange(width - 3))  # every joint moves a little
        rows.append(" ".join(f"{v:.5f}" for v in row))
    return "\n".join(["HIERARCHY", *lines, "MOTION", f"Frames: {frames}", "Frame Time: 0.0083333", *rows]) + "\n"


def bvh_case(text: str | bytes | None, name: str = "walk.bvh"):
    """A build function: write ``text`` (None: write nothing) and return the notebook-40 loading path."""

    def build(tmp_path):
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        elif text is not None:
            path.write_text(text, encoding="utf-8")

        def call():
            from lib.datasets.bvh import load_bvh, to_motion_clip

            return to_motion_clip(load_bvh(path), fps=60.0)
        return call
    return build


def _rename(old: str, new: str) -> list:
    return [(new if n == old else n, new if p == old else p, o) for n, p, o in CMU_131_JOINTS]


def _without(joint: str) -> list:
    drop = {joint}
    out = []
    for n, p, o in CMU_131_JOINTS:  # the joint and everything below it
        if n in drop or p in drop:
            drop.add(n)
        else:
            out.append((n, p, o))
    return out


GOOD_BVH = bvh_text()
ROWS = GOOD_BVH.split("Frame Time: 0.0083333\n")[1].splitlines()


def test_the_valid_bvh_of_the_corpus_loads(tmp_path):
    clip = bvh_case(GOOD_BVH)(tmp_path)()
    assert clip.n_frames == 6 and clip.poses.shape == (6, 24, 3)
    assert bvh_case(GOOD_BVH.encode("utf-8-sig"))(tmp_path)().n_frames == 6  # a UTF-8 BOM is fine


@cases(
    Case("missing-file", bvh_case(None), FileNotFoundError, ("does not exist",), "walk.bvh"),
    Case("empty-file", bvh_case(""), DataFormatError, ("is empty",), "walk.bvh"),
    Case("binary-file", bvh_case(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), DataFormatError, ("binary",), "walk.bvh"),
    Case("truncated-motion", bvh_case(GOOD_BVH[: GOOD_BVH.rindex(ROWS[5])]), DataFormatError,
         ("header says 12 frames but 5 motion rows", "truncated"), "walk.bvh"),
    Case("truncated-hierarchy", bvh_case(GOOD_BVH[: GOOD_BVH.index("JOINT Head")]), DataFormatError,
         ("no MOTION section",), "walk.bvh"),
    Case("nan-value", bvh_case(GOOD_BVH.replace(ROWS[3], ROWS[3].replace(ROWS[3].split()[7], "nan", 1))),
         DataFormatError, ("motion row 4", "NaN"), "walk.bvh"),
    Case("non-numeric-value", bvh_case(GOOD_BVH.replace(ROWS[2], ROWS[2].replace(ROWS[2].split()[7], "abc", 1))),
         DataFormatError, ("motion row 3", "'abc'", "not a number"), "walk.bvh"),
    Case("row-too-wide", bvh_case(GOOD_BVH.replace(ROWS[0], ROWS[0] + " 1.0")), DataFormatError,
         ("motion row 1 has", "the hierarchy declares"), "walk.bvh"),
    Case("count-differs-from-names", bvh_case(bvh_text(channels={"Chest": "4 Zrotation Yrotation Xrotation"})),
         DataFormatError, ("CHANNELS must be",), "walk.bvh"),
    # case 1: counts shifted between two joints, same total, each line self-consistent
    Case("shifted-channels", bvh_case(bvh_text(channels={"Chest": "2 Zrotation Yrotation",
                                                         "Chest2": "4 Xposition Zrotation Yrotation Xrotation"})),
         DataFormatError, ("joint Chest declares 2 channel", "3 rotation channels"), "walk.bvh"),
    Case("repeated-axis", bvh_case(bvh_text(channels={"Neck": "3 Zrotation Yrotation Zrotation"})), DataFormatError,
         ("joint Neck declares", "Zrotation", "twice"), "walk.bvh"),
    Case("position-channels-incomplete", bvh_case(bvh_text(channels={"Hips": "5 Xposition Yposition Zrotation Yrotation Xrotation"})),
         DataFormatError, ("joint Hips declares", "position"), "walk.bvh"),
    Case("joint-without-channels", bvh_case(bvh_text(channels={"Neck": "0"})), DataFormatError,
         ("joint Neck declares 0 channel",), "walk.bvh"),
    Case("second-channels-line", bvh_case(GOOD_BVH.replace("JOINT Neck\n\t\t\t\t{\n",
                                                           "JOINT Neck\n\t\t\t\t{\n\t\t\t\t\tCHANNELS 3 Xrotation Yrotation Zrotation\n")),
         DataFormatError, ("joint Neck", "second CHANNELS"), "walk.bvh"),
    # case 2: too short for the virtual IMU (second finite differences)
    Case("one-frame", bvh_case(bvh_text(frames=1)), DataFormatError, ("1 frame", "at least 3"), "walk.bvh"),
    Case("four-frames-at-120-hz", bvh_case(bvh_text(frames=4)), DataFormatError, ("2 frame", "at 60", "at least 3"),
         "walk.bvh"),
    Case("zero-frames", bvh_case(bvh_text(frames=1).replace("Frames: 1", "Frames: 0").rsplit("\n", 2)[0] + "\n"),
         DataFormatError, ("Frames: 0",), "walk.bvh"),
    # case 3: joint names the retargeting does not know
    Case("hips-renamed", bvh_case(bvh_text(_rename("Hips", "Pelvis"))), DataFormatError,
         ("'Hips'", "cmu_131", "cgspeed"), "walk.bvh"),
    Case("head-removed", bvh_case(bvh_text(_without("Head"))), DataFormatError,
         ("'Head'", "cmu_131", "cgspeed"), "walk.bvh"),
    Case("duplicate-joint-name", bvh_case(GOOD_BVH.replace("JOINT RightToe", "JOINT LeftToe")), DataFormatError,
         ("joint name 'LeftToe'", "twice"), "walk.bvh"),
    # case 4: text encodings
    Case("latin1-text", bvh_case(GOOD_BVH.replace("Head", "Tête").encode("latin-1")), DataFormatError,
         ("not UTF-8", "line ", LATIN1_HINT), "walk.bvh"),
)
def test_bad_bvh(case, tmp_path):
    check(case, tmp_path)


# ---------------------------------------------------------------------------------------------- AMASS
def write_amass(path, T=24, **override):
    rng = np.random.default_rng(0)
    data = {"poses": rng.normal(scale=0.2, size=(T, 156)), "trans": np.zeros((T, 3)), "betas": np.zeros(16),
            "gender": np.array("female"), "mocap_framerate": np.array(120.0)}
    data.update(override)
    np.savez(path, **{k: v for k, v in data.items() if v is not None})


def amass_case(write):
    def build(tmp_path):
        path = tmp_path / "walk_poses.npz"
        if write is not None:
            write(path)

        def call():
            from lib.datasets.amass import load_amass

            return load_amass(path)
        return call
    return build


def _truncated_npz(path):
    write_amass(path, T=200)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def test_the_valid_amass_file_of_the_corpus_loads(tmp_path):
    assert amass_case(write_amass)(tmp_path)().n_frames == 12


@cases(
    Case("missing-file", amass_case(None), FileNotFoundError, ("does not exist",), "walk_poses.npz"),
    Case("empty-file", amass_case(lambda p: p.write_bytes(b"")), DataFormatError, ("is empty",), "walk_poses.npz"),
    # case 5: what the file is instead
    Case("text-saved-as-npz", amass_case(lambda p: p.write_text("poses,trans\n0.1,0.2\n")), DataFormatError,
         ("not a zip/.npz archive", "text"), "walk_poses.npz"),
    Case("npy-saved-as-npz", amass_case(lambda p: p.write_bytes(_npy_bytes(np.zeros((24, 156))))), DataFormatError,
         ("not a zip/.npz archive", ".npy"), "walk_poses.npz"),
    Case("truncated", amass_case(_truncated_npz), DataFormatError, ("truncated or corrupt",), "walk_poses.npz"),
    Case("string-betas", amass_case(lambda p: write_amass(p, betas=np.array(["0.1", "0.2"]))), DataFormatError,
         ("'betas'", "dtype <U3", "float"), "walk_poses.npz"),
    Case("string-poses", amass_case(lambda p: write_amass(p, poses=np.full((24, 156), "x"))), DataFormatError,
         ("'poses'", "dtype <U1", "float"), "walk_poses.npz"),
    Case("object-poses", amass_case(lambda p: write_amass(p, poses=np.array([None] * 24, dtype=object))),
         DataFormatError, ("'poses'", "Python objects"), "walk_poses.npz"),
    Case("nan-poses", amass_case(lambda p: write_amass(p, poses=np.full((24, 156), np.nan))), DataFormatError,
         ("'poses'", "NaN"), "walk_poses.npz"),
    Case("wrong-width", amass_case(lambda p: write_amass(p, poses=np.zeros((24, 100)))), DataFormatError,
         ("'poses' has shape (24, 100)", "156"), "walk_poses.npz"),
    Case("trans-length", amass_case(lambda p: write_amass(p, trans=np.zeros((23, 3)))), DataFormatError,
         ("'trans' has shape (23, 3)", "(24, 3)"), "walk_poses.npz"),
    Case("missing-key", amass_case(lambda p: write_amass(p, trans=None)), DataFormatError,
         ("'trans'", "missing"), "walk_poses.npz"),
    Case("one-frame", amass_case(lambda p: write_amass(p, T=1)), DataFormatError, ("1 frame",), "walk_poses.npz"),
    Case("string-frame-rate", amass_case(lambda p: write_amass(p, mocap_framerate=np.array("fast"))), DataFormatError,
         ("frame rate", "'fast'"), "walk_poses.npz"),
)
def test_bad_amass(case, tmp_path):
    check(case, tmp_path)


def _npy_bytes(arr) -> bytes:
    import io

    buffer = io.BytesIO()
    np.save(buffer, arr)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------------ DIP
def dip_data(T=40):
    rng = np.random.default_rng(0)
    return {"imu_ori": np.broadcast_to(np.eye(3), (T, 17, 3, 3)).copy(), "imu_acc": rng.normal(size=(T, 17, 3)),
            "gt": rng.normal(scale=0.1, size=(T, 72))}


def dip_case(write):
    def build(tmp_path):
        path = tmp_path / "s_01" / "01.pkl"
        path.parent.mkdir()
        if write is not None:
            write(path)

        def call():
            from lib.datasets.dip import load_dip

            return load_dip(path)
        return call
    return build


def pickled(data):
    return lambda p: p.write_bytes(pickle.dumps(data, protocol=2))


def changed(**override):
    data = dip_data()
    data.update(override)
    return pickled({k: v for k, v in data.items() if v is not None})


def test_the_valid_dip_file_of_the_corpus_loads(tmp_path):
    assert dip_case(changed())(tmp_path)().n_frames == 28


@cases(
    Case("missing-file", dip_case(None), FileNotFoundError, ("does not exist",), "01.pkl"),
    Case("empty-file", dip_case(lambda p: p.write_bytes(b"")), DataFormatError, ("is empty",), "01.pkl"),
    Case("text-file", dip_case(lambda p: p.write_text("imu_ori,imu_acc,gt\n")), DataFormatError,
         ("cannot be unpickled",), "01.pkl"),
    Case("truncated", dip_case(lambda p: p.write_bytes(pickle.dumps(dip_data(), protocol=2)[:1000])), DataFormatError,
         ("cannot be unpickled", "truncated"), "01.pkl"),
    Case("not-a-dict", dip_case(pickled([1, 2, 3])), DataFormatError, ("holds a list", "dict"), "01.pkl"),
    Case("missing-key", dip_case(changed(gt=None)), DataFormatError, ("['gt'] missing",), "01.pkl"),
    Case("wrong-shape", dip_case(changed(imu_acc=np.zeros((40, 17, 2)))), DataFormatError,
         ("'imu_acc' has shape (40, 17, 2)", "(40, 17, 3)"), "01.pkl"),
    Case("string-values", dip_case(changed(imu_acc=np.full((40, 17, 3), "a"))), DataFormatError,
         ("'imu_acc'", "dtype <U1", "number"), "01.pkl"),
    Case("nan-beyond-filling", dip_case(changed(imu_acc=np.full((40, 17, 3), np.nan))), DataFormatError,
         ("'imu_acc' still has", "NaN"), "01.pkl"),
    Case("too-short", dip_case(changed(**{k: v[:12] for k, v in dip_data().items()})), DataFormatError,
         ("12 frames",), "01.pkl"),
)
def test_bad_dip(case, tmp_path):
    check(case, tmp_path)


def dip_labels_case(content: bytes | None):
    def build(tmp_path):
        path = tmp_path / "p4_labels.csv"
        if content is not None:
            path.write_bytes(content)

        def call():
            from lib.virtual_har.corpus import read_dip_labels

            return read_dip_labels(path)
        return call
    return build


def test_the_dip_label_file_reads_with_a_bom(tmp_path):
    assert dip_labels_case("\ufefffile,class\ns_01/01.pkl,walking\n".encode())(tmp_path)() == {"s_01/01.pkl": 1}


@cases(
    Case("missing-file", dip_labels_case(None), FileNotFoundError, ("is missing",), "p4_labels.csv"),
    Case("latin1", dip_labels_case("s_01/01.pkl,walking # café\n".encode("latin-1")), DataFormatError,
         ("not UTF-8", LATIN1_HINT), "p4_labels.csv"),
    Case("unknown-class", dip_labels_case(b"s_01/01.pkl,dancing\n"), DataFormatError, ("line 1", "'dancing'"),
         "p4_labels.csv"),
    Case("missing-column", dip_labels_case(b"s_01/01.pkl\n"), DataFormatError, ("line 1", "file,class"),
         "p4_labels.csv"),
    Case("no-rows", dip_labels_case(b"file,class\n"), DataFormatError, ("no recordings",), "p4_labels.csv"),
)
def test_bad_dip_labels(case, tmp_path):
    check(case, tmp_path)


# --------------------------------------------------------------------------------------------- EgoExo
def egoexo_folder(root: Path, n: int = 6, length: int = 250) -> Path:
    from lib.datasets.egoexo import save_egoexo

    rng = np.random.default_rng(0)
    meta = {"take_uid": [f"take{i // 3}" for i in range(n)], "start_s": np.arange(n) * 5.0,
            "end_s": np.arange(n) * 5.0 + 5.0, "narration": ["cuts the bread – café"] * n,
            "split": ["train"] * (n - 1) + ["test"]}
    return save_egoexo(root, rng.normal(size=(n, 6, length)).astype(np.float32),
                       rng.normal(size=(n, 512)).astype(np.float32), rng.normal(size=(n, 512)).astype(np.float32), meta)


def load_egoexo_folder(root: Path):
    from lib.datasets.egoexo import load_egoexo

    return load_egoexo(root)


def egoexo_case(edit, file: str = "meta.csv", call: str = "load"):
    """A build function: a valid folder, then ``edit(path of file)`` (None: delete the file)."""

    def build(tmp_path):
        root = egoexo_folder(tmp_path / "egoexo")
        if edit is None:
            (root / file).unlink()
        else:
            edit(root / file)

        def corpus():
            from lib.primus.experiments import load_corpus

            return load_corpus(types.SimpleNamespace(data_root=root))
        return (lambda: load_egoexo_folder(root)) if call == "load" else corpus
    return build


def _empty_folder(root: Path) -> None:
    """The folder a preprocessing run writes when every take was shorter than one 5-s window."""
    np.save(root / "imu.npy", np.zeros((0, 6, 250), np.float32))
    np.save(root / "video.npy", np.zeros((0, 512), np.float32))
    np.save(root / "text.npy", np.zeros((0, 512), np.float32))
    (root / "meta.csv").write_text("take_uid,start_s,end_s\n")


def _text_edit(function):
    return lambda p: p.write_text(function(p.read_text(encoding="utf-8")), encoding="utf-8")


def test_the_valid_egoexo_folder_of_the_corpus_loads(tmp_path):
    assert len(egoexo_case(lambda p: None)(tmp_path)()["imu"]) == 6
    bom = egoexo_case(lambda p: p.write_bytes(p.read_bytes().replace(b"take_uid", b"\xef\xbb\xbftake_uid", 1)))
    assert bom(tmp_path / "bom")()["take_uid"][0] == "take0"  # a UTF-8 BOM is not part of the header


@cases(
    Case("missing-folder", lambda tmp: lambda: load_egoexo_folder(tmp / "nope"), FileNotFoundError,
         ("not an existing folder",), "nope"),
    Case("missing-text-npy", egoexo_case(None, "text.npy"), FileNotFoundError, ("does not exist",), "text.npy"),
    Case("missing-meta", egoexo_case(None, "meta.csv"), FileNotFoundError, ("does not exist",), "meta.csv"),
    Case("empty-meta", egoexo_case(lambda p: p.write_bytes(b"")), DataFormatError, ("is empty",), "meta.csv"),
    # case 4
    Case("latin1-meta", egoexo_case(lambda p: p.write_bytes(p.read_text(encoding="utf-8").encode("latin-1", "replace"))),
         DataFormatError, ("not UTF-8", "line 2", LATIN1_HINT), "meta.csv"),
    Case("missing-column", egoexo_case(lambda p: p.write_text("take_uid,start_s\nx,0\n")), DataFormatError,
         ("['end_s'] missing",), "meta.csv"),
    Case("short-row", egoexo_case(_text_edit(lambda t: t.replace(",5.0,10.0,", ",5.0,", 1))), DataFormatError,
         ("row 2", "fields"), "meta.csv"),
    Case("non-numeric-start", egoexo_case(_text_edit(lambda t: t.replace("take0,5.0,", "take0,five,"))), DataFormatError,
         ("row 2", "'start_s'", "'five'"), "meta.csv"),
    Case("nan-start", egoexo_case(_text_edit(lambda t: t.replace("take0,5.0,", "take0,nan,"))), DataFormatError,
         ("row 2", "'start_s'", "NaN"), "meta.csv"),
    Case("rows-mismatch", egoexo_case(_text_edit(lambda t: t.rsplit("\n", 2)[0] + "\n")), DataFormatError,
         ("5 rows", "6 windows"), "meta.csv"),
    Case("bad-split", egoexo_case(_text_edit(lambda t: t.replace(",train", ",training"))), DataFormatError,
         ("'split'", "'training'"), "meta.csv"),
    Case("truncated-imu", egoexo_case(lambda p: p.write_bytes(p.read_bytes()[:2000]), "imu.npy"), DataFormatError,
         ("truncated or corrupt",), "imu.npy"),
    Case("text-as-npy", egoexo_case(lambda p: p.write_text("0.1 0.2 0.3\n"), "video.npy"), DataFormatError,
         ("not a .npy array", "text"), "video.npy"),
    Case("imu-shape", egoexo_case(lambda p: np.save(p, np.zeros((6, 3, 250), np.float32)), "imu.npy"), DataFormatError,
         ("shape (6, 3, 250)", "(N, 6, 250)"), "imu.npy"),
    Case("int-embeddings", egoexo_case(lambda p: np.save(p, np.zeros((6, 512), np.int64)), "text.npy"), DataFormatError,
         ("dtype int64",), "text.npy"),
    Case("nan-video", egoexo_case(lambda p: np.save(p, np.full((6, 512), np.nan, np.float32)), "video.npy"),
         DataFormatError, ("NaN",), "video.npy"),
    # case 6: no windows
    Case("zero-windows", egoexo_case(lambda p: _empty_folder(p.parent), "imu.npy"), DataFormatError,
         ("0 windows", "5 s"), "imu.npy"),
    Case("no-train-rows", egoexo_case(_text_edit(lambda t: t.replace(",train", ",val")), call="corpus"), DataFormatError,
         ("no row", "'train'"), "meta.csv"),
)
def test_bad_egoexo(case, tmp_path):
    check(case, tmp_path)


# ----------------------------------------------------------------------------------------------- HAPT
def hapt_folder(root: Path, n: int = 600) -> Path:
    raw = root / "RawData"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for exp, user in ((1, 2), (2, 5)):
        for kind in ("acc", "gyro"):
            rows = rng.normal(scale=0.1, size=(n, 3))
            (raw / f"{kind}_exp{exp:02d}_user{user:02d}.txt").write_text(
                "\n".join(" ".join(f"{v:.6f}" for v in r) for r in rows) + "\n")
    (raw / "labels.txt").write_text("1 2 1 1 300\n1 2 4 301 600\n2 5 5 1 600\n")
    (root / "activity_labels.txt").write_text("1 WALKING\n4 SITTING\n5 STANDING\n")
    return root


def hapt_case(edit, file: str, call: str = "load"):
    def build(tmp_path):
        root = hapt_folder(tmp_path / "hapt")
        path = root / file
        if edit is None:
            path.unlink()
        else:
            edit(path)

        def run():
            from lib.datasets import hapt
            from lib.primus.realdata import hapt_task

            if call == "names":
                return hapt.read_activity_labels(root)
            if call == "task":
                return hapt_task(root)
            return hapt.load_hapt(root)
        return run
    return build


def _lines(function):
    return _text_edit(lambda t: "\n".join(function(t.splitlines())) + "\n")


def test_the_valid_hapt_folder_of_the_corpus_loads(tmp_path):
    assert len(hapt_case(lambda p: None, "activity_labels.txt")(tmp_path)()) == 2
    bom = hapt_case(lambda p: p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes()), "activity_labels.txt", "names")
    assert bom(tmp_path / "a")()[1] == "WALKING"
    bom = hapt_case(lambda p: p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes()), "RawData/labels.txt")
    assert len(bom(tmp_path / "b")()) == 2


@cases(
    Case("missing-labels", hapt_case(None, "RawData/labels.txt"), FileNotFoundError, ("does not exist",), "labels.txt"),
    Case("missing-gyro", hapt_case(None, "RawData/gyro_exp02_user05.txt"), FileNotFoundError, ("does not exist",),
         "gyro_exp02_user05.txt"),
    Case("empty-signal", hapt_case(lambda p: p.write_bytes(b""), "RawData/acc_exp01_user02.txt"), DataFormatError,
         ("is empty",), "acc_exp01_user02.txt"),
    # case 4
    Case("latin1-activity-names", hapt_case(lambda p: p.write_bytes("1 MARCHÉ\n4 ASSIS\n".encode("latin-1")),
                                            "activity_labels.txt", "names"),
         DataFormatError, ("not UTF-8", "line 1", LATIN1_HINT), "activity_labels.txt"),
    Case("latin1-signal", hapt_case(lambda p: p.write_bytes(p.read_bytes() + "1.0 2.0 3.0 \xb0\n".encode("latin-1")),
                                    "RawData/acc_exp01_user02.txt"),
         DataFormatError, ("not UTF-8", "line 601", LATIN1_HINT), "acc_exp01_user02.txt"),
    Case("bad-activity-line", hapt_case(lambda p: p.write_text("WALKING 1\n"), "activity_labels.txt", "names"),
         DataFormatError, ("line 1", "'id NAME'"), "activity_labels.txt"),
    Case("truncated-row", hapt_case(_lines(lambda rows: rows[:-1] + [rows[-1].rsplit(" ", 1)[0]]),
                                    "RawData/gyro_exp01_user02.txt"),
         DataFormatError, ("3 numbers per row",), "gyro_exp01_user02.txt"),
    Case("nan-signal", hapt_case(_lines(lambda rows: rows[:41] + ["nan 0.0 0.0"] + rows[42:]), "RawData/acc_exp02_user05.txt"),
         DataFormatError, ("NaN", "row 42"), "acc_exp02_user05.txt"),
    Case("signal-lengths-differ", hapt_case(_lines(lambda rows: rows[:500]), "RawData/gyro_exp01_user02.txt"),
         DataFormatError, ("500 rows", "600"), "gyro_exp01_user02.txt"),
    Case("label-columns", hapt_case(lambda p: p.write_text("1 2 1 1\n"), "RawData/labels.txt"), DataFormatError,
         ("4 columns; expected 5",), "labels.txt"),
    Case("label-type", hapt_case(lambda p: p.write_text("1 2 walk 1 300\n"), "RawData/labels.txt"), DataFormatError,
         ("5 numbers per row",), "labels.txt"),
    Case("label-past-the-end", hapt_case(lambda p: p.write_text("1 2 1 1 700\n"), "RawData/labels.txt"),
         DataFormatError, ("ends at sample 700",), "labels.txt"),
    Case("no-windows", hapt_case(lambda p: p.write_text("1 2 7 1 600\n2 5 8 1 600\n"), "RawData/labels.txt", "task"),
         DataFormatError, ("no 250-sample window",), "hapt"),
    Case("no-test-subject", hapt_case(lambda p: p.write_text("1 2 7 1 600\n2 5 5 1 600\n"), "RawData/labels.txt", "task"),
         DataFormatError, ("users [5]", "none of them a UCI HAR test subject"), "hapt"),
)
def test_bad_hapt(case, tmp_path):
    check(case, tmp_path)


# ------------------------------------------------------------------------------------------ P1 pairs
def p1_folder(root: Path) -> Path:
    import soundfile as sf

    rng = np.random.default_rng(0)
    for name, rate in (("audio/a0.wav", 16_000), ("geo/g0.wav", 4_000), ("audio/a1.wav", 16_000), ("geo/g1.wav", 4_000)):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        sf.write(root / name, (0.1 * rng.standard_normal(10 * rate)).astype(np.float32), rate)
    (root / "pairs.csv").write_text("audio,geophone,label\naudio/a0.wav,geo/g0.wav,1\naudio/a1.wav,geo/g1.wav,0\n")
    return root


def p1_case(edit, file: str = "pairs.csv", call: str = "table"):
    def build(tmp_path):
        root = p1_folder(tmp_path / "p1")
        path = root / file
        if edit is None:
            path.unlink()
        else:
            edit(path)

        def run():
            from lib.footsteps.data import load_pairs_folder, read_pairs_table

            if call == "features":
                return load_pairs_folder(root, cache_dir=tmp_path / "cache")
            return read_pairs_table(root)
        return run
    return build


def test_the_valid_p1_folder_of_the_corpus_loads(tmp_path):
    assert len(p1_case(lambda p: None)(tmp_path)()) == 2
    bom = p1_case(lambda p: p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes()))
    assert [r[2] for r in bom(tmp_path / "bom")()] == [1, 0]  # "\ufeffaudio" is not a missing column


@cases(
    Case("missing-table", p1_case(None), FileNotFoundError, ("is missing",), "pairs.csv"),
    Case("empty-table", p1_case(lambda p: p.write_bytes(b"")), DataFormatError, ("is empty",), "pairs.csv"),
    # case 4
    Case("latin1-table", p1_case(lambda p: p.write_bytes("audio,geophone,label\naudio/pas_café.wav,geo/g0.wav,1\n"
                                                         .encode("latin-1"))),
         DataFormatError, ("not UTF-8", "line 2", LATIN1_HINT), "pairs.csv"),
    Case("missing-column", p1_case(lambda p: p.write_text("audio,label\naudio/a0.wav,1\n")), DataFormatError,
         ("header", "audio,geophone,label"), "pairs.csv"),
    Case("short-row", p1_case(lambda p: p.write_text("audio,geophone,label\naudio/a0.wav,geo/g0.wav\n")),
         DataFormatError, ("line 2", "3 non-empty fields"), "pairs.csv"),
    Case("label-type", p1_case(lambda p: p.write_text("audio,geophone,label\naudio/a0.wav,geo/g0.wav,yes\n")),
         DataFormatError, ("line 2", "label 'yes'"), "pairs.csv"),
    Case("not-audio", p1_case(lambda p: p.write_text("audio,geophone,label\naudio/a0.mp3,geo/g0.wav,1\n")),
         DataFormatError, ("line 2", "WAV/FLAC/OGG"), "pairs.csv"),
    Case("no-rows", p1_case(lambda p: p.write_text("audio,geophone,label\n")), DataFormatError, ("no pairs",),
         "pairs.csv"),
    Case("one-class", p1_case(lambda p: p.write_text("audio,geophone,label\naudio/a0.wav,geo/g0.wav,1\n"),
                              call="features"), DataFormatError, ("both positive",), "pairs.csv"),
    Case("missing-audio", p1_case(None, "geo/g1.wav"), FileNotFoundError, ("does not exist", "line 3"), "g1.wav"),
    Case("unreadable-audio", p1_case(lambda p: p.write_bytes(b"not audio"), "audio/a0.wav", "features"),
         DataFormatError, ("cannot be read as audio",), "a0.wav"),
    Case("empty-audio", p1_case(lambda p: p.write_bytes(b""), "audio/a1.wav", "features"), DataFormatError,
         ("empty",), "a1.wav"),
    Case("nan-audio", p1_case(lambda p: __import__("soundfile").write(p, np.full(40_000, np.nan, np.float32), 4_000,
                                                                        subtype="FLOAT"), "geo/g0.wav", "features"),
         DataFormatError, ("NaN",), "g0.wav"),
    Case("wrong-duration", p1_case(lambda p: __import__("soundfile").write(p, np.zeros(12_000, np.float32), 4_000),
                                   "geo/g1.wav", "features"), DataFormatError, ("lasts 3.000 s",), "g1.wav"),
)
def test_bad_p1_folder(case, tmp_path):
    check(case, tmp_path)
