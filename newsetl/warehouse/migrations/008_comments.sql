-- What every table, view and column means, stored in the warehouse itself: `newsetl describe`
-- prints it, and any DuckDB client reads it from duckdb_tables(), duckdb_views() and
-- duckdb_columns() (column `comment`). A migration that adds a table, view or column
-- comments it too (a test checks that every one has a comment); recreating a view drops its
-- comments, so a migration that replaces a view comments it again.

COMMENT ON TABLE schema_version IS 'Migrations applied to this warehouse, one row each.';
COMMENT ON COLUMN schema_version.version IS 'Migration number (the file''s numeric prefix, 001 = 1).';
COMMENT ON COLUMN schema_version.name IS 'Migration name (the file name after the number, e.g. star_schema).';
COMMENT ON COLUMN schema_version.applied_at IS 'When the migration was applied (local time).';

-- Dimensions

COMMENT ON TABLE dim_source_file IS 'One row per loaded version of a page file, with its decoded text verbatim.';
COMMENT ON COLUMN dim_source_file.file_id IS 'Key: ''f'' + 16 hex of sha256(path NUL content sha256).';
COMMENT ON COLUMN dim_source_file.path IS 'File path relative to the watched folder.';
COMMENT ON COLUMN dim_source_file.sha256 IS 'sha256 of the file''s bytes, in hex.';
COMMENT ON COLUMN dim_source_file.size_bytes IS 'File size in bytes.';
COMMENT ON COLUMN dim_source_file.encoding IS 'Encoding the file was decoded from (e.g. utf-8, gb18030).';
COMMENT ON COLUMN dim_source_file.raw_text IS 'Decoded page text, verbatim (BOM removed); every offset in the warehouse points into it.';
COMMENT ON COLUMN dim_source_file.n_chars IS 'Characters in raw_text.';
COMMENT ON COLUMN dim_source_file.n_items IS 'Items (articles and photos) parsed from the page.';
COMMENT ON COLUMN dim_source_file.status IS 'current (the version in use) | superseded (replaced by a changed file) | removed (file gone).';
COMMENT ON COLUMN dim_source_file.loaded_run IS 'Run that loaded this version (-> etl_run.run_id).';
COMMENT ON COLUMN dim_source_file.loaded_at IS 'When this version was loaded.';

COMMENT ON TABLE dim_date IS 'One row per calendar date an item refers to.';
COMMENT ON COLUMN dim_date.date_key IS 'Key: the date as an integer yyyymmdd (20230410).';
COMMENT ON COLUMN dim_date.date IS 'The date.';
COMMENT ON COLUMN dim_date.year IS 'Year (2023).';
COMMENT ON COLUMN dim_date.month IS 'Month, 1-12.';
COMMENT ON COLUMN dim_date.day IS 'Day of the month, 1-31.';
COMMENT ON COLUMN dim_date.iso_week IS 'ISO 8601 week number, 1-53.';
COMMENT ON COLUMN dim_date.weekday IS 'English name of the weekday (Monday).';

COMMENT ON TABLE dim_person IS 'One row per person named in a byline or credit (reporter, correspondent, intern, photographer).';
COMMENT ON COLUMN dim_person.person_id IS 'Key: ''p'' + 12 hex of the name.';
COMMENT ON COLUMN dim_person.name IS 'The person''s name as printed (张三); unique.';

COMMENT ON TABLE dim_entity IS 'One row per name of a person, place or organization found in article text.';
COMMENT ON COLUMN dim_entity.entity_id IS 'Key: ''e'' + 12 hex of the type and name.';
COMMENT ON COLUMN dim_entity.name IS 'The name as it appears in the text (南山街道).';
COMMENT ON COLUMN dim_entity.entity_type IS 'person | place | organization.';

-- Facts and bridges

