"""``mutuality person ...``: keep the people in the network."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import err, escape, out, print_json, visible
from mutuality.cli.state import OutputFormat, command_group, open_app
from mutuality.cli.views import person_details_view, person_view

if TYPE_CHECKING:
    from mutuality.core.model import Person

app = command_group(
    help="Add, edit, list, show, search, export and forget people.", no_args_is_help=True
)

FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json")]
Emails = Annotated[list[str] | None, typer.Option("--email", "-e", help="Email (repeatable).")]
Phones = Annotated[list[str] | None, typer.Option("--phone", "-p", help="Phone (repeatable).")]
Tags = Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).")]
IntentOption = Annotated[
    str | None,
    typer.Option(
        "--intent",
        help="What the tie is for: reciprocal, care, mentoring, service or close "
        "(auto: worked out from the context, tags and states).",
    ),
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="When the intent ends (care for a season): a date.")
]
ReasonOption = Annotated[
    str | None, typer.Option("--reason", help="Why, in your words (for you only).")
]
BirthdayOption = Annotated[
    str | None,
    typer.Option(help="Birthday: 1980-04-15, or 04-15 when the year is not known ('' clears)."),
]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Full name as you want to see it.")],
    email: Emails = None,
    phone: Phones = None,
    tag: Tags = None,
    org: Annotated[str | None, typer.Option("--org", help="Organisation.")] = None,
    title: Annotated[str | None, typer.Option(help="Job title or role.")] = None,
    context: Annotated[str, typer.Option(help="friend, colleague, client, mentor, ...")] = "other",
    cadence: Annotated[int | None, typer.Option(help="Check-in cadence in days.")] = None,
    intent: IntentOption = None,
    until: UntilOption = None,
    reason: ReasonOption = None,
    note: Annotated[str | None, typer.Option(help="A private note (never shared).")] = None,
    birthday: BirthdayOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Add a person to your network."""
    person = open_app(ctx).people.add(
        name,
        emails=tuple(email or ()),
        phones=tuple(phone or ()),
        tags=tuple(tag or ()),
        organisation=org,
        title=title,
        private_note=note,
        context=context,
        cadence_days=cadence,
        intent=intent,
        intent_until=until,
        intent_reason=reason,
        birthday=birthday,
    )
    if fmt is OutputFormat.JSON:
        print_json(person_view(person))
    else:
        out.print(f"Added [bold]{escape(person.name)}[/] (id {person.id}).")


