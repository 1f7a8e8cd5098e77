"""One test per number in partners/rules.py: the behaviour it stands for is tested elsewhere;
these pin the numbers so that a change is a conscious one."""

from partners import rules


def test_term_window_is_14_days():
    assert rules.TERM_WINDOW_DAYS == 14


def test_obstacles_are_proposed_after_8_weeks():
    assert rules.OBSTACLE_OPEN_WEEKS == 8


def test_vbl_cases_are_proposed_from_week_10():
    # DOMAIN.md, suggested reminders 7: at week 10 add the case to the LKO agenda.
    assert rules.VBL_AGENDA_WEEK == 10


def test_reception_window_is_14_days():
    assert rules.RECEPTION_WINDOW_DAYS == 14


def test_partner_access_ends_30_days_after_the_minutes():
    assert rules.PARTNER_ACCESS_DAYS_AFTER_MINUTES == 30


def test_action_items_stall_after_two_meetings():
    # DOMAIN.md, suggested reminders 12: stalled for 2 meetings, escalate to the RAO.
    assert rules.STALLED_AFTER_MEETINGS == 2


def test_an_rao_escalation_is_due_within_14_days_of_the_meeting():
    assert rules.RAO_ESCALATION_DAYS == 14
