"""Great Expectations suites (one module per table family in `suites/`) and their runner."""
