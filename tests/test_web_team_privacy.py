"""The privacy suite of team mode: an organiser and two members, each with people,
exchanges, needs, offers, a request, a check-in, a commitment and an introduction. Signed
in as each in turn, every route of the OpenAPI document and every page is called with the
OTHER members' ids (in the path, the query and the body) and their words (in the query):
each answer naming another member's record is a 404 (or 403/422 for a refused body),
nothing another member keeps (a name, an email, a note, a text) appears in any answer's
body or headers, and nothing in another member's ledger changes.

PostgreSQL only: skipped, saying why, when MUTUALITY_TEST_PG is unset.
"""

from __future__ import annotations

# ruff: noqa: F811 (the fixtures pg_url and server are imported)
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from team_web_helpers import (
    SAFE_HEADERS,
    Community,
    found_community,
    needs_server,
    pg_url,  # noqa: F401 (a fixture)
    server,  # noqa: F401 (a fixture)
    signed_in_as,
)
from web_helpers import form_token, web_client

from mutuality.services.app import Mutuality
from mutuality.services.checkins.service import FollowUp
from mutuality.services.ledger import Direction
from mutuality.services.team import Member
from mutuality.store.tables import Base
from mutuality.web.app import API_ROUTERS, PAGE_ROUTERS
from mutuality.web.team import team_routers

pytestmark = needs_server

REFUSED = {403, 404, 422}
PATH_KINDS = {
    "person_id": "people",
    "exchange_id": "exchanges",
    "commitment_id": "commitments",
    "wish_id": "wishes",
    "request_id": "requests",
    "checkin_id": "checkins",
    "intro_id": "introductions",
    "confirmation_id": "confirmations",
    "post_id": "posts",
    "answer_id": "answers",
    "shared_id": "shared",
    "ring_id": "rings",
    "transfer_id": "transfers",
}
"""Which of a member's records each path parameter names."""
NOT_SWEPT = {
    "/api/session",
    "/api/ping",
    "/api/openapi.json",
    "/api/team/board",
    "/api/team/wall",
    "/api/team/rings",
    "/api/team/hours/transfers",
}
PAGES_NOT_SWEPT = ("/login", "/logout", "/join/", "/c/", "/confirm/", "/i/", "/team")
"""Signing in and out, joining, the stranger's check-in, confirmation and introduction links
and the team's own pages are tested on their own (the team page names members by design; the
confirmation pages in test_no_member_reaches_another_members_confirmations). The board's
list and its wall name the authors of open posts and the thanked by design, and posting
would add such names: they are tested in test_board_web.py, and the board's pages with
another member's posts in test_no_member_reaches_another_members_board_posts. The list of
ring sessions names the organisers of open sessions by design (any member may join one), and
opening one adds such a name: the ring pages are checked in
test_no_member_reaches_another_members_ring_sessions. Logging hours names the member who
received them by design: the hours pages are checked in
test_no_member_reaches_another_members_hours."""


@dataclass
class Kept:
    """What one member keeps: their records' ids and every word only they should see."""

    member: Member
    ids: dict[str, list[int]] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)
    link: str = ""


def keep(community: Community, member: Member, tag: str) -> Kept:
    """Fill ``member``'s ledger with one of everything, each word marked by ``tag``."""
    ledger = community.server.team.ledger(member.id)
    kept = Kept(member, words=[member.email])
    names = [f"{tag} Alderton", f"{tag} Birchwood"]
    emails = [f"{tag.lower()}.alder@canary.test", f"{tag.lower()}.birch@canary.test"]
    people = [
        ledger.people.add(
            name,
            emails=(email,),
            phones=(f"+44 20 7946 {ord(tag[0])}{number}",),
            organisation=f"{tag} Works",
            private_note=f"{tag}-private-note-{number}",
            tags=(f"{tag.lower()}tag",),
        )
        for number, (name, email) in enumerate(zip(names, emails, strict=True), start=1)
    ]
    one, two = (person.id for person in people)
    exchange = ledger.ledger.log(
        one,
        Direction.GAVE,
        kind="knowledge",
        what=f"{tag}-exchange-text",
        benefit=6,
        cost=2,
        private_note=f"{tag}-exchange-note",
    )
    received = ledger.ledger.log(
        two, Direction.GOT, kind="introduction", what=f"{tag}-received-text", benefit=5
    )
    need = ledger.needs.add("need", one, f"{tag}-need-text")
    offer = ledger.needs.add("offer", two, f"{tag}-offer-text")
    request = ledger.requests.ask(one, f"{tag}-request-text", benefit=6, cost=2)
    checkin, commitments = ledger.checkins.record(
        two,
        my_satisfaction=4,
        their_satisfaction=3,
        their_better=f"{tag}-better-text",
        note=f"{tag}-checkin-note",
        follow_ups=(FollowUp(f"{tag}-follow-up-text"),),
    )
    introduction = ledger.introductions.propose(one, two, reason=f"{tag}-intro-reason")
    kept.link = ledger.checkins.make_link(one, first_name=tag).token
    asked = community.server.team.confirmations.ask_by_link(member.id, exchange.id)
    shared, _ = community.server.team.introductions.share(member.id, introduction.introduction.id)
    posts, answer = board_posts(community, member, tag)
    ring = ring_session(community, member, tag)
    transfer = hours_given(community, member, tag)
    kept.ids = {
        "people": [one, two],
        "exchanges": [exchange.id, received.id],
        "wishes": [need.id, offer.id],
        "requests": [request.id],
        "checkins": [checkin.id],
        "commitments": commitments,
        "introductions": [introduction.introduction.id],
        "confirmations": [asked.confirmation_id],
        "posts": posts,
        "answers": [answer],
        "shared": [shared.id],
        "rings": [ring],
        "transfers": [transfer],
    }
    kept.words += [
        *names,
        *emails,
        f"{tag} Works",
        f"{tag.lower()}tag",
        *(f"{tag}-{what}" for what in WORDS),
        f"7946 {ord(tag[0])}1",
        f"7946 {ord(tag[0])}2",
        *(f"{tag}-{what}" for what in BOARD_WORDS),
        *(f"{tag}-{what}" for what in RING_WORDS),
    ]
    return kept


BOARD_WORDS = ("board-ask", "board-note", "helper-ask")


def board_posts(community: Community, member: Member, tag: str) -> tuple[list[int], int]:
    """On the board: a withdrawn ask of the member's (only they see it), their answer,
    accepted, to a helper's ask since withdrawn (only the two of them see it), and an open
    anonymous ask, whose text everyone sees and whose author nobody does."""
    from web_helpers import PASSWORD

    team = community.server.team
    invited = team.invite(community.organiser.id, f"{tag.lower()}.helper@example.org")
    helper = team.join(invited.token, PASSWORD, f"{tag} Helper")
    theirs = team.board.post(helper.id, "ask", f"{tag}-helper-ask")
    answered = team.board.answer(member.id, theirs.id, theirs.version, f"{tag}-board-note")
    accepted = team.board.accept(helper.id, theirs.id, answered.answers[0].id, answered.version)
    team.board.withdraw(helper.id, theirs.id, accepted.version)
    mine = team.board.post(member.id, "ask", f"{tag}-board-ask")
    team.board.withdraw(member.id, mine.id, mine.version)
    team.board.post(member.id, "ask", f"{tag} asks anonymously", anonymous=True)
    return [mine.id, theirs.id], answered.answers[0].id


RING_WORDS = ("ring-name", "ring-ask", "ring-offer", "hours-what")


def ring_session(community: Community, member: Member, tag: str) -> int:
    """A closed ring session of the member's alone (with a host, an organiser invited for
    it): their ask, the host's offer, what closing made of it."""
    from web_helpers import PASSWORD

    team = community.server.team
    invited = team.invite(community.organiser.id, f"{tag.lower()}.host@example.org", "organiser")
    host = team.join(invited.token, PASSWORD, f"{tag} Host")
    ring = team.rings.open(host.id, f"{tag}-ring-name")
    team.rings.join(member.id, ring.id)
    asked = team.rings.ask(member.id, ring.id, f"{tag}-ring-ask")
    assert asked.my_ask is not None
    team.rings.offer(host.id, ring.id, asked.my_ask.id, f"{tag}-ring-offer")
    team.rings.close(host.id, ring.id)
    return ring.id


def hours_given(community: Community, member: Member, tag: str) -> int:
    """Hours the member gave their ring's host, waiting for the host to confirm: only the
    two of them see it."""
    team = community.server.team
    team.hours.configure(community.organiser.id, True)
    host = team.by_email(f"{tag.lower()}.host@example.org")
    return team.hours.give(member.id, host.id, 1.5, f"{tag}-hours-what").id


