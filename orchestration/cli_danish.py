"""Click in Danish: its own texts ("Usage", "Options", errors) and metavars.

Click marks its texts for gettext (`from gettext import gettext as _` in each module). `install()`
points those names at a Danish catalogue, so help and errors come out in one language without a
compiled .mo file. `DanishGroup` / `DanishCommand` give Danish metavars ([TILVALG], KOMMANDO,
TEKST, STI …). A text missing from the catalogue stays English (a test lists Click's texts).
"""

from __future__ import annotations

import click

DANISH: dict[str, str] = {
    "Usage:": "Brug:",
    "Options": "Tilvalg",
    "Commands": "Kommandoer",
    "Positional arguments": "Argumenter",
    "Show this message and exit.": "Vis denne hjælp og afslut.",
    "Show the version and exit.": "Vis versionen og afslut.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Aborted!": "Afbrudt!",
    "Error: {message}": "Fejl: {message}",
    "Try '{command} {option}' for help.": "Prøv '{command} {option}' for at få hjælp.",
    "Missing argument": "Mangler argument",
    "Missing option": "Mangler tilvalg",
    "Missing parameter": "Mangler parameter",
    "Missing {param_type}": "Mangler {param_type}",
    "Missing parameter: {param_name}": "Mangler parameter: {param_name}",
    "Missing command.": "Mangler en kommando.",
    "argument": "argument",
    "option": "tilvalg",
    "parameter": "parameter",
    "No such command {name!r}.": "Kommandoen {name!r} findes ikke.",
    "No such option: {name}": "Tilvalget {name} findes ikke.",
    "No such option {name!r}.": "Tilvalget {name!r} findes ikke.",
    "Invalid value for {param_hint}: {message}": "Ugyldig værdi for {param_hint}: {message}",
    "Invalid value: {message}": "Ugyldig værdi: {message}",
    "Option {name!r} requires an argument.": "Tilvalget {name!r} kræver en værdi.",
    "Option {name!r} requires {nargs} arguments.": "Tilvalget {name!r} kræver {nargs} værdier.",
    "Option {name!r} does not take a value.": "Tilvalget {name!r} tager ingen værdi.",
    "Got unexpected extra argument ({args})": "Uventet ekstra argument ({args})",
    "Got unexpected extra arguments ({args})": "Uventede ekstra argumenter ({args})",
    "Did you mean {possibility}?": "Mente du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Mente du en af: {possibilities}?)",
    "{value!r} is not a valid {number_type}.": "{value!r} er ikke et gyldigt tal.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} er ikke ja/nej. Gyldige værdier: {states}"
    ),
    "{value!r} is not one of {choices}.": "{value!r} er ikke en af {choices}.",
    "{value!r} is not {choice}.": "{value!r} er ikke {choice}.",
    "{value} is not in the range {range}.": "{value} ligger ikke i intervallet {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} findes ikke.",
    "{name} {filename!r} is a file.": "{name} {filename!r} er en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} er en mappe.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan ikke læses.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan ikke skrives.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} kan ikke køres.",
    "file": "fil",
    "directory": "mappe",
    "path": "sti",
    "Could not open file {filename!r}: {message}": "Kunne ikke åbne filen {filename!r}: {message}",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljøvariabel: {var}",
    "required": "påkrævet",
    "(dynamic)": "(beregnes)",
    "deprecated": "udgået",
    "unknown error": "ukendt fejl",
    "Do you want to continue?": "Vil du fortsætte?",
    "Confirm the action without prompting.": "Bekræft uden at spørge.",
    "Choice({choices})": "Valg({choices})",
    "Choose from:\n\t{choices}": "Vælg mellem:\n\t{choices}",
    "Value must be an iterable.": "Værdien skal være en liste.",
    "{value!r} is not a valid UUID.": "{value!r} er ikke et gyldigt UUID.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tager {nargs} værdier.",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Advarsel: Kommandoen {name!r} udgår.{extra_message}"
    ),
    "Press any key to continue...": "Tryk på en tast for at fortsætte …",
}

METAVARS = {
    "text": "TEKST",
    "integer": "HELTAL",
    "float": "TAL",
    "path": "STI",
    "boolean": "JA/NEJ",
    "choice": "VALG",
}

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


def gettext(message: str) -> str:
    return DANISH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Point Click's gettext names at the Danish catalogue (idempotent)."""
    import importlib

    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


def _danish_metavars(params: list[click.Parameter]) -> None:
    for p in params:
        if p.metavar is None and not getattr(p, "is_flag", False):
            name = getattr(p.type, "name", "")
            if name in METAVARS:
                p.metavar = METAVARS[name]


class DanishCommand(click.Command):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[TILVALG]")
        super().__init__(*args, **kwargs)
        _danish_metavars(self.params)


class DanishGroup(click.Group):
    command_class = DanishCommand

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[TILVALG]")
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENTER] ...")
        super().__init__(*args, **kwargs)
        _danish_metavars(self.params)


install()
