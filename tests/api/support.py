"""Walking an API list page by page, as a client does."""


def walk(client, url: str, items: str, between=None, most: int = 50) -> tuple[list, list]:
    """Every page of the list at `url`, following `next`: (the rows' ids in order, the next
    links). `between` runs after each page (rows that arrive while a client walks the list).
    A cursor that does not move on fails the test instead of looping."""
    ids, links = [], []
    for _page in range(most):
        answer = client.get(url)
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        assert set(body) == {items, "next"}
        ids += [row["id"] for row in body[items]]
        if between is not None:
            between()
        url = body["next"]
        if url is None:
            return ids, links
        links.append(url)
    raise AssertionError(f"{most} pages, and still a next one")
