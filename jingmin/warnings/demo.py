"""Demo early warning: appeals planted in the demo officer's district that the rules pick up (one
caller four times, one address three times, risk words, a burst of one category), then the
nightly sweep over the whole demo bureau raises the signals (with the disputes' and the visits'
patterns). Deterministic per seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from jingmin.appeals.models import Appeal, Category
from jingmin.appeals.services import AppealInput, appeal_register
from jingmin.org.demo import DemoOrg
from jingmin.warnings.services import SweepResult, signals_sweep

RISKY = (
    ("讨薪无果扬言跳楼", "在工地干了半年没拿到工钱，老板一直拖欠工资，再不给就从楼上跳下去。"),
    ("邻居扬言报复", "因为停车问题吵架后，邻居说要让我们家好看，还说要报复。"),
    ("丈夫长期家暴", "我经常被老公打，孩子也害怕，希望派出所出面处理。"),
    ("没有打架，只是争吵", "昨晚和邻居吵了几句，没有打架，希望民警帮忙调解。"),
)


def seed_warnings(*, seed: int, org: DemoOrg, now: datetime | None = None) -> SweepResult:
    rng = random.Random(seed * 23 + 11)
    now = (now or timezone.now()).replace(microsecond=0)
    clerk = org.accounts["clerk"]
    district = org.accounts["officer"].unit
    leaves = list(Category.objects.filter(parent__isnull=False, is_active=True).order_by("pk"))
    noise = next((c for c in leaves if c.code == "order-noise"), leaves[0])

    def plant(
        title: str, content: str, *, phone: str, address: str, days: float, category: Category = noise
    ) -> Appeal:
        appeal, _ = appeal_register(
            actor=clerk,
            data=AppealInput(
                channel="phone",
                type="help",
                category=category,
                title=title,
                content=content,
                address=address,
                district=district,
                citizen_name="群众",
                citizen_phone=phone,
                received_at=now - timedelta(days=days),
            ),
        )
        return appeal

    for i in range(4):
        plant(
            "反复反映楼下烧烤油烟",
            "楼下烧烤店油烟直排，多次反映没有解决。",
            phone="13700001111",
            address=f"东风路{10 + i}号",
            days=20 - i * 5,
        )
    for i in range(3):
        plant(
            "小区门口积水",
            "小区门口下雨就积水，出行困难。",
            phone=f"1360000{2000 + i}",
            address="东风路88号",
            days=15 - i * 4,
        )
    for i, (title, content) in enumerate(RISKY):
        plant(
            title, content, phone=f"1350000{3000 + i}", address=f"西城街{i + 1}号", days=rng.uniform(0.5, 6)
        )
    burst = leaves[(seed % (len(leaves) - 1)) + 1] if len(leaves) > 1 else noise
    for i in range(12):
        plant(
            "夜间货车噪音",
            "夜间大货车频繁经过，鸣笛扰民。",
            phone=f"1340000{4000 + i}",
            address=f"环城路{i + 1}号",
            days=rng.uniform(0.1, 6),
            category=burst,
        )
    return signals_sweep(now=now)
