"""The invented network behind ``mutuality demo``: its people, their stories, phrasings, and
the weeks before today (needs, offers, introductions, requests, check-ins, dates, shares).

Everything here is fiction. Emails use only the reserved ``example.org``,
``example.com`` and ``example.net`` domains and phones only the numbers set aside for
drama (UK 020 7946 0xxx, US 555-01xx), so the demo can never reach a real person.

Each person follows a :class:`Pattern`, the shape their relationship with the owner
should show in the balance overview. :mod:`mutuality.services.demo.service` turns the people,
their hand-written ``moments`` and the generic :data:`GIVE` and :data:`GET` phrasings
into dated exchanges.

Phrasings are ``str.format`` templates over ``{subj}``/``{obj}``/``{pos}`` (the
person's pronouns), ``{short}`` (how the owner refers to them), ``{peer}`` (another
demo person "at" their organisation) and ``{peer_org}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from mutuality.core.model import ExchangeKind as K
from mutuality.core.model import RelationshipContext as C
from mutuality.services.ledger import Direction

DEMO_TAG = "demo"
"""Every demo person carries this tag, so that the demo can be listed and forgotten later."""

INTANGIBLE_KINDS = frozenset({K.APPRECIATION, K.KNOWLEDGE, K.FEEDBACK})


class Pattern(StrEnum):
    """The shape a demo relationship takes, as the balance overview should show it."""

    MUTUAL = "mutual"
    """Both ways, all year, in roughly equal measure: balanced."""
    OVER_GIVING = "over-giving"
    """The owner gives far more than they get."""
    OVER_RECEIVING = "over-receiving"
    """The owner gets far more than they give."""
    FADING = "fading"
    """Active nine to twelve months ago, silent since."""
    NEW = "new"
    """Met in the last two months."""
    INTANGIBLE = "intangible"
    """Only appreciation, knowledge and feedback flow."""
    QUIET = "quiet"
    """A contact with nothing logged yet."""


REACHING_OUT: dict[Pattern, float] = {
    Pattern.MUTUAL: 0.5,
    Pattern.OVER_GIVING: 0.92,
    Pattern.OVER_RECEIVING: 0.2,
    Pattern.FADING: 0.85,
    Pattern.NEW: 0.65,
    Pattern.INTANGIBLE: 0.5,
    Pattern.QUIET: 0.5,
}
"""The chance that the owner was the one who reached out first, by pattern: in a
one-sided relationship the giving side is usually the one who gets in touch (the owner
keeps offering to those they over-give to; those who over-give to the owner come with
their offers), a fading tie is one the owner alone kept alive, a new one the owner is
still courting, and a mutual one runs both ways. So ``mutuality health`` and
``mutuality network`` show who always reaches out first."""

INITIATIVE_KNOWN = 0.75
"""The share of demo exchanges where who reached out is logged: most, not all, as in a
real ledger."""


@dataclass(frozen=True, slots=True)
class Moment:
    """A hand-written exchange in one person's story; the generator picks its date."""

    direction: Direction
    kind: K
    text: str
    benefit: float
    cost: float
    outcome: str | None = None
    tags: tuple[str, ...] = ()
    private_note: str | None = None


