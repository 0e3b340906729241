-- Each paragraph's tokens as one text, one token per line, instead of a list of strings: a
-- paragraph is one line, so a line break never falls inside a token. The list was a third
-- of every load's time (DuckDB holds 16 bytes per string of a list before it compresses);
-- splitting the text back costs a query little. v_token lists the tokens, one row each.
-- The table is rebuilt (as in 006), so its comments are stated again.

CREATE TABLE fact_paragraph_new (
    paragraph_id VARCHAR NOT NULL,             -- article_id + ':' + 3-digit order; unique
    article_id   VARCHAR NOT NULL,
    file_id      VARCHAR NOT NULL,
    seq          SMALLINT NOT NULL,
    text         VARCHAR NOT NULL,
    n_chars      INTEGER NOT NULL,
    norm_hash    VARCHAR NOT NULL,             -- sha1 of the width-folded, whitespace-free text
    minhash      BLOB,                         -- MinHash signature over character 5-grams
    token_text   VARCHAR NOT NULL,             -- the tokens, one per line
    n_tokens     INTEGER NOT NULL,
    start_offset INTEGER NOT NULL,             -- first span of the paragraph in raw_text
    end_offset   INTEGER NOT NULL              -- end of its last span
);
INSERT INTO fact_paragraph_new
SELECT paragraph_id, article_id, file_id, seq, text, n_chars, norm_hash, minhash,
       array_to_string(tokens, chr(10)), n_tokens, start_offset, end_offset
FROM fact_paragraph;
DROP TABLE fact_paragraph;
ALTER TABLE fact_paragraph_new RENAME TO fact_paragraph;

CREATE OR REPLACE VIEW v_token AS
SELECT
    paragraph_id,
    article_id,
    source_path,
    unnest(range(1, len(tokens) + 1)) AS position,
    unnest(tokens) AS token
FROM (
    SELECT p.paragraph_id, p.article_id, f.path AS source_path,
           string_split(p.token_text, chr(10)) AS tokens
    FROM fact_paragraph p
    JOIN dim_source_file f USING (file_id)
    WHERE f.status = 'current'
);

COMMENT ON TABLE fact_paragraph IS 'One row per repaired body paragraph of an item, with its tokens and a normalised hash.';
COMMENT ON COLUMN fact_paragraph.paragraph_id IS 'Key: article_id + '':'' + 3-digit order; unique.';
COMMENT ON COLUMN fact_paragraph.article_id IS 'Item the paragraph belongs to (-> fact_article).';
COMMENT ON COLUMN fact_paragraph.file_id IS 'Page file version (-> dim_source_file).';
COMMENT ON COLUMN fact_paragraph.seq IS 'Position of the paragraph in the body, from 1.';
COMMENT ON COLUMN fact_paragraph.text IS 'Repaired paragraph text (one line).';
COMMENT ON COLUMN fact_paragraph.n_chars IS 'Characters in text.';
COMMENT ON COLUMN fact_paragraph.norm_hash IS 'sha1 of the width-folded, whitespace-free text (equal for identical paragraphs).';
COMMENT ON COLUMN fact_paragraph.minhash IS 'MinHash signature over character 5-grams, for near-duplicate search.';
COMMENT ON COLUMN fact_paragraph.n_tokens IS 'Number of tokens.';
COMMENT ON COLUMN fact_paragraph.start_offset IS 'Start of the paragraph''s first span in dim_source_file.raw_text.';
COMMENT ON COLUMN fact_paragraph.end_offset IS 'End of its last span in raw_text (exclusive).';
COMMENT ON COLUMN fact_paragraph.token_text IS 'Word tokens of the text, in order, one per line: string_split(token_text, chr(10)) lists them (v_token has a row each).';
COMMENT ON VIEW v_token IS 'One row per word token of the current paragraphs, in order (position from 1).';
COMMENT ON COLUMN v_token.paragraph_id IS 'Paragraph of the token (-> fact_paragraph).';
COMMENT ON COLUMN v_token.article_id IS 'Item of the paragraph (-> fact_article).';
COMMENT ON COLUMN v_token.source_path IS 'Page file path relative to the folder.';
COMMENT ON COLUMN v_token.position IS 'Position of the token in its paragraph, from 1.';
COMMENT ON COLUMN v_token.token IS 'The word token, as the segmenter cut it.';
