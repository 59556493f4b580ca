"""The schema of config/rules.yml (docs/domain.md §4): types, ranges, code lists and unknown keys.

`parse_rules(data, file_name)` validates the merged rules (defaults + the municipality's file)
and returns them typed; any problem raises RulesError with one Danish line per problem that
names the file, the key as a dotted path (`retention.weeks`, `statutory_ratio[0].valid_from`)
and what was expected. Decisions (docs/decisions/kpi.md): booleans take the §3.2 spellings
(true/false, ja/nej, 1/0, also quoted), never any other string; dates take the three §3.2 formats;
numbers must be numbers (a quoted "37" is refused); codes match case-insensitively and are
stored canonical; `small_cell_min_persons` is at least 3, so suppression cannot be switched off.

Adding a rule key: add it here (with its range) and to ingest/default_rules.yml.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ingest.registers.specs import CAUSES, SCHEMES

SMALL_CELL_MINIMUM = 3  # fewer would let a report show groups of one or two persons
BAND_NAMES = ("kort", "mellem", "lang")
SDP_CATEGORIES = (1, 2, 3)
# Month names for the årshjul (aarshjul) keys: full Danish names and Babel's abbreviations.
MONTHS_DA = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip
AARSHJUL_TOPIC_MAX = 120  # characters: a topic is a line in the wheel's table, not a text
_BOOLEANS = {"true": True, "ja": True, "1": True, "false": False, "nej": False, "0": False}
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


class RulesError(ValueError):
    """A rules or targets file that cannot be used; the message (Danish) names the file, the key
    and what was expected."""


def _fail(kind: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, context or None)


def _boolean(value: Any) -> bool:
    """§3.2 spellings; a YAML `true`/`false` arrives as bool, a quoted "false" as text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _BOOLEANS:
        return _BOOLEANS[value.strip().lower()]
    raise _fail("boolean", "forventede true/false, ja/nej eller 1/0")


def _date(value: Any) -> date:
    """A YAML date, or text in one of the §3.2 date formats."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    raise _fail("date", "forventede en dato (ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ)")


def _code_list(allowed: tuple[str, ...]):
    canonical = {c.lower(): c for c in allowed}

    def check(values: list[str]) -> list[str]:
        out = []
        for value in values:
            code = canonical.get(value.strip().lower())
            if code is None:
                raise _fail(
                    "code",
                    "'{value}' er ikke en kendt kode (tilladt: {allowed})",
                    value=value,
                    allowed=", ".join(allowed),
                )
            if code in out:
                raise _fail("duplicate", "'{value}' står mere end én gang", value=value)
            out.append(code)
        return out

    return check


def _municipality_code(value: Any) -> str:
    # YAML reads an unquoted 615 as a number; the code is text of three digits.
    text = (
        str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    )
    if len(text) != 3 or not text.isdigit():
        raise _fail("municipality_code", 'forventede en kommunekode på 3 cifre, fx "615"')
    return text


def _month(key: Any) -> int:
    """1–12 (also "01"), or a Danish month name or its first three letters ("feb", "feb.")."""
    if isinstance(key, int) and not isinstance(key, bool) and 1 <= key <= 12:
        return key
    if isinstance(key, str):
        text = key.strip().lower().rstrip(".")
        if text.isdigit() and 1 <= int(text) <= 12:
            return int(text)
        for number, name in enumerate(MONTHS_DA, 1):
            if text == name or (len(text) >= 3 and name.startswith(text)):
                return number
    raise _fail(
        "month",
        "'{value}' er ikke en måned (skriv 1–12 eller januar–december)",
        value=str(key),
    )


def _aarshjul(value: Any) -> dict[int, str]:
    """Month → the HMU meeting's topic; a month left out (or null) has no meeting."""
    if not isinstance(value, dict):
        raise _fail("aarshjul", "forventede måned: emne, fx 3: Årlig inklusionsgennemgang")
    out: dict[int, str] = {}
    for key, topic in value.items():
        month = _month(key)
        if month in out:
            raise _fail("duplicate", "{month} står mere end én gang", month=MONTHS_DA[month - 1])
        if topic is None:
            continue
        if not isinstance(topic, str) or not topic.strip():
            raise _fail(
                "aarshjul",
                "{month}: forventede et emne som tekst",
                month=MONTHS_DA[month - 1],
            )
        if len(topic.strip()) > AARSHJUL_TOPIC_MAX:
            raise _fail(
                "aarshjul",
                "{month}: emnet må højst være {n} tegn",
                month=MONTHS_DA[month - 1],
                n=AARSHJUL_TOPIC_MAX,
            )
        out[month] = " ".join(topic.split())
    return dict(sorted(out.items()))


