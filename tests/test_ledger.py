"""The ledger service: logging, the timeline, deleting and the bulk path (services/ledger.py)."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import TODAY, owner_id, parse_ledger, table_counts

from mutuality.core.errors import Ambiguous, InvalidInput, MutualityError, NotFound
from mutuality.core.model import Estimator, ExchangeKind, NewExchange
from mutuality.core.scale import KIND_DEFAULTS
from mutuality.services import ledger as ledger_module
from mutuality.services.ledger import Direction, check_new_exchange, parse_estimator


def ids(app) -> tuple[int, int]:
    """(owner id, Ana Lima's id) in the populated app."""
    return owner_id(app), app.people.get("Ana Lima").person.id


# --- the text helper itself ---------------------------------------------------------------------


def test_parse_ledger_helper() -> None:
    lines = parse_ledger("""
        # a comment
        gave "Ana Lima" knowledge 2026-10-01 benefit=4 cost=1 tags=a,b by=them "Reviewed, her deck"
        got Bo t today "Coffee"   # trailing comment
    """)
    assert [line.direction for line in lines] == [Direction.GAVE, Direction.GOT]
    assert lines[0].person == "Ana Lima"
    assert lines[0].what == "Reviewed, her deck"
    assert lines[0].options == {"benefit": 4.0, "cost": 1.0, "tags": ("a", "b"), "by": "them"}
    second = lines[1]
    assert (second.person, second.kind, second.on, second.options) == ("Bo", "t", "today", {})


# --- log ----------------------------------------------------------------------------------------


def test_log_gave_with_kind_defaults(populated) -> None:
    me, ana = ids(populated)
    exchange = populated.ledger.log("ana lima", Direction.GAVE, kind="intro", what=" Intro to Bo ")
    assert (exchange.giver_id, exchange.receiver_id) == (me, ana)
    assert exchange.kind is ExchangeKind.INTRODUCTION
    assert (exchange.benefit, exchange.cost) == KIND_DEFAULTS[ExchangeKind.INTRODUCTION]
    assert exchange.estimated_by is Estimator.DEFAULT
    assert exchange.description == "Intro to Bo"
    assert exchange.on == TODAY
    assert exchange.tags == ()
    assert exchange.outcome is None
    assert exchange.private_note is None
    assert exchange.created_at is not None


def test_log_got_reverses_giver_and_receiver(populated) -> None:
    me, ana = ids(populated)
    exchange = populated.ledger.log("ana", Direction.GOT, kind="time", what="Helped me move")
    assert (exchange.giver_id, exchange.receiver_id) == (ana, me)


@pytest.mark.parametrize("kind", list(ExchangeKind))
def test_every_kind_gets_its_defaults(populated, kind) -> None:
    exchange = populated.ledger.log("bo", Direction.GAVE, kind=kind.value, what="x")
    assert (exchange.benefit, exchange.cost) == KIND_DEFAULTS[kind]
    assert exchange.estimated_by is Estimator.DEFAULT


def test_log_with_explicit_values(populated) -> None:
    exchange = populated.ledger.log(
        "bo",
        Direction.GOT,
        kind="Referral",
        what="Referred me to a client",
        benefit=7.0,
        cost=0,
        on="2026-11-01",
        estimated_by="Both",
        tags=("Work", "clients", "work"),
        outcome=" Signed the contract ",
        private_note="don't mention the fee",
    )
    assert exchange.kind is ExchangeKind.REFERRAL
    assert (exchange.benefit, exchange.cost) == (7.0, 0.0)
    assert exchange.on == date(2026, 11, 1)
    assert exchange.estimated_by is Estimator.BOTH
    assert exchange.tags == ("clients", "work")
    assert exchange.outcome == "Signed the contract"
    assert exchange.private_note == "don't mention the fee"
    stored = [e.exchange for e in populated.ledger.timeline("bo").entries]
    assert exchange in stored


def test_one_given_value_takes_the_other_from_the_kind(populated) -> None:
    only_benefit = populated.ledger.log("bo", Direction.GAVE, kind="knowledge", what="x", benefit=6)
    assert (only_benefit.benefit, only_benefit.cost) == (6.0, 1.0)
    assert only_benefit.estimated_by is Estimator.ME
    only_cost = populated.ledger.log(
        "bo", Direction.GAVE, kind="knowledge", what="x", cost=0, estimated_by="them"
    )
    assert (only_cost.benefit, only_cost.cost) == (3.0, 0.0)
    assert only_cost.estimated_by is Estimator.THEM


def test_estimator_ignored_when_defaults_are_used(populated) -> None:
    exchange = populated.ledger.log("bo", Direction.GAVE, kind="time", what="x", estimated_by="me")
    assert exchange.estimated_by is Estimator.DEFAULT


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("today", TODAY),
        ("yesterday", date(2026, 11, 22)),
        ("3 days ago", date(2026, 11, 20)),
        ("2w", date(2026, 11, 9)),
        (date(2026, 1, 2), date(2026, 1, 2)),
        (None, TODAY),
    ],
)
def test_log_dates(populated, on, expected) -> None:
    assert populated.ledger.log("bo", Direction.GAVE, kind="time", what="x", on=on).on == expected


