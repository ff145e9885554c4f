"""What each open data file holds: its name, title, description and fields (name, type,
meaning). The JSON files, the CSV headers, datapackage.json and the page are all drawn from
here, and records.py yields the rows in exactly these fields."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..deliberation.models import ActionStatus, ContributionKind, DecisionMethod, Stage
from ..issues.models import IssueStatus
from . import records

LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
ATTRIBUTION = "Darkhan City Forum, Darkhan-Uul Province, Mongolia"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema: integer, number, string, boolean, datetime, date, array
    description: str


@dataclass(frozen=True)
class Dataset:
    name: str
    title: object  # lazy text, for the page
    description: object
    fields: tuple[Field, ...]
    rows: Callable[[], Iterator[dict]]

    @property
    def field_names(self) -> list[str]:
        return [field.name for field in self.fields]


def _f(name: str, kind: str, description: str) -> Field:
    return Field(name, kind, description)


def _one_of(values) -> str:
    names = [value.value for value in values]
    return "One of " + ", ".join(names[:-1]) + " or " + names[-1]


def _texts(name: str, what: str) -> tuple[Field, Field]:
    return (_f(f"{name}_mn", "string", f"{what}, in Mongolian (empty when not given)"),
            _f(f"{name}_en", "string", f"{what}, in English (empty when not given)"))


ID = _f("id", "integer", "Identifier, also in the site's addresses")
CREATED = _f("created_at", "datetime", "When it was recorded (UTC)")
DEPARTMENT = _f("department", "string", "The responsible department (its short name)")
ITEM = _f("agenda_item_id", "integer", "The agenda item (agenda_items.id)")

DATASETS = (
    Dataset("issues", _l("Citizens' issues"),
            _l("Problems raised by citizens, without any name or contact; a map position only "
               "where its author made it public. Hidden issues are left out."), (
        ID, _f("title", "string", "Title, in the author's language"),
        _f("description", "string", "The problem in the author's words"),
        _f("language", "string", "Language of title and description: mn or en"),
        _f("status", "string", _one_of(IssueStatus)),
        _f("category", "string", "Category (its short name)"), *_texts("category", "Category"),
        _f("district", "string", "Soum or bag (its short name)"),
        *_texts("district", "Soum or bag"),
        _f("place_description", "string", "Where, as the author described it"),
        _f("latitude", "number", "WGS 84 latitude, only when the author made it public"),
        _f("longitude", "number", "WGS 84 longitude, only when the author made it public"),
        _f("sdgs", "array", "Sustainable Development Goals (1-17) it concerns"),
        _f("channel", "string", "How it came in: web, paper, phone or meeting"),
        _f("department", "string", "The department it was forwarded to (its short name)"),
        _f("support_count", "integer", "People who support it"),
        _f("comment_count", "integer", "Comments on it"),
        _f("merged_into_id", "integer", "The issue it was merged into"),
        _f("forum_event_id", "integer", "The forum it was accepted for"),
        CREATED, _f("updated_at", "datetime", "Its last public change (UTC)")),
        records.issues),
    Dataset("official_answers", _l("Official answers to issues"),
            _l("What departments answered to citizens' issues, in both languages."), (
        ID, _f("issue_id", "integer", "The issue answered (issues.id)"), DEPARTMENT,
        *_texts("department", "Department"), *_texts("body", "The answer"), CREATED),
        records.official_answers),
    Dataset("agenda_items", _l("Forum agenda items"),
            _l("Each problem put on a forum's agenda: the statement, the evidence, the issues "
               "it came from and the stage it has reached."), (
        ID, _f("event_id", "integer", "The forum event"),
        _f("event", "string", "The forum event (its short name, as in its address)"),
        *_texts("event_title", "Title of the event"),
        _f("position", "integer", "Place on the agenda"), *_texts("title", "Title"),
        *_texts("problem", "The problem statement"),
        *_texts("evidence", "Figures and sources presented"),
        _f("presenter_kind", "string", "Stakeholder group of the presenter"),
        _f("stage", "string", _one_of(Stage)),
        _f("stage_changed_at", "datetime", "When it reached its stage (UTC)"),
        _f("issue_ids", "array", "The citizens' issues it came from (issues.id)"), CREATED),
        records.agenda_items),
    Dataset("contributions", _l("What was said in the discussion"),
            _l("Questions, evidence, concerns and ideas recorded during the discussion, with "
               "the speaker's stakeholder group, never the name."), (
        ID, ITEM, _f("kind", "string", _one_of(ContributionKind)),
        _f("stakeholder_kind", "string", "Stakeholder group of the speaker"),
        _f("body", "string", "What was said"),
        _f("language", "string", "Language of the text: mn or en"), CREATED),
        records.contributions),
    Dataset("solution_options", _l("Solution options"),
            _l("The solutions proposed for each agenda item, with pros, cons, cost and the "
               "department's view on feasibility."), (
        ID, ITEM, _f("position", "integer", "Order among the item's options"),
        *_texts("title", "Title"), *_texts("description", "Description"),
        _f("proposer_kind", "string", "Stakeholder group of who proposed it"),
        *_texts("pros", "Arguments for"), *_texts("cons", "Arguments against"),
        _f("cost_estimate_mnt", "integer", "Estimated cost in tugriks (MNT)"),
        _f("department", "string", "The department asked about feasibility"),
        *_texts("feasibility", "The department's note on feasibility"),
        _f("withdrawn_at", "datetime", "When it was withdrawn before the vote (UTC)"),
        _f("chosen", "boolean", "Whether the decision agreed on it")),
        records.solution_options),
    Dataset("votes", _l("Vote counts"),
            _l("For each option on the ballot: the count of the secret ballot and the room's "
               "hand tallies per stakeholder group. Counts only: who voted for what is never "
               "stored."), (
        ITEM, _f("option_id", "integer", "The option (solution_options.id)"),
        _f("source", "string", "ballot (phones and paper, secret) or hands (counted in the room)"),
        _f("stakeholder_kind", "string", "For hands: the stakeholder group counted"),
        _f("count", "integer", "Votes"),
        _f("recorded_at", "datetime", "For hands: when the standing count was recorded (UTC)")),
        records.votes),
    Dataset("decisions", _l("Decisions"),
            _l("What was agreed on each agenda item, how and why, and any dissent."), (
        ID, ITEM, *_texts("text", "The decision"),
        _f("method", "string", _one_of(DecisionMethod)),
        *_texts("rationale", "Why"), *_texts("dissent", "Recorded dissent"),
        _f("decided_at", "datetime", "When (UTC)"),
        _f("review_on", "date", "When the decision is to be reviewed"),
        _f("option_ids", "array", "The options agreed on (solution_options.id)")),
        records.decisions),
    Dataset("actions", _l("Actions"),
            _l("What each department does to carry out a decision, by when, with what budget, "
               "and how far it has got."), (
        ID, _f("decision_id", "integer", "The decision (decisions.id)"), ITEM,
        *_texts("title", "Title"), DEPARTMENT, *_texts("department", "Department"),
        _f("due_on", "date", "Due date (overdue when past and not done or cancelled)"),
        _f("budget_mnt", "integer", "Budget in tugriks (MNT)"),
        *_texts("indicator", "How success is measured"),
        _f("status", "string", _one_of(ActionStatus) + ": that of its latest progress update"),
        _f("percent", "integer", "Percent done: that of its latest progress update"), CREATED),
        records.actions),
    Dataset("progress_updates", _l("Progress updates"),
            _l("Every progress report on an action, oldest first: each states its own status "
               "and percent."), (
        ID, _f("action_id", "integer", "The action (actions.id)"),
        _f("status", "string", _one_of(ActionStatus)),
        _f("percent", "integer", "Percent done"), *_texts("note", "What was done"),
        _f("evidence_url", "string", "A link to evidence"), CREATED),
        records.progress_updates),
)

BY_NAME = {dataset.name: dataset for dataset in DATASETS}
