"""Chinese words, as jieba cuts them: one segmenter per process, from the dictionary inside its
package (nothing is fetched; jieba keeps a cache of the parsed dictionary in the temporary
directory and rebuilds it if missing).

Loading the dictionary is the expensive part (about a second of CPU, more on a busy machine;
docs/benchmarks.md), so it happens once per process: at a web server's start
(`jingmin.core.warmup`), or at the first use elsewhere. Cutting a query afterwards takes about a
tenth of a millisecond.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from typing import Any

_jieba: Any = None
_jieba_lock = threading.Lock()
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# What separates words on its own: spaces and punctuation, half- and full-width.
_SEPARATORS = re.compile(r"[\s,.;:!?，。；：！？、（）()《》“”\"'‘’]+")


def segmenter() -> Any:
    """jieba, loaded once per process, quietly.

    jieba logs its start-up to stderr at DEBUG level through a handler of its own, and older
    setuptools warn on its `pkg_resources` import; neither says anything a person needs.
    """
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    warnings.simplefilter("ignore", UserWarning)
                    import jieba  # type: ignore[import-untyped]
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def query_words(text: str) -> list[str]:
    """The words a search must find, each of them, in order and without repeats: 烧烤店噪音 gives
    烧烤店 and 噪音, so an appeal about 烧烤店的噪音 is found.

    Spaces and punctuation separate words as typed; a run of Chinese is cut by jieba (precise
    mode). A single Chinese character is dropped when the query has longer Chinese words (的, 在,
    了 would otherwise have to appear too), and kept otherwise (the 座 of A座).
    """
    words: list[str] = []
    for part in _SEPARATORS.split(text):
        if not part:
            continue
        if _CJK.search(part):
            words.extend(_rejoin_single_characters([w for w in segmenter().lcut(part) if w.strip()]))
        else:
            words.append(part)
    if any(len(w) > 1 and _CJK.match(w) for w in words):
        words = [w for w in words if len(w) > 1 or not _CJK.match(w)]
    return list(dict.fromkeys(words))


def _rejoin_single_characters(cut: list[str]) -> list[str]:
    """Characters jieba left one by one, side by side, stay together as typed (很黑 is cut into
    很 and 黑, which alone would match almost anything); a single one between longer words
    stays single (the 的 of 烧烤店的噪音)."""
    out: list[str] = []
    run = ""
    for word in [*cut, ""]:
        if len(word) == 1 and _CJK.match(word):
            run += word
            continue
        if run:
            out.append(run)
            run = ""
        if word:
            out.append(word)
    return out
