"""The care tags the ledger starts with (标签): facts that call for care, not labels of suspicion."""

from __future__ import annotations

from typing import Any

# (code, Chinese name, English name)
DEFAULT_TAGS = [
    ("elderly-alone", "独居老人", "Elderly living alone"),
    ("empty-nest", "空巢老人", "Empty-nest elderly"),
    ("left-behind-child", "留守儿童", "Left-behind child"),
    ("hardship", "困难家庭", "Family in hardship"),
    ("disabled", "残疾人", "Person with a disability"),
    ("serious-illness", "重病患者", "Serious illness"),
    ("veteran", "退役军人", "Veteran"),
]


def seed_tags(tag_model: Any) -> None:
    """Create the default tags that are missing; names changed since are left as they are."""
    for position, (code, name, name_en) in enumerate(DEFAULT_TAGS):
        tag_model.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )
