"""The portfolio page: the preview, what is shared, and the same files as the command."""

from __future__ import annotations

import json
from typing import Any

from conftest import table_counts
from web_helpers import post_form

from mutuality.formats.portfolio import render_all
from mutuality.services.app import Mutuality
from mutuality.services.ledger import Direction


def test_the_page_previews_only_what_is_shared(client: Any, populated: Mutuality) -> None:
    populated.ledger.log(
        "ana",
        Direction.GAVE,
        kind="knowledge",
        what="Mentored <b>her</b>",
        share=True,
        outcome="Promoted",
        private_note="between us",
    )
    html = client.get("/portfolio").text
    assert "Ana (knowledge): Mentored &lt;b&gt;her&lt;/b&gt;" in html
    assert "Outcome: Promoted" in html and "between us" not in html
    preview = html.split("<h2>Shared</h2>")[0]
    assert "Helped him move" not in preview
    assert 'href="/portfolio/download?file=portfolio.md"' in html


def test_downloads_are_the_files_the_command_writes(client: Any, populated: Mutuality) -> None:
    populated.ledger.log("bo", Direction.GOT, kind="feedback", what="Notes", share=True)
    built = render_all(populated.portfolio.build())
    for name, body in built.items():
        answer = client.get("/portfolio/download", params={"file": name})
        assert answer.status_code == 200
        assert answer.text == body
        assert answer.headers["content-disposition"] == f'attachment; filename="{name}"'
    document = json.loads(client.get("/portfolio/download?file=portfolio.json").text)
    assert document["received"][0]["from"] == "Bo"
    assert client.get("/portfolio/download", params={"file": "t.db"}).status_code == 422


def test_the_page_needs_a_sign_in(anonymous: Any) -> None:
    assert anonymous.get("/portfolio", follow_redirects=False).status_code in {302, 303, 401}
    answer = anonymous.get("/portfolio/download", follow_redirects=False)
    assert answer.status_code in {302, 303, 401}


def test_share_an_exchange_from_the_page_then_unshare_it(client: Any, populated: Mutuality) -> None:
    logged = populated.ledger.log(
        "ana",
        Direction.GAVE,
        kind="knowledge",
        what="Reviewed the studio's pricing",
        outcome="Raised prices by 20%",
        private_note="PRIVATE-CANARY",
    )
    page = client.get("/portfolio").text
    offered = page.split('id="share"')[1]
    assert "Reviewed the studio&#39;s pricing" in offered and "PRIVATE-CANARY" not in page
    assert f'name="item" value="{logged.id}"' in offered
    shared = post_form(client, "/portfolio/share", {"kind": "exchange", "item": logged.id})
    assert shared.status_code == 303
    assert (
        shared.headers["location"]
        == f"/portfolio?done=shared&kind=exchange&item={logged.id}#shared"
    )
    assert [(s.kind.value, s.id, s.wording) for s in populated.sharing.list()] == [
        ("exchange", logged.id, None)
    ]
    page = client.get(shared.headers["location"]).text
    assert f"Exchange #{logged.id} is shared" in page
    preview = page.split("<h2>Shared</h2>")[0]
    assert "Reviewed the studio&#39;s pricing" in preview and "PRIVATE-CANARY" not in page
    assert 'action="/portfolio/unshare"' in page

    reworded = post_form(
        client,
        "/portfolio/share",
        {"kind": "exchange", "item": logged.id, "wording": "Helped a studio price its work"},
    )
    assert reworded.status_code == 303
    preview = client.get("/portfolio").text.split("<h2>Shared</h2>")[0]
    assert "Helped a studio price its work" in preview and "pricing" not in preview

    unshared = post_form(client, "/portfolio/unshare", {"kind": "exchange", "item": logged.id})
    assert unshared.status_code == 303 and populated.sharing.list() == []
    page = client.get(unshared.headers["location"]).text
    assert f"Exchange #{logged.id} is private again" in page
    assert "Helped a studio" not in page.split("<h2>Shared</h2>")[0]


def test_share_a_made_introduction_and_a_persons_full_name(
    client: Any, populated: Mutuality
) -> None:
    populated.needs.add("need", "ana", "Looking for a UX designer to review our onboarding")
    populated.needs.add("offer", "bo", "Happy to give feedback on user experience")
    intro = populated.introductions.propose("ana", "bo").introduction
    for side in ("ana", "bo"):
        populated.introductions.ask(intro.id, side)
        populated.introductions.answer(intro.id, side, yes=True)
    populated.introductions.make(intro.id)
    populated.introductions.log_outcome(intro.id, "They ran a usability study together")
    page = client.get("/portfolio").text
    assert 'name="kind" value="intro">' in page and "They ran a usability study" in page
    shared = post_form(client, "/portfolio/share", {"kind": "intro", "item": intro.id})
    assert shared.status_code == 303
    preview = client.get("/portfolio").text.split("<h2>Shared</h2>")[0]
    assert "They ran a usability study together" in preview and "Ana Lima" not in preview

    named = post_form(client, "/portfolio/share", {"kind": "person", "item": "ana"})
    assert named.status_code == 303
    page = client.get(named.headers["location"]).text
    assert "Ana Lima may now be named in full" in page
    assert "Ana Lima" in page.split("<h2>Shared</h2>")[0]
    ana = next(s.id for s in populated.sharing.list() if s.kind.value == "person")
    back = post_form(client, "/portfolio/unshare", {"kind": "person", "item": ana})
    assert "Ana Lima appears by first name only again" in client.get(back.headers["location"]).text


def test_refused_shares_are_shown_on_the_page(client: Any, populated: Mutuality) -> None:
    populated.needs.add("need", "ana", "Looking for a UX designer to review our onboarding")
    populated.needs.add("offer", "bo", "Happy to give feedback on user experience")
    proposed = populated.introductions.propose("ana", "bo").introduction
    before = table_counts(populated)
    early = post_form(client, "/portfolio/share", {"kind": "intro", "item": proposed.id})
    assert early.status_code == 409 and "only a made introduction can be shared" in early.text
    unknown = post_form(client, "/portfolio/share", {"kind": "person", "item": "Nobody Atall"})
    assert unknown.status_code == 404 and 'value="Nobody Atall"' in unknown.text
    odd = post_form(client, "/portfolio/share", {"kind": "exchange", "item": "twelve"})
    assert odd.status_code == 422
    assert post_form(client, "/portfolio/share", {"kind": "secret", "item": "1"}).status_code == 422
    forged = client.post(
        "/portfolio/share", data={"kind": "person", "item": "ana"}, follow_redirects=False
    )
    assert forged.status_code == 403
    assert table_counts(populated) == before
