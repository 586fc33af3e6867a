"""Shape of ``/api/network/graph``: the network page's picture as data."""

from __future__ import annotations

from pydantic import BaseModel, Field

from mutuality.core.health import Status
from mutuality.core.introductions import IntroStatus
from mutuality.services.health.overview import Graph


class GraphPersonOut(BaseModel):
    id: int
    name: str
    status: Status
    weight: float = Field(description="Decayed benefit given plus received.")
    given: float = Field(description="Decayed benefit I gave them: the dot's place across.")
    received: float = Field(description="Decayed benefit they gave me: the dot's place up.")
    exchanges: int = Field(description="How many exchanges between us: the dot's size.")


class GraphAverageOut(BaseModel):
    given: float
    received: float


class GraphLinkOut(BaseModel):
    giver: int
    receiver: int
    exchanges: int


class GraphIntroductionOut(BaseModel):
    a: int
    b: int
    status: IntroStatus


class GraphOut(BaseModel):
    owner: str
    people: list[GraphPersonOut]
    links: list[GraphLinkOut] = Field(description="Exchanges among the people, per direction.")
    introductions: list[GraphIntroductionOut] = Field(
        description="Who I introduced (or am introducing) to whom, the latest first."
    )
    you: GraphAverageOut | None = Field(
        description="What I gave and received in an average relationship with any flow "
        "(decayed), where the picture marks you; null before anything flowed."
    )

    @classmethod
    def of(cls, graph: Graph) -> GraphOut:
        return cls(
            owner=graph.owner,
            people=[
                GraphPersonOut(
                    id=item.person.id,
                    name=item.person.name,
                    status=item.health.status,
                    weight=item.health.given + item.health.received,
                    given=item.health.given,
                    received=item.health.received,
                    exchanges=item.health.times_given + item.health.times_received,
                )
                for item in graph.people
            ],
            links=[GraphLinkOut(giver=a, receiver=b, exchanges=n) for a, b, n in graph.links],
            introductions=[
                GraphIntroductionOut(a=a, b=b, status=state) for a, b, state in graph.introductions
            ],
            you=None
            if graph.average is None
            else GraphAverageOut(given=graph.average[0], received=graph.average[1]),
        )
