-- Lineage: runs, per-file outcomes and rejected input. These tables grow with every run.

CREATE TABLE etl_run (
    run_id        VARCHAR PRIMARY KEY,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    status        VARCHAR NOT NULL,            -- running | completed | failed
    seeds_dir     VARCHAR NOT NULL,
    files_seen    INTEGER,
    files_loaded  INTEGER,
    files_changed INTEGER,
    files_unchanged INTEGER,
    files_removed INTEGER,
    files_quarantined INTEGER,
    items         INTEGER,
    paragraphs    INTEGER,
    anomalies     INTEGER,
    seconds       DOUBLE,
    code_version  VARCHAR NOT NULL,
    library_versions VARCHAR NOT NULL,         -- JSON object
    message       VARCHAR
);

CREATE TABLE etl_file_outcome (
    run_id    VARCHAR NOT NULL,
    path      VARCHAR NOT NULL,
    sha256    VARCHAR,
    file_id   VARCHAR,
    outcome   VARCHAR NOT NULL,                -- loaded | changed | unchanged | removed | quarantined
    reason    VARCHAR,
    PRIMARY KEY (run_id, path)
);

CREATE TABLE quarantine (
    run_id     VARCHAR NOT NULL,
    path       VARCHAR NOT NULL,
    sha256     VARCHAR,
    stage      VARCHAR NOT NULL,               -- read | decode | parse | validate
    table_name VARCHAR,
    row_key    VARCHAR,
    check_name VARCHAR,
    column_name VARCHAR,
    value      VARCHAR,
    reason     VARCHAR NOT NULL,
    quarantined_at TIMESTAMP NOT NULL
);
