"""The demo ledger: every police district gets its households, persons with valid ID numbers,
tags and points on the map. (How long it takes is the demo's benchmark's to say, not a test's.)"""

from __future__ import annotations

from django.db.models import Count

from jingmin.ledger.demo import HOUSEHOLDS_SMALL, seed_ledger
from jingmin.ledger.identifiers import parse_id_number
from jingmin.ledger.models import Address, Household, Organisation, Person, PersonTag
from jingmin.org.demo import seed_org


def test_every_district_gets_a_ledger(db):
    org = seed_org(seed=7, size="small")
    counts = seed_ledger(seed=7, org=org)

    assert counts.households == HOUSEHOLDS_SMALL * len(org.districts)
    per_district = dict(Household.objects.values_list("district_id").annotate(n=Count("id")).order_by())
    assert set(per_district) == {d.pk for d in org.districts}
    assert all(n == HOUSEHOLDS_SMALL for n in per_district.values())
    assert counts.persons > counts.households
    assert Organisation.objects.count() == counts.organisations > 0
    # Each household has its head; each person lives in the district of the house.
    assert not Household.objects.filter(head__isnull=True).exists()
    for person in Person.objects.order_by("?")[:200]:
        parsed = parse_id_number(person.id_number)
        assert parsed.birth_date == person.birth_date and parsed.sex == person.sex
        assert person.house is not None and person.district_path == person.house.district_path
    assert PersonTag.objects.filter(tag__code="elderly-alone").exists()
    # Houses have points near their district's centre, for the coverage map.
    doors = Address.objects.filter(house__isnull=False)
    assert not doors.filter(latitude__isnull=True).exists()
    # A node above districts carries the common path of those beneath it.
    county = Address.objects.get(parent__isnull=True)
    assert county.district_id is None and county.district_path == org.bureau.path
