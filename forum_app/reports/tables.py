"""The figures as labelled tables, in the reader's language: one builder for the dashboard,
its charts and its exports. For the public, every cell of a breakdown under 5 reads "<5"
(and its share is not shown); the summary's totals stay exact."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ..core.reference import STAKEHOLDER_LABELS
from ..events.labels import SDG_NAMES
from ..i18n import localized
from ..issues.models import STATUS_LABELS
from ..registration.models import AGE_BAND_LABELS, GENDERS
from .figures import Figures
from .public import HIDDEN, suppressed

NOT_GIVEN = _l("Not given")


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart_column: int | None = 1  # the column drawn as bars (None: no chart)

    @property
    def bars(self) -> list[tuple[str, object]]:
        if self.chart_column is None:
            return []
        return [(str(row[0]), row[self.chart_column]) for row in self.rows]

    def sheet(self) -> list[list]:
        """The header and the rows, as exports write them."""
        return [list(map(str, self.columns)), *self.rows]


def _label(labels: dict, key) -> str:
    if key is None:
        return str(NOT_GIVEN)
    return str(labels.get(key, key))


def _named(rows: dict, key) -> str:
    row = rows.get(key)
    return localized(row, "name") if row is not None else str(NOT_GIVEN)


def _shares(slug, title, counts: dict, name, public: bool, heading=None) -> Table:
    """A breakdown as count and share (percent of the whole)."""
    total = sum(counts.values())
    table = Table(slug, str(title), [str(heading or title), str(_l("Count")),
                                     str(_l("Share (%)"))])
    for key, count in counts.items():
        share = round(count * 100 / total, 1) if total else 0
        shown = suppressed(count) if public else count
        table.rows.append([name(key), shown, "" if shown == HIDDEN else share])
    return table


def _summary(figures: Figures) -> Table:
    totals = figures.action_totals
    rate = figures.no_show_rate
    rows = [
        (_l("Events held"), figures.events_held),
        (_l("Registrations (confirmed)"), figures.registrations),
        (_l("Checked in"), figures.checked_in),
        (_l("No-show rate (%)"), "" if rate is None else round(rate * 100, 1)),
        (_l("Citizen issues submitted"), figures.issues_total),
        (_l("Issues not answered yet"), figures.unanswered),
        (_l("Median days to the first official answer"),
         "" if figures.median_days_to_first_answer is None
         else figures.median_days_to_first_answer),
        (_l("Decisions taken"), figures.decisions),
        (_l("Actions due in the period"), totals.total),
        (_l("Actions done"), totals.done),
        (_l("Actions done on time"), totals.on_time),
        (_l("Actions overdue"), totals.overdue),
    ]
    return Table("summary", str(_l("Summary")), [str(_l("Figure")), str(_l("Value"))],
                 [[str(label), value] for label, value in rows], chart_column=None)


def _count(value, public: bool):
    return suppressed(value) if public else value


def tables(figures: Figures, public: bool) -> list[Table]:
    people = figures.people
    result = [
        _summary(figures),
        _shares("stakeholders", _l("Who took part: stakeholder kind"),
                people.get("stakeholder_kind", {}),
                lambda key: _label(STAKEHOLDER_LABELS, key), public, _l("Stakeholder kind")),
        _shares("gender", _l("Who took part: gender"), people.get("gender", {}),
                lambda key: _label(GENDERS, key), public, _l("Gender")),
        _shares("age", _l("Who took part: age band"), people.get("age_band", {}),
                lambda key: _label(AGE_BAND_LABELS, key), public, _l("Age band")),
        _shares("district", _l("Who took part: district"), people.get("district", {}),
                lambda key: _named(figures.districts, key), public, _l("District")),
        _shares("issue-status", _l("Citizen issues by status"), figures.issues_by_status,
                lambda key: _label(STATUS_LABELS, key), public, _l("Status")),
        _shares("issue-category", _l("Citizen issues by category"), figures.issues_by_category,
                lambda key: _named(figures.categories, key), public, _l("Category")),
        _shares("issue-district", _l("Citizen issues by district"), figures.issues_by_district,
                lambda key: _named(figures.districts, key), public, _l("District")),
        _shares("issue-sdg", _l("Citizen issues by goal (SDG)"), figures.issues_by_sdg,
                lambda key: f"{key}. {SDG_NAMES[key - 1]}" if 1 <= key <= 17 else str(key),
                public, _l("Goal (SDG)")),
    ]
    answers = Table("answer-days", str(_l("Median days to the first answer, per department")),
                    [str(_l("Department")), str(_l("Median days"))])
    answers.rows = [[_named(figures.departments, key), days] for key, days in
                    sorted(figures.median_days_by_department.items(), key=lambda kv: kv[1])]
    actions = Table("actions", str(_l("Actions due in the period, per department")),
                    [str(_l("Department")), str(_l("Actions")), str(_l("Done")),
                     str(_l("Done on time")), str(_l("Overdue"))], chart_column=4)
    actions.rows = [[_named(figures.departments, key), *(_count(n, public) for n in (
        row.total, row.done, row.on_time, row.overdue))] for key, row in sorted(
        figures.actions.items(), key=lambda kv: -kv[1].overdue)]
    feedback = Table("feedback", str(_l("Feedback scores per event")),
                     [str(_l("Event")), str(_l("Average rating (1-5)")),
                      str(_l("Responses"))])
    for row in figures.feedback:
        hidden = public and row.responses < 5
        feedback.rows.append([localized(row, "title"),
                              "" if hidden or row.average is None else row.average,
                              _count(row.responses, public)])
    result += [answers, actions, feedback]
    if len(figures.trend) > 1:
        trend = Table("trend", str(_l("Per month")),
                      [str(_l("Month")), str(_l("Registrations (confirmed)")),
                       str(_l("Events held")), str(_l("Citizen issues submitted"))])
        trend.rows = [[month, values["registrations"], values["events"], values["issues"]]
                      for month, values in figures.trend.items()]
        result.append(trend)
    return result


def table_of(all_tables: list[Table], slug: str) -> Table | None:
    return next((table for table in all_tables if table.slug == slug), None)
