"""One JSON contract per resource: the keys a command prints with ``--format json``, the
fields of the REST API's response model and the keys docs/json-output.md lists agree,
for every resource both of them answer with (each is built once, in
``mutuality.presenters``).

The command side is read from real output on a small ledger; the API side from the
response models (the API answers with every field of its model); the docs side from the
list after each ``<!-- keys: Name -->`` marker: a table's first column, or the top-level
``"key"`` names of a ``{...}`` list, where ``...Name`` stands for another object's keys.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from mutuality.cli.main import app
from mutuality.web.schemas import (
    capacity,
    checkins,
    commitments,
    exchanges,
    figures,
    health,
    introductions,
    needs,
    network,
    people,
    requests,
)

DOC = (Path(__file__).resolve().parent.parent / "docs" / "json-output.md").read_text(
    encoding="utf-8"
)
MARKER = re.compile(r"<!--\s*keys:\s*(\w+)\s*-->")
runner = CliRunner()


# --- the docs side ----------------------------------------------------------------------------


def documented() -> dict[str, set[str]]:
    """Each marked object's keys, with ``...Name`` spreads resolved."""
    raw: dict[str, tuple[set[str], list[str]]] = {}
    for match in MARKER.finditer(DOC):
        name, rest = match.group(1), DOC[match.end() :].lstrip()
        assert name not in raw, f"{name} is marked twice in docs/json-output.md"
        raw[name] = table_keys(rest) if rest.startswith("|") else list_keys(rest, name)

    def resolve(name: str, seen: tuple[str, ...] = ()) -> set[str]:
        assert name in raw, f"docs/json-output.md spreads ...{name}, which is not marked"
        assert name not in seen, f"...{name} spreads itself"
        keys, spreads = raw[name]
        return keys.union(*(resolve(s, (*seen, name)) for s in spreads))

    return {name: resolve(name) for name in raw}


def table_keys(text: str) -> tuple[set[str], list[str]]:
    """The backticked names in the first column of the table ``text`` starts with."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("|"):
            break
        rows.append(line)
    keys = set()
    for row in rows[2:]:  # the header and the rule
        keys.update(re.findall(r"`([^`]+)`", row.split("|")[1]))
    return keys, []


def list_keys(text: str, name: str) -> tuple[set[str], list[str]]:
    """The top-level ``"key"`` names and ``...Name`` spreads of the ``{...}`` that ``text``
    starts with (inside backticks); what is nested in ``{}``, ``[]`` or ``()`` is skipped."""
    assert text.startswith("`{"), f"the keys of {name} should follow its marker as `{{...}}`"
    keys: set[str] = set()
    spreads: list[str] = []
    depth, i = 0, 1
    while True:
        char = text[i]
        if char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
            if depth == 0:
                return keys, spreads
        elif depth == 1 and char == '"':
            end = text.index('"', i + 1)
            keys.add(text[i + 1 : end])
            i = end
        elif depth == 1 and text.startswith("...", i):
            spread = re.match(r"\.\.\.(\w+)", text[i:])
            assert spread, f"a spread in {name} names no object"
            spreads.append(spread.group(1))
            i += len(spread.group(0)) - 1
        i += 1


# --- the command side -------------------------------------------------------------------------


def run(db: str, *args: str) -> Any:
    result = runner.invoke(
        app, ["--db", db, *args, "--format", "json"], env={"MUTUALITY_CONFIG": os.devnull}
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """One example of each object, as the commands print it, from a small ledger: Ana gives
    much (a clear giver, and a thank-you is due), Bo is isolated."""
    db = str(tmp_path_factory.mktemp("contract") / "ledger.db")
    run(db, "person", "add", "Ana Lima", "--context", "friend", "--birthday", "1990-04-15")
    bo = run(db, "person", "add", "Bo Chen")
    date = run(db, "date", "add", "ana", "Wedding", "--on", "2015-06-01")
    logged = run(db, "gave", "ana", "-k", "knowledge", "-w", "Notes", "-b", "1", "-c", "1")
    for what, days in (("Referred me", 10), ("Intro to a client", 20), ("Feedback", 30)):
        run(db, "got", "ana", "-k", "referral", "-w", what, "-b", "7", "--on", f"{days} days ago")
    network = run(db, "network")
    asked = run(db, "ask", "ana", "Review my CV", "-b", "6", "-c", "1", "--decide", "yes")
    wish = ("--their-better", "More calls", "--wish-as", "later")
    run(db, "checkin", "ana", "--mine", "4", "--theirs", "3", *wish)
    pending = run(db, "checkin", "wishes")
    adopted = run(db, "checkin", "wishes", "adopt", str(pending[0]["checkin_id"]), "--as", "need")
    return {
        "Person": bo,
        "PersonDetails": run(db, "person", "show", "ana"),
        "Date": date,
        "Exchange": run(db, "timeline", "ana")["exchanges"][0],
        "Health": logged["health"],
        "HealthItem": run(db, "health")[0],
        "Balance": run(db, "why", "ana")["balance"],
        "PersonBalance": run(db, "balance", "ana"),
        "NextStep": run(db, "next")[0],
        "Thanks": run(db, "thanks")[0],
        "Network": network,
        "Named": network["isolated"][0],
        "Evidence": network["my_evidence"],
        "Pattern": network["gives_more"][0],
        "Thresholds": network["thresholds"],
        "ReachOut": network["reach_out_first"],
        "Capacity": run(db, "capacity", "20"),
        "Request": {k: v for k, v in asked.items() if k != "commitment"},
        "Commitment": run(db, "commitments")[0],
        "Wish": run(db, "need", "add", "bo", "A designer"),
        "Introduction": run(db, "intro", "propose", "ana", "bo", "--reason", "Both design"),
        "CheckIn": run(db, "checkin", "list", "ana")[0],
        "PendingWish": pending[0],
        "AdoptedWish": adopted,
        "AgendaItem": run(db, "agenda", "--days", "366")[0],
    }


# --- the API side -----------------------------------------------------------------------------

MODELS: dict[str, type[BaseModel]] = {
    "Person": people.PersonOut,
    "PersonDetails": people.PersonDetailOut,
    "Date": people.DateOut,
    "Exchange": exchanges.ExchangeOut,
    "Health": figures.HealthOut,
    "HealthItem": health.PersonHealthOut,
    "Balance": figures.BalanceOut,
    "PersonBalance": health.PersonBalanceOut,
    "NextStep": health.NextStepOut,
    "Thanks": health.ThanksOut,
    "Network": network.NetworkOut,
    "Named": network.NamedOut,
    "Evidence": network.StyleEvidenceOut,
    "Pattern": network.StyledPersonOut,
    "Thresholds": network.ThresholdsOut,
    "ReachOut": network.ReachOutOut,
    "Capacity": capacity.CapacityOut,
    "Request": requests.RequestOut,
    "Commitment": commitments.CommitmentOut,
    "Wish": needs.WishOut,
    "Introduction": introductions.IntroductionOut,
    "CheckIn": checkins.CheckInOut,
    "PendingWish": checkins.PendingWishOut,
    "AdoptedWish": checkins.WishAdoptedOut,
    "AgendaItem": checkins.AgendaItemOut,
}
"""Each resource's response model in the API."""