@dataclass(frozen=True, slots=True)
class DemoPerson:
    name: str
    short: str
    """How the owner refers to them in a description ("Priya", "Mrs Whitfield")."""
    pronoun: str
    """``she``, ``he`` or ``they``."""
    pattern: Pattern
    context: C
    organisation: str | None
    title: str | None
    tags: tuple[str, ...]
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    private_note: str | None = None
    cadence_days: int | None = None
    moments: tuple[Moment, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Template:
    """A generic phrasing of one exchange, with its usual benefit and cost."""

    kind: K
    text: str
    benefit: float
    cost: float
    outcomes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    """Only for people with one of these tags (a seed deck needs a founder); empty: anyone."""


PRONOUNS: dict[str, dict[str, str]] = {
    "she": {"subj": "she", "obj": "her", "pos": "her"},
    "he": {"subj": "he", "obj": "him", "pos": "his"},
    "they": {"subj": "they", "obj": "them", "pos": "their"},
}


def gave(
    kind: K,
    text: str,
    benefit: float,
    cost: float,
    outcome: str | None = None,
    tags: tuple[str, ...] = (),
    private_note: str | None = None,
) -> Moment:
    return Moment(Direction.GAVE, kind, text, benefit, cost, outcome, tags, private_note)


def got(
    kind: K,
    text: str,
    benefit: float,
    cost: float,
    outcome: str | None = None,
    tags: tuple[str, ...] = (),
    private_note: str | None = None,
) -> Moment:
    return Moment(Direction.GOT, kind, text, benefit, cost, outcome, tags, private_note)


P = Pattern

PEOPLE: tuple[DemoPerson, ...] = (
    # --- mutual: balanced, both ways, all year ------------------------------------------------
    DemoPerson(
        "José Álvarez",
        "José",
        "he",
        P.MUTUAL,
        C.COLLABORATOR,
        "Brightwater Studio",
        "Creative Director",
        ("design", "freelance"),
        ("jose.alvarez@example.com",),
        ("+44 20 7946 0112",),
        cadence_days=30,
        moments=(
            gave(
                K.REFERRAL,
                "Referred the Lumen Health rebrand to his studio",
                6,
                1,
                "Signed a three-month contract",
                ("design",),
            ),
            got(
                K.TIME,
                "Designed the cover and slides for my workshop series",
                6,
                5,
                "Workshop sign-ups doubled",
                ("design",),
            ),
        ),
    ),
    DemoPerson(
        "Priya Raman",
        "Priya",
        "she",
        P.MUTUAL,
        C.COLLEAGUE,
        "Northwind Labs",
        "Head of Product",
        ("product", "saas"),
        ("priya.raman@example.com", "priya@example.net"),
        cadence_days=45,
        moments=(
            got(
                K.OPPORTUNITY,
                "Invited me to run the product offsite at Northwind",
                6,
                2,
                "Became a paid quarterly engagement",
                ("workshop",),
            ),
            gave(K.FEEDBACK, "Reviewed her roadmap narrative before the board meeting", 4, 2),
        ),
    ),
    DemoPerson(
        "Kwame Mensah",
        "Kwame",
        "he",
        P.MUTUAL,
        C.FRIEND,
        "Tidewater Co-op",
        "Operations Lead",
        ("neighbour", "cycling"),
        ("kwame.mensah@example.org",),
        moments=(
            gave(K.TIME, "Helped him rebuild the co-op's bike trailer", 3, 3),
            got(K.TIME, "Covered my Saturday shift at the co-op", 3, 3),
        ),
    ),
    DemoPerson(
        "Zoë Clarke",
        "Zoë",
        "she",
        P.MUTUAL,
        C.COLLABORATOR,
        "Foxglove Press",
        "Senior Editor",
        ("writing", "publishing"),
        ("zoe.clarke@example.com",),
        moments=(
            got(
                K.FEEDBACK,
                "Edited my essay on reciprocity line by line",
                5,
                3,
                "Published in the Foxglove quarterly",
                ("writing",),
            ),
            gave(
                K.INTRODUCTION,
                "Introduced her to Clara at Lumen Health for the health anthology",
                4,
                1,
                "Clara is writing a chapter",
            ),
        ),
    ),
    DemoPerson(
        "Aiko Tanaka",
        "Aiko",
        "she",
        P.MUTUAL,
        C.COLLEAGUE,
        "Meridian Analytics",
        "Data Scientist",
        ("data", "ml"),
        ("aiko.tanaka@example.com",),
        moments=(
            got(K.KNOWLEDGE, "Showed me how to sanity-check survey weights", 3, 1, tags=("data",)),
            gave(
                K.TIME,
                "Ran a mock interview before her promotion panel",
                4,
                2,
                "Promoted to senior in the spring round",
            ),
        ),
    ),
    DemoPerson(
        "Mateus Oliveira",
        "Mateus",
        "he",
        P.MUTUAL,
        C.COLLABORATOR,
        "Atlas Mobility",
        "CTO",
        ("founder", "engineering"),
        ("mateus@example.net",),
        ("+1 202 555 0143",),
        moments=(
            gave(
                K.INTRODUCTION,
                "Introduced him to Kenji at Kestrel Ventures",
                5,
                1,
                "Kestrel joined the pre-seed round",
                ("fundraising",),
            ),
            got(K.RESOURCE, "Gave me free seats on the Atlas fleet for the client pilot", 5, 2),
        ),
    ),
    DemoPerson(
        "Siobhán O'Connor",
        "Siobhán",
        "she",
        P.MUTUAL,
        C.CLIENT,
        "Harbour & Finch",
        "Managing Partner",
        ("legal", "client"),
        ("siobhan.oconnor@example.com",),
        ("+44 20 7946 0388",),
        cadence_days=60,
        moments=(
            gave(
                K.TIME,
                "Facilitated the partners' away-day",
                6,
                6,
                "Agreed the new firm values",
                ("workshop",),
            ),
            got(K.MONEY, "Paid the invoice for the away-day", 6, 6),
            got(K.REFERRAL, "Recommended me to two other firms at the law society dinner", 5, 1),
        ),
    ),
    DemoPerson(
        "Hannah Schmidt",
        "Hannah",
        "she",
        P.MUTUAL,
        C.FRIEND,
        None,
        "Executive Coach",
        ("coaching",),
        ("hannah.schmidt@example.org",),
        moments=(
            got(K.SUPPORT, "Coached me through the decision to go independent", 6, 3),
            gave(K.RESOURCE, "Lent her my camera and lights for her course videos", 3, 1),
        ),
    ),
    DemoPerson(
        "Rahul Mehta",
        "Rahul",
        "he",
        P.MUTUAL,
        C.FRIEND,
        "Cobalt Robotics",
        "Engineering Manager",
        ("engineering", "running"),
        ("rahul.mehta@example.com",),
        moments=(
            gave(
                K.SUPPORT,
                "Paced him through his first half-marathon",
                3,
                3,
                "Finished in 1:52",
                ("running",),
            ),
            got(K.KNOWLEDGE, "Explained how Cobalt runs engineering ladders", 3, 1),
        ),
    ),
    DemoPerson(
        "Fatima Zahra Benali",
        "Fatima",
        "she",
        P.MUTUAL,
        C.COLLABORATOR,
        "Open Orchard",
        "Programme Director",
        ("nonprofit", "community"),
        ("fatima.benali@example.org",),
        moments=(
            gave(
                K.FEEDBACK,
                "Reviewed her grant application to the city fund",
                5,
                3,
                "Grant awarded",
                ("grants",),
            ),
            got(K.OPPORTUNITY, "Offered me a mentoring slot in the Open Orchard programme", 4, 1),
        ),
    ),
    DemoPerson(
        "Lucas Moreau",
        "Lucas",
        "he",
        P.MUTUAL,
        C.COLLEAGUE,
        "Lumen Health",
        "Product Designer",
        ("design", "health"),
        ("lucas.moreau@example.com",),
        moments=(
            got(K.FEEDBACK, "Critiqued my onboarding flow prototype", 4, 2, tags=("design",)),
            gave(K.KNOWLEDGE, "Walked him through our accessibility audit checklist", 3, 1),
        ),
    ),
    DemoPerson(
        "王芳",
        "王芳",
        "she",
        P.MUTUAL,
        C.COLLABORATOR,
        "Saltmarsh Collective",
        "Researcher",
        ("research", "climate"),
        ("wang.fang@example.net",),
        moments=(
            gave(K.TIME, "Co-wrote the methods section of our field report", 5, 5),
            got(
                K.TIME,
                "Ran the interviews in Mandarin for our joint study",
                5,
                5,
                "Report shared with the council",
            ),
        ),
    ),
    DemoPerson(
        "Hamid Karimi",
        "Hamid",
        "he",
        P.MUTUAL,
        C.CLIENT,
        "Harbour & Finch",
        "Accountant",
        ("finance",),
        ("hamid.karimi@example.com",),
        cadence_days=90,
        moments=(
            got(K.TIME, "Prepared my annual accounts and tax return", 6, 5, tags=("admin",)),
            gave(K.MONEY, "Paid his fee for the annual accounts", 5, 5),
        ),
    ),
    DemoPerson(
        "Camille Laurent",
        "Camille",
        "she",
        P.MUTUAL,
        C.COLLEAGUE,
        "Brightwater Studio",
        "Studio Manager",
        ("operations", "design"),
        ("camille.laurent@example.com",),
        moments=(
            gave(K.KNOWLEDGE, "Shared my template for project retrospectives", 3, 1),
            got(K.RESOURCE, "Let me use the studio for the client workshop", 4, 1),
        ),
    ),
    # --- over-giving: the owner gives far more ------------------------------------------------
    DemoPerson(
        "Tomás Herrera",
        "Tomás",
        "he",
        P.OVER_GIVING,
        C.MENTEE,
        "Tidy Tables",
        "Founder",
        ("founder", "mentee"),
        ("tomas@example.net",),
        cadence_days=14,
        moments=(
            gave(
                K.FEEDBACK,
                "Reviewed his seed deck slide by slide",
                5,
                3,
                "Raised a €400k pre-seed",
                ("fundraising",),
            ),
            gave(
                K.INTRODUCTION,
                "Introduced him to Priya at Northwind for a pilot",
                5,
                1,
                "Pilot signed in six weeks",
                ("fundraising",),
            ),
        ),
    ),
    DemoPerson(
        "Amara Okafor",
        "Amara",
        "she",
        P.OVER_GIVING,
        C.MENTEE,
        "Brightwater Studio",
        "Junior UX Designer",
        ("design", "mentee"),
        ("amara.okafor@example.com",),
        cadence_days=21,
        moments=(
            gave(
                K.FEEDBACK,
                "Critiqued her portfolio before the Lumen Health interview",
                5,
                2,
                "Got the job",
                ("design", "hiring"),
            ),
            got(K.APPRECIATION, "Sent a handwritten card after landing the job", 2, 0.5),
        ),
    ),
    DemoPerson(
        "Dmitri Volkov",
        "Dmitri",
        "he",
        P.OVER_GIVING,
        C.ACQUAINTANCE,
        None,
        "Freelance Developer",
        ("engineering", "freelance"),
        ("dmitri.volkov@example.org",),
        private_note=(
            "Asks for an introduction every few weeks and rarely follows up with "
            "the people. Hold back new intros until he closes the loop."
        ),
        moments=(
            gave(
                K.INTRODUCTION,
                "Introduced him to Mateus at Atlas Mobility about contract work",
                4,
                1,
            ),
            gave(
                K.INTRODUCTION,
                "Introduced him to Rahul at Cobalt Robotics",
                4,
                1,
                "He never replied to Rahul",
                private_note="Rahul was a little annoyed.",
            ),
        ),
    ),
    DemoPerson(
        "Chloé Dubois",
        "Chloé",
        "she",
        P.OVER_GIVING,
        C.COLLABORATOR,
        "Riverbend Council",
        "Community Officer",
        ("community", "volunteering"),
        ("chloe.dubois@example.org",),
        moments=(
            gave(K.TIME, "Ran the Saturday repair café sign-up desk", 3, 4, tags=("volunteering",)),
            gave(
                K.TIME,
                "Designed the flyer for the winter coat drive",
                3,
                3,
                "Collected 140 coats",
                ("volunteering",),
            ),
        ),
    ),
    DemoPerson(
        "Ben Carter",
        "Ben",
        "he",
        P.OVER_GIVING,
        C.CLIENT,
        "Carter & Sons Bakery",
        "Owner",
        ("small-business", "pro-bono"),
        ("ben@example.net",),
        ("+44 20 7946 0745",),
        moments=(
            gave(
                K.TIME,
                "Set up his online ordering page, pro bono",
                6,
                5,
                "Weekend orders up by a third",
                ("pro-bono",),
            ),
            got(K.APPRECIATION, "Dropped off a box of cardamom buns as a thank-you", 2, 1),
        ),
    ),
    # --- over-receiving: the owner gets far more ----------------------------------------------
    DemoPerson(
        "Margaret Whitfield",
        "Margaret",
        "she",
        P.OVER_RECEIVING,
        C.MENTOR,
        None,
        "Former COO, Atlas Mobility",
        ("mentor", "operations"),
        ("margaret.whitfield@example.org",),
        ("+44 20 7946 0961",),
        private_note=(
            "Prefers phone calls to email. Her husband Tom had knee surgery in "
            "the autumn: ask how he is."
        ),
        cadence_days=30,
        moments=(
            got(
                K.KNOWLEDGE,
                "Walked me through how she priced her first consulting contract",
                5,
                1,
                "Raised my day rate by 20%",
                ("pricing",),
            ),
            got(K.SUPPORT, "Talked me down the night before the Northwind pitch", 5, 2),
        ),
    ),
    DemoPerson(
        "Kenji Watanabe",
        "Kenji",
        "he",
        P.OVER_RECEIVING,
        C.MENTOR,
        "Kestrel Ventures",
        "General Partner",
        ("investor", "mentor"),
        ("kenji.watanabe@example.com",),
        cadence_days=60,
        moments=(
            got(
                K.INTRODUCTION,
                "Introduced me to three portfolio CEOs who needed facilitation",
                6,
                1,
                "Two became clients",
                ("clients",),
            ),
            got(K.FEEDBACK, "Pressure-tested my business plan for the studio", 5, 2),
        ),
    ),
    DemoPerson(
        "Ingrid Johansson",
        "Ingrid",
        "she",
        P.OVER_RECEIVING,
        C.FRIEND,
        None,
        "Retired teacher",
        ("neighbour",),
        phones=("+44 20 7946 0027",),
        moments=(
            got(K.SUPPORT, "Brought soup every day when I had flu", 4, 3),
            got(K.TIME, "Fed the cat for the whole of August", 4, 3),
        ),
    ),
    DemoPerson(
        "Teresa Lindqvist",
        "Aunt Teresa",
        "she",
        P.OVER_RECEIVING,
        C.FAMILY,
        None,
        None,
        ("family",),
        ("teresa.lindqvist@example.net",),
        cadence_days=14,
        moments=(
            got(
                K.MONEY,
                "Lent me the deposit for the studio lease",
                7,
                5,
                "Repayment plan agreed",
                ("money",),
            ),
            got(K.SUPPORT, "Looked after me for a week after the operation", 7, 6),
        ),
    ),
    DemoPerson(
        "Olusegun Adeyemi",
        "Segun",
        "he",
        P.OVER_RECEIVING,
        C.MENTOR,
        "Greenhouse Accelerator",
        "Managing Director",
        ("accelerator", "investor"),
        ("segun.adeyemi@example.com",),
        moments=(
            got(
                K.OPPORTUNITY,
                "Hired me to run the leadership track for the spring cohort",
                7,
                2,
                "Renewed for the autumn cohort",
                ("clients",),
            ),
            got(K.REFERRAL, "Referred Tomás to me as a mentee", 3, 1),
        ),
    ),
    # --- fading: busy nine to twelve months ago, silent since ---------------------------------
    DemoPerson(
        "Sarah Goldberg",
        "Sarah",
        "she",
        P.FADING,
        C.COLLEAGUE,
        "Northwind Labs",
        "Marketing Lead",
        ("marketing",),
        ("sarah.goldberg@example.com",),
        moments=(
            gave(K.FEEDBACK, "Reviewed her launch plan for the Berlin office", 4, 2),
            got(K.KNOWLEDGE, "Shared the messaging framework she built at Northwind", 4, 1),
        ),
    ),
    DemoPerson(
        "Andrés Gutiérrez",
        "Andrés",
        "he",
        P.FADING,
        C.CLIENT,
        "Cobalt Robotics",
        "Sales Director",
        ("sales", "client"),
        ("andres.gutierrez@example.org",),
        moments=(
            gave(K.TIME, "Ran the sales kick-off workshop in Madrid", 6, 6, tags=("workshop",)),
            got(K.MONEY, "Paid the sales kick-off invoice", 6, 6),
        ),
    ),
    DemoPerson(
        "Дарья Соколова",
        "Дарья",
        "she",
        P.FADING,
        C.COLLABORATOR,
        "Foxglove Press",
        "Illustrator",
        ("illustration", "publishing"),
        ("darya.sokolova@example.net",),
        moments=(
            got(K.TIME, "Illustrated the cover of my workshop handbook", 5, 4),
            gave(K.REFERRAL, "Referred her to Zoë for the children's series", 5, 1),
        ),
    ),
    DemoPerson(
        "Oliver Bennett",
        "Oliver",
        "he",
        P.FADING,
        C.FRIEND,
        "Meridian Analytics",
        "Analyst",
        ("running",),
        ("oliver.bennett@example.com",),
        moments=(
            got(
                K.SUPPORT,
                "Ran the long Sunday sessions with me before the marathon",
                3,
                3,
                tags=("running",),
            ),
        ),
    ),
    DemoPerson(
        "Leila Haddad",
        "Leila",
        "she",
        P.FADING,
        C.COLLABORATOR,
        "Lumen Health",
        "Clinical Lead",
        ("health", "research"),
        ("leila.haddad@example.org",),
        moments=(gave(K.TIME, "Facilitated the clinicians' co-design session", 5, 5),),
    ),
    # --- new: met in the last two months ------------------------------------------------------
    DemoPerson(
        "Søren Kristensen",
        "Søren",
        "he",
        P.NEW,
        C.COLLABORATOR,
        "Saltmarsh Collective",
        "Founder",
        ("founder", "climate"),
        ("soren@example.org",),
        moments=(
            gave(
                K.FEEDBACK,
                "Reviewed his seed deck on the train back from the summit",
                4,
                2,
                tags=("fundraising",),
            ),
        ),
    ),
    DemoPerson(
        "Yuki Nakamura",
        "Yuki",
        "she",
        P.NEW,
        C.ACQUAINTANCE,
        "Atlas Mobility",
        "UX Researcher",
        ("research", "design"),
        ("yuki.nakamura@example.com",),
    ),
    DemoPerson(
        "Robin Achterberg",
        "Robin",
        "they",
        P.NEW,
        C.ACQUAINTANCE,
        "Tidewater Co-op",
        "Community Manager",
        ("community",),
        ("robin.achterberg@example.net",),
        moments=(got(K.OPPORTUNITY, "Invited me to host the co-op's winter skill-share", 4, 1),),
    ),
    DemoPerson(
        "Elif Yılmaz",
        "Elif",
        "she",
        P.NEW,
        C.ACQUAINTANCE,
        "Kestrel Ventures",
        "Associate",
        ("investor",),
        ("elif.yilmaz@example.com",),
    ),
    DemoPerson(
        "Noah Friedman",
        "Noah",
        "he",
        P.NEW,
        C.FRIEND,
        None,
        "Architect",
        ("neighbour",),
        phones=("+1 202 555 0178",),
        moments=(got(K.TIME, "Helped me carry the new sofa up four flights", 3, 3),),
    ),
    # --- intangible: appreciation, knowledge and feedback only --------------------------------
    DemoPerson(
        "Daniel Kowalski",
        "Daniel",
        "he",
        P.INTANGIBLE,
        C.ACQUAINTANCE,
        "Riverbend Primary",
        "Teacher and PhD candidate",
        ("teaching", "leadership"),
        ("daniel.kowalski@example.org",),
        moments=(
            got(
                K.APPRECIATION,
                "Told me my workshop handbook shapes how he runs his classroom",
                3,
                0.5,
            ),
            gave(
                K.KNOWLEDGE,
                "Shared how I pace a talk for a large audience",
                3,
                1,
                "His conference talk got the top rating",
            ),
        ),
    ),
    DemoPerson(
        "Imani Brooks",
        "Imani",
        "she",
        P.INTANGIBLE,
        C.FRIEND,
        "Open Orchard",
        "Volunteer Coordinator",
        ("community", "writing"),
        ("imani.brooks@example.com",),
        moments=(
            gave(
                K.APPRECIATION, "Wrote to her manager about how well she ran the harvest day", 3, 1
            ),
        ),
    ),
    DemoPerson(
        "Arjun Nair",
        "Arjun",
        "he",
        P.INTANGIBLE,
        C.COLLEAGUE,
        "Meridian Analytics",
        "Principal Engineer",
        ("engineering", "data"),
        ("arjun.nair@example.net",),
        moments=(
            got(K.FEEDBACK, "Reviewed my data-retention policy draft", 4, 2, tags=("privacy",)),
        ),
    ),
    DemoPerson(
        "Clara Müller",
        "Clara",
        "she",
        P.INTANGIBLE,
        C.MENTOR,
        "Lumen Health",
        "Head of Research",
        ("research", "health", "mentor"),
        ("clara.mueller@example.com",),
        cadence_days=45,
        moments=(
            got(
                K.KNOWLEDGE,
                "Explained how she sets up interview studies so they survive ethics review",
                4,
                1,
                tags=("research",),
            ),
        ),
    ),
    # --- quiet: a contact with nothing logged yet ---------------------------------------------
    DemoPerson(
        "Lars Eriksson",
        "Lars",
        "he",
        P.QUIET,
        C.ACQUAINTANCE,
        "Cobalt Robotics",
        "VP Engineering",
        ("engineering",),
        ("lars.eriksson@example.com",),
    ),
    DemoPerson(
        "Ximena Rojas",
        "Ximena",
        "she",
        P.QUIET,
        C.ACQUAINTANCE,
        "Greenhouse Accelerator",
        "Programme Manager",
        ("accelerator",),
        ("ximena.rojas@example.org",),
    ),
)


GIVE: tuple[Template, ...] = (
    Template(
        K.KNOWLEDGE, "Explained SAFE notes and priced rounds to {obj}", 4, 1, needs=("founder",)
    ),
    Template(K.KNOWLEDGE, "Shared my notes on running remote workshops", 3, 1),
    Template(
        K.KNOWLEDGE,
        "Talked {obj} through negotiating a day rate",
        4,
        1,
        ("Quoted 15% higher on the next proposal",),
        needs=("freelance", "design", "mentee"),
    ),
    Template(K.KNOWLEDGE, "Sent {obj} my checklist for running a good retrospective", 2, 0.5),
    Template(K.KNOWLEDGE, "Answered {pos} questions about setting up a limited company", 3, 1),
    Template(
        K.FEEDBACK,
        "Reviewed {pos} seed deck",
        5,
        2,
        ("Tightened the ask to one number",),
        ("fundraising",),
        needs=("founder",),
    ),
    Template(K.FEEDBACK, "Gave notes on the draft of {pos} conference talk", 4, 2),
    Template(
        K.FEEDBACK,
        "Read {pos} job description and suggested a rewrite",
        3,
        1,
        ("Twice the applicants",),
        ("hiring",),
    ),
    Template(
        K.FEEDBACK,
        "Critiqued {pos} portfolio site before launch",
        4,
        2,
        needs=("design", "illustration", "freelance"),
    ),
    Template(K.FEEDBACK, "Commented on the first draft of {pos} article", 3, 2),
    Template(
        K.INTRODUCTION,
        "Introduced {obj} to {peer}",
        4,
        1,
        ("They met for coffee", "Working on a pilot together", "Nothing came of it yet"),
    ),
    Template(
        K.INTRODUCTION,
        "Connected {obj} with {peer} about hiring",
        4,
        1,
        ("Hired a contractor through it",),
        ("hiring",),
    ),
    Template(
        K.REFERRAL,
        "Recommended {obj} for a project at {peer_org}",
        5,
        1,
        ("Got the project", "Shortlisted"),
    ),
    Template(K.TIME, "Ran a mock interview with {obj}", 4, 3, ("Got the offer",)),
    Template(K.TIME, "Spent an afternoon helping {obj} plan the quarter", 4, 4),
    Template(
        K.TIME,
        "Helped {obj} move flat on a Saturday",
        4,
        5,
        needs=("neighbour", "family", "running", "cycling"),
    ),
    Template(K.SUPPORT, "Listened while {subj} talked through a hard week at work", 3, 2),
    Template(K.SUPPORT, "Checked in every few days while {subj} recovered from surgery", 4, 2),
    Template(K.RESOURCE, "Shared my facilitation kit and templates", 3, 1),
    Template(K.RESOURCE, "Lent {obj} the projector for a workshop", 2, 1),
    Template(
        K.OPPORTUNITY,
        "Passed {obj} a speaking slot at the Lisbon meetup",
        5,
        1,
        ("Great reception; invited back",),
    ),
    Template(K.OPPORTUNITY, "Forwarded {obj} a freelance brief from {peer_org}", 4, 1),
    Template(K.APPRECIATION, "Sent {obj} a thank-you note with specifics", 2, 0.5),
    Template(K.APPRECIATION, "Wrote {obj} a LinkedIn recommendation", 3, 1),
    Template(
        K.APPRECIATION, "Congratulated {obj} on the launch, naming what {subj} got right", 2, 0.5
    ),
    Template(K.KNOWLEDGE, "Explained how I run discovery calls, with my question list", 3, 1),
    Template(K.KNOWLEDGE, "Showed {obj} how I structure a workshop agenda", 3, 1),
    Template(
        K.KNOWLEDGE,
        "Walked {obj} through writing a statement of work",
        4,
        1,
        needs=("freelance", "founder", "small-business", "mentee"),
    ),
    Template(K.KNOWLEDGE, "Told {obj} what I learned from my first year independent", 3, 1),
    Template(
        K.KNOWLEDGE,
        "Explained how we set up the co-op's volunteer rota",
        2,
        1,
        needs=("community", "volunteering", "nonprofit"),
    ),
    Template(K.FEEDBACK, "Reviewed {pos} hiring plan for next quarter", 4, 2, tags=("hiring",)),
    Template(
        K.FEEDBACK,
        "Sat in on {pos} user interviews and wrote up what I heard",
        4,
        3,
        needs=("design", "research", "product"),
    ),
    Template(K.FEEDBACK, "Proofread {pos} newsletter before it went out", 2, 1),
    Template(
        K.FEEDBACK, "Gave honest notes on {pos} pricing page", 3, 1, ("Switched to three tiers",)
    ),
    Template(
        K.FEEDBACK,
        "Rehearsed {pos} pitch with {obj} twice",
        4,
        3,
        needs=("founder", "investor", "sales"),
    ),
    Template(
        K.INTRODUCTION, "Introduced {obj} to {peer} to compare notes", 3, 1, ("Now meet monthly",)
    ),
    Template(
        K.INTRODUCTION,
        "Made a warm intro to {peer} for {pos} fundraise",
        5,
        1,
        ("Second meeting booked", "Passed for now"),
        ("fundraising",),
        needs=("founder",),
    ),
    Template(
        K.REFERRAL,
        "Passed {pos} name to {peer} for a contract",
        5,
        1,
        ("Started the contract in the new year",),
        ("clients",),
    ),
    Template(
        K.TIME,
        "Spent a morning pairing on {pos} data pipeline",
        4,
        4,
        needs=("data", "engineering"),
    ),
    Template(K.TIME, "Helped {obj} run the registration desk at {pos} event", 3, 4),
    Template(
        K.TIME,
        "Drove {obj} to the airport at 5 am",
        3,
        3,
        needs=("neighbour", "family", "running", "cycling", "mentee"),
    ),
    Template(K.SUPPORT, "Stayed on the phone while {subj} decided about the offer", 4, 2),
    Template(K.SUPPORT, "Covered for {obj} at the steering group while {subj} was away", 3, 3),
    Template(K.RESOURCE, "Lent {obj} my camera and tripod for a shoot", 3, 1),
    Template(K.RESOURCE, "Gave {obj} a desk in the studio for a month", 4, 2),
    Template(
        K.RESOURCE,
        "Shared the contract template my lawyer drew up",
        4,
        0.5,
        needs=("freelance", "founder", "small-business", "design"),
    ),
    Template(K.OPPORTUNITY, "Suggested {obj} as a panellist for the Riverbend festival", 4, 1),
    Template(
        K.APPRECIATION, "Told {pos} manager how much {pos} help on the project mattered", 3, 1
    ),
    Template(K.APPRECIATION, "Sent {obj} flowers after {pos} big launch", 2, 1),
)
"""What the owner gives: ``{obj}`` is the person who receives."""

GET: tuple[Template, ...] = (
    Template(K.KNOWLEDGE, "Explained how {pos} company structures advisory equity", 4, 1),
    Template(
        K.KNOWLEDGE, "Walked me through {pos} team's hiring scorecard", 3, 1, tags=("hiring",)
    ),
    Template(K.KNOWLEDGE, "Showed me {pos} CRM set-up for keeping in touch", 2, 1),
    Template(K.KNOWLEDGE, "Shared what {subj} learned from a failed product launch", 3, 1),
    Template(K.FEEDBACK, "Reviewed my pricing page copy", 3, 2, ("Clearer tiers, fewer emails",)),
    Template(
        K.FEEDBACK,
        "Gave blunt, useful notes on my keynote rehearsal",
        4,
        2,
        ("Cut ten minutes; much stronger close",),
    ),
    Template(K.FEEDBACK, "Read my proposal draft and found the weak section", 4, 2),
    Template(
        K.INTRODUCTION,
        "Introduced me to {peer}",
        4,
        1,
        ("Booked a discovery call", "Became a client", "Good conversation, no project yet"),
    ),
    Template(K.INTRODUCTION, "Connected me with {peer} about a pilot", 4, 1),
    Template(
        K.REFERRAL,
        "Referred a client from {peer_org} to me",
        6,
        1,
        ("Signed a two-month engagement",),
        ("clients",),
    ),
    Template(
        K.TIME, "Covered my Saturday shift", 3, 3, needs=("neighbour", "community", "cycling")
    ),
    Template(K.TIME, "Spent two hours debugging my invoicing script with me", 3, 3),
    Template(K.TIME, "Sat in on my workshop dry run and took notes", 3, 3),
    Template(K.SUPPORT, "Talked me through a tough client conversation", 4, 2),
    Template(K.SUPPORT, "Checked in when I was burnt out in the spring", 4, 1),
    Template(
        K.RESOURCE,
        "Shared the investor list from {pos} last raise",
        5,
        1,
        tags=("fundraising",),
        needs=("founder", "investor"),
    ),
    Template(K.RESOURCE, "Gave me {pos} old standing desk", 2, 1),
    Template(
        K.OPPORTUNITY,
        "Invited me to speak at {pos} team offsite",
        5,
        2,
        ("Two follow-up enquiries",),
    ),
    Template(K.OPPORTUNITY, "Put my name forward for the advisory board at {peer_org}", 5, 1),
    Template(K.APPRECIATION, "Sent a lovely note after the workshop", 2, 0.5),
    Template(K.APPRECIATION, "Thanked me publicly at the all-hands", 3, 0.5),
    Template(K.APPRECIATION, "Wrote me a LinkedIn recommendation", 3, 1),
    Template(K.KNOWLEDGE, "Explained how {pos} team runs quarterly planning", 3, 1),
    Template(K.KNOWLEDGE, "Showed me a better way to write my case studies", 3, 1),
    Template(K.KNOWLEDGE, "Talked me through how {subj} negotiated {pos} last contract", 4, 1),
    Template(K.KNOWLEDGE, "Sent me the reading list from {pos} leadership course", 2, 0.5),
    Template(K.FEEDBACK, "Critiqued the agenda for my facilitation course", 3, 2),
    Template(K.FEEDBACK, "Reviewed the slides for my talk at {peer_org}", 3, 2),
    Template(
        K.FEEDBACK,
        "Told me straight that my proposal was too long",
        3,
        1,
        ("Cut it to four pages; client signed",),
    ),
    Template(
        K.INTRODUCTION,
        "Introduced me to {peer}, who needed a facilitator",
        5,
        1,
        ("Ran their team day", "Proposal out"),
        ("clients",),
    ),
    Template(
        K.REFERRAL,
        "Recommended me to {pos} old team at {peer_org}",
        5,
        1,
        ("Kick-off call booked",),
        ("clients",),
    ),
    Template(
        K.TIME,
        "Helped me set up the home office",
        3,
        3,
        needs=("neighbour", "family", "friend", "cycling", "running"),
    ),
    Template(K.TIME, "Co-hosted my webinar when my co-host dropped out", 4, 3),
    Template(
        K.TIME,
        "Took notes for me at the community meeting",
        2,
        2,
        needs=("community", "neighbour", "nonprofit"),
    ),
    Template(K.SUPPORT, "Checked in after my dad's diagnosis", 5, 1),
    Template(K.SUPPORT, "Took my call at 10 pm when the launch went wrong", 4, 2),
    Template(K.RESOURCE, "Lent me the projector for the workshop", 2, 1),
    Template(
        K.RESOURCE,
        "Shared {pos} slide template library",
        3,
        0.5,
        needs=("design", "product", "operations"),
    ),
    Template(
        K.RESOURCE,
        "Let me borrow {pos} car for the weekend",
        4,
        2,
        needs=("neighbour", "family", "friend"),
    ),
    Template(K.OPPORTUNITY, "Asked me to co-write an article for the {peer_org} blog", 4, 1),
    Template(
        K.OPPORTUNITY,
        "Passed me a workshop enquiry {subj} could not take",
        5,
        1,
        ("Became a paid project",),
        ("clients",),
    ),
    Template(
        K.APPRECIATION,
        "Sent a card thanking me for the mentoring",
        2,
        0.5,
        needs=("mentee", "founder"),
    ),
    Template(K.APPRECIATION, "Mentioned my help in {pos} launch post", 3, 0.5),
    Template(K.APPRECIATION, "Told me the intro I made changed {pos} year", 3, 0.5),
)
"""What the owner gets: the person gives to the owner."""


# --- the weeks before today: everything else a ledger in use holds ---------------------------
#
# Exchanges alone leave most pages empty. What follows is what the owner also did in the
# weeks before today, each thing dated in days before today and written through the same
# services as a person's own input (see ``mutuality.services.demo.service``): needs and offers,
# introductions at every step of the double opt-in, requests decided each way, the
# commitments they made (kept, kept late, open, overdue), check-ins (some answered through
# the private link), birthdays and dates in the coming week, and what is shared. Whose
# relationships it touches is chosen so that every person keeps their pattern: only the
# over-giving and the new receive the exchanges that kept commitments and made
# introductions log.

ME = "me"
"""The owner, where a need, an offer or a request is theirs."""


@dataclass(frozen=True, slots=True)
class DemoWish:
    """A need or an offer, noted ``days_ago``."""

    kind: str
    """``need`` or ``offer``."""
    person: str
    text: str
    days_ago: int
    tags: tuple[str, ...] = ()
    source: str = "them"


def need(person: str, text: str, days_ago: int, *tags: str) -> DemoWish:
    return DemoWish("need", person, text, days_ago, tags, "me" if person == ME else "them")


def offer(person: str, text: str, days_ago: int, *tags: str) -> DemoWish:
    return DemoWish("offer", person, text, days_ago, tags, "me" if person == ME else "them")


WISHES: tuple[DemoWish, ...] = (
    # met by the introductions below
    need("Ben Carter", "Someone to build an online ordering page for the bakery", 70, "web"),
    offer("Dmitri Volkov", "Building small online shops and ordering pages", 80, "web"),
    need(
        "Chloé Dubois", "Advice from someone who organises a community repair café", 35, "community"
    ),
    offer(
        "Robin Achterberg",
        "Advice on organising community repair events, from the co-op's repair café",
        40,
        "community",
    ),
    need(
        "Tomás Herrera",
        "An introduction to a seed investor who backs hospitality software",
        50,
        "fundraising",
    ),
    offer(
        "Kenji Watanabe",
        "Office hours for seed investor questions from hospitality and software founders",
        60,
        "fundraising",
        "investor",
    ),
    need(
        "Søren Kristensen",
        "Pitch deck feedback before the climate fund demo day",
        25,
        "fundraising",
    ),
    offer("Elif Yılmaz", "Pitch deck feedback for early-stage founders", 30, "fundraising"),
    need(
        "Amara Okafor",
        "Practice running user research interviews with an experienced researcher",
        40,
        "research",
    ),
    offer(
        "Yuki Nakamura",
        "Coaching junior designers on running user research interviews",
        45,
        "research",
    ),
    need("Ingrid Johansson", "Advice on damp in the cellar of an old house", 30, "home"),
    offer("Noah Friedman", "Advice on renovating old houses, damp cellars and all", 33, "home"),
    # still waiting for an introduction: the board's suggestions
    need("Lucas Moreau", "A facilitator for our design sprint workshop in January", 15, "workshop"),
    offer(ME, "Facilitating workshops and design sprints for product teams", 60, "workshop"),
    offer(ME, "Pitch deck feedback for first-time founders", 60, "fundraising"),
    need("Imani Brooks", "Posters and flyers for the Open Orchard harvest festival", 20, "design"),
    offer(
        "Camille Laurent", "Poster and flyer design for festivals and local events", 25, "design"
    ),
    need("Fatima Zahra Benali", "Help analysing the results of our volunteer survey", 18, "data"),
    offer("Aiko Tanaka", "Survey analysis for charities and volunteer groups", 28, "data"),
    need("Rahul Mehta", "Coaching as I start managing other managers", 12, "coaching"),
    offer("Hannah Schmidt", "Coaching for first-time managers and managers of managers", 50),
    need(
        "Ximena Rojas",
        "Mentors on operations for the spring accelerator cohort",
        10,
        "mentoring",
    ),
    offer(
        "Margaret Whitfield",
        "Mentoring founders on operations as their company grows",
        120,
        "mentoring",
    ),
    need(ME, "An illustrator for my workshop booklet", 22, "illustration"),
    offer("Дарья Соколова", "Illustrations for books, booklets and posters", 300, "illustration"),
    need(ME, "Someone to proofread my guide to mentoring", 16, "writing"),
    offer("Zoë Clarke", "Editing and proofreading essays and guides", 90, "writing"),
)


class IntroStage(StrEnum):
    """How far a demo introduction has gone through the double opt-in."""

    PROPOSED = "proposed"
    ASKED_ONE = "asked one side"
    ONE_AGREED = "one side agreed"
    AGREED = "both agreed"
    MADE = "made"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class DemoIntroduction:
    """An introduction of ``a`` to ``b``, proposed ``days`` [0] days ago, each later step
    on the days that follow in ``days``."""

    a: str
    b: str
    stage: IntroStage
    days: tuple[int, ...]
    """Proposed, asked, a's answer, b's answer, made, outcome: as many as the stage takes."""
    reason: str | None = None
    """``None``: composed from their needs and offers, as the matching sees them."""
    note: str | None = None
    """Why it was declined or withdrawn."""
    outcome: str | None = None
    """What came of a made introduction (shared in the portfolio)."""


INTRODUCTIONS: tuple[DemoIntroduction, ...] = (
    DemoIntroduction(
        "Ben Carter",
        "Dmitri Volkov",
        IntroStage.MADE,
        (60, 59, 58, 57, 55, 20),
        outcome="The bakery's ordering page went live and Saturday pre-orders doubled",
    ),
    DemoIntroduction("Chloé Dubois", "Robin Achterberg", IntroStage.MADE, (20, 19, 18, 16, 8)),
    DemoIntroduction("Tomás Herrera", "Kenji Watanabe", IntroStage.AGREED, (12, 11, 10, 3)),
    DemoIntroduction("Søren Kristensen", "Elif Yılmaz", IntroStage.ONE_AGREED, (9, 8, 6)),
    DemoIntroduction("Amara Okafor", "Yuki Nakamura", IntroStage.ASKED_ONE, (5, 4)),
    DemoIntroduction("Fatima Zahra Benali", "Aiko Tanaka", IntroStage.PROPOSED, (1,)),
    DemoIntroduction(
        "Oliver Bennett",
        "Rahul Mehta",
        IntroStage.PROPOSED,
        (2,),
        reason="Both are training for the Berlin marathon and would enjoy long runs together",
    ),
    DemoIntroduction(
        "Ingrid Johansson",
        "Noah Friedman",
        IntroStage.DECLINED,
        (28, 27, 26, 24),
        note="Kind of you to think of me, but my own build runs late until the spring",
    ),
    DemoIntroduction(
        "Andrés Gutiérrez",
        "Mateus Oliveira",
        IntroStage.WITHDRAWN,
        (45, 44, 40),
        reason="Andrés has sold to fleet operators for years, and Atlas is hiring its first "
        "salesperson",
        note="Mateus hired a sales lead in the meantime",
    ),
)


@dataclass(frozen=True, slots=True)
class DemoRequest:
    """A request made ``days_ago``, due ``due_in`` days after it was made, and decided
    then (``decision``; ``None`` leaves it open). A yes or an agreed third option becomes a
    commitment, kept ``kept_days_ago`` when given."""

    person: str
    text: str
    benefit: float
    cost: float
    kind: str
    days_ago: int
    due_in: int
    decision: str | None
    third_option: str | None = None
    from_me: bool = False
    kept_days_ago: int | None = None


REQUESTS: tuple[DemoRequest, ...] = (
    DemoRequest(
        "Tomás Herrera",
        "Review the Tidy Tables pricing page before launch",
        7,
        2,
        "feedback",
        44,
        10,
        "yes",
        kept_days_ago=30,  # four days after it was due
    ),
    DemoRequest(
        "Amara Okafor",
        "A mock interview before her senior designer application",
        8,
        2,
        "time",
        36,
        14,
        "yes",
        kept_days_ago=24,
    ),
    DemoRequest(
        "Amara Okafor",
        "Weekly portfolio reviews until her promotion panel",
        6,
        7,
        "time",
        6,
        9,
        "negotiate",
        third_option="A portfolio review every other Thursday until the panel in March",
    ),
    DemoRequest(
        "Dmitri Volkov",
        "Cover his client support for two weeks while he is away",
        3,
        8,
        "time",
        12,
        20,
        "no",
    ),
    DemoRequest(
        "Chloé Dubois",
        "Speak at the Riverbend volunteers' evening about giving without burning out",
        5,
        3,
        "knowledge",
        2,
        21,
        None,
    ),
    DemoRequest(
        "Margaret Whitfield",
        "Read my draft chapter on mentoring and tell me what is missing",
        6,
        3,
        "feedback",
        10,
        17,
        "yes",
        from_me=True,
    ),
)


@dataclass(frozen=True, slots=True)
class DemoCheckIn:
    """A check-in ``days_ago``: answered by them through the private link (``by_link``), or
    recorded by me. What they said would make it better waits as a wish unless
    ``wish`` says what I made of it (the day after)."""

    person: str
    days_ago: int
    by_link: bool
    my_satisfaction: int | None = None
    their_satisfaction: int | None = None
    my_better: str | None = None
    their_better: str | None = None
    their_equity: int | None = None
    message: str | None = None
    would_hear: bool | None = None
    note: str | None = None
    follow_up: tuple[str, int] | None = None
    """A promise of mine made at the check-in, due so many days after it."""
    wish: str | None = None
    """``commitment`` or ``need``: the wish adopted, in ``wish_text`` when given."""
    wish_text: str | None = None
    wish_due_in: int | None = None


CHECKINS: tuple[DemoCheckIn, ...] = (
    DemoCheckIn(
        "Teresa Lindqvist",
        30,
        by_link=True,
        their_satisfaction=3,
        their_better="Visit more often, even for an hour",
        message="Miss you. Mum asks after you every week.",
        would_hear=True,
        wish="commitment",
        wish_text="Visit Teresa and bring the old photo albums",
        wish_due_in=30,
    ),
    DemoCheckIn(
        "Kwame Mensah",
        21,
        by_link=False,
        my_satisfaction=5,
        their_satisfaction=5,
        note="Talked over the co-op's plans for a second bike trailer",
    ),
    DemoCheckIn(
        "Siobhán O'Connor",
        20,
        by_link=False,
        my_satisfaction=4,
        their_satisfaction=4,
        my_better="Agree the scope in writing before each engagement starts",
        follow_up=("Send Siobhán the revised engagement letter", 12),
    ),
    DemoCheckIn(
        "Aiko Tanaka",
        14,
        by_link=False,
        my_satisfaction=5,
        their_satisfaction=4,
        note="She is thinking about leaving Meridian to freelance",
        follow_up=("Send Aiko my notes on pricing freelance data work", 19),
    ),
    DemoCheckIn(
        "José Álvarez",
        12,
        by_link=True,
        their_satisfaction=4,
        their_better="More time to catch up properly, not only about work",
        their_equity=0,
        message="Thanks for asking, this was a nice surprise.",
        would_hear=True,
    ),
    DemoCheckIn(
        "Hannah Schmidt",
        9,
        by_link=False,
        my_satisfaction=4,
        their_satisfaction=3,
        their_better="Meet in person now and then, not only on video",
    ),
    DemoCheckIn(
        "Priya Raman",
        5,
        by_link=True,
        their_satisfaction=5,
        their_better="Bring me in earlier when the offsite is being planned",
        their_equity=-1,
        would_hear=False,
    ),
)


BIRTHDAYS: dict[str, tuple[int, int]] = {
    "Kwame Mensah": (1, 1987),
    "Zoë Clarke": (4, 1991),
    "Hamid Karimi": (6, 1979),
    "Priya Raman": (19, 1990),
}
"""Birthdays by days from today and the year of birth: three in the coming week."""


@dataclass(frozen=True, slots=True)
class DemoDate:
    """An important date ``in_days`` from today; ``years`` ago it first happened (yearly
    dates), or ``None`` for a year not known; a one-off when ``yearly`` is false."""

    person: str
    text: str
    in_days: int
    yearly: bool = True
    years: int | None = None


DATES: tuple[DemoDate, ...] = (
    DemoDate("Priya Raman", "Northwind product offsite", 2, yearly=False),
    DemoDate("Tomás Herrera", "Tidy Tables launch anniversary", 3, years=2),
    DemoDate("Teresa Lindqvist", "Mum's hip operation", 5, yearly=False),
    DemoDate("Kwame Mensah", "Wedding anniversary with Efua", 11, years=9),
)


@dataclass(frozen=True, slots=True)
class DemoShare:
    """Something marked for the portfolio ``days_ago``: an exchange with ``person``
    (found by its ``description``) or, with no description, the person's full name."""

    person: str
    days_ago: int
    description: str | None = None


SHARES: tuple[DemoShare, ...] = (
    DemoShare("José Álvarez", 3, "Referred the Lumen Health rebrand to his studio"),
    DemoShare("Zoë Clarke", 3, "Edited my essay on reciprocity line by line"),
    DemoShare("Zoë Clarke", 3, "Introduced her to Clara at Lumen Health for the health anthology"),
    DemoShare("Priya Raman", 3, "Invited me to run the product offsite at Northwind"),
    DemoShare("José Álvarez", 3),
    DemoShare("Zoë Clarke", 3),
)

CAPACITY: tuple[float, str, str, tuple[str, ...]] = (60.0, "points", "month", ())
"""The giving budget: amount, unit, period, and the kinds I do not give (none: the year
holds a gift of every kind, and a boundary the ledger crosses would be flagged)."""
CAPACITY_DAYS_AGO = 90
