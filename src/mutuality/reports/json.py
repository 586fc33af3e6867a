"""The report as JSON for scripts: the report's values as they are, dates as ISO text,
statuses as their words (see docs/json-output.md)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from enum import Enum
from typing import Any

from mutuality.core.capacity import CapacityUse
from mutuality.core.report import Flows, Report


def _plain(value: Any) -> Any:
    if isinstance(value, CapacityUse):
        cap = value.capacity
        return {
            "start": value.start.isoformat(),
            "end": value.end.isoformat(),
            "used": round(value.used, 3),
            "budget": cap.amount if cap else None,
            "unit": cap.unit.value if cap else None,
            "projected": round(value.projected, 3),
            "state": value.state.value,
        }
    if isinstance(value, Flows):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {**fields, "surplus": round(value.surplus, 3)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    return value


def render_json(report: Report) -> str:
    data = _plain(report)
    data["quarter"] = report.quarter.label
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
