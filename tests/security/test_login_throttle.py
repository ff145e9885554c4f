"""Finding 7 (Low): five wrong passwords from one address locked the account for everyone;
the right password from another address then got 429. Failures now count per (account,
address) pair."""

from tests import factories


def sign_in(client, password: str, address: str):
    return client.post("/account/login", data={"email": "citizen@example.mn",
                                               "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_wrong_passwords_from_one_address_do_not_lock_out_another(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)
    with app.app_context():
        factories.seed_reference()
        factories.user("citizen@example.mn")
    attacker, owner = app.test_client(), app.test_client()
    codes = [sign_in(attacker, "wrong-password", "203.0.113.9").status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]  # the attacker's address is slowed down
    assert sign_in(owner, factories.PASSWORD, "198.51.100.7").status_code == 302
