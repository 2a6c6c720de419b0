"""The categories a new installation starts with; administrators change them on the settings page.

Kept as plain data so that the migration that seeds them does not depend on the model code of
the day.
"""

from __future__ import annotations

from typing import Any

# (code, Chinese name, English name, [(code, Chinese name, English name), ...])
DEFAULT_TAXONOMY: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "order",
        "治安管理",
        "Public order",
        [
            ("order-noise", "噪音扰民", "Noise"),
            ("order-fight", "打架斗殴", "Fights"),
            ("order-gambling", "涉赌涉黄", "Gambling and vice"),
            ("order-suspicious", "可疑人员物品", "Suspicious people or objects"),
            ("order-other", "其他治安问题", "Other public order"),
        ],
    ),
    (
        "traffic",
        "交通管理",
        "Traffic",
        [
            ("traffic-parking", "违停占道", "Illegal parking"),
            ("traffic-accident", "交通事故", "Traffic accident"),
            ("traffic-order", "交通秩序", "Traffic order"),
        ],
    ),
    (
        "household",
        "户政证件",
        "Household registration and ID",
        [
            ("household-hukou", "户口办理", "Household registration"),
            ("household-idcard", "身份证办理", "ID card"),
            ("household-residence", "居住证", "Residence permit"),
            ("household-certificate", "开具证明", "Certificates"),
        ],
    ),
    (
        "fraud",
        "反诈防骗",
        "Fraud",
        [
            ("fraud-telecom", "电信网络诈骗", "Telecom and online fraud"),
            ("fraud-pyramid", "非法集资传销", "Illegal fund-raising"),
        ],
    ),
    (
        "help",
        "群众求助",
        "Help",
        [
            ("help-missing", "寻人寻物", "Missing persons or property"),
            ("help-elderly", "老人儿童救助", "Elderly and children in need"),
            ("help-other", "其他求助", "Other help"),
        ],
    ),
    (
        "dispute",
        "矛盾纠纷",
        "Disputes",
        [
            ("dispute-neighbour", "邻里纠纷", "Neighbours"),
            ("dispute-family", "家庭婚姻纠纷", "Family and marriage"),
            ("dispute-wages", "劳资纠纷", "Wages owed"),
            ("dispute-property", "物业纠纷", "Property management"),
        ],
    ),
    (
        "safety",
        "安全隐患",
        "Safety hazards",
        [
            ("safety-fire", "消防隐患", "Fire hazards"),
            ("safety-facility", "公共设施隐患", "Public facilities"),
        ],
    ),
    (
        "conduct",
        "警风警纪",
        "Police conduct",
        [
            ("conduct-attitude", "服务态度", "Attitude"),
            ("conduct-inaction", "推诿不作为", "Inaction"),
            ("conduct-procedure", "执法程序", "Procedure"),
        ],
    ),
    ("other", "其他", "Other", [("other-other", "其他事项", "Other matters")]),
]

# (urgency, sign, contact, conclude) as (amount, unit): the GUIDE's published defaults.
DEFAULT_POLICIES: list[tuple[str, tuple[int, str], tuple[int, str], tuple[int, str]]] = [
    ("emergency", (1, "hours"), (1, "hours"), (2, "hours")),
    ("urgent", (2, "hours"), (12, "hours"), (24, "hours")),
    ("general", (2, "hours"), (24, "hours"), (7, "working_days")),
    ("complex", (2, "hours"), (24, "hours"), (15, "working_days")),
]


def seed_defaults(category_model: Any, policy_model: Any) -> None:
    """Create the default categories and clocks that are missing; never changes existing rows.

    Takes the model classes so that the migration can pass its historical models.
    """
    for i, (code, name, name_en, children) in enumerate(DEFAULT_TAXONOMY):
        parent, _ = category_model.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": i * 10}
        )
        for j, (child_code, child_name, child_en) in enumerate(children):
            category_model.objects.get_or_create(
                code=child_code,
                defaults={"name": child_name, "name_en": child_en, "parent": parent, "position": j},
            )
    for urgency, sign, contact, conclude in DEFAULT_POLICIES:
        policy_model.objects.get_or_create(
            type="",
            urgency=urgency,
            defaults={
                "sign_amount": sign[0],
                "sign_unit": sign[1],
                "contact_amount": contact[0],
                "contact_unit": contact[1],
                "conclude_amount": conclude[0],
                "conclude_unit": conclude[1],
            },
        )
