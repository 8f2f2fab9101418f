"""Place-name keys: the one spelling under which the gazetteer files a name and looks it up.

Part of the places stage. Takes a name as written ("Qarəli", "El Marrah", "Tarnick’s Landing",
"U.S.") and returns a lower-case ASCII key, so that the spellings news and GeoNames use for one
place meet: case, diacritics, the Azerbaijani schwa, apostrophes and dotted abbreviations are
dropped, and the Arabic article and "tell" are written one way. Leading articles ("the", "al", "el") are
dropped by ``stripped_key`` only, because "El Salvador" must not swallow Salvador (Brazil): the
gazetteer files both keys and prefers the exact one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["is_latin_key", "name_key", "stripped_key"]

# Letters that Unicode decomposition does not reduce to ASCII but that transliterate plainly.
_LETTERS = str.maketrans(
    {
        "ə": "e", "Ə": "e", "ǝ": "e", "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o",
        "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th",
        "ð": "d", "ŋ": "n", "ħ": "h",
    }
)
# Apostrophes, ayn/hamza marks and dots vanish inside a word ("Tarnick's", "Sa'dan", "U.S."), and so does
# the replacement character that a badly decoded apostrophe leaves ("Cote d\ufffdIvoire").
_SILENT = re.compile(r"[.'’‘`´ʼʻʿʾ′\ufffd]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# One spelling for token variants that news and GeoNames write differently: the Arabic article, saints
# and forts; and the Arabic "tell" (mound) that begins many names ("Tel Abyad", GeoNames' "Tall Abyad").
_TOKENS = {"el": "al", "st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "&": "and"}
_FIRST_TOKENS = {"tel": "tall", "tell": "tall", "tal": "tall"}  # only before the rest of a name
_ARTICLES = ("the", "al")


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """The lookup key of ``name``: ASCII lower case, one space between tokens."""
    text = unicodedata.normalize("NFKD", name.translate(_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _SILENT.sub("", text.replace("&", " and "))
    tokens = [_TOKENS.get(tok, tok) for tok in _NON_ALNUM.sub(" ", text).split()]
    if len(tokens) > 1:
        tokens[0] = _FIRST_TOKENS.get(tokens[0], tokens[0])
    return " ".join(tokens)


def stripped_key(key: str) -> str:
    """``key`` without a leading article ("al marrah" -> "marrah"); the key itself if none."""
    head, _, rest = key.partition(" ")
    return rest if head in _ARTICLES and rest else key


def is_latin_key(key: str) -> bool:
    """True when a key kept some Latin letters: names in other scripts reduce to nothing."""
    return any("a" <= ch <= "z" for ch in key)
