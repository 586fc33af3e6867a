"""The invented network behind ``mutuality demo``: its people, their stories, and phrasings.

Everything here is fiction. Emails use only the reserved ``example.org``,
``example.com`` and ``example.net`` domains and phones only the numbers set aside for
drama (UK 020 7946 0xxx, US 555-01xx), so the demo can never reach a real person.

Each person follows a :class:`Pattern`, the shape their relationship with the owner
should show in the balance overview. :mod:`mutuality.services.demo` turns the people,
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
