"""``mutuality team ...``: a community on a PostgreSQL server, each member with a private
ledger. ``init`` creates it and prints the organiser's one-time join link; ``invite``,
``join``, ``members``, ``remove``, ``hand-over`` and ``leave`` manage who belongs, and
``export`` backs up one member's ledger. ``link``, ``confirmations``, ``confirm``, ``decline``,
``withdraw`` and ``ask`` are two-sided exchanges, each acting for one member (``--as``). Members
are named by email; the rules live in :mod:`mutuality.services.team`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mutuality.cli.render import err, escape, out, print_json, visible
from mutuality.cli.state import FormatOption, OutputFormat, command_group, open_app, state

if TYPE_CHECKING:
    from mutuality.services.team import Member, TeamInvite, TeamService
    from mutuality.services.team_confirmations import Confirmation


class Role(StrEnum):
    MEMBER = "member"
    ORGANISER = "organiser"


team_app = command_group(
    no_args_is_help=True,
    help="A community on a PostgreSQL server, each member with a private ledger: `team init` "
    "creates it, `team invite` and `team join` bring members in, `team leave` takes a "
    "member's data out.",
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="MUTUALITY_DB",
        help="The community's PostgreSQL server, as postgresql+psycopg://USER@HOST/DATABASE.",
    ),
]
ByOption = Annotated[
    str, typer.Option("--by", help="The email of the organiser who does this.", show_default=False)
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        envvar="MUTUALITY_BASE_URL",
        help="Where members reach `mutuality serve` (default: the address links use from the "
        "settings, else http://127.0.0.1:8765).",
    ),
]


def _team(ctx: typer.Context, db: str | None) -> TeamService:
    """The community's service, once ``--db`` is known to name a PostgreSQL server (a wrong
    one is refused before any file or database is created)."""
    from mutuality.services.team import check_team_database

    current = state(ctx)
    check_team_database(db or current.db)
    if db:
        current.db = db
    return open_app(ctx).team


def _member(team: TeamService, email: str, option: str) -> Member:
    """The active member with ``email``; an unknown one is an error that names the option."""
    from mutuality.core.errors import InvalidInput

    address = email.strip().lower()
    found = next((m for m in team.members() if m.email == address), None)
    if found is None:
        raise InvalidInput(
            f"{option} {email!r}: no member of this community has that email",
            field=option.lstrip("-").lower(),
            value=email,
        )
    return found


def _print_link(ctx: typer.Context, invite: TeamInvite, base_url: str | None, who: str) -> None:
    from mutuality.web.links import DEFAULT_LINK_BASE, link_address

    app = open_app(ctx)
    links = link_address(base_url or app.settings.web.public_url, DEFAULT_LINK_BASE)
    sent = " (it was also sent by email)" if invite.emailed else ""
    out.print(
        f"{who}: this one-time join link works once, until "
        f"{invite.expires_at:%Y-%m-%d %H:%M} UTC, and is shown only now{sent}:",
        soft_wrap=True,
    )
    sys.stdout.write(links.url(f"join/{invite.token}") + "\n")
    out.print(
        "Open it in a browser while `mutuality serve` runs on this server to choose a "
        "password, or join on this machine with `mutuality team join LINK`.",
        soft_wrap=True,
    )
    if links.loopback:
        err.print(
            f"[yellow]Note[/]: this link points at {escape(links.host)}, this computer itself: "
            "nobody can open it from another device. Give the address members reach, for "
            "example `--base-url https://circle.example.org` (the HTTPS address of the "
            "reverse proxy in front of `mutuality serve`), or set public_url under \\[web] in "
            "the config file.",
            soft_wrap=True,
        )


@team_app.command("init")
def init(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The community's name.")],
    email: Annotated[
        str, typer.Option("--email", help="The organiser's email.", show_default=False)
    ],
    full_name: Annotated[
        str,
        typer.Option("--name", help="The organiser's name as members see it.", show_default=False),
    ],
    db: DbOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Create the community on a PostgreSQL server and print the organiser's join link."""
    team = _team(ctx, db)
    invite = team.init(name, email, full_name)
    out.print(f"Created the community [bold]{escape(team.community().name)}[/].")
    _print_link(ctx, invite, base_url, f"For {escape(invite.email)} (organiser)")


