"""Movement identity, the one matcher of movement names: which written names are the same movement.

The parser (parser/extract/kb.py: which knowledge-base movement a quoted name is) and the archive
(archive/resolver.py: which archive movement a mention is) both decide with these rules.

A name is normalised to content words (folded, no quotes, no leading "phong trào thi đua",
no period "giai đoạn 2021-2025", no "và"/"của"/"ở"); two names are the same movement when

1. the knowledge base (parser/data/movements.csv) lists both under one key, or
2. their content words are equal, an upper-case acronym standing for the initials of the
   other's words (`ATVSLĐ` = an toàn vệ sinh lao động, `ANTQ` = an ninh Tổ quốc), or
3. they are long (6+ words) and differ by one letter in one lower-case word of 4+ letters
   (a typo or an OCR slip; a place name never differs this way unnoticed).

Anything else stays apart: a wrong merge is worse than a missed one. "Toàn dân đoàn kết xây
dựng đời sống văn hóa" and "... ở khu dân cư" are two movements; so are two districts'
"X chung sức xây dựng nông thôn mới" movements.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein


_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case, tone and vowel marks removed, `đ` -> `d` (the archive's search folding, archive/textfold.py)."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
LEADING_FILLERS = (
    ("phong", "trao", "thi", "dua"), ("phong", "trao"), ("cuoc", "van", "dong"), ("cvd",), ("chuong", "trinh"),
    ("thi", "dua"), ("day", "manh"), ("tiep", "tuc"), ("thuc", "hien"), ("trien", "khai"), ("huong", "ung"),
    ("tham", "gia"), ("to", "chuc"), ("cac",),
)
STOPWORDS = frozenset({"va", "voi", "cua", "o", "cac", "nhung"})
LEADING_NUMBERS = {"mot": "1", "hai": "2", "ba": "3"}
SYNONYMS = {("dam", "bao"): ("bao", "dam")}  # đảm bảo = bảo đảm
VOWELS = set("aeiouy")


@dataclass(frozen=True, slots=True)
class NameKey:
    """A movement name reduced to what identifies it."""

    words: tuple[str, ...]
    acronyms: frozenset[int]  # positions of words written as an upper-case acronym
    capitals: frozenset[int]  # positions of capitalised words (proper nouns, when the name is not all title case)

    @property
    def key(self) -> str:
        return " ".join(self.words)


def _is_acronym(raw: str, shouting: bool) -> bool:
    folded = fold(raw)
    if len(folded) < 2 or folded.isdigit():
        return False
    if not any(c in VOWELS for c in folded):
        return True  # `VSLĐ`, `NTM`: no Vietnamese syllable lacks a vowel
    return not shouting and raw.isupper()


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> NameKey:
    text = unicodedata.normalize("NFC", _BRACKETS.sub(" ", name))
    raw = _WORD.findall(text)
    letters = [c for c in text if c.isalpha()]
    shouting = bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)
    titled = sum(1 for w in raw if w[:1].isupper()) > 0.5 * max(len(raw), 1)
    items = [(fold(w), _is_acronym(w, shouting), (not shouting and not titled and i > 0 and w[:1].isupper()))
             for i, w in enumerate(raw)]
    items = _strip_fillers(items)
    items = _strip_periods(items)
    items = [it for it in items if it[0] not in STOPWORDS]
    for i in range(len(items) - 1):
        pair = (items[i][0], items[i + 1][0])
        if pair in SYNONYMS:
            a, b = SYNONYMS[pair]
            items[i], items[i + 1] = (a, items[i][1], items[i][2]), (b, items[i + 1][1], items[i + 1][2])
    if items and items[0][0] in LEADING_NUMBERS:
        items[0] = (LEADING_NUMBERS[items[0][0]], False, False)
    return NameKey(tuple(w for w, _, _ in items), frozenset(i for i, it in enumerate(items) if it[1]),
                   frozenset(i for i, it in enumerate(items) if it[2]))


def _strip_fillers(items: list) -> list:
    changed = True
    while changed and items:
        changed = False
        words = tuple(w for w, _, _ in items)
        for filler in LEADING_FILLERS:
            if words[:len(filler)] == filler and len(words) > len(filler):
                items = items[len(filler):]
                changed = True
                break
    return items


def _strip_periods(items: list) -> list:
    """Drop `giai đoạn 2021 - 2025`, `năm 2023`, `năm học 2024 - 2025`, `2021-2025`: the period is not the name."""
    out: list = []
    i = 0
    while i < len(items):
        w = items[i][0]
        nxt = items[i + 1][0] if i + 1 < len(items) else ""
        if w == "giai" and nxt == "doan":
            j = i + 2
        elif w == "nam" and nxt == "hoc":
            j = i + 2
        elif w == "nam" and re.fullmatch(r"\d{4}", nxt):
            j = i + 1
        elif re.fullmatch(r"(19|20)\d\d", w) and out:
            j = i
        else:
            out.append(items[i])
            i += 1
            continue
        k = j
        while k < len(items) and re.fullmatch(r"\d{4}", items[k][0]):
            k += 1
        if k == j and j != i:  # "giai đoạn" with no year after it: keep the words
            out.append(items[i])
            i += 1
            continue
        i = k
    return out


def _initials(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words)


def _aligned(a: NameKey, b: NameKey) -> bool:
    """Equal word by word, an acronym in either standing for the initials of the other's words."""
    if not a.acronyms and not b.acronyms:
        return a.words == b.words
    @lru_cache(maxsize=None)
    def go(i: int, j: int) -> bool:
        if i == len(a.words) and j == len(b.words):
            return True
        if i < len(a.words) and j < len(b.words) and a.words[i] == b.words[j] and go(i + 1, j + 1):
            return True
        if i < len(a.words) and i in a.acronyms:
            n = len(a.words[i])
            if n > 1 and j + n <= len(b.words) and _initials(b.words[j:j + n]) == a.words[i] and go(i + 1, j + n):
                return True
        if j < len(b.words) and j in b.acronyms:
            n = len(b.words[j])
            if n > 1 and i + n <= len(a.words) and _initials(a.words[i:i + n]) == b.words[j] and go(i + n, j + 1):
                return True
        return False

    return go(0, 0)


