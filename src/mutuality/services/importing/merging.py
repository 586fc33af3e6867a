"""Who an imported contact is: the one place for the rules that match a contact to a person
already known (or met earlier in the same file), and for what a merge may change.

A merge must be certain; anything less is a *possible duplicate*: the contact is added as a
new person and the preview names whom it may duplicate, and why. The evidence, per kind of
identifier (UID, email, phone, profile URL): the two **agree** when they share a value and
**conflict** when both have values and share none.

1. A shared email, profile URL or UID merges, unless the emails or profile URLs conflict.
   Different phones or UIDs do not stop it: people have several phones, and every address
   book gives the same person a UID of its own.
2. A shared phone alone merges only when nothing conflicts (an office line or a family
   landline is shared by several people).
3. The same name merges only when nothing conflicts (no different email, phone, UID, profile,
   organisation or birthday) and something agrees: the organisation or the birthday; or the
   person known has no contact details yet (added by hand) and is the only one of that name,
   as the contact is in its file.
4. A similar name (rapidfuzz ``token_sort_ratio`` >= 85) at the same organisation never
   merges: it is reported as a possible duplicate.

A merge only fills in: new emails, phones, tags, addresses, URLs, dates (an anniversary
with the same words on the same day is the same date), and empty fields
(organisation, title, birthday, note, UID, photo). It never renames a person or overwrites
what the user wrote; a differing organisation or note is reported, not replaced. What a
merge set is remembered (``PersonState.before``) so that the import can be undone. Names
stay unique: a new person whose name is taken gets a detail, ``Ana Lima (Globex)`` or
``Ana Lima (2)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

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


@lru_cache(maxsize=1 << 16)
def phone_key(phone: str) -> str | None:
    """The index key of a phone: its last 8 digits (``None`` for fewer than 6). Two numbers
    that are :func:`same_phone` have the same key."""
    digits = _digits(phone)
    return digits[-8:] if len(digits) >= 6 else None


@lru_cache(maxsize=1 << 16)
def organisation_key(organisation: str) -> str:
    """An organisation's comparable form (organisations repeat: computed once each)."""
    return name_key(organisation)


@lru_cache(maxsize=1 << 16)
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
    before: dict[str, object] = field(default_factory=dict)
    """The values this import's merges replaced (``organisation``, ``birthday``, ``photo``
    ...), as they were before the import: what undoing it puts back."""

    @property
    def profiles(self) -> set[str]:
        return {key for link in self.urls if (key := profile_key(link.url))}

    @property
    def has_contact_details(self) -> bool:
        """Any identifier at all: an email, a phone, a UID or a profile URL."""
        return bool(self.emails or self.phones or self.uid or self.profiles)

    def set_field(self, name: str, value: object) -> None:
        """Set a scalar field, remembering its value before this import."""
        self.before.setdefault(name, getattr(self, name))
        setattr(self, name, value)
        self.changed.add(name)


@dataclass(frozen=True, slots=True)
class Match:
    """Certainly the same person: merge into ``state``."""

    state: PersonState
    why: str


@dataclass(frozen=True, slots=True)
class Doubt:
    """Perhaps the same person: add a new one, and say whom it may duplicate and why."""

    state: PersonState
    why: str


@dataclass(frozen=True, slots=True)
class CardKeys:
    """A contact's identifiers, computed once for every comparison."""

    uid: str | None
    emails: frozenset[str]
    phones: tuple[str, ...]
    profiles: frozenset[str]
    organisation: str | None
    """The organisation's comparable key."""

    @classmethod
    def of(cls, card: ContactCard) -> CardKeys:
        return cls(
            card.uid or None,
            frozenset(card.emails),  # lower case, as every email is kept
            card.phones,
            frozenset(key for link in card.urls if (key := profile_key(link.url))),
            organisation_key(card.organisation) if card.organisation else None,
        )


