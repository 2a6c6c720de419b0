from __future__ import annotations

from django.http import HttpRequest

from jingmin.org.models import User


class StaffRequest(HttpRequest):
    """The request of a view behind `login_required`: its user is a staff account, never anonymous."""

    user: User
