from __future__ import annotations

from jingmin.core.codes import CommonError


class ServiceError(Exception):
    """A request the domain refuses, with a message for the user in their language.

    `field` names the input at fault, so that a page can show the message beside it and an API
    can answer 400 naming the field; `code` is stable for programs.
    """

    def __init__(self, message: str, *, code: str = CommonError.INVALID, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
