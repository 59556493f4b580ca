"""The HMU report's Resumé: 5–8 sentences of plain Danish generated from the figures the report
shows below them (never from anything else), so each sentence can be checked against a table.

A sentence whose figure is hidden says so or is left out; none invents a comparison that the
report does not show (e.g. no "mod … i forrige periode" when that period is outside the data).
"""

from __future__ import annotations

from reports.formatting import fmt_date, fmt_int, fmt_number, fmt_pct
from reports.hmu_content import Breaches, Inclusion, OutcomeTable, Quota, Targets
from reports.periods import Period, shifted
from reports.sygefravaer import UnitRow


def _n(count: int, one: str, many: str) -> str:
    return f"{fmt_int(count)} {one if count == 1 else many}"


def previous_words(period: Period) -> str:
    """'udgangen af 2. kvt. 2025' / 'udgangen af 2024': the previous period's snapshot."""
    return f"udgangen af {shifted(period, -1).label}"


def inclusion_sentence(inc: Inclusion) -> str:
    total = inc.by_scheme.total.persons
    when = f"Pr. {fmt_date(inc.snapshot)}"
    if total is None:
        return f"{when} var færre end 5 personer i ekstraordinære forløb."
    if total == 0:
        return f"{when} var ingen personer i ekstraordinære forløb."
    text = f"{when} var {_n(total, 'person', 'personer')} i ekstraordinære forløb"
    if inc.largest_scheme:
        name, count = inc.largest_scheme
        text += f", flest i {name.lower()} ({fmt_int(count)})"
    return text + "."


def quota_sentence(q: Quota, period: Period) -> str:
    over = q.status("over")
    n = len(over.now)
    text = (
        f"{_n(n, 'arbejdsplads', 'arbejdspladser')} er over den lokale kvote pr. "
        f"{fmt_date(q.snapshot)}"
    )
    if over.before is None:
        return text + " (forrige periode ligger før dataenes start)."
    text += f", mod {fmt_int(over.before)} ved {previous_words(period)}"
    changes = []
    if over.entered:
        changes.append(f"{fmt_int(len(over.entered))} er kommet til")
    if over.left:
        changes.append(f"{fmt_int(len(over.left))} er ude igen")
    if changes:
        text += " (" + " og ".join(changes) + ")"
    return text + "."


def watch_sentence(q: Quota) -> str:
    karens = len(q.status("karens").now)
    unapproved = len(q.status("not_approved").now)
    full = len(q.status("at_full").now)
    return (
        f"{_n(karens, 'arbejdsplads', 'arbejdspladser')} er i karensperiode, "
        f"{fmt_int(unapproved)} har ekstraordinært ansatte uden godkendelse, og "
        f"{fmt_int(full)} er på kvoten med ekstraordinært ansatte."
    )


def breach_sentence(b: Breaches, period: Period) -> str:
    text = f"I {period.label} startede "
    text += (
        "ingen forløb med brud på reglerne"
        if b.total == 0
        else (f"{fmt_int(b.total)} forløb med brud på reglerne")
    )
    if b.previous_total is not None:
        text += f", mod {fmt_int(b.previous_total)} i {shifted(period, -1).label}"
        if b.previous_cut:
            text += " (kun delvis med i dataene)"
    if b.total:
        most = max(count for _, count, _ in b.by_type)
        names = [name.lower() for name, count, _ in b.by_type if count == most]
        each = " hver" if len(names) > 1 else ""
        text += f"; hyppigst: {' og '.join(names)} ({fmt_int(most)}{each})"
    return text + "."


def sickness_sentences(rows: list[UnitRow]) -> list[str]:
    top = next(u for u in rows if u.level == 0)
    o, a, i = (top.groups[g].absence_pct for g in ("ordinaere", "alle", "inklusion"))
    if o is None or a is None:
        return ["Sygefraværet for hele kommunen er skjult, fordi for få personer indgår."]
    text = f"Sygefraværet var {fmt_pct(o)} for ordinært ansatte og {fmt_pct(a)} for alle ansatte"
    gap = top.gap_pp
    within = f" (inklusionsansatte: {fmt_pct(i)})" if i is not None else ""
    if gap is None or round(gap, 1) == 0:
        text += f"{within}; inklusionsansatte ændrer ikke kommunens samlede tal mærkbart."
    else:
        way = "op" if gap > 0 else "ned"
        text += (
            f"{within}: inklusionsansattes fravær trækker kommunens samlede tal "
            f"{fmt_number(abs(gap), 1)} procentpoint {way}."
        )
    out = [text]
    areas = [u for u in rows if u.level == 1]
    shown = [u for u in areas if u.gap_pp is not None and round(u.gap_pp, 1) > 0]
    if shown:
        widest = max(shown, key=lambda u: u.gap_pp)
        among = (
            "Blandt de områder, hvor forskellen kan vises, er den størst"
            if any(u.gap_pp is None for u in areas)
            else "Størst er forskellen mellem alle og ordinære"
        )
        out.append(f"{among} i {widest.name}: {fmt_number(widest.gap_pp, 1)} procentpoint.")
    return out


def targets_sentence(t: Targets) -> str:
    cells = [(r, r.current) for r in t.kommune]
    judged = [(r, c) for r, c in cells if c.judgement in ("met", "not_met")]
    with_target = [(r, c) for r, c in cells if c.target_value is not None]
    met = [r for r, c in judged if c.judgement == "met"]
    missed = [r for r, c in judged if c.judgement == "not_met"]
    open_ = len(with_target) - len(judged)
    if not with_target:
        return "Der er ingen måltal for kommunen i perioden."
    text = (
        f"Af {_n(len(with_target), 'måltal', 'måltal')} for kommunen er {fmt_int(len(met))} "
        f"nået og {fmt_int(len(missed))} ikke nået"
    )
    if missed and len(missed) <= 3:
        text += " (" + ", ".join(r.label.lower() for r in missed) + ")"
    if open_:
        text += f"; {fmt_int(open_)} kan ikke vurderes (ingen tal endnu, eller skjult)"
    return text + "."


def outcome_sentence(tables: list[OutcomeTable]) -> str | None:
    retention = next(t for t in tables if t.measure == "retention")
    employment = next(t for t in tables if t.measure == "employment")
    parts = []
    r = retention.total
    if retention.present and r.pct is not None:
        parts.append(
            f"{fmt_pct(r.pct)} af dem, der blev ansat på særlige vilkår eller efter et forløb "
            f"og er fulgt i 26 uger, var i arbejde mindst 13 af ugerne ({fmt_int(r.successes)} "
            f"af {fmt_int(r.cases)})"
        )
    e = employment.total
    if employment.present and e.pct is not None:
        parts.append(
            f"{fmt_pct(e.pct)} af de afsluttede forløb blev fulgt af en ansættelse i kommunen "
            f"({fmt_int(e.successes)} af {fmt_int(e.cases)})"
        )
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def sentences(
    period: Period,
    inclusion: Inclusion,
    quota: Quota,
    breaches: Breaches,
    sickness_rows: list[UnitRow],
    outcomes: list[OutcomeTable],
    targets: Targets,
) -> list[str]:
    """The Resumé, in the order of the report's sections (5–8 sentences)."""
    out = [
        inclusion_sentence(inclusion),
        quota_sentence(quota, period),
        watch_sentence(quota),
        breach_sentence(breaches, period),
        *sickness_sentences(sickness_rows),
    ]
    outcome = outcome_sentence(outcomes)
    if outcome:
        out.append(outcome)
    out.append(targets_sentence(targets))
    return out
