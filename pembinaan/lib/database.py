"""Whether a failure means the database cannot be reached right now (PostgreSQL restarting or
down, the connection to it cut) rather than a bug. Knows no models."""

import logging

from django.db import InterfaceError, OperationalError

# PostgreSQL's SQLSTATEs for it: connection exceptions (class 08) and the server shutting down
# or starting up (57P01-57P03). A client that could not connect at all gets no code.
UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def is_unavailable(exc: BaseException | None) -> bool:
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    code = getattr(exc.__cause__, "pgcode", None)
    return code is None or code.startswith(UNAVAILABLE_SQLSTATES)


class SkipUnavailable(logging.Filter):
    """On the admins' mail: drops the records of requests that failed because the database
    could not be reached. Their visitors got the maintenance page (503), and a PostgreSQL
    restart is no bug to mail about; the console still logs each one."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and is_unavailable(record.exc_info[1]))
