"""The language tools, built once per process and only when first needed.

spaCy: a blank Vietnamese pipeline (`use_pyvi` off, so nothing is downloaded) with
a tokenizer that splits quotes and trailing punctuation off words but keeps
document symbols (`27/KH-UBND`) and dates (`13/2/2023`) whole; an entity ruler
whose patterns are data (`parser/data/patterns.jsonl`: phases, anniversary counts,
document references, trigger words); and a component that pairs quotation marks
into `doc.spans["quoted"]`. Every match is a span of the paragraph, so offsets
map straight back to the page.

underthesea: sentence segmentation (a quoted name's class is looked for inside its
sentence) and person names (the signer's name is checked by its NER).
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from parser.text.document_text import TextRef

OPENING = {"“": "”", '"': '"', "«": "»"}


@lru_cache(maxsize=1)
def pipeline():
    import spacy
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer
    from spacy.tokens import Span

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        prefix_search=re.compile(r"""^[“"«(\[‘'…]""").search,
        suffix_search=re.compile(r"""[”"»)\]’'.,;:!?…]$""").search,
    )

    if not Language.has_factory("vanban_quotes"):
        @Language.component("vanban_quotes")
        def quotes(doc):
            spans, open_at, closing = [], None, None
            for token in doc:
                if open_at is None and token.text in OPENING:
                    open_at, closing = token.i, OPENING[token.text]
                elif open_at is not None and token.text == closing:
                    if token.i > open_at + 1:
                        spans.append(Span(doc, open_at + 1, token.i, label="QUOTED"))
                    open_at = None
            doc.spans["quoted"] = spans
            return doc

    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    with files("parser.data").joinpath("patterns.jsonl").open(encoding="utf-8") as fh:
        import json

        ruler.add_patterns([json.loads(line) for line in fh if line.strip()])
    nlp.add_pipe("vanban_quotes")
    return nlp


def analyse(refs: list[TextRef]):
    """(ref, spaCy Doc) for each paragraph."""
    return list(zip(refs, pipeline().pipe(r.text for r in refs)))


def sentences(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences of a paragraph (underthesea's segmenter)."""
    from underthesea import sent_tokenize

    out, pos = [], 0
    for sentence in sent_tokenize(text):
        start = text.find(sentence, pos)
        if start < 0:
            continue
        out.append((start, start + len(sentence)))
        pos = start + len(sentence)
    return out or [(0, len(text))]


def is_person_name(text: str) -> bool:
    """Whether underthesea's NER reads the whole text as one person's name."""
    from underthesea import ner

    tags = ner(text)
    return bool(tags) and all(t[3].endswith("PER") for t in tags)


def warm_up() -> None:
    """Load now what the first document would otherwise load: the spaCy pipeline and underthesea's models."""
    pipeline()
    sentences("Kế hoạch tổ chức phong trào thi đua năm 2023.")
    is_person_name("Nguyễn Văn An")
