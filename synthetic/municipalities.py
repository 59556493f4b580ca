"""The 98 municipalities (from the dbt seed) with a size proxy, and a few RAR areas.

kommuner.csv has no size column, so an approximate population (thousands, rounded, ~2024) stands
in as the size proxy for jobindsats values. It only has to make Aarhus large and Læsø small.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"

POPULATION_K: dict[str, float] = {
    "101": 660, "147": 105, "151": 52, "153": 39, "155": 15, "157": 75, "159": 70, "161": 24,
    "163": 30, "165": 28, "167": 54, "169": 57, "173": 57, "175": 41, "183": 24, "185": 44,
    "187": 17, "190": 42, "201": 26, "210": 41, "217": 64, "219": 53, "223": 25, "230": 57,
    "240": 44, "250": 46, "253": 51, "259": 62, "260": 31, "265": 90, "269": 24, "270": 42,
    "306": 33, "316": 73, "320": 38, "326": 49, "329": 36, "330": 80, "336": 23, "340": 31,
    "350": 29, "360": 40, "370": 84, "376": 60, "390": 45, "400": 39, "410": 39, "420": 41,
    "430": 51, "440": 24, "450": 32, "461": 208, "479": 59, "480": 30, "482": 12, "492": 6,
    "510": 55, "530": 27, "540": 74, "550": 37, "561": 116, "563": 3.5, "573": 50, "575": 43,
    "580": 59, "607": 52, "615": 90, "621": 95, "630": 121, "657": 90, "661": 59, "665": 19,
    "671": 21, "706": 43, "707": 37, "710": 50, "727": 24, "730": 100, "740": 99, "741": 3.7,
    "746": 64, "751": 367, "756": 42, "760": 56, "766": 47, "773": 20, "779": 46, "787": 43,
    "791": 98, "810": 36, "813": 59, "820": 36, "825": 1.8, "840": 31, "846": 42, "849": 38,
    "851": 223, "860": 64,
}  # fmt: skip

# A few of the eight RAR areas (regionale arbejdsmarkedsråd) and their municipalities.
RAR_AREAS: dict[str, list[str]] = {
    "RAR Østjylland": ["615", "706", "707", "710", "727", "730", "740", "741", "746", "751", "766"],
    "RAR Vestjylland": ["657", "661", "665", "671", "756", "760", "779", "791"],
    "RAR Nordjylland": [
        "773",
        "787",
        "810",
        "813",
        "820",
        "825",
        "840",
        "846",
        "849",
        "851",
        "860",
    ],
    "RAR Fyn": ["410", "420", "430", "440", "450", "461", "479", "480", "482", "492"],
    "RAR Bornholm": ["400"],
}

# jobindsats sometimes writes a municipality without its genitive s; one file uses this alias.
ALIAS_FILE_NAMES: dict[str, str] = {"820": "Vesthimmerland"}


def municipalities() -> pl.DataFrame:
    """municipality_code, name, jobindsats_name, region_name, population (persons)."""
    frame = pl.read_csv(SEEDS / "kommuner.csv", separator=";", schema_overrides={
        "municipality_code": pl.String, "region_code": pl.String})  # fmt: skip
    sizes = pl.DataFrame(
        {
            "municipality_code": list(POPULATION_K),
            "population": [float(v) for v in POPULATION_K.values()],
        }
    ).with_columns((pl.col("population") * 1000).round(0))
    return (
        frame.join(sizes, on="municipality_code", how="left")
        .with_columns(pl.col("population").fill_null(40_000.0))
        .select("municipality_code", "name", "jobindsats_name", "region_name", "population")
        .sort("municipality_code")
    )


def municipality_name(code: str) -> str:
    match = municipalities().filter(pl.col("municipality_code") == code)
    if match.is_empty():
        raise ValueError(f"unknown municipality code {code!r} (see dbt_project/seeds/kommuner.csv)")
    return match["name"][0]
