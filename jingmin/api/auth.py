"""`POST /api/v1/auth/token/`: a token for a person, by the same sign-in policy as the pages.

The password check, the failure counts, the second factor and their audit rows are
`jingmin.org.signin`'s; this view only turns their outcomes into answers. A wrong password or a
wrong code through the API counts exactly like one on the sign-in page. A program cannot solve
the page's image sum, so wherever the page would ask for it this answers `429 throttled`.
"""

from __future__ import annotations

from django.conf import settings
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
from jingmin.core.writes import composing
from jingmin.org.models import User
from jingmin.org.signin import (
    Outcome,
    SigninResult,
    name_throttled_message,
    signin_check_otp,
    signin_check_password,
    signin_succeeded,
    throttled_message,
)

NO_STORE = {"Cache-Control": "no-store"}


def _throttled(message: str, minutes: int) -> Response:
    return error_response(
        status.HTTP_429_TOO_MANY_REQUESTS,
        message,
        ErrorCode.THROTTLED,
        headers={**NO_STORE, "Retry-After": str(minutes * 60)},
    )


def _bad_credentials(result: SigninResult) -> Response:
    # The same answer for an unknown name and a wrong password: no one learns which names exist.
    return error_response(
        status.HTTP_400_BAD_REQUEST,
        _("Wrong user name or password."),
        ErrorCode.BAD_CREDENTIALS,
        headers=NO_STORE,
    )


def _token_for(user: User, *, second_factor: bool, address: str) -> Response:
    with composing():
        token, _created = Token.objects.get_or_create(user=user)
        signin_succeeded(user=user, second_factor=second_factor, via="api", address=address)
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
            "count like those of the sign-in page; past its limits the answer is `429 throttled`."
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Wrong credentials or code; or a code is needed."
            ),
            403: OpenApiResponse(
                ErrorSerializer, description="Deactivated, or the second factor is not set up yet."
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many failed sign-ins from this address or for this name; see Retry-After.",
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
            return _throttled(throttled_message(), settings.SIGNIN_ADDRESS_WINDOW_MINUTES)
        if result.outcome == Outcome.NAME_THROTTLED:
            return _throttled(name_throttled_message(), settings.SIGNIN_LOCKOUT_MINUTES)
        if result.outcome == Outcome.NEEDS_CAPTCHA:
            return _throttled(
                _(
                    "Too many failed sign-ins. Sign in on the web page, which asks for a picture check, "
                    "or try again in %(minutes)d minutes."
                )
                % {"minutes": settings.SIGNIN_LOCKOUT_MINUTES},
                settings.SIGNIN_LOCKOUT_MINUTES,
            )
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
            result = signin_check_otp(user=user, token=otp, address=client_ip(request))
            if result.outcome == Outcome.NAME_THROTTLED:
                return _throttled(name_throttled_message(), settings.SIGNIN_LOCKOUT_MINUTES)
            if result.outcome != Outcome.OK:
                return error_response(
                    status.HTTP_400_BAD_REQUEST,
                    _("The code is not correct. %(count)d attempts left from this address.")
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
        return _token_for(user, second_factor=second_factor, address=client_ip(request))
