"""Evaluate an entity extractor against the labelled sets: the dev set (``nlp/devset/``) and the
held-out sets (``nlp/heldout/``; ``nlp/heldout2/``, which also labels criminal organisations, operations and
document references, and only the types its README names), and the second tuning set (``nlp/dev2/``, the
types of ``nlp/heldout2/``).

Both sets have the same format and conventions (``nlp/devset/README.md``). The dev set is the one
errors are studied on and patterns tuned against; the held-out set is only scored, never studied,
so its figures are the honest estimate for unseen text. Each set records, for each document, the
set of DISTINCT ``(type, canonical)`` pairs that the text contains (``docs/entities.md`` defines the types and canonical forms). An extractor is any
callable ``extract(text, language)`` returning ``(type, canonical)`` pairs; it is scored per
document on those sets, after a light normalisation of both sides: Unicode NFC, case folding and
whitespace collapsing. Accents are NOT folded — they are part of the canonical form.

    python -m nlp.evaluate nlp.extract:document_entities            # every set; worst dev and dev2 documents
    python -m nlp.evaluate nlp.extract:document_entities --set dev --types per,loc --worst 5
    python -m nlp.evaluate nlp.extract:document_entities --set heldout   # scores only, no error list

``misc`` and any other type outside the evaluated ones are ignored on both sides.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

DEVSET_DIR = Path(__file__).resolve().parent / "devset"
HELDOUT_DIR = Path(__file__).resolve().parent / "heldout"
HELDOUT2_DIR = Path(__file__).resolve().parent / "heldout2"
DEV2_DIR = Path(__file__).resolve().parent / "dev2"
#: The labelled sets by name: tune on ``dev`` and ``dev2`` (the second held-out set's types), only score
#: ``heldout`` and ``heldout2``.
SETS = {"dev": DEVSET_DIR, "dev2": DEV2_DIR, "heldout": HELDOUT_DIR, "heldout2": HELDOUT2_DIR}
#: The sets whose errors may be listed: the ones tuned on.
TUNING_SETS = ("dev", "dev2")

#: The types the dev set labels (``misc`` is left out on purpose).
TYPES: tuple[str, ...] = (
    "per", "org", "criminal_org", "loc", "institution", "case", "law", "drug", "money", "dni", "ruc", "date",
)
#: Types only the second held-out set labels (its README): named operations, and the documents of a file
#: cited by number.
NEW_TYPES: tuple[str, ...] = ("operation", "ref")
#: What each set labels, so what is scored on it by default: a type a set does not label would count every
#: prediction of it as wrong.
SET_TYPES: dict[str, tuple[str, ...]] = {
    "dev": TYPES, "heldout": TYPES,
    "heldout2": ("per", "org", "criminal_org", "operation", "ref", "case", "law", "money"),
}
SET_TYPES["dev2"] = SET_TYPES["heldout2"]
LANGUAGES = ("es", "en")
SOURCES = ("typed", "ocr")
KINDS = (
    "sentencia", "auto", "requerimiento", "acusación", "informe policial", "casación",
    "recurso de nulidad", "acuerdo plenario", "material de capacitación", "otro",
)

Pair = tuple[str, str]
Extractor = Callable[[str, str], Iterable[tuple[str, str]]]

_SPACE = re.compile(r"\s+")


def normalise(value: str) -> str:
    """The matching key of a canonical form: NFC, casefolded, whitespace collapsed, trimmed.

    Accents are kept: ``Huánuco`` and ``Huanuco`` are different keys.
    """
    value = unicodedata.normalize("NFC", value)
    value = unicodedata.normalize("NFC", value.casefold())
    return _SPACE.sub(" ", value).strip()


def normalise_type(value: str) -> str:
    return normalise(value)


def pair_key(entity_type: str, canonical: str) -> Pair:
    return normalise_type(entity_type), normalise(canonical)


# --------------------------------------------------------------------------------------- dev set


@dataclass(frozen=True)
class DevDoc:
    id: str
    language: str
    kind: str
    source: str
    text: str
    entities: tuple[Pair, ...]
    path: Path | None = field(default=None, compare=False, repr=False)

    def gold(self, types: Iterable[str] | None = None) -> dict[Pair, Pair]:
        """Gold pairs keyed by their normalised form (value: the pair as labelled)."""
        wanted = set(types) if types is not None else set(TYPES)
        return {pair_key(t, c): (t, c) for t, c in self.entities if normalise_type(t) in wanted}


class DevSetError(ValueError):
    """A dev set file that does not follow the schema."""


def _parse(data: object, where: str) -> DevDoc:
    if not isinstance(data, dict):
        raise DevSetError(f"{where}: top level must be an object")
    for key in ("id", "language", "kind", "source", "text", "entities"):
        if key not in data:
            raise DevSetError(f"{where}: missing {key!r}")
    if data["language"] not in LANGUAGES:
        raise DevSetError(f"{where}: language {data['language']!r} not in {LANGUAGES}")
    if data["kind"] not in KINDS:
        raise DevSetError(f"{where}: kind {data['kind']!r} not in {KINDS}")
    if data["source"] not in SOURCES:
        raise DevSetError(f"{where}: source {data['source']!r} not in {SOURCES}")
    if not isinstance(data["text"], str) or not data["text"].strip():
        raise DevSetError(f"{where}: empty text")
    entities: list[Pair] = []
    for i, ent in enumerate(data["entities"]):
        if not isinstance(ent, dict) or not {"type", "canonical"} <= ent.keys():
            raise DevSetError(f"{where}: entity {i} must have 'type' and 'canonical'")
        if ent["type"] not in TYPES + NEW_TYPES:
            raise DevSetError(f"{where}: entity {i} has unknown type {ent['type']!r}")
        if not isinstance(ent["canonical"], str) or not ent["canonical"].strip():
            raise DevSetError(f"{where}: entity {i} has an empty canonical form")
        entities.append((ent["type"], ent["canonical"]))
    return DevDoc(
        id=str(data["id"]),
        language=data["language"],
        kind=data["kind"],
        source=data["source"],
        text=data["text"],
        entities=tuple(entities),
    )


def load_heldout() -> list[DevDoc]:
    """Read the held-out set (``nlp/heldout/``)."""
    return load_devset(HELDOUT_DIR)


def load_devset(path: str | Path | None = None) -> list[DevDoc]:
    """Read a labelled set: a folder of ``*.json`` documents (default ``nlp/devset/``) or one file."""
    root = Path(path) if path is not None else DEVSET_DIR
    files = sorted(root.glob("*.json")) if root.is_dir() else [root]
    if not files:
        raise DevSetError(f"no dev set documents under {root}")
    docs = []
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DevSetError(f"{file.name}: invalid JSON: {exc}") from exc
        docs.append(replace(_parse(data, file.name), path=file))
    return docs


# ------------------------------------------------------------------------------------ the scores


def _ratio(num: int, den: int, empty: float) -> float:
    return num / den if den else empty


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        """tp / (tp + fp); with no prediction at all: 1.0 if nothing was missed, else 0.0."""
        return _ratio(self.tp, self.tp + self.fp, 0.0 if self.fn else 1.0)

    @property
    def recall(self) -> float:
        """tp / (tp + fn); with nothing to find: 1.0 if nothing spurious was found, else 0.0."""
        return _ratio(self.tp, self.tp + self.fn, 0.0 if self.fp else 1.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocResult:
    id: str
    language: str
    source: str
    tp: list[Pair]
    missed: list[Pair]  # in the gold set, not extracted
    spurious: list[Pair]  # extracted, not in the gold set

    @property
    def counts(self) -> Counts:
        return Counts(len(self.tp), len(self.spurious), len(self.missed))

    @property
    def errors(self) -> int:
        return len(self.missed) + len(self.spurious)


@dataclass
class Report:
    types: tuple[str, ...]
    per_type: dict[str, Counts]
    documents: list[DocResult]

    @property
    def micro(self) -> Counts:
        total = Counts()
        for counts in self.per_type.values():
            total.add(counts)
        return total

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the types that occur in the gold set or in the predictions."""
        seen = [c for c in self.per_type.values() if c.gold or c.predicted]
        return sum(c.f1 for c in seen) / len(seen) if seen else 1.0

    def worst(self, n: int = 10) -> list[DocResult]:
        """Documents with the most errors (missed + spurious), then the lowest F1."""
        ranked = sorted(self.documents, key=lambda d: (-d.errors, d.counts.f1, d.id))
        return [d for d in ranked if d.errors][:n]

    def markdown(self) -> str:
        lines = [
            "| type | gold | predicted | tp | fp | fn | precision | recall | F1 |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]

        def row(name: str, c: Counts) -> str:
            return (
                f"| {name} | {c.gold} | {c.predicted} | {c.tp} | {c.fp} | {c.fn} "
                f"| {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} |"
            )

        for t in self.types:
            lines.append(row(t, self.per_type[t]))
        lines.append(row("**micro**", self.micro))
        lines.append(f"| **macro F1** | | | | | | | | {self.macro_f1:.3f} |")
        return "\n".join(lines)

    def errors_markdown(self, n: int = 10) -> str:
        out = []
        for d in self.worst(n):
            c = d.counts
            out.append(
                f"### {d.id} ({d.language}, {d.source}): {len(d.missed)} missed, "
                f"{len(d.spurious)} spurious, F1 {c.f1:.3f}"
            )
            out.extend(f"- missed `{t}` {v!r}" for t, v in d.missed)
            out.extend(f"- spurious `{t}` {v!r}" for t, v in d.spurious)
            out.append("")
        return "\n".join(out) if out else "No errors."


def _as_pair(item: object) -> Pair:
    """A ``(type, canonical)`` tuple, or an object with ``type`` and ``canonical`` attributes."""
    if isinstance(item, tuple | list):
        entity_type, canonical = item
    else:
        entity_type, canonical = getattr(item, "type"), getattr(item, "canonical")
    return str(entity_type), str(canonical)


def evaluate(
    extract: Extractor,
    docs: Sequence[DevDoc],
    types: Iterable[str] | None = None,
) -> Report:
    """Score ``extract(text, language)`` on ``docs``, per type and micro-averaged.

    Matching is on normalised ``(type, canonical)`` pairs per document (see :func:`normalise`);
    duplicates count once. Pairs of types outside ``types`` (default: all labelled types, so
    ``misc`` is ignored) are left out on both sides.
    """
    wanted = tuple(dict.fromkeys(normalise_type(t) for t in (types if types is not None else TYPES)))
    per_type = {t: Counts() for t in wanted}
    results = []
    for doc in docs:
        gold = doc.gold(wanted)
        predicted: dict[Pair, Pair] = {}
        for item in extract(doc.text, doc.language) or ():
            entity_type, canonical = _as_pair(item)
            key = pair_key(entity_type, canonical)
            if key[0] in per_type and key[1]:
                predicted.setdefault(key, (key[0], canonical))
        tp = [gold[k] for k in gold if k in predicted]
        missed = [gold[k] for k in gold if k not in predicted]
        spurious = [predicted[k] for k in predicted if k not in gold]
        for t, _ in tp:
            per_type[normalise_type(t)].tp += 1
        for t, _ in missed:
            per_type[normalise_type(t)].fn += 1
        for t, _ in spurious:
            per_type[t].fp += 1
        results.append(DocResult(doc.id, doc.language, doc.source, tp, missed, spurious))
    return Report(types=wanted, per_type=per_type, documents=results)


# ---------------------------------------------------------------------------------------- __main__


def resolve(target: str) -> Extractor:
    """``package.module:function`` (or ``package.module.function``) → the callable."""
    if ":" in target:
        module_name, _, attr = target.partition(":")
    else:
        module_name, _, attr = target.rpartition(".")
    if not module_name or not attr:
        raise ValueError(f"expected 'module:function', got {target!r}")
    obj: object = importlib.import_module(module_name)
    for part in attr.split("."):
        obj = getattr(obj, part)
    if not callable(obj):
        raise TypeError(f"{target} is not callable")
    return obj  # type: ignore[return-value]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nlp.evaluate", description="Score an entity extractor on the labelled sets."
    )
    parser.add_argument("extractor", help="dotted path of extract(text, language), e.g. nlp.extract:document_entities")
    parser.add_argument("--set", choices=(*SETS, "both"), default="both", dest="which",
                        help="which labelled set to score (default: every set, each in its own table)")
    parser.add_argument("--devset", default=None, help="score this folder or file instead of the named sets")
    parser.add_argument("--types", default=None, help="comma-separated types to score (default: all labelled)")
    parser.add_argument("--language", choices=LANGUAGES, default=None, help="only documents in this language")
    parser.add_argument("--source", choices=SOURCES, default=None, help="only typed or only OCR documents")
    parser.add_argument("--worst", type=int, default=10,
                        help="how many worst documents to list (default 10; tuning sets and --devset only)")
    parser.add_argument("--heldout-errors", action="store_true",
                        help="also list the held-out set's errors (for a final write-up: not for tuning)")
    args = parser.parse_args(argv)

    types = [t.strip() for t in args.types.split(",") if t.strip()] if args.types else None
    if types:
        unknown = sorted(set(types) - set(TYPES + NEW_TYPES))
        if unknown:
            parser.error(f"unknown types: {', '.join(unknown)}")
    extract = resolve(args.extractor)
    if args.devset:
        runs = [(str(args.devset), load_devset(args.devset), True, types)]
    else:
        names = [n for n in SETS if any(SETS[n].glob("*.json"))] if args.which == "both" else [args.which]
        runs = [(name, load_devset(SETS[name]), name in TUNING_SETS or args.heldout_errors,
                 types or SET_TYPES[name]) for name in names]
    for i, (name, docs, show_errors, scored) in enumerate(runs):
        if args.language:
            docs = [d for d in docs if d.language == args.language]
        if args.source:
            docs = [d for d in docs if d.source == args.source]
        report = evaluate(extract, docs, scored)
        if i:
            print()
        print(f"## {name}: {len(docs)} documents, extractor {args.extractor}\n")
        print(report.markdown())
        if args.worst > 0 and show_errors:
            print(f"\n### Worst documents of {name} (up to {args.worst})\n")
            print(report.errors_markdown(args.worst))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head
        sys.exit(0)
