"""Who may read the reports: the one place the report views and the navigation ask."""

from cases import access as case_access

VIEW_REPORTS = "reports.view_reports"


def reads_reports(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_REPORTS)


def reports_on_every_team(user) -> bool:
    """Chooses the team a report is about (the auditor); everyone else reads his own team's."""
    return reads_reports(user) and case_access.reads_every_case(user)


def manages_caseload(user) -> bool:
    """Reassigns cases and arranges absence cover from the caseload page (the team lead)."""
    return case_access.leads_team(user)