_WORDS = {
    "email": "a different email",
    "profile": "a different profile URL",
    "uid": "a different UID",
    "phone": "a different phone",
    "organisation": "a different organisation",
    "birthday": "a different birthday",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """How a contact and a person compare: the kinds that agree (with a shared value) and
    those that conflict, in the order of :data:`_WORDS`."""

    agree: dict[str, str]
    conflict: tuple[str, ...]

    def conflicts(self, *kinds: str) -> bool:
        return any(kind in self.conflict for kind in kinds)

    def but(self) -> str:
        """``, but a different email and a different phone`` (empty when nothing conflicts)."""
        if not self.conflict:
            return ""
        words = [_WORDS[kind] for kind in self.conflict]
        listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        return ", but " + listed


def compare(
    keys: CardKeys, card: ContactCard, state: PersonState, with_fields: bool = False
) -> Evidence:
    """The evidence between a contact and a person; organisation and birthday only with
    ``with_fields`` (they decide merges by name, not merges by an identifier)."""
    agree: dict[str, str] = {}
    conflict: list[str] = []
    if keys.emails and state.emails:
        shared = next((e for e in state.emails if e in keys.emails), None)
        if shared is None:
            conflict.append("email")
        else:
            agree["email"] = shared
    if keys.profiles and state.urls:
        known = state.profiles
        if known:
            common = keys.profiles & known
            if common:
                agree["profile"] = min(common)
            else:
                conflict.append("profile")
    if keys.uid and state.uid:
        if keys.uid == state.uid:
            agree["uid"] = keys.uid
        else:
            conflict.append("uid")
    if keys.phones and state.phones:
        shared = _shared_phone(keys.phones, state.phones)
        if shared is None:
            conflict.append("phone")
        else:
            agree["phone"] = shared
    if with_fields:
        if keys.organisation and state.organisation:
            if organisation_key(state.organisation) == keys.organisation:
                agree["organisation"] = state.organisation
            else:
                conflict.append("organisation")
        if card.birthday and state.birthday:
            if _same_birthday(card.birthday, state.birthday):
                agree["birthday"] = card.birthday.iso()
            else:
                conflict.append("birthday")
    return Evidence(agree, tuple(kind for kind in _WORDS if kind in conflict))


def _shared_phone(phones: tuple[str, ...], known: list[str]) -> str | None:
    """The first of ``phones`` that is one of ``known`` (keys compared first: cheap)."""
    for phone in phones:
        key = phone_key(phone)
        for other in known:
            other_key = phone_key(other)
            if key and other_key and key != other_key:
                continue
            if same_phone(phone, other):
                return phone
    return None


def _same_birthday(one: Birthday, other: Birthday) -> bool:
    if (one.month, one.day) != (other.month, other.day):
        return False
    return one.year is None or other.year is None or one.year == other.year


def certain_by_identifier(evidence: Evidence) -> str | None:
    """Why a contact and a person sharing an identifier are certainly one person, or
    ``None`` when something conflicts (rules 1 and 2 of the module)."""
    for kind in ("uid", "email", "profile"):
        if kind in evidence.agree:
            if evidence.conflicts("email", "profile"):
                return None
            return "same UID" if kind == "uid" else f"same {kind} {evidence.agree[kind]}"
    if "phone" in evidence.agree and not evidence.conflict:
        return f"same phone {evidence.agree['phone']}"
    return None


def _shared(evidence: Evidence) -> str:
    """``the same phone +1 555 0100`` for the strongest identifier the two share."""
    for kind in ("uid", "email", "profile", "phone"):
        if kind in evidence.agree:
            label = "UID" if kind == "uid" else kind
            return f"the same {label} {evidence.agree[kind]}"
    return "the same name"


class PeopleIndex:
    """Everyone known, indexed for matching; new people join it as they are planned."""

    def __init__(self) -> None:
        self.by_uid: dict[str, PersonState] = {}
        self.by_email: dict[str, PersonState | None] = {}
        """``None`` marks the owner's addresses: never matched, never given to anyone."""
        self.by_phone: dict[str, list[PersonState]] = {}
        self.by_profile: dict[str, PersonState] = {}
        self.by_name: dict[str, list[PersonState]] = {}
        self.by_name_emailless: dict[str, list[PersonState]] = {}
        """``by_name`` for the people with no email when they joined the index."""
        self.numbered: dict[str, int] = {}
        """The last number given to a name (``Ana Lima (7)``), to find the next at once."""
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
        for address in session.scalars(select(AddressRow).order_by(AddressRow.position)):
            if address.person_id in states:
                states[address.person_id].addresses.append(
                    PostalAddress(
                        address.label,
                        address.street,
                        address.locality,
                        address.region,
                        address.postcode,
                        address.country,
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
        key = base_key(state.name)
        self.by_name.setdefault(key, []).append(state)
        if not state.emails:
            self.by_name_emailless.setdefault(key, []).append(state)
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
            org = organisation_key(state.organisation)
            self.by_org.setdefault(org, []).append(state)
            self.org_keys.setdefault(org, []).append(base_key(state.name))

    def add_phone(self, phone: str, state: PersonState) -> None:
        if key := phone_key(phone):
            self.by_phone.setdefault(key, []).append(state)

    def candidates(self, keys: CardKeys) -> list[PersonState]:
        """Everyone sharing an identifier with the contact: UID, email, profile, phone."""
        found: list[PersonState] = []
        seen: set[int] = set()

        def keep(state: PersonState | None) -> None:
            if state is not None and id(state) not in seen:
                seen.add(id(state))
                found.append(state)

        if keys.uid:
            keep(self.by_uid.get(keys.uid))
        for email in sorted(keys.emails):
            keep(self.by_email.get(email))
        for key in sorted(keys.profiles):
            keep(self.by_profile.get(key))
        for phone in keys.phones:
            number = phone_key(phone)
            for state in self.by_phone.get(number, []) if number else []:
                if any(same_phone(phone, known) for known in state.phones):
                    keep(state)
        return found

    def decide(self, card: ContactCard, in_file: int = 1) -> Match | Doubt | None:
        """Whom ``card`` certainly is (:class:`Match`), may be (:class:`Doubt`), or ``None``.

        ``in_file``: how many contacts of the file carry the card's name (a person known
        only by name is filled in only by the one contact of that name)."""
        keys = CardKeys.of(card)
        doubt: Doubt | None = None
        for state in self.candidates(keys):
            evidence = compare(keys, card, state)
            why = certain_by_identifier(evidence)
            if why is not None:
                return Match(state, why)
            if doubt is None:
                doubt = Doubt(state, _shared(evidence) + evidence.but())
        key = base_key(card.name)
        namesakes = self.by_name.get(key, [])
        weighed = namesakes
        if keys.emails:
            # with an email, only a namesake with none can be certain (one with the same
            # email was a candidate above); the first namesake is the doubt, if any
            weighed = [s for s in self.by_name_emailless.get(key, ()) if not s.emails]
            if doubt is None and namesakes and (not weighed or weighed[0] is not namesakes[0]):
                weighed = [namesakes[0], *weighed]
        certain: list[Match] = []
        for state in weighed:
            evidence = compare(keys, card, state, with_fields=True)
            why = _same_name(evidence, state, len(namesakes), in_file)
            if why is not None:
                certain.append(Match(state, why))
            elif doubt is None:
                reason = _name_doubt(evidence, state, card.name, len(namesakes), in_file)
                doubt = Doubt(state, reason)
        if len(certain) == 1:
            return certain[0]
        if certain:
            return Doubt(certain[0].state, certain[0].why + ", and more than one person fits")
        if (
            doubt is None
            and keys.organisation
            and (colleagues := self.by_org.get(keys.organisation))
        ):
            found = process.extractOne(
                key,
                self.org_keys[keys.organisation],
                scorer=fuzz.token_sort_ratio,
                score_cutoff=CLOSE_NAME,
            )
            if found is not None:
                state = colleagues[found[2]]
                evidence = compare(keys, card, state)
                doubt = Doubt(state, f"a similar name at {state.organisation}{evidence.but()}")
        return doubt

    def free_name(self, card: ContactCard) -> str:
        """The card's name, or with a detail when a person already has that name."""
        if name_key(card.name) not in self.taken_names:
            return card.name
        base = card.name[:180].rstrip()  # room for the detail within 200 characters
        if card.organisation:
            candidate = f"{base} ({card.organisation[: 200 - len(base) - 3]})"
            if name_key(candidate) not in self.taken_names:
                return candidate
        start = name_key(base)
        number = self.numbered.get(start, 1) + 1
        while name_key(f"{base} ({number})") in self.taken_names:
            number += 1
        self.numbered[start] = number
        return f"{base} ({number})"


def _same_name(evidence: Evidence, state: PersonState, namesakes: int, in_file: int) -> str | None:
    """Why a person of the same name is certainly the contact (rule 3), or ``None``."""
    if evidence.conflict:
        return None
    if "organisation" in evidence.agree:
        return "the same name and organisation"
    if "birthday" in evidence.agree:
        return "the same name and birthday"
    if _known_by_name_only(state) and namesakes == 1 and in_file == 1:
        return f"the same name, and {state.name} had no contact details yet"
    return None


def _name_doubt(
    evidence: Evidence, state: PersonState, name: str, namesakes: int, in_file: int
) -> str:
    """Why a person of the same name may be the contact, but not certainly."""
    if evidence.conflict:
        agreed = "the same name and organisation" if "organisation" in evidence.agree else None
        return (agreed or "the same name") + evidence.but()
    if _known_by_name_only(state):
        if in_file > 1:
            return f"the same name; the file has more than one {name}"
        if namesakes > 1:
            return f"the same name; more than one person is called {name}"
    return "the same name, but nothing else in common"


def _known_by_name_only(state: PersonState) -> bool:
    """Someone added by hand before this import, with no contact details to compare."""
    return state.id is not None and not state.has_contact_details


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
            state.set_field(name, incoming)
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
        state.set_field("birthday", card.birthday)
        changes.append(f"sets birthday {card.birthday.iso()}")
    for kept in _new_dates(state.dates, card.dates):
        state.dates.append(kept)
        add_child("dates", kept)
        changes.append(f"adds date {kept.text} {kept.day.iso()}")
    if card.photo and not state.has_photo:
        state.before.setdefault("has_photo", False)
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