COMMENT ON TABLE fact_article IS 'One row per item of a page: an article or a photo news item.';
COMMENT ON COLUMN fact_article.article_id IS 'Key: file_id + '':'' + 3-digit item number.';
COMMENT ON COLUMN fact_article.file_id IS 'Page file version the item is on (-> dim_source_file).';
COMMENT ON COLUMN fact_article.item_no IS 'Item number on the page, from 1 in reading order.';
COMMENT ON COLUMN fact_article.kind IS 'article | photo.';
COMMENT ON COLUMN fact_article.title IS 'Main title chosen from the headline lines; NULL when the item has none.';
COMMENT ON COLUMN fact_article.headline_lines IS 'Every line of the headline block as printed (kicker, title, subtitle).';
COMMENT ON COLUMN fact_article.intertitles IS 'Section heads and box labels printed inside the body (核心阅读).';
COMMENT ON COLUMN fact_article.page_banner IS 'Banner line above the headline block, when there is one.';
COMMENT ON COLUMN fact_article.dateline IS 'Dispatch head as printed (本报讯, 本报北京4月9日电).';
COMMENT ON COLUMN fact_article.date_text IS 'First date of the dispatch head or the lead, as printed (4月9日).';
COMMENT ON COLUMN fact_article.date_key IS 'Resolved date of date_text (-> dim_date); NULL when no year could be inferred.';
COMMENT ON COLUMN fact_article.date_confidence IS 'Confidence in the inferred year, 0-1 (0.9 year named, 0.7 whole past year, 0.5 mention; less from another item).';
COMMENT ON COLUMN fact_article.date_evidence IS 'The text the year was inferred from (今年（2023年）).';
COMMENT ON COLUMN fact_article.body IS 'Repaired reading text: the paragraphs joined by line breaks.';
COMMENT ON COLUMN fact_article.n_paragraphs IS 'Paragraphs in the body (rows in fact_paragraph).';
COMMENT ON COLUMN fact_article.n_chars IS 'Characters in the body.';
COMMENT ON COLUMN fact_article.n_tokens IS 'Word tokens in the body''s paragraphs.';
COMMENT ON COLUMN fact_article.start_offset IS 'Start of the item in dim_source_file.raw_text (character offset).';
COMMENT ON COLUMN fact_article.end_offset IS 'End of the item in raw_text (exclusive character offset).';
COMMENT ON COLUMN fact_article.is_truncated IS 'The body is cut off (a truncated_article anomaly).';
COMMENT ON COLUMN fact_article.is_orphan_headline IS 'A headline with no body of its own (an orphan_headline anomaly).';
COMMENT ON COLUMN fact_article.is_interleaved IS 'Its text is interleaved with another item''s (an interleaved_article anomaly).';
COMMENT ON COLUMN fact_article.n_anomalies IS 'Anomalies recorded for the item (rows in dq_anomaly).';
COMMENT ON COLUMN fact_article.captions IS 'Photo captions (图一 …); NULL for items loaded before captions were kept.';

COMMENT ON TABLE fact_paragraph IS 'One row per repaired body paragraph of an item, with its tokens and a normalised hash.';
COMMENT ON COLUMN fact_paragraph.paragraph_id IS 'Key: article_id + '':'' + 3-digit order; unique.';
COMMENT ON COLUMN fact_paragraph.article_id IS 'Item the paragraph belongs to (-> fact_article).';
COMMENT ON COLUMN fact_paragraph.file_id IS 'Page file version (-> dim_source_file).';
COMMENT ON COLUMN fact_paragraph.seq IS 'Position of the paragraph in the body, from 1.';
COMMENT ON COLUMN fact_paragraph.text IS 'Repaired paragraph text.';
COMMENT ON COLUMN fact_paragraph.n_chars IS 'Characters in text.';
COMMENT ON COLUMN fact_paragraph.norm_hash IS 'sha1 of the width-folded, whitespace-free text (equal for identical paragraphs).';
COMMENT ON COLUMN fact_paragraph.minhash IS 'MinHash signature over character 5-grams, for near-duplicate search.';
COMMENT ON COLUMN fact_paragraph.tokens IS 'Word tokens of the text, in order.';
COMMENT ON COLUMN fact_paragraph.n_tokens IS 'Number of tokens.';
COMMENT ON COLUMN fact_paragraph.start_offset IS 'Start of the paragraph''s first span in dim_source_file.raw_text.';
COMMENT ON COLUMN fact_paragraph.end_offset IS 'End of its last span in raw_text (exclusive).';

