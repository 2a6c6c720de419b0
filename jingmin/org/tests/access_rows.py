"""The permission matrix's rows for sign-in, the person's own account pages and the organisation
(see `jingmin/core/tests/access.py`). The staff account acted on is Oliver's (district A1): he
has an authenticator and three failed sign-ins, so that unlocking and resetting change something."""

from __future__ import annotations

from types import SimpleNamespace

from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from jingmin.core.tests.access import (
    ANONYMOUS,
    BUSINESS,
    EVERYONE,
    NOBODY,
    SIGNED_IN,
    STATION_A,
    Row,
    action,
    form,
    get,
    page,
    post,
)
from jingmin.org.models import User

VIEW_ORG = BUSINESS | {"sam", "sue"}
# Olga's branch does not hold Oliver; the audit administrator sees no staff at all.
SEES_OLIVER = STATION_A | {"sam", "sue"}
NO_PENDING = "no password was checked in this session, so the step sends back to the sign-in page"


def build(w):
    TOTPDevice.objects.create(user=w.p.oliver, name="phone", confirmed=True)
    User.objects.filter(pk=w.p.oliver.pk).update(failed_signins=3)
    return SimpleNamespace(staff=w.p.oliver)


def _oliver(w):
    return {"pk": w.org.staff.pk}


def _second_step(name: str) -> Row:
    """The code after the password (or the authenticator's set-up): public, the password checked
    in this session is its credential."""
    return Row(
        name,
        (
            get(EVERYONE, ok=(302,), lands="org:signin", why=NO_PENDING),
            post(
                EVERYONE,
                body=lambda w: {"token": "123456"},
                lands="org:signin",
                writes=NOBODY,
                why=NO_PENDING,
            ),
        ),
    )


ROWS = [
    Row(
        "org:signin",
        (
            # A signed-in person is sent home; a signed-out one gets the form.
            get(EVERYONE, ok=(302,), ok_for={ANONYMOUS: (200,)}, lands="core:home"),
            post(
                EVERYONE,
                body=lambda w: {"username": "clara", "password": PASSWORD},
                lands="core:home",
                writes=frozenset({ANONYMOUS}),
            ),
        ),
    ),
    _second_step("org:signin_otp"),
    _second_step("org:signin_enrol"),
    # Signing out is recorded; with no one signed in there is nothing to record.
    action("org:signout", EVERYONE, public=True, lands="org:signin", writes=SIGNED_IN),
    page("org:security", SIGNED_IN),
    form(
        "org:password_change",
        SIGNED_IN,
        body=lambda w: {
            "old_password": PASSWORD,
            "new_password1": "Fresh#Pass2026",
            "new_password2": "Fresh#Pass2026",
        },
        lands="org:security",
    ),
    Row(
        "org:otp_setup",
        (
            # The QR code shows the secret of a device made for it, unconfirmed until a code proves it.
            get(SIGNED_IN, may_write=frozenset({"otp_totp_totpdevice"}), why="the enrolment device"),
            # A code the authenticator never showed: the form comes back with its error.
            post(
                SIGNED_IN,
                body=lambda w: {"token": "000000"},
                ok=(200,),
                writes=NOBODY,
                unaudited="the unconfirmed enrolment device; confirming it is recorded",
            ),
        ),
    ),
    # Only Oliver has an authenticator to remove; the administrators may not remove theirs.
    action("org:otp_remove", SIGNED_IN, lands="org:security", writes=frozenset({"oliver"})),
    Row(
        "org:units",
        (
            get(VIEW_ORG),
            post(
                frozenset({"sam"}),
                body=lambda w: {
                    "parent": w.p.station_a.pk,
                    "kind": "district",
                    "name": "新建警务区",
                    "code": "TA19",
                },
                lands="org:units",
            ),
        ),
    ),
    page("org:staff", VIEW_ORG),
    form(
        "org:staff_create",
        frozenset({"sam"}),
        body=lambda w: {
            "username": "newbie",
            "full_name": "新警员",
            "unit": w.p.district_a1.pk,
            "role": "officer",
            "password": "Fresh#Pass2026",
        },
        lands="org:staff_detail",
    ),
    # Reading a profile (a phone number) is an audited read.
    page("org:staff_detail", SEES_OLIVER, args=_oliver),
    form(
        "org:staff_edit",
        frozenset({"sam"}),
        args=_oliver,
        body=lambda w: {
            "full_name": "欧立文改",
            "unit": w.p.district_a2.pk,
            "police_number": "010203",
            "phone": "13900002222",
            "is_active": "on",
        },
        lands="org:staff_detail",
    ),
    action("org:staff_unlock", frozenset({"sue"}), args=_oliver, lands="org:staff_detail"),
    action("org:staff_otp_reset", frozenset({"sue"}), args=_oliver, lands="org:staff_detail"),
    action(
        "org:staff_role",
        frozenset({"sue"}),
        args=_oliver,
        body=lambda w: {"role": "chief"},
        lands="org:staff_detail",
    ),
    action(
        "org:staff_password_reset",
        frozenset({"sue"}),
        args=_oliver,
        body=lambda w: {"password": "Temp#Pass2026"},
        lands="org:staff_detail",
    ),
]
