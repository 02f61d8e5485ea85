"""Deterministic sample corpus of legal / prosecution PDFs for docsearch.

``generate(out_dir)`` writes six multi-page PDFs (five in Spanish, one in
English) rendered with reportlab from the text in
:mod:`samples.texts`: a FECOR pre-trial detention request, a
Supreme Court cassation ruling on money laundering, two training manuals, a
police report on an asset-forfeiture (extinción de dominio) case and an
English note on mutual legal assistance. All content is fictitious.

The output is byte-for-byte reproducible (see :mod:`samples.pdf`), so
document ids derived from the SHA-256 of the bytes are stable across runs
(for a given reportlab version).

Usage::

    python -m samples.corpus OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.units import cm

from samples import pdf
from samples.texts import DOCUMENTS

MARGIN_TOP = 2.0 * cm
MARGIN_BOTTOM = 2.0 * cm
LAYOUT = pdf.Layout(
    margin=2.3 * cm, top=MARGIN_TOP + 0.4 * cm, bottom=MARGIN_BOTTOM + 1.2 * cm,
    body=pdf.Style("Helvetica", 10, 13.6), gap=0.2 * cm,
    title=pdf.Style("Helvetica-Bold", 15, 15 * 1.3), title_drop=15, title_gap=0.4 * cm,
    heading=pdf.Style("Helvetica-Bold", 11.5, 11.5 * 1.3), heading_gaps=(0.25 * cm, 0.1 * cm),
    bullet_indent=14, bullet_gap=0.1 * cm,
    header=pdf.Style("Helvetica-Oblique", 8, 8), header_y=MARGIN_TOP - 0.6 * cm, header_rule=MARGIN_TOP - 0.4 * cm,
    footer=pdf.Style("Helvetica", 8.5, 8.5), footer_y=MARGIN_BOTTOM - 0.5 * cm, footer_rule=MARGIN_BOTTOM,
)
CREATOR = "docsearch sample corpus generator"


def render(doc: dict) -> bytes:
    """One sample document as PDF bytes."""
    keywords = ("docsearch, test corpus, fictitious document" if doc["language"] == "en"
                else "docsearch, corpus de prueba, documento ficticio")
    return pdf.render(doc["pages"], LAYOUT, title=doc["title"], header=doc["header"],
                      label=pdf.page_label(doc["language"]), compress=False, author=doc["author"],
                      subject=doc["subject"], keywords=keywords, creator=CREATOR)


def generate(out_dir: Path) -> list[Path]:
    """Write the sample PDFs into ``out_dir`` (created if needed); return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for doc in DOCUMENTS:
        path = out_dir / doc["filename"]
        path.write_bytes(render(doc))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m samples.corpus OUT_DIR", file=sys.stderr)
        return 2
    for path in generate(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