COMMENT ON TABLE fact_article_keyword IS 'Keywords of each item by TF-IDF and by TextRank, ranked with weights.';
COMMENT ON COLUMN fact_article_keyword.article_id IS 'Item (-> fact_article); unique with method and keyword.';
COMMENT ON COLUMN fact_article_keyword.method IS 'tfidf | textrank.';
COMMENT ON COLUMN fact_article_keyword.rank IS 'Rank of the keyword for the item and method, 1 = strongest.';
COMMENT ON COLUMN fact_article_keyword.keyword IS 'The keyword (社区).';
COMMENT ON COLUMN fact_article_keyword.weight IS 'The method''s score for the keyword (higher is stronger).';

COMMENT ON TABLE bridge_article_person IS 'Who is credited on each item, and as what.';
COMMENT ON COLUMN bridge_article_person.article_id IS 'Item (-> fact_article).';
COMMENT ON COLUMN bridge_article_person.person_id IS 'Person (-> dim_person).';
COMMENT ON COLUMN bridge_article_person.role IS 'reporter | correspondent | intern | photographer.';

COMMENT ON TABLE bridge_article_entity IS 'Which names each item mentions, and how often.';
COMMENT ON COLUMN bridge_article_entity.article_id IS 'Item (-> fact_article).';
COMMENT ON COLUMN bridge_article_entity.entity_id IS 'Name (-> dim_entity).';
COMMENT ON COLUMN bridge_article_entity.mentions IS 'Times the name occurs in the item.';

COMMENT ON TABLE dq_anomaly IS 'Every repair or oddity the parser found, located by character offsets in the raw text.';
COMMENT ON COLUMN dq_anomaly.anomaly_id IS 'Key: file_id + '':a'' + 4-digit number; unique.';
COMMENT ON COLUMN dq_anomaly.file_id IS 'Page file version (-> dim_source_file).';
COMMENT ON COLUMN dq_anomaly.article_id IS 'Item it belongs to (-> fact_article); NULL for an anomaly of the page.';
COMMENT ON COLUMN dq_anomaly.type IS 'Kind of anomaly (duplicated_block, join_char_repeat, truncated_article, undated …).';
COMMENT ON COLUMN dq_anomaly.severity IS 'error (the printed text is wrong) | warning | info (a repair or trait only).';
COMMENT ON COLUMN dq_anomaly.start_offset IS 'Start in dim_source_file.raw_text (character offset).';
COMMENT ON COLUMN dq_anomaly.end_offset IS 'End in raw_text (exclusive).';
COMMENT ON COLUMN dq_anomaly.excerpt IS 'The raw text between the offsets.';
COMMENT ON COLUMN dq_anomaly.detail IS 'What was found or repaired, in words.';

-- Lineage

COMMENT ON TABLE etl_run IS 'One row per run (ingest or recheck), with what it did; grows with every run.';
COMMENT ON COLUMN etl_run.run_id IS 'Key: UTC start time yyyymmddThhmmss + ''-'' + 8 hex (sorts by time).';
COMMENT ON COLUMN etl_run.started_at IS 'When the run started.';
COMMENT ON COLUMN etl_run.finished_at IS 'When the run ended; NULL while running or if it was killed.';
COMMENT ON COLUMN etl_run.status IS 'running | completed | failed.';
COMMENT ON COLUMN etl_run.seeds_dir IS 'Folder the run read, as an absolute path.';
COMMENT ON COLUMN etl_run.files_seen IS 'Page files found in the folder.';
COMMENT ON COLUMN etl_run.files_loaded IS 'New files loaded.';
COMMENT ON COLUMN etl_run.files_changed IS 'Changed files loaded, replacing their earlier version.';
COMMENT ON COLUMN etl_run.files_unchanged IS 'Files skipped because their content was already loaded.';
COMMENT ON COLUMN etl_run.files_removed IS 'Files marked removed because they left the folder.';
COMMENT ON COLUMN etl_run.files_quarantined IS 'Files rejected whole (see quarantine).';
COMMENT ON COLUMN etl_run.items IS 'Items (articles and photos) loaded.';
COMMENT ON COLUMN etl_run.paragraphs IS 'Paragraphs loaded.';
COMMENT ON COLUMN etl_run.anomalies IS 'Anomalies recorded.';
COMMENT ON COLUMN etl_run.seconds IS 'Duration of the run in seconds.';
COMMENT ON COLUMN etl_run.code_version IS 'newsetl version (or NEWSETL_CODE_VERSION) that ran.';
COMMENT ON COLUMN etl_run.library_versions IS 'JSON object of the Python and library versions used.';
COMMENT ON COLUMN etl_run.message IS 'What the checks found, or why the run failed (error type: message); NULL while running.';

