"""The six HR registers (docs/domain.md §3.1–3.3): CSV files → per-file store → raw.<register>.

`load` (entry point) reads each file with `csv_reader`, checks it with `validate` against
`specs`, keeps its rows in the per-file store `file_store` (raw._files_*) and rebuilds raw.* from
that store in `rebuild`.
"""
