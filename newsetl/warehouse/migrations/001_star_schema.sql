-- Star schema: page files, dates, people and names as dimensions; articles, paragraphs,
-- keywords and anomalies as facts. Keys are deterministic hashes of their content so that a
-- re-run, or a run after an interrupted one, writes exactly the same rows.
-- Foreign keys are documented in the column comments and checked after every load by the
-- data-quality suites (every key must resolve): DuckDB cannot declare them here, because it
-- refuses to delete a parent row and its children in one transaction, which is exactly what
-- replacing a changed page does.

CREATE TABLE dim_source_file (
    file_id      VARCHAR PRIMARY KEY,          -- 'f' + 16 hex of sha256(path NUL content sha256)
    path         VARCHAR NOT NULL,             -- relative to the watched folder
    sha256       VARCHAR NOT NULL,
    size_bytes   BIGINT NOT NULL,
    encoding     VARCHAR NOT NULL,
    raw_text     VARCHAR NOT NULL,             -- decoded page text, verbatim (BOM removed)
    n_chars      INTEGER NOT NULL,
    n_items      INTEGER NOT NULL,
    status       VARCHAR NOT NULL,             -- current | superseded | removed
    loaded_run   VARCHAR NOT NULL,
    loaded_at    TIMESTAMP NOT NULL
);

CREATE TABLE dim_date (
    date_key     INTEGER PRIMARY KEY,          -- yyyymmdd
    date         DATE NOT NULL,
    year         SMALLINT NOT NULL,
    month        TINYINT NOT NULL,
    day          TINYINT NOT NULL,
    iso_week     TINYINT NOT NULL,
    weekday      VARCHAR NOT NULL
);

CREATE TABLE dim_person (
    person_id    VARCHAR PRIMARY KEY,          -- 'p' + 12 hex of the name
    name         VARCHAR NOT NULL UNIQUE
);

CREATE TABLE dim_entity (
    entity_id    VARCHAR PRIMARY KEY,          -- 'e' + 12 hex of type and name
    name         VARCHAR NOT NULL,
    entity_type  VARCHAR NOT NULL              -- person | place | organization
);

CREATE TABLE fact_article (
    article_id      VARCHAR PRIMARY KEY,       -- file_id + ':' + 3-digit item number
    file_id         VARCHAR NOT NULL,          -- -> dim_source_file
    item_no         SMALLINT NOT NULL,
    kind            VARCHAR NOT NULL,          -- article | photo
    title           VARCHAR,
    headline_lines  VARCHAR[] NOT NULL,
    intertitles     VARCHAR[],                 -- section heads printed inside the body
    page_banner     VARCHAR,
    dateline        VARCHAR,
    date_text       VARCHAR,
    date_key        INTEGER,                   -- -> dim_date
    date_confidence DOUBLE,
    date_evidence   VARCHAR,
    body            VARCHAR NOT NULL,          -- repaired reading text
    n_paragraphs    SMALLINT NOT NULL,
    n_chars         INTEGER NOT NULL,
    n_tokens        INTEGER NOT NULL,
    start_offset    INTEGER NOT NULL,
    end_offset      INTEGER NOT NULL,
    is_truncated    BOOLEAN NOT NULL,
    is_orphan_headline BOOLEAN NOT NULL,
    is_interleaved  BOOLEAN NOT NULL,
    n_anomalies     SMALLINT NOT NULL
);

CREATE TABLE bridge_article_person (
    article_id   VARCHAR NOT NULL,
    person_id    VARCHAR NOT NULL,
    role         VARCHAR NOT NULL,             -- reporter | correspondent | intern | photographer
    PRIMARY KEY (article_id, person_id, role)
);

CREATE TABLE bridge_article_entity (
    article_id   VARCHAR NOT NULL,
    entity_id    VARCHAR NOT NULL,
    mentions     INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);

CREATE TABLE fact_paragraph (
    paragraph_id VARCHAR PRIMARY KEY,          -- article_id + ':' + 3-digit order
    article_id   VARCHAR NOT NULL,
    file_id      VARCHAR NOT NULL,
    seq          SMALLINT NOT NULL,
    text         VARCHAR NOT NULL,
    n_chars      INTEGER NOT NULL,
    norm_hash    VARCHAR NOT NULL,             -- sha1 of the width-folded, whitespace-free text
    minhash      BLOB,                         -- MinHash signature over character 5-grams
    tokens       VARCHAR[] NOT NULL,
    n_tokens     INTEGER NOT NULL,
    start_offset INTEGER NOT NULL,             -- first span of the paragraph in raw_text
    end_offset   INTEGER NOT NULL              -- end of its last span
);

CREATE TABLE fact_article_keyword (
    article_id   VARCHAR NOT NULL,
    method       VARCHAR NOT NULL,             -- tfidf | textrank
    rank         SMALLINT NOT NULL,
    keyword      VARCHAR NOT NULL,
    weight       DOUBLE NOT NULL,
    PRIMARY KEY (article_id, method, keyword)
);

CREATE TABLE dq_anomaly (
    anomaly_id   VARCHAR PRIMARY KEY,          -- file_id + ':a' + 4-digit number
    file_id      VARCHAR NOT NULL,
    article_id   VARCHAR,
    type         VARCHAR NOT NULL,
    severity     VARCHAR NOT NULL,             -- error | warning | info
    start_offset INTEGER NOT NULL,
    end_offset   INTEGER NOT NULL,
    excerpt      VARCHAR NOT NULL,
    detail       VARCHAR NOT NULL
);
