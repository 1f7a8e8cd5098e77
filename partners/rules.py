"""The numbers behind the LTO rules, in one table (STYLE.md 7); tests/partners/test_rules.py
has a test for each."""

# Proposals: a departure term that lapsed, or ends within this many days.
TERM_WINDOW_DAYS = 14
# Proposals: an obstacle open longer than this many weeks.
OBSTACLE_OPEN_WEEKS = 8
# Proposals: a case in the VBL from this week of its stay on (DOMAIN.md, reminders 7).
VBL_AGENDA_WEEK = 10
# Proposals: COA reception that ends within this many days (when departure records it).
RECEPTION_WINDOW_DAYS = 14
# Partner participants keep access to an agenda case this many days after the minutes are final.
PARTNER_ACCESS_DAYS_AFTER_MINUTES = 30
# An open action item that outlived this many later meetings is flagged for escalation.
STALLED_AFTER_MEETINGS = 2
# A case the LTO escalates to the regional meeting (RAO): the team lead, who sits in the RAO,
# puts it on that agenda within this many days of the meeting (policy).
RAO_ESCALATION_DAYS = 14
# Proposals: the members of a household with open cases are one proposal (and go on the
# agenda together), led by the most urgent of their cases (issue 21, point 3).
HOUSEHOLD_AS_ONE_ITEM = True
