"""From free text to terms: normalise, split, drop the words every need or offer shares,
stem, and fold synonyms of common skills onto one term.

Needs and offers are short and phrased from opposite sides ("looking for someone who knows
Kubernetes" against "happy to help with k8s clusters"), so the words that say *that* someone
wants or gives help are stop words here, and the words that say *what* carry the match::

    >>> analyse("Looking for a UX designer to review our onboarding")
    ['ux', 'design', 'review', 'onboard']
    >>> analyse("Happy to give feedback on user experience and app design")
    ['feedback', 'ux', 'app', 'design']

Stemming is Snowball's English stemmer, with each distinct word stemmed once (a cache), so
that 200,000 texts cost a dictionary look-up per word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.'][a-z0-9]+)*")

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else
    ever every few for from further get gets getting give giving had has have having he her
    here hers him his how i if in into is it its itself just let like ll me more most my
    myself need needed needs no nor not now of off offer offered offering offers on once only
    or other our ours out over own please re really same she should so some someone something
    somebody anyone anybody such than that the their them then there these they this those
    through to too under until up us very via want wanted wanting wants was we were what when
    where which while who whom why will with would you your yours looking look seek seeking
    sought find finding help helping helps helped happy glad willing available keen ready
    love able share sharing anyone's person people someone's who'd i'd i'm we're they're
    would've could've ve d s t m hi hello thanks thank new good great best lot lots much many
    way ways thing things stuff kind sort bit maybe perhaps especially particularly currently
    soon time times week weeks month months year years day days don't doesn't won't can't
    isn't aren't didn't wouldn't what's it's that's who's know knows keep keeps think got
    go going goes take takes make makes made use using set bring done still last next
    nobody everyone anything somewhere start starting started better simple properly
    proper sure idea ideas advice tips quick quickly urgently urgent
    """.split()
)
"""English function words plus the vocabulary of asking and offering itself."""

