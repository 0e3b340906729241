-- Duplicates found across the current warehouse, recomputed after every load: groups of
-- identical text (a paragraph, a dropped repeated copy, a span printed twice inside a
-- paragraph), their members located in the raw text, and near-duplicate paragraph pairs.
-- No foreign keys: loads delete and replace the paragraphs these rows point to.

CREATE TABLE dq_duplicate_group (
    group_id     VARCHAR PRIMARY KEY,          -- 'g' + 16 hex of kind and normalised-text hash
    kind         VARCHAR NOT NULL,             -- paragraph | span
    scope        VARCHAR NOT NULL,             -- paragraph | article | page | warehouse
    norm_hash    VARCHAR NOT NULL,             -- sha1 of the normalised duplicated text
    n_members    INTEGER NOT NULL,
    n_articles   INTEGER NOT NULL,
    n_files      INTEGER NOT NULL,
    n_chars      INTEGER NOT NULL,
    excerpt      VARCHAR NOT NULL
);

CREATE TABLE dq_duplicate_member (
    group_id     VARCHAR NOT NULL,
    member_no    SMALLINT NOT NULL,            -- 1 = the earliest copy in path, offset order
    role         VARCHAR NOT NULL,             -- paragraph | dropped | span
    file_id      VARCHAR NOT NULL,
    article_id   VARCHAR,
    paragraph_id VARCHAR,                      -- the paragraph holding this copy, if kept
    anomaly_id   VARCHAR,                      -- the duplicated_block anomaly of a dropped copy
    start_offset INTEGER NOT NULL,             -- into dim_source_file.raw_text
    end_offset   INTEGER NOT NULL,
    PRIMARY KEY (group_id, member_no)
);

CREATE TABLE dq_near_duplicate (
    paragraph_a  VARCHAR NOT NULL,             -- the smaller paragraph_id
    paragraph_b  VARCHAR NOT NULL,
    scope        VARCHAR NOT NULL,             -- article | page | warehouse
    similarity   DOUBLE NOT NULL,              -- exact Jaccard of the character 5-gram sets
    estimate     DOUBLE NOT NULL,              -- MinHash estimate of it
    PRIMARY KEY (paragraph_a, paragraph_b)
);
