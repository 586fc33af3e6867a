"""The JSON backup: export, restore, the byte-identical round trip, and every bad file
refused with a clear message and the database untouched (services/backup/service.py;
C2, C6, I9, I11)."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, open_app, table_counts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from mutuality.core.errors import BadFile, Conflict, MutualityError, StorageError
from mutuality.core.model import Estimator, ExchangeKind, NewExchange
from mutuality.services.backup import service as backup_module
from mutuality.services.backup.service import SECTIONS, checksum, json_path
from mutuality.services.ledger import Direction
from mutuality.store import files as files_module
from mutuality.store.tables import ExchangeRow


def export(app, path: Path) -> dict[str, Any]:
    app.backups.export_json(path)
    return json.loads(path.read_text(encoding="utf-8"))


def write_backup(
    path: Path, data: dict[str, Any], *, fix_checksum: bool = True, **top: Any
) -> Path:
    """Write ``data`` as a backup (checksum recomputed unless told otherwise)."""
    document = {
        "format": "mutuality-backup",
        "version": 1,
        "data": data,
        "checksum": checksum(data) if fix_checksum else top.pop("checksum"),
    }
    document.update(top)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def fresh(tmp_path: Path, name: str = "restored.db"):
    return open_app(tmp_path / name)


# --- export -------------------------------------------------------------------------------------


def test_export_writes_one_record_per_line(populated, tmp_path) -> None:
    path = tmp_path / "backup.json"
    counts = populated.backups.export_json(path)
    assert (counts.people, counts.relationships, counts.exchanges) == (5, 4, 4)
    assert counts.total == 13
    content = path.read_text(encoding="utf-8")
    lines = content.splitlines()
    assert lines[0] == "{"
    assert lines[1].startswith(' "checksum": "sha256:')
    assert lines[-3:] == [' "format": "mutuality-backup",', ' "version": 1', "}"]
    assert content.endswith("}\n")
    record_lines = [line for line in lines if line.startswith("   {")]
    assert len(record_lines) == counts.total
    document = json.loads(content)
    assert set(document) == {"checksum", "data", "format", "version"}
    assert document["checksum"] == checksum(document["data"])
    assert document["data"] == populated.backups.snapshot()


def test_export_holds_every_field(populated, tmp_path) -> None:
    data = export(populated, tmp_path / "b.json")["data"]
    ana = next(p for p in data["people"] if p["name"] == "Ana Lima")
    assert ana["emails"] == ["ana@example.org"]
    assert ana["phones"] == ["+351 912 345 678"]
    assert ana["tags"] == ["design", "lisbon"]
    assert (ana["organisation"], ana["title"], ana["private_note"]) == (
        "Studio Lima",
        "Designer",
        "prefers mornings",
    )
    assert ana["is_owner"] is False
    relationship = next(r for r in data["relationships"] if r["person_id"] == ana["id"])
    assert relationship["context"] == "friend"
    assert relationship["started_on"] == TODAY.isoformat()
    deck = next(x for x in data["exchanges"] if x["description"] == "Reviewed her deck")
    assert deck["kind"] == "knowledge"
    assert deck["on"] == "2026-10-01"
    assert (deck["benefit"], deck["cost"]) == (4.0, 1.0)
    assert deck["tags"] == ["design"]
    assert deck["receiver_id"] == ana["id"]


def test_export_of_an_empty_database(app, tmp_path) -> None:
    document = export(app, tmp_path / "empty.json")
    assert document["data"] == {section: [] for section in SECTIONS}
    with fresh(tmp_path) as other:
        counts = other.backups.restore_json(tmp_path / "empty.json")
        assert counts.total == 0


def test_export_file_is_private(populated, tmp_path) -> None:
    path = tmp_path / "b.json"
    populated.backups.export_json(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_export_replaces_an_older_backup(populated, tmp_path) -> None:
    path = tmp_path / "b.json"
    path.write_text("old")
    populated.backups.export_json(path)
    assert json.loads(path.read_text())["format"] == "mutuality-backup"
    assert [name for name in os.listdir(tmp_path) if "b.json" in name] == ["b.json"]


# --- atomic export (C2) -------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


@pytest.mark.parametrize("fail_at", [1, 3, 6])
def test_export_failing_midway_leaves_the_old_file_and_no_temp(
    populated, tmp_path, monkeypatch, fail_at
) -> None:
    path = tmp_path / "b.json"
    populated.backups.export_json(path)
    old = path.read_bytes()
    populated.people.add("Newcomer")
    real = backup_module.canonical_json
    calls = {"n": 0}

    def failing(data: dict[str, Any]) -> str:
        calls["n"] += 1
        if calls["n"] > fail_at:  # call 1 is the checksum, then one call per record
            raise RuntimeError("simulated crash mid-write")
        return real(data)

    monkeypatch.setattr(backup_module, "canonical_json", failing)
    with pytest.raises(RuntimeError):
        populated.backups.export_json(path)
    assert path.read_bytes() == old
    assert leftovers(tmp_path) == []
    monkeypatch.setattr(backup_module, "canonical_json", real)
    # The old file still restores.
    with fresh(tmp_path) as other:
        assert other.backups.restore_json(path).people == 5


def test_export_failing_at_the_rename_gives_storage_error(populated, tmp_path, monkeypatch) -> None:
    path = tmp_path / "b.json"
    path.write_text("old backup")

    def no_replace(source: Any, target: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files_module.os, "replace", no_replace)
    with pytest.raises(StorageError) as caught:
        populated.backups.export_json(path)
    assert str(path) in caught.value.message
    assert "No space left on device" in caught.value.message
    assert "unchanged" in caught.value.message
    assert path.read_text() == "old backup"
    assert leftovers(tmp_path) == []


# --- a killed export's temporary file (issue #15) -----------------------------------------------


def dead_pid() -> int:
    """The id of a process that has ended (and been waited for)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def ours(
    target: str, pid: int, host: str | None = None, suffix: str = "tmp", random: str = "abcd_123"
) -> str:
    """A temporary name as the atomic writer makes them for ``target`` in process ``pid``."""
    return f".{target}.mutuality-{host or files_module.HOST_ID}-{pid}-{random}.{suffix}"


