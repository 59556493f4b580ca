"""What in the landing folder is a delivery (docs/domain.md §3.1), and why the rest is ignored.

Read: `registers/*.csv` (the register is the name's prefix), `jobindsats/*.csv|xlsx|json`,
`config/rules.yml` and `config/targets.csv`. Everything else is listed as ignored with a Danish
reason, never read and never silently skipped: a backup copy such as `engagements.csv.bak` or
`engagements.csv~` must not override the real file, and a register in a sub-folder
(`registers/engagements/…`) or beside `registers/` must show up in the build summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.cpr_mask import CPR_IN_TEXT, mask_cpr

REGISTER_SUFFIXES = (".csv",)
JOBINDSATS_SUFFIXES = (".csv", ".xlsx", ".json")
CONFIG_FILES = ("rules.yml", "targets.csv")
FOLDERS = ("registers", "jobindsats", "config")

# Copies and lock files that editors, Excel and LibreOffice leave behind.
_BACKUP = re.compile(r"(~|\.(bak|backup|old|orig|tmp|swp|part|crdownload))$", re.IGNORECASE)
_TEMPORARY_PREFIXES = ("~$", ".~lock.")


@dataclass(frozen=True)
class Ignored:
    """A file or folder in the landing folder that is not read. `path` is relative to the
    landing folder and CPR-masked (a CPR in a file name must not reach the summary)."""

    path: str
    reason: str

    def line(self) -> str:
        return f"{self.path}: {self.reason}"


def _relative(path: Path, landing: Path | None) -> str:
    try:
        shown = path.relative_to(landing) if landing else Path(path.name)
    except ValueError:
        shown = Path(path.name)
    return mask_cpr(shown.as_posix() + ("/" if path.is_dir() else "")) or ""


def _why_not(path: Path, suffixes: tuple[str, ...], what: str) -> str | None:
    """Why `path` is not a delivery of this folder, or None when it is one."""
    name = path.name
    if path.is_dir():
        return f"undermappe; {what} læses kun direkte i mappen, ikke i undermapper"
    if not path.is_file():
        return "hverken en fil eller en mappe"
    if name.startswith(_TEMPORARY_PREFIXES):
        return "midlertidig låsefil fra Excel/LibreOffice"
    if _BACKUP.search(name):
        return "sikkerhedskopi eller midlertidig fil (ikke en leverance)"
    if name.startswith("."):
        return "skjult fil"
    if not name.lower().endswith(suffixes):
        return f"ikke en {'/'.join(suffixes)}-fil"
    if re.search(CPR_IN_TEXT, name):
        return "filnavnet indeholder et CPR-nummer; omdøb filen (den er ikke læst)"
    return None


def delivered_files(
    folder: Path, suffixes: tuple[str, ...], what: str, landing: Path | None = None
) -> tuple[list[Path], list[Ignored]]:
    """The deliveries directly in `folder` in file-name order, and everything else with why."""
    if not folder.is_dir():
        return [], []
    files: list[Path] = []
    ignored: list[Ignored] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        reason = _why_not(path, suffixes, what)
        if reason is None:
            files.append(path)
        else:
            ignored.append(Ignored(_relative(path, landing), reason))
    return files, ignored


def stray_entries(landing: Path) -> list[Ignored]:
    """Files and folders beside registers/, jobindsats/, config/, and unknown files in config/."""
    ignored: list[Ignored] = []
    for path in sorted(landing.iterdir(), key=lambda p: p.name):
        if path.name in FOLDERS and path.is_dir():
            continue
        if path.suffix.lower() == ".csv":
            reason = "ligger uden for registers/; registerfiler læses kun i registers/"
        else:
            reason = "ikke en del af en leverance (kun registers/, jobindsats/ og config/ læses)"
        ignored.append(Ignored(_relative(path, landing), reason))
    config = landing / "config"
    if config.is_dir():
        for path in sorted(config.iterdir(), key=lambda p: p.name):
            if path.name in CONFIG_FILES and path.is_file():
                continue
            reason = "ukendt konfigurationsfil (kun rules.yml og targets.csv læses)"
            ignored.append(Ignored(_relative(path, landing), reason))
    return ignored
