"""The security headers of every answer: a Content-Security-Policy that allows no inline script
or style and nothing from outside the site (but the map tiles, when a tile server is configured),
and a Permissions-Policy that gives pages only the position sensor, which the portal and the field
app ask for.

A middleware of a few lines rather than a package (django-csp): the policy is one fixed string,
the same for every page (no nonces, because no page has inline code), so there is nothing a
package would add but a dependency to keep up. The headers Django already sets stay with Django's
`SecurityMiddleware` (X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy, HSTS)
and `XFrameOptionsMiddleware`.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def content_security_policy() -> str:
    """The policy, from the settings: the map tile server's origin is the only other source."""
    images = ["'self'", "data:", "blob:"]
    tiles = urlsplit(settings.MAP_TILE_URL)
    if tiles.scheme in ("http", "https") and tiles.netloc:
        # Leaflet's "{s}" stands for the sub-domains (a, b, c) of one tile server.
        images.append(f"{tiles.scheme}://{tiles.netloc.replace('{s}', '*')}")
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # No inline style either: a `style="..."` attribute or a <style> element is refused, while
        # scripts may still set an element's style property (Leaflet, ECharts, the bars).
        "style-src": ["'self'"],
        "img-src": images,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    policy = "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())
    if settings.HTTPS:
        policy += "; upgrade-insecure-requests"
    return policy


# Every powerful feature off, but the position (the portal's "use my position", a visit's place).
PERMISSIONS_POLICY = ", ".join(
    [
        "geolocation=(self)",
        "camera=()",
        "microphone=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "bluetooth=()",
        "midi=()",
        "accelerometer=()",
        "gyroscope=()",
        "magnetometer=()",
        "display-capture=()",
        "fullscreen=(self)",
        "browsing-topics=()",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
