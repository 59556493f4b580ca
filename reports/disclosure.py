"""Statistical disclosure control for every report: primary and complementary suppression.

A report describes what it shows as *cells* (any hashable key, e.g. ("2025", "U000006",
"inklusion")) with a person count each, and the *relations* a reader can use between them, each
`total = Σ parts` (alle = ordinære + inklusion within a unit; parent = own staff + Σ children
within a staff group; a table's total = Σ its rows). `protect()` then decides which cells to hide:

- **primary**: a published cell with 1 … min−1 persons (0 persons reveals nobody and is shown);
- **sensitive unpublished cells**: a cell the report never shows (e.g. a unit's own staff, which
  is parent − Σ children) with 1 … min−1 persons must not become derivable either;
- **complementary**: more published cells are hidden until no hidden cell and no sensitive
  unpublished cell can be worked out exactly by adding and subtracting shown figures along the
  relations. Each step hides the *cheapest* cell (the report's `cost`, lowest first) that makes
  the derivable cell safe, so the reader keeps the figures that matter most to them.

Exact derivability is linear algebra: with the shown cells as constants, each relation is an
equation over the unknown cells; a cell is derivable exactly when its unit vector lies in the
row space of those equations. `derivable()` decides it with exact rational elimination, per
connected group of unknown cells (so a whole municipality costs little).

Limits (docs/decisions/reports.md): only the relations a report declares are considered, and
only exact recovery is prevented (no protection intervals).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

NOTICE_DA = (
    "Nogle tal er skjult („–“) for at beskytte enkeltpersoner: grupper med færre end "
    "{min_persons} personer, og de tal, som et skjult tal ellers kunne regnes ud fra."
)
# Reports that count workplaces' staff by rule (the quota's operands), not persons by a personal
# attribute, show every figure; they say so in the place where the others explain hiding.
EXEMPT_WORKPLACE_DA = (
    "Ingen tal er skjult: rapporten viser arbejdspladsernes bemanding, som kvotereglerne bygger "
    "på, men ingen personer og ikke det enkelte forløbs ordning, så intet tal peger på en person."
)
# Figures that a publisher has already hidden (jobindsats.dk) stay hidden.
PUBLISHER_SUPPRESSED_DA = (
    "Tal, som jobindsats.dk har skjult for at beskytte enkeltpersoner, vises som „–“; "
    "rapporten regner dem aldrig ud og tæller dem ikke med i placeringen."
)


@dataclass(frozen=True)
class Relation:
    """total = Σ parts, for every additive measure of the cells (persons, hours, days …)."""

    total: Hashable
    parts: tuple[Hashable, ...]

    def cells(self) -> tuple[Hashable, ...]:
        return (self.total, *self.parts)

    def coefficients(self) -> dict[Hashable, int]:
        coef: dict[Hashable, int] = {self.total: 1}
        for p in self.parts:
            coef[p] = coef.get(p, 0) - 1
        return coef


@dataclass
class Protection:
    """The outcome of `protect`: which published cells are hidden, and why."""

    primary: set[Hashable] = field(default_factory=set)
    complementary: set[Hashable] = field(default_factory=set)
    sensitive_unpublished: set[Hashable] = field(default_factory=set)

    @property
    def hidden(self) -> set[Hashable]:
        return self.primary | self.complementary

    def is_hidden(self, key: Hashable) -> bool:
        return key in self.primary or key in self.complementary

    def shown(self, key: Hashable, value):
        """`value`, or None when the cell is hidden."""
        return None if self.is_hidden(key) else value

    def merge(self, other: Protection) -> Protection:
        return Protection(
            self.primary | other.primary,
            self.complementary | other.complementary,
            self.sensitive_unpublished | other.sensitive_unpublished,
        )


def is_small(persons: int | None, min_persons: int) -> bool:
    """1 … min−1 persons: a group that could point at individuals. None counts as small."""
    return persons is None or 0 < persons < min_persons


def _components(unknown: set[Hashable], relations: list[Relation]) -> list[set[Hashable]]:
    """Groups of unknown cells linked by relations (union-find)."""
    parent = {k: k for k in unknown}

    def find(k: Hashable) -> Hashable:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for rel in relations:
        ks = [k for k in rel.cells() if k in unknown]
        for a, b in zip(ks, ks[1:], strict=False):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
    groups: dict[Hashable, set[Hashable]] = {}
    for k in unknown:
        groups.setdefault(find(k), set()).add(k)
    return list(groups.values())


def _subtract(
    target: dict[int, Fraction], factor: Fraction | None, row: dict[int, Fraction]
) -> None:
    """target -= factor · row, in place, on sparse rows (zeros dropped; no-op for factor 0)."""
    if not factor:
        return
    for c, v in row.items():
        nv = target.get(c, 0) - factor * v
        if nv:
            target[c] = nv
        else:
            target.pop(c, None)


def _rref(rows: list[dict[int, Fraction]]) -> list[tuple[int, dict[int, Fraction]]]:
    """Reduced row echelon form of sparse rows: [(pivot column, row)]."""
    basis: list[tuple[int, dict[int, Fraction]]] = []
    for row in rows:
        row = dict(row)
        for pivot, brow in basis:
            _subtract(row, row.get(pivot), brow)
        if not row:
            continue
        pivot = min(row)
        scale = row[pivot]
        row = {c: v / scale for c, v in row.items()}
        # keep the basis reduced: eliminate the new pivot from the earlier rows
        for _, brow in basis:
            _subtract(brow, brow.get(pivot), row)
        basis.append((pivot, row))
    return basis


def _in_row_space(col: int, basis: list[tuple[int, dict[int, Fraction]]]) -> bool:
    """Is the unit vector e_col a combination of the basis rows?"""
    vec: dict[int, Fraction] = {col: Fraction(1)}
    for pivot, row in basis:
        _subtract(vec, vec.get(pivot), row)
    return not vec


def derivable(
    known: Iterable[Hashable], relations: Iterable[Relation], targets: Iterable[Hashable]
) -> set[Hashable]:
    """The targets whose exact value follows from the known cells through the relations.

    Every key in a relation that is not known is an unknown. A target that is known is
    (trivially) derivable; a target in no relation is not.
    """
    known = set(known)
    relations = list(relations)
    targets = set(targets)
    out = targets & known
    unknown = {k for r in relations for k in r.cells() if k not in known}
    for component in _components(unknown, relations):
        wanted = component & targets
        if not wanted:
            continue
        index = {k: i for i, k in enumerate(sorted(component, key=repr))}
        rows = []
        for rel in relations:
            coef = {index[k]: Fraction(v) for k, v in rel.coefficients().items() if k in index}
            if coef:
                rows.append(coef)
        basis = _rref(rows)
        out |= {k for k in wanted if _in_row_space(index[k], basis)}
    return out


def protect(
    persons: Mapping[Hashable, int | None],
    relations: Iterable[Relation],
    min_persons: int,
    *,
    cost: Callable[[Hashable], tuple] | None = None,
    unpublished: Iterable[Hashable] = (),
    primary: Iterable[Hashable] | None = None,
) -> Protection:
    """Choose the cells to hide (see the module docstring).

    persons: every cell's person count (published and unpublished cells alike; None = unknown,
    treated as small). primary: the published cells hidden to begin with; default: the small ones.
    cost(key): lower is hidden first; default: fewest persons first, an empty cell last (a
    hidden 0 protects little: counts are never negative).
    """
    relations = list(relations)
    unpublished = set(unpublished)
    published = {k for k in persons if k not in unpublished}
    if primary is None:
        primary = {k for k in published if is_small(persons[k], min_persons)}
    result = Protection(primary=set(primary) & published)
    result.sensitive_unpublished = {k for k in unpublished if is_small(persons.get(k), min_persons)}
    # An unpublished cell with nobody in it is a known zero; any other one is unknown.
    zero_unpublished = {k for k in unpublished if persons.get(k) == 0}
    if cost is None:

        def cost(k: Hashable) -> tuple:
            return (persons.get(k) == 0, persons.get(k) or 0, repr(k))

    def unsafe() -> list[Hashable]:
        known = (published - result.hidden) | zero_unpublished
        must = result.hidden | result.sensitive_unpublished
        return sorted(derivable(known, relations, must), key=cost)

    by_key: dict[Hashable, list[Relation]] = {}
    for rel in relations:
        for k in rel.cells():
            by_key.setdefault(k, []).append(rel)

    while True:
        # The common case first: a relation in which a protected cell is the only unknown gives
        # it away directly; hide the cheapest shown cell of that very relation.
        if _hide_in_single_unknown_relations(relations, published, zero_unpublished, result, cost):
            continue
        todo = unsafe()  # derivations through several relations at once
        if not todo:
            return result
        target = todo[0]
        candidates = _candidates(target, by_key, published - result.hidden)
        if not candidates:
            raise RuntimeError(f"no cell left to protect {target!r}")  # see the tests
        for c in sorted(candidates, key=cost):
            result.complementary.add(c)
            known = (published - result.hidden) | zero_unpublished
            if target not in derivable(known, relations, [target]):
                break
            result.complementary.discard(c)
        else:  # no single cell is enough: hide the cheapest and look again
            result.complementary.add(min(candidates, key=cost))


def _hide_in_single_unknown_relations(
    relations: list[Relation],
    published: set[Hashable],
    zero_unpublished: set[Hashable],
    result: Protection,
    cost: Callable[[Hashable], tuple],
) -> bool:
    changed = False
    for rel in relations:
        known = (published - result.hidden) | zero_unpublished
        unknown = [k for k in rel.cells() if k not in known]
        if len(unknown) != 1:
            continue
        if unknown[0] not in result.hidden and unknown[0] not in result.sensitive_unpublished:
            continue
        shown = [k for k in rel.cells() if k in published and k not in result.hidden]
        if shown:
            result.complementary.add(min(shown, key=cost))
            changed = True
    return changed


def _candidates(
    target: Hashable, by_key: dict[Hashable, list[Relation]], shown: set[Hashable]
) -> set[Hashable]:
    """Shown cells in the relations that reach `target` through unknown cells."""
    seen, frontier, out = {target}, [target], set()
    while frontier:
        k = frontier.pop()
        for rel in by_key.get(k, []):
            for other in rel.cells():
                if other in seen:
                    continue
                seen.add(other)
                if other in shown:
                    out.add(other)
                else:
                    frontier.append(other)
    return out


def protect_column(
    counts: list[int | None], total: int | None, min_persons: int
) -> tuple[list[int | None], int | None]:
    """A table column of person counts with its total shown below: (shown counts, shown total).

    The total is kept unless it is itself small; the smallest rows are hidden first.
    """
    keys = [("row", i) for i in range(len(counts))]
    persons: dict[Hashable, int | None] = dict(zip(keys, counts, strict=True))
    persons[("total",)] = total
    rel = Relation(("total",), tuple(keys))

    def cost(k: Hashable) -> tuple:
        return (k == ("total",), persons[k] == 0, persons[k] or 0, repr(k))

    p = protect(persons, [rel], min_persons, cost=cost)
    return [p.shown(k, c) for k, c in zip(keys, counts, strict=True)], p.shown(("total",), total)