COMMENT ON TABLE etl_file_outcome IS 'What each run did with each file of its folder.';
COMMENT ON COLUMN etl_file_outcome.run_id IS 'Run (-> etl_run); unique with path.';
COMMENT ON COLUMN etl_file_outcome.path IS 'File path relative to the folder.';
COMMENT ON COLUMN etl_file_outcome.sha256 IS 'sha256 of the file''s bytes; NULL when it could not be read or is gone.';
COMMENT ON COLUMN etl_file_outcome.file_id IS 'Version loaded or kept (-> dim_source_file); NULL when none.';
COMMENT ON COLUMN etl_file_outcome.outcome IS 'loaded | changed | unchanged | removed | quarantined.';
COMMENT ON COLUMN etl_file_outcome.reason IS 'Why the file was quarantined or removed; NULL otherwise.';

COMMENT ON TABLE quarantine IS 'Input rejected by a run: whole files that failed to read, decode or parse, and rows that failed a check.';
COMMENT ON COLUMN quarantine.run_id IS 'Run that rejected it (-> etl_run).';
COMMENT ON COLUMN quarantine.path IS 'File path relative to the folder.';
COMMENT ON COLUMN quarantine.sha256 IS 'sha256 of the file''s bytes; NULL when it could not be read.';
COMMENT ON COLUMN quarantine.stage IS 'Where it failed: read | decode | parse | validate.';
COMMENT ON COLUMN quarantine.table_name IS 'Table of the rejected row (validate stage); NULL for a whole file.';
COMMENT ON COLUMN quarantine.row_key IS 'Key of the rejected row (article_id …); NULL for a whole file.';
COMMENT ON COLUMN quarantine.check_name IS 'Check the row failed; NULL for a whole file.';
COMMENT ON COLUMN quarantine.column_name IS 'Column the check is on; NULL when it is on the whole row or file.';
COMMENT ON COLUMN quarantine.value IS 'The offending value as text; NULL when there is none.';
COMMENT ON COLUMN quarantine.reason IS 'Why it was rejected, in words.';
COMMENT ON COLUMN quarantine.quarantined_at IS 'When it was rejected.';

-- Data-quality checks

COMMENT ON TABLE dq_run IS 'One row per run of the data-quality suites over the warehouse.';
COMMENT ON COLUMN dq_run.dq_run_id IS 'Key: run_id + '':dq''.';
COMMENT ON COLUMN dq_run.run_id IS 'Run that checked (-> etl_run).';
COMMENT ON COLUMN dq_run.checked_at IS 'When the suites ran.';
COMMENT ON COLUMN dq_run.success IS 'No error-level check failed.';
COMMENT ON COLUMN dq_run.n_checks IS 'Checks run.';
COMMENT ON COLUMN dq_run.n_failed IS 'Checks that failed (errors and warnings).';
COMMENT ON COLUMN dq_run.n_errors IS 'Error-level checks that failed.';

