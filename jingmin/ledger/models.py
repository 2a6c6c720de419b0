"""The live ledger (一标三实): standard addresses, real houses, real population, real organisations.

Every record hangs off a standard address and carries the police district responsible for it and a
copy of that district's path (`district_path`), so that scope is one indexed prefix match, as for
appeals. ID numbers and phones are stored encrypted beside a keyed hash for exact search. Changes
are kept in `LedgerChange`, an append-only table written by the services in the same transaction
as the change.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingmin.core.crypto import EncryptedTextField, mask


class AddressKind(models.TextChoices):
    DIVISION = "division", _("Administrative division")
    ROAD = "road", _("Road or lane")
    NUMBER = "number", _("Door number")
    BUILDING = "building", _("Building")
    UNIT = "unit", _("Entrance unit")
    FLOOR = "floor", _("Floor")
    ROOM = "room", _("Room")


# The order of the standard address: a node's kind never comes before its parent's (divisions
# nest in divisions; a floor may be skipped, a room may hang directly off a door number).
ADDRESS_KIND_ORDER: dict[str, int] = {kind.value: i for i, kind in enumerate(AddressKind)}


class Address(models.Model):
    """A node of the standard address tree (标准地址).

    `path` is a materialised path of zero-padded ids, as for org.Unit, so that a subtree is one
    prefix match. Nodes below a police district carry that district; a node above districts (a
    county, a street spanning two districts) has none, and its `district_path` is the common
    prefix of the paths of the districts beneath it, so that the one scope rule also tells who
    may browse through it.
    """

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AddressKind.choices)
    name = models.CharField(_("name"), max_length=60)
    full_name = models.CharField(_("full address"), max_length=300, editable=False)
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    district = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("police district"),
    )
    district_path = models.CharField(max_length=255, blank=True, editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Overlapping character bigrams of the full address, for the full-text index (migration 0002).
    search_tokens = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("standard address")
        verbose_name_plural = _("standard addresses")
        # The natural key of an address is its chain of names: one child of a name per parent.
        constraints = [
            models.UniqueConstraint(fields=["parent", "kind", "name"], name="address_unique_child"),
            models.UniqueConstraint(
                fields=["kind", "name"], condition=Q(parent__isnull=True), name="address_unique_root"
            ),
        ]
        indexes = [
            models.Index(
                fields=["district_path", "path"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                name="address_scope_path",
            ),
            models.Index(fields=["full_name"], opclasses=["varchar_pattern_ops"], name="address_full_name"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.name

    @staticmethod
    def path_segment(pk: int) -> str:
        return f"{pk:010d}/"


class HouseUse(models.TextChoices):
    RESIDENTIAL = "residential", _("Lived in by the owner")
    RENTED = "rented", _("Rented out")
    COMMERCIAL = "commercial", _("Commercial")
    MIXED = "mixed", _("Lived in and commercial")
    VACANT = "vacant", _("Vacant")
    OTHER = "other", _("Other")


class House(models.Model):
    """A real house (实有房屋): the dwelling or premises behind one door."""

    address = models.OneToOneField(
        Address,
        on_delete=models.PROTECT,
        related_name="house",
        verbose_name=pgettext_lazy("street address", "address"),
    )
    use = models.CharField(_("use"), max_length=16, choices=HouseUse.choices, default=HouseUse.RESIDENTIAL)
    rented = models.BooleanField(_("rented"), default=False)
    owner_name = models.CharField(_("owner"), max_length=60, blank=True)
    owner_phone = EncryptedTextField(_("owner's phone"), blank=True)
    owner_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    area = models.DecimalField(_("floor area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("police district")
    )
    district_path = models.CharField(max_length=255, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["address__path"]
        verbose_name = _("house")
        verbose_name_plural = _("houses")
        indexes = [
            models.Index(
                fields=["district_path", "id"],
                opclasses=["varchar_pattern_ops", "int8_ops"],
                name="house_scope",
            ),
        ]

    def __str__(self) -> str:
        return str(self.address)

    @property
    def owner_phone_masked(self) -> str:
        return mask(self.owner_phone)


class Household(models.Model):
    """A household (户) living in a house; coverage counts the active households of a district."""

    house = models.ForeignKey(
        House, on_delete=models.PROTECT, related_name="households", verbose_name=_("house")
    )
    number = models.CharField(_("household number"), max_length=30, blank=True)
    head = models.ForeignKey(
        "Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("head of household"),
    )
    note = models.TextField(_("note"), blank=True)
    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("police district")
    )
    district_path = models.CharField(max_length=255, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["house", "number", "id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [models.UniqueConstraint(fields=["house", "number"], name="household_unique_number")]
        indexes = [
            models.Index(
                fields=["district_path", "id"],
                opclasses=["varchar_pattern_ops", "int8_ops"],
                condition=Q(is_active=True),
                name="household_active_scope",
            ),
            models.Index(
                fields=["district", "id"], condition=Q(is_active=True), name="household_active_district"
            ),
            # The drill-down of visit coverage: the scope's households, newest first.
            models.Index(
                fields=["created_at", "id"], condition=Q(is_active=True), name="household_active_created"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.house} {self.number}".strip()


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    UNKNOWN = "unknown", _("Unknown")


class Residence(models.TextChoices):
    REGISTERED = "registered", _("Registered resident")
    FLOATING = "floating", _("Floating population")
    FOREIGN = "foreign", _("Foreign national")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other")


class LeaveReason(models.TextChoices):
    MOVED_OUT = "moved_out", _("Moved out")
    DECEASED = "deceased", _("Deceased")
    DUPLICATE = "duplicate", _("Duplicate record")


class Tag(models.Model):
    """A care tag (elderly living alone, left-behind child...): a fact for care, not a label for
    suspicion."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("care tag")
        verbose_name_plural = _("care tags")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A real person (实有人口). Persons leave by deactivation (moved out, deceased), never deletion."""

    name = models.CharField(_("name"), max_length=60)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    # A keyed hash of the 18-digit ID number: exact search, and one active person per number.
    id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    residence = models.CharField(
        _("residence status"), max_length=16, choices=Residence.choices, default=Residence.REGISTERED
    )
    nationality = models.CharField(_("nationality"), max_length=40, blank=True)
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("household"),
    )
    relation = models.CharField(
        _("relation to the head"), max_length=16, choices=Relation.choices, blank=True
    )
    house = models.ForeignKey(
        House,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("lives at"),
    )
    tags: models.ManyToManyField[Tag, PersonTag] = models.ManyToManyField(
        Tag, through="PersonTag", related_name="persons", blank=True, verbose_name=_("care tags")
    )
    note = models.TextField(_("note"), blank=True)
    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("police district")
    )
    district_path = models.CharField(max_length=255, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    left_reason = models.CharField(
        _("reason for leaving"), max_length=16, choices=LeaveReason.choices, blank=True
    )
    left_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(
                fields=["id_hash"],
                condition=Q(is_active=True) & ~Q(id_hash=""),
                name="person_active_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, left_reason="") | Q(is_active=False) & ~Q(left_reason=""),
                name="person_left_has_reason",
            ),
        ]
        indexes = [
            # Search by name within a scope, and the scope's list in keyset pages (name, id).
            models.Index(
                fields=["name", "id"], opclasses=["varchar_pattern_ops", "int8_ops"], name="person_name"
            ),
            models.Index(
                fields=["district_path", "name", "id"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "int8_ops"],
                name="person_scope_name",
            ),
            # An officer's list: one district's persons, newest first, read in index order.
            models.Index(
                fields=["district_path", "id"],
                opclasses=["varchar_pattern_ops", "int8_ops"],
                name="person_scope_id",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number, keep_start=4, keep_end=4)

    @property
    def phone_masked(self) -> str:
        return mask(self.phone)


class PersonTag(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "tag"], name="person_tag_unique")]
        indexes = [models.Index(fields=["tag", "person"], name="person_tag_by_tag")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.tag_id}"


class OrganisationKind(models.TextChoices):
    SHOP = "shop", _("Shop")
    COMPANY = "company", _("Company")
    SCHOOL = "school", _("School")
    HOSPITAL = "hospital", _("Hospital or clinic")
    RESTAURANT = "restaurant", _("Restaurant")
    HOTEL = "hotel", _("Hotel")
    GOVERNMENT = "government", _("Government office")
    SOCIAL = "social", _("Social organisation")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """A real organisation (实有单位): shops, companies, schools at a standard address."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=16, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    address = models.ForeignKey(
        Address,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=pgettext_lazy("street address", "address"),
    )
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    contact_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("police district")
    )
    district_path = models.CharField(max_length=255, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="organisation_credit_code_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["district_path", "name", "id"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "int8_ops"],
                name="organisation_scope_name",
            ),
            models.Index(fields=["address", "name"], name="organisation_address_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_phone_masked(self) -> str:
        return mask(self.contact_phone)


class RecordType(models.TextChoices):
    ADDRESS = "address", pgettext_lazy("street address", "Address")
    HOUSE = "house", _("House")
    HOUSEHOLD = "household", _("Household")
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", pgettext_lazy("ledger", "Organisation")


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Record created")
    UPDATE = "update", _("Record changed")
    DEACTIVATE = "deactivate", _("Record deactivated")
    REACTIVATE = "reactivate", _("Record reactivated")


class ChangeSource(models.TextChoices):
    FORM = "form", _("Form")
    IMPORT = "import", _("Excel import")
    VISIT = "visit", _("Visit")
    SYSTEM = "system", _("System")


class LedgerChange(models.Model):
    """One change to one ledger record: who, when, through what, and each field's old and new value
    (identifiers masked). Appended by the services in the transaction of the change, never updated.
    """

    record_type = models.CharField(max_length=16, choices=RecordType.choices)
    record_id = models.BigIntegerField()
    action = models.CharField(max_length=16, choices=ChangeAction.choices)
    source = models.CharField(max_length=16, choices=ChangeSource.choices, default=ChangeSource.FORM)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=50, blank=True)
    # {field: [old, new]}, with ID numbers and phones masked: the history never holds them in clear.
    changes = models.JSONField(default=dict, blank=True)
    district_path = models.CharField(max_length=255, blank=True)
    import_run = models.ForeignKey(
        "ImportRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set by the create forms, so that a retried submission returns the record made the first time.
    submission_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("ledger change")
        verbose_name_plural = _("ledger changes")
        indexes = [models.Index(fields=["record_type", "record_id", "at"], name="ledger_change_record")]

    def __str__(self) -> str:
        return f"{self.record_type}#{self.record_id} {self.action}"


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all-or-nothing", _("All or nothing")
    VALID_ROWS = "valid-rows", _("Import the valid rows")


class ImportState(models.TextChoices):
    CHECKING = "checking", _("Checking the file")
    PREVIEWED = "previewed", _("Checked, waiting for confirmation")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Nothing imported")
    FAILED = "failed", _("Failed")


def import_file_path(instance: ImportRun, filename: str) -> str:
    # A random name: the original name is kept in the row, never trusted as a path.
    return f"ledger/imports/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.xlsx"


class ImportRun(models.Model):
    """One upload of a legacy ledger workbook: its check (preview), then its import."""

    # Empty for imports from the command line, which read the file where it lies.
    file = models.FileField(upload_to=import_file_path, max_length=200, blank=True)
    original_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    mode = models.CharField(max_length=16, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)
    state = models.CharField(max_length=16, choices=ImportState.choices, default=ImportState.CHECKING)
    # What the worker is doing now, for the progress shown while it runs ("check", "write").
    phase = models.CharField(max_length=16, blank=True)
    # Rows are accepted only for districts under this unit (the importing chief's station).
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, editable=False)
    # Null for the command line (`manage.py ledger_import`).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    dry_run = models.BooleanField(default=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # {"persons": {"valid": n, "created": n, "updated": n, "unchanged": n}, ...}
    counts = models.JSONField(default=dict, blank=True)
    # [{"sheet", "row", "column", "value", "reason"}, ...] — the first ones, for the page.
    rejected = models.JSONField(default=list, blank=True)
    rejected_total = models.PositiveIntegerField(default=0)
    # The report workbook: the counts and every rejected row.
    report = models.FileField(upload_to=import_file_path, max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        indexes = [models.Index(fields=["unit_path", "created_at"], name="import_run_scope")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_state_display()})"
