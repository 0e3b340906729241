"""The tables' contracts: keys, value patterns, Pandera models, GX suites, validation."""
