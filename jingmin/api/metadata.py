"""What `OPTIONS` answers on every API endpoint: its name, description and the formats it speaks.

DRF's `SimpleMetadata` would also describe the fields of a POST from the view's serializer; these
views name their serializers per method, not as `serializer_class`, so it failed (a 500 for every
`OPTIONS`). The fields of every request and answer are in the OpenAPI schema (`/api/schema/`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.metadata import BaseMetadata
from rest_framework.request import Request

if TYPE_CHECKING:  # rest_framework.views imports this module through its settings
    from rest_framework.views import APIView


class Metadata(BaseMetadata):
    def determine_metadata(self, request: Request, view: APIView) -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
            "schema": "/api/schema/",
        }
