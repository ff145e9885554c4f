"""The minutes of an event, drawn from the record: attendance by stakeholder group (from the
door's check-ins), then per agenda item the problem, the contributions, the options, the
votes (ballots and hand tallies side by side, reconciled with check-ins and voters), the
decision and its actions. Bilingual: every heading in Mongolian / English, every text in both
languages when both exist. DejaVu Sans renders Cyrillic (see registration.pdf)."""

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from fpdf import FPDF
from sqlalchemy import func, select

from ..checkin.models import CheckIn, CheckInResult
from ..core.reference import STAKEHOLDER_LABELS
from ..extensions import db
from ..i18n import local_date, local_datetime, local_day, utcnow
from ..registration.models import Registration, Ticket
from ..registration.pdf import FONT
from .outcomes import ballot_figures
from .queries import event_items, public_contributions, results
from .stages import (
    ACTION_STATUS_LABELS,
    CHANNEL_LABELS,
    CONTRIBUTION_LABELS,
    METHOD_LABELS,
    STAGE_LABELS,
)

LANGUAGES = ("mn", "en")
T = {
    "minutes": _l("Minutes"), "attendance": _l("Attendance (checked in at the door)"),
    "total": _l("Total"), "item": _l("Agenda item"), "problem": _l("Problem"),
    "evidence": _l("Evidence"), "presenter": _l("Presented by"), "stage": _l("Stage"),
    "contributions": _l("Contributions"), "options": _l("Solution options"),
    "votes": _l("Votes"), "ballots": _l("Ballots"), "hands": _l("Hand tallies"),
    "voters": _l("Voters"), "checked_in": _l("Checked in"),
    "gap": _l("Checked in but did not vote (left early, abstained or voted by hand)"),
    "decision": _l("Decision"), "method": _l("Method"), "rationale": _l("Rationale"),
    "dissent": _l("Dissent"), "review": _l("Review date"), "actions": _l("Actions"),
    "due": _l("Due"), "status": _l("Status"), "overdue": _l("Overdue"),
    "participant": _l("A participant"), "none": _l("Nothing recorded."),
    "generated": _l("Generated from the public record"), "cost": _l("Cost estimate (MNT)"),
    "mismatch": _l("Ballots and voters differ: please check the record."),
    "changed": _l("Votes changed while voting was open (each counted once)"),
    "pros": _l("For (pros)"), "cons": _l("Against (cons)"),
    "feasibility": _l("Note on feasibility"),
}


def both(label) -> str:
    """A label in Mongolian / English."""
    texts = []
    for language in LANGUAGES:
        with force_locale(language):
            texts.append(str(label))
    return texts[0] if texts[0] == texts[1] else " / ".join(texts)


def pair(obj, field: str) -> str:
    """The Mongolian and the English text of a field, each that exists."""
    values = [getattr(obj, f"{field}_{lang}", None) for lang in LANGUAGES]
    return "\n".join(dict.fromkeys(v for v in values if v))


def attendance(event) -> dict[str | None, int]:
    """Distinct admitted tickets by stakeholder group, over the whole event."""
    rows = db.session.execute(
        select(Registration.stakeholder_kind, func.count(func.distinct(CheckIn.ticket_id)))
        .join(Ticket, Ticket.id == CheckIn.ticket_id)
        .join(Registration, Registration.id == Ticket.registration_id)
        .where(CheckIn.event_id == event.id, CheckIn.result == CheckInResult.ADMITTED.value,
               CheckIn.annulled_at.is_(None), CheckIn.conflict.is_(False))
        .group_by(Registration.stakeholder_kind))
    return dict(rows.all())


