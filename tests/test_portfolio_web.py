"""The portfolio page: the preview, what is shared, and the same files as the command."""

from __future__ import annotations

import json
from typing import Any

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
