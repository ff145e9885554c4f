"""Who may use each route: one line per Flask endpoint and method, one column per role.

How to read a line (SECURITY.md, "Access control", says more):

    endpoint method whose  anon citizen organiser moderator official admin device

- `whose` says which objects the route's URL names:
    `-`       none of anyone's (or a secret link): one request per cell;
    `own`     two requests per cell: the objects of side A, where the signed-in person lives
              (the citizen's own registration, issue, comment; the organiser's own event; the
              official's own department's action), then side B's (someone else's);
    `hidden`  four requests: own, others', own hidden, others' hidden (a hidden issue or
              comment, or a draft event, by that same person).
- A cell is one letter for every request of the cell, or one letter per request in that order
  (`aN`: own allowed, others' not found; `aaaN`: only others' hidden object is not found):
    a  allowed: the access check let the person through (2xx, a 3xx that is not a redirect to
       the sign-in page, or a 4xx other than 401/403/404 such as 400 or 422: the empty form
       or body was refused by the form, not by the access check)
    L  login required: a redirect to the sign-in page, or 401 (API)
    F  forbidden: 403
    N  not found: 404 (others' private objects, hidden content, secret links that are wrong)
    -  not asked (the device column of routes outside the check-in API)
- The roles: anonymous visitor; citizen; organiser; moderator; official (of a department);
  admin; device, a check-in device's bearer token for side A's event (API routes only).
- A server error is never accepted.

Adding a route: add its line (the matrix test fails naming every endpoint and method without
one). The test prints what each role got, so a new line can be checked against the code."""

from dataclasses import dataclass

ROLES = ("anonymous", "citizen", "organiser", "moderator", "official", "admin", "device")
TARGETS = {"-": ("own",), "own": ("own", "other"),
           "hidden": ("own", "other", "own-hidden", "other-hidden")}
OUTCOMES = {"a": "allowed", "L": "login required", "F": "forbidden (403)",
            "N": "not found (404)", "-": "not asked"}

