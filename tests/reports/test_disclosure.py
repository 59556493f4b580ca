"""reports.disclosure: primary and complementary suppression, checked against an independent
audit (tests/support/disclosure_audit.py) on hand cases and on random hierarchies."""

from __future__ import annotations

import random

import pytest

from reports.disclosure import Relation, derivable, protect, protect_column
from tests.support.disclosure_audit import audit


def _rels(relations: list[Relation]) -> list[tuple]:
    return [(r.total, r.parts) for r in relations]


def test_the_old_sygefravaer_case_is_derivable_and_the_audit_says_so():
    """Negative control: K ordinære 9 = own 0 + A 5 + B 4 with K and A shown and B hidden."""
    rel = [Relation("K", ("own_K", "A", "B"))]
    known = {"K", "A", "own_K"}  # own_K: K has no staff of its own, a known zero
    assert derivable(known, rel, {"B"}) == {"B"}
    assert audit(known, _rels(rel), {"B"}) == {"B"}
    # with K's own staff unknown (non-zero), B cannot be isolated
    assert derivable({"K", "A"}, rel, {"B"}) == set()
    assert audit({"K", "A"}, _rels(rel), {"B"}) == set()


def test_a_unit_with_one_inclusion_employee_loses_alle_not_ordinaere():
    persons = {("K", "alle"): 12, ("K", "ordinaere"): 11, ("K", "inklusion"): 1}
    rel = [Relation(("K", "alle"), (("K", "ordinaere"), ("K", "inklusion")))]
    order = {"inklusion": 0, "alle": 1, "ordinaere": 2}
    p = protect(persons, rel, 5, cost=lambda k: (order[k[1]],))
    assert p.primary == {("K", "inklusion")}
    assert p.complementary == {("K", "alle")}


def test_own_staff_that_is_small_is_protected_too():
    """P (20) = own (3, never shown) + A (9) + B (8): showing all three gives own away."""
    persons = {"P": 20, "own": 3, "A": 9, "B": 8}
    rel = [Relation("P", ("own", "A", "B"))]
    p = protect(persons, rel, 5, unpublished={"own"}, cost=lambda k: (k == "P", persons[k]))
    assert p.sensitive_unpublished == {"own"}
    assert p.complementary == {"B"}  # the smaller child, not the parent
    assert audit({"P", "A"}, _rels(rel), {"own", "B"}) == set()


@pytest.mark.parametrize(
    ("counts", "total", "expected"),
    [
        ([10, 20, 30], 60, ([10, 20, 30], 60)),
        ([3, 20, 30], 53, ([None, None, 30], 53)),  # one small row → the next smallest too
        ([3, 2, 30], 35, ([None, None, 30], 35)),  # two small rows protect each other
        ([0, 3, 8], 11, ([0, None, None], 11)),  # a 0 shows nobody and is a poor complement
        ([0, 0, 3], 3, ([0, 0, None], None)),  # a small total is hidden itself
    ],
)
def test_protect_column(counts, total, expected):
    assert protect_column(counts, total, 5) == expected


def _random_hierarchy(rng: random.Random, n_units: int):
    """Units in a tree, each with own staff per group and alle = ordinære + inklusion."""
    parent = {0: None}
    for u in range(1, n_units):
        parent[u] = rng.randrange(u)
    own = {
        (u, g): rng.choice([0, 0, 1, 2, 3, 4, 6, 9, 15])
        for u in parent
        for g in ("ordinaere", "inklusion")
    }
    subtree: dict = {}
    for u in sorted(parent, reverse=True):
        for g in ("ordinaere", "inklusion"):
            kids = [c for c in parent if parent[c] == u]
            subtree[(u, g)] = own[(u, g)] + sum(subtree[(c, g)] for c in kids)
    persons, relations, unpublished = {}, [], set()
    for u in parent:
        o, i = subtree[(u, "ordinaere")], subtree[(u, "inklusion")]
        persons.update({(u, "ordinaere"): o, (u, "inklusion"): i, (u, "alle"): o + i})
        relations.append(Relation((u, "alle"), ((u, "ordinaere"), (u, "inklusion"))))
        kids = [c for c in parent if parent[c] == u]
        if kids:
            for g in ("ordinaere", "inklusion", "alle"):
                value = (
                    own[(u, g)] if g != "alle" else own[(u, "ordinaere")] + own[(u, "inklusion")]
                )
                persons[("own", u, g)] = value
                unpublished.add(("own", u, g))
                relations.append(Relation((u, g), (("own", u, g), *((c, g) for c in kids))))
            relations.append(
                Relation(("own", u, "alle"), (("own", u, "ordinaere"), ("own", u, "inklusion")))
            )
    return persons, relations, unpublished


@pytest.mark.parametrize("seed", range(25))
def test_random_hierarchies_leave_nothing_derivable(seed):
    rng = random.Random(seed)
    persons, relations, unpublished = _random_hierarchy(rng, rng.randint(2, 14))
    p = protect(persons, relations, 5, unpublished=unpublished)
    published = set(persons) - unpublished
    known = (published - p.hidden) | {k for k in unpublished if persons[k] == 0}
    must = p.hidden | p.sensitive_unpublished
    assert audit(known, _rels(relations), must) == set()
    # every small published cell is hidden, and nothing else is hidden without need
    assert {k for k in published if 0 < persons[k] < 5} <= p.hidden
    assert p.primary == {k for k in published if 0 < persons[k] < 5}
