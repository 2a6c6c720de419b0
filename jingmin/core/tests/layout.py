"""Measuring a page's layout in the browser, for the browser tests.

`main_text_lines(page)` reads, for each element marked `.list-main` (a list's main text: an
appeal's title, a person's name, an audit row's action) and shown, how many characters each of
its lines holds, by the boxes of one-character ranges, and how wide its cell is in ems.
"""

from __future__ import annotations

from typing import Any

# Fewer characters than this on a line of a list's main text is unreadable on a phone.
MIN_CHARS_PER_LINE = 8

_MEASURE = """() => Array.from(document.querySelectorAll('.list-main'))
  .filter((el) => el.getClientRects().length > 0)
  .map((el) => {
    const counts = [];
    let top = null;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        if (/\\s/.test(node.data[i])) continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        if (!box) continue;
        // A new line starts where a character sits lower than half a line below the last one.
        if (top === null || box.top > top + box.height / 2) {
          counts.push(0);
          top = box.top;
        }
        counts[counts.length - 1] += 1;
      }
    }
    const cell = el.closest('td, li') || el.parentElement;
    const em = parseFloat(getComputedStyle(el).fontSize);
    return {text: el.textContent.trim().slice(0, 30), counts, room: cell.getBoundingClientRect().width / em};
  })"""


def main_text_lines(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(_MEASURE)


def cramped(measures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The main texts that wrap to lines of fewer than MIN_CHARS_PER_LINE characters (the last
    line of a text may be short), or whose cell has room for fewer."""
    return [
        m
        for m in measures
        if m["room"] < MIN_CHARS_PER_LINE
        or (len(m["counts"]) > 1 and min(m["counts"][:-1]) < MIN_CHARS_PER_LINE)
    ]