COMMENT ON TABLE dq_result IS 'One row per expectation checked in a data-quality run.';
COMMENT ON COLUMN dq_result.dq_run_id IS 'Data-quality run (-> dq_run).';
COMMENT ON COLUMN dq_result.suite IS 'Suite the expectation is in (one per table).';
COMMENT ON COLUMN dq_result.expectation IS 'Expectation checked (expect_column_values_to_not_be_null …).';
COMMENT ON COLUMN dq_result.column_name IS 'Column checked; NULL for a table-level expectation.';
COMMENT ON COLUMN dq_result.severity IS 'error (fails the run) | warning.';
COMMENT ON COLUMN dq_result.success IS 'The expectation held.';
COMMENT ON COLUMN dq_result.element_count IS 'Values or rows checked; NULL when the expectation does not count them.';
COMMENT ON COLUMN dq_result.unexpected_count IS 'Values or rows that broke it; NULL when not counted.';
COMMENT ON COLUMN dq_result.unexpected_examples IS 'JSON list of a few offending values.';
COMMENT ON COLUMN dq_result.description IS 'What the expectation checks, in words.';

COMMENT ON TABLE dq_anomaly_count IS 'Anomalies and duplicates by type at each data-quality run, so trends survive re-loads.';
COMMENT ON COLUMN dq_anomaly_count.dq_run_id IS 'Data-quality run (-> dq_run).';
COMMENT ON COLUMN dq_anomaly_count.source IS 'parser (dq_anomaly) | dedup (the duplicate tables).';
COMMENT ON COLUMN dq_anomaly_count.type IS 'Anomaly type, or duplicate_group_<scope> | near_duplicate_pair.';
COMMENT ON COLUMN dq_anomaly_count.n IS 'Count over the current warehouse at that run.';

-- Duplicates

COMMENT ON TABLE dq_duplicate_group IS 'Groups of identical text across the current warehouse, recomputed after every load.';
COMMENT ON COLUMN dq_duplicate_group.group_id IS 'Key: ''g'' + 16 hex of kind and normalised-text hash.';
COMMENT ON COLUMN dq_duplicate_group.kind IS 'paragraph (whole paragraphs) | span (a span printed twice inside a paragraph).';
COMMENT ON COLUMN dq_duplicate_group.scope IS 'Widest reach of the copies: paragraph | article | page | warehouse.';
COMMENT ON COLUMN dq_duplicate_group.norm_hash IS 'sha1 of the normalised duplicated text.';
COMMENT ON COLUMN dq_duplicate_group.n_members IS 'Copies in the group (rows in dq_duplicate_member).';
COMMENT ON COLUMN dq_duplicate_group.n_articles IS 'Distinct items holding a copy.';
COMMENT ON COLUMN dq_duplicate_group.n_files IS 'Distinct page files holding a copy.';
COMMENT ON COLUMN dq_duplicate_group.n_chars IS 'Characters in the duplicated text.';
COMMENT ON COLUMN dq_duplicate_group.excerpt IS 'The duplicated text, or its beginning.';

COMMENT ON TABLE dq_duplicate_member IS 'Each copy of a duplicate group, located in the raw text.';
COMMENT ON COLUMN dq_duplicate_member.group_id IS 'Group (-> dq_duplicate_group); unique with member_no.';
COMMENT ON COLUMN dq_duplicate_member.member_no IS 'Copy number, 1 = the earliest copy in path, offset order.';
COMMENT ON COLUMN dq_duplicate_member.role IS 'paragraph (a kept paragraph) | dropped (a repeated copy removed) | span.';
COMMENT ON COLUMN dq_duplicate_member.file_id IS 'Page file version (-> dim_source_file).';
COMMENT ON COLUMN dq_duplicate_member.article_id IS 'Item holding the copy (-> fact_article); NULL when outside any item.';
COMMENT ON COLUMN dq_duplicate_member.paragraph_id IS 'Paragraph holding this copy (-> fact_paragraph), if kept.';
COMMENT ON COLUMN dq_duplicate_member.anomaly_id IS 'The duplicated_block anomaly of a dropped copy (-> dq_anomaly).';
COMMENT ON COLUMN dq_duplicate_member.start_offset IS 'Start of the copy in dim_source_file.raw_text.';
COMMENT ON COLUMN dq_duplicate_member.end_offset IS 'End of the copy in raw_text (exclusive).';

