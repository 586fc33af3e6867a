"""``mutuality agenda``, ``mutuality checkin NAME``, ``checkin link NAME``, ``checkin wishes``
and ``repair``."""

from __future__ import annotations

import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mutuality.cli.groups import DefaultToNew
from mutuality.cli.render import err, escape, out, print_json, visible, write
from mutuality.cli.state import OutputFormat, command_group, open_app
from mutuality.cli.views import person_view
from mutuality.presenters.checkins import (
    adopted_wish_json,
    agenda_item_json,
    checkin_json,
    pending_wish_json,
)

if TYPE_CHECKING:
    from mutuality.core.checkins import CheckIn
    from mutuality.core.model import Person
    from mutuality.services.app import Mutuality
    from mutuality.services.wishes import AdoptedWish

FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json")]
checkin_app = command_group(
    cls=DefaultToNew,
    no_args_is_help=True,
    help="Check-ins: `checkin NAME` guides one; `checkin link NAME` "
    "makes a private link for their side; `checkin wishes` lists what they said would "
    "make it better, waiting for you.",
)

wishes_app = command_group(
    invoke_without_command=True,
    help="What people said would make it better, waiting for you: `checkin wishes` lists "
    "them; `adopt ID` makes one a commitment of yours or a need of theirs; `set-aside ID`.",
)
checkin_app.add_typer(wishes_app, name="wishes")


class WishAs(StrEnum):
    COMMITMENT = "commitment"
    NEED = "need"
    LATER = "later"


class AdoptAs(StrEnum):
    COMMITMENT = "commitment"
    NEED = "need"