def leave(folder: Path, name: str, age_hours: float = 0.0, *, mode: int = 0o600) -> Path:
    path = folder / name
    path.write_text('{"checksum": "sha256:... a private backup, cut short')
    path.chmod(mode)
    when = time.time() - age_hours * 3600
    os.utime(path, (when, when))
    return path


def test_the_temporary_file_is_private_and_named_for_its_target_and_writer(tmp_path) -> None:
    target = tmp_path / "b.json"
    with files_module.atomic_text_file(target) as handle:
        handle.write("{}")
        [temp] = [p for p in tmp_path.iterdir() if p.name != "b.json"]
        assert temp.name.startswith(f".b.json.mutuality-{files_module.HOST_ID}-{os.getpid()}-")
        assert temp.name.endswith(".tmp")
        assert stat.S_IMODE(temp.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["b.json"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_next_export_removes_what_a_killed_export_left(populated, tmp_path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    left = leave(folder, ours("b.json", dead_pid()))
    other_target = leave(folder, ours("report.md", dead_pid()))
    populated.backups.export_json(folder / "b.json")
    assert not left.exists() and not other_target.exists()
    assert os.listdir(folder) == ["b.json"]


def test_only_stale_temporary_files_of_ours_are_removed(populated, tmp_path) -> None:
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        kept = [
            leave(tmp_path, ours("b.json", alive.pid)),  # an export still running
            leave(tmp_path, ours("b.json", dead_pid(), host="0123abcd")),  # another machine's
            leave(tmp_path, ours("b.json", dead_pid()), mode=0o644),  # not made by us
            leave(tmp_path, ".b.json.abcd_123.tmp", age_hours=1),  # an older name, recent
            leave(tmp_path, ".other.json.abcd_123.tmp", age_hours=48),  # older name, not ours
            leave(tmp_path, "notes.tmp", age_hours=48),
            leave(tmp_path, ".b.json.mutuality-1-x.tmp", age_hours=48),
            leave(tmp_path, "b.json.mutuality-tmp", age_hours=48),
        ]
        removed = [
            leave(tmp_path, ours("b.json", alive.pid, random="stuck_48"), age_hours=48),  # stuck
            leave(tmp_path, ours("b.json", dead_pid(), host="0123abcd", random="old_host"), 48),
            leave(tmp_path, ".b.json.before_1.tmp", age_hours=48),  # before the names said
        ]
        populated.backups.export_json(tmp_path / "b.json")
    finally:
        alive.kill()
        alive.wait()
    assert [path.name for path in kept if not path.exists()] == []
    assert [path.name for path in removed if path.exists()] == []


def test_a_link_or_a_folder_named_like_ours_is_left_alone(populated, tmp_path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = leave(outside, "keep.txt")
    link = tmp_path / ours("b.json", dead_pid())
    link.symlink_to(secret)
    folder = tmp_path / ours("b.json", dead_pid(), suffix="old")
    folder.mkdir()
    (folder / "inside.txt").write_text("x")
    populated.backups.export_json(tmp_path / "b.json")
    assert link.is_symlink() and secret.exists()
    assert folder.is_dir()  # a leftover old folder goes only when its target exists


@pytest.mark.slow
def test_killing_an_export_keeps_the_old_backup_and_the_next_export_cleans_up(
    tmp_path,
) -> None:
    """A real ``kill -9`` of ``mutuality export`` halfway through a large backup."""
    db = tmp_path / "big.db"
    target = tmp_path / "backup.json"
    with open_app(db) as big:
        a, b = big.people.add("Ana Lima").id, big.people.add("Bo Chen").id
        words = "a long description that makes the backup large " * 60
        big.ledger.bulk_add(
            [
                NewExchange(a, b, ExchangeKind.TIME, f"{n} {words}", TODAY, 3.0, 1.0, Estimator.ME)
                for n in range(25_000)
            ]
        )
        big.backups.export_json(target)
        big.people.add("Cy Park")  # the next backup differs
    old = target.read_bytes()
    assert len(old) > 50_000_000
    env = {**os.environ, "MUTUALITY_CONFIG": str(tmp_path / "no-config.toml")}
    command = [sys.executable, "-m", "mutuality", "--db", str(db), "export", str(target)]
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    temp = None
    deadline = time.monotonic() + 120
    while temp is None and child.poll() is None and time.monotonic() < deadline:
        found = [p for p in tmp_path.iterdir() if p.name.startswith(".backup.json.mutuality-")]
        if found and found[0].stat().st_size > 1_000_000:
            temp = found[0]
        else:
            time.sleep(0.002)
    assert temp is not None, "the export ended before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert temp.exists() and f"-{child.pid}-" in temp.name
    assert target.read_bytes() == old  # the old backup, whole
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert finished.returncode == 0, finished.stderr
    assert not temp.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if "backup.json" in p.name) == ["backup.json"]
    verified = subprocess.run(
        [
            sys.executable,
            "-m",
            "mutuality",
            "--db",
            str(tmp_path / "check.db"),
            "import",
            "--dry-run",
            str(target),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    said = " ".join(verified.stderr.split())
    assert "is sound" in said and "25000 exchanges" in said


def test_export_into_a_missing_folder(populated, tmp_path) -> None:
    with pytest.raises(StorageError) as caught:
        populated.backups.export_json(tmp_path / "nowhere" / "b.json")
    assert "does not exist" in caught.value.message


# --- restore and the round trip -----------------------------------------------------------------


def test_round_trip_is_byte_identical(populated, tmp_path) -> None:
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    populated.backups.export_json(first)
    with fresh(tmp_path) as other:
        counts = other.backups.restore_json(first)
        assert (counts.people, counts.relationships, counts.exchanges) == (5, 4, 4)
        other.backups.export_json(second)
        assert second.read_bytes() == first.read_bytes()
        assert other.backups.snapshot() == populated.backups.snapshot()
        # The restored database works like the original.
        assert [p.name for p in other.people.list()] == [p.name for p in populated.people.list()]
        assert other.balances.overview() == populated.balances.overview()
        assert other.people.get("ana@example.org").person.name == "Ana Lima"
        # New ids continue after the restored ones.
        newcomer = other.people.add("Newcomer")
        assert newcomer.id > max(p["id"] for p in populated.backups.snapshot()["people"])
        exchange = other.ledger.log("newcomer", Direction.GAVE, kind="time", what="x")
        assert exchange.id > 4


def test_restore_into_a_database_holding_only_the_owner(populated, tmp_path) -> None:
    path = tmp_path / "b.json"
    populated.backups.export_json(path)
    with fresh(tmp_path) as other:
        other.people.add("Temp")
        other.people.forget("Temp")  # leaves just the owner
        assert table_counts(other)["people"] == 1
        other.backups.restore_json(path)
        assert other.backups.snapshot() == populated.backups.snapshot()


def test_restore_refuses_a_database_that_is_not_empty(populated, tmp_path) -> None:
    path = tmp_path / "b.json"
    populated.backups.export_json(path)
    before = populated.backups.snapshot()
    with pytest.raises(Conflict) as caught:
        populated.backups.restore_json(path)
    assert "4 people and 4 exchanges" in caught.value.message
    assert caught.value.field == "db"
    assert populated.backups.snapshot() == before


def test_restore_refuses_people_without_exchanges_too(app, populated, tmp_path) -> None:
    path = tmp_path / "b.json"
    populated.backups.export_json(path)
    with fresh(tmp_path) as other:
        other.people.add("Someone")
        before = other.backups.snapshot()
        with pytest.raises(Conflict):
            other.backups.restore_json(path)
        assert other.backups.snapshot() == before


def test_read_backup_checks_without_writing(populated, tmp_path) -> None:
    path = tmp_path / "b.json"
    populated.backups.export_json(path)
    with fresh(tmp_path) as other:
        data = other.backups.read_backup(path).data
        assert len(data.exchanges) == 4
        assert data.exchanges[0].kind is ExchangeKind.KNOWLEDGE
        assert table_counts(other)["people"] == 0


# --- the round trip as a property (I11) ---------------------------------------------------------

SPECIALS = [
    "\x00",
    "\u200b",
    "\u200d",
    "\u200c",
    "\u202e",
    "\u2067",
    "\u2069",
    "\ufeff",
    "😀",
    "👩\u200d💻",
    '"',
    "\\",
    "'",
    "\n",
    "\r",
    "\t",
    "\u2028",
    "<script>",
    "מרים",
    "☃",
]
texts = st.lists(
    st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(SPECIALS)),
    max_size=20,
).map("".join)
optional_texts = st.none() | texts
tag_words = st.lists(
    st.sampled_from(["work", "café", "日本", "ml/ai", "c++", "q3:2026"]), max_size=3
)


@st.composite
def ledgers(draw: st.DrawFn) -> dict[str, Any]:
    people = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "name": texts,
                    "org": optional_texts,
                    "note": optional_texts,
                    "tags": tag_words,
                    "email": st.booleans(),
                    "context": st.sampled_from(["friend", "client", "other"]),
                    "cadence": st.none() | st.integers(1, 3650),
                }
            ),
            min_size=1,
            max_size=4,
        )
    )
    exchanges = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "who": st.integers(0, len(people) - 1),
                    "direction": st.sampled_from(list(Direction)),
                    "kind": st.sampled_from([kind.value for kind in ExchangeKind]),
                    "what": texts,
                    "outcome": optional_texts,
                    "note": optional_texts,
                    "tags": tag_words,
                    "age": st.integers(0, 4000),
                    "benefit": st.none() | st.integers(0, 100).map(lambda t: t / 10),
                    "cost": st.none() | st.integers(0, 100).map(lambda t: t / 10),
                }
            ),
            max_size=8,
        )
    )
    return {"people": people, "exchanges": exchanges}


