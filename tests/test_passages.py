"""Pages cut into passages (``nlp.passages``): offsets, sentence ends, sizes."""

from __future__ import annotations

import pytest

from nlp.passages import Passage, sentence_spans, split_pages
from samples.texts import DOCUMENTS

SAMPLE_PAGES = ["\n".join(blocks) for document in DOCUMENTS for blocks in document["pages"]]


def words(text: str) -> int:
    return len(text.split())


def sentence(n: int, word: str = "palabra") -> str:
    """A sentence of ``n`` words."""
    return "El " + " ".join([word] * (n - 2)) + " final."


def check_invariants(pages: list[str], passages: list[Passage], max_words: int = 200) -> None:
    for p in passages:
        assert p.text == pages[p.page - 1][p.start : p.end]
        assert p.text and not p.text[0].isspace() and not p.text[-1].isspace()
        assert words(p.text) <= max_words
    for page_number, page in enumerate(pages, start=1):
        own = [p for p in passages if p.page == page_number]
        assert [p.start for p in own] == sorted(p.start for p in own)
        for before, after in zip(own, own[1:]):
            assert before.end <= after.start and not page[before.end : after.start].strip()
        # Every word of the page is in exactly one passage.
        assert sum(words(p.text) for p in own) == words(page)


SENTENCE_CASES = [
    pytest.param("Primera frase. Segunda frase.", ["Primera frase.", "Segunda frase."], id="two"),
    pytest.param("¿Quién pagó? Nadie lo sabe! «Así» fue… Luego nada.",
                 ["¿Quién pagó?", "Nadie lo sabe!", "«Así» fue…", "Luego nada."], id="other-ends"),
    pytest.param("Dijo «basta.» Luego se fue.", ["Dijo «basta.»", "Luego se fue."], id="closing-quote"),
    pytest.param("Conforme al Art. 296 del Código Penal. Fin.", ["Conforme al Art. 296 del Código Penal.", "Fin."],
                 id="art"),
    pytest.param("Según el Exp. N° 00123-2017-5 hay pruebas.", ["Según el Exp. N° 00123-2017-5 hay pruebas."],
                 id="exp-and-n-degree"),
    pytest.param("Expediente N.° 00123. Otro.", ["Expediente N.° 00123.", "Otro."], id="n-dot-degree"),
    pytest.param("Declaró el Dr. Pérez y la Dra. Ríos. Fin.", ["Declaró el Dr. Pérez y la Dra. Ríos.", "Fin."],
                 id="dr-dra"),
    pytest.param("La empresa Minera S.A.C. Pagó la multa.", ["La empresa Minera S.A.C. Pagó la multa."],
                 id="sac"),
    pytest.param("Inversiones S.R.L. y Transportes E.I.R.L. pagaron.",
                 ["Inversiones S.R.L. y Transportes E.I.R.L. pagaron."], id="srl-eirl"),
    pytest.param("Se hallaron 1.5 kg y 2.350,50 soles. Fin.", ["Se hallaron 1.5 kg y 2.350,50 soles.", "Fin."],
                 id="numbers"),
    pytest.param("Firmó J. Quispe Mamani. Fin.", ["Firmó J. Quispe Mamani.", "Fin."], id="initial"),
    pytest.param("Ver el D.Leg. 1106 y la pág. 4 del Cód. Penal. Fin.",
                 ["Ver el D.Leg. 1106 y la pág. 4 del Cód. Penal.", "Fin."], id="dleg-pag-cod"),
    pytest.param("See No. 5 of the record. He said no. Then left.",
                 ["See No. 5 of the record.", "He said no.", "Then left."], id="no-before-number-only"),
    pytest.param("Dijo que no. El fiscal insistió.", ["Dijo que no.", "El fiscal insistió."], id="spanish-no"),
    pytest.param("1. Los hechos. 2. El derecho.", ["1. Los hechos.", "2. El derecho."], id="numbered-items"),
    pytest.param("frase sin punto\n\nOtro párrafo", ["frase sin punto", "Otro párrafo"], id="paragraph"),
    pytest.param("una línea\nque sigue. Y otra.", ["una línea\nque sigue.", "Y otra."], id="line-wrap"),
    pytest.param("termina en minúscula. y sigue.", ["termina en minúscula. y sigue."], id="lowercase-next"),
    pytest.param("   \n\n  ", [], id="blank"),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCE_CASES)
def test_sentences(text: str, expected: list[str]) -> None:
    assert [text[start:end] for start, end in sentence_spans(text)] == expected


def test_offsets_index_each_page_text() -> None:
    pages = ["  Primera página. " + sentence(150) + "\n\n" + sentence(90) + "  ", "", "Solo esto.", sentence(30)]
    passages = split_pages(pages)
    check_invariants(pages, passages)
    assert {p.page for p in passages} == {1, 3, 4}
    assert passages[0].start == 2


def test_sample_corpus() -> None:
    passages = split_pages(SAMPLE_PAGES)
    check_invariants(SAMPLE_PAGES, passages)
    sizes = [words(p.text) for p in passages]
    assert all(n <= 200 for n in sizes)
    # Most passages are in the 100-200 range; the short ones are ends of pages.
    assert sum(100 <= n for n in sizes) >= 0.6 * len(sizes)


def test_cut_at_sentence_ends() -> None:
    page = " ".join(sentence(40, f"w{i}") for i in range(10))  # 400 words, sentences of 40
    passages = split_pages([page])
    check_invariants([page], passages)
    assert [words(p.text) for p in passages] == [120, 120, 160]  # a short tail of 40 joins the one before
    for p in passages:
        assert p.text.startswith("El ") and p.text.endswith("final.")


def test_never_more_than_max_words() -> None:
    page = sentence(90) + " " + sentence(150)  # 90 + 150 > 200: the second starts a passage of its own
    passages = split_pages([page])
    assert [words(p.text) for p in passages] == [90, 150]


def test_short_page_is_one_passage() -> None:
    page = "Resolución breve. Se declara fundado el pedido."
    assert split_pages([page]) == [Passage(1, 0, len(page), page)]


@pytest.mark.parametrize("page", ["", " ", "\n\n\t  \n"])
def test_blank_page_gives_none(page: str) -> None:
    assert split_pages([page, "Texto."]) == [Passage(2, 0, 6, "Texto.")]


def test_one_huge_sentence_cut_between_words() -> None:
    page = "Intro breve. " + " ".join(f"w{i}" for i in range(1000)) + " fin"
    passages = split_pages([page])
    check_invariants([page], passages)
    sizes = [words(p.text) for p in passages]
    assert max(sizes) <= 200 and len(passages) == 6
    # Even pieces, not five full ones and a stub.
    assert min(sizes[1:]) >= 150


def test_abbreviations_do_not_split_passages() -> None:
    abbreviated = "Según el Art. 296 del C.P. y el Exp. N° 123, el Dr. Ruiz de Agro S.A.C. pagó 1.5 millones."
    body = " ".join(["Luego declaró el testigo sin más detalle."] * 20)
    page = body + " " + abbreviated + " " + body
    for p in split_pages([page], min_words=20, max_words=40):
        assert "Art." not in p.text or abbreviated in p.text


def test_custom_sizes_and_bad_sizes() -> None:
    page = " ".join(sentence(10) for _ in range(10))
    assert [words(p.text) for p in split_pages([page], min_words=20, max_words=30)] == [20] * 5
    with pytest.raises(ValueError):
        split_pages([page], min_words=50, max_words=20)
