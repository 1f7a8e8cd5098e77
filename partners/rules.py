"""The LTO's numbers, by the names the partners app uses, read from the rules table
(dtv/rules.py), where each is defined once with its source (STYLE.md 7). Read when used, so an
override in the settings applies; tests/partners/test_rules.py pins each."""

from dtv import rules

KEYS = {
    # Proposals: a departure term that lapsed, or ends within this many days.
    "TERM_WINDOW_DAYS": "term_ending_soon_days",
    # Proposals: an obstacle open longer than this many weeks.
    "OBSTACLE_OPEN_WEEKS": "obstacle_long_open_weeks",
    # Proposals: a case in the VBL from this week of its stay on (the engine's week-10 rule).
    "VBL_AGENDA_WEEK": "vbl_lto_weeks",
    # Proposals: COA reception that ends within this many days (when departure records it).
    "RECEPTION_WINDOW_DAYS": "reception_ending_days",
    # Partner participants keep access to an agenda case this many days after the minutes.
    "PARTNER_ACCESS_DAYS_AFTER_MINUTES": "partner_access_days_after_minutes",
    # An open action item that outlived this many later meetings is flagged for escalation.
    "STALLED_AFTER_MEETINGS": "stalled_after_meetings",
    # A case the LTO escalates to the regional meeting (RAO) is put on that agenda within
    # this many days of the meeting.
    "RAO_ESCALATION_DAYS": "rao_escalation_days",
}


def __getattr__(name: str):
    try:
        key = KEYS[name]
    except KeyError:
        raise AttributeError(name) from None
    return rules.value(key)


# Proposals: the members of a household with open cases are one proposal (and go on the
# agenda together), led by the most urgent of their cases (issue 21, point 3). A switch of
# this app's own, not a number with a legal meaning.
HOUSEHOLD_AS_ONE_ITEM = True