Int = Annotated[int, Strict()]
Number = Annotated[float, Strict()]  # an int is a number too; text is not
Text = Annotated[str, Strict(), Field(min_length=1)]
Bool = Annotated[bool, BeforeValidator(_boolean)]
Date = Annotated[date, BeforeValidator(_date)]
Aarshjul = Annotated[dict[int, str], BeforeValidator(_aarshjul)]
Schemes = Annotated[list[Text], Field(min_length=1), AfterValidator(_code_list(SCHEMES))]
Causes = Annotated[list[Text], Field(min_length=1), AfterValidator(_code_list(CAUSES))]


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Versioned(_Rules):
    """A rule version valid from valid_from through valid_to (open when absent)."""

    name: Text
    valid_from: Date
    valid_to: Date | None = None
    source: Text | None = None

    @field_validator("valid_to")
    @classmethod
    def _not_before_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("valid_from")
        if value is not None and start is not None and value < start:
            raise _fail(
                "end_before_start",
                "ligger før valid_from {start}",
                start=start.isoformat(),
            )
        return value


class LocalQuota(_Rules):
    ratio: Annotated[Number, Field(gt=0, le=100)]
    basis: Literal["headcount", "fte"]
    minimum_allowed: Annotated[Int, Field(ge=0)]
    schemes: Schemes


class StatutoryRatio(_Versioned):
    basis: Literal["headcount", "fte_4m_avg"]
    schemes: Schemes


Band = tuple[Annotated[Int, Field(ge=1)], Annotated[Int, Field(ge=1)] | None]


class Bands(_Rules):
    kort: Band
    mellem: Band
    lang: Band

    @model_validator(mode="after")
    def _cover_every_length(self) -> Bands:
        # Every ended spell must land in exactly one band: kort from day 1, each band starting
        # the day after the one before ends, lang open-ended.
        expected_start = 1
        for name in BAND_NAMES:
            low, high = getattr(self, name)
            last = name == BAND_NAMES[-1]
            if low != expected_start or (high is None) != last or (high is not None and high < low):
                raise _fail(
                    "bands",
                    "kort, mellem og lang skal dække alle længder uden huller eller overlap "
                    "(fx kort: [1, 3], mellem: [4, 28], lang: [29, null]); {name} passer ikke",
                    name=name,
                )
            expected_start = (high or 0) + 1
        return self


class Sickness(_Rules):
    causes: Causes
    bands: Bands
    conversation_trigger_days: Annotated[Int, Field(ge=1, le=365)]


class Retention(_Rules):
    weeks: Annotated[Int, Field(ge=1, le=104)]
    retained_weeks: Annotated[Int, Field(ge=1, le=104)]
    placement_followup_days: Annotated[Int, Field(ge=0, le=3650)]
    employment_min_days: Annotated[Int, Field(ge=1, le=3650)]

    @field_validator("retained_weeks")
    @classmethod
    def _within_weeks(cls, value: int, info: ValidationInfo) -> int:
        weeks = info.data.get("weeks")
        if weeks is not None and value > weeks:
            raise _fail("range", "må højst være weeks ({weeks})", weeks=weeks)
        return value


class FollowupThen(_Rules):
    """Dues after the first: `count` dues within `within_days`, or one every `interval_days`."""

    count: Annotated[Int, Field(ge=1, le=100)] | None = None
    within_days: Annotated[Int, Field(ge=1, le=3650)] | None = None
    interval_days: Annotated[Int, Field(ge=1, le=3650)] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> FollowupThen:
        count_form = self.count is not None and self.within_days is not None
        interval_form = self.interval_days is not None
        if count_form == interval_form or (
            not count_form and (self.count is not None or self.within_days is not None)
        ):
            raise _fail("then", "forventede enten {count, within_days} eller {interval_days}")
        return self


class SdpFollowup(_Versioned):
    first_due_days: Annotated[Int, Field(ge=0, le=3650)]
    fast_track_days: Annotated[Int, Field(ge=0, le=3650)]
    then: FollowupThen
    categories: Annotated[list[Literal[SDP_CATEGORIES]], Field(min_length=1)]  # type: ignore[valid-type]


# Memory sizes as DuckDB reads them: GB = 10⁹ bytes, GiB = 2³⁰ (orchestration/limits.py).
MEMORY_UNITS = {
    "": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3,
    "gb": 1000**3, "t": 1000**4, "tb": 1000**4, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30,
    "tib": 1 << 40,
}  # fmt: skip
MIN_BUILD_MEMORY = 1 << 30  # below this the build's Python processes alone do not fit


def memory_bytes(text: Any) -> int:
    """'4GB', '4 GiB', '3500MB', '1,5 GiB' → bytes; ValueError (Danish) when the text is not a
    size or the size is below 1 GiB. The one reader of a build's memory limit (option,
    environment and this file)."""
    match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*([a-zA-Z]*)\s*", str(text))
    unit = match.group(2).lower() if match else ""
    if not match or unit not in MEMORY_UNITS:
        raise ValueError(
            f"{text!r} er ikke en hukommelsesstørrelse (skriv fx 4GB, 2500MB eller 3GiB)"
        )
    size = int(float(match.group(1).replace(",", ".")) * MEMORY_UNITS[unit])
    if size < MIN_BUILD_MEMORY:
        raise ValueError(f"{text!r} er for lidt; et byg skal have mindst 1 GiB")
    return size


