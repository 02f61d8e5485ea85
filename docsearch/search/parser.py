"""The query language of docsearch: the tree a query becomes, and a tolerant parser that reads it.

What a user may type (``docs/search.md`` has the reference with examples)::

    lavado activos            every word, somewhere in the document (AND is implicit)
    lavado OR blanqueo        either (also ``|``); AND (also ``&&``) binds tighter than OR
    NOT menor, -menor         excluded; ``+word`` is required (the default anyway)
    "entrega vigilada"        an exact phrase: whole words, accents and case folded, not stemmed
    incauta*                  words starting with ``incauta``
    activso~                  a word, allowing typos (plain words get this automatically when nothing matches)
    (a OR b) c                grouping
    court:Lima  year:2019  year:2015..2019  type:sentencia  person:quispe  law:"DL 1106"
                              (the field names are those of ``docsearch.fields``)
    DL 1106, art. 296 del CP  legal citations in any spelling, read by ``nlp.citations``

The parser never gives up silently and never lets the engine see raw syntax: a slip it can read
sensibly (an unclosed quote or bracket, a dangling operator, an empty group, ``court:`` with no value, an
unknown ``field:``) is read that way and reported in ``warnings``; what it cannot read (``year:abc``, a
backwards year range, brackets after ``field:``, nesting deeper than 20 or more than 64 terms) raises
:class:`QuerySyntaxError` with the character position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docsearch.fields import REGISTRY, Registry
from docsearch.fields import Field as FieldSpec
from docsearch.search.tree import And, Citation, FieldValue, MatchAll, Node, Not, Or, Phrase, Prefix, Words
from docsearch.search.notices import Notice
from nlp.citations import citations_in_query
from nlp.types import Mention

MAX_DEPTH = 20
MAX_CLAUSES = 64


class QuerySyntaxError(ValueError):
    """A query that cannot be read; ``position`` is the 0-based character offset of the problem."""

    def __init__(self, message: str, position: int):
        super().__init__(message)
        self.position = position


@dataclass
class Parsed:
    tree: Node
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- tokens

_OPERATORS = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "|": "OR", "NOT": "NOT"}


@dataclass
class _Token:
    kind: str  # word | phrase | citation | field | op | lparen | rparen | not | plus
    text: str
    pos: int
    citation: Mention | None = None  # the citation a ``citation`` token is


_FIELD_RE = re.compile(r"([A-Za-z_\u00c0-\u017f]+):(?=\S)")
_WORD_RE = re.compile(r"[^\s()\"]+")


def _tokenize(q: str, warnings: list[str]) -> list[_Token]:
    citations = {m.start: m for m in citations_in_query(q)}
    tokens: list[_Token] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
            continue
        if i in citations:
            cited = citations[i]
            tokens.append(_Token("citation", q[cited.start:cited.end], i, cited))
            i = cited.end
            continue
        if c == "(":
            tokens.append(_Token("lparen", c, i))
            i += 1
            continue
        if c == ")":
            tokens.append(_Token("rparen", c, i))
            i += 1
            continue
        if c == '"':
            end = q.find('"', i + 1)
            if end < 0:
                warnings.append(Notice("unclosed_quote", f"Unclosed quote at character {i + 1}: read as a phrase to the end.",
                                        position=i + 1))
                end = n
            tokens.append(_Token("phrase", q[i + 1:end], i))
            i = end + 1
            continue
        if c in "+-!" and i + 1 < n and not q[i + 1].isspace() and (i == 0 or q[i - 1].isspace() or q[i - 1] == "("):
            tokens.append(_Token("plus" if c == "+" else "not", c, i))
            i += 1
            continue
        two = q[i:i + 2]
        if two in ("&&", "||"):
            tokens.append(_Token("op", _OPERATORS[two], i))
            i += 2
            continue
        if c == "|":
            tokens.append(_Token("op", "OR", i))
            i += 1
            continue
        m = _FIELD_RE.match(q, i)
        if m:
            tokens.append(_Token("field", m.group(1), i))
            i = m.end()
            continue
        m = _WORD_RE.match(q, i)
        assert m is not None  # any character but a space, a bracket or a quote starts a word
        word = m.group(0)
        # A field name with nothing after it ("court:" at the end or before a space) is an error.
        if word.endswith(":") and _has_word(word):
            warnings.append(Notice("empty_field", f"'{word}' at character {i + 1} has no value after the colon; read "
                                   f"as the word '{word[:-1]}'.", position=i + 1, word=word[:-1]))
            word = word[:-1]
        if word in _OPERATORS:
            tokens.append(_Token("op" if word != "NOT" else "not", _OPERATORS[word], i))
        else:
            tokens.append(_Token("word", word, i))
        i = m.end()
    return tokens


# ---------------------------------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, tokens: list[_Token], warnings: list[str], registry: Registry):
        self.tokens, self.warnings, self.registry = tokens, warnings, registry
        self.i = 0
        self.depth = 0
        self.clauses = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        tree = self.or_expr()
        while self.peek() is not None:  # a stray ')' : drop it and go on
            tok = self.take()
            self.warnings.append(Notice("unmatched_bracket", f"Unmatched ')' at character {tok.pos + 1} was ignored.",
                                           position=tok.pos + 1))
            more = self.or_expr()
            tree = _and([tree, more])
        return tree

    def or_expr(self) -> Node | None:
        parts = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text == "OR":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind == "rparen" or (nxt.kind == "op"):
                self.warnings.append(Notice("or_nothing_after", f"'OR' at character {tok.pos + 1} has nothing after it "
                                            "and was ignored.", position=tok.pos + 1))
                continue
            parts.append(self.and_expr())
        found = [p for p in parts if p is not None]
        if not found:
            return None
        return found[0] if len(found) == 1 else Or(tuple(found))

    def and_expr(self) -> Node | None:
        parts: list[Node | None] = []
        while (tok := self.peek()) is not None:
            if tok.kind == "rparen":
                break
            if tok.kind == "op":
                if tok.text == "OR":
                    if not parts:
                        self.warnings.append(Notice("or_nothing_before", f"'OR' at character {tok.pos + 1} has nothing "
                                                                "before it and was ignored.", position=tok.pos + 1))
                        self.take()
                        continue
                    break
                self.take()  # AND: what a plain space means, but every word on both sides is then required
                if not parts:
                    self.warnings.append(Notice("and_nothing_before", f"'AND' at character {tok.pos + 1} has nothing "
                                                        "before it and was ignored.", position=tok.pos + 1))
                nxt = self.peek()
                if nxt is None or nxt.kind in ("rparen", "op"):
                    self.warnings.append(Notice("and_nothing_after", f"'AND' at character {tok.pos + 1} has nothing "
                                                        "after it and was ignored.", position=tok.pos + 1))
                    continue
                if parts:
                    parts[-1] = _strict(parts[-1])
                    parts.append(_strict(self.unary()))
                continue
            parts.append(self.unary())
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return _and(parts)

    def unary(self) -> Node | None:
        tok = self.take()
        if tok.kind == "not":
            nxt = self.peek()
            if nxt is None or nxt.kind in ("rparen", "op"):
                self.warnings.append(Notice("exclude_nothing", f"'{tok.text}' at character {tok.pos + 1} has nothing "
                                            "after it to exclude and was ignored.", position=tok.pos + 1,
                                            operator=tok.text))
                return None
            child = self.unary()
            if isinstance(child, Not):  # NOT NOT x is x: a chain of them must not nest the engine request
                return child.child
            return Not(child) if child is not None else None
        if tok.kind == "plus":
            nxt = self.peek()
            if nxt is None or nxt.kind in ("rparen", "op"):
                return None
            return _strict(self.unary())
        return self.primary(tok)

    def primary(self, tok: _Token) -> Node | None:
        self._count(tok)
        if tok.kind == "lparen":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QuerySyntaxError(f"Brackets nest deeper than {MAX_DEPTH} levels.", tok.pos)
            inner = self.or_expr()
            close = self.peek()
            if close is None:
                self.warnings.append(Notice("bracket_unclosed", f"Bracket opened at character {tok.pos + 1} was not "
                                            "closed; closed at the end.", position=tok.pos + 1))
            else:
                self.take()
            self.depth -= 1
            if inner is None:
                self.warnings.append(Notice("brackets_empty", f"The brackets at character {tok.pos + 1} hold nothing to "
                                            "search for.", position=tok.pos + 1))
            return inner
        if tok.kind == "phrase":
            text = tok.text.strip()
            if not _has_word(text):
                if text:
                    self.warnings.append(Notice("phrase_empty", f"The phrase at character {tok.pos + 1} has no words and "
                                                "was ignored.", position=tok.pos + 1))
                return None
            return Phrase(" ".join(text.split()))
        if tok.kind == "citation" and tok.citation is not None:
            return Citation(tok.citation.type, tok.citation.canonical, tok.citation.surface)
        if tok.kind == "field":
            return self.field_value(tok)
        return _word(tok.text)

    def field_value(self, tok: _Token) -> Node | None:
        spec = self.registry.by_query_name(tok.text)
        nxt = self.peek()
        if nxt is None or nxt.kind not in ("word", "phrase", "citation") or nxt.pos != tok.pos + len(tok.text) + 1:
            raise QuerySyntaxError(f"'{tok.text}:' takes one word or a \"phrase\" right after the colon, as in "
                                   f"{tok.text}:lima; brackets are not allowed there.", tok.pos + len(tok.text) + 1)
        value_tok = self.take()
        cited = value_tok.citation
        if cited is not None and (spec is None or spec.citations):
            return Citation(cited.type, cited.canonical, cited.surface)
        if spec is None:
            names = ", ".join(f.query for f in self.registry.query_fields if f.query)
            self.warnings.append(Notice("unknown_field", f"'{tok.text}' is not a field ({names}); '{tok.text}:' was "
                                        "read as words.", field=tok.text, fields=names))
            value = _word(value_tok.text) if value_tok.kind == "word" else Phrase(value_tok.text)
            return _and([_word(tok.text), value]) if value is not None else _word(tok.text)
        raw = value_tok.text
        if spec.kind == "year":
            return _year(spec, raw, value_tok.pos)
        if value_tok.kind == "phrase":
            text = " ".join(raw.split())
            if not text:
                raise QuerySyntaxError(f"'{tok.text}:' has an empty value.", value_tok.pos)
            return FieldValue(spec, "phrase", text)
        if raw.endswith("*") and len(raw.rstrip("*")) >= 1:
            return FieldValue(spec, "prefix", raw.rstrip("*"))
        return FieldValue(spec, "word", raw.rstrip("*") or raw)

    def _count(self, tok: _Token) -> None:
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QuerySyntaxError(f"The query has more than {MAX_CLAUSES} terms; shorten it.", tok.pos)


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


_TRIM = re.compile(r"^[^\w¿¡]+|[^\w*~]+$")


def _word(raw: str) -> Words | Prefix | None:
    text = raw
    fuzzy = False
    m = re.match(r"^(.*?)~\d?$", text)
    if m and _has_word(m.group(1)):
        text, fuzzy = m.group(1), True
    if text.endswith("*") and _has_word(text):
        stem = _TRIM.sub("", text.rstrip("*"))
        if not stem:
            return None
        return Prefix(stem) if len(stem) >= 2 else Words(stem)  # one letter would expand to half the index
    if not _has_word(text):
        return None
    return Words(text, fuzzy=fuzzy)


_YEAR_RANGE = re.compile(r"^(\d{4})?(?:\.\.|-)(\d{4})?$")


def _year(spec: FieldSpec, raw: str, pos: int) -> FieldValue:
    raw = raw.strip()
    if raw.isdigit() and len(raw) == 4:
        return FieldValue(spec, "range", (int(raw), int(raw)))
    m = _YEAR_RANGE.match(raw)
    if m and (m.group(1) or m.group(2)):
        low = int(m.group(1)) if m.group(1) else None
        high = int(m.group(2)) if m.group(2) else None
        if low is not None and high is not None and low > high:
            raise QuerySyntaxError(f"year:{raw} runs backwards; write year:{high}..{low}.", pos)
        return FieldValue(spec, "range", (low, high))
    m = re.match(r"^([<>]=?)(\d{4})$", raw)
    if m:
        op, y = m.group(1), int(m.group(2))
        low = y + (1 if op == ">" else 0) if op.startswith(">") else None
        high = y - (1 if op == "<" else 0) if op.startswith("<") else None
        return FieldValue(spec, "range", (low, high))
    raise QuerySyntaxError(f"year takes a year or a range (year:2019, year:2015..2019, year:>2018), not '{raw}'.",
                           pos)


def _strict(node: Node | None) -> Node | None:
    """Plain words the user asked for one by one (``+word``, ``a AND b``): every one is required."""
    return Words(node.text, node.fuzzy, strict=True) if isinstance(node, Words) else node


def _and(parts: list[Node | None]) -> Node | None:
    """Flatten, and merge neighbouring plain words into one run (so stop words are handled per field)."""
    flat: list = []
    for part in parts:
        if isinstance(part, And):
            flat.extend(part.children)
        elif part is not None:
            flat.append(part)
    merged: list = []
    for part in flat:
        if (isinstance(part, Words) and merged and isinstance(merged[-1], Words)
                and (part.fuzzy, part.strict) == (merged[-1].fuzzy, merged[-1].strict)):
            merged[-1] = Words(merged[-1].text + " " + part.text, part.fuzzy, part.strict)
        else:
            merged.append(part)
    if not merged:
        return None
    return merged[0] if len(merged) == 1 else And(tuple(merged))


def parse(q: str, registry: Registry = REGISTRY) -> Parsed:
    """Read a query; raises :class:`QuerySyntaxError` when it cannot be read sensibly."""
    warnings: list[str] = []
    tokens = _tokenize(q, warnings)
    tree = _Parser(tokens, warnings, registry).parse()
    return Parsed(tree if tree is not None else MatchAll(), warnings)
