"""How many reworded duplicates the intake form offers: recall on generated pairs.

Each pair is an open appeal and a second contact about the same matter in other words: another
of the demo's texts of the same category (`jingmin.appeals.demo.TEXTS`), with its own details.
Half come from the same caller (same phone, another or no address), half from a neighbour (same
address, another phone). The second contact is looked up as the intake form does, and the pair
counts as found when the first appeal is among the duplicates offered (at most
`ROUTING_DUPLICATE_LIMIT`). All pairs are registered in the same police district, so every other
pair's appeals compete with the right one. The figures are printed and stated in docs/routing.md.
"""

from __future__ import annotations

import random
from collections import defaultdict

from jingmin.appeals import services
from jingmin.appeals.demo import TEXTS
from jingmin.appeals.models import Category
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.routing.duplicates import likely_duplicates

PAIRS_PER_KIND = 40
SEED = 13

_GENERIC = {
    "road": ("人民路", "解放街", "建设路", "中山路", "新华街"),
    "community": ("东门小区", "阳光花园", "幸福家园", "滨江新村", "翠湖苑"),
    "shop": ("烧烤店", "KTV", "便利店", "麻将馆", "网吧"),
    "habit": ("每天晚上11点以后", "最近一周每晚", "周末白天"),
    "when": ("今天下午3点左右", "昨晚10点左右", "前天晚上"),
    "tail": ("希望民警尽快处理。", "请派出所帮忙协调解决。", "谢谢！"),
    "relation": ("父亲", "母亲", "孩子"),
}


def _fill(template: str, vocab: dict[str, tuple[str, ...]], rng: random.Random) -> str:
    slots: dict[str, object] = defaultdict(lambda: rng.choice(("这个情况", "相关事项", "有关问题")))
    for key, choices in {**_GENERIC, **vocab}.items():
        slots[key] = rng.choice(choices)
    for key in ("no", "bldg", "n", "old", "rate", "amount", "months", "years", "ago"):
        slots[key] = rng.randint(2, 90)
    slots["addr"] = f"{slots['community']}{rng.randint(1, 30)}栋"
    slots["plate"] = "浙A·" + "".join(rng.choice("ABCDE0123456789") for _ in range(5))
    return template.format_map(slots)


def _texts(code: str, rng: random.Random) -> tuple[tuple[str, str], tuple[str, str]]:
    """Two different tellings of a matter of this category: two templates where there are two,
    otherwise the same template with other details."""
    texts = TEXTS[code]
    first, second = rng.sample(texts.pairs, 2) if len(texts.pairs) > 1 else (texts.pairs[0],) * 2
    return (
        (_fill(first[1], texts.vocab, rng)[:120], _fill(first[2], texts.vocab, rng)),
        (_fill(second[1], texts.vocab, rng)[:120], _fill(second[2], texts.vocab, rng)),
    )


def test_reworded_duplicates_are_found_by_caller_and_address(persona, settings):
    rng = random.Random(SEED)
    categories = {c.code: c for c in Category.objects.filter(code__in=TEXTS, parent__isnull=False)}
    codes = sorted(categories)
    pairs = []
    for i in range(2 * PAIRS_PER_KIND):
        code = rng.choice(codes)
        (title, content), (title2, content2) = _texts(code, rng)
        phone, address = f"139{i:08d}", f"测试路{i + 1}号{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元"
        first, _created = services.appeal_register(
            actor=persona.clara,
            data=appeal_input(
                category=categories[code],
                title=title,
                content=content,
                address=address,
                citizen_phone=phone,
                district=persona.district_a1,
            ),
        )
        same_caller = i % 2 == 0
        second = {
            "title": title2,
            "content": content2,
            "address": "" if same_caller else address,
            "citizen_phone": phone if same_caller else f"137{i:08d}",
        }
        pairs.append((first.pk, second, same_caller))

    found_words = found_keys = offered_others = 0
    by_kind = {True: 0, False: 0}
    for pk, second, same_caller in pairs:
        words = likely_duplicates(
            actor=persona.clara,
            title=second["title"],
            content=second["content"],
            district=persona.district_a1,
        )
        keys = likely_duplicates(
            actor=persona.clara,
            title=second["title"],
            content=second["content"],
            address=second["address"],
            citizen_phone=second["citizen_phone"],
            district=persona.district_a1,
        )
        found_words += pk in [d.pk for d in words]
        hit = pk in [d.pk for d in keys]
        found_keys += hit
        by_kind[same_caller] += hit
        offered_others += sum(d.pk != pk for d in keys)
    n = len(pairs)
    print(
        f"\n{n} reworded pairs: recall by words alone {found_words / n:.0%}, "
        f"with caller and address {found_keys / n:.0%} "
        f"(same caller {by_kind[True] / (n // 2):.0%}, same address {by_kind[False] / (n // 2):.0%}); "
        f"{offered_others / n:.1f} other appeals offered per contact"
    )
    assert found_keys == n, "every pair shares a caller or an address: each must be found"
    assert found_words < found_keys
