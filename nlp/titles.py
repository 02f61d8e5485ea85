"""A result's title that says what the document is.

PDFs made by other systems often carry no title worth showing: the metadata holds the file's name as the
authoring program printed it (``Microsoft Word - SENTENCIA EXP 123-2019 final.docx``), and the first lines of
page 1 are a running header (``REPÚBLICA DEL ECUADOR``, ``PODER JUDICIAL DEL PERÚ``, ``"Año del Bicentenario…"``)
or a signature line (``JUEZ PONENTE: …``). In that order:

1. the PDF's own title, when it is one (:func:`pdf_title`): not a file name, a placeholder or a header;
2. the first heading of page 1 that names a kind of document (:func:`heading_title`: ``SENTENCIA N° 45-2021``,
   ``Informe Policial N° 087-2021-DIRNIC-PNP/DIVIAC``, ``Manual de técnicas especiales de investigación``);
3. a title built from what the document was read to be (:func:`built_title`): its type, its own identifier
   (the first case or reference named at the head of page 1), its subject, and the court or office;
4. the file's name.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from nlp.text import fold

# What an authoring program writes before a file's name in the title it makes up.
_PROGRAM = re.compile(r"^\s*(?:microsoft\s+(?:office\s+)?(?:word|powerpoint|excel)|word|writer|libreoffice(?:\s+writer)?|"
                      r"acrobat(?:\s+pdfmaker)?|pdfcreator)\s*[-–:]\s*", re.IGNORECASE)
_EXTENSION = re.compile(r"\.(?:docx?|odt|rtf|pdf|txt|pptx?|xlsx?|wpd)\s*$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^(?:untitled|sin\s+t[ií]tulo|documento\s*\d*|document\s*\d*|title|t[ií]tulo|\W*)$",
                          re.IGNORECASE)

# Lines that head every page of a file, or sign it: never its title.
_HEADER = re.compile(
    r"^\W*(?:rep[uú]blica\s+del?\b|poder\s+judicial\b|corte\s+(?:suprema|superior|provincial|nacional)\s+de\s+justicia\b|"
    r"ministerio\s+p[uú]blico\b|fiscal[ií]a\s+de\s+la\s+naci[oó]n\b|fiscal[ií]a\s+general\b|polic[ií]a\s+nacional\b|"
    r"unidad\s+judicial\b|funci[oó]n\s+judicial\b|tribunal\s+(?:constitucional|de\s+garant[ií]as)\b|"
    r"sala\s+(?:penal|especializada|de\s+apelaciones|civil|mixta)\b|juzgado\b|a[nñ]o\s+de(?:l|\s+la)?\b|decenio\b|"
    r"p[aá]gina\s+\d|page\s+\d|juez(?:a)?\s+ponente\b|ponente\b|s\.\s?s\.|ss\.|firmado\b|expediente\s*:|"
    r"materia\s*:|sumilla\s*:|especialista\b|secretari[oa]\b|direcci[oó]n\s+(?:nacional|general|antidrogas|de\s)|"
    r"divisi[oó]n\s+de\b|superintendencia\b)",
    re.IGNORECASE)

# Words that name a kind of document at the head of one.
_KIND = re.compile(
    r"\b(?:sentencia|auto|resoluci[oó]n|casaci[oó]n|recurso\s+de\s+nulidad|ejecutoria|acuerdo\s+plenario|"
    r"informe|parte\s+policial|atestado|acta|oficio|disposici[oó]n|requerimiento|acusaci[oó]n|dictamen|"
    r"carta\s+rogatoria|providencia|manual|gu[ií]a|m[oó]dulo|bolet[ií]n|cartilla|protocolo|memo(?:r[aá]ndum)?|"
    r"judgment|judgement|ruling|report|handbook|training|notes|brief)\b",
    re.IGNORECASE)

MAX_TITLE = 300
# The end of a sentence: a period after a word of four or more characters (not "Exp.", "Cas.", "R.N."), then a
# capital.
_SENTENCE_END = re.compile(r"(?<=[\w/\-]{4})\.\s+(?=[A-ZÁÉÍÓÚÑ])")


def pdf_title(raw: str | None) -> str | None:
    """The PDF's metadata title when it is a title: None for a placeholder, a file's name (with its authoring
    program before it, an extension after it, or underscores for spaces) or a running header."""
    title = " ".join((raw or "").split())
    if not title or _PLACEHOLDER.match(title):
        return None
    if _PROGRAM.match(title) or _EXTENSION.search(title) or ("_" in title and " " not in title):
        return None
    if _HEADER.match(title) and not _KIND.search(title):
        return None
    if sum(ch.isalpha() for ch in title) < 4:
        return None
    return title[:MAX_TITLE]


def heading_title(first_page: str, lines: int = 15) -> str | None:
    """The first of the first ``lines`` lines of page 1 that names a kind of document and says more than
    that: ``SENTENCIA N° 45-2021-JPC``, ``Manual de técnicas especiales de investigación`` (not a bare
    ``SENTENCIA``, not a running header or a signature)."""
    seen = 0
    for line in first_page.split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        seen += 1
        if seen > lines:
            break
        if not 8 <= len(line) <= 200 or line.endswith(":") or sum(ch.isalpha() for ch in line) < len(line) / 2:
            continue
        if _HEADER.match(line) and not _KIND.match(line.lstrip("«\"'(")):
            continue
        kind = _KIND.search(line)
        if kind is None or kind.start() > 40:
            continue
        line = _SENTENCE_END.split(line, maxsplit=1)[0]  # a heading run on into the text: its first sentence
        rest = line[kind.end():].strip(" .:-–—")
        if len(rest) < 3:
            continue  # "SENTENCIA" alone says the kind, not which one
        return line[:MAX_TITLE]
    return None


def built_title(doc_type: str | None, identifier: str | None, subject: str | None, office: str | None) -> str | None:
    """``Sentencia · Expediente 00456-2019-3-1826-JR-PE-02 · tráfico ilícito de drogas · Juzgado Penal
    Colegiado``: what was read of the document, or None when nothing says what it is."""
    kind = (doc_type or "").strip()
    if fold(kind) in ("", "otro", "other"):
        kind = ""
    parts = [p for p in (kind[:1].upper() + kind[1:] if kind else "", identifier, subject, office) if p]
    if not parts or (not kind and not identifier):
        return None  # a subject and an office alone do not name a document
    return " · ".join(parts)[:MAX_TITLE]


def file_title(name: str) -> str:
    """The file's name without its folders and extension."""
    return PurePath(name).stem or name