def test_log_by_email(populated) -> None:
    exchange = populated.ledger.log("bo@example.com", Direction.GAVE, kind="time", what="x")
    assert exchange.receiver_id == populated.people.get("Bo Chen").person.id


def test_log_direction_given_as_plain_string(populated) -> None:
    me, _ana = ids(populated)
    exchange = populated.ledger.log("ana", "gave", kind="time", what="x")  # type: ignore[arg-type]
    assert exchange.giver_id == me


BAD_LOGS = [
    ({"kind": "gift"}, InvalidInput, "kind", "gift"),
    ({"kind": "re"}, InvalidInput, "kind", "re"),
    ({"benefit": 11}, InvalidInput, "benefit", 11),
    ({"benefit": float("nan")}, InvalidInput, "benefit", None),
    ({"cost": -1}, InvalidInput, "cost", -1),
    ({"cost": True}, InvalidInput, "cost", True),
    ({"on": "2026-11-24"}, InvalidInput, "date", "2026-11-24"),
    ({"on": date(2027, 1, 1)}, InvalidInput, "date", "2027-01-01"),
    ({"on": "someday"}, InvalidInput, "date", "someday"),
    ({"what": "   "}, InvalidInput, "description", "   "),
    ({"what": "x" * 10_001}, InvalidInput, "description", None),
    ({"person": "Quentin"}, NotFound, "name", "Quentin"),
    ({"person": ""}, InvalidInput, "name", ""),
    ({"estimated_by": "mom", "benefit": 3}, InvalidInput, "estimated_by", "mom"),
    ({"tags": ("ok", "not ok!")}, InvalidInput, "tag", "not ok!"),
    ({"outcome": "x" * 10_001}, InvalidInput, "outcome", None),
    ({"private_note": "x" * 10_001}, InvalidInput, "note", None),
]


@pytest.mark.parametrize(("change", "error", "field", "value"), BAD_LOGS)
def test_bad_log_names_field_and_value_and_writes_nothing(
    populated, change, error, field, value
) -> None:
    arguments = {"person": "bo", "kind": "time", "what": "Helped", "benefit": 3, "cost": 1}
    arguments.update(change)
    before = populated.backups.snapshot()
    with pytest.raises(error) as caught:
        populated.ledger.log(arguments.pop("person"), Direction.GAVE, **arguments)
    assert caught.value.field == field
    if value is not None:
        assert caught.value.value == value
    assert populated.backups.snapshot() == before


