"""Key and value formats shared by the table contracts."""

FILE_ID = r"^f[0-9a-f]{16}$"
ARTICLE_ID = r"^f[0-9a-f]{16}:\d{3}$"
PARAGRAPH_ID = r"^f[0-9a-f]{16}:\d{3}:\d{3}$"
ANOMALY_ID = r"^f[0-9a-f]{16}:a\d{4}$"
PERSON_ID = r"^p[0-9a-f]{12}$"
ENTITY_ID = r"^e[0-9a-f]{12}$"
SHA256 = r"^[0-9a-f]{64}$"
SHA1 = r"^[0-9a-f]{40}$"
# A person's name as printed in a byline: 2-4 Chinese characters, or a Latin name.
PERSON_NAME = r"^(?:[\u3400-\u9fff·]{2,6}|[A-Za-z][A-Za-z .'-]{1,40})$"
MIN_YEAR, MAX_YEAR = 1949, 2100
