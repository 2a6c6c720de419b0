"""The service definitions a new installation starts with; administrators change them on the
service definitions page.

Plain data, so that the migration that seeds them does not depend on the model code of the day.
Between them these questions use every datatype of the specification, so that a partner can test
its client against each kind of answer on a fresh installation.
"""

from __future__ import annotations

from typing import Any

YES_NO = [{"key": "yes", "name": "是"}, {"key": "no", "name": "否"}]

# category code → [(code, datatype, required, variable, description, datatype_description, values)]
DEFAULT_ATTRIBUTES: dict[str, list[tuple[str, str, bool, bool, str, str, list[dict[str, str]]]]] = {
    "order-noise": [
        (
            "noise_source",
            "singlevaluelist",
            True,
            True,
            "噪音来自哪里？",
            "选择一项",
            [
                {"key": "renovation", "name": "装修"},
                {"key": "entertainment", "name": "娱乐场所"},
                {"key": "neighbour", "name": "邻居生活"},
                {"key": "construction", "name": "建筑施工"},
                {"key": "other", "name": "其他"},
            ],
        ),
        ("noise_since", "datetime", False, True, "噪音从什么时候开始？", "日期和时间", []),
        ("still_ongoing", "singlevaluelist", False, True, "现在还在持续吗？", "", YES_NO),
    ],
    "traffic-parking": [
        ("plate", "string", False, True, "车牌号（如能看清）", "例如 京A12345", []),
        ("vehicles", "number", False, True, "占道的车辆有几辆？", "数字", []),
        (
            "blocking",
            "multivaluelist",
            False,
            True,
            "堵住了什么？",
            "可多选",
            [
                {"key": "fire_lane", "name": "消防通道"},
                {"key": "driveway", "name": "出入口"},
                {"key": "sidewalk", "name": "人行道"},
                {"key": "bus_stop", "name": "公交站"},
                {"key": "lane", "name": "行车道"},
            ],
        ),
    ],
    "help-missing": [
        (
            "urgent_note",
            "string",
            False,
            False,
            "如有人员走失，尤其是老人或儿童，请立即拨打 110。",
            "",
            [],
        ),
        (
            "missing_kind",
            "singlevaluelist",
            True,
            True,
            "要找的是？",
            "选择一项",
            [
                {"key": "person", "name": "人员"},
                {"key": "pet", "name": "宠物"},
                {"key": "property", "name": "财物"},
            ],
        ),
        ("last_seen_at", "datetime", True, True, "最后一次看到是什么时候？", "日期和时间", []),
        ("features", "text", False, True, "体貌特征或物品特征", "可写多行", []),
    ],
    "safety-fire": [
        (
            "hazards",
            "multivaluelist",
            True,
            True,
            "发现了哪些消防隐患？",
            "可多选",
            [
                {"key": "blocked_exit", "name": "安全出口堵塞"},
                {"key": "corridor_storage", "name": "楼道堆放杂物"},
                {"key": "ebike_charging", "name": "电动车违规充电"},
                {"key": "wiring", "name": "私拉乱接电线"},
                {"key": "extinguisher", "name": "灭火器缺失或失效"},
            ],
        ),
        ("floor", "number", False, True, "在第几层？", "数字", []),
    ],
}


def seed_attributes(category_model: Any, attribute_model: Any) -> None:
    """Create the default questions that are missing; never changes existing rows.

    Takes the model classes so that the migration can pass its historical models. A category
    that an installation has removed or renamed is skipped.
    """
    for category_code, rows in DEFAULT_ATTRIBUTES.items():
        category = category_model.objects.filter(code=category_code).first()
        if category is None:
            continue
        for order, (code, datatype, required, variable, description, hint, values) in enumerate(rows, 1):
            if attribute_model.objects.filter(category=category, order=order).exclude(code=code).exists():
                continue
            attribute_model.objects.get_or_create(
                category=category,
                code=code,
                defaults={
                    "datatype": datatype,
                    "required": required,
                    "variable": variable,
                    "order": order,
                    "description": description,
                    "datatype_description": hint,
                    "values": values,
                },
            )
