"""Stage 4, the DuckDB warehouse: connection, migrations, loads, the run ledger, the lock."""
