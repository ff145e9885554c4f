"""A comment's author can edit or delete it for a short while (COMMENT_EDIT_MINUTES): the thread
marks it "edited" or keeps a "deleted by its author" placeholder; the earlier texts stay for
the author, moderators and officials; others, and anyone after the window, are refused."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum_app.extensions import db
from forum_app.issues.models import Comment, Issue
from forum_app.issues.services import add_comment
from forum_app.moderation.services import flag_content, hide_content
from tests import factories
from tests.support import mn, text_of

FIRST = "Манай гудамжинд гэрэл гурван долоо хоног асаагүй."
SECOND = "Манай гудамжинд гэрэл хоёр долоо хоног асаагүй."


@pytest.fixture
def people(app):
    return {"author": factories.user("author@example.mn", name="Болд Дорж"),
            "neighbour": factories.user("neighbour@example.mn", name="Сараа Бат"),
            "moderator": factories.user("mod@example.mn", roles=["moderator"])}


@pytest.fixture
def comment(people):
    issue = factories.issue(title="Гудамжны гэрэл асахгүй")
    return add_comment(people["author"], issue, FIRST)


def page_of(client, comment) -> str:
    return text_of(client.get(f"/issues/{comment.issue_id}"))


def edit_url(comment) -> str:
    return f"/issues/comments/{comment.id}/edit"


def delete_url(comment) -> str:
    return f"/issues/comments/{comment.id}/delete"


def history_url(comment) -> str:
    return f"/issues/comments/{comment.id}/history"


def age(comment, minutes: int) -> None:
    comment.created_at -= timedelta(minutes=minutes)
    db.session.commit()


def test_the_author_edits_and_the_thread_marks_it_edited_keeping_the_earlier_text(
        client, auth, people, comment):
    auth.login("author@example.mn")
    page = page_of(client, comment)
    assert f'href="{edit_url(comment)}"' in page and f'href="{delete_url(comment)}"' in page
    form = text_of(client.get(edit_url(comment)))
    assert FIRST in form  # the text to change is in the box
    response = client.post(edit_url(comment), data={"body": SECOND})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/issues/{comment.issue_id}#comment-"
                                                 f"{comment.id}")
    page = page_of(client, comment)
    assert SECOND in page and FIRST not in page and mn("edited") in page
    history = text_of(client.get(history_url(comment)))
    assert FIRST in history and SECOND in history

    auth.logout()
    public = page_of(client, comment)
    assert SECOND in public and FIRST not in public and mn("edited") in public
    assert history_url(comment) not in public  # earlier texts: not for the public


def test_moderators_read_the_earlier_versions_others_may_not(client, auth, people, comment):
    auth.login("author@example.mn")
    client.post(edit_url(comment), data={"body": SECOND})
    auth.logout()
    assert client.get(history_url(comment)).status_code == 302  # sign in first
    auth.login("neighbour@example.mn")
    assert client.get(history_url(comment)).status_code == 403
    auth.logout()
    auth.login("mod@example.mn")
    assert history_url(comment) in page_of(client, comment)
    assert FIRST in text_of(client.get(history_url(comment)))


def test_delete_leaves_a_placeholder_and_keeps_the_replies(client, auth, people, comment):
    issue = db.session.get(Issue, comment.issue_id)
    add_comment(people["neighbour"], issue, "Би ч бас харсан.", parent=comment)
    assert db.session.get(Issue, issue.id).comment_count == 2
    auth.login("author@example.mn")
    confirm = client.get(delete_url(comment))
    assert confirm.status_code == 200 and FIRST in text_of(confirm)
    assert db.session.get(Comment, comment.id).deleted_at is None  # GET changes nothing
    response = client.post(delete_url(comment))
    assert response.status_code == 302
    auth.logout()
    page = page_of(client, comment)
    assert mn("Comment deleted by its author.") in page and FIRST not in page
    assert "Би ч бас харсан." in page
    assert db.session.get(Issue, issue.id).comment_count == 1
    auth.login("mod@example.mn")
    assert FIRST in page_of(client, comment)  # moderators still read it


@pytest.mark.parametrize("url", [edit_url, delete_url])
def test_after_the_window_the_author_is_refused_with_a_reason(client, auth, people, comment,
                                                               url):
    age(comment, 16)
    auth.login("author@example.mn")
    assert f'href="{edit_url(comment)}"' not in page_of(client, comment)
    for method in ("GET", "POST"):
        response = client.open(url(comment), method=method, data={"body": SECOND})
        assert response.status_code == 403
        assert mn("A comment can be edited or deleted only within %(n)d minutes of publishing "
                  "it.", n=15) in text_of(response)
    kept = db.session.get(Comment, comment.id)
    assert (kept.body, kept.edited_at, kept.deleted_at) == (FIRST, None, None)


def test_the_window_is_a_setting(app_factory):
    app = app_factory(COMMENT_EDIT_MINUTES=60)
    with app.app_context(), app.test_request_context():
        factories.seed_reference()
        author = factories.user("a@example.mn")
        comment = add_comment(author, factories.issue(), FIRST)
        age(comment, 30)
        from forum_app.issues.services import comment_change_refusal
        assert comment_change_refusal(author, comment) is None
        age(comment, 31)
        assert comment_change_refusal(author, comment) is not None


def test_someone_else_cannot_edit_or_delete_it(client, auth, people, comment):
    for email in ("neighbour@example.mn", "mod@example.mn"):
        auth.login(email)
        assert f'href="{edit_url(comment)}"' not in page_of(client, comment)
        for url in (edit_url(comment), delete_url(comment)):
            response = client.post(url, data={"body": "Хакердсан"})
            assert response.status_code == 403
            assert mn("Only the author of a comment can edit or delete it.") in text_of(
                response)
        auth.logout()
    assert client.post(edit_url(comment), data={"body": "x"}).status_code == 302  # sign in
    assert db.session.get(Comment, comment.id).body == FIRST


def test_an_empty_edit_is_refused_and_changes_nothing(client, auth, people, comment):
    auth.login("author@example.mn")
    response = client.post(edit_url(comment), data={"body": "   "})
    assert response.status_code == 422
    assert mn("Please write a comment.") in text_of(response)
    kept = db.session.get(Comment, comment.id)
    assert kept.body == FIRST and kept.edited_at is None and not kept.revisions


def test_a_hidden_comment_cannot_be_edited_to_dodge_moderation(client, auth, people, comment):
    hide_content(people["moderator"], comment, "Хувийн мэдээлэл")
    auth.login("author@example.mn")
    response = client.post(edit_url(comment), data={"body": SECOND})
    assert response.status_code == 403
    assert mn("This comment was hidden by moderation; it cannot be edited or deleted.") in \
        text_of(response)


def test_an_edited_comment_can_still_be_reported_and_hidden(client, auth, people, comment):
    auth.login("author@example.mn")
    client.post(edit_url(comment), data={"body": "Доромжилсон үг"})
    auth.logout()
    auth.login("neighbour@example.mn")
    assert f'action="/moderation/flag/comment/{comment.id}"' in page_of(client, comment)
    flag_content(people["neighbour"], "comment", comment.id, "offensive")
    auth.logout()
    auth.login("mod@example.mn")
    review = text_of(client.get(f"/moderation/comment/{comment.id}"))
    assert "Доромжилсон үг" in review and history_url(comment) in review
    hide_content(people["moderator"], db.session.get(Comment, comment.id), "Доромжлол")
    auth.logout()
    page = page_of(client, comment)
    assert "Доромжилсон үг" not in page
    assert mn("This comment was hidden by moderation.") in page


def test_a_deleted_comment_takes_no_replies_and_cannot_be_reported(client, auth, people,
                                                                    comment):
    auth.login("author@example.mn")
    client.post(delete_url(comment))
    auth.logout()
    auth.login("neighbour@example.mn")
    page = page_of(client, comment)
    assert f'name="parent_id" value="{comment.id}"' not in page
    assert f'action="/moderation/flag/comment/{comment.id}"' not in page
    response = client.post(f"/issues/{comment.issue_id}/comments",
                           data={"body": "Хариу", "parent_id": str(comment.id)})
    assert response.status_code == 422
    assert mn("This comment was deleted by its author; it takes no replies.") in text_of(
        response)
    assert db.session.scalar(select(Comment).where(Comment.parent_id == comment.id)) is None


def test_my_data_holds_the_earlier_texts_and_deleting_the_account_drops_them(
        client, auth, people, comment):
    auth.login("author@example.mn")
    client.post(edit_url(comment), data={"body": SECOND})
    held = client.get("/account/data.json").get_json()["comments"]
    assert [(c["body"], [e["body"] for e in c["earlier_texts"]]) for c in held] == [
        (SECOND, [FIRST])]
    assert held[0]["edited_at"]
    response = client.post("/account/delete", data={"current_password": factories.PASSWORD,
                                                    "confirm": "y"})
    assert response.status_code == 302
    kept = db.session.get(Comment, comment.id)
    assert kept.body == SECOND and kept.revisions == []
