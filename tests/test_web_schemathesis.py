"""Schemathesis against the OpenAPI document, in-process, with every check it has
(docs/reliability.md I10, ``--checks all``): no 5xx, every answer's status, content type, headers
and body match the document, data the document calls invalid is refused and data it calls
valid gets through the request validator. Both kinds of data for every operation, a few
examples each (about 30 s on two cores)."""

from __future__ import annotations

import json
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis.checks import CHECKS, load_all_checks, positive_data_acceptance  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from web_helpers import sign_in, web_client  # noqa: E402

from mutuality.services.checkins.service import FollowUp  # noqa: E402
from mutuality.web.security import SESSION_COOKIE  # noqa: E402

SKIPPED = {("POST", "/api/session"), ("DELETE", "/api/session")}
"""Signing in and out would only test the rate limiter and end the run's own session."""
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}
HEADERS = {"Host": "localhost"}


def schema_valid_data_passes_the_request_validator(
    ctx: Any, response: Any, case: Any
) -> bool | None:
    """``positive_data_acceptance``, less the rules the document leaves to the services
    (schemas.py: inputs check types and shape; lengths, ranges, dates against today and
    uniqueness are the services' to judge, and they answer 422 with the field named and no
    ``location``). A 422 from the request validator itself (``location`` body, query or
    path) on data the document calls valid means the document is wrong, and still fails."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except AssertionError:
        if response.status_code == 422 and rejected_by_a_service_rule(response):
            return None
        raise


def rejected_by_a_service_rule(response: Any) -> bool:
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("error") == "InvalidInput" and not body["location"]


def test_schemathesis_still_has_every_check_this_run_relies_on() -> None:
    load_all_checks()
    names = {getattr(check, "__name__", "") for check in CHECKS.get_all()}
    assert {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "missing_required_header",
        "unsupported_method",
        "use_after_free",
        "ensure_resource_availability",
        "ignored_auth",
    } <= names


def test_bounds_in_the_document_are_exact_json_numbers(populated: Any) -> None:
    """The document writes every bound as a JSON number, which a reader takes as a double:
    past 2**53 it is rounded (2**62 came back as 4.611686018427388e18, and ids past it were
    generated as valid and refused by the validator). Every bound must be exact, and every
    limit has a lower one too."""
    document = web_client(populated).get("/api/openapi.json").json()

    def bounds(node: Any) -> Any:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                    yield value
                yield from bounds(value)
        elif isinstance(node, list):
            for item in node:
                yield from bounds(item)

    found = list(bounds(document))
    assert found and all(abs(bound) <= 2**53 - 1 for bound in found)
    for path, item in document["paths"].items():
        for method in item.values():
            for parameter in method.get("parameters", []):
                if parameter["name"] == "limit":
                    assert parameter["schema"].get("minimum") == 1, path


@pytest.mark.slow
def test_the_api_holds_to_its_openapi_document(populated: Any) -> None:
    known = things_to_find(populated)
    client = sign_in(web_client(populated), populated)
    config = SchemathesisConfig.from_dict(
        {
            "auth": {
                "openapi": {"session": {"api_key": client.cookies.get(SESSION_COOKIE)}},
                "auto-signup": False,
            }
        }
    )
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", client.app, config=config)
    operations = [op.ok() for op in schema.get_all_operations()]
    # Deletions last (forgetting the person last of all), so that the other operations
    # still find what they ask for.
    operations.sort(
        key=lambda op: (op.method.upper() == "DELETE", op.path.startswith("/api/people/"))
    )
    answered: dict[str, set[int]] = {}
    for op in operations:
        if (op.method.upper(), op.path) in SKIPPED:
            continue
        seen = answered.setdefault(op.label, set())
        for mode, examples in EXAMPLES.items():
            exercise(op, mode, examples, known, seen)
    assert len(answered) >= 60
    # Signed in and given real ids, most operations answer, not only refuse (the rest are
    # steps the state does not allow yet: making an introduction before both said yes).
    refused = sorted(label for label, seen in answered.items() if not any(s < 300 for s in seen))
    assert len(refused) <= 0.2 * len(answered), refused


def things_to_find(ledger: Any) -> dict[str, int]:
    """Something for each id in a path to find, by the path parameter's name (a wish id
    under /api/offers is the offer's)."""
    need = ledger.needs.add("need", "Ana Lima", "a designer for the studio site")
    offer = ledger.needs.add("offer", "Bo Chen", "design reviews for studio sites")
    asked = ledger.requests.ask("Ana Lima", "Review my deck", benefit=6, cost=2)
    ledger.requests.ask("Bo Chen", "Lend me the van", benefit=5, cost=2)
    intro = ledger.introductions.propose("Ana Lima", "Bo Chen")
    _checkin, (commitment,) = ledger.checkins.record(
        "Ana Lima", my_satisfaction=3, follow_ups=(FollowUp("Send the notes"),)
    )
    link = ledger.checkins.make_link("Ana Lima")
    ledger.checkins.answer_link(
        link.token, satisfaction=4, better="More notice", equity=0, message=None
    )
    [(_person, wish)] = ledger.wishes.pending("Ana Lima")
    return {
        "person_id": ledger.people.get("Ana Lima").person.id,
        "exchange_id": ledger.ledger.timeline("Ana Lima").entries[0].exchange.id,
        "wish_id": need.id,
        "offer_id": offer.id,
        "request_id": asked.id,
        "intro_id": intro.introduction.id,
        "commitment_id": commitment,
        "checkin_id": wish.checkin_id,
    }


def exercise(
    op: Any, mode: GenerationMode, examples: int, known: dict[str, int], seen: set[int]
) -> None:
    """``examples`` cases of ``mode`` data; every other valid one asks for real ids."""
    count = [0]

    @given(op.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        count[0] += 1
        if mode is GenerationMode.POSITIVE and count[0] % 2 and case.path_parameters:
            for name in case.path_parameters:
                wanted = "offer_id" if name == "wish_id" and "/offers" in op.path else name
                case.path_parameters[name] = known[wanted]
        response = case.call(headers=HEADERS)
        seen.add(response.status_code)
        case.validate_response(
            response,
            headers=HEADERS,
            excluded_checks=[positive_data_acceptance],
            additional_checks=[schema_valid_data_passes_the_request_validator],
        )

    try:
        run()
    except Unsatisfiable:
        # Nothing the document could call invalid: no parameters and no body.
        assert mode is GenerationMode.NEGATIVE, op.label
