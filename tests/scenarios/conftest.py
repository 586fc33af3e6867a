"""The scenario suite (issue 14, "Tests"): see ``scenario_helpers`` for how a scenario is
stated and which checks every one of them inherits."""

from scenario_helpers import scene

__all__ = ["scene"]
