"""Key formats and value sets of the tables, stated once: the Pandera models use them, and
the Great Expectations suites name them (`"$ARTICLE_ID"`, resolved when a suite is loaded)."""

from newsetl.tables.keys import FILE_HEX, GROUP_HEX, NAME_HEX, SEQ_DIGITS

_FILE = rf"f[0-9a-f]{{{FILE_HEX}}}"
_SEQ = rf"\d{{{SEQ_DIGITS}}}"
FILE_ID = rf"^{_FILE}$"
ARTICLE_ID = rf"^{_FILE}:{_SEQ}$"
PARAGRAPH_ID = rf"^{_FILE}:{_SEQ}:{_SEQ}$"
ANOMALY_ID = rf"^{_FILE}:a\d{{4}}$"
PERSON_ID = rf"^p[0-9a-f]{{{NAME_HEX}}}$"
ENTITY_ID = rf"^e[0-9a-f]{{{NAME_HEX}}}$"
GROUP_ID = rf"^g[0-9a-f]{{{GROUP_HEX}}}$"
SHA256 = r"^[0-9a-f]{64}$"
SHA1 = r"^[0-9a-f]{40}$"
# A person's name as printed in a byline: 2-6 Chinese characters (a compound or transliterated
# name with its ·), or a Latin name.
PERSON_NAME = r"^(?:[\u3400-\u9fff·]{2,6}|[A-Za-z][A-Za-z .'-]{1,40})$"
MIN_YEAR, MAX_YEAR = 1949, 2100

ITEM_KINDS = ("article", "photo")
KEYWORD_METHODS = ("tfidf", "textrank")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030", "big5")
FILE_STATUSES = ("current", "superseded", "removed")
ENTITY_TYPES = ("person", "place", "organization")
BYLINE_ROLES = ("reporter", "correspondent", "intern", "photographer")
COPY_KINDS = ("paragraph", "span")
COPY_ROLES = ("paragraph", "dropped", "span")
