"""The rules a backup must obey beyond its JSON shape: unique ids, exactly one owner, every
reference pointing at someone in the file, and every value in the form the services store
(the same rules as ``mutuality person add`` and ``mutuality gave``). A hand-edited or damaged
file is refused with the JSON path of the first problem, before anything is written."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import date
from typing import Any

from mutuality.core import fields
from mutuality.core.errors import BadFile, MutualityError
from mutuality.services.backup.schema import BackupData
from mutuality.services.ledger import check_new_exchange


def check_backup(data: BackupData, location: str) -> None:
    def fail(path: str, message: str, value: object = None) -> BadFile:
        return BadFile(
            f"{path}: {message}", field=path.rsplit(".", 1)[-1], value=value, location=location
        )

    def unique(
        items: Iterable[Any], path: str, key: Callable[[Any], Hashable], what: str
    ) -> set[Hashable]:
        seen: set[Hashable] = set()
        for index, item in enumerate(items):
            value = key(item)
            if value in seen:
                raise fail(f"{path}[{index}]", f"duplicate {what} {value}", value)
            seen.add(value)
        return seen

    def same_form(path: str, value: str, clean: Callable[[str], str]) -> None:
        try:
            normal = clean(value)
        except MutualityError as error:
            raise fail(path, error.message, value) from None
        if normal != value:
            raise fail(path, f"{value!r} is not in the stored form {normal!r}", value)

    def exists(path: str, person_id: int) -> None:
        if person_id not in person_ids:
            raise fail(path, f"no person with id {person_id}", person_id)

    person_ids = unique(data.people, "data.people", lambda p: p.id, "id")
    owners = sum(1 for person in data.people if person.is_owner)
    if data.people and owners != 1:
        raise fail("data.people", f"expected exactly one owner, found {owners}")
    unique(
        ((p, e) for p in data.people for e in p.emails),
        "data.people[*].emails",
        lambda pair: pair[1],
        "email",
    )
    for index, person in enumerate(data.people):
        path = f"data.people[{index}]"
        same_form(f"{path}.name", person.name, fields.person_name)
        for position, email in enumerate(person.emails):
            same_form(f"{path}.emails[{position}]", email, fields.email)
        for position, phone in enumerate(person.phones):
            same_form(f"{path}.phones[{position}]", phone, fields.phone)
        _check_tags(f"{path}.tags", person.tags, fail)

    unique(
        data.relationships,
        "data.relationships",
        lambda r: (r.owner_id, r.person_id),
        "relationship",
    )
    for index, relationship in enumerate(data.relationships):
        exists(f"data.relationships[{index}].owner_id", relationship.owner_id)
        exists(f"data.relationships[{index}].person_id", relationship.person_id)

    unique(data.exchanges, "data.exchanges", lambda x: x.id, "id")
    for index, exchange in enumerate(data.exchanges):
        path = f"data.exchanges[{index}]"
        exists(f"{path}.giver_id", exchange.giver_id)
        exists(f"{path}.receiver_id", exchange.receiver_id)
        _check_tags(f"{path}.tags", exchange.tags, fail)
        try:
            # a backup may come from a machine whose clock ran ahead
            check_new_exchange(exchange.new_exchange(), date.max)
        except MutualityError as error:
            raise fail(f"{path}.{error.field}", error.message, error.value) from None


def _check_tags(path: str, tags: list[str], fail: Callable[..., BadFile]) -> None:
    seen: set[str] = set()
    for position, tag in enumerate(tags):
        try:
            clean = fields.tag(tag)
        except MutualityError as error:
            raise fail(f"{path}[{position}]", error.message, tag) from None
        if clean != tag or tag in seen:
            raise fail(f"{path}[{position}]", f"tag {tag!r} is repeated or not in stored form", tag)
        seen.add(tag)
