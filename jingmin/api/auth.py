"""`POST /api/v1/auth/token/`: a token for a person, by the same sign-in policy as the pages.

The password check, the lock-out counter, the second factor and their audit rows are
`jingmin.org.signin`'s; this view only turns their outcomes into answers. A wrong password or a
wrong code through the API counts toward the lock-out exactly like one on the sign-in page.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jingmin.api.codes import ErrorCode
from jingmin.api.errors import error_response
from jingmin.api.serializers import ErrorSerializer, TokenRequestSerializer, TokenSerializer
from jingmin.core.codes import CommonError
from jingmin.core.http import client_ip
from jingmin.org.models import User
from jingmin.org.signin import (
    Outcome,
    SigninResult,
    signin_check_otp,
    signin_check_password,
    signin_succeeded,
    throttled_message,
)

NO_STORE = {"Cache-Control": "no-store"}


def _locked(until: datetime | None) -> Response:
    when = formats.date_format(timezone.localtime(until), "DATETIME_FORMAT") if until else ""
    # The sign-in page's wording, so that both say the same thing in every language.
    message = _(
        "This account is locked after repeated failed sign-ins until %(time)s. "
        "Try again then, or ask your security administrator to unlock it."
    ) % {"time": when}
    return error_response(
        status.HTTP_403_FORBIDDEN,
        message,
        ErrorCode.LOCKED,
        headers=NO_STORE,
        locked_until=until.isoformat() if until else None,
    )


def _bad_credentials(result: SigninResult) -> Response:
    # The same answer for an unknown name and a wrong password: no one learns which names exist.
    return error_response(
        status.HTTP_400_BAD_REQUEST,
        _("Wrong user name or password."),
        ErrorCode.BAD_CREDENTIALS,
        headers=NO_STORE,
    )


def _token_for(user: User, *, second_factor: bool) -> Response:
    with transaction.atomic():
        token, _created = Token.objects.get_or_create(user=user)
        signin_succeeded(user=user, second_factor=second_factor, via="api")
    return Response({"token": token.key}, headers=NO_STORE)


class TokenView(APIView):
    # The credentials are in the body; no session or token is needed, and none is looked at, so
    # a browser's session cannot make this a CSRF target.
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="auth_token",
        summary="Get a token",
        description=(
            "Exchange a user name and password (and the authenticator's code, for administrators and "
            "for anyone who set one up) for a token; send it as `Authorization: Token <key>`. Failures "
            "count toward the account's lock-out like those of the sign-in page."
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Wrong credentials or code; or a code is needed."
            ),
            403: OpenApiResponse(
                ErrorSerializer, description="Locked, deactivated, or the second factor is not set up yet."
            ),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = signin_check_password(
            username=data["username"], password=data["password"], address=client_ip(request)
        )
        user = result.user
        if result.outcome == Outcome.THROTTLED:
            return error_response(
                status.HTTP_429_TOO_MANY_REQUESTS,
                throttled_message(),
                ErrorCode.THROTTLED,
                headers={**NO_STORE, "Retry-After": str(settings.SIGNIN_ADDRESS_WINDOW_MINUTES * 60)},
            )
        if result.outcome == Outcome.LOCKED:
            return _locked(result.locked_until)
        if result.outcome == Outcome.INACTIVE:
            return error_response(
                status.HTTP_403_FORBIDDEN,
                _("This account has been deactivated. Ask your system administrator."),
                CommonError.INACTIVE,
                headers=NO_STORE,
            )
        if result.outcome == Outcome.BAD_CREDENTIALS or user is None:
            return _bad_credentials(result)
        if result.outcome == Outcome.NEEDS_ENROLMENT:
            # The authenticator is set up on the sign-in page, where its QR code can be shown.
            return error_response(
                status.HTTP_403_FORBIDDEN,
                _(
                    "Your role needs a second factor. Sign in on the web page once to set up your authenticator."
                ),
                ErrorCode.OTP_ENROLMENT_REQUIRED,
                headers=NO_STORE,
            )
        second_factor = result.outcome == Outcome.NEEDS_OTP
        if second_factor:
            otp = data["otp"].strip()
            if not otp:
                return error_response(
                    status.HTTP_400_BAD_REQUEST,
                    _("Enter the six digits shown by your authenticator app."),
                    ErrorCode.OTP_REQUIRED,
                    field="otp",
                    headers=NO_STORE,
                )
            result = signin_check_otp(user=user, token=otp)
            if result.outcome == Outcome.LOCKED:
                return _locked(result.locked_until)
            if result.outcome != Outcome.OK:
                return error_response(
                    status.HTTP_400_BAD_REQUEST,
                    _("The code is not correct. %(count)d attempts left before the account is locked.")
                    % {"count": result.remaining or 0},
                    CommonError.BAD_OTP,
                    field="otp",
                    headers=NO_STORE,
                )
        if user.password_change_required:
            # A password set by an administrator is only for reaching the page that replaces it.
            return error_response(
                status.HTTP_403_FORBIDDEN,
                _("Please choose a new password before you continue."),
                ErrorCode.PASSWORD_CHANGE_REQUIRED,
                headers=NO_STORE,
            )
        return _token_for(user, second_factor=second_factor)
