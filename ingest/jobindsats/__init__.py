"""jobindsats.dk extracts (docs/domain.md §3.4, §5.7, E19–E21) → raw.jobindsats.

`extracts` (entry point) reads each file with `formats`, parses `values`, `periods` and `areas`,
normalises it in `normalise` and keeps it in the per-file store `store`.
"""
