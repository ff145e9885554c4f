"""Full-text suggestions and search: Cyrillic, partial words, and no input breaks them."""

import pytest
from sqlalchemy import delete

from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.issues.models import Issue, IssueStatus
from forum_app.issues.queries import IssueFilters, list_issues
from forum_app.issues.search import suggest_similar, tokens
from tests import factories


def titles(issues) -> list[str]:
    return [issue.title for issue in issues]


def test_tokens_keep_only_letters_and_digits():
    assert tokens('Хогийн "цэг" OR NEAR(дүүрсэн*) ^14-р_хороолол: a&b') == [
        "хогийн", "цэг", "or", "near", "дүүрсэн", "14", "р", "хороолол"]
    assert tokens("ё-ий: a&b|c") == ["ё", "ий", "a", "b", "c"]
    assert tokens("ХОГ хог Хог") == ["хог"]
    assert len(tokens(" ".join(f"үг{n}" for n in range(30)))) == 8
    assert tokens("a б", min_length=2) == []


def test_a_partial_cyrillic_title_finds_the_existing_issue(app):
    factories.issue(title="Хогийн цэг дүүрсэн, ачилт хийгдэхгүй байна")
    factories.issue(title="Сургуулийн дээрэлхэлт", description="Хүүхдүүд айж байна.")
    assert titles(suggest_similar("хогий цэ")) == ["Хогийн цэг дүүрсэн, ачилт хийгдэхгүй байна"]
    assert titles(suggest_similar("ХОГИЙН")) == ["Хогийн цэг дүүрсэн, ачилт хийгдэхгүй байна"]
    # Any word may match: a duplicate worded differently is still suggested.
    assert titles(suggest_similar("Манай хорооллын хогийн машин")) == [
        "Хогийн цэг дүүрсэн, ачилт хийгдэхгүй байна"]
    assert suggest_similar("дулаан") == []


def test_the_description_is_searched_too_and_the_better_match_comes_first(app):
    factories.issue(title="Усны даралт сул", description="Орой ус гарахгүй байна.")
    factories.issue(title="Усны шугам хагарсан", description="Усны шугам хагарч мөс тогтсон, "
                    "шугам засах хэрэгтэй.")
    assert titles(suggest_similar("шугам хагар"))[0] == "Усны шугам хагарсан"
    assert len(suggest_similar("ус")) == 2


def test_hidden_and_merged_issues_are_not_suggested(app):
    hidden = factories.issue(title="Гэрэлтүүлэг ажиллахгүй байна")
    merged = factories.issue(title="Гэрэлтүүлэг асахгүй байна")
    visible = factories.issue(title="Гэрэлтүүлэг унтарсан")
    hidden.hidden_at = utcnow()
    merged.status, merged.merged_into_id = IssueStatus.MERGED.value, visible.id
    db.session.commit()
    assert titles(suggest_similar("гэрэлтүүлэг")) == ["Гэрэлтүүлэг унтарсан"]


@pytest.mark.parametrize("query", [
    '"', "*", "хог*", "NEAR(хог цэг)", "хог AND OR NOT", "^хог", "хог:*", "!хог & | ( )",
    "title:хог", "'; DROP TABLE issues; --", "\\", "🙂🙂", "хог" * 100, " ", "",
])
def test_no_input_causes_a_search_error(app, query):
    factories.issue(title="Хогийн цэг")
    suggest_similar(query)
    list_issues(IssueFilters(q=query))


def test_the_index_follows_edits_and_deletions(app):
    issue = factories.issue(title="Замын нүх томорсон")
    issue.title = "Явган хүний зам эвдэрсэн"
    db.session.commit()
    assert suggest_similar("нүх") == []
    assert titles(suggest_similar("эвдэр")) == ["Явган хүний зам эвдэрсэн"]
    issue.support_count = 5  # other columns leave the index alone
    db.session.commit()
    assert titles(suggest_similar("эвдэр")) == ["Явган хүний зам эвдэрсэн"]
    db.session.execute(delete(Issue).where(Issue.id == issue.id))
    db.session.commit()
    assert suggest_similar("эвдэр") == []


def test_the_list_search_needs_every_word(app):
    factories.issue(title="Хогийн цэг дүүрсэн")
    factories.issue(title="Хогийн машин ирэхгүй")
    assert titles(list_issues(IssueFilters(q="хог машин")).items) == ["Хогийн машин ирэхгүй"]
    assert len(list_issues(IssueFilters(q="хог")).items) == 2
