import pytest
from sqlalchemy import select

from forum_app.accounts.models import Role, User
from forum_app.core.models import Department
from forum_app.extensions import db
from tests import factories

ADMIN_PAGES = ["/admin/", "/admin/users", "/admin/departments", "/admin/districts",
               "/admin/departments/new", "/admin/outbox"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_citizen_gets_403_on_admin_pages(client, auth, url):
    factories.user("citizen@example.mn")
    auth.login()
    response = client.get(url)
    assert response.status_code == 403
    assert "Танд энэ хуудсанд хандах эрх байхгүй" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_guest_is_sent_to_sign_in(client, url):
    assert client.get(url).headers["Location"].startswith("/account/login?next=")


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_sees_admin_pages(client, auth, url):
    factories.user("admin@example.mn", roles=[Role.ADMIN])
    auth.login("admin@example.mn")
    assert client.get(url).status_code == 200


def test_admin_makes_someone_an_official_of_a_department(client, auth):
    factories.user("admin@example.mn", roles=[Role.ADMIN])
    person = factories.user("oyuna@example.mn")
    auth.login("admin@example.mn")
    department = factories.department("water")
    response = client.post(f"/admin/users/{person.id}", data={
        "roles": ["official", "organiser"], "department_id": str(department.id), "reason": ""},
        follow_redirects=True)
    assert response.status_code == 200
    person = db.session.scalar(select(User).where(User.email == "oyuna@example.mn"))
    assert person.roles == {"citizen", "official", "organiser"}
    assert person.department.slug == "water"
    assert "user.roles_changed" in client.get(f"/admin/users/{person.id}").get_data(as_text=True)


def test_admin_blocks_a_user_with_a_reason_and_their_session_ends(app, client, auth):
    factories.user("admin@example.mn", roles=[Role.ADMIN])
    factories.user("spammer@example.mn")
    other = app.test_client()
    other.post("/account/login", data={"email": "spammer@example.mn",
                                       "password": factories.PASSWORD})
    assert other.get("/account/").status_code == 200
    auth.login("admin@example.mn")
    spammer_id = db.session.scalar(select(User.id).where(User.email == "spammer@example.mn"))
    assert client.post(f"/admin/users/{spammer_id}/block",
                       data={"block": "y", "reason": ""}).status_code == 302
    assert db.session.get(User, spammer_id).blocked_at is None
    client.post(f"/admin/users/{spammer_id}/block", data={"block": "y", "reason": "spam links"})
    db.session.expire_all()
    assert db.session.get(User, spammer_id).blocked_at is not None
    assert other.get("/account/").status_code == 302


def test_admin_adds_a_department_and_duplicate_code_is_refused(client, auth):
    factories.user("admin@example.mn", roles=[Role.ADMIN])
    auth.login("admin@example.mn")
    data = {"slug": "youth", "name_mn": "Залуучуудын хөгжлийн төв",
            "name_en": "Youth Development Centre", "email": ""}
    assert client.post("/admin/departments/new", data=data).status_code == 302
    response = client.post("/admin/departments/new", data=data)
    assert response.status_code == 200
    count = len(db.session.scalars(select(Department).where(Department.slug == "youth")).all())
    assert count == 1


def test_user_search(client, auth):
    factories.user("admin@example.mn", roles=[Role.ADMIN])
    factories.user("ganzorig@example.mn", name="Ганзориг")
    auth.login("admin@example.mn")
    page = client.get("/admin/users?q=ганзориг").get_data(as_text=True)
    assert "ganzorig@example.mn" in page and "admin@example.mn" not in page
