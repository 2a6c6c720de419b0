"""Risk words: how many appeal texts a second one process scans against a thousand words.

Run from the repository root:

    .venv/bin/python bench/risk_words_bench.py --texts 1000000 --words 1000

What it does (no database):

1. Makes `--words` risk words: the default lists, then made-up two- to four-character words of
   common characters, spread over the themes — as a bureau's grown lists would be.
2. Makes `--texts` appeal texts of 40 to 160 characters from a vocabulary of everyday complaint
   phrases; one text in fifty carries a risk word, one in four of those negated ("没有打架").
3. Times building the automaton and scanning every text with `Matcher.themes_in` (the automaton
   pass plus the negation and quotation reading of each hit), and, for comparison, a loop of one
   compiled regular expression per word over the first `--regex-sample` texts. Prints Markdown.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchenv import figure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PHRASES = (
    "楼上每晚装修噪音",
    "小区门口车辆乱停",
    "路灯坏了很久没人修",
    "楼道堆放杂物",
    "物业不作为",
    "垃圾没人清运",
    "夜市油烟扰民",
    "广场舞音响太大",
    "电动车在楼道充电",
    "下水道堵塞",
    "邻居养狗不拴绳",
    "出租屋人员复杂",
    "快递柜被占用",
    "学校门口拥堵",
    "希望民警帮忙处理",
    "已经反映过多次",
    "请尽快解决",
    "影响老人休息",
    "孩子上学不安全",
    "晚上十点以后",
    "东门小区三栋",
    "西城街道办事处",
    "我是附近的居民",
    "谢谢",
)
COMMON = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
THEMES = ("self_harm", "violence", "revenge", "explosives", "wages", "domestic", "gathering", "extreme")


def make_words(n: int, rng: random.Random) -> list[tuple[str, str]]:
    from jingmin.warnings.defaults import DEFAULT_WORDS

    words = [(t, w) for t, ws in DEFAULT_WORDS.items() for w in ws]
    seen = {w for _t, w in words}
    while len(words) < n:
        w = "".join(rng.choice(COMMON) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append((rng.choice(THEMES), w))
    return words[:n]


def make_texts(n: int, rng: random.Random, risky: list[str]) -> list[str]:
    texts = []
    for i in range(n):
        parts: list[str] = []
        length = rng.randint(40, 160)
        while sum(len(p) for p in parts) < length:
            parts.append(rng.choice(PHRASES))
        if i % 50 == 0:
            word = rng.choice(risky)
            parts.insert(rng.randrange(len(parts)), ("没有" if i % 200 == 0 else "扬言") + word)
        texts.append("，".join(parts) + "。")
    return texts


SIZES = {"small": (20_000, 2_000), "city": (1_000_000, 20_000)}


def measure(texts_n: int, words_n: int, regex_sample: int, seed: int) -> dict[str, float]:
    from jingmin.warnings.defaults import DEFAULT_WORDS
    from jingmin.warnings.matcher import build

    rng = random.Random(seed)  # noqa: S311 (made-up data, not a secret)
    words = make_words(words_n, rng)
    risky = [w for ws in DEFAULT_WORDS.values() for w in ws]
    started = time.perf_counter()
    texts = make_texts(texts_n, rng, risky)
    made = time.perf_counter() - started
    chars = sum(map(len, texts))

    started = time.perf_counter()
    matcher = build(words)
    build_s = time.perf_counter() - started

    started = time.perf_counter()
    flagged = sum(1 for t in texts if matcher.themes_in(t))
    scan_s = time.perf_counter() - started

    sample = texts[:regex_sample]
    patterns = [re.compile(re.escape(w)) for _t, w in words]
    started = time.perf_counter()
    regex_flagged = sum(1 for t in sample if any(p.search(t) for p in patterns))
    regex_s = time.perf_counter() - started
    return {
        "texts": len(texts),
        "words": len(words),
        "characters": chars,
        "made_s": made,
        "build_s": build_s,
        "scan_s": scan_s,
        "flagged": flagged,
        "regex_texts": len(sample),
        "regex_s": regex_s,
        "regex_flagged": regex_flagged,
    }


def figures(scale: str) -> Iterator[dict[str, Any]]:
    texts, sample = SIZES[scale]
    m = measure(texts, 1000, sample, 2026)
    yield figure("risk words: automaton built (1,000 words)", [m["build_s"] * 1000], words=m["words"])
    yield figure(
        f"risk words: scan with negation and quotation, {m['texts']:,} texts against {m['words']:,} words",
        per_s=m["texts"] / m["scan_s"],
        seconds=round(m["scan_s"], 1),
        characters_per_s=round(m["characters"] / m["scan_s"]),
        flagged=m["flagged"],
        texts=m["texts"],
    )
    yield figure(
        f"risk words: loop of {m['words']:,} regular expressions, {m['regex_texts']:,} texts",
        per_s=m["regex_texts"] / m["regex_s"],
        seconds=round(m["regex_s"], 1),
        flagged=m["regex_flagged"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=int, default=1_000_000)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--regex-sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    m = measure(args.texts, args.words, args.regex_sample, args.seed)
    texts, chars, scan_s = m["texts"], m["characters"], m["scan_s"]
    print(f"| texts | {texts:,} ({chars / texts:.0f} characters on average; made in {m['made_s']:.1f} s) |")
    print(f"| risk words | {m['words']:,} |")
    print(f"| automaton built | {m['build_s'] * 1000:.1f} ms |")
    print(
        f"| scan with negation and quotation | {scan_s:.1f} s: **{texts / scan_s:,.0f} texts/s** ({chars / scan_s / 1e6:.1f} M characters/s) |"
    )
    print(f"| texts flagged | {m['flagged']:,} |")
    print(
        f"| loop of {m['words']:,} regular expressions, first {m['regex_texts']:,} texts | {m['regex_s']:.1f} s: {m['regex_texts'] / m['regex_s']:,.0f} texts/s ({m['regex_flagged']:,} flagged, negation not read) |"
    )


if __name__ == "__main__":
    main()
