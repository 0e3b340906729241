-- The copies a page holds of its own text, found when the page is loaded (a block the
-- parser dropped beside the copy it kept, a span a paragraph prints twice): the duplicate
-- refresh groups them with the warehouse's repeated paragraphs without reading the pages.
-- Pages loaded before this migration are listed as pending; the next refresh finds theirs.

CREATE TABLE dq_page_copy (
    file_id      VARCHAR NOT NULL,
    copy_no      INTEGER NOT NULL,             -- 1.. per page: dropped blocks, then spans
    kind         VARCHAR NOT NULL,             -- paragraph | span
    role         VARCHAR NOT NULL,             -- paragraph | dropped | span
    group_id     VARCHAR NOT NULL,             -- the dq_duplicate_group it belongs to
    norm_hash    VARCHAR NOT NULL,             -- sha1 of the normalised copied text
    article_id   VARCHAR,
    paragraph_id VARCHAR,
    anomaly_id   VARCHAR,
    start_offset INTEGER NOT NULL,             -- into dim_source_file.raw_text
    end_offset   INTEGER NOT NULL,
    n_chars      INTEGER NOT NULL,
    excerpt      VARCHAR NOT NULL
);

CREATE TABLE dq_page_copy_pending AS SELECT file_id FROM dim_source_file;

COMMENT ON TABLE dq_page_copy IS 'Each copy a page holds of its own text, found at load; the duplicate groups are made of these and of repeated paragraphs.';
COMMENT ON COLUMN dq_page_copy.file_id IS 'Page file version (-> dim_source_file); unique with copy_no.';
COMMENT ON COLUMN dq_page_copy.copy_no IS 'Copy number in the page: its dropped blocks'' copies in offset order, then its repeated spans.';
COMMENT ON COLUMN dq_page_copy.kind IS 'paragraph (a dropped block and the copy kept) | span (a span printed twice inside a paragraph).';
COMMENT ON COLUMN dq_page_copy.role IS 'paragraph (the copy kept) | dropped (the repeated copy removed) | span.';
COMMENT ON COLUMN dq_page_copy.group_id IS 'Duplicate group of the copy (-> dq_duplicate_group, once it has two members).';
COMMENT ON COLUMN dq_page_copy.norm_hash IS 'sha1 of the normalised copied text.';
COMMENT ON COLUMN dq_page_copy.article_id IS 'Item holding the copy (-> fact_article); NULL when outside any item.';
COMMENT ON COLUMN dq_page_copy.paragraph_id IS 'Paragraph holding the copy (-> fact_paragraph), if kept.';
COMMENT ON COLUMN dq_page_copy.anomaly_id IS 'The duplicated_block anomaly of a dropped copy (-> dq_anomaly).';
COMMENT ON COLUMN dq_page_copy.start_offset IS 'Start of the copy in dim_source_file.raw_text.';
COMMENT ON COLUMN dq_page_copy.end_offset IS 'End of the copy in raw_text (exclusive).';
COMMENT ON COLUMN dq_page_copy.n_chars IS 'Characters in the copied text (normalised, for a dropped block and its kept copy).';
COMMENT ON COLUMN dq_page_copy.excerpt IS 'The copied text, or its first 80 characters.';

COMMENT ON TABLE dq_page_copy_pending IS 'Page files loaded before their copies were found at load; the next duplicate refresh finds them.';
COMMENT ON COLUMN dq_page_copy_pending.file_id IS 'Page file version (-> dim_source_file).';
