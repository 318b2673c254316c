"""VocabularyFilterName + VocabularyFilterMethod on streaming results: one post-processing stage.

Matching is the shared matcher's job (``workers.pipeline.vocabulary_filter.find_matches``: word-index
spans ``[start, end)`` over the words given); this stage only applies AWS's three methods to the
result's items: ``mask`` writes ``***`` for each matched word, ``remove`` drops the words (and the
punctuation they carry), ``tag`` keeps them and sets ``VocabularyFilterMatch: true``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from services.streaming.results import PRONUNCIATION, PUNCTUATION, Item

Matcher = Callable[[Sequence[str], Sequence[str]], list[tuple[int, int]]]
MASK = "***"


def matcher() -> Matcher | None:
    """The shared matcher, or None when this build does not have it yet."""
    try:
        from workers.pipeline.vocabulary_filter import find_matches
    except ImportError:
        return None
    return find_matches  # type: ignore[no-any-return,unused-ignore]


class FilterStage:
    def __init__(self, match: Matcher, words: Sequence[str], method: str) -> None:
        self.match = match
        self.words = list(words)
        self.method = method

    def __call__(self, items: list[Item]) -> tuple[list[Item], list[dict[str, Any]] | None]:
        word_at = [i for i, it in enumerate(items) if it["Type"] == PRONUNCIATION]
        hits: set[int] = set()
        for start, end in self.match([items[i]["Content"] for i in word_at], self.words):
            hits.update(word_at[start:end])
        if not hits:
            return items, None
        if self.method == "tag":
            return [{**it, "VocabularyFilterMatch": True} if i in hits else it for i, it in enumerate(items)], None
        if self.method == "mask":
            return [{**it, "Content": MASK, "VocabularyFilterMatch": True} if i in hits else it
                    for i, it in enumerate(items)], None
        out: list[Item] = []
        dropping = False
        for i, it in enumerate(items):
            if i in hits:
                dropping = True
                continue
            if dropping and it["Type"] == PUNCTUATION:
                continue  # the removed word's own punctuation goes with it
            dropping = False
            out.append(it)
        return out, None
