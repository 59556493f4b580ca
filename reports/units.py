"""Finding an org unit the way a user names it: by id, by name (case-insensitive) or by a unique
beginning of its name; an unknown name lists the closest matches."""

from __future__ import annotations

import difflib

import duckdb

from reports.errors import ReportError
from reports.warehouse import records


def find_unit(conn: duckdb.DuckDBPyConnection, text: str) -> dict:
    """The unit row (org_unit_id, name, path, level) that `text` names; else a ReportError."""
    units = records(
        conn, "select org_unit_id, name, path, level from marts.dim_org_unit order by path"
    )
    wanted = " ".join(str(text).split()).casefold()
    for key in ("org_unit_id", "name"):
        exact = [u for u in units if (u[key] or "").casefold() == wanted]
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise ReportError(_ambiguous(text, exact))
    prefix = [u for u in units if (u["name"] or "").casefold().startswith(wanted)]
    if len(prefix) == 1:
        return prefix[0]
    if prefix:
        raise ReportError(_ambiguous(text, prefix))
    names = {(u["name"] or "").casefold(): u for u in units}
    close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.6)
    contains = [u for u in units if wanted and wanted in (u["name"] or "").casefold()]
    listed = list({u["org_unit_id"]: u for u in [names[c] for c in close] + contains}.values())
    msg = f"Enheden {text!r} findes ikke i organisationen."
    if listed:
        msg += " Mente du: " + "; ".join(_named(u) for u in listed[:5]) + "?"
    raise ReportError(msg)


def _named(u: dict) -> str:
    return f"{u['name']} ({u['org_unit_id']})"


def _ambiguous(text: str, units: list[dict]) -> str:
    shown = "; ".join(_named(u) for u in units[:8])
    more = f" og {len(units) - 8} flere" if len(units) > 8 else ""
    return f"{text!r} passer på flere enheder: {shown}{more}. Skriv mere af navnet eller id'et."
