"""Issues and comments for the moderation tests, inserted as rows (the issue services are
another part's), and a look at what the moderation e-mails said."""

from sqlalchemy import select

from forum_app.extensions import db
from forum_app.issues.models import Category, Comment, Issue


def category() -> Category:
    found = db.session.scalar(select(Category).where(Category.slug == "waste"))
    if found is None:
        found = Category(slug="waste", name_mn="Хог хаягдал, байгаль орчин",
                         name_en="Waste and environment")
        db.session.add(found)
        db.session.commit()
    return found


def issue(author, title="Хогийн цэг халиж байна", **values) -> Issue:
    row = Issue(title=title, description="7-р багийн хогийн цэгийг долоо хоног ачаагүй.",
                category_id=category().id, author_id=author.id if author else None, **values)
    db.session.add(row)
    db.session.commit()
    return row


def comment(on: Issue, author, body="Манай гудамжинд ч мөн адил.") -> Comment:
    row = Comment(issue_id=on.id, author_id=author.id if author else None, body=body)
    db.session.add(row)
    db.session.commit()
    return row


def delivered_to(mail_inbox, address: str) -> list[str]:
    """The plain-text bodies of the messages `address` received."""
    texts = []
    for message in mail_inbox.to(address):
        part = message.get_body(preferencelist=("plain",))
        texts.append(str(message["Subject"]) + "\n" + part.get_content())
    return texts