def _one_typo(a: NameKey, b: NameKey) -> bool:
    if len(a.words) != len(b.words) or len(a.words) < 6:
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a.words, b.words)) if x != y]
    if len(diffs) != 1:
        return False
    i = diffs[0]
    x, y = a.words[i], b.words[i]
    return (min(len(x), len(y)) >= 4 and not (x.isdigit() or y.isdigit()) and i not in a.capitals
            and i not in b.capitals and i not in a.acronyms and i not in b.acronyms
            and Levenshtein.distance(x, y) == 1)


def same_movement(a: NameKey, b: NameKey) -> bool:
    if not a.words or not b.words:
        return False
    if a.words == b.words:
        return True
    if _numbers(a) != _numbers(b):
        return False
    return _aligned(a, b) or _one_typo(a, b)


def _numbers(k: NameKey) -> tuple[str, ...]:
    return tuple(w for w in k.words if w.isdigit())


def new_movement_id(key: str) -> str:
    """The id of a movement first seen under this name; it never changes afterwards."""
    return "m-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


# --- the knowledge base -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class KbMovement:
    key: str
    name: str
    kind: str


KIND_VI = {"movement": "phong trào", "campaign": "cuộc vận động", "program": "chương trình"}


@lru_cache(maxsize=1)
def kb_movements() -> dict[str, KbMovement]:
    from parser.data import movements

    return {r["key"]: KbMovement(r["key"], r["official_name_vi"], KIND_VI.get(r["kind"], "phong trào"))
            for r in movements()}


def _kb_variants(row: dict) -> list[str]:
    names = [row["official_name_vi"]]
    for v in row["variants"].split("|"):
        v = v.strip()
        if not v or v.startswith("[") or "…" in v or "..." in v:
            continue
        names.append(v)
    return names


@lru_cache(maxsize=1)
def kb_index() -> tuple[tuple[NameKey, str], ...]:
    """(name key, kb key) for every official name and usable variant; a key claimed by two movements is dropped."""
    from parser.data import movements

    owners: dict[tuple[str, ...], set[str]] = {}
    keys: dict[tuple[str, ...], NameKey] = {}
    for row in movements():
        for name in _kb_variants(row):
            nk = normalize_name(name.replace("“", " ").replace("”", " ").replace('"', " "))
            if len(" ".join(nk.words)) < 4:
                continue
            owners.setdefault(nk.words, set()).add(row["key"])
            keys.setdefault(nk.words, nk)
    return tuple((keys[w], next(iter(o))) for w, o in owners.items() if len(o) == 1)


@lru_cache(maxsize=4096)
def kb_match(nk: NameKey) -> str | None:
    """The knowledge-base key this name is, or None; two different answers -> None."""
    found = {kb for variant, kb in kb_index() if variant.words == nk.words}
    if not found:
        found = {kb for variant, kb in kb_index() if same_movement(variant, nk)}
    if not found:
        local = without_place(nk)
        if local != nk:
            found = {kb for variant, kb in kb_index() if same_movement(variant, local)}
    return found.pop() if len(found) == 1 else None


ADMIN_UNITS = frozenset({"tinh", "huyen", "quan", "xa", "phuong", "thi", "thanh"})


def without_place(nk: NameKey) -> NameKey:
    """The name without a place (`tỉnh Nam Định`, `huyện Kim Sơn`): a national movement run by a province is
    still that national movement (rule 4, for the knowledge base only: two places' own movements stay apart)."""
    drop: set[int] = set()
    i = 0
    while i < len(nk.words):
        j = i + 1
        if nk.words[i] in ("thi", "thanh") and j < len(nk.words) and nk.words[j] in ("xa", "pho"):
            j += 1
        if nk.words[i] in ADMIN_UNITS and j in nk.capitals:
            k = j
            while k in nk.capitals:
                k += 1
            drop.update(range(i, k))
            i = k
            continue
        i += 1
    if not drop:
        return nk
    keep = [n for n in range(len(nk.words)) if n not in drop]
    where = {old: new for new, old in enumerate(keep)}
    return NameKey(tuple(nk.words[n] for n in keep), frozenset(where[n] for n in nk.acronyms if n in where),
                   frozenset(where[n] for n in nk.capitals if n in where))


def kb_lookup(name: str) -> str | None:
    """The knowledge-base key a written movement name is (rules 1-3), or None."""
    nk = normalize_name(name.replace("“", " ").replace("”", " ").replace('"', " "))
    return kb_match(nk) if nk.words else None
