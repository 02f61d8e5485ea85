"""Clean-up of extracted page text (``nlp.text``), table-driven."""

from __future__ import annotations

import unicodedata

import pytest

from nlp.folding import fold_plain
from nlp.text import clean_page_text, fold, fold_chars, looks_like_garbage, repair_ocr_digits, stop_words

CLEAN_CASES = [
    # hyphenation at a line end
    pytest.param("la eviden-\ncia documental", "la evidencia documental", id="hyphen-join"),
    pytest.param("la eviden- \n   cia", "la evidencia", id="hyphen-join-spaces-around-break"),
    pytest.param("la acusa-\nción fiscal", "la acusación fiscal", id="hyphen-join-accented-continuation"),
    pytest.param("la compa-\nñía", "la compañía", id="hyphen-join-ñ"),
    pytest.param("la eviden-\r\ncia", "la evidencia", id="hyphen-join-crlf"),
    pytest.param("Lima-\nCallao", "Lima-\nCallao", id="keep-capitalised-compound"),
    pytest.param("periodo 2018-\n2019", "periodo 2018-\n2019", id="keep-digits"),
    pytest.param("los siguientes -\nelementos", "los siguientes -\nelementos", id="keep-detached-dash"),
    pytest.param("eviden-\n\ncia", "eviden-\n\ncia", id="no-join-across-blank-line"),
    pytest.param("antilavado", "antilavado", id="plain-word-untouched"),
    # soft hyphens: U+FFFE (pdfium's marker) and U+00AD
    pytest.param("eviden\ufffe\ncia", "evidencia", id="ufffe-join"),
    pytest.param("eviden\u00ad\ncia", "evidencia", id="soft-hyphen-join"),
    pytest.param("eviden\u00ad \n  cia", "evidencia", id="soft-hyphen-join-spaces"),
    pytest.param("evi\u00addencia", "evidencia", id="soft-hyphen-mid-word"),
    pytest.param("Fisca\u00adlía", "Fiscalía", id="soft-hyphen-before-accent"),
    # Unicode normalisation
    pytest.param("Fiscali\u0301a", "Fiscalía", id="nfc-acute"),
    pytest.param("Nu\u0301n\u0303ez", "Núñez", id="nfc-acute-and-tilde"),
    pytest.param("pingu\u0308ino", "pingüino", id="nfc-diaeresis"),
    pytest.param("CASACIO\u0301N", "CASACIÓN", id="nfc-uppercase"),
    pytest.param("acusacio\u0301-\nn", "acusación", id="nfc-then-hyphen-join"),
    # control characters and symbol-font bullets carry no words
    pytest.param("detenidos:\n\x7f Wilmer Quispe", "detenidos:\nWilmer Quispe", id="del-as-bullet-removed"),
    pytest.param("\uf0b7 Rosa C\u00e1rdenas", "Rosa C\u00e1rdenas", id="private-use-bullet-removed"),
    pytest.param("a\x00b\x1bc", "a b c", id="control-chars-become-spaces"),
    pytest.param("tab\tkept", "tab kept", id="tab-is-whitespace-not-noise"),
    # whitespace
    pytest.param("a  \t b\u00a0\u00a0c", "a b c", id="collapse-spaces-tabs-nbsp"),
    pytest.param("  sangría  \n  final  ", "sangría\nfinal", id="strip-lines"),
    pytest.param("uno\r\ndos\rtres", "uno\ndos\ntres", id="normalise-line-ends"),
    pytest.param("uno\n\n\n\n\ndos", "uno\n\ndos", id="collapse-blank-lines"),
    pytest.param("uno\n  \n \t \n\ndos", "uno\n\ndos", id="whitespace-only-lines-are-blank"),
    pytest.param("\n\n  título \n\n", "título", id="strip-page"),
    pytest.param("", "", id="empty"),
]


@pytest.mark.parametrize("raw, expected", CLEAN_CASES)
def test_clean_page_text(raw: str, expected: str) -> None:
    assert clean_page_text(raw) == expected


# One rule for a hyphen at a line end, in the page clean-up and in the gazetteer's matching copy. They
# once differed on capitals: the clean-up kept "DI-\nRANDRO", the gazetteer joined it. In the labelled
# sets every break between capitals is a word cut in two ("LA-\nVADO", "DIRAND-\nRO"), so both join.
HYPHEN_CASES = [
    pytest.param("la eviden-\ncia", "la evidencia", id="lowercase-word"),
    pytest.param("Procuraduría Especia-\nlizada", "Procuraduría Especializada", id="title-case-word"),
    pytest.param("DELITOS DE LA-\nVADO DE ACTIVOS", "DELITOS DE LAVADO DE ACTIVOS", id="capitals-word"),
    pytest.param("Informe 009-2021-DI-\nRANDRO-PNP", "Informe 009-2021-DIRANDRO-PNP", id="capitals-ocr-acronym"),
    pytest.param("ACUSACIÓN-\nÚNICA", "ACUSACIÓNÚNICA", id="capitals-accented"),
    pytest.param("Corte de Lima-\nCallao", "Corte de Lima-\nCallao", id="compound-capital-after-lowercase"),
    pytest.param("LIMA-\nlima", "LIMA-\nlima", id="case-changes-at-the-break"),
    pytest.param("periodo 2018-\n2019", "periodo 2018-\n2019", id="digits"),
]


@pytest.mark.parametrize("raw, joined", HYPHEN_CASES)
def test_one_hyphen_rule_for_pages_and_gazetteer(raw: str, joined: str) -> None:
    assert clean_page_text(raw) == joined
    assert fold_plain(raw) == fold_chars(joined)