WORDS = (
    "private-note-1",
    "private-note-2",
    "exchange-text",
    "exchange-note",
    "received-text",
    "need-text",
    "offer-text",
    "request-text",
    "better-text",
    "checkin-note",
    "follow-up-text",
    "intro-reason",
)
TAGS = {"Olu Ade": "Quillon", "Bea Costa": "Marigold", "Cai Brown": "Tamsinor"}


@pytest.fixture
def community(server: Mutuality) -> tuple[Community, dict[int, Kept]]:
    found = found_community(server, "Bea Costa", "Cai Brown")
    kept = {m.id: keep(found, m, TAGS[m.display_name]) for m in found.everyone}
    return found, kept


def ledger_prints(server: Mutuality, ledger: int) -> dict[str, str]:
    """A fingerprint of every table's rows in one ledger, read by the maintenance
    connection: what changes if anything in that ledger is written."""
    from sqlalchemy import text

    prints = {}
    with server.database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            prints[table.name] = connection.execute(
                text(
                    f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                    f'FROM "{table.name}" AS t WHERE ledger_id = :ledger'
                ),
                {"ledger": ledger},
            ).scalar_one()
    return prints


class Leaks:
    """Every answer checked against the words the signed-in member must never see."""

    def __init__(self, forbidden: list[str]) -> None:
        self.forbidden = forbidden
        self.found: list[str] = []

    def check(self, what: str, answer: Any, sent: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        seen = answer.text + "\n" + "\n".join(f"{k}: {v}" for k, v in answer.headers.items())
        for word in self.forbidden:
            if word not in sent and word.lower() in seen.lower():
                self.found.append(f"{what}: {word!r}")


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def body_for(spec: dict[str, Any], schema: dict[str, Any], other_person: int) -> dict[str, Any]:
    """A body that passes the schema where it can, naming ``other_person`` in every id field
    (``person_id``, ``a_id``, ``b_id``) and plain words elsewhere."""
    schema = resolve(spec, schema)
    body: dict[str, Any] = {}
    for name, prop in schema.get("properties", {}).items():
        if name.endswith("_id"):
            body[name] = other_person
            continue
        if name not in schema.get("required", []):
            continue
        prop = resolve(spec, prop)
        kind = prop.get("type")
        if "enum" in prop:
            body[name] = prop["enum"][0]
        elif kind in ("number", "integer"):
            body[name] = 1
        elif kind == "boolean":
            body[name] = True
        elif kind == "array":
            body[name] = []
        else:
            body[name] = "a plain word"
    return body


def api_calls(
    spec: dict[str, Any], other: Kept
) -> list[tuple[str, str, dict[str, Any], Any, bool, set[str]]]:
    """Every operation of the OpenAPI document, aimed at ``other``'s records: (method, path,
    query, body, whether it names another's record, the words it sends)."""
    person = other.ids["people"][0]
    calls = []
    for template, item in spec["paths"].items():
        if template in NOT_SWEPT:
            continue
        for method, operation in item.items():
            params = operation.get("parameters", [])
            path_names = [p["name"] for p in params if p["in"] == "path"]
            query_names = {p["name"] for p in params if p["in"] == "query"}
            paths = [template]
            for name in path_names:
                ids = other.ids[PATH_KINDS[name]]
                paths = [p.replace("{" + name + "}", str(i)) for p in paths for i in ids]
            query: dict[str, Any] = {}
            sent: set[str] = set()
            if "person_id" in query_names:
                query["person_id"] = person
            for name in ("search", "q", "tag"):
                if name in query_names:
                    query[name] = other.words[1] if name != "tag" else other.words[6]
                    sent.add(query[name])
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            body = body_for(spec, schema, person) if schema else None
            names_other = (
                bool(path_names)
                or "person_id" in query
                or any(key.endswith("_id") for key in (body or {}))
            )
            calls += [(method, path, query, body, names_other, sent) for path in paths]
    return calls


def page_routes() -> list[tuple[str, str]]:
    pages, _ = team_routers(PAGE_ROUTERS, API_ROUTERS)
    return [
        (method, route.path)
        for router in pages
        for route in router.routes
        for method in sorted(route.methods)  # type: ignore[attr-defined]
        if method in ("GET", "POST") and not route.path.startswith(PAGES_NOT_SWEPT)  # type: ignore[attr-defined]
    ]


def page_calls(other: Kept) -> list[tuple[str, str, dict[str, Any], bool, set[str]]]:
    """Every page, aimed at ``other``'s records: ids in the path, and in the query and form
    fields that name a person; their words in the search fields."""
    person, second = other.ids["people"]
    query = {"person": person, "person_id": person, "search": other.words[1], "q": other.words[1]}
    calls = []
    for method, template in page_routes():
        names = re.findall(r"\{(\w+)\}", template)
        paths = [template]
        for name in names:
            if name == "kind":
                paths = [p.replace("{kind}", kind) for p in paths for kind in ("need", "offer")]
                continue
            ids = other.ids[PATH_KINDS[name]]
            paths = [p.replace("{" + name + "}", str(i)) for p in paths for i in ids]
        data = {
            "person": str(person),
            "person_id": str(person),
            "a": str(person),
            "b": str(second),
            "a_id": str(person),
            "b_id": str(second),
            "request_id": str(other.ids["requests"][0]),
            "checkin_id": str(other.ids["checkins"][0]),
        }
        sent = {other.words[1]}
        calls += [
            (method, path, query if method == "GET" else data, bool(names), sent) for path in paths
        ]
    return calls


def test_no_member_reaches_another_members_records(
    community: tuple[Community, dict[int, Kept]],
) -> None:
    found, kept = community
    server = found.server
    for member in found.everyone:
        client = signed_in_as(server, member)
        token = form_token(client, "/people/new")
        others = [kept[m.id] for m in found.everyone if m.id != member.id]
        forbidden = [w for other in others for w in other.words]
        forbidden += [m.display_name for m in found.everyone if m.id != member.id]
        leaks = Leaks(forbidden)
        before = {o.member.id: ledger_prints(server, o.member.id) for o in others}
        spec = client.app.openapi()  # type: ignore[attr-defined]
        wrong: list[str] = []
        for other in others:
            for method, path, query, body, names_other, sent in api_calls(spec, other):
                answer = client.request(method, path, params=query, json=body, headers=SAFE_HEADERS)
                what = f"{member.display_name}: {method.upper()} {path} {query} {body}"
                leaks.check(what, answer, sent)
                if names_other and answer.status_code not in REFUSED:
                    wrong.append(f"{what} -> {answer.status_code}")
                if answer.status_code >= 500:
                    wrong.append(f"{what} -> {answer.status_code}")
            for method, path, values, names_other, sent in page_calls(other):
                if method == "GET":
                    answer = client.get(path, params=values, follow_redirects=False)
                else:
                    answer = client.post(
                        path,
                        data={"csrf_token": token, **values},
                        headers=SAFE_HEADERS,
                        follow_redirects=False,
                    )
                what = f"{member.display_name}: {method} {path}"
                leaks.check(what, answer, sent)
                if names_other and answer.status_code not in REFUSED:
                    wrong.append(f"{what} -> {answer.status_code}")
                if answer.status_code >= 500:
                    wrong.append(f"{what} -> {answer.status_code}")
        assert not leaks.found, "\n".join(leaks.found)
        assert not wrong, "\n".join(wrong)
        after = {o.member.id: ledger_prints(server, o.member.id) for o in others}
        assert after == before, f"{member.display_name} changed another member's ledger"
        assert client.get("/api/people").status_code == 200  # still signed in throughout


def test_each_member_sees_their_own_records(
    community: tuple[Community, dict[int, Kept]],
) -> None:
    """The sweep above would pass for an app that showed nothing: each member's own pages do
    show their own words, so the check is real."""
    found, kept = community
    for member in found.everyone:
        own = kept[member.id]
        client = signed_in_as(found.server, member)
        person = client.get(f"/people/{own.ids['people'][0]}")
        assert person.status_code == 200 and own.words[1] in person.text
        assert own.words[1] in client.get("/api/people").text
        assert client.get(f"/api/requests/{own.ids['requests'][0]}").status_code == 200
        assert client.get(f"/api/introductions/{own.ids['introductions'][0]}").status_code == 200


def test_the_organiser_sees_who_belongs_and_nothing_anyone_keeps(
    community: tuple[Community, dict[int, Kept]],
) -> None:
    found, kept = community
    organiser = signed_in_as(found.server, found.organiser)
    team = organiser.get("/team")
    assert "Bea Costa" in team.text and "Cai Brown" in team.text
    words = [w for m in found.members for w in kept[m.id].words]
    leaks = Leaks(words)
    leaks.check("/team", team)
    for method, path in page_routes():
        if method == "GET" and "{" not in path:
            leaks.check(path, organiser.get(path))
    assert not leaks.found, "\n".join(leaks.found)


def test_a_check_in_link_shows_the_stranger_nothing_else(
    community: tuple[Community, dict[int, Kept]],
) -> None:
    found, kept = community
    stranger = web_client(found.server)
    everything = [w for k in kept.values() for w in k.words]
    everything += [m.display_name for m in found.everyone]
    for member in found.everyone:
        own = kept[member.id]
        page = stranger.get(f"/c/{own.link}")
        assert page.status_code == 200 and TAGS[member.display_name] in page.text
        Leaks(everything).check(f"/c/ of {member.display_name}", page)
        leaks = Leaks(everything)
        leaks.check("link page", page)
        assert not leaks.found, leaks.found
    # answering one member's link writes into that ledger alone
    bea = found.members[0]
    before = {m.id: ledger_prints(found.server, m.id) for m in found.everyone}
    answer = {"satisfaction": "5", "equity": "0", "better": "", "message": ""}
    sent = stranger.post(f"/c/{kept[bea.id].link}", data=answer, headers=SAFE_HEADERS)
    assert sent.status_code == 200
    after = {m.id: ledger_prints(found.server, m.id) for m in found.everyone}
    assert [m for m in after if after[m] != before[m]] == [bea.id]


def test_no_member_reaches_another_members_confirmations(
    community: tuple[Community, dict[int, Kept]],
) -> None:
    """The pages of two-sided exchanges, aimed at the other members' confirmations and
    exchanges: each is "not found", shows none of their words, and changes nothing."""
    found, kept = community
    server = found.server
    for member in found.everyone:
        client = signed_in_as(server, member)
        token = form_token(client, "/team/confirmations")
        others = [kept[m.id] for m in found.everyone if m.id != member.id]
        leaks = Leaks([w for other in others for w in other.words])
        before = {o.member.id: ledger_prints(server, o.member.id) for o in others}
        for other in others:
            [confirmation] = other.ids["confirmations"]
            person = other.ids["people"][0]
            for path, data in (
                (f"/team/confirmations/{confirmation}/confirm", {"figure": "4"}),
                (f"/team/confirmations/{confirmation}/decline", {}),
                *((f"/team/exchanges/{e}/link", {"what": "x"}) for e in other.ids["exchanges"]),
                ("/team/links", {"person": str(person), "other": str(other.member.id)}),
            ):
                answer = client.post(
                    path,
                    data={"csrf_token": token, **data},
                    headers=SAFE_HEADERS,
                    follow_redirects=False,
                )
                leaks.check(f"{member.display_name}: POST {path}", answer)
                assert answer.status_code == 404, (member.display_name, path, answer.status_code)
        leaks.check("/team/confirmations", client.get("/team/confirmations"))
        assert not leaks.found, "\n".join(leaks.found)
        after = {o.member.id: ledger_prints(server, o.member.id) for o in others}
        assert after == before
        waiting = server.team.confirmations.confirmations
        assert all(waiting(o.member.id).waiting[0].state == "pending" for o in others)


def test_no_member_reaches_another_members_board_posts(
    community: tuple[Community, dict[int, Kept]],
) -> None:
    """The board's pages, aimed at another member's withdrawn ask and their answer to an
    ask only they and its author see: all "not found", naming nothing of theirs; the
    organiser's view is "not found" to a member. Each member's anonymous ask shows on
    everyone's board without their name."""
    found, kept = community
    for member in found.everyone:
        client = signed_in_as(found.server, member)
        token = form_token(client, "/people/new")
        others = [kept[m.id] for m in found.everyone if m.id != member.id]
        names = [m.display_name for m in found.everyone if m.id != member.id]
        leaks = Leaks([w for other in others for w in other.words] + names)
        board = client.get("/team/board")
        assert board.status_code == 200
        leaks.check("/team/board", board)
        wrong = []
        for other in others:
            [answer] = other.ids["answers"]
            for post in other.ids["posts"]:
                calls = [("GET", f"/team/board/{post}")] + [
                    ("POST", f"/team/board/{post}/{action}")
                    for action in (
                        "answer",
                        "edit",
                        "met",
                        "withdraw",
                        f"answers/{answer}/accept",
                        f"answers/{answer}/record",
                        f"answers/{answer}/thank",
                    )
                ]
                for method, path in calls:
                    answered = client.request(
                        method,
                        path,
                        data={"csrf_token": token, "version": "1", "note": "x", "words": "x"}
                        if method == "POST"
                        else None,
                        headers=SAFE_HEADERS,
                        follow_redirects=False,
                    )
                    leaks.check(f"{member.display_name}: {method} {path}", answered)
                    if answered.status_code != 404:
                        wrong.append(f"{method} {path} -> {answered.status_code}")
        report = client.get("/team/report")
        if member.is_organiser:
            assert report.status_code == 200
        elif report.status_code != 404:
            wrong.append(f"/team/report -> {report.status_code}")
        assert client.get("/api/team/report").status_code == (200 if member.is_organiser else 404)
        assert not wrong, "\n".join(wrong)
        assert not leaks.found, "\n".join(leaks.found)


def test_no_member_reaches_another_members_ring_sessions(
    community: tuple[Community, dict[int, Kept]],
) -> None:
    """The ring pages, aimed at another member's closed session: all "not found", naming
    nothing of theirs; the list of sessions does not show it."""
    found, kept = community
    for member in found.everyone:
        client = signed_in_as(found.server, member)
        token = form_token(client, "/team/rings")
        others = [kept[m.id] for m in found.everyone if m.id != member.id]
        leaks = Leaks([w for other in others for w in other.words])
        leaks.check("/team/rings", client.get("/team/rings"))
        wrong = []
        for other in others:
            [ring] = other.ids["rings"]
            calls = [("GET", f"/team/rings/{ring}"), ("GET", f"/team/rings/{ring}/summary")]
            calls += [
                ("POST", f"/team/rings/{ring}/{action}")
                for action in ("join", "ask", "offer", "withdraw", "present", "close")
            ]
            for method, path in calls:
                answered = client.request(
                    method,
                    path,
                    data={"csrf_token": token, "text": "x", "ask_id": "1", "offer_id": "1"}
                    if method == "POST"
                    else None,
                    headers=SAFE_HEADERS,
                    follow_redirects=False,
                )
                leaks.check(f"{member.display_name}: {method} {path}", answered)
                if answered.status_code != 404:
                    wrong.append(f"{method} {path} -> {answered.status_code}")
        own = kept[member.id]
        mine = client.get(f"/team/rings/{own.ids['rings'][0]}/summary")
        assert mine.status_code == 200 and f"{TAGS[member.display_name]}-ring-offer" in mine.text
        assert not wrong, "\n".join(wrong)
        assert not leaks.found, "\n".join(leaks.found)


def test_no_member_reaches_another_members_hours(
    community: tuple[Community, dict[int, Kept]],
) -> None:
    """The hours pages, aimed at another member's transfer: all "not found", naming nothing
    of theirs; nobody's page, the organiser's included, shows another's transfer."""
    found, kept = community
    for member in found.everyone:
        client = signed_in_as(found.server, member)
        token = form_token(client, "/team/hours")
        others = [kept[m.id] for m in found.everyone if m.id != member.id]
        leaks = Leaks([w for other in others for w in other.words])
        leaks.check("/team/hours", client.get("/team/hours"))
        wrong = []
        for other in others:
            [transfer] = other.ids["transfers"]
            for action in ("confirm", "decline", "withdraw"):
                path = f"/team/hours/{transfer}/{action}"
                answered = client.post(
                    path, data={"csrf_token": token}, headers=SAFE_HEADERS, follow_redirects=False
                )
                leaks.check(f"{member.display_name}: POST {path}", answered)
                if answered.status_code != 404:
                    wrong.append(f"POST {path} -> {answered.status_code}")
        own = client.get("/team/hours")
        assert f"{TAGS[member.display_name]}-hours-what" in own.text
        assert not wrong, "\n".join(wrong)
        assert not leaks.found, "\n".join(leaks.found)
