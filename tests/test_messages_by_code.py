"""The front end says the server's words in the page's language: every document type, topic and language the
server can give a document has a label in Spanish and in English (frontend/js/i18n-values.js, VALUES), every
error code the API answers with has a message in both (ERRORS, in step with api/errors.py ERROR_CODES, which
names every code the API's code raises), and so has every search warning (NOTICES, in step with
docsearch/search/notices.py WARNING_CODES)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.errors import ERROR_CODES
from docsearch.search.parser import parse
from docsearch.search.notices import WARNING_CODES, Notice, notices
from nlp.lang import SUPPORTED
from nlp.metadata import doc_type_labels, topic_labels

ROOT = Path(__file__).resolve().parent.parent
VALUES_JS = (ROOT / "frontend" / "js" / "i18n-values.js").read_text(encoding="utf-8")
LANGS = ("es", "en")


def _table(name: str) -> dict[str, str]:
    """The text of each language's part of ``export const <name> = { es: {...}, en: {...} };``."""
    start = VALUES_JS.index(f"export const {name} = {{")
    body = VALUES_JS[start:VALUES_JS.index("\n};", start)]
    es, en = body.index("\n  es: {"), body.index("\n  en: {")
    return {"es": body[es:en], "en": body[en:]}


def _keys(text: str, indent: int) -> set[str]:
    """The keys written at this indentation (quoted or not), each followed by a value."""
    return set(m.group(1) or m.group(2) for m in
               re.finditer(rf'^ {{{indent}}}(?:"([^"]+)"|([A-Za-z_]\w*)):', text, re.MULTILINE))


def _field(text: str, field: str) -> dict[str, str]:
    """One field's map of values to labels in a language's part of VALUES (block or one-line form)."""
    m = re.search(rf"^    {field}: \{{(.*?)\}},?$", text, re.MULTILINE | re.DOTALL)
    assert m, f"VALUES has no {field}"
    pairs = re.findall(r'(?:"([^"]+)"|([A-Za-z_]\w*)):\s*"((?:[^"\\]|\\.)*)"', m.group(1))
    return {a or b: label for a, b, label in pairs}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("field, values", [("doc_type", doc_type_labels()), ("topics", topic_labels()),
                                           ("language", list(SUPPORTED))])
def test_every_value_the_server_gives_has_a_label_in_both_languages(lang, field, values):
    labels = _field(_table("VALUES")[lang], field)
    missing = [v for v in values if not labels.get(v, "").strip()]
    assert not missing, f"{field} values without a label in {lang} (frontend/js/i18n-values.js VALUES): {missing}"
    assert not set(labels) - set(values), f"{field} labels of values the server no longer gives: {set(labels) - set(values)}"


def test_english_labels_are_english_not_the_spanish_values():
    english = _field(_table("VALUES")["en"], "doc_type") | _field(_table("VALUES")["en"], "topics")
    same = [value for value, label in english.items() if label == value]
    assert not same, f"left in Spanish in English mode: {same}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_front_end_says_every_api_error_code(lang):
    assert _keys(_table("ERRORS")[lang], 4) == set(ERROR_CODES)


@pytest.mark.parametrize("lang", LANGS)
def test_the_front_end_says_every_search_warning(lang):
    assert _keys(_table("NOTICES")[lang], 4) == set(WARNING_CODES)


# Where the API's code names an error code: ApiError(400, "code", ...), AccountError("code", ...), error_body("code",
# ...), _json(400, "code", ...), code="code", and the codes of plain HTTP errors.
_RAISED = [re.compile(r'\b[A-Z]\w*Error\(\s*(?:[\w.\[\]]+\s*,\s*)?"([a-z][a-z_]*)"'),
           re.compile(r'error_body\(\s*"([a-z][a-z_]*)"'),
           re.compile(r'_json\(\s*\d+\s*,\s*"([a-z][a-z_]*)"'),
           re.compile(r'\bcode\s*=\s*"([a-z][a-z_]*)"')]


def test_every_error_code_the_api_raises_is_listed():
    found: dict[str, str] = {}
    for folder in ("api", "docsearch"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            for pattern in _RAISED:
                for m in pattern.finditer(text):
                    found.setdefault(m.group(1), str(path.relative_to(ROOT)))
    from api.errors import _HTTP_CODES
    found.update({code: "api/errors.py" for code in _HTTP_CODES.values()})
    found.setdefault("http_error", "api/errors.py")
    assert len(found) > 20, found   # the scan found the codes
    unlisted = {code: where for code, where in found.items() if code not in ERROR_CODES}
    assert not unlisted, f"error codes missing from api/errors.py ERROR_CODES: {unlisted}"


@pytest.mark.parametrize("q, code, params", [
    ('"lavado de activos', "unclosed_quote", {"position": 1}),
    ("lavado OR", "or_nothing_after", {"position": 8}),
    ("AND lavado", "and_nothing_before", {"position": 1}),
    ("(lavado", "bracket_unclosed", {"position": 1}),
    ("lavado )", "unmatched_bracket", {"position": 8}),
    ('lavado "--"', "phrase_empty", {"position": 8}),
    ("xyz:lavado", "unknown_field", {"field": "xyz"}),
])
def test_a_search_warning_has_its_code_and_values(q, code, params):
    found = notices(parse(q).warnings)
    assert found and found[0]["code"] == code, found
    assert params.items() <= found[0]["params"].items(), found
    assert found[0]["message"] == parse(q).warnings[0]   # the English message, as `warnings` says it


def test_a_warning_is_its_message_and_an_unknown_code_is_refused():
    notice = Notice("typos_allowed", "No document has these exact words.")
    assert notice == "No document has these exact words." and notice.code == "typos_allowed"
    assert notices(["a warning of old"]) == [{"code": "other", "message": "a warning of old", "params": {}}]
    with pytest.raises(ValueError):
        Notice("no_such_code", "text")