ONLY_IN_LISTS = {"Date": {"next_on", "years"}}
"""Keys a command adds where the API has no such answer: a Date in ``date add`` and
``date list`` says when it next happens; inside a person (the API's only dates) it does
not (docs/json-output.md says so)."""

ONLY_IN_THE_API = {"CheckIn": {"person_id"}}
"""Keys the API adds, as docs/json-output.md says: whose check-in it is (``checkin list``
prints one named person's)."""


def fields(model: type[BaseModel]) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


def test_every_marked_object_in_the_docs_is_checked() -> None:
    assert set(documented()) == set(MODELS)


@pytest.mark.parametrize("resource", sorted(MODELS))
def test_the_command_the_api_and_the_docs_agree(
    printed: dict[str, dict[str, Any]], resource: str
) -> None:
    docs = documented()[resource]
    in_api = docs - ONLY_IN_LISTS.get(resource, set()) | ONLY_IN_THE_API.get(resource, set())
    assert set(printed[resource]) == docs, f"{resource}: the command's keys against the docs"
    assert fields(MODELS[resource]) == in_api, f"{resource}: the API against the docs"


def test_the_api_answers_with_what_the_commands_print(
    printed: dict[str, dict[str, Any]],
) -> None:
    """The API's models take the printed objects as they are (one shape, the same types)
    and give them back unchanged, dates and rounding included."""
    for resource, model in MODELS.items():
        shown = {k: v for k, v in printed[resource].items() if k in fields(model)}
        if resource == "CheckIn":  # Ana's
            shown["person_id"] = printed["PersonDetails"]["id"]
        again = model.model_validate(shown).model_dump(
            mode="json", by_alias=True, exclude_unset=True
        )
        if resource == "Introduction":  # the API writes UTC with its offset
            for moment in ("created_at",):
                again[moment] = again[moment].removesuffix("Z")
            for step in again["steps"]:
                step["at"] = step["at"].removesuffix("Z")
        assert again == shown, resource
