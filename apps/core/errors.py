"""One exception type for domain refusals, rendered everywhere in the design's error shape."""

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    CONFLICT = "conflict"
    RATE_LIMITED = "rate_limited"
    SERVICE_UNAVAILABLE = "service_unavailable"
    SERVER_ERROR = "server_error"


class DomainError(Exception):
    """A refusal a user can act on: a translated message, a code and the fields at fault."""

    status_code = 400
    default_code: str = ErrorCode.INVALID

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = str(code or self.default_code)
        self.fields = {name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()}
        if status_code is not None:
            self.status_code = status_code

    @classmethod
    def for_field(cls, field: str, message: str, *, code: str | None = None) -> "DomainError":
        return cls(message, code=code, fields={field: [message]})

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "fields": self.fields}
