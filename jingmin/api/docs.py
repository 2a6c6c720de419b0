"""The API's docs page: Swagger UI from our own static files, and nothing fetched from outside.

The split view serves the page and its starting script as two answers, so the page has no inline
script (the Content-Security-Policy refuses it); the template moves the library's inline style to
a file."""

from __future__ import annotations

import json
from typing import Any

from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().get(request, *args, **kwargs)
        configured = spectacular_settings.SWAGGER_UI_SETTINGS
        if isinstance(configured, dict) and "settings" in (response.data or {}):
            # Swagger UI would otherwise send the schema's address to validator.swagger.io: a call
            # out of the bureau's network, which must make none.
            response.data["settings"] = json.dumps({**configured, "validatorUrl": None}, indent=2)
        return response
