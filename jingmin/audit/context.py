"""Where a request came from, for the audit rows written while it is served.

Services do not take the request; the middleware puts the client address here and
`audit_record` reads it, so that a row written by a command or a task simply has none.
"""

from __future__ import annotations

from contextvars import ContextVar

client_ip: ContextVar[str] = ContextVar("client_ip", default="")
