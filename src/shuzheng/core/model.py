"""The plan as data: strict pydantic models (docs/plan-format.md; no I/O)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .dates import parse_date
from .findings import Location, ParseError
from .i18n import _
from .quantity import Comparator, Quantity, parse_quantity

Measure = Literal["sum", "latest", "ratio", "distinct", "milestone", "qualitative"]
KeyPart = Literal["item", "area", "date"]


def _custom_error(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message)  # no context: pydantic shows the message as it is


def _to_quantity(value: Any) -> Any:
    if isinstance(value, Quantity):
        return value
    if isinstance(value, bool):
        raise _custom_error("invalid-number", _("expected a number, got a boolean"))
    if isinstance(value, (int, Decimal)):
        value = str(value)
    if isinstance(value, list):
        raise _custom_error("invalid-number", _("expected a number such as 4000, 1.6萬 or 100%, not a list"))
    if isinstance(value, dict):
        raise _custom_error("invalid-number", _("expected a number such as 4000, 1.6萬 or 100%, not a mapping"))
    if not isinstance(value, str):
        message = _("expected a number such as 4000, 1.6萬 or 100%, not a {kind}").format(kind=type(value).__name__)
        raise _custom_error("invalid-number", message)
    try:
        return parse_quantity(value)
    except ParseError as exc:
        raise _custom_error(exc.code, exc.message) from None


def _to_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise _custom_error("invalid-date", _("expected a date like 2024-03-05"))
    try:
        return parse_date(value)
    except ParseError as exc:
        raise _custom_error(exc.code, exc.message) from None


QuantityText = Annotated[
    Quantity,
    BeforeValidator(_to_quantity),
    PlainSerializer(lambda q: q.text, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "number"}],
            "description": "4000, 4,000, 1.6萬, 3萬戶, 100%, with 以上/約/余/多/以內/不超過; 20xx = open",
        }
    ),
]
DateText = Annotated[
    date,
    BeforeValidator(_to_date),
    WithJsonSchema({"type": "string", "description": "2024-03-05, 2024/3/5 or 2024年3月5日"}),
]
Name = Annotated[str, Field(min_length=1)]
# A share from 0 to 1; its JSON Schema written out, as pydantic versions describe Decimal differently.
Tolerance = Annotated[
    Decimal,
    Field(ge=0, le=1),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "string"}],
            "description": "a share from 0 to 1, e.g. 0.05",
        }
    ),
]
Blankable = Annotated[str | None, Field(description="may be left blank; check warns")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(Strict):
    start: DateText
    end: DateText


class Phase(Strict):
    name: Name
    start: DateText
    end: DateText
    pace: bool = Field(False, description="the pace period: expected progress is measured against it")
    note: str | None = None


class Area(Strict):
    name: Name
    aliases: list[Name] = []
    note: str | None = None
    children: list[Area] = []


class Group(Strict):
    name: Name
    members: list[Name] = Field(min_length=1)
    aliases: list[Name] = []
    note: str | None = None


class Leader(Strict):
    role: Name
    name: Blankable = None


class Department(Strict):
    name: Name
    role: str | None = None
    head: Blankable = None
    duties: str | None = None


class Lead(Strict):
    department: str | None = None
    leader: str | None = None

    def label(self) -> str:
        parts = [p for p in (self.department, self.leader) if p]
        if len(parts) == 2:
            return f"{parts[0]}（{parts[1]}）"
        return parts[0] if parts else ""


class Organisation(Strict):
    leaders: list[Leader] = []
    departments: list[Department] = []
    office: str | None = None
    cadence: str | None = None
    lead: Lead | None = Field(None, description="default lead of every task")


class Item(Strict):
    name: Name
    area: str | None = None
    milestone: str | None = Field(None, description="what counts as done: 開工, 建成, 試運行 …")
    deadline: DateText | None = None
    note: str | None = None


def _item(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


ItemEntry = Annotated[
    Item,
    BeforeValidator(_item),
    WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1}, Item.model_json_schema()]}),
]


class Baseline(Strict):
    """Where a stock stood before the work: the pace of a `latest` target runs from it."""

    value: QuantityText
    date: DateText


class Target(Strict):
    scope: Name | Annotated[list[Name], Field(min_length=1)] = Field(
        description="an area, a group, or a list of areas (not empty)"
    )
    value: QuantityText | None = Field(None, description="absent: unquantified (milestone: every item)")
    comparator: Comparator | None = None
    tolerance: Tolerance | None = None
    deadline: DateText | None = None
    baseline: Baseline | None = Field(None, description="latest only: the stock at a date before the work")
    note: str | None = None

    @property
    def scope_label(self) -> str:
        return "、".join(self.scope) if isinstance(self.scope, list) else self.scope


class Indicator(Strict):
    id: Name
    name: Name
    unit: str | None = None
    measure: Measure
    key: list[KeyPart] | None = Field(None, description="distinct key; default [item]")
    items: list[ItemEntry] = []
    components: list[Name] = []
    deadline: DateText | None = None
    tolerance: Tolerance | None = None
    note: str | None = None
    targets: list[Target] = []

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        return value if not isinstance(value, (int, float, Decimal)) else str(value)

    @property
    def distinct_key(self) -> tuple[str, ...]:
        return tuple(self.key or ("item",))


class Task(Strict):
    id: Name
    title: Name
    lead: Lead | None = None
    note: str | None = None
    indicators: list[Indicator] = []


class Lights(Strict):
    """The briefing's traffic lights: how far behind pace a target is yellow, and red."""

    yellow: Tolerance = Field(Decimal("0.10"), description="behind pace by this share of the target or more")
    red: Tolerance = Field(Decimal("0.30"), description="behind pace by this share of the target or more")


