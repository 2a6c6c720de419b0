"""The staff directory pages through a large unit and keeps its filters while paging."""

import pytest
from django.urls import reverse

from conftest import make_user, signed_in
from jingmin.org.roles import Role


@pytest.mark.django_db
def test_paging_keeps_the_filters(persona):
    for i in range(35):
        make_user(f"officer{i:02d}", persona.district_a2, Role.OFFICER, f"王警官{i:02d}")
    client = signed_in(persona.chen)
    first = client.get(reverse("org:staff"), {"q": "王警官", "role": "officer"})
    assert len(first.context["page"]) == 30
    page = first.content.decode()
    assert "?q=%E7%8E%8B%E8%AD%A6%E5%AE%98&amp;role=officer&amp;page=2" in page
    second = client.get(reverse("org:staff"), {"q": "王警官", "role": "officer", "page": "2"})
    assert len(second.context["page"]) == 5