def agenda(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="Also show who is due within this many days.")] = 7,
    ics: Annotated[Path | None, typer.Option(help="Write the agenda as an iCalendar file.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Who is due a check-in (overdue first, then due soon), and why."""
    app = open_app(ctx)
    items = app.checkins.agenda(days)
    today = app.today()
    if ics is not None:
        from mutuality.services.exporting.calendar import write_agenda_calendar

        written = write_agenda_calendar(app, ics, days)
        err.print(f"Wrote {written} reminder(s) to {ics}.")
    if fmt is OutputFormat.JSON:
        print_json([agenda_item_json(p, i, today) for p, i in items])
        return
    if not items:
        out.print(f"No one is due in the next {days} days.")
    colour = {"overdue": "red", "due today": "yellow", "due soon": "green", "never in touch": "dim"}
    for person, item in items:
        when = f"[{colour[item.state.value]}]{item.when(today):<18}[/]"
        out.print(f"{when} [bold]{escape(person.name)}[/]: {escape(item.why(today))}")
    # Birthdays and important dates in the same days, in their own section.
    from mutuality.cli.occasions import print_coming_up

    print_coming_up(app.occasions.upcoming(days))


def _ask_int_again(question: str, low: int, high: int, *, required: bool = False) -> int | None:
    """Ask for a whole number from ``low`` to ``high`` until one is given (or Enter, when
    not ``required``); a typo is explained and the question asked again."""
    skip = "" if required else ", Enter to skip"
    while True:
        answer = typer.prompt(
            f"{question} ({low} to {high}{skip})", default="", show_default=False
        ).strip()
        if not answer and not required:
            return None
        try:
            value = int(answer)
        except ValueError:
            value = None
        if value is not None and low <= value <= high:
            return value
        err.print(f"Please answer with a whole number from {low} to {high}.")


def _ask_int(question: str, low: int, high: int) -> int | None:
    answer = typer.prompt(
        f"{question} ({low} to {high}, Enter to skip)", default="", show_default=False
    )
    if not answer.strip():
        return None
    try:
        value = int(answer)
    except ValueError:
        raise typer.BadParameter(f"{answer!r} is not a whole number") from None
    return value


def _ask_text(question: str) -> str | None:
    answer = typer.prompt(f"{question} (Enter to skip)", default="", show_default=False)
    return answer.strip() or None


@checkin_app.command("new")
def checkin(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who you checked in with.")],
    mine: Annotated[int | None, typer.Option(help="Your satisfaction, 1-5.")] = None,
    theirs: Annotated[int | None, typer.Option(help="Their satisfaction, 1-5.")] = None,
    their_better: Annotated[
        str | None, typer.Option(help="What would make it more valuable for them.")
    ] = None,
    my_better: Annotated[
        str | None, typer.Option(help="What would make it more valuable for you.")
    ] = None,
    my_equity: Annotated[
        int | None,
        typer.Option(
            help="Who gets the better deal, as you see it: -2 much worse for you ... 2 much better."
        ),
    ] = None,
    their_equity: Annotated[
        int | None, typer.Option(help="The same question, as they answered it from their side.")
    ] = None,
    follow_up: Annotated[
        list[str] | None,
        typer.Option(help="A follow-up you will do (repeatable): becomes a commitment."),
    ] = None,
    their_follow_up: Annotated[
        list[str] | None, typer.Option(help="A follow-up they will do (repeatable).")
    ] = None,
    due: Annotated[
        str | None, typer.Option(help="When follow-ups are due (default a week).")
    ] = None,
    on: Annotated[str | None, typer.Option(help="When (default today).")] = None,
    note: Annotated[str | None, typer.Option(help="A private note.")] = None,
    wish_as: Annotated[
        WishAs | None,
        typer.Option(
            help="What their --their-better becomes: a commitment of yours, a need of theirs, "
            "or later (it waits in `checkin wishes`). In a terminal you are asked."
        ),
    ] = None,
    wish_due: Annotated[
        str | None, typer.Option(help="When that commitment is due (default in 14 days).")
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Record a check-in; in a terminal with no answers given, guides you through it."""
    from mutuality.core.checkins import LISTENING_PROMPTS
    from mutuality.services.checkins.service import FollowUp

    app = open_app(ctx)
    choice = None
    if wish_as is not None or wish_due is not None:
        if not their_better:
            raise typer.BadParameter(
                "--wish-as and --wish-due need --their-better: what would make it better for them"
            )
        choice = app.wishes.choice(
            (wish_as or WishAs.COMMITMENT).value, wish_due
        )  # refused before anything is recorded
    person = app.people.get(name).person
    answers: dict[str, Any] = {
        "mine": mine,
        "theirs": theirs,
        "their_better": their_better,
        "my_better": my_better,
        "my_equity": my_equity,
        "their_equity": their_equity,
    }
    ups = [FollowUp(t, due, True) for t in follow_up or ()]
    ups += [FollowUp(t, due, False) for t in their_follow_up or ()]
    guided = all(v is None for v in answers.values()) and not ups and sys.stdin.isatty()
    if guided:
        out.print(f"[bold]Check-in with {escape(person.name)}[/]: listen first.")
        for prompt in LISTENING_PROMPTS:
            out.print(f"  - {prompt}")
        answers["theirs"] = _ask_int("Their satisfaction", 1, 5)
        answers["their_better"] = _ask_text("What would make it more valuable for them")
        answers["their_equity"] = _ask_int(
            "Who gets the better deal, as they see it (-2 much worse for them ... 2 much better)",
            -2,
            2,
        )
        answers["mine"] = _ask_int("Your satisfaction", 1, 5)
        answers["my_better"] = _ask_text("What would make it more valuable for you")
        answers["my_equity"] = _ask_int("Who gets the better deal, as you see it", -2, 2)
        while text := _ask_text("A follow-up you will do"):
            ups.append(FollowUp(text, due, True))
    record, commitments = app.checkins.record(
        name,
        on=on,
        my_satisfaction=answers["mine"],
        their_satisfaction=answers["theirs"],
        my_better=answers["my_better"],
        their_better=answers["their_better"],
        my_equity=answers["my_equity"],
        their_equity=answers["their_equity"],
        note=note,
        follow_ups=tuple(ups),
    )
    adopted = None
    if choice is not None:
        if choice.form is not None:
            adopted = app.wishes.adopt(record.id, choice.form, due=choice.due_on)
    elif record.their_better and fmt is OutputFormat.TABLE and sys.stdin.isatty():
        adopted = _offer_wish(app, record)
    if fmt is OutputFormat.JSON:
        print_json(
            {
                "id": record.id,
                "person": person_view(person),
                "on": record.on.isoformat(),
                "my_satisfaction": record.my_satisfaction,
                "their_satisfaction": record.their_satisfaction,
                "my_better": record.my_better,
                "their_better": record.their_better,
                "my_equity": record.my_equity,
                "their_equity": record.their_equity,
                "commitments": commitments,
                "wish": _adopted_view(adopted, record),
            }
        )
        return
    out.print(
        f"Recorded check-in #{record.id} with {escape(person.name)} on {record.on}"
        + (f"; {len(commitments)} follow-up(s) became commitments" if commitments else "")
        + "."
    )
    if adopted is not None:
        out.print(_adopted_line(adopted))
    elif record.their_better and choice is not None:
        out.print(_later_line(record.id))


def _offer_wish(app: Mutuality, record: CheckIn) -> AdoptedWish | None:
    """In a terminal: what they said would make it better, offered as a commitment of
    mine or a need of theirs; Enter (or Ctrl-D) leaves it waiting."""
    from mutuality.core.checkins import WishForm, pending_wish
    from mutuality.core.errors import InvalidInput

    wish = pending_wish(record)
    out.print(
        f"It reads as a {wish.proposal.form.value}: {escape(wish.proposal.reason)}.",
        highlight=False,
    )
    try:
        while True:
            answer = typer.prompt(
                f"They said: '{visible(wish.text)}'. Make it a commitment of yours (c), a need of "
                "theirs to keep in mind (n), or leave it for now (Enter)?",
                default="",
                show_default=False,
            )
            word = answer.strip().lower()
            if word in ("", "l", "later"):
                out.print(_later_line(record.id))
                return None
            if word in ("n", "need"):
                return app.wishes.adopt(record.id, WishForm.NEED)
            if word in ("c", "commitment"):
                break
            err.print("Please answer c (a commitment), n (a need) or press Enter (later).")
        while True:
            due = typer.prompt(
                "Due when (a date, 'in 2 weeks'; Enter for in 14 days)",
                default="",
                show_default=False,
            ).strip()
            try:
                chosen = app.wishes.choice(WishForm.COMMITMENT, due or None)
            except InvalidInput as error:
                err.print(f"{escape(error.message)}; try again.")
                continue
            return app.wishes.adopt(record.id, WishForm.COMMITMENT, due=chosen.due_on)
    except typer.Abort:
        out.print("\n" + _later_line(record.id))
        return None


def _later_line(checkin_id: int) -> str:
    return (
        f"Their wish waits for you: `mutuality checkin wishes adopt {checkin_id}` "
        f"or `set-aside {checkin_id}`."
    )


def _adopted_line(adopted: AdoptedWish) -> str:
    if adopted.commitment_id is not None:
        return (
            f"Made it commitment #{adopted.commitment_id} of yours: "
            f"'{escape(adopted.text)}', due {adopted.due_on}."
        )
    return f"Kept it as their need #{adopted.need_id}: '{escape(adopted.text)}'."


def _adopted_view(adopted: AdoptedWish | None, record: CheckIn) -> dict[str, Any] | None:
    """The ``wish`` key: what became of what they said would make it better."""
    if not record.their_better:
        return None
    if adopted is None:
        return {"state": None, "commitment_id": None, "need_id": None, "due_on": None}
    return {
        "state": adopted.form.value,
        "commitment_id": adopted.commitment_id,
        "need_id": adopted.need_id,
        "due_on": adopted.due_on.isoformat() if adopted.due_on else None,
    }


@checkin_app.command("list")
def list_checkins(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Whose check-ins.")],
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """A person's check-ins, oldest first, with both sides' answers."""
    records = open_app(ctx).checkins.list(name)
    if fmt is OutputFormat.JSON:
        print_json([checkin_json(c) for c in records])
        return
    from mutuality.core.checkins import is_pending, proposed_form, would_hear_words

    if not records:
        out.print("No check-ins yet: `mutuality checkin NAME` records one.")
    for c in records:
        out.print(
            f"#{c.id} {c.on} {c.kind} ({'their link' if c.source == 'link' else 'you'}): "
            f"you {c.my_satisfaction or '-'}/5, them {c.their_satisfaction or '-'}/5"
        )
        for label, text in (
            ("better for them", c.their_better),
            ("better for you", c.my_better),
            ("their message", c.message),
        ):
            if text:
                out.print(f"   {label}: {escape(text)}")
        if is_pending(c):
            form = proposed_form(c.their_better or "").form.value
            out.print(
                f"   their wish waits for you (reads as a {form}): "
                f"`mutuality checkin wishes adopt {c.id}`"
            )
        elif c.their_better and c.wish_state:
            made = {
                "commitment": "made a commitment of yours",
                "need": "kept as their need",
                "set-aside": "set aside",
            }
            out.print(f"   their wish: {made.get(c.wish_state, c.wish_state)}")
        if words := would_hear_words(c.would_hear):
            out.print(f"   {words}")


@checkin_app.command("link")
def link(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who will answer.")],
    first_name: Annotated[
        str | None, typer.Option(help="The only name their page shows (default: your first name).")
    ] = None,
    days: Annotated[int, typer.Option(help="Days before the link expires.")] = 14,
    base_url: Annotated[
        str | None,
        typer.Option(
            envvar="MUTUALITY_BASE_URL",
            help="Where the other person reaches `mutuality serve` (default: the address "
            "links use from the settings, else the one serve last used for this ledger).",
        ),
    ] = None,
) -> None:
    """Make a private one-time link for them to answer a few questions, no account needed."""
    from mutuality.web.links import DEFAULT_LINK_BASE, link_address, served_base

    app = open_app(ctx)
    served = served_base(app.database.path) or DEFAULT_LINK_BASE
    links = link_address(base_url or app.settings.web.public_url, served)
    made = app.checkins.make_link(name, first_name, days)
    out.print(
        f"Send this link to {escape(made.person.name)} (valid until "
        f"{made.expires_at:%Y-%m-%d}, answerable once; it is shown only now):"
    )
    sys.stdout.write(links.url(f"c/{made.token}") + "\n")
    if links.loopback:
        err.print(
            f"[yellow]Note[/]: this link points at {escape(links.host)}, this computer itself: "
            f"{escape(made.person.name)} cannot open it from their phone or computer. To share "
            "it, serve on an address their device can reach, for example "
            "`mutuality serve --host 0.0.0.0 --allow-remote --public-url "
            "http://YOUR-COMPUTER.local:8765` on your home network (or an HTTPS address in "
            "front of it), then make a new link.",
            soft_wrap=True,
        )


@wishes_app.callback()
def wishes(
    ctx: typer.Context,
    person: Annotated[str | None, typer.Option(help="Only this person's.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """What people said would make it better, waiting for you, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    found = open_app(ctx).wishes.pending(person)
    if fmt is OutputFormat.JSON:
        print_json([pending_wish_json(p, w) for p, w in found])
        return
    if not found:
        out.print("No wishes wait for you.")
        return
    for who, wish in found:
        said = (f", {wish.their_satisfaction}/5 satisfied" if wish.their_satisfaction else "") + (
            " (through your link)" if wish.source == "link" else ""
        )
        out.print(
            f"#{wish.checkin_id} {wish.on} [bold]{escape(who.name)}[/]{said}: '{escape(wish.text)}'"
        )
        out.print(
            f"   proposed: {wish.proposal.form.value}: {escape(wish.proposal.reason)}",
            highlight=False,
        )
    out.print(
        "`mutuality checkin wishes adopt ID [--as need] [--due DATE]` confirms one; "
        "`set-aside ID` lets it go."
    )


@wishes_app.command("adopt")
def adopt_wish(
    ctx: typer.Context,
    checkin_id: Annotated[int, typer.Argument(help="The check-in's id (see `checkin wishes`).")],
    as_: Annotated[
        AdoptAs | None,
        typer.Option("--as", help="commitment (yours) or need (theirs); default: as proposed."),
    ] = None,
    due: Annotated[
        str | None, typer.Option(help="When the commitment is due (default in 14 days).")
    ] = None,
    text: Annotated[
        str | None, typer.Option(help="Say it in your own words (default: theirs).")
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Make a wish a commitment of yours or a need of theirs to keep in mind."""
    adopted = open_app(ctx).wishes.adopt(checkin_id, as_.value if as_ else None, due=due, text=text)
    if fmt is OutputFormat.JSON:
        print_json(adopted_wish_json(adopted))
        return
    out.print(_adopted_line(adopted))


@wishes_app.command("set-aside")
def set_aside_wish(
    ctx: typer.Context,
    checkin_id: Annotated[int, typer.Argument(help="The check-in's id (see `checkin wishes`).")],
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Choose not to act on a wish now; it leaves the list (you considered it)."""
    wish = open_app(ctx).wishes.set_aside(checkin_id)
    if fmt is OutputFormat.JSON:
        print_json({"checkin_id": wish.checkin_id, "state": "set-aside", "text": wish.text})
        return
    out.print(f"Set aside check-in #{wish.checkin_id}'s wish: '{escape(wish.text)}'.")


def repair(
    ctx: typer.Context,
    with_: Annotated[str, typer.Option("--with", help="Your partner in the ledger.")],
    ics: Annotated[
        Path | None,
        typer.Option(help="If you take a break, write the return time as a calendar event here."),
    ] = None,
) -> None:
    """A guided repair conversation for two partners: who goes first, turns, a break."""
    app = open_app(ctx)
    partner = app.people.get(with_).person
    me = app.people.owner().name
    if not sys.stdin.isatty():
        raise typer.BadParameter("the repair conversation is interactive: run it in a terminal")
    try:
        _repair(app, partner, me, ics)
    except typer.Abort:
        err.print("\nStopped: nothing was recorded. Come back to it when you are both ready.")
        raise typer.Exit(1) from None


def _repair(app: Mutuality, partner: Person, me: str, ics: Path | None) -> None:
    """The conversation; every answer is asked again until it is one the question takes."""
    from mutuality.core.checkins import LISTENER_PROMPTS, Partner, repair_plan

    partners = []
    for name in (me, partner.name):
        out.print(f"[bold]{escape(name)}[/]")
        stress = _ask_int_again("  How stressed are you right now", 0, 10) or 0
        engage = typer.confirm("  Can you engage now?", default=True)
        minutes = (
            None
            if engage
            else _ask_int_again("  How many minutes do you need", 10, 4320, required=True)
        )
        feeling = _ask_text("  One word for what you feel")
        need = _ask_text("  What do you need")
        raised = typer.confirm("  Did you raise the issue?", default=False)
        partners.append(Partner(name, stress, engage, minutes, feeling, need, raised))
    plan = repair_plan(partners[0], partners[1], datetime.now())
    out.print(escape(plan.reason))
    if plan.return_at is not None:
        out.print(f"Take the break. Come back at {plan.return_at:%H:%M on %Y-%m-%d}.")
        if ics is not None:
            from mutuality.services.exporting.calendar import write_return_event

            write_return_event(
                ics, f"Come back to the conversation with {partner.name}", plan.return_at
            )
            err.print(f"Wrote the return time to {ics}.")
        return
    assert plan.first is not None and plan.second is not None
    for speaker, listener in ((plan.first, plan.second), (plan.second, plan.first)):
        out.print(
            f"\n[bold]{escape(speaker.name)} speaks[/]: feeling "
            f"{escape(speaker.feeling or '-')}, needing {escape(speaker.need or '-')}."
        )
        out.print(f"{escape(listener.name)}, while you listen:")
        for prompt in LISTENER_PROMPTS:
            out.print(f"  - {prompt}")
        typer.prompt("Press Enter when the turn is over", default="", show_default=False)
    relieved = [
        typer.confirm(f"{visible(p.name)}, do you feel relieved?", default=True) for p in partners
    ]
    record, _ = app.checkins.record(
        partner.name,
        kind="repair",
        note="; ".join(
            f"{p.name}: feeling {p.feeling or '-'}, needing {p.need or '-'}, "
            f"stress {p.stress}, relieved {'yes' if ok else 'no'}"
            for p, ok in zip(partners, relieved, strict=True)
        ),
    )
    out.print(f"Recorded as check-in #{record.id} (kind repair; private to you two).")


def digest(
    ctx: typer.Context,
    send: Annotated[
        bool, typer.Option("--send", help="Email it through [email] settings.")
    ] = False,
) -> None:
    """This week's agenda and next actions as a digest; --send emails it."""
    from mutuality.services.checkins.digest import digest_text, send_digest

    app = open_app(ctx)
    if send:
        message = send_digest(app)
        err.print(f"Sent the digest to {message['To']}.")
        return
    write(digest_text(app))