@app.command("list")
def list_people(
    ctx: typer.Context,
    tag: Annotated[
        str | None, typer.Option("--tag", "-t", help="Only people with this tag.")
    ] = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Text to look for.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """List people, by name."""
    _print_people(open_app(ctx).people.list(tag=tag, search=search), fmt)


@app.command("search")
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Part of a name, email, phone, organisation or tag.")],
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Find people by any part of their name, email, phone, organisation, title or tags."""
    _print_people(open_app(ctx).people.list(search=text), fmt)


@app.command("show")
def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name (forgiving: case, accents, prefix).")],
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Show one person's details."""
    details = open_app(ctx).people.get(name)
    if fmt is OutputFormat.JSON:
        print_json(person_details_view(details))
        return
    view = person_details_view(details)
    out.print(f"[bold]{escape(view['name'])}[/]  (id {view['id']})")
    for label, key in (
        ("Organisation", "organisation"),
        ("Title", "title"),
        ("Context", "context"),
        ("Since", "started_on"),
        ("Check in every", "cadence_days"),
    ):
        if view[key] is not None:
            suffix = " days" if key == "cadence_days" else ""
            out.print(f"  {label}: {escape(str(view[key]))}{suffix}")
    for label, key in (("Emails", "emails"), ("Phones", "phones"), ("Tags", "tags")):
        if view[key]:
            out.print(f"  {label}: {escape(', '.join(view[key]))}")
    if view["birthday"]:
        out.print(f"  Birthday: {view['birthday']}")
    for kept in view["dates"]:
        every = "every year" if kept["yearly"] else "once"
        out.print(f"  {escape(kept['text'])}: {kept['on']} ({every}; date #{kept['id']})")
    if view["note"]:
        out.print(f"  Private note: {escape(view['note'])}")
    out.print(f"  Exchanges logged: {view['exchanges']}")


@app.command("export")
def export(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Whose record: a name (forgiving) or an email.")],
    file: Annotated[Path, typer.Argument(help="Where to write the JSON file.")],
    with_private_notes: Annotated[
        bool,
        typer.Option(
            "--with-private-notes",
            help="Put your private notes about them in (on them, their exchanges, touches "
            "and check-ins, and your reason for the relationship's intent). Default: left "
            "out, so that the file can be handed to them.",
        ),
    ] = False,
) -> None:
    """Write everything the ledger holds about one person, and nothing of anyone else's,
    as a JSON backup: their details, the relationship, exchanges both ways, touches,
    check-ins, requests, commitments, needs, offers, states, dates and introductions (the
    other side by name only). You appear by name only. `mutuality import FILE` restores it
    into an empty ledger. Private notes are left out unless --with-private-notes is given.
    The file is written atomically and readable only by you."""
    done = open_app(ctx).person_exports.export(name, file, with_private_notes=with_private_notes)
    notes = "with your private notes" if done.with_private_notes else "without private notes"
    err.print(escape(f"Exported {done.name}'s record to {file} ({notes}): {done.describe()}."))
    if done.named:
        others = "1 other person" if done.named == 1 else f"{done.named} other people"
        err.print(f"Also in it, by name only: {others} (the other side of an introduction).")


@app.command("edit")
def edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who to edit.")],
    new_name: Annotated[str | None, typer.Option("--name", help="Rename.")] = None,
    email: Emails = None,
    remove_email: Annotated[list[str] | None, typer.Option(help="Email to remove.")] = None,
    phone: Phones = None,
    remove_phone: Annotated[list[str] | None, typer.Option(help="Phone to remove.")] = None,
    tag: Tags = None,
    remove_tag: Annotated[list[str] | None, typer.Option(help="Tag to remove.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="Organisation ('' clears).")] = None,
    title: Annotated[str | None, typer.Option(help="Title ('' clears).")] = None,
    context: Annotated[str | None, typer.Option(help="Relationship context.")] = None,
    cadence: Annotated[int | None, typer.Option(help="Check-in cadence in days.")] = None,
    intent: IntentOption = None,
    until: UntilOption = None,
    reason: ReasonOption = None,
    note: Annotated[str | None, typer.Option(help="Private note ('' clears).")] = None,
    birthday: BirthdayOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Change a person's details; list options add, --remove-* options remove."""
    from mutuality.services.people import PersonChanges

    details = open_app(ctx).people.edit(
        name,
        PersonChanges(
            name=new_name,
            organisation=org,
            title=title,
            private_note=note,
            context=context,
            cadence_days=cadence,
            intent=intent,
            intent_until=until,
            intent_reason=reason,
            birthday=birthday,
            add_emails=tuple(email or ()),
            remove_emails=tuple(remove_email or ()),
            add_phones=tuple(phone or ()),
            remove_phones=tuple(remove_phone or ()),
            add_tags=tuple(tag or ()),
            remove_tags=tuple(remove_tag or ()),
        ),
    )
    if fmt is OutputFormat.JSON:
        print_json(person_details_view(details))
    else:
        out.print(f"Updated [bold]{escape(details.person.name)}[/].")


@app.command("forget")
def forget(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who to forget.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a person and everything only about them (their exchanges included)."""
    from mutuality.core.errors import InvalidInput

    app_ = open_app(ctx)
    details = app_.people.get(name)
    if not yes:
        if not sys.stdin.isatty():
            raise InvalidInput("forgetting needs confirmation: pass --yes", field="yes")
        typer.confirm(
            f"Forget {visible(details.person.name)} and {details.exchange_count} exchange(s)? "
            "This cannot be undone",
            abort=True,
        )
    report = app_.people.forget(details.person.name)
    err.print(f"Forgot {escape(report.name)} and {report.exchanges} exchange(s).")


def _print_people(people: list[Person], fmt: OutputFormat) -> None:
    if fmt is OutputFormat.JSON:
        print_json([person_view(p) for p in people])
        return
    from rich.table import Table

    table = Table(title=f"{len(people)} people", title_justify="left")
    for column in ("Name", "Organisation", "Emails", "Tags"):
        table.add_column(column)
    for person in people:
        table.add_row(
            escape(person.name),
            escape(person.organisation or ""),
            escape(", ".join(person.emails)),
            escape(", ".join(person.tags)),
        )
    out.print(table)