def build(app, spec: dict[str, Any]) -> None:
    names = []
    for index, person in enumerate(spec["people"]):
        name = f"P{index} {person['name']}"[:200]
        created = app.people.add(
            name,
            emails=(f"p{index}@example.org",) if person["email"] else (),
            tags=tuple(person["tags"]),
            organisation=person["org"],
            private_note=person["note"],
            context=person["context"],
            cadence_days=person["cadence"],
        )
        names.append(created.name)
    for exchange in spec["exchanges"]:
        app.ledger.log(
            names[exchange["who"]],
            exchange["direction"],
            kind=exchange["kind"],
            what="d " + exchange["what"],
            benefit=exchange["benefit"],
            cost=exchange["cost"],
            on=TODAY - timedelta(days=exchange["age"]),
            tags=tuple(exchange["tags"]),
            outcome=exchange["outcome"],
            private_note=exchange["note"],
        )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_export_restore_export_is_byte_identical(spec) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with open_app(root / "a.db") as original:
            build(original, spec)
            original.backups.export_json(root / "first.json")
            snapshot = original.backups.snapshot()
        with open_app(root / "b.db") as restored:
            restored.backups.restore_json(root / "first.json")
            restored.backups.export_json(root / "second.json")
            assert restored.backups.snapshot() == snapshot
        assert (root / "second.json").read_bytes() == (root / "first.json").read_bytes()


