-- Friendly views for ad-hoc SQL.

CREATE OR REPLACE VIEW v_article AS
SELECT
    a.article_id,
    f.path AS source_path,
    a.item_no,
    a.kind,
    a.title,
    array_to_string(a.headline_lines, ' / ') AS headline,
    a.page_banner,
    a.intertitles,
    a.dateline,
    a.date_text,
    d.date,
    a.date_confidence,
    (SELECT list(p.name ORDER BY p.name) FROM bridge_article_person b
        JOIN dim_person p USING (person_id)
        WHERE b.article_id = a.article_id AND b.role = 'reporter') AS reporters,
    (SELECT list(p.name ORDER BY p.name) FROM bridge_article_person b
        JOIN dim_person p USING (person_id)
        WHERE b.article_id = a.article_id AND b.role = 'correspondent') AS correspondents,
    (SELECT list(p.name ORDER BY p.name) FROM bridge_article_person b
        JOIN dim_person p USING (person_id)
        WHERE b.article_id = a.article_id AND b.role = 'photographer') AS photographers,
    (SELECT list(k.keyword ORDER BY k.rank) FROM fact_article_keyword k
        WHERE k.article_id = a.article_id AND k.method = 'tfidf') AS keywords,
    a.n_paragraphs,
    a.n_chars,
    a.n_anomalies,
    a.is_truncated,
    a.body
FROM fact_article a
JOIN dim_source_file f USING (file_id)
LEFT JOIN dim_date d USING (date_key)
WHERE f.status = 'current';

CREATE OR REPLACE VIEW v_anomaly_summary AS
SELECT
    f.path AS source_path,
    an.type,
    an.severity,
    count(*) AS n,
    min(an.excerpt) AS example
FROM dq_anomaly an
JOIN dim_source_file f USING (file_id)
WHERE f.status = 'current'
GROUP BY ALL
ORDER BY source_path, n DESC;

CREATE OR REPLACE VIEW v_people AS
SELECT
    p.name,
    b.role,
    count(DISTINCT b.article_id) AS articles,
    min(d.date) AS first_date,
    max(d.date) AS last_date
FROM bridge_article_person b
JOIN dim_person p USING (person_id)
JOIN fact_article a USING (article_id)
JOIN dim_source_file f USING (file_id)
LEFT JOIN dim_date d ON d.date_key = a.date_key
WHERE f.status = 'current'
GROUP BY ALL
ORDER BY articles DESC, p.name;
