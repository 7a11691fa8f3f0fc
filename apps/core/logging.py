"""JSON log lines with the design's keys: ts, level, logger, event, request_id."""

import contextvars
import json
import logging
from datetime import UTC, datetime

from .redaction import redact

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# Attributes every LogRecord has; anything else was passed in `extra` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


# Objects passed in `extra` by Django that are not worth a log field (and may carry PII).
_DROPPED = {"request", "server_time", "status_code"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # django.request logs after the middleware chain returned, but passes the request.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or request_id_var.get()
        return True


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line and key not in _DROPPED:
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        # Last line of defence (PIPL Art. 28): whatever a library or a message put in the line,
        # ID, mobile and account numbers leave the process masked.
        return redact(json.dumps(line, ensure_ascii=False, default=str))
