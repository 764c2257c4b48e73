"""The words a knowledge base uses, and which words of a question it doesn't know.

A question word is known when the knowledge uses it (same stem, word family, or the
spelled-out form of an abbreviation) or when it is a near-miss spelling of a known word
("waht", "prodct"); the others are the question's unknown words.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from embeddings.encoder import Encoder
from embeddings.text import (
    INFLECTIONS,
    STOPWORDS,
    StemFamilies,
    content_words,
    expand,
    stem,
    transpositions,
)

TYPO_CUTOFF = 0.8
MIN_TYPO_LENGTH = 5
_LETTERS = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


class Vocabulary:
    def __init__(
        self,
        encoder: Encoder,
        texts: Iterable[str],
        *,
        ignore: Iterable[str] = (),
    ) -> None:
        ignored = set(ignore)
        self.words = sorted({w for t in texts for w in content_words(t)} - ignored)
        self._stems = {stem(w) for w in self.words}
        self._families = StemFamilies(self._stems)
        self._spelling_set = set(self.words) | STOPWORDS | ignored
        self._candidates = sorted(set(self.words) | ignored)  # what a typo may stand for
        self._encoder = encoder

    def _known_form(self, word: str, *, families: bool = True) -> bool:
        """Used by the knowledge as it is, by stem, spelled-out abbreviation or (`families`)
        word family."""
        if word in self._spelling_set:
            return True
        forms = [stem(w) for w in expand([word]) if w not in STOPWORDS]
        return any(f in self._stems or (families and self._families.related(f)) for f in forms)

    def spelling(self, word: str) -> str | None:
        """The word the knowledge uses that `word` misspells, if any ("reserach" -> "research").

        A word the model's vocabulary holds whole is a real word, never a misspelling ("deals"
        is not "details"), and so is an inflection of one ("worded" is not "worked").
        Swapped neighbours count for any other word ("waht"); other near-misses only for
        longer words, since short ones are too easily one letter from something ("hours" ~
        "ours").
        """
        if self._real_word(word):
            return None
        swapped = transpositions(word) & self._spelling_set
        if swapped:
            return min(swapped)
        if len(word) < MIN_TYPO_LENGTH:
            return None
        close = difflib.get_close_matches(word, self._candidates, n=1, cutoff=TYPO_CUTOFF)
        return close[0] if close else None

    def _real_word(self, word: str) -> bool:
        """The model's vocabulary holds the word whole, or the word less an inflection
        ("worded", "onboarding") with at least three letters left."""
        if self._encoder.is_word(word):
            return True
        return any(
            word.endswith(ending)
            and len(word) - len(ending) >= 3
            and self._encoder.is_word(word[: -len(ending)])
            for ending in INFLECTIONS
        )

    def knows(self, word: str) -> bool:
        """Used by the knowledge, directly, by stem, spelled out, or misspelled."""
        return self._known_form(word) or self.spelling(word) is not None

    def correct(self, text: str) -> str:
        """The text with misspelt words replaced by the knowledge's own spelling."""

        def fix(match: re.Match[str]) -> str:
            # A word family doesn't protect a misspelling: "feasibilty" shares the family of
            # "feasibility" by its stem, but the encoder reads it as noise.
            word = match.group(0)
            lowered = word.lower()
            if self._known_form(lowered, families=False):
                return word
            return self.spelling(lowered) or word

        return _LETTERS.sub(fix, text)

    def unknown(self, words: Sequence[str]) -> list[str]:
        return [w for w in dict.fromkeys(words) if not self.knows(w)]
