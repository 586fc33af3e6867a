"""The web app's matches page (``/matches``) on a large ledger: the first visit after a
change (the relationship figures and one matching report) and the pages after it (slices
of the kept report).

    .venv/bin/python benchmarks/bench_matches_page.py                      # 10k people
    .venv/bin/python benchmarks/bench_matches_page.py --people 10000 --wishes 2000
    .venv/bin/python benchmarks/bench_matches_page.py --without-model      # by shared words

The ledger is the synthetic network (``--per-person`` exchanges each) with ``--wishes``
open needs and as many open offers on 400 topics, spread over random people; pages are
fetched in-process through the test client, signed in. The page matches by meaning (the
default install's model): the texts are embedded first, as saving them does, and that
time is shown apart; ``--without-model`` hides the model, so that the page matches by
shared words (as it did before it matched by meaning), for a comparison in the same run.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

TODAY = date(2026, 11, 23)


def build(path: Path, people: int, per_person: int, wishes: int) -> None:
    from mutuality.services.app import Mutuality
    from mutuality.services.settings import Settings
    from mutuality.store.tables import NeedRow, OfferRow
    from mutuality.synthetic import generate_network

    net = generate_network(people, per_person, seed=0, today=TODAY)
    topics = [f"topic{i} skill{i % 97} area{i % 31}" for i in range(400)]
    rng = random.Random(0)
    with Mutuality.open(str(path), Settings(), today=lambda: TODAY) as app:
        ids = [app.people.owner().id, *app.people.bulk_add(net.names())]
        app.ledger.bulk_add(net.exchanges(ids))
        with app.database.write() as session:
            for _ in range(wishes):
                for table, words in (
                    (NeedRow, "Looking for help with"),
                    (OfferRow, "Happy to help with"),
                ):
                    session.add(
                        table(
                            person_id=rng.choice(ids[1:]),
                            text=f"{words} {rng.choice(topics)}",
                            tags="",
                            source="me",
                            status="open",
                            created_on=TODAY,
                        )
                    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--per-person", type=int, default=20)
    parser.add_argument("--wishes", type=int, default=2_000)
    parser.add_argument("--without-model", action="store_true", help="match by shared words")
    args = parser.parse_args()
    if args.without_model:
        from mutuality.services.matching import embeddings, encoder_onnx

        encoder_onnx.MODEL_PACKAGE = "no_such_model_package"
        embeddings.missing = lambda: "hidden by --without-model"
        embeddings.missing_lite = lambda: "hidden by --without-model"

    from web_helpers import sign_in, web_client

    from mutuality.services.app import Mutuality
    from mutuality.services.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.db"
        build(path, args.people, args.per_person, args.wishes)
        app = Mutuality.open(str(path), Settings(), today=lambda: TODAY)
        if not args.without_model:
            started = time.perf_counter()
            done = app.matching.embeddings.embed()  # what saving each text does, one by one
            took = time.perf_counter() - started
            print(f"embedding {done.computed:,} texts once (as saved): {took:.1f} s")
        with web_client(app) as client:
            sign_in(client, app)
            for label, url in (
                ("first visit after a change", "/matches"),
                ("the same page again", "/matches"),
                ("another tab", "/matches?show=help-me"),
                ("page 3", "/matches?page=3"),
            ):
                started = time.perf_counter()
                answer = client.get(url)
                took = (time.perf_counter() - started) * 1000
                print(f"{label:28} {answer.status_code} {took:8.0f} ms")
            method = "by meaning" if "<strong>by meaning</strong>" in answer.text else "by words"
            print(f"the page matched {method}")
        app.close()


if __name__ == "__main__":
    main()
