"""Offline speaker separation: which turns sound like the same voice.

Each turn's audio becomes a voice fingerprint (mean and spread of its MFCCs, the mel-frequency
cepstral coefficients that describe the shape of the voice), and the fingerprints are grouped
into as many clusters as the interview has participants (agglomerative clustering, scikit-learn).
Nothing is downloaded and nothing is trained: it is a proposal the transcriber confirms.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SAMPLE_RATE = 16_000
#: Turns shorter than this (seconds) are padded with their neighbourhood so MFCCs are stable.
MIN_SECONDS = 0.5


def voice_features(
    samples: np.ndarray, t0: float, t1: float, rate: int = SAMPLE_RATE
) -> np.ndarray:
    """Return the voice fingerprint of ``samples[t0:t1]`` (seconds): means and spreads of 12 MFCCs."""
    from python_speech_features import mfcc

    if t1 - t0 < MIN_SECONDS:
        middle = (t0 + t1) / 2
        t0, t1 = middle - MIN_SECONDS / 2, middle + MIN_SECONDS / 2
    a = max(0, int(t0 * rate))
    b = min(len(samples), max(a + int(MIN_SECONDS * rate), int(t1 * rate)))
    clip = samples[a:b]
    if len(clip) < int(0.1 * rate):
        return np.zeros(24)
    coefficients = mfcc(clip, samplerate=rate, numcep=13, nfft=1024)
    # Loudness (coefficient 0) depends on the microphone distance, not on the voice.
    coefficients = coefficients[:, 1:]
    return np.concatenate([coefficients.mean(axis=0), coefficients.std(axis=0)])


def cluster_turns(
    samples: np.ndarray,
    spans: Sequence[tuple[float, float]],
    speakers: int,
    rate: int = SAMPLE_RATE,
) -> list[int]:
    """Return a speaker number per span (0, 1, ... in order of first appearance).

    ``spans`` are ``(t0, t1)`` in seconds; ``speakers`` the number of voices to find (taken from
    the interview's participants). With one speaker, or fewer spans than speakers, the answer
    needs no clustering.
    """
    if not spans:
        return []
    if speakers <= 1:
        return [0] * len(spans)
    if len(spans) <= speakers:
        return list(range(len(spans)))
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.preprocessing import StandardScaler

    features = np.array([voice_features(samples, t0, t1, rate) for t0, t1 in spans])
    features = StandardScaler().fit_transform(features)
    labels = AgglomerativeClustering(n_clusters=speakers, linkage="ward").fit_predict(features)
    return first_appearance(labels.tolist())


def first_appearance(labels: Sequence[int]) -> list[int]:
    """Renumber cluster labels 0, 1, ... in the order they first appear."""
    order: dict[int, int] = {}
    return [order.setdefault(label, len(order)) for label in labels]


def propose_codes(numbers: Sequence[int], codes: Sequence[str] | None) -> list[str]:
    """Map speaker numbers to codes: ``codes[n]`` when given, else ``T1``, ``T2``, ..."""
    codes = list(codes or [])
    return [codes[n] if n < len(codes) else f"T{n + 1}" for n in numbers]
