-- The high-volume tables without PRIMARY KEY constraints. DuckDB keeps a constraint's index
-- (an ART) in memory and checks it on every insert; for tables with rows per paragraph,
-- keyword or run and file, that cost 40 % of the load time and memory that grows with the
-- warehouse. Their keys are deterministic (see 001), each load first deletes the rows of the
-- files it replaces, and the data-quality suites check every key's uniqueness after each load.
-- Dimensions, fact_article and dim_source_file keep theirs. dq_duplicate_member.member_no
-- becomes INTEGER: a paragraph repeated across a large corpus has more than 32,767 copies.

CREATE TABLE bridge_article_person_new (
    article_id   VARCHAR NOT NULL,
    person_id    VARCHAR NOT NULL,
    role         VARCHAR NOT NULL              -- reporter | correspondent | intern | photographer
);
INSERT INTO bridge_article_person_new SELECT * FROM bridge_article_person;
DROP TABLE bridge_article_person;
ALTER TABLE bridge_article_person_new RENAME TO bridge_article_person;

CREATE TABLE bridge_article_entity_new (
    article_id   VARCHAR NOT NULL,
    entity_id    VARCHAR NOT NULL,
    mentions     INTEGER NOT NULL
);
INSERT INTO bridge_article_entity_new SELECT * FROM bridge_article_entity;
DROP TABLE bridge_article_entity;
ALTER TABLE bridge_article_entity_new RENAME TO bridge_article_entity;

CREATE TABLE fact_paragraph_new (
    paragraph_id VARCHAR NOT NULL,             -- article_id + ':' + 3-digit order; unique
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
INSERT INTO fact_paragraph_new SELECT * FROM fact_paragraph;
DROP TABLE fact_paragraph;
ALTER TABLE fact_paragraph_new RENAME TO fact_paragraph;

CREATE TABLE fact_article_keyword_new (
    article_id   VARCHAR NOT NULL,             -- unique with method and keyword
    method       VARCHAR NOT NULL,             -- tfidf | textrank
    rank         SMALLINT NOT NULL,
    keyword      VARCHAR NOT NULL,
    weight       DOUBLE NOT NULL
);
INSERT INTO fact_article_keyword_new SELECT * FROM fact_article_keyword;
DROP TABLE fact_article_keyword;
ALTER TABLE fact_article_keyword_new RENAME TO fact_article_keyword;

CREATE TABLE dq_anomaly_new (
    anomaly_id   VARCHAR NOT NULL,             -- file_id + ':a' + 4-digit number; unique
    file_id      VARCHAR NOT NULL,
    article_id   VARCHAR,
    type         VARCHAR NOT NULL,
    severity     VARCHAR NOT NULL,             -- error | warning | info
    start_offset INTEGER NOT NULL,
    end_offset   INTEGER NOT NULL,
    excerpt      VARCHAR NOT NULL,
    detail       VARCHAR NOT NULL
);
INSERT INTO dq_anomaly_new SELECT * FROM dq_anomaly;
DROP TABLE dq_anomaly;
ALTER TABLE dq_anomaly_new RENAME TO dq_anomaly;

CREATE TABLE etl_file_outcome_new (
    run_id    VARCHAR NOT NULL,                -- unique with path
    path      VARCHAR NOT NULL,
    sha256    VARCHAR,
    file_id   VARCHAR,
    outcome   VARCHAR NOT NULL,                -- loaded | changed | removed | quarantined
    reason    VARCHAR
);
INSERT INTO etl_file_outcome_new SELECT * FROM etl_file_outcome;
DROP TABLE etl_file_outcome;
ALTER TABLE etl_file_outcome_new RENAME TO etl_file_outcome;

CREATE TABLE dq_duplicate_member_new (
    group_id     VARCHAR NOT NULL,             -- unique with member_no
    member_no    INTEGER NOT NULL,             -- 1 = the earliest copy in path, offset order
    role         VARCHAR NOT NULL,             -- paragraph | dropped | span
    file_id      VARCHAR NOT NULL,
    article_id   VARCHAR,
    paragraph_id VARCHAR,                      -- the paragraph holding this copy, if kept
    anomaly_id   VARCHAR,                      -- the duplicated_block anomaly of a dropped copy
    start_offset INTEGER NOT NULL,             -- into dim_source_file.raw_text
    end_offset   INTEGER NOT NULL
);
INSERT INTO dq_duplicate_member_new SELECT * FROM dq_duplicate_member;
DROP TABLE dq_duplicate_member;
ALTER TABLE dq_duplicate_member_new RENAME TO dq_duplicate_member;

CREATE TABLE dq_near_duplicate_new (
    paragraph_a  VARCHAR NOT NULL,             -- the smaller paragraph_id; unique with b
    paragraph_b  VARCHAR NOT NULL,
    scope        VARCHAR NOT NULL,             -- article | page | warehouse
    similarity   DOUBLE NOT NULL,              -- exact Jaccard of the character 5-gram sets
    estimate     DOUBLE NOT NULL               -- MinHash estimate of it
);
INSERT INTO dq_near_duplicate_new SELECT * FROM dq_near_duplicate;
DROP TABLE dq_near_duplicate;
ALTER TABLE dq_near_duplicate_new RENAME TO dq_near_duplicate;