def test_round_trip_keeps_unicode_text_exactly(app, tmp_path) -> None:
    tricky = 'a\x00b \u202eevil\u202c \u200b😀 👩\u200d💻 "q" \\ \n\r\t \u2028 ‏מרים‎ </script>'
    app.people.add("Tricky", organisation=tricky, private_note=tricky)
    app.ledger.log(
        "tricky", Direction.GOT, kind="time", what=tricky, outcome=tricky, private_note=tricky
    )
    # Control characters are cleaned as text comes in (issue #15); a ledger written before
    # that may still hold them, and its backup keeps them exactly too.
    assert app.ledger.timeline("tricky").entries[0].exchange.description == (
        'ab evil \u200b😀 👩\u200d💻 "q" \\ \n\n\t \u2028 ‏מרים‎ </script>'
    )
    with app.database.write() as session:
        session.execute(update(ExchangeRow).values(private_note=tricky))
    before = app.backups.snapshot()
    assert before["exchanges"][0]["private_note"] == tricky
    path = tmp_path / "b.json"
    app.backups.export_json(path)
    with fresh(tmp_path) as other:
        other.backups.restore_json(path)
        assert other.backups.snapshot() == before


# --- bad files (C6, I9) -------------------------------------------------------------------------


@pytest.fixture
def good(populated, tmp_path) -> tuple[str, dict[str, Any]]:
    """A valid backup of the populated app: its text and its parsed document."""
    path = tmp_path / "good.json"
    populated.backups.export_json(path)
    text = path.read_text(encoding="utf-8")
    return text, json.loads(text)


