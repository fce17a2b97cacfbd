"""Frozen stand-ins for PRIMUS's pretrained video and text encoders (CLIP4Clip in the paper, §II-B).

Both are fixed random networks whose weights are drawn once from the **world seed**; nothing trains
them, exactly as the paper keeps CLIP4Clip frozen (PRIMUS reference code, Nokia-Bell-Labs/pretrained-imu-encoders,
lib/clip4clip_model.py). What makes them useful as supervision is what they *see*, which the head IMU does not:

**Video** (:class:`FrozenVideoEncoder`). Like CLIP4Clip (per-frame image embedding, averaged over the
clip's frames, L2-normalised), per frame t it embeds
u_t = [whole-body pose (24 joints relative to the pelvis, heading removed, / stature),
joint velocities (m/s / stature), pelvis height and speed, scene context] through
h_t = tanh(W₁ u_t + b₁) (512), e_t = W₂ h_t, then v = normalise(mean_t e_t). W₁, W₂ ~ N(0, 1/fan_in).
The pose block and the scene block get weights ``motion_gain`` and ``scene_gain``: with the default
(1, 1) both matter, so two segments are close in video space when the body does similar things in a
similar place — hands at a cutting board in a kitchen — much as CLIP features respond to both the
action and the setting.

**Text** (:class:`FrozenTextEncoder`). A narration ("C stirs the pot with a spoon") is lower-cased,
split into words and word bigrams, each hashed (CRC-32 salted by the world seed) into one of 2¹⁴
buckets; the sub-linear counts (1 + log n) are projected by a fixed Gaussian matrix to 512-d and
L2-normalised — a bag-of-words embedding in which narrations that share words are similar, and
different activities that share verbs ("picks up", "walks") overlap.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

EMBED_DIM = 512


def _normalise(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


class FrozenVideoEncoder:
    """Fixed random per-frame MLP + mean over frames + L2 norm; ``__call__(frames, scene) -> (N, 512)``.

    frames: (N, F, D_motion) per-frame motion features (see :func:`motion_features`);
    scene:  (N, D_scene) scene-context vectors.
    """

    def __init__(self, motion_dim: int, scene_dim: int, seed: int, hidden: int = 512, motion_gain: float = 1.0,
                 scene_gain: float = 1.0) -> None:
        rng = np.random.default_rng([seed, 1001])
        self.motion_dim, self.scene_dim = motion_dim, scene_dim
        self.w_motion = rng.normal(0, 1 / np.sqrt(motion_dim), (motion_dim, hidden)) * motion_gain
        self.w_scene = rng.normal(0, 1 / np.sqrt(scene_dim), (scene_dim, hidden)) * scene_gain
        self.b1 = rng.normal(0, 0.5, hidden)
        self.w2 = rng.normal(0, 1 / np.sqrt(hidden), (hidden, EMBED_DIM))

    def __call__(self, frames: np.ndarray, scene: np.ndarray, chunk: int = 4096) -> np.ndarray:
        frames = np.asarray(frames, dtype=np.float32)
        scene = np.asarray(scene, dtype=np.float32)
        if frames.ndim != 3 or frames.shape[2] != self.motion_dim:
            raise ValueError(f"video frames must be (N, F, {self.motion_dim}); got {frames.shape}")
        if scene.shape != (frames.shape[0], self.scene_dim):
            raise ValueError(f"scene must be ({frames.shape[0]}, {self.scene_dim}); got {scene.shape}")
        w_m, w_s = self.w_motion.astype(np.float32), self.w_scene.astype(np.float32)
        b1, w2 = self.b1.astype(np.float32), self.w2.astype(np.float32)
        out = np.empty((len(frames), EMBED_DIM), dtype=np.float32)
        for i in range(0, len(frames), chunk):
            f, s = frames[i:i + chunk], scene[i:i + chunk]
            h = np.tanh(f @ w_m + (s @ w_s + b1)[:, None, :])  # (n, F, hidden)
            out[i:i + chunk] = h.mean(axis=1) @ w2  # mean of linear per-frame embeddings
        return _normalise(out)


_TOKEN = re.compile(r"[a-z]+")


def tokens(text: str) -> list[str]:
    """Lower-case words and word bigrams of a narration."""
    words = _TOKEN.findall(text.lower())
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:])]


class FrozenTextEncoder:
    """Hashed bag of words + bigrams → fixed Gaussian projection → L2 norm; ``__call__(texts) -> (N, 512)``."""

    def __init__(self, seed: int, buckets: int = 2 ** 14) -> None:
        self.seed, self.buckets = int(seed), int(buckets)
        self.projection = np.random.default_rng([seed, 1002]).normal(0, 1, (self.buckets, EMBED_DIM)).astype(np.float32)
        self._cache: dict[str, np.ndarray] = {}

    def bucket(self, token: str) -> int:
        """The hash bucket (0 ≤ b < ``buckets``) of one token, fixed by the seed."""
        return zlib.crc32(f"{self.seed}:{token}".encode()) % self.buckets

    def embed_one(self, text: str) -> np.ndarray:
        """The (512,) embedding of one narration (memoised)."""
        if text not in self._cache:
            toks = tokens(text)
            if not toks:
                raise ValueError(f"narration {text!r} has no words to embed")
            ids, counts = np.unique([self.bucket(t) for t in toks], return_counts=True)
            weights = (1.0 + np.log(counts)).astype(np.float32)
            self._cache[text] = _normalise(weights @ self.projection[ids])
        return self._cache[text]

    def __call__(self, texts) -> np.ndarray:
        return np.stack([self.embed_one(t) for t in texts]).astype(np.float32)