def _memory_limit(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _fail("memory", "forventede en hukommelsesstørrelse, fx 4GB")
    try:
        memory_bytes(value)
    except ValueError as exc:
        raise _fail("memory", str(exc)) from None
    return str(value)


class BuildLimits(_Rules):
    """The build's memory and threads (orchestration/limits.py); `--memory-limit`/`--threads`
    and RUMMELIG_MEMORY_LIMIT/RUMMELIG_THREADS win over these."""

    memory_limit: Annotated[str, BeforeValidator(_memory_limit)] | None = None
    threads: Annotated[Int, Field(ge=1, le=1024)] | None = None


def _unique_names(versions: list[_Versioned]) -> list[_Versioned]:
    names = [v.name for v in versions]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise _fail("duplicate", "versionsnavnet '{name}' står mere end én gang", name=repeated[0])
    return versions


class Rules(_Rules):
    """config/rules.yml merged over ingest/default_rules.yml (docs/domain.md §4)."""

    municipality_code: Annotated[str, BeforeValidator(_municipality_code)]
    full_time_hours: Annotated[Number, Field(gt=0, le=48)]
    dagsvaerk_hours: Annotated[Number, Field(gt=0, le=24)]
    small_cell_min_persons: Annotated[Int, Field(ge=SMALL_CELL_MINIMUM, le=100)]
    history_months: Annotated[Int, Field(ge=0, le=240)]
    local_quota: LocalQuota
    require_inclusion_approval: Bool
    karens_months: Annotated[Int, Field(ge=0, le=60)]
    statutory_ratio: Annotated[list[StatutoryRatio], AfterValidator(_unique_names)]
    sickness: Sickness
    retention: Retention
    sdp_followup: Annotated[list[SdpFollowup], AfterValidator(_unique_names)]
    aarshjul: Aarshjul = Field(default_factory=dict)  # the HMU's annual wheel (hmu report)
    build: BuildLimits = Field(default_factory=BuildLimits)  # memory and threads of a build


# --- messages ----------------------------------------------------------------------------------

_MESSAGES = {
    "missing": "mangler",
    "extra_forbidden": "ukendt nøgle",
    "int_type": "forventede et heltal",
    "float_type": "forventede et tal",
    "string_type": "forventede en tekst",
    "bool_type": "forventede true/false, ja/nej eller 1/0",
    "list_type": "forventede en liste, fx [a, b]",
    "tuple_type": "forventede en liste med to tal, fx [4, 28]",
    "model_type": "forventede en gruppe af nøgler (nøgle: værdi)",
    "model_attributes_type": "forventede en gruppe af nøgler (nøgle: værdi)",
    "dict_type": "forventede en gruppe af nøgler (nøgle: værdi)",
    "string_too_short": "må ikke være tom",
    "too_short": "må ikke være tom",
    "too_long": "har for mange elementer",
    "greater_than": "skal være større end {gt}",
    "greater_than_equal": "skal være mindst {ge}",
    "less_than": "skal være mindre end {lt}",
    "less_than_equal": "må højst være {le}",
}


# Errors whose text already names the value, or that have no single value to show.
_NO_INPUT_SHOWN = {
    "missing", "extra_forbidden", "bands", "then", "code", "duplicate", "month", "aarshjul",
    "memory",
}  # fmt: skip


def _path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(hele filen)"


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a bound of 0.0 reads "0"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _expected(error: dict[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "literal_error":
        return "forventede " + ctx.get("expected", "").replace("'", "").replace(" or ", " eller ")
    if kind in _MESSAGES:
        return _MESSAGES[kind].format(**{k: _shown(v) for k, v in ctx.items()})
    return error["msg"]  # our own PydanticCustomError messages are Danish already


def describe(error: dict[str, Any]) -> str:
    """`<dotted key>: <what was expected> (fik <value>)` for one pydantic error."""
    text = f"{_path(error['loc'])}: {_expected(error)}"
    if error["type"] not in _NO_INPUT_SHOWN:
        text += f" (fik {_shown(error['input'])})"
    return text


def parse_rules(data: dict[str, Any], file_name: str) -> Rules:
    """Validate merged rules; RulesError lists every problem on one line."""
    try:
        return Rules.model_validate(data)
    except ValidationError as exc:
        problems = [describe(e) for e in exc.errors(include_url=False)]
        more = f" (og {len(problems) - 3} fejl mere)" if len(problems) > 3 else ""
        raise RulesError(f"{file_name}: " + "; ".join(problems[:3]) + more) from None