@pytest.mark.parametrize(("change", "error", "field", "value"), BAD_LOGS)
def test_bad_log_on_an_empty_database_creates_no_owner(app, change, error, field, value) -> None:
    arguments = {"person": "bo", "kind": "time", "what": "Helped", "benefit": 3, "cost": 1}
    arguments.update(change)
    with pytest.raises((error, NotFound)):
        app.ledger.log(arguments.pop("person"), Direction.GAVE, **arguments)
    assert table_counts(app)["people"] == 0


def test_log_to_an_ambiguous_name_lists_candidates_and_writes_nothing(populated) -> None:
    populated.people.add("Ana Souza")
    before = populated.backups.snapshot()
    with pytest.raises(Ambiguous) as caught:
        populated.ledger.log("ana", Direction.GAVE, kind="time", what="x")
    assert caught.value.candidates == ["Ana Lima", "Ana Souza"]
    assert populated.backups.snapshot() == before


def test_log_to_the_owner_is_impossible(populated) -> None:
    with pytest.raises(NotFound):
        populated.ledger.log("Me", Direction.GAVE, kind="time", what="x")


def test_parse_estimator() -> None:
    assert parse_estimator(" Them ") is Estimator.THEM
    with pytest.raises(InvalidInput) as caught:
        parse_estimator("nobody")
    assert "me, them, both" in caught.value.message


# --- timeline -----------------------------------------------------------------------------------


def test_timeline_newest_first_with_weights(app, ledger) -> None:
    ledger("""
    gave Ana knowledge 2026-05-27 benefit=4 cost=1 "Half a year ago"
    got  Ana time      2026-11-23 benefit=3 cost=3 "Today, first"
    gave Ana feedback  2025-11-28 benefit=2 cost=1 "A year ago"
    got  Ana support   2026-11-23 benefit=5 cost=2 "Today, second"
    gave Bo  time      2026-11-01 "Someone else"
    """)
    timeline = app.ledger.timeline("ana")
    assert timeline.person.name == "Ana"
    assert [e.exchange.description for e in timeline.entries] == [
        "Today, second",
        "Today, first",
        "Half a year ago",
        "A year ago",
    ]
    assert [e.direction for e in timeline.entries] == [
        Direction.GOT,
        Direction.GOT,
        Direction.GAVE,
        Direction.GAVE,
    ]
    assert [e.weight for e in timeline.entries] == [1.0, 1.0, 0.5, 0.25]
    assert [e.exchange.description for e in app.ledger.timeline("ana", limit=2).entries] == [
        "Today, second",
        "Today, first",
    ]


def test_timeline_weight_follows_the_configured_half_life(tmp_path) -> None:
    from conftest import load_ledger, open_app

    from mutuality.core.value import ValueSettings
    from mutuality.services.settings import Settings

    with open_app(tmp_path / "h.db", Settings(ValueSettings(half_life_days=30))) as app:
        load_ledger(app, 'gave Ana time 2026-10-24 "Thirty days ago"')
        assert app.ledger.timeline("ana").entries[0].weight == 0.5


def test_timeline_of_someone_without_exchanges(populated) -> None:
    assert populated.ledger.timeline("dana").entries == []


def test_timeline_unknown_person(populated) -> None:
    with pytest.raises(NotFound):
        populated.ledger.timeline("Quentin")


# --- delete -------------------------------------------------------------------------------------


def test_delete_removes_one_exchange_and_its_tags(populated) -> None:
    before = table_counts(populated)
    tagged = next(e.exchange for e in populated.ledger.timeline("ana").entries if e.exchange.tags)
    removed = populated.ledger.delete(tagged.id)
    assert removed == tagged
    after = table_counts(populated)
    assert after == {
        **before,
        "exchanges": before["exchanges"] - 1,
        "exchange_tags": before["exchange_tags"] - 1,
    }
    assert [e.exchange.id for e in populated.ledger.timeline("ana").entries] != []
    assert tagged.id not in [e.exchange.id for e in populated.ledger.timeline("ana").entries]