class Minutes:
    def __init__(self, event):
        self.event = event
        self.pdf = FPDF(format="A4")
        self.pdf.set_margins(16, 16)
        self.pdf.set_auto_page_break(True, 16)
        fonts = f"{current_app.static_folder}/fonts"
        self.pdf.add_font(FONT, "", f"{fonts}/DejaVuSans.ttf")
        self.pdf.add_font(FONT, "B", f"{fonts}/DejaVuSans-Bold.ttf")
        self.pdf.set_title(f"{both(T['minutes'])}: {pair(event, 'title')}")
        self.pdf.add_page()

    def heading(self, text: str, size: int = 13) -> None:
        self.pdf.ln(2)
        self.pdf.set_font(FONT, "B", size)
        self.pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def para(self, text: str | None, label: str | None = None, size: int = 10) -> None:
        if not text:
            return
        if label:
            self.pdf.set_font(FONT, "B", size - 1)
            self.pdf.multi_cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font(FONT, "", size)
        self.pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def table(self, head: list[str], rows: list[list], widths: list[int]) -> None:
        self.pdf.set_font(FONT, "", 9)
        with self.pdf.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
            for values in [head, *rows]:
                row = table.row()
                for value in values:
                    row.cell(str(value))
        self.pdf.ln(2)

    def build(self) -> bytes:
        event = self.event
        self.heading(f"{both(T['minutes'])}: {pair(event, 'title')}", 16)
        self.para(f"{local_datetime(event.starts_at)} · {both(T['generated'])} · "
                  f"{local_datetime(utcnow())}")
        counts = attendance(event)
        self.heading(both(T["attendance"]))
        rows = [[both(STAKEHOLDER_LABELS[k]) if k in STAKEHOLDER_LABELS else "—", n]
                for k, n in sorted(counts.items(), key=lambda kv: -kv[1])]
        self.table([" ", both(T["checked_in"])], [*rows, [both(T["total"]),
                                                            sum(counts.values())]], [3, 1])
        for number, item in enumerate(event_items(event), 1):
            self.agenda_item(number, item, sum(counts.values()))
        return bytes(self.pdf.output())

    def agenda_item(self, number: int, item, checked_in: int) -> None:
        self.heading(f"{number}. {pair(item, 'title')}", 14)
        self.para(both(STAGE_LABELS[item.stage]), both(T["stage"]))
        self.para(pair(item, "problem"), both(T["problem"]))
        self.para(pair(item, "evidence"), both(T["evidence"]))
        self.para(item.presenter, both(T["presenter"]))
        self.heading(both(T["contributions"]), 11)
        said = public_contributions(item)
        for c in said:
            who = c.speaker_name or both(T["participant"])
            kind = both(STAKEHOLDER_LABELS[c.stakeholder_kind]) \
                if c.stakeholder_kind in STAKEHOLDER_LABELS else ""
            self.para(c.body, f"{both(CONTRIBUTION_LABELS[c.kind])} · {who}"
                      + (f" ({kind})" if kind else ""))
        if not said:
            self.para(both(T["none"]))
        self.options_and_votes(item, checked_in)
        self.decision(item)

    def options_and_votes(self, item, checked_in: int) -> None:
        rows = results(item)
        self.heading(both(T["options"]), 11)
        for r in rows:
            self.para(pair(r.option, "description") or " ", pair(r.option, "title"))
            for field in ("pros", "cons", "feasibility"):
                self.para(pair(r.option, field), both(T[field]))
        if not rows:
            self.para(both(T["none"]))
            return
        self.heading(both(T["votes"]), 11)
        self.table([" ", both(T["ballots"]), both(T["hands"])],
                   [[pair(r.option, "title"), r.votes, r.hands] for r in rows], [4, 1, 1])
        figures = ballot_figures(item)
        channels = ", ".join(f"{both(CHANNEL_LABELS[c])}: {n}"
                             for c, n in figures.by_channel.items() if c in CHANNEL_LABELS)
        lines = [f"{both(T['checked_in'])}: {checked_in}",
                 f"{both(T['voters'])}: {figures.voters}" + (f" ({channels})" if channels
                                                             else ""),
                 f"{both(T['ballots'])}: {figures.ballots}",
                 f"{both(T['hands'])}: {sum(r.hands for r in rows)}"]
        if figures.changed:
            lines.append(f"{both(T['changed'])}: {figures.changed}")
        if checked_in > figures.voters:
            lines.append(f"{both(T['gap'])}: {checked_in - figures.voters}")
        if not figures.reconciled:
            lines.append(both(T["mismatch"]))
        self.para("\n".join(lines))

    def decision(self, item) -> None:
        decision = item.decision
        if decision is None:
            return
        self.heading(both(T["decision"]), 11)
        self.para(pair(decision, "text"))
        self.para(both(METHOD_LABELS[decision.method]), both(T["method"]))
        self.para(pair(decision, "rationale"), both(T["rationale"]))
        self.para(pair(decision, "dissent"), both(T["dissent"]))
        if decision.review_on:
            self.para(local_day(decision.review_on), both(T["review"]))
        if not decision.actions:
            return
        self.heading(both(T["actions"]), 11)
        today = local_date(utcnow())
        self.table([both(T["actions"]), both(T["due"]), both(T["status"])], [[
            f"{pair(a, 'title')}\n{pair(a.department, 'name')}", local_day(a.due_on),
            f"{both(ACTION_STATUS_LABELS[a.status])} {a.percent}%"
            + (f"\n{both(T['overdue'])}" if a.is_overdue(today) else "")]
            for a in decision.actions], [4, 1, 2])


def build_minutes_pdf(event) -> bytes:
    return Minutes(event).build()