@team_app.command("invite")
def invite(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="Who to invite.")],
    by: ByOption,
    role: Annotated[Role, typer.Option("--role", help="member or organiser.")] = Role.MEMBER,
    full_name: Annotated[
        str | None, typer.Option("--name", help="Their name, offered when they join.")
    ] = None,
    db: DbOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Invite someone by email (sent through the configured SMTP server when one is set)."""
    team = _team(ctx, db)
    organiser = _member(team, by, "--by")
    from mutuality.web.links import DEFAULT_LINK_BASE, link_address

    links = link_address(base_url or open_app(ctx).settings.web.public_url, DEFAULT_LINK_BASE)
    made = team.invite(organiser.id, email, role.value, full_name, link_base=links.base)
    _print_link(ctx, made, base_url, f"For {escape(made.email)} ({made.role})")


@team_app.command("join")
def join(
    ctx: typer.Context,
    link: Annotated[str, typer.Argument(help="The join link, or its last part.")],
    full_name: Annotated[
        str | None,
        typer.Option("--name", help="Your name as members see it (default: the invitation's)."),
    ] = None,
    password_file: Annotated[
        Path | None,
        typer.Option(
            "--password-file",
            help="Read the password from this file's first line instead of asking.",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Join with an invitation: choose a password (asked twice, not shown)."""
    from mutuality.core.errors import InvalidInput

    team = _team(ctx, db)
    token = link.rstrip("/").rsplit("/join/", 1)[-1]
    pending = team.invitation(token)
    if full_name is None and pending.display_name is None:
        raise InvalidInput("give your name as members will see it with --name", field="name")
    err.print(
        f"Joining [bold]{escape(pending.community)}[/] as {escape(pending.email)} ({pending.role})."
    )
    if password_file is not None:
        try:
            lines = password_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidInput(
                f"--password-file {password_file}: cannot read it ({error})",
                field="password-file",
                value=str(password_file),
            ) from None
        password = lines[0] if lines else ""
    else:
        password = typer.prompt(
            "Choose a password (at least 10 characters)", hide_input=True, confirmation_prompt=True
        )
    member = team.join(token, password, full_name)
    role = "an organiser" if member.is_organiser else "a member"
    out.print(
        f"Welcome, [bold]{escape(member.display_name)}[/]: you are {role} of "
        f"{escape(pending.community)}. Sign in with {escape(member.email)} and your password.",
        soft_wrap=True,
    )


@team_app.command("members")
def members(
    ctx: typer.Context, db: DbOption = None, fmt: FormatOption = OutputFormat.TABLE
) -> None:
    """Who belongs, their role and when they joined (nothing from anyone's ledger)."""
    everyone = _team(ctx, db).members()
    if fmt is OutputFormat.JSON:
        print_json(
            [
                {
                    "id": m.id,
                    "email": m.email,
                    "name": m.display_name,
                    "role": m.role,
                    "joined_at": m.joined_at.isoformat(),
                }
                for m in everyone
            ]
        )
        return
    from rich.table import Table

    table = Table(title=f"{len(everyone)} members", title_justify="left")
    for column in ("Name", "Email", "Role", "Joined"):
        table.add_column(column)
    for m in everyone:
        table.add_row(escape(m.display_name), escape(m.email), m.role, f"{m.joined_at:%Y-%m-%d}")
    out.print(table)


def _confirm(question: str, yes: bool) -> None:
    from mutuality.core.errors import InvalidInput

    if yes:
        return
    if not sys.stdin.isatty():
        raise InvalidInput("this deletes a ledger and needs confirmation: pass --yes", field="yes")
    typer.confirm(question, abort=True)


