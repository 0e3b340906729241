-- Data-quality check results, one row per run of the suites and per expectation.

CREATE TABLE dq_run (
    dq_run_id   VARCHAR PRIMARY KEY,
    run_id      VARCHAR NOT NULL,
    checked_at  TIMESTAMP NOT NULL,
    success     BOOLEAN NOT NULL,
    n_checks    INTEGER NOT NULL,
    n_failed    INTEGER NOT NULL,
    n_errors    INTEGER NOT NULL
);

CREATE TABLE dq_result (
    dq_run_id     VARCHAR NOT NULL,
    suite         VARCHAR NOT NULL,
    expectation   VARCHAR NOT NULL,
    column_name   VARCHAR,
    severity      VARCHAR NOT NULL,            -- error | warning
    success       BOOLEAN NOT NULL,
    element_count BIGINT,
    unexpected_count BIGINT,
    unexpected_examples VARCHAR,               -- JSON list of a few offending values
    description   VARCHAR
);

-- Anomalies and duplicates by type at each check, so trends survive re-loads.
CREATE TABLE dq_anomaly_count (
    dq_run_id     VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,            -- parser (dq_anomaly) | dedup (duplicate tables)
    type          VARCHAR NOT NULL,
    n             BIGINT NOT NULL,
    PRIMARY KEY (dq_run_id, source, type)
);
