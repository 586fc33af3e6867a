"""Importing a 10k-contact vCard file and a 5k-event calendar: the real import and the dry
run, each timed in a fresh process with its peak RSS; plus parsing alone at 10k and 40k
contacts, to show the parser's memory does not grow with the file.

    .venv/bin/python benchmarks/bench_import.py              # 10k contacts, 5k events
    .venv/bin/python benchmarks/bench_import.py --contacts 2000 --events 1000

The contacts are generated (seeded): names in several scripts, 1-3 emails, phones,
organisation and title, birthdays (some without a year), notes, an address, categories,
and a small embedded photo on every tenth card. The calendar holds one-off meetings and
weekly series (COUNT=10) with attendees from those contacts, in Europe/Lisbon.
"""

from __future__ import annotations

import argparse
import base64
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from _common import describe_machine, peak_rss_mib, report, run_child
from rich.console import Console
from rich.table import Table

TODAY = date(2026, 11, 23)
SYLLABLES = [
    "an",
    "bo",
    "ka",
    "li",
    "ma",
    "no",
    "ri",
    "sa",
    "te",
    "vi",
    "yu",
    "zo",
    "el",
    "ir",
    "ol",
    "us",
    "da",
    "fe",
    "go",
    "ha",
    "je",
    "ku",
    "lo",
    "mi",
    "ne",
    "pa",
]
SCRIPTS = ["{}", "{}", "{}", "Ø{}", "{}ñ", "Дми{}", "佐藤{}", "{}é"]
ORGS = ["Northwind", "Globex", "Initech", "Quill & Co", "Brightwater Labs", "Acme"]
PNG = base64.b64encode(
    b"\x89PNG\r\n\x1a\n"
    + b"\x00\x00\x00\rIHDR"
    + b"\x00\x00\x00\x10" * 2
    + b"\x08\x02\x00\x00\x00"
    + b"\x00" * 400
).decode()


def person(n: int) -> tuple[str, str]:
    """A distinct name (random syllables, some in other scripts) and an email."""
    rng = random.Random(n)

    def word(parts: int) -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()

    given, family = word(2), rng.choice(SCRIPTS).format(word(3))
    return f"{given} {family}", f"person{n}@example.org"


def write_vcards(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for n in range(count):
            rng = random.Random(n)
            name, email = person(n)
            lines = [
                "BEGIN:VCARD",
                "VERSION:3.0",
                f"UID:urn:uuid:bench-{n}",
                f"FN:{name}",
                f"N:{name.split()[1]};{name.split()[0]};;;",
                f"EMAIL;TYPE=INTERNET:{email}",
            ]
            lines += [f"EMAIL;TYPE=HOME:alt{n}.{k}@example.net" for k in range(rng.randint(0, 2))]
            lines += [
                f"TEL;TYPE=CELL:+351 9{n:08d}",
                f"ORG:{rng.choice(ORGS)} {n // 40}",
                "TITLE:Engineer",
                "CATEGORIES:bench,friends",
            ]
            lines.append(
                f"BDAY:--{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                if n % 3
                else f"BDAY:19{rng.randint(50, 99)}-0{rng.randint(1, 9)}-1{n % 10}"
            )
            lines += [
                f"NOTE:Met at event {n}\\, talked about {rng.choice(ORGS)}.",
                f"ADR;TYPE=WORK:;;{n} Rua Augusta;Lisboa;;1100-{n % 1000:03d};Portugal",
            ]
            if n % 10 == 0:
                lines.append(f"PHOTO;ENCODING=b;TYPE=PNG:{PNG}")
            lines.append("END:VCARD")
            handle.write("\r\n".join(lines) + "\r\n")


def write_calendar(path: Path, events: int, people: int) -> None:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    for n in range(events):
        rng = random.Random(10_000 + n)
        day = TODAY - timedelta(days=rng.randint(1, 900))
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{n}@example.org",
            f"DTSTART;TZID=Europe/Lisbon:{day:%Y%m%d}T{rng.randint(8, 18):02d}0000",
            f"SUMMARY:Meeting {n}",
            "ORGANIZER:mailto:me@example.org",
        ]
        if n % 10 == 0:
            lines.append("RRULE:FREQ=WEEKLY;COUNT=10")
        for _ in range(rng.randint(1, 3)):
            lines.append(f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{person(rng.randrange(people))[1]}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def child(kind: str, file: str, db: str) -> None:
    from zoneinfo import ZoneInfo

    from mutuality.services.app import Mutuality
    from mutuality.services.importing.service import ImportOptions
    from mutuality.services.settings import Settings

    if kind == "parse":
        from mutuality.formats.vcard import read_vcards

        start = time.perf_counter()
        with open(file, "rb") as handle:
            count = sum(1 for _ in read_vcards(handle, Path(file).name))
        report({"seconds": time.perf_counter() - start, "rss": peak_rss_mib(), "count": count})
        return
    app = Mutuality.open(db, Settings(), today=lambda: TODAY)
    options = ImportOptions(dry_run=kind.endswith("dry"), zone=ZoneInfo("Europe/Lisbon"))
    start = time.perf_counter()
    result = app.imports.run(Path(file), options)
    seconds = time.perf_counter() - start
    count = len(result.added) + len(result.merged) if result.format != "ics" else result.touches
    report({"seconds": seconds, "rss": peak_rss_mib(), "count": count})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "FILE", "DB"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    console = Console()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        vcf, big, ics = root / "contacts.vcf", root / "contacts-x4.vcf", root / "meetings.ics"
        write_vcards(vcf, args.contacts)
        write_vcards(big, args.contacts * 4)
        write_calendar(ics, args.events, args.contacts)
        rows = []
        for label, kind, file, db in [
            (f"parse {args.contacts:,} contacts", "parse", vcf, "-"),
            (f"parse {args.contacts * 4:,} contacts", "parse", big, "-"),
            (f"vCard dry run ({args.contacts:,})", "vcard-dry", vcf, root / "a.db"),
            (f"vCard import ({args.contacts:,})", "vcard", vcf, root / "a.db"),
            (f"vCard re-import ({args.contacts:,})", "vcard", vcf, root / "a.db"),
            (f"calendar dry run ({args.events:,} events)", "ics-dry", ics, root / "a.db"),
            (f"calendar import ({args.events:,} events)", "ics", ics, root / "a.db"),
        ]:
            result = run_child(Path(__file__).name, "--child", kind, str(file), str(db))
            rows.append((label, result))
        sizes = {"vcf": vcf.stat().st_size, "x4": big.stat().st_size, "ics": ics.stat().st_size}
    table = Table(title=f"Import ({describe_machine()})")
    for heading in ("step", "seconds", "peak RSS", "records"):
        table.add_column(heading, justify="right" if heading != "step" else "left")
    for label, result in rows:
        table.add_row(
            label, f"{result['seconds']:.2f}", f"{result['rss']:.0f} MiB", f"{result['count']:,}"
        )
    console.print(table)
    console.print(
        f"files: {sizes['vcf'] / 1e6:.1f} MB vCard, {sizes['x4'] / 1e6:.1f} MB "
        f"vCard x4, {sizes['ics'] / 1e6:.1f} MB calendar"
    )


if __name__ == "__main__":
    sys.exit(main())
