"""config/rules.yml against its schema (ingest/rules_schema.py): every problem is one Danish line
naming the file, the key as a dotted path and what was expected."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest

from ingest.raw_schema import create_raw_schema
from ingest.rules import DEFAULT_RULES_FILE, load_rules, merged_rules, rules_tables
from ingest.rules_schema import RulesError


def _rules_file(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "rules.yml"
    path.write_bytes(text.encode(encoding))
    return path


def _error(tmp_path, text: str, encoding: str = "utf-8") -> str:
    with pytest.raises(RulesError) as caught:
        merged_rules(_rules_file(tmp_path, text, encoding))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_the_default_rules_validate_and_become_the_documented_tables():
    rules = merged_rules(None)
    tables = rules_tables(rules)
    general = tables["rules_general"].row(0, named=True)
    assert general == {
        "municipality_code": "615",
        "full_time_hours": 37.0,
        "dagsvaerk_hours": 7.4,
        "small_cell_min_persons": 5,
        "history_months": 36,
        "local_quota_ratio": 5.0,
        "local_quota_basis": "headcount",
        "local_quota_minimum_allowed": 0,
        "require_inclusion_approval": True,
        "karens_months": 3,
        "conversation_trigger_days": 6,
        "retention_weeks": 26,
        "retention_retained_weeks": 13,
        "placement_followup_days": 90,
        "employment_min_days": 28,
    }
    assert tables["rules_sickness_bands"].rows() == [
        ("kort", 1, 3),
        ("mellem", 4, 28),
        ("lang", 29, None),
    ]
    assert tables["rules_statutory_ratio"].select("name", "valid_from", "valid_to").rows() == [
        ("bek_2636_2021", date(2022, 1, 1), None),
        ("bek_1297_2017", date(2000, 1, 1), date(2021, 12, 31)),
    ]
    sdp = tables["rules_sdp_followup"]
    assert sdp.select("name", "then_count", "then_within_days", "then_interval_days").rows() == [
        ("sdp_2023", 3, 182, None),
        ("sdp_2014", None, None, 28),
    ]
    codes = tables["rules_code_sets"]
    assert codes.filter(pl.col("rule_set") == "sdp_categories")["code"].to_list() == [
        "2", "3", "2", "3"
    ]  # fmt: skip
    assert len(codes.filter(pl.col("rule_set") == "local_quota_schemes")) == 8


def test_the_defaults_file_itself_is_valid_yaml_of_the_schema():
    from ingest.rules import read_rules_file
    from ingest.rules_schema import parse_rules

    assert parse_rules(read_rules_file(DEFAULT_RULES_FILE), DEFAULT_RULES_FILE.name)


def test_a_group_is_merged_key_by_key_and_a_list_replaced_whole(tmp_path):
    rules = merged_rules(
        _rules_file(
            tmp_path,
            "local_quota: {ratio: 4}\n"
            "statutory_ratio:\n"
            "  - {name: egen, valid_from: 01-01-2020, basis: headcount, schemes: [Nyttejob]}\n",
        )
    )
    assert (rules.local_quota.ratio, rules.local_quota.basis) == (4, "headcount")
    assert [(v.name, v.valid_from, v.schemes) for v in rules.statutory_ratio] == [
        ("egen", date(2020, 1, 1), ["nyttejob"])
    ]


def test_an_empty_file_keeps_the_defaults(tmp_path):
    assert merged_rules(_rules_file(tmp_path, "# intet\n")) == merged_rules(None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('require_inclusion_approval: "false"\n', False),
        ("require_inclusion_approval: 'Nej'\n", False),
        ('require_inclusion_approval: "0"\n', False),
        ("require_inclusion_approval: 0\n", False),
        ("require_inclusion_approval: false\n", False),
        ('require_inclusion_approval: "ja"\n', True),
        ("require_inclusion_approval: 1\n", True),
        ('require_inclusion_approval: " TRUE "\n', True),
    ],
)
def test_booleans_take_the_csv_dialect_spellings_also_quoted(tmp_path, text, expected):
    assert merged_rules(_rules_file(tmp_path, text)).require_inclusion_approval is expected


def test_a_quoted_false_is_stored_false(tmp_path):
    with duckdb.connect() as conn:
        create_raw_schema(conn)
        load_rules(conn, _rules_file(tmp_path, 'require_inclusion_approval: "false"\n'))
        got = conn.execute("SELECT require_inclusion_approval FROM raw.rules_general").fetchall()
    assert got == [(False,)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # YAML and encoding
        ("history_months: 12\nlocal_quota: {ratio: 4\nkarens_months: 3\n",
         "rules.yml linje 3, kolonne 14: ikke gyldig YAML (expected ',' or '}', but got ':')"),
        ("- municipality_code: 615\n",
         "rules.yml: forventede regelnavne med værdier (nøgle: værdi) øverst i filen"),
        # types
        ('full_time_hours: "37"\n', "rules.yml: full_time_hours: forventede et tal (fik '37')"),
        ("history_months: 3.5\n", "rules.yml: history_months: forventede et heltal (fik 3.5)"),
        ("karens_months: true\n", "rules.yml: karens_months: forventede et heltal (fik True)"),
        ("local_quota: 5\n",
         "rules.yml: local_quota: forventede en gruppe af nøgler (nøgle: værdi) (fik 5)"),
        ("sickness: {causes: egen_sygdom}\n",
         "rules.yml: sickness.causes: forventede en liste, fx [a, b] (fik 'egen_sygdom')"),
        ('require_inclusion_approval: "maaske"\n',
         "rules.yml: require_inclusion_approval: forventede true/false, ja/nej eller 1/0 "
         "(fik 'maaske')"),
        ('require_inclusion_approval: "yes"\n',
         "rules.yml: require_inclusion_approval: forventede true/false, ja/nej eller 1/0 "
         "(fik 'yes')"),
        # ranges
        ("small_cell_min_persons: -1\n",
         "rules.yml: small_cell_min_persons: skal være mindst 3 (fik -1)"),
        ("small_cell_min_persons: 2\n",
         "rules.yml: small_cell_min_persons: skal være mindst 3 (fik 2)"),
        ("full_time_hours: 0\n", "rules.yml: full_time_hours: skal være større end 0 (fik 0)"),
        ("full_time_hours: 60\n", "rules.yml: full_time_hours: må højst være 48 (fik 60)"),
        ("local_quota: {ratio: 0}\n",
         "rules.yml: local_quota.ratio: skal være større end 0 (fik 0)"),
        ("retention: {retained_weeks: 27}\n",
         "rules.yml: retention.retained_weeks: må højst være weeks (26) (fik 27)"),
        ("municipality_code: 61\n",
         'rules.yml: municipality_code: forventede en kommunekode på 3 cifre, fx "615" (fik 61)'),
        # enums and code lists
        ("local_quota: {basis: personer}\n",
         "rules.yml: local_quota.basis: forventede headcount eller fte (fik 'personer')"),
        ("local_quota: {schemes: [loentilskud, praktik]}\n",
         "rules.yml: local_quota.schemes: 'praktik' er ikke en kendt kode (tilladt: "
         "virksomhedspraktik, nyttejob, loentilskud, fleksjob, skaanejob, saerlige_vilkaar, "
         "seniorjob, beskyttet_beskaeftigelse)"),
        ("local_quota: {schemes: [loentilskud, Loentilskud]}\n",
         "rules.yml: local_quota.schemes: 'Loentilskud' står mere end én gang"),
        ("local_quota: {schemes: []}\n",
         "rules.yml: local_quota.schemes: må ikke være tom (fik [])"),
        # unknown keys
        ("retentoin: {weeks: 26}\n", "rules.yml: retentoin: ukendt nøgle"),
        ("retention: {wekes: 26}\n", "rules.yml: retention.wekes: ukendt nøgle"),
        # effective-dated lists
        ("statutory_ratio:\n  - {name: a, valid_from: 2022-13-01, basis: headcount, "
         "schemes: [nyttejob]}\n",
         "rules.yml: statutory_ratio[0].valid_from: forventede en dato (ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ "
         "eller DD.MM.ÅÅÅÅ) (fik '2022-13-01')"),
        ("statutory_ratio:\n  - {name: a, valid_from: 2022-01-01, valid_to: 2021-12-31, "
         "basis: headcount, schemes: [nyttejob]}\n",
         "rules.yml: statutory_ratio[0].valid_to: ligger før valid_from 2022-01-01 "
         "(fik '2021-12-31')"),
        ("statutory_ratio:\n  - {name: a, valid_from: 2022-01-01, basis: fte, "
         "schemes: [nyttejob]}\n",
         "rules.yml: statutory_ratio[0].basis: forventede headcount eller fte_4m_avg "
         "(fik 'fte')"),
        ("statutory_ratio:\n  - {name: a, valid_from: 2022-01-01, schemes: [nyttejob]}\n",
         "rules.yml: statutory_ratio[0].basis: mangler"),
        ("statutory_ratio:\n  - {name: a, valid_from: 2022-01-01, basis: headcount, "
         "schemes: [nyttejob]}\n  - {name: a, valid_from: 2000-01-01, basis: headcount, "
         "schemes: [nyttejob]}\n",
         "rules.yml: statutory_ratio: versionsnavnet 'a' står mere end én gang"),
        ("sdp_followup:\n  - {name: s, valid_from: 2023-03-22, first_due_days: 55, "
         "fast_track_days: 14, then: {count: 3, within_days: 182}, categories: [2, 4]}\n",
         "rules.yml: sdp_followup[0].categories[1]: forventede 1, 2 eller 3 (fik 4)"),
        ("sdp_followup:\n  - {name: s, valid_from: 2023-03-22, first_due_days: 55, "
         "fast_track_days: 14, then: {count: 3}, categories: [2]}\n",
         "rules.yml: sdp_followup[0].then: forventede enten {count, within_days} eller "
         "{interval_days}"),
        ("sdp_followup:\n  - {name: s, valid_from: 2023-03-22, first_due_days: -1, "
         "fast_track_days: 14, then: {interval_days: 28}, categories: [2]}\n",
         "rules.yml: sdp_followup[0].first_due_days: skal være mindst 0 (fik -1)"),
        ("sickness: {bands: {kort: [1, 3], mellem: [5, 28], lang: [29, null]}}\n",
         "rules.yml: sickness.bands: kort, mellem og lang skal dække alle længder uden huller "
         "eller overlap (fx kort: [1, 3], mellem: [4, 28], lang: [29, null]); mellem passer ikke"),
    ],
)  # fmt: skip
def test_each_bad_value_names_file_key_and_expectation(tmp_path, text, message):
    assert _error(tmp_path, text) == message


def test_a_file_that_is_not_utf8_names_the_position(tmp_path):
    message = _error(tmp_path, "# Regler for Århus\nkarens_months: 3\n", encoding="latin-1")
    assert message == (
        "rules.yml: ikke UTF-8-kodet (ugyldig byte ved position 13); gem filen som UTF-8"
    )


def test_several_problems_are_listed_on_one_line(tmp_path):
    message = _error(
        tmp_path,
        "small_cell_min_persons: 0\nfull_time_hours: 0\nhistory_months: x\nkarens_months: -1\n",
    )
    assert message == (
        "rules.yml: full_time_hours: skal være større end 0 (fik 0); small_cell_min_persons: "
        "skal være mindst 3 (fik 0); history_months: forventede et heltal (fik 'x') "
        "(og 1 fejl mere)"
    )


# --- aarshjul: the HMU's annual wheel (hmu report) ---------------------------------------------


def test_the_default_aarshjul_has_eight_meetings_and_becomes_a_table():
    rules = merged_rules(None)
    assert sorted(rules.aarshjul) == [2, 3, 5, 6, 8, 9, 11, 12]
    assert rules.aarshjul[3].startswith("Årlig inklusionsgennemgang")
    table = rules_tables(rules)["rules_aarshjul"]
    assert table.columns == ["month", "topic"]
    assert table.rows() == sorted(rules.aarshjul.items())


def test_a_municipalitys_aarshjul_replaces_the_default_whole(tmp_path):
    """Months by number, zero-padded text or Danish name (also abbreviated); null = no meeting;
    the default months not named are gone (a merge could not match 2 with februar)."""
    rules = merged_rules(
        _rules_file(
            tmp_path,
            'aarshjul:\n  1: "Budget  og\n    APV"\n  "04": Trivsel\n  Okt.: Sygefravær\n'
            "  december: null\n",
        )
    )
    assert rules.aarshjul == {1: "Budget og APV", 4: "Trivsel", 10: "Sygefravær"}
    with duckdb.connect() as conn:
        create_raw_schema(conn)
        load_rules(conn, _rules_file(tmp_path, "aarshjul: {maj: Kvoter}\n"))
        assert conn.execute("SELECT month, topic FROM raw.rules_aarshjul").fetchall() == [
            (5, "Kvoter")
        ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("aarshjul: {13: x}\n",
         "rules.yml: aarshjul: '13' er ikke en måned (skriv 1–12 eller januar–december)"),
        ("aarshjul: {ma: x}\n",
         "rules.yml: aarshjul: 'ma' er ikke en måned (skriv 1–12 eller januar–december)"),
        ("aarshjul: {2: a, Februar: b}\n", "rules.yml: aarshjul: februar står mere end én gang"),
        ("aarshjul: {2: 5}\n", "rules.yml: aarshjul: februar: forventede et emne som tekst"),
        ('aarshjul: {2: "  "}\n', "rules.yml: aarshjul: februar: forventede et emne som tekst"),
        ("aarshjul: [Budget]\n",
         "rules.yml: aarshjul: forventede måned: emne, fx 3: Årlig inklusionsgennemgang"),
        (f"aarshjul: {{3: {'x' * 121}}}\n",
         "rules.yml: aarshjul: marts: emnet må højst være 120 tegn"),
    ],
)  # fmt: skip
def test_a_bad_aarshjul_names_the_month_and_what_was_expected(tmp_path, text, message):
    assert _error(tmp_path, text) == message