@pytest.mark.parametrize("text, folded", [
    ("Año", "ano"), ("CASACIÓN", "casacion"), ("pingüino", "pinguino"), ("Núñez", "nunez"),
    ("Fiscali\u0301a", "fiscalia"), ("Nº", "no"), ("ﬁscal", "fiscal"), ("", ""),
])
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize("text, folded", [
    ("Año", "ano"), ("CASACIÓN", "casacion"), ("N° 5", "n° 5"), ("Nº 5", "n° 5"), ("UIF – Perú", "uif - peru"),
    ("Fiscali\u0301a", "fiscali\u0301a"), ("a\u00a0b", "a b"),
])
def test_fold_chars_keeps_length(text: str, folded: str) -> None:
    assert fold_chars(text) == folded
    assert len(folded) == len(text)


def test_stop_words_are_folded_per_language() -> None:
    assert {"segun", "despues", "el"} <= stop_words("es")
    assert "the" not in stop_words("es")
    assert stop_words("es") | {"the", "which"} <= stop_words("es", "en")
    assert stop_words("es") is stop_words("es")


@pytest.mark.parametrize("text, repaired", [
    ("2O19", "2019"), ("l5 de enero", "15 de enero"), ("OO612-2O19-O-1217", "00612-2019-0-1217"),
    ("S/ 34 8OO.OO", "S/ 34 800.00"), ("N* 2295O183", "N* 22950183"),
    ("O sea", "O sea"), ("Lima 1", "Lima 1"), ("2o19", "2o19"),
    # identifier tokens: a number-year pair (the year must read as 19xx/20xx) and a number after N°
    ("l234-2Ol8", "1234-2018"), ("I234-2O1B", "1234-2018"), ("1234-2o18", "1234-2018"), ("1S34-2018", "1534-2018"),
    ("12|4-2018", "1214-2018"), ("1234—2O18", "1234—2018"), ("Casación N°l234-2Ol8/Lima", "Casación N°1234-2018/Lima"),
    ("OO456-2O19-3-l826-JR-PE-O2", "00456-2019-3-1826-JR-PE-02"), ("231-2O19-DIRANDRO-PNP", "231-2019-DIRANDRO-PNP"),
    ("N° 3OO7I", "N° 30071"), ("Nro. l1O6", "Nro. 1106"), ("n° 3oo77", "n° 30077"), ("DNI N° 438I7265", "DNI N° 43817265"),
    # ... and what stays: words, letter suffixes, table rules, tokens without a real digit, impossible years
    ("296-B", "296-B"), ("5S-2019", "5S-2019"), ("Lote B1-2019", "Lote B1-2019"), ("|2019|", "|2019|"),
    ("|234-2018", "|234-2018"), ("ISO-2019", "ISO-2019"), ("Ol-2019", "Ol-2019"), ("DIRANDRO-2019", "DIRANDRO-2019"),
    ("1234-ISBS", "1234-ISBS"), ("12-3OOO", "12-3000"), ("N° 5S", "N° 5S"), ("No. I", "No. I"), ("Bolsa 1-B", "Bolsa 1-B"),
])
def test_repair_ocr_digits(text: str, repaired: str) -> None:
    assert repair_ocr_digits(text) == repaired
    assert len(repaired) == len(text)


@pytest.mark.parametrize("raw", [case.values[0] for case in CLEAN_CASES])
def test_clean_page_text_is_idempotent_and_nfc(raw: str) -> None:
    once = clean_page_text(raw)
    assert clean_page_text(once) == once
    assert unicodedata.is_normalized("NFC", once)


SPANISH = ("La Fiscalía Provincial Corporativa Especializada contra la Criminalidad Organizada formaliza "
           "investigación preparatoria contra el señor Núñez por lavado de activos.")
TABLE = ("Fecha Monto Cuenta\n12/03/2018 S/ 150 000,00 193-2345678-0-12\n15/03/2018 S/ 98 500,00 "
         "193-2345678-0-12\n20/04/2018 S/ 12 000,00 191-9876543-1-05")

GARBAGE_CASES = [
    pytest.param(SPANISH, False, id="spanish-prose"),
    pytest.param("International cooperation in money laundering cases requires mutual legal assistance.",
                 False, id="english-prose"),
    pytest.param(clean_page_text("Resolu-\nción N° 5\n\n\nEl juez   resuelve declarar fundado el pedido."), False,
                 id="cleaned-spanish-page"),
    # A table of dates, amounts and account numbers has few letters but is readable.
    pytest.param(TABLE, False, id="table-of-amounts"),
    pytest.param("\x01\x02\x03\x04\x05\x06\x07\x08 ab " * 10, True, id="control-char-soup"),
    pytest.param("\x00\x1f\x7f" * 20, True, id="control-chars-only"),
    pytest.param("\ue000\ue001\ue002 x " * 15, True, id="private-use-soup"),
    pytest.param("!#$%&/()=?¿*+[]{}<>" * 5, True, id="symbol-soup"),
    pytest.param("\ufffe\ufffe a " * 15, True, id="noncharacters"),
    # Short texts are never judged, whatever they hold.
    pytest.param("\x01\x02\x03\x04", False, id="short-control-chars"),
    pytest.param("- 3 -", False, id="short-page-number"),
    pytest.param("!#$%&/()=?" * 3, False, id="short-symbols"),
    pytest.param("", False, id="empty"),
]


@pytest.mark.parametrize("text, expected", GARBAGE_CASES)
def test_looks_like_garbage(text: str, expected: bool) -> None:
    assert looks_like_garbage(text) is expected


def test_min_chars_threshold() -> None:
    soup = "\x01\x02\x03" * 5  # 15 characters
    assert looks_like_garbage(soup) is False
    assert looks_like_garbage(soup, min_chars=10) is True
