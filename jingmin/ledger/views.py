"""Pages of the ledger.

Views read through `selectors` (scoped: a record outside the actor's scope is a 404; reading a
person's page writes an audit row) and write through `services` (a refusal is shown beside the
field it names). Identifiers are shown masked; the full value comes only from the audited reveal,
for the roles that may see it. Every successful post redirects.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jingmin.audit.services import audit_record
from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest
from jingmin.core.paging import BY_ID, export_query, request_page
from jingmin.ledger import imports, selectors, services
from jingmin.ledger.codes import AuditAction
from jingmin.ledger.excel import write_template
from jingmin.ledger.exports import organisation_workbook, person_workbook
from jingmin.ledger.forms import (
    AddressEditForm,
    AddressForm,
    AddressSearchForm,
    HouseForm,
    HouseholdForm,
    ImportForm,
    LeaveForm,
    OrganisationForm,
    OrganisationSearchForm,
    PersonForm,
    PersonSearchForm,
    initial_of,
    keep_secret,
)
from jingmin.ledger.models import (
    Address,
    House,
    Household,
    ImportState,
    Organisation,
    Person,
    RecordType,
)
from jingmin.org.models import Unit, User
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import districts_in_scope, require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _districts(actor: User) -> QuerySet[Unit]:
    return districts_in_scope(actor)


def _key(form: Any) -> str | None:
    return form.cleaned_data.get("submission_key") or None


def _history(actor: User, record_type: str, pk: int) -> list[Any]:
    return list(selectors.record_history(actor, record_type, pk)[:50])


# ---------------------------------------------------------------------------------------------
# Persons: search, detail, forms


@login_required
def persons(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.LEDGER_VIEW)
    form = PersonSearchForm(request.GET or None, tags=selectors.tag_choices())
    filters = selectors.PersonFilters(**form.filters())
    page = request_page(request, selectors.person_list(actor, filters), BY_ID, size=selectors.PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "filtered": any(v not in ("", None, False) for v in form.filters().values()),
        "export_query": export_query(request),
        "can_edit": can(actor, Cap.LEDGER_EDIT),
        "can_import": can(actor, Cap.LEDGER_IMPORT),
    }
    template = "ledger/_person_table.html" if _is_htmx(request) else "ledger/persons.html"
    return render(request, template, context)


@login_required
def person_detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    person = selectors.person_get(actor, pk)
    context = {
        "person": person,
        "tags": list(person.tags.all()),
        "history": _history(actor, RecordType.PERSON, person.pk),
        "can_edit": can(actor, Cap.LEDGER_EDIT),
        "can_reveal": selectors.may_reveal(actor),
        "leave_form": LeaveForm(),
    }
    return render(request, "ledger/person.html", context)


def _person_input(form: PersonForm, *, keep: Person | None = None) -> services.PersonInput:
    data = form.cleaned_data
    id_number, phone = data["id_number"], data["phone"]
    # An empty identifier on an edit keeps the ledger's value (the form never shows it).
    if keep is not None and not id_number:
        id_number = keep.id_number
    if keep is not None and not phone and not data.get("clear_phone"):
        phone = keep.phone
    return services.PersonInput(
        name=data["name"],
        sex=data["sex"],
        id_number=id_number,
        birth_date=data["birth_date"],
        phone=phone,
        residence=data["residence"],
        nationality=data["nationality"],
        relation=data["relation"],
        tags=data["tags"],
        note=data["note"],
    )


def _household_id(form: PersonForm) -> int | None:
    value = form.cleaned_data.get("household")
    return int(value) if value else None


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: StaffRequest) -> HttpResponse:
    """A new person at a house (`?house=`), usually into one of its households (`?household=`)."""
    actor = request.user
    require(actor, Cap.LEDGER_EDIT)
    house, household = _person_place(actor, request)
    households = list(house.households.filter(is_active=True).order_by("number", "id"))
    initial = {"household": str(household.pk) if household else ""}
    form = PersonForm(
        request.POST or None, tags=selectors.tag_choices(), households=households, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=actor,
                data=_person_input(form),
                household_id=_household_id(form),
                house_id=house.pk,
                submission_key=_key(form),
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s is in the ledger.") % {"name": person.name})
            return redirect("ledger:person", person.pk)
    return render(request, "ledger/person_form.html", {"form": form, "house": house, "person": None})


def _person_place(actor: User, request: HttpRequest) -> tuple[House, Household | None]:
    raw_household = request.GET.get("household", "")
    raw_house = request.GET.get("house", "")
    if raw_household.isdigit():
        household = selectors.household_get(actor, int(raw_household))
        return household.house, household
    if raw_house.isdigit():
        return selectors.house_get(actor, int(raw_house)), None
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.LEDGER_EDIT)
    person = selectors.person_get(actor, pk)
    if person.house is None:
        raise Http404
    households = list(person.house.households.filter(is_active=True).order_by("number", "id"))
    initial = {
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "residence": person.residence,
        "nationality": person.nationality,
        "household": str(person.household_id or ""),
        "relation": person.relation,
        "tags": list(person.tags.values_list("code", flat=True)),
        "note": person.note,
    }
    form = PersonForm(
        request.POST or None,
        tags=selectors.tag_choices(),
        households=households,
        editing=person,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=actor,
                person_id=person.pk,
                data=_person_input(form, keep=person),
                household_id=_household_id(form),
                house_id=person.house_id,
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("ledger:person", person.pk)
    return render(request, "ledger/person_form.html", {"form": form, "house": person.house, "person": person})


@login_required
@require_POST
def person_leave(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    # The capability and the scope first: a person who may not do this learns nothing from a
    # form error (the service checks both again, with the row locked).
    require(actor, Cap.LEDGER_EDIT)
    selectors.person_get(actor, pk, audit=False)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the person leaves the ledger."))
        return redirect("ledger:person", pk)
    try:
        services.person_deactivate(
            actor=actor, person_id=pk, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The person has left the ledger; the record and its history are kept."))
    return redirect("ledger:person", pk)


@login_required
@require_POST
def person_reactivate(request: StaffRequest, pk: int) -> HttpResponse:
    try:
        services.person_reactivate(actor=request.user, person_id=pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The person is active in the ledger again."))
    return redirect("ledger:person", pk)


@login_required
@require_POST
def reveal(request: StaffRequest, record_type: str, pk: int, field: str) -> HttpResponse:
    """The full value of an identifier; each reveal is audited. Roles without the right get 403."""
    value = services.identifier_reveal(actor=request.user, record_type=record_type, pk=pk, field_name=field)
    context = {
        "value": value,
        "is_phone": field != "id_number",
        "back": reverse(f"ledger:{record_type}", args=[pk]),
    }
    template = "ledger/_revealed.html" if _is_htmx(request) else "ledger/revealed.html"
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------
# Addresses


@login_required
def addresses(request: StaffRequest) -> HttpResponse:
    """The top of the address tree, or the addresses matching a search."""
    actor = request.user
    require(actor, Cap.LEDGER_VIEW)
    form = AddressSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    if q:
        page = request_page(
            request,
            selectors.address_search(actor, q).select_related("house"),
            BY_ID,
            size=selectors.PAGE_SIZE,
        )
        rows: list[Address] = page.rows
    else:
        page = None
        rows = list(selectors.address_children(actor, None)[:200])
    context = {
        "form": form,
        "q": q,
        "page": page,
        "rows": rows,
        "can_edit": can(actor, Cap.LEDGER_EDIT),
    }
    template = "ledger/_address_rows.html" if _is_htmx(request) else "ledger/addresses.html"
    return render(request, template, context)


CHILDREN_SHOWN = 300


@login_required
def address_detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    address = selectors.address_get(actor, pk)
    children = list(selectors.address_children(actor, address)[: CHILDREN_SHOWN + 1])
    in_scope = selectors.in_scope(actor, address.district_path)
    context = {
        "address": address,
        "ancestors": selectors.address_ancestors(actor, address),
        "children": children[:CHILDREN_SHOWN],
        "more_children": len(children) > CHILDREN_SHOWN,
        "house": selectors.house_for_address(actor, address),
        "organisations": list(selectors.organisation_list(actor).filter(address=address)[:50]),
        "history": _history(actor, RecordType.ADDRESS, address.pk) if in_scope else [],
        "can_edit": can(actor, Cap.LEDGER_EDIT) and in_scope,
        "can_add": can(actor, Cap.LEDGER_EDIT),
        "is_door": address.kind in services.DOOR_KINDS and address.district_id is not None and in_scope,
    }
    return render(request, "ledger/address.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def address_new(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.LEDGER_EDIT)
    raw_parent = request.GET.get("parent", "")
    parent = selectors.address_get(actor, int(raw_parent)) if raw_parent.isdigit() else None
    districts = _districts(actor)
    initial: dict[str, Any] = {}
    if parent is None or parent.district_id is None:
        own = list(districts[:2])
        if len(own) == 1:
            initial["district"] = own[0].pk
    form = AddressForm(request.POST or None, districts=districts, initial=initial)
    if parent is not None and parent.district_id is not None:
        form.fields["district"].required = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            node = services.address_create(
                actor=actor,
                parent=parent,
                data=services.AddressInput(
                    kind=data["kind"],
                    name=data["name"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                ),
                district=data["district"],
                submission_key=_key(form),
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The address is added."))
            return redirect("ledger:address", node.pk)
    return render(request, "ledger/address_form.html", {"form": form, "parent": parent, "address": None})


@login_required
@require_http_methods(["GET", "POST"])
def address_edit(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.LEDGER_EDIT)
    address = selectors.address_get(actor, pk)
    if not selectors.in_scope(actor, address.district_path):
        raise Http404
    form = AddressEditForm(request.POST or None, initial=initial_of(address, AddressEditForm))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.address_update(
                actor=actor,
                address_id=address.pk,
                name=data["name"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                is_active=data["is_active"],
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("ledger:address", address.pk)
    return render(
        request, "ledger/address_form.html", {"form": form, "parent": address.parent, "address": address}
    )


# ---------------------------------------------------------------------------------------------
# Houses and households


@login_required
def house_detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    house = selectors.house_get(actor, pk)
    households = list(house.households.select_related("head").order_by("-is_active", "number", "id"))
    residents = list(house.residents.filter(is_active=True, household__isnull=True).order_by("id")[:100])
    context = {
        "house": house,
        "ancestors": [*selectors.address_ancestors(actor, house.address), house.address],
        "households": households,
        "residents": residents,
        "organisations": list(selectors.organisation_list(actor).filter(address=house.address)[:50]),
        "history": _history(actor, RecordType.HOUSE, house.pk),
        "can_edit": can(actor, Cap.LEDGER_EDIT),
        "can_reveal": selectors.may_reveal(actor),
    }
    return render(request, "ledger/house.html", context)


def _house_input(form: HouseForm, *, keep: House | None = None) -> services.HouseInput:
    data = form.cleaned_data
    phone = data["owner_phone"] or (keep.owner_phone if keep is not None else "")
    return services.HouseInput(
        use=data["use"],
        rented=data["rented"],
        owner_name=data["owner_name"],
        owner_phone=phone,
        area=data["area"],
        note=data["note"],
        is_active=data["is_active"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def house_new(request: StaffRequest, address_pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.LEDGER_EDIT)
    address = selectors.address_get(actor, address_pk)
    form = HouseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            house = services.house_create(
                actor=actor, address_id=address.pk, data=_house_input(form), submission_key=_key(form)
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The house is in the ledger."))
            return redirect("ledger:house", house.pk)
    return render(request, "ledger/house_form.html", {"form": form, "address": address, "house": None})


@login_required
@require_http_methods(["GET", "POST"])
def house_edit(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.LEDGER_EDIT)
    house = selectors.house_get(actor, pk)
    form = HouseForm(request.POST or None, initial=initial_of(house, HouseForm, secret=("owner_phone",)))
    if house.owner_phone:
        keep_secret(form, "owner_phone", house.owner_phone_masked)
    if request.method == "POST" and form.is_valid():
        try:
            services.house_update(actor=actor, house_id=house.pk, data=_house_input(form, keep=house))
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("ledger:house", house.pk)
    return render(request, "ledger/house_form.html", {"form": form, "address": house.address, "house": house})


@login_required
def household_detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    household = selectors.household_get(actor, pk)
    context = {
        "household": household,
        "members": list(selectors.household_members(household).prefetch_related("tags")),
        "history": _history(actor, RecordType.HOUSEHOLD, household.pk),
        "can_edit": can(actor, Cap.LEDGER_EDIT),
    }
    return render(request, "ledger/household.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def household_new(request: StaffRequest, house_pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.LEDGER_EDIT)
    house = selectors.house_get(actor, house_pk)
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = services.household_create(
                actor=actor,
                house_id=house.pk,
                data=services.HouseholdInput(number=data["number"], note=data["note"]),
                submission_key=_key(form),
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The household is in the ledger. Add its members next."))
            return redirect("ledger:household", household.pk)
    return render(request, "ledger/household_form.html", {"form": form, "house": house, "household": None})


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.LEDGER_EDIT)
    household = selectors.household_get(actor, pk)
    members = list(selectors.household_members(household))
    form = HouseholdForm(
        request.POST or None,
        members=members,
        initial={
            "number": household.number,
            "head": str(household.head_id or ""),
            "note": household.note,
            "is_active": household.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.household_update(
                actor=actor,
                household_id=household.pk,
                data=services.HouseholdInput(
                    number=data["number"], note=data["note"], is_active=data["is_active"]
                ),
                head_id=int(data["head"]) if data.get("head") else None,
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("ledger:household", household.pk)
    return render(
        request,
        "ledger/household_form.html",
        {"form": form, "house": household.house, "household": household},
    )


# ---------------------------------------------------------------------------------------------
# Organisations


@login_required
def organisations(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.LEDGER_VIEW)
    form = OrganisationSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = request_page(request, selectors.organisation_list(actor, q), BY_ID, size=selectors.PAGE_SIZE)
    return render(
        request,
        "ledger/organisations.html",
        {"form": form, "page": page, "q": q, "export_query": export_query(request)},
    )


@login_required
def organisation_detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    organisation = selectors.organisation_get(actor, pk)
    context = {
        "organisation": organisation,
        "ancestors": [*selectors.address_ancestors(actor, organisation.address), organisation.address],
        "history": _history(actor, RecordType.ORGANISATION, organisation.pk),
        "can_edit": can(actor, Cap.LEDGER_EDIT),
        "can_reveal": selectors.may_reveal(actor),
    }
    return render(request, "ledger/organisation.html", context)


def _organisation_input(
    form: OrganisationForm, *, keep: Organisation | None = None
) -> services.OrganisationInput:
    data = form.cleaned_data
    phone = data["contact_phone"] or (keep.contact_phone if keep is not None else "")
    return services.OrganisationInput(
        name=data["name"],
        kind=data["kind"],
        credit_code=data["credit_code"],
        contact_name=data["contact_name"],
        contact_phone=phone,
        employees=data["employees"],
        note=data["note"],
        is_active=data["is_active"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request: StaffRequest, address_pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.LEDGER_EDIT)
    address = selectors.address_get(actor, address_pk)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=actor, address_id=address.pk, data=_organisation_input(form), submission_key=_key(form)
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The organisation is in the ledger."))
            return redirect("ledger:organisation", organisation.pk)
    return render(
        request, "ledger/organisation_form.html", {"form": form, "address": address, "organisation": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.LEDGER_EDIT)
    organisation = selectors.organisation_get(actor, pk)
    form = OrganisationForm(
        request.POST or None, initial=initial_of(organisation, OrganisationForm, secret=("contact_phone",))
    )
    if organisation.contact_phone:
        keep_secret(form, "contact_phone", organisation.contact_phone_masked)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=actor,
                organisation_id=organisation.pk,
                data=_organisation_input(form, keep=organisation),
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("ledger:organisation", organisation.pk)
    return render(
        request,
        "ledger/organisation_form.html",
        {"form": form, "address": organisation.address, "organisation": organisation},
    )


# ---------------------------------------------------------------------------------------------
# Excel: export, template, import


def _streamed(chunks: Iterator[bytes], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _too_many(request: HttpRequest, rows: QuerySet[Any], back: str) -> HttpResponse | None:
    limit = settings.LEDGER_EXPORT_LIMIT
    # A bounded count: it stops at the limit instead of counting millions of rows.
    if rows[: limit + 1].count() > limit:
        messages.error(
            request,
            _("More than %(limit)d rows match. Narrow the search and export again.") % {"limit": limit},
        )
        return redirect(f"{reverse(back)}?{request.GET.urlencode()}")
    return None


@login_required
def export_persons(request: StaffRequest) -> HttpResponse | StreamingHttpResponse:
    """The persons of the search as a workbook: identifiers masked unless the role may reveal
    them; the export itself is audited, with whether it held full values."""
    actor = request.user
    require(actor, Cap.LEDGER_VIEW)
    form = PersonSearchForm(request.GET or None, tags=selectors.tag_choices())
    rows = selectors.person_list(actor, selectors.PersonFilters(**form.filters()))
    refused = _too_many(request, rows, "ledger:index")
    if refused is not None:
        return refused
    full = can(actor, Cap.LEDGER_REVEAL)
    audit_record(
        actor=actor,
        action=AuditAction.RECORDS_EXPORT,
        detail={
            "what": "persons",
            "full_values": full,
            **{k: str(v) for k, v in form.filters().items() if v},
        },
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _streamed(person_workbook(rows, full=full), f"persons-{stamp}.xlsx")


@login_required
def export_organisations(request: StaffRequest) -> HttpResponse | StreamingHttpResponse:
    actor = request.user
    require(actor, Cap.LEDGER_VIEW)
    form = OrganisationSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    rows = selectors.organisation_list(actor, q)
    refused = _too_many(request, rows, "ledger:organisations")
    if refused is not None:
        return refused
    full = can(actor, Cap.LEDGER_REVEAL)
    audit_record(
        actor=actor,
        action=AuditAction.RECORDS_EXPORT,
        detail={"what": "organisations", "full_values": full, "q": q},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _streamed(organisation_workbook(rows, full=full), f"organisations-{stamp}.xlsx")


@login_required
def template(request: StaffRequest) -> HttpResponse:
    require(request.user, Cap.LEDGER_IMPORT)
    buffer = io.BytesIO()
    write_template(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="ledger-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.LEDGER_IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = imports.import_upload(
                actor=actor, upload=form.cleaned_data["file"], mode=form.cleaned_data["mode"]
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            return redirect("ledger:import", run.pk)
    runs = list(selectors.import_runs(actor)[:30])
    return render(request, "ledger/imports.html", {"form": form, "runs": runs})


RUNNING_STATES = {ImportState.CHECKING, ImportState.QUEUED, ImportState.RUNNING}


@login_required
def import_detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    run = selectors.import_run_get(actor, pk)
    context = {
        "run": run,
        "running": run.state in RUNNING_STATES,
        "percent": min(100, run.rows_done * 100 // run.rows_total) if run.rows_total else 0,
        "check": run.counts.get("check", {}),
        "written": run.counts.get("written", {}),
        "can_confirm": run.state == ImportState.PREVIEWED
        and not (run.mode == "all-or-nothing" and run.rejected_total),
        "more_rejected": max(0, run.rejected_total - len(run.rejected)),
    }
    template = "ledger/_import_status.html" if _is_htmx(request) else "ledger/import.html"
    return render(request, template, context)


@login_required
@require_POST
def import_confirm(request: StaffRequest, pk: int) -> HttpResponse:
    try:
        imports.import_confirm(actor=request.user, run_id=pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("ledger:import", pk)


@login_required
def import_report(request: StaffRequest, pk: int) -> FileResponse:
    run = selectors.import_run_get(request.user, pk)
    if not run.report:
        raise Http404
    audit_record(actor=request.user, action=AuditAction.IMPORT_REPORT, target=run)
    response = FileResponse(
        run.report.open("rb"), content_type=XLSX, as_attachment=True, filename=f"report-{run.pk}.xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    return response
