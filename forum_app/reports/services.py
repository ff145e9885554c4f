"""What the report pages ask for: the tables of a period, exact for staff and with small
cells hidden for everyone else, and one table as a spreadsheet."""

from datetime import date

from ..accounts.models import Role
from ..registration.export import to_csv, to_xlsx
from .charts import bar_chart
from .figures import figures_for
from .periods import Period
from .tables import Table, table_of, tables

STAFF_ROLES = (Role.OFFICIAL.value, Role.ORGANISER.value)  # admins hold every role


def sees_exact_figures(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*STAFF_ROLES))


def report(period: Period, today: date, exact: bool) -> list[tuple[Table, object]]:
    """Every table of the period with its chart (None where there is nothing to draw)."""
    return [(table, bar_chart(table.bars)) for table in
            tables(figures_for(period, today), public=not exact)]


def export_table(period: Period, today: date, exact: bool, slug: str,
                 file_format: str) -> tuple[bytes, str] | None:
    """(file body, file name) of one table as CSV or XLSX; None for an unknown table."""
    table = table_of(tables(figures_for(period, today), public=not exact), slug)
    if table is None:
        return None
    name = f"forum-{slug}-{period.start.isoformat()}-{period.end.isoformat()}"
    if file_format == "csv":
        return to_csv(table.sheet()), f"{name}.csv"
    return to_xlsx(table.sheet(), table.title), f"{name}.xlsx"