def _first_exchange_line(text: str) -> str:
    return next(line for line in text.splitlines() if '"giver_id"' in line)


def _edit_line(text: str, old: str, new: str) -> str:
    line = _first_exchange_line(text)
    assert old in line
    return text.replace(line, line.replace(old, new, 1), 1)


def _with(document: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = json.loads(json.dumps(document["data"]))
    change(data)
    return data


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


BAD_TEXTS: dict[str, tuple[Callable[[str], str], list[str]]] = {
    "not json": (lambda text: "hello, world", ["line 1, column 1"]),
    "empty file": (lambda text: "", ["line 1, column 1"]),
    "truncated": (lambda text: text[: len(text) // 2], ["line ", "column "]),
    "cut at the end": (lambda text: text[:-3], ["line ", "column "]),
    "duplicate key": (
        lambda text: _edit_line(text, '{"benefit":', '{"benefit":1.0,"benefit":'),
        ["duplicate key 'benefit'"],
    ),
    "duplicate top-level key": (
        lambda text: text.replace(' "version": 1\n', ' "version": 1, "version": 1\n'),
        ["duplicate key 'version'"],
    ),
    "1e309": (
        lambda text: _edit_line(text, '"benefit":4.0', '"benefit":1e309'),
        ["1e309", "out of range"],
    ),
    "-1e309": (
        lambda text: _edit_line(text, '"benefit":4.0', '"benefit":-1e309'),
        ["out of range"],
    ),
    "NaN": (
        lambda text: _edit_line(text, '"benefit":4.0', '"benefit":NaN'),
        ["NaN is not allowed"],
    ),
    "Infinity": (
        lambda text: _edit_line(text, '"cost":1.0', '"cost":Infinity'),
        ["Infinity is not allowed"],
    ),
    "1000-level nesting": (
        lambda text: _edit_line(text, '"tags":["design"]', '"tags":' + _nested(1000)),
        ["nested too deeply"],
    ),
    "100000-level nesting": (lambda text: _nested(100_000), ["nested too deeply"]),
    "top-level array": (lambda text: "[1, 2, 3]", ["not a mutuality backup"]),
    "wrong format": (
        lambda text: text.replace('"mutuality-backup"', '"other-backup"'),
        ["not a mutuality backup"],
    ),
    "no format": (
        lambda text: text.replace(' "format": "mutuality-backup",\n', ""),
        ["not a mutuality backup"],
    ),
    "wrong version": (lambda text: text.replace(' "version": 1\n', ' "version": 2\n'), ["version"]),
    "bad checksum": (
        lambda text: text.replace("Reviewed her deck", "Reviewed her desk"),
        ["checksum does not match"],
    ),
    "malformed checksum": (lambda text: text.replace('"sha256:', '"md5:'), ["checksum"]),
}


@pytest.mark.parametrize("case", list(BAD_TEXTS))
def test_bad_file_is_refused_and_nothing_written(good, app, tmp_path, case) -> None:
    text, _document = good
    corrupt, needles = BAD_TEXTS[case]
    path = tmp_path / "bad.json"
    path.write_text(corrupt(text), encoding="utf-8")
    with fresh(tmp_path) as target:
        before = table_counts(target)
        with pytest.raises(BadFile) as caught:
            target.backups.restore_json(path)
        for needle in needles:
            assert needle in caught.value.message, caught.value.message
        assert caught.value.location == str(path)
        assert str(path) in str(caught.value)
        assert table_counts(target) == before


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _two_owners(data: dict[str, Any]) -> None:
    data["people"][1]["is_owner"] = True


def _duplicate_person_id(data: dict[str, Any]) -> None:
    data["people"][2]["id"] = data["people"][1]["id"]


def _duplicate_email(data: dict[str, Any]) -> None:
    data["people"][2]["emails"] = list(data["people"][1]["emails"])


def _self_exchange(data: dict[str, Any]) -> None:
    data["exchanges"][0]["receiver_id"] = data["exchanges"][0]["giver_id"]


def _dangling_relationship(data: dict[str, Any]) -> None:
    data["relationships"][0]["person_id"] = 99


def _no_owner(data: dict[str, Any]) -> None:
    for person in data["people"]:
        person["is_owner"] = False


BAD_DATA: dict[str, tuple[Callable[[dict[str, Any]], None], list[str]]] = {
    "unknown field": (_set(["exchanges", 0, "extra"], 1), ["data.exchanges[0].extra"]),
    "unknown person field": (_set(["people", 0, "age"], 40), ["data.people[0].age"]),
    "unknown section": (_set(["notes"], []), ["data.notes"]),
    "benefit 11": (_set(["exchanges", 0, "benefit"], 11), ["data.exchanges[0].benefit"]),
    "negative cost": (_set(["exchanges", 1, "cost"], -1), ["data.exchanges[1].cost"]),
    "unknown kind": (_set(["exchanges", 0, "kind"], "gift"), ["data.exchanges[0].kind"]),
    "bad date": (_set(["exchanges", 0, "on"], "2026-02-30"), ["data.exchanges[0].on"]),
    "string id": (_set(["people", 0, "id"], "1"), ["data.people[0].id"]),
    "bool as id": (_set(["exchanges", 0, "giver_id"], True), ["data.exchanges[0].giver_id"]),
    "empty name": (_set(["people", 1, "name"], ""), ["data.people[1].name"]),
    "empty description": (
        _set(["exchanges", 0, "description"], ""),
        ["data.exchanges[0].description"],
    ),
    "missing field": (lambda data: data["exchanges"][0].pop("cost"), ["data.exchanges[0].cost"]),
    "unknown context": (
        _set(["relationships", 0, "context"], "enemy"),
        ["data.relationships[0].context"],
    ),
    "dangling giver": (
        _set(["exchanges", 0, "giver_id"], 99),
        ["data.exchanges[0].giver_id", "no person with id 99"],
    ),
    "dangling receiver": (
        _set(["exchanges", 2, "receiver_id"], 42),
        ["data.exchanges[2].receiver_id", "no person with id 42"],
    ),
    "dangling relationship": (
        _dangling_relationship,
        ["data.relationships[0].person_id", "no person with id 99"],
    ),
    "two owners": (_two_owners, ["exactly one owner, found 2"]),
    "no owner": (_no_owner, ["exactly one owner, found 0"]),
    "duplicate person id": (_duplicate_person_id, ["data.people[2]", "duplicate id"]),
    "duplicate email": (_duplicate_email, ["data.people[*].emails[1]", "duplicate email"]),
    "self exchange": (_self_exchange, ["data.exchanges[0]", "two different people"]),
}


@pytest.mark.parametrize("case", list(BAD_DATA))
def test_bad_data_is_refused_with_its_json_path(good, tmp_path, case) -> None:
    _text, document = good
    change, needles = BAD_DATA[case]
    path = write_backup(tmp_path / "bad.json", _with(document, change))
    with fresh(tmp_path) as target:
        before = table_counts(target)
        with pytest.raises(BadFile) as caught:
            target.backups.restore_json(path)
        for needle in needles:
            assert needle in caught.value.message, caught.value.message
        assert table_counts(target) == before


def test_bad_file_is_refused_before_the_non_empty_check(populated, tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{")
    before = populated.backups.snapshot()
    with pytest.raises(BadFile):
        populated.backups.restore_json(path)
    assert populated.backups.snapshot() == before


def test_missing_file(app, tmp_path) -> None:
    with pytest.raises(StorageError) as caught:
        app.backups.restore_json(tmp_path / "none.json")
    assert "no such file" in caught.value.message


def test_file_that_is_not_utf8(app, tmp_path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"name": "José"}'.encode("latin-1"))
    with pytest.raises(MutualityError) as caught:
        app.backups.restore_json(path)
    assert "UTF-8" in caught.value.message
    assert table_counts(app)["people"] == 0


def test_file_with_a_byte_order_mark_is_read(populated, tmp_path) -> None:
    path = tmp_path / "b.json"
    populated.backups.export_json(path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with fresh(tmp_path) as other:
        assert other.backups.restore_json(path).exchanges == 4


def test_huge_integer_is_a_bad_file(good, tmp_path) -> None:
    text, _document = good
    path = tmp_path / "bad.json"
    path.write_text(_edit_line(text, '"benefit":4.0', '"benefit":' + "9" * 5000))
    with fresh(tmp_path) as target, pytest.raises(BadFile):
        target.backups.restore_json(path)


def _duplicate_person_tag(data: dict[str, Any]) -> None:
    data["people"][1]["tags"] = ["x", "x"]


def _duplicate_exchange_tag(data: dict[str, Any]) -> None:
    data["exchanges"][0]["tags"] = ["t", "t"]


def _duplicate_relationship(data: dict[str, Any]) -> None:
    data["relationships"].append(dict(data["relationships"][0]))


@pytest.mark.parametrize(
    "change", [_duplicate_person_tag, _duplicate_exchange_tag, _duplicate_relationship]
)
def test_duplicates_the_schema_forbids_are_bad_files(good, tmp_path, change) -> None:
    _text, document = good
    path = write_backup(tmp_path / "bad.json", _with(document, change))
    with fresh(tmp_path) as target:
        try:
            with pytest.raises(BadFile):
                target.backups.restore_json(path)
        finally:
            assert table_counts(target)["people"] == 0


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda text: _edit_line(text, '{"benefit":', '{"benefit":1.0,"benefit":'),
        lambda text: _edit_line(text, '"benefit":4.0', '"benefit":1e309'),
    ],
    ids=["duplicate key", "1e309"],
)
def test_parse_errors_say_where(good, tmp_path, corrupt) -> None:
    text, _document = good
    path = tmp_path / "bad.json"
    path.write_text(corrupt(text))
    with fresh(tmp_path) as target, pytest.raises(BadFile) as caught:
        target.backups.restore_json(path)
    message = caught.value.message
    assert "data.exchanges[0]" in message or "line " in message


@pytest.mark.parametrize(
    ("location", "path"),
    [
        (("data", "exchanges", 3, "benefit"), "data.exchanges[3].benefit"),
        (("checksum",), "checksum"),
        ((), "(top level)"),
        (("data", "people", 0, "tags", 2), "data.people[0].tags[2]"),
    ],
)
def test_json_path(location, path) -> None:
    assert json_path(location) == path


def test_restored_dates_and_times_round_trip(populated, tmp_path) -> None:
    path = tmp_path / "b.json"
    populated.backups.export_json(path)
    with fresh(tmp_path) as other:
        other.backups.restore_json(path)
        exchange = other.ledger.timeline("bo").entries[0].exchange
        assert exchange.on == date(2026, 11, 20)
        assert exchange.created_at == populated.ledger.timeline("bo").entries[0].exchange.created_at