def test_delete_unknown_exchange(populated) -> None:
    before = populated.backups.snapshot()
    with pytest.raises(NotFound) as caught:
        populated.ledger.delete(9999)
    assert (caught.value.field, caught.value.value) == ("id", 9999)
    assert populated.backups.snapshot() == before


# --- bulk add -----------------------------------------------------------------------------------


def new_exchange(giver: int, receiver: int, description: str = "bulk", **overrides) -> NewExchange:
    values = {
        "giver_id": giver,
        "receiver_id": receiver,
        "kind": ExchangeKind.TIME,
        "description": description,
        "on": date(2026, 11, 1),
        "benefit": 3.0,
        "cost": 1.0,
        "estimated_by": Estimator.ME,
    }
    values.update(overrides)
    return NewExchange(**values)


def test_bulk_add_inserts_everything(populated) -> None:
    me, ana = ids(populated)
    before = table_counts(populated)
    progress: list[int] = []
    count = populated.ledger.bulk_add(
        [
            new_exchange(me, ana, "one"),
            new_exchange(
                ana,
                me,
                "two",
                tags=("Work", "x"),
                outcome="ok",
                private_note="p",
                benefit=2.0,
                kind=ExchangeKind.MONEY,
                estimated_by=Estimator.BOTH,
            ),
            new_exchange(me, ana, "three"),
        ],
        progress=progress.append,
    )
    assert count == 3
    assert progress == [3]
    after = table_counts(populated)
    assert after["exchanges"] == before["exchanges"] + 3
    assert after["exchange_tags"] == before["exchange_tags"] + 2
    stored = {e.exchange.description: e.exchange for e in populated.ledger.timeline("ana").entries}
    two = stored["two"]
    assert (two.giver_id, two.receiver_id, two.kind, two.benefit) == (
        ana,
        me,
        ExchangeKind.MONEY,
        2.0,
    )
    assert (two.tags, two.outcome, two.private_note) == (("work", "x"), "ok", "p")
    assert two.estimated_by is Estimator.BOTH


def test_bulk_add_nothing(populated) -> None:
    assert populated.ledger.bulk_add([]) == 0


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"benefit": 11.0}, "benefit"),
        ({"cost": -1.0}, "cost"),
        ({"description": "  "}, "description"),
        ({"on": date(2026, 11, 24)}, "date"),
        ({"same_person": True}, "receiver"),
    ],
)
def test_bulk_add_is_all_or_nothing_and_names_the_bad_exchange(populated, bad, field) -> None:
    me, ana = ids(populated)
    before = populated.backups.snapshot()
    bad = dict(bad)
    receiver = me if bad.pop("same_person", False) else ana
    batch = [
        new_exchange(me, ana, "one"),
        new_exchange(ana, me, "two"),
        new_exchange(me, receiver, **{"description": "three", **bad}),
        new_exchange(me, ana, "four"),
    ]
    with pytest.raises(InvalidInput) as caught:
        populated.ledger.bulk_add(batch)
    assert caught.value.location == "exchange 3"
    assert caught.value.field == field
    assert str(caught.value).startswith("exchange 3: ")
    assert populated.backups.snapshot() == before


def test_bulk_add_across_batches_rolls_back_earlier_batches(populated, monkeypatch) -> None:
    monkeypatch.setattr(ledger_module, "BULK_BATCH", 2)
    me, ana = ids(populated)
    before = populated.backups.snapshot()
    progress: list[int] = []
    batch = [new_exchange(me, ana, f"n{i}", tags=("t",) if i % 2 else ()) for i in range(6)]
    batch[4] = new_exchange(me, ana, "bad", benefit=10.5)
    with pytest.raises(InvalidInput) as caught:
        populated.ledger.bulk_add(batch, progress=progress.append)
    assert caught.value.location == "exchange 5"
    assert progress == [2, 2]  # two batches were inserted before the bad one ...
    assert populated.backups.snapshot() == before  # ... and rolled back
    batch[4] = new_exchange(me, ana, "good")
    assert populated.ledger.bulk_add(batch) == 6