COMMENT ON TABLE dq_near_duplicate IS 'Pairs of paragraphs with nearly the same text, recomputed after every load.';
COMMENT ON COLUMN dq_near_duplicate.paragraph_a IS 'The smaller paragraph_id of the pair (-> fact_paragraph); unique with b.';
COMMENT ON COLUMN dq_near_duplicate.paragraph_b IS 'The larger paragraph_id of the pair (-> fact_paragraph).';
COMMENT ON COLUMN dq_near_duplicate.scope IS 'Where the two are: article | page | warehouse.';
COMMENT ON COLUMN dq_near_duplicate.similarity IS 'Exact Jaccard similarity of the character 5-gram sets, 0-1.';
COMMENT ON COLUMN dq_near_duplicate.estimate IS 'MinHash estimate of the similarity.';

-- Views

COMMENT ON VIEW v_article IS 'Current items with their page, date, people and keywords: the friendly surface for queries.';
COMMENT ON COLUMN v_article.article_id IS 'Item key (fact_article).';
COMMENT ON COLUMN v_article.source_path IS 'Page file path relative to the folder.';
COMMENT ON COLUMN v_article.item_no IS 'Item number on the page, from 1.';
COMMENT ON COLUMN v_article.kind IS 'article | photo.';
COMMENT ON COLUMN v_article.title IS 'Main title; NULL when the item has none.';
COMMENT ON COLUMN v_article.headline IS 'Headline lines joined by '' / ''.';
COMMENT ON COLUMN v_article.page_banner IS 'Banner line above the headline, when there is one.';
COMMENT ON COLUMN v_article.intertitles IS 'Section heads printed inside the body.';
COMMENT ON COLUMN v_article.dateline IS 'Dispatch head as printed (本报讯).';
COMMENT ON COLUMN v_article.date_text IS 'First date of the dispatch head or lead, as printed.';
COMMENT ON COLUMN v_article.date IS 'Resolved date; NULL when no year could be inferred.';
COMMENT ON COLUMN v_article.date_confidence IS 'Confidence in the inferred year, 0-1.';
COMMENT ON COLUMN v_article.reporters IS 'Reporters'' names, sorted.';
COMMENT ON COLUMN v_article.correspondents IS 'Correspondents'' names, sorted.';
COMMENT ON COLUMN v_article.photographers IS 'Photographers'' names, sorted.';
COMMENT ON COLUMN v_article.keywords IS 'TF-IDF keywords, strongest first.';
COMMENT ON COLUMN v_article.n_paragraphs IS 'Paragraphs in the body.';
COMMENT ON COLUMN v_article.n_chars IS 'Characters in the body.';
COMMENT ON COLUMN v_article.n_anomalies IS 'Anomalies recorded for the item.';
COMMENT ON COLUMN v_article.is_truncated IS 'The body is cut off.';
COMMENT ON COLUMN v_article.body IS 'Repaired reading text.';

COMMENT ON VIEW v_anomaly_summary IS 'Anomalies of the current pages counted by page, type and severity.';
COMMENT ON COLUMN v_anomaly_summary.source_path IS 'Page file path relative to the folder.';
COMMENT ON COLUMN v_anomaly_summary.type IS 'Kind of anomaly.';
COMMENT ON COLUMN v_anomaly_summary.severity IS 'error | warning | info.';
COMMENT ON COLUMN v_anomaly_summary.n IS 'Anomalies of that type on the page.';
COMMENT ON COLUMN v_anomaly_summary.example IS 'One of their excerpts (the smallest).';

COMMENT ON VIEW v_people IS 'Credited people of the current items by role, with their article counts and date range.';
COMMENT ON COLUMN v_people.name IS 'The person''s name.';
COMMENT ON COLUMN v_people.role IS 'reporter | correspondent | intern | photographer.';
COMMENT ON COLUMN v_people.articles IS 'Items credited to the person in that role.';
COMMENT ON COLUMN v_people.first_date IS 'Earliest resolved date of those items.';
COMMENT ON COLUMN v_people.last_date IS 'Latest resolved date of those items.';
