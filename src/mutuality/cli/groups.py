"""A command group whose first word may be an argument of its default command."""

from __future__ import annotations

from typing import Any

from typer.core import TyperGroup


class DefaultToNew(TyperGroup):
    """``mutuality ask NAME TEXT`` means ``mutuality ask new NAME TEXT``: any first word that
    is not one of the group's commands goes to its ``new`` command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["new", *args]
        return super().parse_args(ctx, args)