def test_bulk_add_keeps_the_input_order(populated) -> None:
    me, ana = ids(populated)
    populated.ledger.bulk_add(
        [
            new_exchange(me, ana, "first"),
            new_exchange(me, ana, "second", tags=("t",)),
            new_exchange(me, ana, "third"),
            new_exchange(me, ana, "fourth", tags=("u", "v")),
        ]
    )
    exchanges = sorted(populated.backups.snapshot()["exchanges"], key=lambda x: x["id"])
    assert [(x["description"], x["tags"]) for x in exchanges][-4:] == [
        ("first", []),
        ("second", ["t"]),
        ("third", []),
        ("fourth", ["u", "v"]),
    ]


def test_bulk_add_normalizes_like_log(populated) -> None:
    me, ana = ids(populated)
    populated.ledger.bulk_add(
        [new_exchange(me, ana, "  padded  ", tags=(" Work ", "work"), outcome="  ", benefit=3.1)]
    )
    stored = max(populated.backups.snapshot()["exchanges"], key=lambda x: x["id"])
    assert (stored["description"], stored["tags"], stored["outcome"], stored["benefit"]) == (
        "padded",
        ["work"],
        None,
        3.1,
    )


def test_bulk_add_bad_tag_names_the_exchange(populated) -> None:
    me, ana = ids(populated)
    before = populated.backups.snapshot()
    with pytest.raises(InvalidInput) as caught:
        populated.ledger.bulk_add([new_exchange(me, ana), new_exchange(me, ana, tags=("bad!",))])
    assert caught.value.location == "exchange 2"
    assert caught.value.field == "tag"
    assert populated.backups.snapshot() == before


@pytest.mark.parametrize("side", ["giver_id", "receiver_id"])
def test_bulk_add_unknown_person_names_the_exchange(populated, side) -> None:
    me, ana = ids(populated)
    before = populated.backups.snapshot()
    bad = new_exchange(me, ana, **{side: 9999})
    with pytest.raises(MutualityError) as caught:
        populated.ledger.bulk_add([new_exchange(me, ana), new_exchange(ana, me), bad])
    assert caught.value.location == "exchange 3"
    assert (caught.value.field, caught.value.value) == (side, 9999)
    assert populated.backups.snapshot() == before


def test_check_new_exchange_accepts_a_good_one() -> None:
    exchange = new_exchange(1, 2)
    assert check_new_exchange(exchange, TODAY) == exchange


@pytest.mark.parametrize("benefit", [5.55555, 7.04, 0.05, 9.99])
def test_a_value_finer_than_the_scale_is_refused_not_rounded(populated, benefit) -> None:
    before = len(populated.ledger.timeline("bo", 100, 0).entries)
    with pytest.raises(InvalidInput, match=r"finer than the scale holds.*give") as raised:
        populated.ledger.log("bo", Direction.GOT, kind="time", what="x", benefit=benefit)
    assert raised.value.field == "benefit" and raised.value.value == benefit
    assert len(populated.ledger.timeline("bo", 100, 0).entries) == before


@pytest.mark.parametrize("on", ["0001-01-01", "1899-12-31", "99999 days ago"])
def test_a_date_before_1900_is_refused_and_says_so(populated, on) -> None:
    with pytest.raises(InvalidInput, match="too long ago: dates start at 1900-01-01"):
        populated.ledger.log("bo", Direction.GOT, kind="time", what="x", on=on)


def test_1900_and_values_on_the_scale_are_kept(populated) -> None:
    exchange = populated.ledger.log(
        "bo", Direction.GOT, kind="time", what="x", on="1900-01-01", benefit=0.1 + 0.2, cost=2.5
    )
    assert (exchange.on.isoformat(), exchange.benefit, exchange.cost) == ("1900-01-01", 0.3, 2.5)
