"""Cursor pagination for every list of the API.

A list answers {"<items>": [...], "next": URL | null}: `next` is the absolute path of the
following page, with the same filters and a `cursor` (core.cursors: the position of this
page's last row), or null on the last page. Rows are read by key (database.seek), so a page
deep in a long list costs what the first does, and a row added while someone walks the list
neither repeats nor pushes another out. `?per_page=` asks for fewer rows than
database.API_PAGE_SIZE (the default and the most). A bad cursor or per_page is a 422 that
names the field. No list counts its rows.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from flask import request, url_for
from flask_babel import gettext as _

from ..core.cursors import decode_cursor, encode_cursor
from ..database import API_PAGE_SIZE, OrderKey, seek

ALWAYS_KEPT = ("lang", "per_page")


@dataclass
class Paging:
    """What the request asked of a list: where to start and how many rows."""

    name: str  # the list and its order, so that one list's cursor does not fit another
    order: Sequence[OrderKey]
    after: tuple | None = None
    per_page: int = API_PAGE_SIZE

    def page(self, query) -> tuple[list, tuple | None]:
        return seek(query, self.order, after=self.after, per_page=self.per_page)

    def next_url(self, last: tuple | None, kept: Sequence[str]) -> str | None:
        """The next page's path, keeping the filters named in `kept` as they were asked."""
        if last is None:
            return None
        values = {name: request.args[name] for name in (*kept, *ALWAYS_KEPT)
                  if request.args.get(name)}
        return url_for(request.endpoint, **(request.view_args or {}), **values,
                       cursor=encode_cursor(self.name, last))


def _per_page(errors: dict) -> int:
    text = request.args.get("per_page")
    if text is None:
        return API_PAGE_SIZE
    if len(text) <= 3 and text.isascii() and text.isdigit() and 1 <= int(text) <= API_PAGE_SIZE:
        return int(text)
    errors["per_page"] = _("Please give a whole number from 1 to %(most)d.", most=API_PAGE_SIZE)
    return API_PAGE_SIZE


def read_paging(name: str, order: Sequence[OrderKey], errors: dict) -> Paging:
    """?cursor= and ?per_page= of the request; each bad one is added to `errors` (the
    view's 422), with the view's own fields."""
    paging = Paging(name, order, per_page=_per_page(errors))
    try:
        paging.after = decode_cursor(name, order, request.args.get("cursor"))
    except ValueError:
        errors["cursor"] = _("This cursor is not one this list gave; please start again "
                             "from the first page.")
    return paging
