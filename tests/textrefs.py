"""Build text references from plain strings, for extractor tests."""
from parser.read.pagemodel import Word
from parser.text.document_text import DocumentText, TextRef


def refs(*paragraphs: str) -> tuple[DocumentText, list[TextRef]]:
    doc = DocumentText()
    out = []
    for k, para in enumerate(paragraphs):
        words = [Word(t, 10.0 * i, 20.0 * k, 10.0 * i + 8, 20.0 * k + 12, size=12) for i, t in enumerate(para.split())]
        out.append(doc.add_line(words, page=1))
    return doc, out
