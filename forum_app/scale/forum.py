"""The forum record at scale: the city forums' agenda items (the citizens' issues screened onto
them), solution options, decisions, actions of named departments with due dates and budgets,
and their progress updates."""

import random
from datetime import timedelta

from sqlalchemy import select

from ..core.models import Department
from ..deliberation.models import (
    Action,
    AgendaItem,
    AgendaItemIssue,
    Contribution,
    Decision,
    DecisionOption,
    ProgressUpdate,
    SolutionOption,
)
from ..deliberation.stages import ActionStatus, DecisionMethod, Stage
from ..extensions import db
from ..i18n import utcnow
from .bulk import insert_rows, next_id
from .events import ScaleEvent
from .people import FEMALE, INITIALS, MALE

PAST_STAGES = [Stage.DECIDED] * 3 + [Stage.IN_PROGRESS] * 4 + [Stage.DONE] * 2 + [
    Stage.DISCUSSION]
OPTIONS = [("Төсөвт тусгаж, энэ онд шийдвэрлэх", "Fund it in this year's budget"),
           ("Хувийн хэвшилтэй хамтран хэрэгжүүлэх", "Carry it out with private partners"),
           ("Иргэдийн оролцоотой аян зохион байгуулах", "Organise a campaign with residents")]
CONTRIBUTIONS = [("question", "Хэзээ эхлэх вэ, хэн хариуцах вэ?"),
                 ("evidence", "Манай багт өнгөрсөн жил гурван удаа давтагдсан."),
                 ("concern", "Төсөв хүрэлцэх эсэх эргэлзээтэй байна."),
                 ("idea", "Оршин суугчид сайн дурын ажлаар туслах боломжтой.")]
INDICATORS = [("Засварласан байршлын тоо", "Number of places repaired"),
              ("Гомдлын тоо 50%-иар буурах", "Complaints down by half"),
              ("Хамрагдсан өрхийн тоо", "Households reached")]


# What the forum record is made of, parents first.
MODELS = (AgendaItem, AgendaItemIssue, Contribution, SolutionOption, Decision, DecisionOption,
          Action, ProgressUpdate)


class _Ids:
    """Consecutive ids for the rows of one table."""

    def __init__(self, model):
        self.next = next_id(model.__table__)

    def take(self) -> int:
        self.next += 1
        return self.next - 1


def _speaker(chooser: random.Random) -> str:
    return f"{chooser.choice(INITIALS)}. {chooser.choice(FEMALE + MALE)}"


def add_forum_record(forums: list[ScaleEvent], issues: list[dict], count: int,
                     chooser: random.Random) -> int:
    """`count` agenda items on the forums already held, each with the issues that were
    accepted for that forum. No commit; returns how many items."""
    now = utcnow()
    held = [event for event in forums if event.starts_at < now]
    if not held:
        return 0
    departments = list(db.session.scalars(select(Department.id)))
    titles = {issue["id"]: issue["title"] for issue in issues if issue["forum_event_id"]}
    by_forum: dict[int, list[int]] = {}
    for issue in issues:
        if issue["forum_event_id"]:
            by_forum.setdefault(issue["forum_event_id"], []).append(issue["id"])
    ids = {model: _Ids(model) for model in (AgendaItem, SolutionOption, Decision, Action,
                                            ProgressUpdate)}
    rows: dict = {model: [] for model in MODELS}
    for n in range(count):
        event = held[n % len(held)]
        item_id, stage = ids[AgendaItem].take(), chooser.choice(PAST_STAGES)
        linked = chooser.sample(by_forum.get(event.id, []), min(len(by_forum.get(event.id, [])), 2))
        title = titles[linked[0]] if linked else "Иргэдийн санал болгосон асуудал"
        at = event.starts_at + timedelta(minutes=20 * (n // len(held)))
        rows[AgendaItem].append({
            "id": item_id, "event_id": event.id, "position": n // len(held),
            "title_mn": title, "title_en": None, "problem_mn": f"{title}. Иргэдээс ирүүлсэн.",
            "problem_en": None, "presenter": _speaker(chooser), "presenter_kind": "citizen",
            "stage": stage.value, "stage_changed_at": at + timedelta(hours=1),
            "created_at": at, "updated_at": at + timedelta(hours=1)})
        rows[AgendaItemIssue] += [{"agenda_item_id": item_id, "issue_id": issue_id,
                                   "added_at": at}
                                  for issue_id in linked]
        rows[Contribution] += [{"agenda_item_id": item_id, "speaker_name": _speaker(chooser),
                                "stakeholder_kind": "citizen", "kind": kind, "body": body,
                                "language": "mn", "created_at": at + timedelta(minutes=5)}
                               for kind, body in chooser.sample(CONTRIBUTIONS, 2)]
        options = []
        for position, (title_mn, title_en) in enumerate(chooser.sample(OPTIONS, 2)):
            options.append(ids[SolutionOption].take())
            rows[SolutionOption].append({
                "id": options[-1], "agenda_item_id": item_id, "position": position,
                "title_mn": title_mn, "title_en": title_en, "proposer": _speaker(chooser),
                "proposer_kind": "citizen", "cost_estimate": chooser.randint(5, 500) * 1_000_000,
                "department_id": chooser.choice(departments), "created_at": at})
        if stage != Stage.DISCUSSION:
            _decide(rows, ids, item_id, options[0], at, stage, departments, chooser, now)
    for model, model_rows in rows.items():
        insert_rows(model.__table__, model_rows)
    return count


def _decide(rows, ids, item_id, option_id, at, stage, departments, chooser, now) -> None:
    decision_id = ids[Decision].take()
    rows[Decision].append({
        "id": decision_id, "agenda_item_id": item_id,
        "text_mn": "Оролцогч талууд санал нэгтэй шийдвэрлэв.",
        "text_en": "The stakeholders agreed.", "method": chooser.choice(list(DecisionMethod)).value,
        "rationale_mn": "Хамгийн олон санал авсан хувилбар.", "decided_by": "Форумын оролцогчид",
        "decided_at": at + timedelta(hours=2)})
    rows[DecisionOption].append({"decision_id": decision_id, "option_id": option_id})
    for _ in range(chooser.randint(1, 3)):
        action_id = ids[Action].take()
        indicator = chooser.choice(INDICATORS)
        due = (at + timedelta(days=chooser.randint(30, 400))).date()
        rows[Action].append({
            "id": action_id, "decision_id": decision_id, "title_mn": "Шийдвэрийг хэрэгжүүлэх",
            "title_en": "Carry out the decision", "department_id": chooser.choice(departments),
            "lead_name": _speaker(chooser), "due_on": due,
            "budget": chooser.randint(1, 200) * 1_000_000, "indicator_mn": indicator[0],
            "indicator_en": indicator[1], "created_at": at + timedelta(hours=3)})
        steps = {Stage.DECIDED: 0, Stage.IN_PROGRESS: chooser.randint(1, 2),
                 Stage.DONE: 3}[stage]
        for step in range(steps):
            moment = min(at + timedelta(days=20 * (step + 1)), now)
            done = stage == Stage.DONE and step == steps - 1
            rows[ProgressUpdate].append({
                "id": ids[ProgressUpdate].take(), "action_id": action_id,
                "status": (ActionStatus.DONE if done else ActionStatus.IN_PROGRESS).value,
                "percent": 100 if done else 30 * (step + 1),
                "note_mn": "Ажил төлөвлөгөөний дагуу явж байна.", "created_at": moment})
