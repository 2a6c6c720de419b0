"""Finding risk words in a text: one pass of an Aho-Corasick automaton, then a look at each hit.

The automaton (`pyahocorasick`) finds every occurrence of every word in one pass over the text,
whatever the number of words; a loop of regular expressions would pass over the text once per
word. Each hit is then read in its clause, since words alone mislead:

- **Negation.** A hit preceded in its clause by a negator (没有, 没, 不, 未, 无, 并未, 别, 从未,
  否认 …) does not count: "没有打架" is not violence. Words that merely contain a negating
  character (不停, 不断, 无法 …) are not negators. The look-back stops at clause punctuation, so
  "没有人管，他们又打架了" still counts.
- **Quotation.** A hit inside book-title marks 《…》 is a title (a law, a programme) and never
  counts. A hit inside quotation marks is read from the opening mark (the quote is its own
  clause), and does not count when the quote is governed by a negated reporting verb
  ("他没有说‘要报复’").

This is a screen for a human reader, not a judgement: it errs on the side of raising.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

NEGATORS = (
    "并没有",
    "从没有",
    "没有",
    "从未",
    "并未",
    "否认",
    "不会",
    "不要",
    "没",
    "不",
    "未",
    "无",
    "别",
    "非",
)
# Words with a negating character that do not negate what follows.
NOT_NEGATORS = (
    "不停",
    "不断",
    "不少",
    "不得不",
    "无法",
    "无奈",
    "不了",
    "不住",
    "不顾",
    "无故",
    "毫不",
    "不但",
)
CLAUSE_BREAKS = frozenset("，。！？；,.!?;\n：:")
OPEN_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"', "'": "'"}
REPORTING_VERBS = ("说", "讲", "提", "喊", "称", "表示")
_QUOTE_MARKS = frozenset("《") | frozenset(OPEN_QUOTES)
LOOK_BACK = 8


@dataclass(frozen=True)
class Hit:
    theme: str
    word: str
    start: int


@dataclass
class Matcher:
    automaton: ahocorasick.Automaton | None
    words: int = 0
    themes: dict[str, set[str]] = field(default_factory=dict)

    def hits(self, text: str) -> list[Hit]:
        """Every counting hit in the text."""
        if self.automaton is None or not text:
            return []
        raw = list(self.automaton.iter(text))
        if not raw:
            # Most texts hold no risk word: they cost the automaton's pass and nothing more.
            return []
        quotes = _quote_spans(text) if _QUOTE_MARKS.intersection(text) else []
        found: list[Hit] = []
        for end, (theme, word) in raw:
            start = end - len(word) + 1
            if not _negated_or_titled(text, start, quotes):
                found.append(Hit(theme, word, start))
        return found

    def themes_in(self, text: str) -> dict[str, list[str]]:
        """The themes found in a text, each with its words in order of first appearance."""
        out: dict[str, list[str]] = {}
        for hit in self.hits(text):
            words = out.setdefault(hit.theme, [])
            if hit.word not in words:
                words.append(hit.word)
        return out


def build(words: Iterable[tuple[str, str]]) -> Matcher:
    """A matcher of (theme, word) pairs."""
    automaton = ahocorasick.Automaton()
    count = 0
    for theme, word in words:
        word = word.strip()
        if not word:
            continue
        existing = automaton.get(word, None)
        # A word listed under two themes counts for the first one given.
        if existing is None:
            automaton.add_word(word, (theme, word))
            count += 1
    if not count:
        return Matcher(None)
    automaton.make_automaton()
    return Matcher(automaton, count)


@dataclass(frozen=True)
class _Span:
    start: int  # the opening mark
    end: int  # the closing mark (or the text's end)
    title: bool


def _quote_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "《":
            close = text.find("》", i + 1)
            close = n if close < 0 else close
            spans.append(_Span(i, close, True))
            i = close + 1
            continue
        if ch in OPEN_QUOTES:
            close = text.find(OPEN_QUOTES[ch], i + 1)
            close = n if close < 0 else close
            spans.append(_Span(i, close, False))
            i = close + 1
            continue
        i += 1
    return spans


def _clause_before(text: str, start: int, floor: int) -> str:
    """Up to LOOK_BACK characters before `start`, not past a clause break or `floor`."""
    begin = start
    while begin > floor and start - begin < LOOK_BACK and text[begin - 1] not in CLAUSE_BREAKS:
        begin -= 1
    return text[begin:start]


def _negates(before: str) -> bool:
    for harmless in NOT_NEGATORS:
        before = before.replace(harmless, "　")
    return any(neg in before for neg in NEGATORS)


def _negated_or_titled(text: str, start: int, quotes: list[_Span]) -> bool:
    span = next((s for s in quotes if s.start < start <= s.end), None)
    if span is not None and span.title:
        return True
    if span is not None:
        if _negates(_clause_before(text, start, span.start + 1)):
            return True
        reporting = _clause_before(text, span.start, 0)
        return any(v in reporting for v in REPORTING_VERBS) and _negates(reporting)
    return _negates(_clause_before(text, start, 0))
