"""An independent audit of disclosure control, for tests: floating-point rank tests (numpy)
instead of the exact elimination in reports/disclosure.py, so the two check each other.

A cell x_s is derivable from the shown cells through linear relations exactly when the unit
vector e_s lies in the row space of the relations restricted to the unknown cells, i.e. when
adding e_s as a row does not raise the rank.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np


def audit(
    known: Iterable[Hashable],
    relations: Iterable[tuple[Hashable, Iterable[Hashable]]],
    protected: Iterable[Hashable],
) -> set[Hashable]:
    """The protected cells that `relations` (total, parts) give away from the `known` cells."""
    known = set(known)
    rels = [(t, list(p)) for t, p in relations]
    unknown = sorted({k for t, p in rels for k in [t, *p] if k not in known}, key=repr)
    col = {k: i for i, k in enumerate(unknown)}
    rows = []
    for total, parts in rels:
        row = np.zeros(len(unknown))
        for k, sign in [(total, 1.0)] + [(p, -1.0) for p in parts]:
            if k in col:
                row[col[k]] += sign
        if row.any():
            rows.append(row)
    out = {k for k in protected if k in known}
    if not rows:
        return out
    a = np.array(rows)
    rank = np.linalg.matrix_rank(a)
    for k in protected:
        if k in col:
            e = np.zeros((1, len(unknown)))
            e[0, col[k]] = 1.0
            if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
                out.add(k)
    return out