TABLE = """
# endpoint                               method whose  anon cit  org  mod  off  adm  dev
accounts.change_password                 POST   -      L    a    a    a    a    a    -
accounts.confirm_email_change            GET    -      a    a    a    a    a    a    -
accounts.confirm_email_change            POST   -      a    a    a    a    a    a    -
accounts.end_all_sessions                POST   -      L    a    a    a    a    a    -
accounts.forgot_password                 GET    -      a    a    a    a    a    a    -
accounts.forgot_password                 POST   -      a    a    a    a    a    a    -
accounts.login                           GET    -      a    a    a    a    a    a    -
accounts.login                           POST   -      a    a    a    a    a    a    -
accounts.logout                          POST   -      a    a    a    a    a    a    -
accounts.profile                         GET    -      L    a    a    a    a    a    -
accounts.profile                         POST   -      L    a    a    a    a    a    -
accounts.resend_verification             POST   -      L    a    a    a    a    a    -
accounts.reset_password                  GET    -      a    a    a    a    a    a    -
accounts.reset_password                  POST   -      a    a    a    a    a    a    -
accounts.signup                          GET    -      a    a    a    a    a    a    -
accounts.signup                          POST   -      a    a    a    a    a    a    -
accounts.undo_email_change               GET    -      a    a    a    a    a    a    -
accounts.undo_email_change               POST   -      a    a    a    a    a    a    -
accounts.verify_email                    GET    -      a    a    a    a    a    a    -
admin.block_user                         POST   own    L    F    F    F    F    a    -
admin.index                              GET    -      L    F    F    F    F    a    -
admin.export_log                         GET    -      L    F    F    F    F    a    -
admin.outbox                             GET    -      L    F    F    F    F    a    -
admin.outbox_message                     GET    own    L    F    F    F    F    a    -
admin.reference_edit                     GET    own    L    F    F    F    F    a    -
admin.reference_edit                     POST   own    L    F    F    F    F    a    -
admin.reference_list                     GET    -      L    F    F    F    F    a    -
admin.user_detail                        GET    own    L    F    F    F    F    a    -
admin.user_detail                        POST   own    L    F    F    F    F    a    -
admin.users                              GET    -      L    F    F    F    F    a    -
api.agenda_item                          GET    own    a    a    a    a    a    a    a
api.checkin_annul                        POST   own    L    L    L    L    L    L    aN
api.checkin_figures                      GET    -      L    L    L    L    L    L    a
api.checkin_offline_pack                 GET    -      L    L    L    L    L    L    a
api.checkin_scan                         POST   -      L    L    L    L    L    L    a
api.checkin_search                       GET    -      L    L    L    L    L    L    a
api.checkin_sync                         POST   -      L    L    L    L    L    L    a
api.checkin_walk_in                      POST   -      L    L    L    L    L    L    a
api.create_registration                  POST   hidden aaNN aaNN aaNN aaNN aaNN aaNN aaNN
api.event                                GET    hidden aaNN aaNN aaNN aaNN aaNN aaNN aaNN
api.event_sessions                       GET    hidden aaNN aaNN aaNN aaNN aaNN aaNN aaNN
api.events                               GET    -      a    a    a    a    a    a    a
api.issue                                GET    hidden aaNN aaNN aaNN aaNN aaNN aaNN aaNN
api.issues                               GET    -      a    a    a    a    a    a    a
api.openapi_document                     GET    -      a    a    a    a    a    a    a
api.outcomes                             GET    -      a    a    a    a    a    a    a
api.reference_page                       GET    -      a    a    a    a    a    a    a
api.stats_of_period                      GET    -      a    a    a    a    a    a    a
api.vote                                 POST   own    a    a    a    a    a    a    a
# Personal API tokens (forum_app/api/auth.py): a session cookie or a device token is not
# one, so every role here gets 401; tests/api/test_personal_token_refusals.py uses real ones.
api.cancel_my_registration               POST   own    L    L    L    L    L    L    L
api.create_issue                         POST   -      L    L    L    L    L    L    L
api.follow_issue                         POST   own    L    L    L    L    L    L    L
api.me                                   GET    -      L    L    L    L    L    L    L
api.my_issues                            GET    -      L    L    L    L    L    L    L
api.my_registration                      GET    own    L    L    L    L    L    L    L
api.my_registrations                     GET    -      L    L    L    L    L    L    L
api.support_issue                        POST   own    L    L    L    L    L    L    L
api.unfollow_issue                       DELETE own    L    L    L    L    L    L    L
api.withdraw_support                     DELETE own    L    L    L    L    L    L    L
api_tokens.create                        POST   -      L    a    a    a    a    a    -
api_tokens.index                         GET    -      L    a    a    a    a    a    -
api_tokens.revoke                        POST   own    L    aN   N    N    N    N    -
attendees.approve                        POST   own    L    F    aF   F    F    a    -
attendees.cancel                         GET    own    L    F    aF   F    F    a    -
attendees.cancel                         POST   own    L    F    aF   F    F    a    -
attendees.decline                        GET    own    L    F    aF   F    F    a    -
attendees.decline                        POST   own    L    F    aF   F    F    a    -
attendees.export_csv                     GET    own    L    F    aF   F    F    a    -
attendees.export_xlsx                    GET    own    L    F    aF   F    F    a    -
attendees.index                          GET    own    L    F    aF   F    F    a    -
attendees.message                        GET    own    L    F    aF   F    F    a    -
attendees.message                        POST   own    L    F    aF   F    F    a    -
checkin.annul                            GET    own    L    F    aF   F    F    a    -
checkin.annul                            POST   own    L    F    aF   F    F    a    -
checkin.badges_pdf                       GET    own    L    F    aF   F    F    a    -
checkin.create_device                    POST   own    L    F    aF   F    F    a    -
checkin.figures                          GET    own    L    F    aF   F    F    a    -
checkin.figures_json                     GET    own    L    F    aF   F    F    a    -
checkin.home                             GET    own    L    F    aF   F    F    a    -
checkin.open_scanner                     POST   own    L    F    aF   F    F    a    -
checkin.revoke_device                    POST   own    L    F    aF   F    F    a    -
checkin.scan                             POST   own    L    F    aF   F    F    a    -
checkin.scanner                          GET    own    L    F    aF   F    F    a    -
checkin.search                           GET    own    L    F    aF   F    F    a    -
checkin.service_worker                   GET    own    L    F    aF   F    F    a    -
checkin.walk_in                          GET    own    L    F    aF   F    F    a    -
checkin.walk_in                          POST   own    L    F    aF   F    F    a    -
core.healthz                             GET    -      a    a    a    a    a    a    -
core.privacy                             GET    -      a    a    a    a    a    a    -
core.privacy_version                     GET    -      a    a    a    a    a    a    -
core.switch_language                     POST   -      a    a    a    a    a    a    -
deliberation.add_action                  POST   own    L    F    aF   F    F    a    -
deliberation.add_option                  POST   own    L    F    aF   F    F    a    -
deliberation.ask                         POST   own    a    a    a    a    a    a    -
deliberation.contribute                  POST   own    L    F    aF   F    F    a    -
deliberation.create_item                 POST   own    L    F    aF   F    F    a    -
deliberation.decide                      POST   own    L    F    aF   F    F    a    -
deliberation.hide_contribution           POST   own    L    F    aF   F    F    a    -
deliberation.items                       GET    own    L    F    aF   F    F    a    -
deliberation.join                        POST   hidden aaNN aaNN aaaN aaNN aaNN a    -
deliberation.journey_page                GET    own    a    a    a    a    a    a    -
deliberation.leave                       POST   hidden aaNN aaNN aaaN aaNN aaNN a    -
deliberation.link_issue                  POST   own    L    F    aF   F    F    a    -
deliberation.live                        GET    own    L    F    aF   F    F    a    -
deliberation.minutes_pdf                 GET    hidden aaNN aaNN aaaN aaNN aaNN a    -
deliberation.moderate                    POST   own    L    F    aF   F    F    a    -
# Officials move an item after its decision by posting progress (/forum/my-actions),
# not on the organisers' live screen.
deliberation.move                        POST   own    L    F    aF   F    F    a    -
deliberation.my_actions                  GET    -      L    F    F    F    a    a    -
deliberation.outcomes                    GET    -      a    a    a    a    a    a    -
deliberation.pin                         POST   own    L    F    aF   F    F    a    -
deliberation.post_progress               POST   -      L    F    F    F    a    a    -
deliberation.progress_photo              GET    own    a    a    a    a    a    a    -
deliberation.promote                     POST   own    L    F    aF   F    F    a    -
deliberation.report                      POST   own    a    a    a    a    a    a    -
deliberation.revise                      POST   own    L    F    aF   F    F    a    -
deliberation.room                        GET    hidden aaNN aaNN aaaN aaNN aaNN a    -
deliberation.room_item                   GET    own    a    a    a    a    a    a    -
deliberation.room_qr                     GET    own    L    F    aF   F    F    a    -
deliberation.screen                      GET    hidden aaNN aaNN aaaN aaNN aaNN a    -
deliberation.screen_json                 GET    hidden aaNN aaNN aaaN aaNN aaNN a    -
deliberation.send                        POST   own    a    a    a    a    a    a    -
deliberation.tally                       POST   own    L    F    aF   F    F    a    -
deliberation.upvote                      POST   own    a    a    a    a    a    a    -
deliberation.vote                        POST   own    a    a    a    a    a    a    -
deliberation.vote_rules                  POST   own    L    F    aF   F    F    a    -
deliberation.withdraw_option             POST   own    L    F    aF   F    F    a    -
events.agenda                            GET    own    L    F    aF   F    F    a    -
events.agenda                            POST   own    L    F    aF   F    F    a    -
events.cancel                            GET    own    L    F    aF   F    F    a    -
events.cancel                            POST   own    L    F    aF   F    F    a    -
events.delete_question                   POST   own    L    F    aF   F    F    a    -
events.delete_session                    POST   own    L    F    aF   F    F    a    -
events.detail                            GET    hidden aaNN aaNN aaaN aaNN aaNN a    -
events.edit                              GET    own    L    F    aF   F    F    a    -
events.edit                              POST   own    L    F    aF   F    F    a    -
events.edit_question                     GET    own    L    F    aF   F    F    a    -
events.edit_question                     POST   own    L    F    aF   F    F    a    -
events.edit_session                      GET    own    L    F    aF   F    F    a    -
events.edit_session                      POST   own    L    F    aF   F    F    a    -
events.event_ics                         GET    hidden aaNN aaNN aaaN aaNN aaNN a    -
events.feed                              GET    -      a    a    a    a    a    a    -
events.index                             GET    -      a    a    a    a    a    a    -
events.manage                            GET    -      L    F    a    F    F    a    -
events.move_question                     POST   own    L    F    aF   F    F    a    -
events.new                               GET    -      L    F    a    F    F    a    -
events.new                               POST   -      L    F    a    F    F    a    -
events.publish                           POST   own    L    F    aF   F    F    a    -
events.questions                         GET    own    L    F    aF   F    F    a    -
events.questions                         POST   own    L    F    aF   F    F    a    -
events.remove_staff                      POST   own    L    F    aF   F    F    a    -
events.staff                             GET    own    L    F    aF   F    F    a    -
events.staff                             POST   own    L    F    aF   F    F    a    -
exhibitions.application                  GET    own    L    F    aF   F    F    a    -
exhibitions.applications                 GET    own    L    F    aF   F    F    a    -
exhibitions.apply                        GET    own    a    a    a    a    a    a    -
exhibitions.apply                        POST   own    a    a    a    a    a    a    -
exhibitions.approve                      POST   own    L    F    aF   F    F    a    -
exhibitions.decline                      POST   own    L    F    aF   F    F    a    -
exhibitions.directory                    GET    own    a    a    a    a    a    a    -
feedback.add_question                    POST   hidden L    F    aFNF F    F    aaNN -
feedback.delete_question                 POST   own    L    F    aF   F    F    a    -
feedback.index                           GET    -      L    F    a    F    a    a    -
feedback.manage                          GET    own    L    F    aF   F    F    a    -
feedback.manage                          POST   own    L    F    aF   F    F    a    -
feedback.move_question                   POST   own    L    F    aF   F    F    a    -
feedback.respond                         GET    -      a    a    a    a    a    a    -
feedback.respond                         POST   -      a    a    a    a    a    a    -
# Every official reads every event's feedback results (feedback.services.can_see_results).
feedback.results_csv                     GET    hidden L    F    aFNF F    aaNN aaNN -
feedback.results_page                    GET    hidden L    F    aFNF F    aaNN aaNN -
feedback.room                            GET    hidden aaNN aaNN aaNN aaNN aaNN aaNN -
feedback.send                            POST   hidden L    F    aFNF F    F    aaNN -
feedback.start                           GET    hidden aaNN aaNN aaNN aaNN aaNN aaNN -
feedback.start                           POST   hidden aaNN aaNN aaNN aaNN aaNN aaNN -
feedback.start_mine                      POST   hidden L    aaNN aaNN aaNN aaNN aaNN -
feedback.thanks                          GET    hidden aaNN aaNN aaNN aaNN aaNN aaNN -
home.index                               GET    -      a    a    a    a    a    a    -
# Finding 6: an organiser moves and assigns visible issues, and gets 404 for hidden ones.
issues.answer                            GET    hidden L    F    F    F    a    a    -
issues.answer                            POST   hidden L    F    F    F    a    a    -
issues.assign                            GET    hidden L    F    aaNN F    a    a    -
issues.assign                            POST   hidden L    F    aaNN F    a    a    -
issues.comment                           POST   hidden LLNN aaaN aaNN a    a    a    -
issues.comment_history                   GET    hidden L    aFaN FFNN a    a    a    -
issues.delete_comment                    GET    hidden L    aFFN FFNN F    F    F    -
issues.delete_comment                    POST   hidden L    aFFN FFNN F    F    F    -
issues.detail                            GET    hidden aaNN aaaN aaNN a    a    a    -
issues.edit_comment                      GET    hidden L    aFFN FFNN F    F    F    -
issues.edit_comment                      POST   hidden L    aFFN FFNN F    F    F    -
issues.follow                            POST   hidden LLNN aaaN aaNN a    a    a    -
issues.index                             GET    -      a    a    a    a    a    a    -
issues.move                              GET    hidden L    F    aaNN F    a    a    -
issues.move                              POST   hidden L    F    aaNN F    a    a    -
issues.new                               GET    -      L    a    a    a    a    a    -
issues.new                               POST   -      L    a    a    a    a    a    -
issues.photo                             GET    hidden aaNN aaaN aaNN a    a    a    -
issues.photo_thumbnail                   GET    hidden aaNN aaaN aaNN a    a    a    -
issues.staff_new                         GET    -      L    F    a    a    a    a    -
issues.staff_new                         POST   -      L    F    a    a    a    a    -
issues.staff_queue                       GET    -      L    F    a    F    a    a    -
issues.suggest                           GET    -      a    a    a    a    a    a    -
issues.support                           POST   hidden LLNN aaaN aaNN a    a    a    -
issues.unfollow                          POST   hidden LLNN aaaN aaNN a    a    a    -
issues.withdraw_support                  POST   hidden LLNN aaaN aaNN a    a    a    -
moderation.appeal                        GET    hidden L    aNaN N    N    N    N    -
moderation.appeal                        POST   hidden L    aNaN N    N    N    N    -
moderation.block_author                  POST   hidden L    F    F    a    F    a    -
moderation.flag                          GET    hidden L    aaNN aaNN aaNN aaNN aaNN -
moderation.flag                          POST   hidden L    aaNN aaNN aaNN aaNN aaNN -
moderation.hide                          POST   hidden L    F    F    a    F    a    -
moderation.item                          GET    hidden L    F    F    a    F    a    -
moderation.queue                         GET    -      L    F    F    a    F    a    -
moderation.restore                       POST   hidden L    F    F    a    F    a    -
my_data.acknowledge_notice               POST   -      L    a    a    a    a    a    -
my_data.delete_account                   GET    -      L    a    a    a    a    a    -
my_data.delete_account                   POST   -      L    a    a    a    a    a    -
my_data.download                         GET    -      L    a    a    a    a    a    -
my_data.my_data                          GET    -      L    a    a    a    a    a    -
notifications.index                      GET    -      L    a    a    a    a    a    -
notifications.mark_read                  POST   -      L    a    a    a    a    a    -
notifications.preferences                GET    -      L    a    a    a    a    a    -
notifications.preferences                POST   -      L    a    a    a    a    a    -
opendata.index                           GET    -      a    a    a    a    a    a    -
opendata.download                        GET    -      a    a    a    a    a    a    -
registration.cancel                      POST   -      a    a    a    a    a    a    -
registration.confirm                     GET    -      N    N    N    N    N    N    -
registration.confirm                     POST   -      N    N    N    N    N    N    -
registration.delete_data                 GET    -      a    a    a    a    a    a    -
registration.delete_data                 POST   -      a    a    a    a    a    a    -
registration.lost_ticket                 GET    -      a    a    a    a    a    a    -
registration.lost_ticket                 POST   -      a    a    a    a    a    a    -
registration.manage                      GET    -      a    a    a    a    a    a    -
registration.resend                      POST   -      a    a    a    a    a    a    -
registration.my_cancel                   POST   own    L    aN   N    N    N    N    -
registration.my_registrations            GET    -      L    a    a    a    a    a    -
registration.my_ticket                   GET    own    L    aN   N    N    N    N    -
registration.qr_image                    GET    -      a    a    a    a    a    a    -
registration.register                    GET    hidden aaNN aaNN aaNN aaNN aaNN aaNN -
registration.register                    POST   hidden aaNN aaNN aaNN aaNN aaNN aaNN -
registration.service_worker              GET    -      a    a    a    a    a    a    -
registration.ticket_pdf                  GET    -      a    a    a    a    a    a    -
reports.dashboard                        GET    -      a    a    a    a    a    a    -
reports.export                           GET    -      a    a    a    a    a    a    -
reports.report_pdf                       GET    -      a    a    a    a    a    a    -
reports.waiting                          GET    -      L    F    a    F    a    a    -
static                                   GET    -      a    a    a    a    a    a    -
"""


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    whose: str
    cells: dict  # role -> one letter per target

    def expected(self, role: str) -> list[tuple[str, str]]:
        """(target, outcome letter) for every request of this role's cell."""
        cell, targets = self.cells[role], TARGETS[self.whose]
        letters = cell * len(targets) if len(cell) == 1 else cell
        return list(zip(targets, letters, strict=True))


def _parse(text: str) -> dict[tuple[str, str], Row]:
    rows = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        endpoint, method, whose, *cells = line.split()
        row = Row(endpoint, method, whose, dict(zip(ROLES, cells, strict=True)))
        for role in ROLES:
            cell = row.cells[role]
            assert set(cell) <= set(OUTCOMES) and len(cell) in (1, len(TARGETS[whose])), \
                f"line {number} of TABLE, {role}: {cell!r}"
        assert (endpoint, method) not in rows, f"line {number}: {endpoint} {method} twice"
        rows[endpoint, method] = row
    return rows


ROWS = _parse(TABLE)
