"""Who an imported contact is: the one place for the rules that match a contact to a person
already known, and for what a merge may change.

Matching, strictest first (the first rule that finds someone decides):

1. the same UID (the address book's own identifier);
2. a shared email address;
3. a shared phone number (digits compared; ``0611 123456`` is ``+49 611 123456``);
4. the same social profile URL (LinkedIn, GitHub, X/Twitter, Facebook, Instagram);
5. the same name with no contradiction (the organisations agree or one is empty, and the
   two do not carry different profile URLs);
6. a close spelling of the name (rapidfuzz ``token_sort_ratio`` >= 85) at the same
   organisation.

A merge only fills in: new emails, phones, tags, addresses, URLs, dates (an anniversary
with the same words on the same day is the same date), and empty fields
(organisation, title, birthday, note, UID, photo). It never renames a person or overwrites
what the user wrote; a differing organisation or note is reported, not replaced. Names
stay unique: a new person whose name is taken gets a detail, ``Ana Lima (Globex)`` or
``Ana Lima (2)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from mutuality.core.contacts import (
    Birthday,
    ContactCard,
    ContactDate,
    Photo,
    PostalAddress,
    WebLink,
)
from mutuality.core.names import name_key
from mutuality.store.tables import (
    AddressRow,
    EmailRow,
    ImportantDateRow,
    PersonRow,
    PersonTagRow,
    PhoneRow,
    PhotoRow,
    UrlRow,
)

CLOSE_NAME = 85.0
_DETAIL = re.compile(r"\s*\([^()]*\)$")
_PROFILE = re.compile(
    r"^(?:https?://)?(?:[a-z]{2,3}\.)?(linkedin\.com/in|github\.com|x\.com|twitter\.com|"
    r"facebook\.com|instagram\.com)/([^/?#\s]+)",
    re.IGNORECASE,
)


def base_key(name: str) -> str:
    """The comparable name without a disambiguating detail: ``Ana Lima (2)`` -> ``ana lima``."""
    return name_key(_DETAIL.sub("", name)) or name_key(name)


def phone_key(phone: str) -> str | None:
    """The index key of a phone: its last 8 digits (``None`` for fewer than 6)."""
    digits = _digits(phone)
    return digits[-8:] if len(digits) >= 6 else None


def _digits(phone: str) -> str:
    """Digits, with ``00`` read as ``+`` and a national trunk ``0`` dropped."""
    text = phone.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    return digits.lstrip("0")


def same_phone(one: str, other: str) -> bool:
    """Equal digits, or a national number (8+ digits) that an international one ends with
    after a country code of 1 to 3 digits: ``0611 123456`` and ``+49 611 123456``."""
    a, b = _digits(one), _digits(other)
    if a == b:
        return True
    national, international = (a, b) if b.startswith("+") else (b, a)
    if national.startswith("+") or not international.startswith("+") or len(national) < 8:
        return False
    return international.endswith(national) and 1 <= len(international) - 1 - len(national) <= 3


def profile_key(url: str) -> str | None:
    found = _PROFILE.match(url.strip())
    if not found:
        return None
    site = found.group(1).lower().replace("twitter.com", "x.com")
    return f"{site}/{found.group(2).lower()}"


@dataclass
class PersonState:
    """A person as the import sees them: loaded from the database or planned by this import."""

    id: int | None
    name: str
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    addresses: list[PostalAddress] = field(default_factory=list)
    urls: list[WebLink] = field(default_factory=list)
    organisation: str | None = None
    title: str | None = None
    birthday: Birthday | None = None
    dates: list[ContactDate] = field(default_factory=list)
    """Their important dates (each import's anniversaries join them once)."""
    note: str | None = None
    uid: str | None = None
    has_photo: bool = False
    photo: Photo | None = None
    since: date | None = None
    location: str = ""
    changed: set[str] = field(default_factory=set)
    """Fields to write: the scalar names, or ``emails``/``phones``/... for new child rows."""
    new: dict[str, list[object]] = field(default_factory=dict)
    """Child rows to insert for an existing person (their positions follow the old ones)."""

    @property
    def profiles(self) -> set[str]:
        return {key for link in self.urls if (key := profile_key(link.url))}


@dataclass(frozen=True, slots=True)
class Match:
    state: PersonState
    why: str


class PeopleIndex:
    """Everyone known, indexed for matching; new people join it as they are planned."""

    def __init__(self) -> None:
        self.by_uid: dict[str, PersonState] = {}
        self.by_email: dict[str, PersonState | None] = {}
        """``None`` marks the owner's addresses: never matched, never given to anyone."""
        self.by_phone: dict[str, list[PersonState]] = {}
        self.by_profile: dict[str, PersonState] = {}
        self.by_name: dict[str, list[PersonState]] = {}
        self.by_org: dict[str, list[PersonState]] = {}
        self.org_keys: dict[str, list[str]] = {}
        """Per organisation, the base name keys of ``by_org`` in the same order."""
        self.taken_names: set[str] = set()

    @classmethod
    def load(cls, session: Session) -> PeopleIndex:
        index = cls()
        states: dict[int, PersonState] = {}
        owner_ids: set[int] = set()
        for row in session.execute(
            select(
                PersonRow.id,
                PersonRow.name,
                PersonRow.name_key,
                PersonRow.is_owner,
                PersonRow.organisation,
                PersonRow.title,
                PersonRow.private_note,
                PersonRow.uid,
                PersonRow.birthday_year,
                PersonRow.birthday_month,
                PersonRow.birthday_day,
            )
        ):
            index.taken_names.add(row.name_key)
            if row.is_owner:
                owner_ids.add(row.id)
                continue
            birthday = (
                Birthday(row.birthday_month, row.birthday_day, row.birthday_year)
                if row.birthday_month and row.birthday_day
                else None
            )
            states[row.id] = PersonState(
                id=row.id,
                name=row.name,
                organisation=row.organisation,
                title=row.title,
                note=row.private_note,
                uid=row.uid,
                birthday=birthday,
            )
        for pid, email in session.execute(
            select(EmailRow.person_id, EmailRow.email).order_by(EmailRow.position)
        ):
            if pid in owner_ids:
                index.by_email[email] = None
            elif pid in states:
                states[pid].emails.append(email)
        for pid, phone in session.execute(
            select(PhoneRow.person_id, PhoneRow.phone).order_by(PhoneRow.position)
        ):
            if pid in states:
                states[pid].phones.append(phone)
        for pid, tag in session.execute(select(PersonTagRow.person_id, PersonTagRow.tag)):
            if pid in states:
                states[pid].tags.add(tag)
        for row in session.scalars(select(AddressRow).order_by(AddressRow.position)):
            if row.person_id in states:
                states[row.person_id].addresses.append(
                    PostalAddress(
                        row.label, row.street, row.locality, row.region, row.postcode, row.country
                    )
                )
        for pid, url, url_label in session.execute(
            select(UrlRow.person_id, UrlRow.url, UrlRow.label).order_by(UrlRow.position)
        ):
            if pid in states:
                states[pid].urls.append(WebLink(url, url_label))
        for pid, text, on, year_known in session.execute(
            select(
                ImportantDateRow.person_id,
                ImportantDateRow.text,
                ImportantDateRow.occurs_on,
                ImportantDateRow.year_known,
            ).order_by(ImportantDateRow.id)
        ):
            if pid in states:
                year = on.year if year_known else None
                states[pid].dates.append(ContactDate(text, Birthday(on.month, on.day, year)))
        for pid in session.scalars(select(PhotoRow.person_id)):
            if pid in states:
                states[pid].has_photo = True
        for state in states.values():
            index.add(state)
        return index

    def add(self, state: PersonState) -> None:
        self.taken_names.add(name_key(state.name))
        self.by_name.setdefault(base_key(state.name), []).append(state)
        if state.uid:
            self.by_uid.setdefault(state.uid, state)
        for email in state.emails:
            self.by_email.setdefault(email, state)
        for phone in state.phones:
            self.add_phone(phone, state)
        for key in state.profiles:
            self.by_profile.setdefault(key, state)
        self.add_colleague(state)

    def add_colleague(self, state: PersonState) -> None:
        if state.organisation:
            org = name_key(state.organisation)
            self.by_org.setdefault(org, []).append(state)
            self.org_keys.setdefault(org, []).append(base_key(state.name))

    def add_phone(self, phone: str, state: PersonState) -> None:
        if key := phone_key(phone):
            self.by_phone.setdefault(key, []).append(state)

    def by_same_phone(self, phone: str) -> PersonState | None:
        key = phone_key(phone)
        for state in self.by_phone.get(key, []) if key else []:
            if any(same_phone(phone, known) for known in state.phones):
                return state
        return None

    def match(self, card: ContactCard) -> Match | None:
        if card.uid and (found := self.by_uid.get(card.uid)):
            return Match(found, "same UID")
        for email in card.emails:
            if found := self.by_email.get(email):
                return Match(found, f"same email {email}")
        for phone in card.phones:
            if found := self.by_same_phone(phone):
                return Match(found, f"same phone {phone}")
        profiles = {key for link in card.urls if (key := profile_key(link.url))}
        for key in profiles:
            if found := self.by_profile.get(key):
                return Match(found, f"same profile {key}")
        org = name_key(card.organisation) if card.organisation else None
        for state in self.by_name.get(base_key(card.name), []):
            state_org = name_key(state.organisation) if state.organisation else None
            if org and state_org and org != state_org:
                continue
            if profiles and state.profiles and not profiles & state.profiles:
                continue
            return Match(state, "same name")
        if org and (colleagues := self.by_org.get(org)):
            found = process.extractOne(
                base_key(card.name),
                self.org_keys[org],
                scorer=fuzz.token_sort_ratio,
                score_cutoff=CLOSE_NAME,
            )
            if found is not None:
                return Match(colleagues[found[2]], f"close name at {card.organisation}")
        return None

    def free_name(self, card: ContactCard) -> str:
        """The card's name, or with a detail when a person already has that name."""
        if name_key(card.name) not in self.taken_names:
            return card.name
        base = card.name[:180].rstrip()  # room for the detail within 200 characters
        if card.organisation:
            candidate = f"{base} ({card.organisation[: 200 - len(base) - 3]})"
            if name_key(candidate) not in self.taken_names:
                return candidate
        number = 2
        while name_key(f"{base} ({number})") in self.taken_names:
            number += 1
        return f"{base} ({number})"


def new_state(card: ContactCard, index: PeopleIndex, warnings: list[str]) -> PersonState:
    """A person to add for ``card``: emails that belong to someone else are left out."""
    emails = []
    for email in card.emails:
        if email in index.by_email:
            warnings.append(f"email {email} already belongs to someone else; left out")
        else:
            emails.append(email)
    state = PersonState(
        id=None,
        name=index.free_name(card),
        emails=emails,
        phones=list(card.phones),
        tags=set(card.tags),
        addresses=list(card.addresses),
        urls=list(card.urls),
        organisation=card.organisation,
        title=card.title,
        birthday=card.birthday,
        dates=_new_dates([], card.dates),
        note=card.note,
        uid=card.uid,
        photo=card.photo,
        has_photo=card.photo is not None,
        since=card.since,
        location=card.location,
    )
    index.add(state)
    return state


def merge(
    state: PersonState, card: ContactCard, index: PeopleIndex, remarks: list[str]
) -> list[str]:
    """Fill ``state`` in from ``card``; returns what changed, in words, for the preview.
    What was kept or left out instead goes to ``remarks``."""
    changes: list[str] = []

    def add_child(kind: str, value: object) -> None:
        state.changed.add(kind)
        state.new.setdefault(kind, []).append(value)

    for email in card.emails:
        if email in state.emails:
            continue
        owner = index.by_email.get(email, state)
        if owner is not state:
            remarks.append(f"email {email} left out (it belongs to someone else)")
            continue
        state.emails.append(email)
        index.by_email[email] = state
        add_child("emails", email)
        changes.append(f"adds email {email}")
    for phone in card.phones:
        if not any(same_phone(phone, known) for known in state.phones):
            state.phones.append(phone)
            index.add_phone(phone, state)
            add_child("phones", phone)
            changes.append(f"adds phone {phone}")
    for tag in card.tags:
        if tag not in state.tags:
            state.tags.add(tag)
            add_child("tags", tag)
            changes.append(f"adds tag {tag}")
    for address in card.addresses:
        if address not in state.addresses:
            state.addresses.append(address)
            add_child("addresses", address)
            changes.append("adds an address")
    for link in card.urls:
        if link.url not in {u.url for u in state.urls}:
            state.urls.append(link)
            if key := profile_key(link.url):
                index.by_profile.setdefault(key, state)
            add_child("urls", link)
            changes.append(f"adds URL {link.url[:60]}")
    for name in ("organisation", "title", "uid", "note"):
        incoming, current = getattr(card, name), getattr(state, name)
        if incoming and not current:
            setattr(state, name, incoming)
            state.changed.add(name)
            if name == "uid":
                index.by_uid.setdefault(incoming, state)
            if name == "organisation":
                index.add_colleague(state)
            changes.append(f"sets {name}" if name == "note" else f"sets {name} {incoming!r}")
        elif incoming and name == "organisation" and name_key(incoming) != name_key(current):
            remarks.append(f"kept organisation {current!r} (the file says {incoming!r})")
    if card.birthday and (
        state.birthday is None
        or (
            state.birthday.year is None
            and card.birthday.year is not None
            and (state.birthday.month, state.birthday.day)
            == (card.birthday.month, card.birthday.day)
        )
    ):
        state.birthday = card.birthday
        state.changed.add("birthday")
        changes.append(f"sets birthday {card.birthday.iso()}")
    for kept in _new_dates(state.dates, card.dates):
        state.dates.append(kept)
        add_child("dates", kept)
        changes.append(f"adds date {kept.text} {kept.day.iso()}")
    if card.photo and not state.has_photo:
        state.photo, state.has_photo = card.photo, True
        state.changed.add("photo")
        changes.append("adds a photo")
    return changes


def _new_dates(known: list[ContactDate], incoming: tuple[ContactDate, ...]) -> list[ContactDate]:
    """The dates of ``incoming`` that ``known`` does not hold yet: the same words (any case)
    on the same month and day are the same date, so a re-import adds nothing."""
    seen = {(d.text.casefold(), d.day.month, d.day.day) for d in known}
    added = []
    for kept in incoming:
        key = (kept.text.casefold(), kept.day.month, kept.day.day)
        if key not in seen:
            seen.add(key)
            added.append(kept)
    return added