@team_app.command("remove")
def remove(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The member to remove.")],
    by: ByOption,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Remove a member: everything in their private ledger is deleted from the server."""
    team = _team(ctx, db)
    organiser = _member(team, by, "--by")
    leaving = _member(team, email, "EMAIL")
    _confirm(
        f"Remove {visible(leaving.display_name)} ({leaving.email}) and delete their private "
        "ledger from the server? This cannot be undone",
        yes,
    )
    team.remove(organiser.id, leaving.id)
    err.print(f"Removed {escape(leaving.display_name)}; their ledger is deleted.")


@team_app.command("hand-over")
def hand_over(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The member who becomes organiser.")],
    by: ByOption,
    db: DbOption = None,
) -> None:
    """Hand the organiser role to another member (you become a member)."""
    team = _team(ctx, db)
    organiser = _member(team, by, "--by")
    taker = _member(team, email, "EMAIL")
    team.hand_over(organiser.id, taker.id)
    err.print(
        f"{escape(taker.display_name)} is now an organiser; {escape(organiser.email)} a member."
    )


@team_app.command("leave")
def leave(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="Your email.")],
    export: Annotated[
        Path,
        typer.Option("--export", help="Where to write your JSON backup first.", show_default=False),
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Leave the community: your JSON backup is written, then your ledger is deleted."""
    team = _team(ctx, db)
    member = _member(team, email, "EMAIL")
    _confirm(
        f"Write your backup to {export}, then delete your ledger from the server and leave? "
        "This cannot be undone",
        yes,
    )
    team.leave(member.id, export)
    err.print(
        f"Your backup is in {escape(str(export))}; your ledger is deleted from the server. "
        "Restore it into a personal ledger with `mutuality import FILE`."
    )


@team_app.command("export")
def export(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="Whose ledger to back up.")],
    file: Annotated[Path, typer.Argument(help="Where to write the JSON backup.")],
    db: DbOption = None,
) -> None:
    """Write one member's private ledger as a JSON backup (atomically), without leaving:
    the per-member backup beside the server's `pg_dump`."""
    team = _team(ctx, db)
    member = _member(team, email, "EMAIL")
    counts = team.ledger(member.id).backups.export_json(file)
    err.print(f"Exported {counts.describe()} of {escape(member.display_name)}'s ledger to {file}.")


# --- two-sided exchanges ----------------------------------------------------------------------

AsOption = Annotated[
    str,
    typer.Option("--as", help="The email of the member whose ledger this is.", show_default=False),
]


@team_app.command("link")
def link(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Someone in your ledger (a name or an email).")],
    member_email: Annotated[str, typer.Argument(help="The fellow member they are.")],
    as_: AsOption,
    db: DbOption = None,
) -> None:
    """Say that someone in your ledger is a fellow member: from now on, each exchange you
    log with them waits for them to confirm it with their own figure."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    other = _member(team, member_email, "MEMBER_EMAIL")
    made = team.confirmations.link(me.id, person, other.id)
    err.print(
        f"Linked {escape(made.person_name)} to the member {escape(made.member_name)}: exchanges "
        "you log with them now wait for them to confirm (the date, who gave, the kind, the "
        "description and your figures; never your notes).",
        soft_wrap=True,
    )


@team_app.command("unlink")
def unlink(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Someone in your ledger linked to a member.")],
    as_: AsOption,
    db: DbOption = None,
) -> None:
    """Stop sending exchanges with this person to a member to confirm (those made stay)."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    team.confirmations.unlink(me.id, person)
    err.print("Unlinked: exchanges with them stay in your ledger alone.")


@team_app.command("links")
def links(
    ctx: typer.Context, as_: AsOption, db: DbOption = None, fmt: FormatOption = OutputFormat.TABLE
) -> None:
    """Who in your ledger is linked to a fellow member, and people whose email is a
    member's (suggested: link them with `team link`)."""
    from mutuality.presenters.confirmations import member_link_json

    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    found = team.confirmations.links(me.id)
    if fmt is OutputFormat.JSON:
        print_json([member_link_json(link) for link in found])
        return
    if not found:
        out.print("Nobody in your ledger is linked to a member, and no email matches one.")
    for made in found:
        if made.saved:
            out.print(f"{escape(made.person_name)} is the member {escape(made.member_name)}")
        else:
            out.print(
                f"{escape(made.person_name)} has the email of the member "
                f"{escape(made.member_name)}: link them with `mutuality team link "
                f'"{escape(made.person_name)}" EMAIL --as {escape(me.email)}`',
                soft_wrap=True,
            )