# One line per skill reads better than one line per word:
# fmt: off
SYNONYMS: dict[str, tuple[str, ...]] = {
    # canonical term: words and phrases folded onto it (matched after normalising)
    "ux": ("user experience", "usability", "ui", "user interface", "interaction design"),
    "design": ("designer", "designing", "figma", "visual design", "graphic"),
    "recruit": ("hire", "hiring", "recruiter", "recruitment", "talent", "headhunter", "staff",
                "staffing"),
    "fundrais": (
        "fundraising", "raise", "raising", "investor", "investors", "vc", "venture capital",
        "angel", "seed round", "funding",
    ),
    "legal": ("lawyer", "attorney", "solicitor", "law", "legally", "counsel", "contract law"),
    "employ": ("employee", "employees", "employer", "employers", "employment", "let go"),
    "account": ("accountant", "bookkeeping", "bookkeeper", "cpa", "tax", "taxes"),
    "market": ("marketing", "marketer", "growth", "seo", "search engine", "advertising", "ads",
               "advertise"),
    "softwar": ("software", "coding", "programming", "developer", "engineer", "engineering"),
    "javascript": ("js", "typescript", "node", "nodejs", "react", "frontend", "front-end"),
    "python": ("django", "flask", "pandas"),
    "kubernet": ("k8s", "kubernetes", "devops", "docker", "containers", "infrastructure"),
    "machinelearn": (
        "machine learning", "ml", "ai", "artificial intelligence", "deep learning",
        "data science", "neural network", "llm", "llms", "language model", "language models",
        "chatbot",
    ),
    "analyt": (
        "analysis", "analyst", "analytics", "analyse", "analysed", "analyze", "analyzed",
        "analysing", "analyzing", "data analysis",
    ),
    "statist": ("statistics", "statistical", "stats", "significant", "significance"),
    "experiment": ("a b testing", "a b test", "a b tests", "ab testing", "split test",
                   "experiments"),
    "forecast": ("predict", "prediction", "predictions", "forecasting", "projection"),
    "churn": ("cancel", "cancellations", "cancel subscriptions", "retention"),
    "incid": ("incident", "incidents", "outage", "outages", "on call", "paged", "pager",
              "downtime"),
    "phish": ("phishing", "fake emails", "scam emails", "scams"),
    "hack": ("hacked", "compromised", "breach", "breached"),
    "speed": ("slow", "performance", "load time", "loads slowly", "faster"),
    "websit": ("website", "websites", "web page", "web pages", "site", "web site", "html",
               "css"),
    "pitchdeck": ("pitch deck", "pitch decks", "deck"),
    "cv": ("resume", "resumes", "curriculum vitae", "cover letter"),
    "interview": ("interviews", "mock interview", "interviewing"),
    "lead": ("leadership", "leader", "leaders", "team lead", "lead a team"),
    "math": ("maths", "mathematics", "algebra", "geometry", "calculus"),
    "electr": ("electrician", "electrical", "sockets", "socket", "wiring", "fuse box"),
    "bike": ("bicycle", "bicycles", "cycling", "cyclist"),
    "ev": ("electric car", "electric vehicle", "charger", "charging point"),
    "mortgag": ("mortgage", "loan", "mortgages", "home loan"),
    "valu": ("value", "valuation", "worth", "appraisal"),
    "prototyp": ("prototype", "prototypes", "prototyping", "3d printing", "3d printer"),
    "cloth": ("clothing", "clothes", "apparel", "garments", "t shirt", "t shirts", "tshirt",
              "fashion"),
    "retail": ("retailer", "retailers", "supermarket", "supermarkets", "stockist", "stocked",
               "grocery"),
    "stress": ("anxiety", "anxious", "stressed", "depression", "depressed", "feeling low",
               "overwhelmed", "overwhelming"),
    "burnout": ("burnt out", "burned out", "exhausted"),
    "drone": ("aerial", "drones", "drone footage"),
    "grief": ("bereavement", "grieving", "lost my father", "lost my mother"),
    "mentor": ("mentoring", "mentorship", "coach", "coaching", "advise", "adviser", "advisor",
               "guidance"),
    "write": ("writing", "writer", "copywriting", "copywriter", "editing", "editor",
              "proofreading", "proofread"),
    "photograph": ("photographer", "photography", "photos", "photo", "pictures", "picture",
                   "headshots", "photo shoot", "shots"),
    "video": ("filmmaking", "film", "videographer", "video editing", "youtube"),
    "translat": ("translation", "translator", "interpreting", "interpreter"),
    "sale": ("sales", "selling", "business development", "bizdev", "b2b sales"),
    "financ": ("finance", "financial", "cfo", "budgeting", "financial modelling",
               "financial modeling", "cash flow"),
    "product": ("product management", "product manager", "roadmap"),
    "health": ("medical", "doctor", "physician", "clinic", "nurse"),
    "therapi": ("therapist", "therapy", "counselling", "counseling", "counsellor", "counselor",
                "mental health", "psychologist", "talk to"),
    "fit": ("fitness", "personal trainer", "workout", "exercise", "gym", "strength",
            "stronger"),
    "nutrit": ("nutrition", "nutritionist", "dietitian", "diet", "meal plan", "meals",
               "healthy eating"),
    "hous": ("housing", "apartment", "flat", "rent", "landlord", "sublet"),
    "move": ("moving", "relocation", "relocating", "removal", "movers", "move house"),
    "babysit": ("childcare", "babysitting", "nanny", "babysitter"),
    "teach": ("tutor", "tutoring", "teaching", "teacher", "teaches", "learn", "learning",
              "lesson", "lessons", "class", "classes", "course", "courses", "homework"),
    "languag": ("language exchange", "conversation practice", "speaking practice"),
    "spanish": ("español", "castellano"),
    "garden": ("gardening", "gardener", "allotment", "plants", "landscaping"),
    "repair": ("fix", "fixing", "handyman", "diy", "plumbing", "plumber", "electrician"),
    "car": ("vehicle", "auto", "mechanic", "van", "truck"),
    "music": ("musician", "guitar", "piano", "pianist", "singing", "band", "bands"),
    "event": ("events", "venue", "venues", "conference", "meetup", "workshop space", "gig",
              "gigs"),
    "publicspeak": ("public speaking", "presentation", "keynote", "speaker"),
    "career": ("job search", "job hunting", "cv", "resume", "interview", "interviews"),
    "immigr": ("visa", "immigration", "residency permit", "work permit"),
    "grant": ("grants", "grant writing", "funding application", "grant application"),
    "nonprofit": ("charity", "ngo", "non-profit", "non profit", "volunteer", "volunteering"),
    "research": ("academic", "phd", "paper", "literature review", "thesis"),
    "secur": ("security", "cybersecurity", "pentest", "penetration testing", "infosec"),
    "cloud": ("aws", "azure", "gcp", "google cloud"),
    "databas": ("database", "sql", "postgres", "postgresql", "mysql"),
    "mobil": ("mobile", "ios", "android", "app store", "swift", "kotlin"),
    "brand": ("branding", "logo", "identity", "brand identity"),
    "ecommerc": ("e-commerce", "ecommerce", "shopify", "online store", "online shop"),
    "supplychain": ("supply chain", "logistics", "shipping", "procurement", "sourcing"),
    "manufactur": ("manufacturing", "manufacturer", "factory", "factories", "production line"),
    "real estat": ("real estate", "property", "realtor", "estate agent", "mortgage"),
    "wed": ("wedding", "weddings", "bride", "groom"),
    "cook": ("cooking", "chef", "recipes", "baking", "catering"),
}
# fmt: on
"""A small table of skills and needs that people name in different words. Each canonical
term is a stem; variants may be phrases, which are joined before splitting."""


@cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@cache
def stem(word: str) -> str:
    """Snowball English stem of one word (cached: a vocabulary is small)."""
    stemmed: str = _stemmer().stemWord(word)
    return stemmed


_SPACES = str.maketrans({"-": " ", "/": " ", "_": " "})


def _fold(text: str) -> str:
    """Lower case, accents removed, ``&`` as ``and``, hyphens and slashes as spaces."""
    text = text.lower().replace("&", " and ").translate(_SPACES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _tables() -> tuple[re.Pattern[str] | None, dict[str, str], dict[str, str]]:
    """(phrase pattern, phrase -> token, stem -> canonical), built once."""
    phrases: dict[str, str] = {}
    words: dict[str, str] = {}
    for canonical, variants in SYNONYMS.items():
        token = canonical.replace(" ", "")
        for variant in variants:
            folded = _fold(variant)
            if " " in folded:
                phrases[folded] = f" {token} "
            else:
                words[stem(folded)] = token
        words[token] = token
    pattern = None
    if phrases:
        ordered = sorted(phrases, key=len, reverse=True)
        pattern = re.compile(r"\b(" + "|".join(re.escape(p) for p in ordered) + r")\b")
    return pattern, phrases, words


@cache
def _term(word: str) -> str | None:
    """One word to its term (``None`` for a stop word): stem, then the synonym table."""
    if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
        return None
    _, _, words = _tables()
    stemmed = stem(word)
    return words.get(stemmed, words.get(word, stemmed))


def analyse(text: str, tags: Iterable[str] = ()) -> list[str]:
    """The terms of a need or offer, in order, tags appended (a tag is a strong hint)."""
    pattern, phrases, _ = _tables()
    folded = _fold(" ".join([text, *tags]))
    if pattern is not None:
        folded = pattern.sub(lambda found: phrases[found.group(1)], folded)
    terms = []
    for word in _WORD.findall(folded):
        term = _term(word.strip(".'"))
        if term is not None:
            terms.append(term)
    return terms


def surface_words(text: str) -> dict[str, str]:
    """Each term of ``text`` mapped to the first word that produced it, for explanations
    ("matched: design, onboarding")."""
    pattern, phrases, _ = _tables()
    folded = _fold(text)
    found: dict[str, str] = {}
    if pattern is not None:
        for match in pattern.finditer(folded):
            found.setdefault(phrases[match.group(1)].strip(), match.group(1))
        folded = pattern.sub(" ", folded)
    for word in _WORD.findall(folded):
        term = _term(word.strip(".'"))
        if term is not None:
            found.setdefault(term, word.strip(".'"))
    return found
