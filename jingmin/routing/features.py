"""What the classifiers read: an appeal's words, and for the unit also where it came from.

The functions here are pickled by reference inside every stored model (they are the vectorisers'
analysers), so their names and module are part of the stored format: renaming one makes older
versions unloadable, which `model_store` then reports as such.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from jingmin.core.words import segmenter

# Separates an appeal's text from the tokens that say where it came from (district, station), so
# that one string carries both through scikit-learn's pipelines. A control character: no clerk
# types it, and `appeal_text` removes it from what they did type.
META = "\x1f"

# One segmenter per process, shared with the appeals' search.
_segmenter = segmenter


# Segmentation is the slowest step, and a training run segments every text once per fold and
# once more for the unit classifier; a suggestion segments the same words for both classifiers.
# Within `segmentation_memo` (per thread), each text is segmented once.
_local = threading.local()


@contextmanager
def segmentation_memo() -> Iterator[None]:
    outer = getattr(_local, "memo", None)
    _local.memo = {} if outer is None else outer
    try:
        yield
    finally:
        _local.memo = outer


def words(text: str) -> list[str]:
    """Words and their shorter parts (jieba's search mode: 派出所 gives 派出 and 派出所), which
    matches a word however the clerk happened to phrase around it."""
    text = text_part(text)
    memo: dict[str, list[str]] | None = getattr(_local, "memo", None)
    if memo is not None:
        found = memo.get(text)
        if found is not None:
            return found
    out = [w for w in _segmenter().lcut_for_search(text) if w.strip()]
    if memo is not None:
        # Interned: the same words recur in every text, and stay in memory only once.
        out = [sys.intern(w) for w in out]
        memo[text] = out
    return out


# Runs of five digits or more: phone, ID and account numbers. They say nothing about the category
# and must not end up in a model's vocabulary, which is stored with the model.
_LONG_NUMBER = re.compile(r"\d{5,}")


def text_part(value: str) -> str:
    """The appeal's words without what follows them (`with_meta`), long numbers masked."""
    return _LONG_NUMBER.sub("0", value.split(META, 1)[0])


def meta_tokens(value: str) -> list[str]:
    """Where the appeal is: its address as character bigrams (estates and roads are named in
    two-character steps), and the codes of its police district and intake unit."""
    _text, _sep, meta = value.partition(META)
    address, _sep, codes = meta.partition(META)
    address = "".join(address.split())
    bigrams = [f"@{address[i : i + 2]}" for i in range(len(address) - 1)]
    return bigrams + codes.split()


def appeal_text(title: str, content: str = "") -> str:
    parts = [p.replace(META, " ").strip() for p in (title, content)]
    return "\n".join(p for p in parts if p)


def with_meta(text: str, *, address: str = "", has_district: bool = False, intake: str = "") -> str:
    """The text, then where it is, for the unit classifier: which unit handles an appeal depends
    on where it is as much as on what it says. The text part is the category classifier's own, so
    a training run segments each appeal's words once for both."""
    codes = ["district:yes" if has_district else "district:no", f"intake:{intake}" if intake else ""]
    return text + META + address.replace(META, " ") + META + " ".join(c for c in codes if c)
