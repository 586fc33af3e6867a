"""The people service: add, edit, find, list, forget (services/people.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import TODAY, owner_id, table_counts

from mutuality.core.errors import Ambiguous, Conflict, InvalidInput, NotFound
from mutuality.core.model import RelationshipContext
from mutuality.services.ledger import Direction
from mutuality.services.people import PersonChanges


def names(people) -> list[str]:
    return [person.name for person in people]


# --- add ----------------------------------------------------------------------------------------


def test_add_stores_every_field(app) -> None:
    person = app.people.add(
        "  Ana   Lima ",
        emails=("Ana@Example.org", "ana@example.org", "ana.lima@work.example"),
        phones=("+351  912 345 678",),
        tags=("Lisbon", "design", "lisbon"),
        organisation=" Studio Lima ",
        title="Designer",
        private_note="prefers mornings",
        context="Friend",
        started_on=date(2020, 1, 5),
        cadence_days=30,
    )
    assert person.name == "Ana Lima"
    assert person.emails == ("ana@example.org", "ana.lima@work.example")
    assert person.phones == ("+351 912 345 678",)
    assert person.tags == ("design", "lisbon")
    assert person.organisation == "Studio Lima"
    assert person.title == "Designer"
    assert person.private_note == "prefers mornings"
    assert person.is_owner is False
    assert person.created_at is not None
    assert person.created_at.microsecond == 0

    details = app.people.get("ana")
    assert details.person == person
    assert details.relationship.context is RelationshipContext.FRIEND
    assert details.relationship.started_on == date(2020, 1, 5)
    assert details.relationship.cadence_days == 30
    assert details.exchange_count == 0


def test_first_add_creates_the_owner_with_the_configured_name(app) -> None:
    assert app.backups.snapshot()["people"] == []
    app.people.add("Bo Chen")
    people = app.backups.snapshot()["people"]
    owner = [p for p in people if p["is_owner"]]
    assert len(owner) == 1
    assert owner[0]["name"] == "Me"
    app.people.add("Ana Lima")
    assert sum(p["is_owner"] for p in app.backups.snapshot()["people"]) == 1


def test_add_defaults(app) -> None:
    app.people.add("Bo Chen")
    details = app.people.get("bo")
    assert details.relationship.context is RelationshipContext.OTHER
    assert details.relationship.started_on == TODAY
    assert details.relationship.cadence_days is None
    person = details.person
    assert (person.emails, person.phones, person.tags) == ((), (), ())
    assert (person.organisation, person.title, person.private_note) == (None, None, None)


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ("Ana Lima", "ana lima"),
        ("Ana Lima", "ANA  LIMA"),
        ("José Álvarez", "Jose Alvarez"),
        ("Zoë", "zoe"),
        ("Ana Lima", "Ana\u200b Lima"),
    ],
)
def test_duplicate_name_is_a_conflict_and_writes_nothing(app, existing, new) -> None:
    app.people.add(existing)
    before = app.backups.snapshot()
    with pytest.raises(Conflict) as caught:
        app.people.add(new, emails=("new@example.org",), tags=("x",))
    assert caught.value.field == "name"
    assert existing in caught.value.message
    assert app.backups.snapshot() == before


@pytest.mark.parametrize("email", ["ana@example.org", "ANA@example.ORG"])
def test_duplicate_email_is_a_conflict_and_writes_nothing(app, email) -> None:
    app.people.add("Ana Lima", emails=("ana@example.org",))
    before = app.backups.snapshot()
    with pytest.raises(Conflict) as caught:
        app.people.add("Ana Souza", emails=("souza@example.org", email))
    assert caught.value.field == "email"
    assert caught.value.value == "ana@example.org"
    assert "Ana Lima" in caught.value.message
    assert app.backups.snapshot() == before


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": " \u200b "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Ana", "emails": ("not-an-email",)}, "email"),
        ({"name": "Ana", "phones": ("call me",)}, "phone"),
        ({"name": "Ana", "tags": ("bad tag!",)}, "tag"),
        ({"name": "Ana", "context": "frenemy"}, "context"),
        ({"name": "Ana", "cadence_days": 0}, "cadence"),
        ({"name": "Ana", "cadence_days": 3651}, "cadence"),
        ({"name": "Ana", "private_note": "x" * 10_001}, "note"),
        ({"name": "Ana", "organisation": "x" * 10_001}, "organisation"),
    ],
)
def test_add_rejects_bad_fields_and_writes_nothing(populated, kwargs, field) -> None:
    before = populated.backups.snapshot()
    with pytest.raises(InvalidInput) as caught:
        populated.people.add(**kwargs)
    assert caught.value.field == field
    assert populated.backups.snapshot() == before


def test_add_keeps_unicode_names(app) -> None:
    for name in ["محمد علي", "李小龍", "Zoë 😀", 'O\'Brien "Bob"']:
        assert app.people.add(name).name == name
    assert app.people.get("محمد").person.name == "محمد علي"
    assert app.people.get("李").person.name == "李小龍"


# --- resolve / get ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Ana Lima", "Ana Lima"),
        ("ana lima", "Ana Lima"),
        ("lima", "Ana Lima"),
        ("Ana Lmia", "Ana Lima"),
        ("jose", "José Álvarez"),
        ("álvarez", "José Álvarez"),
        ("bo", "Bo Chen"),
        ("ana@example.org", "Ana Lima"),
        ("  ANA@EXAMPLE.ORG ", "Ana Lima"),
        ("bo@example.com", "Bo Chen"),
        ("dana", "Dana Smith"),
    ],
)
def test_get_finds_people_forgivingly(populated, query, name) -> None:
    assert populated.people.get(query).person.name == name


def test_get_reports_relationship_and_exchange_count(populated) -> None:
    details = populated.people.get("Ana Lima")
    assert details.exchange_count == 2
    assert details.relationship.context is RelationshipContext.FRIEND
    assert populated.people.get("Dana").exchange_count == 0


@pytest.mark.parametrize("query", ["Quentin", "zzz", "nobody@example.org"])
def test_unknown_name_is_not_found(populated, query) -> None:
    with pytest.raises(NotFound) as caught:
        populated.people.get(query)
    assert (caught.value.field, caught.value.value) == ("name", query)
    assert query in caught.value.message


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_name_is_invalid(populated, query) -> None:
    with pytest.raises(InvalidInput) as caught:
        populated.people.get(query)
    assert caught.value.field == "name"


def test_ambiguous_name_lists_the_candidates(populated) -> None:
    populated.people.add("Ana Souza")
    with pytest.raises(Ambiguous) as caught:
        populated.people.get("ana")
    error = caught.value
    assert error.candidates == ["Ana Lima", "Ana Souza"]
    assert (error.field, error.value) == ("name", "ana")
    assert "Ana Lima" in error.message
    assert "Ana Souza" in error.message
    # More of the name settles it.
    assert populated.people.get("ana s").person.name == "Ana Souza"


def test_ambiguous_message_counts_every_match(app) -> None:
    for letter in "ABCDEFGHIJ":
        app.people.add(f"Ana {letter}")
    with pytest.raises(Ambiguous) as caught:
        app.people.get("ana")
    assert "matches 8 people" not in caught.value.message


def test_owner_is_never_matched(populated) -> None:
    with pytest.raises(NotFound):
        populated.people.get("Me")
    assert "Me" not in names(populated.people.list())
    populated.people.add("Mei Tanaka")
    assert populated.people.get("me").person.name == "Mei Tanaka"


def test_owner_is_not_matched_by_close_spelling(app) -> None:
    app.people.add("Bo Chen")  # creates the owner "Me"
    with pytest.raises(NotFound):
        app.people.get("Mee")


# --- list and search ----------------------------------------------------------------------------


def test_list_everyone_but_the_owner_by_name(populated) -> None:
    assert names(populated.people.list()) == ["Ana Lima", "Bo Chen", "Dana Smith", "José Álvarez"]


def test_list_on_an_empty_database(app) -> None:
    assert app.people.list() == []


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("lisbon", ["Ana Lima", "José Álvarez"]),
        ("LISBON ", ["Ana Lima", "José Álvarez"]),
        ("investor", ["Bo Chen"]),
        ("nothing", []),
    ],
)
def test_list_by_tag(populated, tag, expected) -> None:
    assert names(populated.people.list(tag=tag)) == expected


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("jose", ["José Álvarez"]),  # accent-insensitive
        ("ÁLVAR", ["José Álvarez"]),
        ("lima", ["Ana Lima"]),  # name and organisation
        ("studio", ["Ana Lima"]),  # organisation
        ("designer", ["Ana Lima"]),  # title
        ("example.com", ["Bo Chen"]),  # email
        ("912 345", ["Ana Lima"]),  # phone
        ("invest", ["Bo Chen"]),  # tag
        ("a", ["Ana Lima", "Bo Chen", "Dana Smith", "José Álvarez"]),
        ("%", []),  # LIKE wildcards are literal
        ("_", []),
        ("zzz", []),
        ("   ", ["Ana Lima", "Bo Chen", "Dana Smith", "José Álvarez"]),
    ],
)
def test_search(populated, search, expected) -> None:
    assert names(populated.people.list(search=search)) == expected


@pytest.mark.parametrize("search", ["Ärzte", "ärzte", "ÄRZTE", "ÖKO"])
def test_search_organisation_and_title_beyond_ascii(app, search) -> None:
    app.people.add("Hans", organisation="Ärzte ohne Grenzen", title="Öko-Berater")
    assert names(app.people.list(search=search)) == ["Hans"]


def test_search_and_tag_combine(populated) -> None:
    assert names(populated.people.list(tag="lisbon", search="jose")) == ["José Álvarez"]


def test_list_with_a_bad_tag_is_invalid(populated) -> None:
    with pytest.raises(InvalidInput):
        populated.people.list(tag="bad tag!")


# --- edit ---------------------------------------------------------------------------------------


def test_edit_changes_fields_and_relationship(populated) -> None:
    details = populated.people.edit(
        "bo",
        PersonChanges(
            name="Bo Chen Wei",
            organisation="Fund",
            title="Partner",
            private_note="met in 2019",
            context="mentor",
            cadence_days=14,
        ),
    )
    assert details.person.name == "Bo Chen Wei"
    assert details.person.organisation == "Fund"
    assert details.person.title == "Partner"
    assert details.person.private_note == "met in 2019"
    assert details.relationship.context is RelationshipContext.MENTOR
    assert details.relationship.cadence_days == 14
    assert populated.people.get("Bo Chen Wei") == details


def test_edit_with_no_changes_changes_nothing(populated) -> None:
    before = populated.backups.snapshot()
    populated.people.edit("ana", PersonChanges())
    assert populated.backups.snapshot() == before


def test_edit_clears_optional_text_with_an_empty_string(populated) -> None:
    details = populated.people.edit("ana", PersonChanges(organisation="", private_note=" "))
    assert details.person.organisation is None
    assert details.person.private_note is None
    assert details.person.title == "Designer"


def test_edit_renaming_to_a_variant_of_the_same_name_is_allowed(populated) -> None:
    details = populated.people.edit("josé", PersonChanges(name="jose alvarez"))
    assert details.person.name == "jose alvarez"


def test_edit_adds_and_removes_emails_phones_tags(populated) -> None:
    details = populated.people.edit(
        "ana",
        PersonChanges(
            add_emails=("Ana.Work@Example.org", "ana@example.org"),
            remove_emails=("ANA@example.org",),
            add_phones=("+1 555 010 9999",),
            remove_phones=("+351 912  345 678",),
            add_tags=("Mentor", "design"),
            remove_tags=("lisbon",),
        ),
    )
    person = details.person
    # ana@example.org was removed then re-added: it ends up after the new one.
    assert person.emails == ("ana.work@example.org", "ana@example.org")
    assert person.phones == ("+1 555 010 9999",)
    assert person.tags == ("design", "mentor")
    assert populated.people.get("ana.work@example.org").person.name == "Ana Lima"

    details = populated.people.edit("ana", PersonChanges(remove_emails=("ana@example.org",)))
    assert details.person.emails == ("ana.work@example.org",)
    # The freed email can go to someone else.
    populated.people.edit("bo", PersonChanges(add_emails=("ana@example.org",)))
    assert populated.people.get("ana@example.org").person.name == "Bo Chen"


def test_edit_rename_to_taken_name_is_a_conflict_and_writes_nothing(populated) -> None:
    before = populated.backups.snapshot()
    with pytest.raises(Conflict) as caught:
        populated.people.edit("bo", PersonChanges(name="ana lima", title="changed"))
    assert caught.value.field == "name"
    assert populated.backups.snapshot() == before


def test_edit_adding_someone_elses_email_is_a_conflict_and_writes_nothing(populated) -> None:
    before = populated.backups.snapshot()
    with pytest.raises(Conflict) as caught:
        populated.people.edit("bo", PersonChanges(title="changed", add_emails=("ana@example.org",)))
    assert caught.value.field == "email"
    assert "Ana Lima" in caught.value.message
    assert populated.backups.snapshot() == before


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        (PersonChanges(remove_emails=("nobody@example.org",)), NotFound, "email"),
        (PersonChanges(remove_phones=("+1 000 000",)), NotFound, "phone"),
        (PersonChanges(add_emails=("nope",)), InvalidInput, "email"),
        (PersonChanges(add_tags=("bad!",)), InvalidInput, "tag"),
        (PersonChanges(context="enemy"), InvalidInput, "context"),
        (PersonChanges(cadence_days=0), InvalidInput, "cadence"),
        (PersonChanges(name="  "), InvalidInput, "name"),
    ],
)
def test_edit_rejects_bad_changes_and_writes_nothing(populated, changes, error, field) -> None:
    before = populated.backups.snapshot()
    # The valid title change applied before the bad one must be rolled back too.
    with pytest.raises(error) as caught:
        populated.people.edit("ana", replace(changes, title="changed"))
    assert caught.value.field == field
    assert populated.backups.snapshot() == before


def test_edit_rejects_bad_change_atomically(populated) -> None:
    before = populated.backups.snapshot()
    with pytest.raises(NotFound):
        populated.people.edit(
            "ana",
            PersonChanges(name="Ana Renamed", add_tags=("new",), remove_emails=("x@example.org",)),
        )
    assert populated.backups.snapshot() == before


def test_edit_unknown_person_is_not_found(populated) -> None:
    with pytest.raises(NotFound):
        populated.people.edit("Quentin", PersonChanges(title="x"))


# --- bulk add -----------------------------------------------------------------------------------


def test_bulk_add_people(app) -> None:
    progress: list[int] = []
    ids = app.people.bulk_add(
        ["Ana Lima", " Bo  Chen "], context="colleague", progress=progress.append
    )
    assert len(ids) == 2
    assert progress == [2]
    assert names(app.people.list()) == ["Ana Lima", "Bo Chen"]
    assert app.people.get("bo").relationship.context is RelationshipContext.COLLEAGUE
    assert app.people.get("bo").person.id == ids[1]


@pytest.mark.parametrize(
    ("batch", "error"),
    [
        (["Ana Lima", "Bo Chen", "ana lima"], Conflict),  # twice in the batch
        (["Bo Chen", "Ana Lima"], Conflict),  # Ana Lima already exists
        (["Bo Chen", "  "], InvalidInput),
    ],
)
def test_bulk_add_people_is_all_or_nothing(app, batch, error) -> None:
    app.people.add("Ana Lima")
    before = app.backups.snapshot()
    with pytest.raises(error):
        app.people.bulk_add(batch)
    assert app.backups.snapshot() == before


def test_bulk_add_duplicate_names_their_position(app) -> None:
    with pytest.raises(Conflict) as caught:
        app.people.bulk_add(["Ana Lima", "Bo Chen", "ANA LIMA"])
    assert caught.value.location == "person 3"


# --- forget -------------------------------------------------------------------------------------


def test_forget_removes_the_person_and_everything_about_them_and_nothing_else(populated) -> None:
    before = table_counts(populated)
    assert before["person_emails"] == 2
    ana = populated.people.get("Ana Lima").person
    report = populated.people.forget("ana lima")
    assert report.name == "Ana Lima"
    assert report.exchanges == 2
    after = table_counts(populated)
    assert after == {
        **before,
        "people": before["people"] - 1,
        "person_emails": before["person_emails"] - 1,  # ana@example.org
        "person_phones": before["person_phones"] - 1,  # her only phone
        "person_tags": before["person_tags"] - 2,  # design, lisbon
        "relationships": before["relationships"] - 1,
        "exchanges": before["exchanges"] - 2,
        "exchange_tags": before["exchange_tags"] - 1,  # the design tag on her exchange
    }
    snapshot = populated.backups.snapshot()
    assert ana.id not in {p["id"] for p in snapshot["people"]}
    assert all(ana.id not in (x["giver_id"], x["receiver_id"]) for x in snapshot["exchanges"])
    assert all(ana.id != r["person_id"] for r in snapshot["relationships"])
    with pytest.raises(NotFound):
        populated.people.get("ana@example.org")
    # Everyone else is untouched.
    assert names(populated.people.list()) == ["Bo Chen", "Dana Smith", "José Álvarez"]
    assert populated.people.get("bo").exchange_count == 1
    assert populated.people.get("bo@example.com").person.name == "Bo Chen"


def test_forget_someone_without_exchanges(populated) -> None:
    assert populated.people.forget("dana").exchanges == 0
    assert names(populated.people.list()) == ["Ana Lima", "Bo Chen", "José Álvarez"]


def test_forget_keeps_the_owner(populated) -> None:
    owner = owner_id(populated)
    for name in ["Ana Lima", "Bo Chen", "José Álvarez", "Dana Smith"]:
        populated.people.forget(name)
    people = populated.backups.snapshot()["people"]
    assert [p["id"] for p in people] == [owner]
    counts = table_counts(populated)
    assert counts["exchanges"] == counts["relationships"] == counts["exchange_tags"] == 0
    assert counts["person_emails"] == counts["person_phones"] == counts["person_tags"] == 0


def test_forget_unknown_or_ambiguous_changes_nothing(populated) -> None:
    populated.people.add("Ana Souza")
    before = populated.backups.snapshot()
    with pytest.raises(NotFound):
        populated.people.forget("Quentin")
    with pytest.raises(Ambiguous):
        populated.people.forget("ana")
    with pytest.raises(NotFound):
        populated.people.forget("Me")
    assert populated.backups.snapshot() == before


def test_forget_frees_the_name_and_email(populated) -> None:
    populated.people.forget("Ana Lima")
    person = populated.people.add("Ana Lima", emails=("ana@example.org",))
    assert populated.people.get("ana@example.org").person == person
    assert populated.people.get("ana").exchange_count == 0


def test_forget_leaves_no_trace_in_the_database_file(populated) -> None:
    """P1: with secure_delete on, the forgotten bytes are gone from the file itself."""
    canary = "CANARY-7f3a9c"
    populated.people.add(
        f"Eve {canary}",
        emails=(f"{canary.lower()}@example.org",),
        phones=("+44 7700 900123",),
        tags=(canary,),
        organisation=canary,
        title=canary,
        private_note=canary,
    )
    populated.ledger.log(
        "eve",
        Direction.GOT,
        kind="time",
        what=f"talk {canary}",
        tags=(canary,),
        outcome=canary,
        private_note=canary,
    )
    path = populated.database.path
    assert canary.encode() in path.read_bytes()
    populated.people.forget("eve")
    with populated.database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    for trace in (canary.encode(), canary.lower().encode(), b"7700 900123"):
        assert trace not in data
    for suffix in ("-wal", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            assert canary.encode() not in side.read_bytes()