@team_app.command("confirmations")
def confirmations(
    ctx: typer.Context,
    as_: AsOption,
    settled: Annotated[
        bool, typer.Option("--settled", help="Show the confirmed and declined ones.")
    ] = False,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Exchanges other members logged with you, waiting for your own figure; those you
    logged, waiting for theirs; with --settled, both sides' figures side by side."""
    from mutuality.presenters.confirmations import confirmations_json

    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    found = team.confirmations.confirmations(me.id)
    if fmt is OutputFormat.JSON:
        print_json(confirmations_json(found))
        return
    if settled:
        from mutuality.presenters.confirmations import pair_words

        for pair in found.between:
            for line in pair_words(pair):
                out.print(escape(line), soft_wrap=True)
        _show("Settled", found.settled)
        return
    _show(
        "To confirm (give your own figure: --benefit if you received, --cost if you gave)",
        found.to_confirm,
    )
    _show("Waiting for the other side", found.waiting)
    if found.settled:
        out.print(f"{len(found.settled)} settled: see them with --settled.")


def _show(title: str, items: list[Confirmation]) -> None:
    from mutuality.presenters.confirmations import figure_words

    out.print(f"[bold]{escape(title)}[/]: {len(items) or 'none'}", soft_wrap=True)
    for c in items:
        gave = f"you gave {escape(c.other)}" if c.i_gave else f"{escape(c.other)} gave you"
        state = "" if c.state == "pending" else f" ({c.state})"
        out.print(
            f"  #{c.id} {c.on:%Y-%m-%d}: {gave} ({c.kind}) {escape(c.description)}{state}",
            soft_wrap=True,
        )
        for line in figure_words(c):
            out.print(f"      {escape(line)}", soft_wrap=True)


@team_app.command("confirm")
def confirm(
    ctx: typer.Context,
    confirmation_id: Annotated[int, typer.Argument(help="The confirmation's number (#).")],
    as_: AsOption,
    benefit: Annotated[
        float | None,
        typer.Option("--benefit", help="What it was worth to you, 0 to 10 (you received)."),
    ] = None,
    cost: Annotated[
        float | None, typer.Option("--cost", help="What it cost you, 0 to 10 (you gave).")
    ] = None,
    person: Annotated[
        str | None,
        typer.Option(
            "--person",
            help="Who the other member is in your ledger (default: the one linked to them, "
            "else the one with their email, else a new person with their name).",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Confirm an exchange another member logged with you, with your own figure for your
    side; it is written into your ledger, and both of you then see both figures."""
    from mutuality.presenters.confirmations import figure_words

    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    done = team.confirmations.confirm(
        me.id, confirmation_id, benefit=benefit, cost=cost, person=person
    )
    err.print(f"Confirmed #{done.id}; it is in your ledger now.")
    for line in figure_words(done):
        out.print(escape(line), soft_wrap=True)


@team_app.command("decline")
def decline(
    ctx: typer.Context,
    confirmation_id: Annotated[int, typer.Argument(help="The confirmation's number (#).")],
    as_: AsOption,
    db: DbOption = None,
) -> None:
    """Decline an exchange another member logged with you: nothing goes into your ledger,
    and they see that you declined it."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    team.confirmations.decline(me.id, confirmation_id)
    err.print(f"Declined #{confirmation_id}.")


@team_app.command("withdraw")
def withdraw(
    ctx: typer.Context,
    confirmation_id: Annotated[int, typer.Argument(help="The confirmation's number (#).")],
    as_: AsOption,
    db: DbOption = None,
) -> None:
    """Take back an exchange you logged that still waits for the other side (your own
    exchange stays in your ledger)."""
    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    team.confirmations.withdraw(me.id, confirmation_id)
    err.print(f"Withdrew #{confirmation_id}: it no longer waits for the other side.")


@team_app.command("ask")
def ask(
    ctx: typer.Context,
    exchange_id: Annotated[int, typer.Argument(help="One of your exchanges (its id).")],
    as_: AsOption,
    name: Annotated[
        str | None, typer.Option("--name", help="How the page names you (default: your name).")
    ] = None,
    say: Annotated[
        str | None,
        typer.Option("--say", help="The words the page shows (default: the exchange's)."),
    ] = None,
    days: Annotated[int, typer.Option("--days", help="How long the link works.")] = 14,
    db: DbOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """A private one-time link for the other side of one of your exchanges, who is not a
    member, to give their own figure (members are asked in their account instead)."""
    from mutuality.web.links import DEFAULT_LINK_BASE, link_address

    team = _team(ctx, db)
    me = _member(team, as_, "--as")
    made = team.confirmations.ask_by_link(me.id, exchange_id, name, say, days)
    links = link_address(base_url or open_app(ctx).settings.web.public_url, DEFAULT_LINK_BASE)
    out.print(
        f"This private link works once, until {made.expires_at:%Y-%m-%d %H:%M} UTC, and is "
        "shown only now; it shows the date, who gave, your name and the words you chose, "
        "nothing else:",
        soft_wrap=True,
    )
    sys.stdout.write(links.url(f"confirm/{made.token}") + "\n")
