"""The landing folder's README.txt (states that the data is synthetic and lists the deliberate
bad rows in a machine-readable block) and a minimal config/rules.yml."""

from __future__ import annotations

from synthetic.bad_rows import BadRow
from synthetic.core import Settings

README_MARKER = "SYNTETISKE DATA"
BAD_ROWS_BEGIN = "BEGIN BAD ROWS"
BAD_ROWS_END = "END BAD ROWS"
BAD_ROWS_HEADER = "file;register;key;row_number;column;reason;severity"


def readme_text(s: Settings, written: dict[str, int], bad: list[tuple[str, object, int]]) -> str:
    lines = [
        f"{README_MARKER} – ikke rigtige personer, arbejdspladser eller tal.",
        "",
        f"Syntetisk kommune: {s.municipality_name} Kommune (kode {s.municipality_code}).",
        "Skrevet af Rummeligs generator (synthetic/), deterministisk ud fra parametrene:",
        f"  seed={s.seed} employees={s.employees} start={s.start.isoformat()} "
        f"as_of={s.as_of.isoformat()}",
        "Alle CPR-numre er opdigtede (gyldig dato og århundredeciffer, ingen modulus 11-kontrol).",
        "Alle P-numre, navne og jobindsats-tal er opdigtede.",
        "",
        "Filer (datarækker):",
        *[f"  {name}: {rows}" for name, rows in sorted(written.items())],
        "",
        "Bevidst forkerte rækker (skal i karantæne ved indlæsning; row_number 1 = første",
        "datarække i filen):",
        BAD_ROWS_BEGIN,
        BAD_ROWS_HEADER,
    ]
    for file_name, row, number in bad:
        assert isinstance(row, BadRow)
        lines.append(
            f"{file_name};{row.register};{row.key};{number};{row.column};{row.reason};"
            f"{row.severity}"
        )
    lines.append(BAD_ROWS_END)
    lines += ["", "Forklaring:"]
    lines += [f"  {row.register} {row.key}: {row.note}" for _, row, _ in bad]  # type: ignore[attr-defined]
    return "\n".join(lines) + "\n"


def rules_yaml(s: Settings) -> str:
    return (
        f"# {README_MARKER}: regler for den syntetiske kommune. Alt andet følger standarderne.\n"
        f'municipality_code: "{s.municipality_code}"\n'
    )
