"""The evaluation command where the matching issue asked for it to stay:
``python -m mutuality.services.evaluation --file F [--method M]`` prints the same table as
:mod:`mutuality.services.matching.evaluation` (method, P@1, R@5, NDCG@5, seconds; the
default method first), so that a labelled set kept elsewhere is scored the same way
whichever address it is run by."""

from __future__ import annotations

from mutuality.services.matching.evaluation import main

__all__ = ["main"]

if __name__ == "__main__":
    raise SystemExit(main())
