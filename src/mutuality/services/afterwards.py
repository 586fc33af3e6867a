"""Work done after a write has committed: it may degrade, never fail the write.

A command or request that saved something and then works out figures to show with it (the
relationship's health after an exchange, the capacity warning) must not report the saved
write as failed when those figures cannot be read (the database stayed busy): a client that
retries would save it twice. The figures are then left out, and the log says why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from mutuality.core.errors import StorageError

log = logging.getLogger(__name__)

T = TypeVar("T")


def afterwards(work: Callable[[], T], what: str) -> T | None:
    """``work()``, or ``None`` when the database could not be read for it just now."""
    try:
        return work()
    except StorageError as error:
        log.warning("saved; %s left out: %s", what, error.message)
        return None
