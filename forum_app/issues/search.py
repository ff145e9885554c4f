"""Full-text search over issue titles and descriptions, Cyrillic included.

SQLite: an FTS5 external-content table kept in step with `issues` by triggers.
PostgreSQL: a GIN index on to_tsvector('simple', title || ' ' || description).
Both are made by create_all (the listeners below) and by the migration (the same DDL).
What a person types is cut into tokens of letters and digits only, so no input can produce a
search syntax error; every token is a prefix ("хог" finds "хогийн").
"""

import re

from sqlalchemy import DDL, Double, cast, column, event, func, literal_column, select, table
from sqlalchemy.sql import ColumnElement

from ..database import OrderKey
from ..extensions import db
from .models import Issue, IssueStatus

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS issues_fts USING fts5("
    "title, description, content='issues', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 2\", prefix='2 3')",
    "CREATE TRIGGER IF NOT EXISTS issues_fts_ai AFTER INSERT ON issues BEGIN "
    "INSERT INTO issues_fts(rowid, title, description) "
    "VALUES (new.id, new.title, new.description); END",
    "CREATE TRIGGER IF NOT EXISTS issues_fts_ad AFTER DELETE ON issues BEGIN "
    "INSERT INTO issues_fts(issues_fts, rowid, title, description) "
    "VALUES ('delete', old.id, old.title, old.description); END",
    "CREATE TRIGGER IF NOT EXISTS issues_fts_au AFTER UPDATE OF title, description ON issues "
    "BEGIN "
    "INSERT INTO issues_fts(issues_fts, rowid, title, description) "
    "VALUES ('delete', old.id, old.title, old.description); "
    "INSERT INTO issues_fts(rowid, title, description) "
    "VALUES (new.id, new.title, new.description); END",
]
SQLITE_DROP = "DROP TABLE IF EXISTS issues_fts"

# The index expression and the query expression must be the same text for the index to be used.
PG_VECTOR = ("to_tsvector('simple', coalesce(issues.title, '') || ' ' || "
             "coalesce(issues.description, ''))")
POSTGRES_DDL = [
    "CREATE INDEX IF NOT EXISTS ix_issues_fts ON issues USING gin "
    "((to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(description, ''))))",
]

for _statement in SQLITE_DDL:
    event.listen(Issue.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRES_DDL:
    event.listen(Issue.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="postgresql"))
# Dropping `issues` drops its triggers; the FTS table must go with it.
event.listen(Issue.__table__, "after_drop", DDL(SQLITE_DROP).execute_if(dialect="sqlite"))

TOKEN = re.compile(r"[^\W_]+")
MAX_TOKENS = 8
MAX_TOKEN_LENGTH = 40
_fts = table("issues_fts", column("rowid"), column("rank"))


def tokens(text: str | None, min_length: int = 1) -> list[str]:
    """Distinct lower-case words of letters and digits, in order, at most MAX_TOKENS."""
    found: list[str] = []
    for word in TOKEN.findall((text or "").lower()):
        word = word[:MAX_TOKEN_LENGTH]
        if len(word) >= min_length and word not in found:
            found.append(word)
        if len(found) == MAX_TOKENS:
            break
    return found


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _sqlite_query(words: list[str], any_word: bool) -> str:
    return (" OR " if any_word else " ").join(f'"{word}"*' for word in words)


def _postgres_query(words: list[str], any_word: bool) -> str:
    return (" | " if any_word else " & ").join(f"{word}:*" for word in words)


def match_ranking(words: list[str], any_word: bool = False) -> tuple:
    """(a subquery of issue_id and rank for issues matching `words`, the rank's order key for
    best first).

    Every word must match (prefix), or with any_word=True at least one of them."""
    if _dialect() == "postgresql":
        query = func.to_tsquery("simple", _postgres_query(words, any_word))
        vector = literal_column(PG_VECTOR)
        # As a double: a real's text form is not its exact value, and the API's cursor
        # carries the rank of a page's last row to compare it again.
        rank = cast(func.ts_rank(vector, query), Double)
        matches = (select(Issue.id.label("issue_id"), rank.label("rank"))
                   .where(vector.op("@@")(query)).subquery())
        return matches, OrderKey(matches.c.rank, descending=True, kind=float)
    condition = literal_column("issues_fts").op("MATCH")(_sqlite_query(words, any_word))
    matches = (select(_fts.c.rowid.label("issue_id"), _fts.c.rank.label("rank"))
               .where(condition).subquery())
    return matches, OrderKey(matches.c.rank, kind=float)  # FTS5 rank: more negative is better


def publicly_listed() -> ColumnElement[bool]:
    return Issue.hidden_at.is_(None)


def suggest_similar(text: str | None, limit: int = 5) -> list[Issue]:
    """Existing issues like `text` (a title being typed), best first: not hidden, not merged.

    Any word may match, so a duplicate worded a little differently is still found."""
    words = tokens(text, min_length=2)
    if not words:
        return []
    matches, best_first = match_ranking(words, any_word=True)
    return list(db.session.scalars(
        select(Issue).join(matches, matches.c.issue_id == Issue.id)
        .where(publicly_listed(), Issue.status != IssueStatus.MERGED.value)
        .order_by(best_first.ordering, Issue.support_count.desc(), Issue.id.desc())
        .limit(limit)))
