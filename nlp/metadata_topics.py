"""The topics of a document: weighted cues of ``nlp/data/topics.json`` per 1000 words of its text.

Invariants: topics are labels of ``topics.json``, at most ``max_topics``, best first; a topic is
chosen only when its density (score per 1000 words, counting at least ``min_words``) reaches
``min_density``, its score ``min_score``, and its density ``relative`` times the best one. A
score adds, for each topic, its cue phrases (a cue also in the plural; at most
``max_hits_per_cue`` hits each, the title's weighted by ``title_weight``), its patterns and the
institutions and kinds of drugs mentioned. The densities of the best eight are left in
``signals["topic_scores"]``.

The table is loaded once per process, when first needed (:func:`topic_config`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from nlp.alias_trie import compile_trie, key_of
from nlp.folding import fold_plain
from nlp.gazetteer import drug_kind, find_drugs, find_institutions
from nlp.resources import DATA_DIR, load_json
from nlp.types import Mention

TOPICS_FILE = DATA_DIR / "topics.json"

__all__ = ["TOPICS_FILE", "Topic", "TopicConfig", "infer_topics", "topic_config"]


@dataclass
class Topic:
    """One topic of ``topics.json``: its patterns and its entity cues, with their weights."""

    label: str
    patterns: list[tuple[re.Pattern, float]]
    entities: dict[str, float]


@dataclass
class TopicConfig:
    """``topics.json`` compiled: the topics, one trie of all cue phrases and their weights, the thresholds."""

    topics: list[Topic]
    cue_pattern: re.Pattern
    cue_weights: dict[str, list[tuple[str, float]]]  # cue key -> [(topic, weight), ...]
    params: dict


@functools.cache
def topic_config() -> TopicConfig:
    """``topics.json``, compiled once per process when first needed."""
    topics_spec = load_json(TOPICS_FILE.name)
    topics = []
    cue_weights: dict[str, list[tuple[str, float]]] = {}
    for t in topics_spec["topics"]:
        for cue, weight in t.get("cues", {}).items():
            key = key_of(cue)
            forms = {key} if key.endswith("s") else {key, key + "s", key + "es"}
            for form in forms:
                cue_weights.setdefault(form, []).append((t["label"], float(weight)))
        topics.append(Topic(
            label=t["label"],
            patterns=[(re.compile(p), float(w)) for p, w in t.get("patterns", {}).items()],
            entities={k: float(v) for k, v in t.get("entities", {}).items()},
        ))
    # One key with two weights for one topic (a cue and the plural of another): keep the larger.
    for key, pairs in cue_weights.items():
        best: dict[str, float] = {}
        for label, weight in pairs:
            best[label] = max(weight, best.get(label, 0.0))
        cue_weights[key] = list(best.items())
    params = {k: topics_spec[k] for k in ("title_weight", "max_hits_per_cue", "min_words", "min_density",
                                          "min_score", "relative", "max_topics")}
    return TopicConfig(topics=topics, cue_pattern=compile_trie(cue_weights), cue_weights=cue_weights, params=params)


def _entity_keys(mentions: list[Mention]) -> Counter:
    keys: Counter = Counter()
    for m in mentions:
        if m.type == "institution":
            keys[f"institution:{m.canonical}"] += 1
        elif m.type == "drug":
            kind = drug_kind(m.canonical)
            if kind:
                keys[f"drug_kind:{kind}"] += 1
    return keys


def infer_topics(cfg: TopicConfig, title: str | None, pages: list[str], mentions: list[Mention] | None,
                 signals: dict) -> list[str]:
    """The topics of a document, best first; ``mentions`` (if given) are its institutions and drugs."""
    p = cfg.params
    text = "\n".join(pages)
    body = fold_plain(text)
    title_f = fold_plain(title or "")
    words = len(body.split())
    cap = p["max_hits_per_cue"]
    scores: Counter = Counter()

    def add_cues(folded: str, factor: float) -> None:
        hits = Counter(key_of(m.group()) for m in cfg.cue_pattern.finditer(folded))
        for key, count in hits.items():
            for label, weight in cfg.cue_weights.get(key, ()):
                scores[label] += min(count, cap) * weight * factor

    add_cues(body, 1.0)
    if title_f:
        add_cues(title_f, p["title_weight"])
    for topic in cfg.topics:
        for pattern, weight in topic.patterns:
            scores[topic.label] += min(len(pattern.findall(body)), cap) * weight
            if title_f:
                scores[topic.label] += len(pattern.findall(title_f)) * weight * p["title_weight"]
    if mentions is None:
        mentions = find_institutions(text) + find_drugs(text)
        if title:
            mentions += find_institutions(title) + find_drugs(title)
    entity_hits = _entity_keys(mentions)
    for topic in cfg.topics:
        for key, weight in topic.entities.items():
            scores[topic.label] += min(entity_hits.get(key, 0), cap) * weight

    per_k = 1000.0 / max(words, p["min_words"])
    density = {label: score * per_k for label, score in scores.items() if score > 0}
    ranked = sorted(density, key=lambda label: (-density[label], label))
    signals["topic_scores"] = {label: round(density[label], 1) for label in ranked[:8]}
    if not ranked:
        return []
    top = density[ranked[0]]
    chosen = [label for label in ranked
              if density[label] >= p["min_density"] and scores[label] >= p["min_score"]
              and density[label] >= p["relative"] * top]
    return chosen[: p["max_topics"]]
