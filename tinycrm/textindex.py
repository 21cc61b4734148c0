"""How text becomes full-text-search tokens, shared by the writes (store) and the reads (query).

SQLite's FTS5 `unicode61` tokenizer treats a run of CJK characters as one token, and the
trigram tokenizer finds nothing for two-character queries, so CJK characters are indexed
one token each and a CJK query becomes a phrase of single characters: `张伟` → `"张 伟"`,
which finds the two characters side by side anywhere in a name. Chinese names also get
their pinyin initials (`zw`) and full pinyin (`zhangwei`) as extra tokens, so a user
without a Chinese input method still finds them. pypinyin is imported only when a name
holds CJK characters (it costs ~400 ms to import).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# CJK ideographs (+ extension A/B…), compatibility ideographs, kana and hangul. Checked with
# ord() rather than a regex character class: compiling such a class costs ~13 ms at start-up.
_CJK_RANGES = (
    (0x3040, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2EBEF),
)
_WORD = re.compile(r"\w+")


def is_cjk(ch: str) -> bool:
    """True for one CJK character."""
    code = ord(ch)
    # the unified ideographs first: nearly every Chinese name is made of them alone
    return 0x4E00 <= code <= 0x9FFF or (code >= 0x3040 and any(lo <= code <= hi for lo, hi in _CJK_RANGES))


def has_cjk(text: str) -> bool:
    """True when the text holds any CJK character (ASCII text, the common case, is one check)."""
    return bool(text) and not text.isascii() and any(map(is_cjk, text))


def split_cjk(text: str) -> str:
    """Put spaces around every CJK character so each is its own FTS token."""
    if not has_cjk(text):
        return text
    return "".join(f" {ch} " if is_cjk(ch) else ch for ch in text)


def pinyin_tokens(name: str) -> list[str]:
    """Pinyin initials and full pinyin of the CJK part of a name (`张伟` → zw, zhangwei)."""
    han = "".join(ch for ch in name or "" if is_cjk(ch))
    if not han:
        return []
    hit = _NAME_PINYIN.get(han)
    if hit is None:
        full = [p for p in (_char_pinyin(ch) for ch in han) if p]
        hit = ("".join(p[0] for p in full), "".join(full)) if full else ()
        if len(_NAME_PINYIN) < _NAME_PINYIN_MAX:  # an import of 100,000 names repeats many
            _NAME_PINYIN[han] = hit
    return list(hit)


def sort_key(name: str | None) -> str:
    """How a name sorts for people who write Chinese: 张伟 as `zhang wei`, among the Zs; others folded.

    Each CJK character becomes its toneless pinyin followed by the character itself, so
    homophones stay apart in a stable order; latin names lose case and accents (`Émile`
    among the Es). The store keeps it per contact (`contact.name_sort`, indexed), so a
    page of names in this order is an index walk at any size.
    """
    if not name:
        return ""
    if name.isascii():
        return name.lower()
    if not has_cjk(name):
        return _fold_accents(name).casefold()
    parts = [f"{_char_pinyin(ch) or ch} {ch} " if is_cjk(ch) else ch for ch in name]
    return _fold_accents("".join(parts)).casefold().strip()


def _fold_accents(text: str) -> str:
    """`Émile` → `Emile`: a latin letter sorts with its base letter, not after `z`."""
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


_PINYIN: dict[str, str] = {}
_NAME_PINYIN: dict[str, tuple[str, ...]] = {}
_NAME_PINYIN_MAX = 200_000


def _char_pinyin(ch: str) -> str:
    """One character's most common reading, toneless, cached.

    Per character rather than per name: pypinyin's phrase look-up costs ~60 µs a name, which
    made a 100,000-row import of Chinese names take seconds; the cache costs ~1 µs. Names
    are what is read here, and a name's characters are read one by one anyway.
    """
    hit = _PINYIN.get(ch)
    if hit is None:
        hit = _PINYIN[ch] = "".join(_lazy_pinyin()(ch, errors="ignore"))
    return hit


def _lazy_pinyin() -> Any:
    """pypinyin's `lazy_pinyin`, imported without its phrase dictionary when nothing loaded it yet.

    One character at a time, the phrase dictionary changes no reading (checked for all 41,923
    characters pypinyin 0.55 knows), and loading it (and training the segmenter on it) is
    ~250 ms of every import of Chinese names. The environment is put back after the import.
    """
    import os
    import sys

    if "pypinyin" not in sys.modules:
        saved = os.environ.get("PYPINYIN_NO_PHRASES")
        os.environ["PYPINYIN_NO_PHRASES"] = "1"
        try:
            import pypinyin  # noqa: F401
        finally:
            if saved is None:
                del os.environ["PYPINYIN_NO_PHRASES"]
            else:
                os.environ["PYPINYIN_NO_PHRASES"] = saved
    from pypinyin import lazy_pinyin

    return lazy_pinyin


def document(*parts: str | None, pinyin_of: str | None = None) -> str:
    """One FTS document from the given texts (None skipped), CJK split, pinyin appended."""
    # split part by part (the same text as splitting the whole): most parts of a contact's
    # document (e-mails, phones, tags) are ASCII and cost one `isascii` each
    text = " ".join(p if p.isascii() else split_cjk(p) for p in parts if p)
    extra = pinyin_tokens(pinyin_of) if pinyin_of and has_cjk(pinyin_of) else []
    return text + " " + " ".join(extra) if extra else text


def match_expression(term: str) -> str | None:
    """The FTS5 MATCH string for one user search term, or None when it has no letters.

    Latin words match as word prefixes (`ada` finds Ada, `acme` finds ada@acme.com);
    CJK runs match as adjacent single characters, anywhere in the text.
    """
    tokens = _WORD.findall(split_cjk(term.lower()))
    if not tokens:
        return None
    return _phrase(tokens)


def _phrase(tokens: list[str]) -> str:
    """A phrase query; the final latin token may be a prefix (FTS5 allows `"a" + "b"*`)."""
    body = " + ".join('"' + t.replace('"', '""') + '"' for t in tokens)
    if not (len(tokens[-1]) == 1 and is_cjk(tokens[-1])):
        body += "*"
    return body
