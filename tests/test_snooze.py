"""Snooze in every adapter: the rule (core/todo.py), the service, the command, the API and
the person page's button; the backup carries it and forgetting a person removes it."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import TODAY, open_app
from typer.testing import CliRunner
from web_helpers import post_form, sign_in, web_client

from mutuality.cli.main import app as cli
from mutuality.core.errors import InvalidInput, NotFound
from mutuality.core.todo import MAX_SNOOZE_DAYS, add_months, snooze_until
from mutuality.services.app import Mutuality
from mutuality.store.tables import RelationshipRow

runner = CliRunner()


@pytest.mark.parametrize(
    ("until", "span", "expected"),
    [
        (None, "1w", TODAY + timedelta(days=7)),
        (None, "2w", TODAY + timedelta(days=14)),
        (None, "10d", TODAY + timedelta(days=10)),
        (None, "1m", date(2026, 12, 23)),
        (None, "3 months", date(2027, 2, 23)),
        ("2027-03-22", None, date(2027, 3, 22)),
        ("in 5 days", None, TODAY + timedelta(days=5)),
        (date(2026, 12, 1), None, date(2026, 12, 1)),
    ],
)
def test_a_snooze_ends_on_a_day_or_after_a_span(
    until: str | date | None, span: str | None, expected: date
) -> None:
    assert snooze_until(TODAY, until, span) == expected


@pytest.mark.parametrize(
    ("until", "span", "field"),
    [
        (None, None, "until"),
        ("2027-01-01", "2w", "until"),
        ("2026-11-23", None, "until"),  # today: a snooze ends after today
        ("2026-01-01", None, "until"),
        (None, "0d", "for"),
        (None, "soon", "for"),
        (None, "13m", "for"),  # more than a year
        ("2028-01-01", None, "until"),
    ],
)
def test_a_snooze_that_cannot_be_is_refused_naming_its_field(
    until: str | None, span: str | None, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        snooze_until(TODAY, until, span)
    assert refused.value.field == field


def test_months_count_by_the_calendar() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert (add_months(TODAY, 12) - TODAY).days <= MAX_SNOOZE_DAYS


def snoozed_until(app: Mutuality, name: str) -> date | None:
    return app.todo.snoozed().get(app.people.get(name).person.id)


def test_the_commands_snooze_and_unsnooze(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    with open_app(db) as app:
        app.people.add("Ana Lima")
    run = runner.invoke(cli, ["--db", db, "snooze", "ana", "--for", "2w"])
    assert run.exit_code == 0, run.output
    assert "Snoozed Ana Lima until" in run.output
    with open_app(db, today=date.today()) as app:
        assert snoozed_until(app, "Ana") == date.today() + timedelta(days=14)
    run = runner.invoke(cli, ["--db", db, "unsnooze", "ana"])
    assert run.exit_code == 0 and "back on the to-do list" in run.output
    with open_app(db, today=date.today()) as app:
        assert snoozed_until(app, "Ana") is None
    run = runner.invoke(cli, ["--db", db, "snooze", "ana"])
    assert run.exit_code == 2 and "say how long" in run.output


def test_the_api_snoozes_and_unsnoozes(populated: Mutuality) -> None:
    client = sign_in(web_client(populated), populated)
    ana = populated.people.get("Ana").person.id
    answer = client.post(f"/api/people/{ana}/snooze", json={"for": "1m"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["snoozed_until"] == "2026-12-23"
    assert answer.json()["person"]["name"] == "Ana Lima"
    assert snoozed_until(populated, "Ana") == date(2026, 12, 23)
    bad = client.post(f"/api/people/{ana}/snooze", json={"until": "2026-11-01"})
    assert bad.status_code == 422 and bad.json()["field"] == "until"
    answer = client.delete(f"/api/people/{ana}/snooze")
    assert answer.status_code == 200 and answer.json()["snoozed_until"] is None
    assert snoozed_until(populated, "Ana") is None


def test_the_person_page_snoozes_shows_the_day_and_undoes(populated: Mutuality) -> None:
    client = sign_in(web_client(populated), populated)
    ana = populated.people.get("Ana").person.id
    page = client.get(f"/people/{ana}").text
    assert f'action="/people/{ana}/snooze"' in page and "Snoozed until" not in page
    answer = post_form(client, f"/people/{ana}/snooze", {"until": "2027-03-22"})
    assert answer.status_code == 303
    page = client.get(answer.headers["location"]).text
    assert "Snoozed until" in page and "22 Mar 2027" in page
    assert f'action="/people/{ana}/unsnooze"' in page
    post_form(client, f"/people/{ana}/unsnooze", {})
    assert snoozed_until(populated, "Ana") is None
    refused = post_form(client, f"/people/{ana}/snooze", {"for": "forever"})
    assert refused.status_code == 422


def test_the_backup_carries_a_snooze_and_forgetting_removes_it(
    populated: Mutuality, tmp_path: Path
) -> None:
    populated.todo.snooze("Ana", until="2027-01-10")
    snapshot = populated.backups.snapshot()
    rows = {r["person_id"]: r for r in snapshot["relationships"]}
    ana = populated.people.get("Ana").person.id
    assert rows[ana]["snoozed_until"] == "2027-01-10"
    path = tmp_path / "backup.json"
    populated.backups.export_json(path)
    with open_app(tmp_path / "copy.db") as copy:
        copy.backups.restore_json(path)
        assert snoozed_until(copy, "Ana") == date(2027, 1, 10)
    populated.people.forget(ana)
    with populated.database.read() as session:
        assert session.query(RelationshipRow).filter_by(person_id=ana).count() == 0


def test_a_person_export_carries_the_snooze(populated: Mutuality) -> None:
    populated.todo.snooze("Ana", span="1w")
    ana = populated.people.get("Ana").person.id
    _, text = populated.person_exports.text(ana)
    relationships = json.loads(text)["data"]["relationships"]
    assert [r["snoozed_until"] for r in relationships] == ["2026-11-30"]


def test_snoozing_someone_with_no_relationship_says_so(populated: Mutuality) -> None:
    dana = populated.people.get("Dana").person.id
    with populated.database.write() as session:
        session.query(RelationshipRow).filter_by(person_id=dana).delete()
    with pytest.raises(NotFound, match="no relationship with Dana Smith"):
        populated.todo.snooze(dana, span="1w")
