"""spaCy ``blank("ar")`` tokenizer, fixed for Arabic news text.

What the stock tokenizer gets wrong on news prose, and the fix:

* ``المغرب.وقال`` (a missing space after a full stop) is taken for a URL and kept as one
  token: the URL matcher now refuses strings containing Arabic letters, and an infix
  splits a period that is followed by a letter (``3.5`` stays one token);
* ``"مرحبا".`` / ``«مرحبا».`` keep the period glued to the closing quote: a period after a
  closing quote, bracket or digit is a suffix;
* ``الرباط،المغرب`` / ``لماذا؟قال`` / ``الأمن؛والاستقرار``: the Arabic comma, semicolon
  and question mark are infixes as well as suffixes; so are guillemets and curly quotes.

Tatweel and diacritics are letters-with-marks for the tokenizer and stay inside tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.lang.tokenizer_exceptions import URL_PATTERN
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

__all__ = ["TextKeepingTokenizer", "doc_text", "fix_tokenizer"]

_ARABIC_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_CLOSERS = "\"'”’»)\\]"

# URLs never contain Arabic letters in practice (IDNs are rare in news and would
# still be split into words, which is the useful reading for an Arabic-script domain).
_URL_RE = re.compile(f"(?u)^(?!.*[{_ARABIC_BLOCKS}])" + URL_PATTERN.lstrip("^"))

_EXTRA_SUFFIXES = [
    f"(?<=[{_CLOSERS}0-9])\\.",        # "مرحبا".  «مرحبا».  عام 2023.
    f"(?<=[{_CLOSERS}])[,،؛]",         # "مرحبا"،
]
_EXTRA_INFIXES = [
    f"(?<=[^\\W_])\\.(?=[{_ARABIC_BLOCKS}])",  # المغرب.وقال  2023.وفي  (not 3.5, not U.S)
    f"(?<=[{_CLOSERS}])\\.(?=\\w)",    # "كلام".وقال
    r"[،؛؟]",                          # الرباط،المغرب  لماذا؟قال
    r"[«»“”]",                         # قال«مرحبا»
]


# A run of Arabic letters, tatweel and harakat only: no prefix, suffix or infix rule of the
# Arabic defaults or of the fixes above can match inside it (each needs a digit, a
# punctuation mark, a symbol or a Latin letter), and it is most of what the tokenizer sees.
_PLAIN_ARABIC_RE = re.compile("[\u0621-\u063a\u0640-\u065f\u0670]+")


class _SkipPlainArabic:
    """A prefix/suffix/infix regex method that answers "no match" at once for a plain
    Arabic word (one fullmatch instead of trying every alternative of a long pattern at
    every position): the same results, faster.  ``__self__`` is the wrapped pattern, so
    spaCy still serialises the tokenizer's rules."""

    def __init__(self, method: Callable[[str], Any], no_match: Any) -> None:
        self.method = method
        self.no_match = no_match
        self.__self__ = method.__self__

    def __call__(self, text: str) -> Any:
        if _PLAIN_ARABIC_RE.fullmatch(text) is not None:
            return self.no_match
        return self.method(text)


def fix_tokenizer(nlp: Language) -> Language:
    """Install the news-text fixes on ``nlp.tokenizer`` (in place) and return ``nlp``."""
    prefixes = list(nlp.Defaults.prefixes or [])
    suffixes = list(nlp.Defaults.suffixes or []) + _EXTRA_SUFFIXES
    infixes = list(nlp.Defaults.infixes or []) + _EXTRA_INFIXES
    nlp.tokenizer.prefix_search = _SkipPlainArabic(compile_prefix_regex(prefixes).search, None)
    nlp.tokenizer.suffix_search = _SkipPlainArabic(compile_suffix_regex(suffixes).search, None)
    nlp.tokenizer.infix_finditer = _SkipPlainArabic(compile_infix_regex(infixes).finditer, ())
    nlp.tokenizer.url_match = _URL_RE.match
    return nlp


TEXT_KEY = "analysis.text"


class TextKeepingTokenizer:
    """Wraps a tokenizer and keeps the input string in ``doc.user_data``.

    spaCy rebuilds ``doc.text`` token by token on every access (about as slow as
    tokenising); components read the kept string through :func:`doc_text` instead.
    Every other attribute is the wrapped tokenizer's.
    """

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)


def doc_text(doc: Doc) -> str:
    """The text of ``doc``: the kept input string when present, else ``doc.text``."""
    text = doc.user_data.get(TEXT_KEY)
    return text if isinstance(text, str) else doc.text
