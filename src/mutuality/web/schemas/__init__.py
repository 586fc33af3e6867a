"""The API's input and output shapes, one module per router of :mod:`mutuality.web.api`
(JSON keys as in docs/json-output.md, built by :mod:`mutuality.presenters`), plus
:mod:`.common` (the bases every resource shares) and :mod:`.figures` (the Health and
Balance objects three routers answer with). Every shape is importable from here too.
"""

from __future__ import annotations

from mutuality.web.schemas.capacity import (
    BoundaryHitOut,
    CapacityIn,
    CapacityOut,
)
from mutuality.web.schemas.checkins import (
    AgendaItemOut,
    CheckInCreate,
    CheckInLinkCreate,
    CheckInLinkOut,
    CheckInOut,
    CheckInRecordedOut,
    FollowUpIn,
    PendingWishOut,
    WishAdopt,
    WishAdoptedOut,
)
from mutuality.web.schemas.commitments import (
    CommitmentOut,
    KeepIn,
)
from mutuality.web.schemas.common import (
    ErrorOut,
    Input,
    PageOut,
    Text,
    UtcTime,
)
from mutuality.web.schemas.exchanges import (
    ActivityOut,
    ExchangeCreate,
    ExchangeOut,
    LoggedOut,
    TouchCreate,
    TouchOut,
)
from mutuality.web.schemas.figures import (
    BalanceOut,
    BalancePointOut,
    HealthOut,
)
from mutuality.web.schemas.graph import (
    GraphIntroductionOut,
    GraphLinkOut,
    GraphOut,
    GraphPersonOut,
)
from mutuality.web.schemas.health import (
    NextStepOut,
    PersonBalanceOut,
    PersonHealthOut,
    PersonSummaryOut,
    ThanksOut,
    WhyOut,
)
from mutuality.web.schemas.introductions import (
    AskIn,
    ConsentIn,
    IntroductionCreate,
    IntroductionOut,
    IntroductionUpdate,
    IntroMessagesOut,
    IntroStepOut,
    MakeIn,
    OutcomeIn,
    WithdrawIn,
)
from mutuality.web.schemas.needs import (
    MatchesOut,
    MatchOut,
    WishCreate,
    WishOut,
)
from mutuality.web.schemas.network import (
    MonthFlowOut,
    NamedOut,
    NetworkOut,
    ReachOutOut,
    ReachOutPersonOut,
    StyledPersonOut,
    StyleEvidenceOut,
    ThresholdsOut,
)
from mutuality.web.schemas.people import (
    DateOut,
    ForgottenOut,
    PersonCreate,
    PersonDetailOut,
    PersonOut,
    PersonUpdate,
)
from mutuality.web.schemas.requests import (
    DecidedOut,
    DecisionIn,
    DeclineDraftOut,
    ReconsiderOut,
    RequestCreate,
    RequestOut,
)
from mutuality.web.schemas.session import (
    SessionIn,
    SessionOut,
)

__all__ = [
    "ActivityOut",
    "AgendaItemOut",
    "AskIn",
    "BalanceOut",
    "BalancePointOut",
    "BoundaryHitOut",
    "CapacityIn",
    "CapacityOut",
    "CheckInCreate",
    "CheckInLinkCreate",
    "CheckInLinkOut",
    "CheckInOut",
    "CheckInRecordedOut",
    "CommitmentOut",
    "ConsentIn",
    "DateOut",
    "DecidedOut",
    "DecisionIn",
    "DeclineDraftOut",
    "ErrorOut",
    "ExchangeCreate",
    "ExchangeOut",
    "FollowUpIn",
    "ForgottenOut",
    "GraphIntroductionOut",
    "GraphLinkOut",
    "GraphOut",
    "GraphPersonOut",
    "HealthOut",
    "Input",
    "IntroMessagesOut",
    "IntroStepOut",
    "IntroductionCreate",
    "IntroductionOut",
    "IntroductionUpdate",
    "KeepIn",
    "LoggedOut",
    "MakeIn",
    "MatchOut",
    "MatchesOut",
    "MonthFlowOut",
    "NamedOut",
    "NetworkOut",
    "NextStepOut",
    "OutcomeIn",
    "PageOut",
    "PendingWishOut",
    "PersonBalanceOut",
    "PersonCreate",
    "PersonDetailOut",
    "PersonHealthOut",
    "PersonOut",
    "PersonSummaryOut",
    "PersonUpdate",
    "ReachOutOut",
    "ReachOutPersonOut",
    "ReconsiderOut",
    "RequestCreate",
    "RequestOut",
    "SessionIn",
    "SessionOut",
    "StyleEvidenceOut",
    "StyledPersonOut",
    "Text",
    "ThanksOut",
    "ThresholdsOut",
    "TouchCreate",
    "TouchOut",
    "UtcTime",
    "WhyOut",
    "WishAdopt",
    "WishAdoptedOut",
    "WishCreate",
    "WishOut",
    "WithdrawIn",
]
