"""The community board on PostgreSQL: a member's board, suggestions and an ask's helpers, and
the organiser's report, with many members and open asks.

    .venv/bin/python benchmarks/bench_board.py                      # 100 members, 1,000 asks
    .venv/bin/python benchmarks/bench_board.py --members 300 --asks 3000

Steps: a fresh database on ``--server`` (dropped afterwards); the community and its members
joined through TeamService (passwords hashed cheaply: joining is not what is measured); the
asks posted by random members with four words each from a small vocabulary of skills, 20
offers, and half the asks answered; then each operation run once to warm up and timed over
three runs, for one member (the report for the organiser). Reported: the mean of each, in ms.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import date

from bench_team_load import DEFAULT_SERVER, _drop_database, _fresh_database

from mutuality.services import team as team_module
from mutuality.services.app import Mutuality
from mutuality.services.settings import Settings

WORDS = (
    "design review pitch deck python django kubernetes grant budget legal contract hiring "
    "marketing seo garden move house van lift airport mentor fundraising ux onboarding"
).split()


def timed(name: str, run: Callable[[], object], times: int = 3) -> None:
    run()
    start = time.perf_counter()
    for _ in range(times):
        run()
    print(f"{name}: {(time.perf_counter() - start) / times * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=DEFAULT_SERVER, help="a PostgreSQL URL to start from")
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--asks", type=int, default=1000)
    args = parser.parse_args()
    team_module.hash_password = lambda password: "not measured"  # type: ignore[assignment]
    rng = random.Random(7)
    url, name = _fresh_database(args.server)
    try:
        with Mutuality.open(url, Settings(), today=lambda: date(2026, 12, 6)) as app:
            team = app.team
            organiser = team.join(team.init("Bench", "o@example.org", "Org").token, "x" * 12)
            members = [organiser] + [
                team.join(
                    team.invite(organiser.id, f"m{i}@example.org", name=f"Member {i}").token,
                    "x" * 12,
                )
                for i in range(args.members - 1)
            ]
            start = time.perf_counter()
            posts = [
                team.board.post(rng.choice(members).id, "ask", " ".join(rng.sample(WORDS, 4)))
                for _ in range(args.asks)
            ]
            posting = (time.perf_counter() - start) / args.asks * 1000
            for member in members[:20]:
                team.board.post(member.id, "offer", " ".join(rng.sample(WORDS, 4)))
            for post in posts[: args.asks // 2]:
                helper = rng.choice([m for m in members if m.display_name != post.author])
                team.board.answer(helper.id, post.id, post.version, "I can help")
            print(
                f"{args.members} members, {args.asks} open asks ({args.asks // 2} answered); "
                f"posting an ask: {posting:.1f} ms"
            )
            viewer = members[5]
            own = next(p for p in posts if p.author == viewer.display_name)
            timed("the board's asks for one member", lambda: team.board.board(viewer.id, "ask"))
            timed("a member's suggestions", lambda: team.board.suggestions(viewer.id))
            print(f"  matched by {team.board.suggestions(viewer.id).method}")
            timed("the helpers for one ask", lambda: team.board.helpers(viewer.id, own.id))
            timed("the organiser's report", lambda: team.board.report(organiser.id))
            team.close()
    finally:
        _drop_database(args.server, name)


if __name__ == "__main__":
    main()
