"""Canonical forms of citations: the ``canonical`` templates and ``normalize`` rules of ``citations.jsonl``.

Invariants: a canonical form is the template of its pattern filled with normalised group values;
a ``[...]`` part of a template is left out when a group in it is empty, and an empty group leaves
nothing behind. The spans of an enumeration cover the whole phrase: the first item starts where the
phrase starts and the last ends where it ends (:func:`tile`).

Only the standard library is imported.
"""

from __future__ import annotations

import re

__all__ = ["NORMALIZERS", "extends", "fill", "tile"]

# Optional parts of a canonical template: "Casación {number}[/{district}]".
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_FIELD = re.compile(r"\{([a-z_]+)\}")


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with each ``{group}`` replaced by its value; a ``[...]`` part with an empty group is dropped."""

    def optional(m: re.Match) -> str:
        names = _FIELD.findall(m.group(1))
        return m.group(1) if all(values.get(n) for n in names) else ""

    return _FIELD.sub(lambda m: values.get(m.group(1)) or "", _OPTIONAL.sub(optional, template))


def _ident(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def _int(value: str) -> str:
    digits = re.sub(r"[\s.,']", "", value)
    return str(int(digits))


def _first_component(value: str, fn) -> str:
    value = _ident(value)
    head, sep, rest = value.partition("-")
    return fn(re.sub(r"[.']", "", head)) + sep + rest  # a stray dot in the number: "1.234-2018"


# The ``normalize`` rules a pattern may name for a group ("district" and "code" are lookups of the
# pattern table, read there).
NORMALIZERS = {
    "ident": _ident,  # "00123-2017-5-1826-jr-pe-03" -> "00123-2017-5-1826-JR-PE-03"
    "int": _int,  # "30.077", "30 077", "01106" -> "30077", "1106"
    "pad3": lambda v: _first_component(v, lambda h: h.zfill(3)),  # "4-2017-JUS" -> "004-2017-JUS"
    "ordinal": lambda v: _first_component(v, lambda h: str(int(h))),  # "03-2010" -> "3-2010"
    "pad5": lambda v: _first_component(v, lambda h: h.zfill(5)),  # "456-2019" -> "00456-2019"
    "title": lambda v: " ".join(v.split()).title(),
    "suffix": lambda v: re.sub(r"\s+", "", v).upper(),
}


# A partial identifier holds at least a number-year pair ("1234-2018", "00456-2019").
_NUMBER_YEAR = re.compile(r"\d-\d{4}(?!\d)")


def extends(full: str, partial: str) -> bool:
    """Whether the canonical form ``full`` is ``partial`` or continues it with more components.

    A partial form is a canonical form cut right before a ``-`` or ``/`` that comes after its
    number-year pair: ``Casación 1234-2018`` of ``Casación 1234-2018/Lima``, ``Expediente
    00456-2019`` of ``Expediente 00456-2019-3-1826-JR-PE-02``, ``Informe Policial 231-2019`` of
    ``Informe Policial 231-2019-DIRANDRO-PNP/DIVINESP``. Forms without a number-year pair match
    only whole (``Ley 300`` is not part of ``Ley 30077``, ``Código Penal art. 296`` not of ``art. 296-A``).
    """
    if full == partial:
        return True
    return full.startswith(partial) and full[len(partial)] in "-/" and may_continue(partial)


def may_continue(partial: str) -> bool:
    """Whether longer canonical forms may continue this one (see :func:`extends`): it has a number-year
    pair. The search then matches the form whole, or followed by ``-`` or ``/``."""
    return _NUMBER_YEAR.search(partial) is not None


def tile(items: list[tuple[str, int, int]], start: int, end: int) -> list[tuple[str, int, int]]:
    """Spans of an enumeration: the first item starts at the phrase, the last ends with it."""
    if not items:
        return []
    items = list(items)
    c, s, e = items[0]
    items[0] = (c, start, e)
    c, s, e = items[-1]
    items[-1] = (c, s, end)
    return items