Cadence = Literal["daily", "weekly", "monthly", "quarterly"]


class Reporting(Strict):
    """When the reporting units send their ledgers in."""

    cadence: Cadence
    due_day: int | None = Field(
        None, ge=1, le=31, description="weekly: 1 (Monday) … 7; monthly and quarterly: the day of the month"
    )
    units: list[Name] = Field([], description="who reports: areas or departments of this plan")


class Plan(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$")]
    title: Name
    issuer: str | None = None
    year: int | None = None
    period: Period
    due: DateText | None = Field(None, description="default deadline of every target; else the period end")
    tolerance: Tolerance = Field(Decimal("0.05"), description="default tolerance of approx targets")
    lights: Lights = Lights()
    reporting: Reporting | None = None
    phases: list[Phase] = []
    areas: Area
    groups: list[Group] = []
    organisation: Organisation = Organisation()
    ledgers: list[str] = Field([], description="extra ledger paths, relative to the plan's folder")
    note: str | None = None
    tasks: list[Task] = Field(min_length=1)

    @field_validator("year")
    @classmethod
    def _four_digits(cls, value: int | None) -> int | None:
        if value is not None and not 1000 <= value <= 9999:
            raise _custom_error("schema", _("a year has four digits, like 2024"))
        return value

    # Filled by the reader: where each node of the file was, by its path of keys.
    _source: str = PrivateAttr("")
    _positions: dict[tuple, Location] = PrivateAttr(default_factory=dict)

    def attach_source(self, source: str, positions: dict[tuple, Location]) -> None:
        self._source = source
        self._positions = positions

    def written(self, *path: Any) -> bool:
        """Whether the file has this key, even with no value (`head:`)."""
        return tuple(path) in self._positions

    def where(self, *path: Any) -> Location:
        """The location of the node at `path` (keys and list indexes), or its nearest parent."""
        for end in range(len(path), -1, -1):
            found = self._positions.get(tuple(path[:end]))
            if found:
                return found
        return Location(self._source or self.id)

    def indicators(self) -> list[tuple[Task, Indicator]]:
        return [(task, ind) for task in self.tasks for ind in task.indicators]

    def indicators_at(self) -> list[tuple[tuple, Task, Indicator]]:
        """Every indicator with its task and its path in the file, for where()."""
        return [
            (("tasks", ti, "indicators", ii), task, ind)
            for ti, task in enumerate(self.tasks)
            for ii, ind in enumerate(task.indicators)
        ]

    def lead_of(self, task: Task) -> Lead:
        return task.lead or self.organisation.lead or Lead()

    @property
    def pace_period(self) -> tuple[date, date]:
        for phase in self.phases:
            if phase.pace:
                return phase.start, phase.end
        return self.period.start, self.period.end
