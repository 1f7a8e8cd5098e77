"""The roles of DESIGN.md and the permissions each group carries.

A user's `role` is the authority; `accounts.services.set_role` keeps the matching group in step
so that Django's permission checks (and the admin, for functional administrators) follow it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Departure officer")
    TEAM_LEAD = "team_lead", _("Team lead")
    PARTNER = "partner", _("Partner participant")
    ADMIN = "admin", _("Functional administrator")
    AUDITOR = "auditor", _("Auditor")


# Group permissions per role, as "app_label.codename". Permissions of apps that do not exist
# (yet) are skipped, so the table can name what later apps add.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: [
        "cases.view_case",
        "cases.add_case",
        "cases.change_case",
        "cases.view_person",
        "cases.add_person",
        "cases.change_person",
        "cases.add_procedure",
        "cases.change_procedure",
        "cases.add_obstacle",
        "cases.change_obstacle",
        "cases.add_note",
        "interviews.view_interview",
        "interviews.add_interview",
        "interviews.change_interview",
        "departure.add_embassypresentation",
        "departure.change_embassypresentation",
        "departure.add_measure",
        "departure.change_measure",
        "departure.add_courtreview",
        "departure.add_departure",
        "departure.add_returnsupport",
        "departure.change_returnsupport",
        "departure.add_traveldocumentrequest",
        "departure.change_traveldocumentrequest",
        "departure.add_advice",
        "departure.change_advice",
        "partners.view_meeting",
        "partners.add_meeting",
        "partners.change_meeting",
        "directory.view_organisation",
        "directory.view_contact",
        "partners.view_agendaitem",
        "partners.add_agendaitem",
        "partners.change_agendaitem",
        "partners.view_actionitem",
        "partners.add_actionitem",
        "partners.change_actionitem",
    ],
    Role.TEAM_LEAD: [
        "cases.view_case",
        "cases.add_case",
        "cases.change_case",
        "cases.view_person",
        "cases.add_person",
        "cases.change_person",
        "cases.add_procedure",
        "cases.change_procedure",
        "cases.add_obstacle",
        "cases.change_obstacle",
        "cases.add_note",
        "cases.reassign_case",
        "cases.view_case_access",
        "interviews.view_interview",
        "interviews.add_interview",
        "interviews.change_interview",
        "departure.add_embassypresentation",
        "departure.change_embassypresentation",
        "departure.add_measure",
        "departure.change_measure",
        "departure.add_courtreview",
        "departure.add_departure",
        "departure.add_returnsupport",
        "departure.change_returnsupport",
        "departure.add_traveldocumentrequest",
        "departure.change_traveldocumentrequest",
        "departure.add_advice",
        "departure.change_advice",
        "partners.view_meeting",
        "partners.add_meeting",
        "partners.change_meeting",
        "directory.view_organisation",
        "directory.view_contact",
        "partners.view_agendaitem",
        "partners.add_agendaitem",
        "partners.change_agendaitem",
        "partners.view_actionitem",
        "partners.add_actionitem",
        "partners.change_actionitem",
        "reports.view_reports",
    ],
    Role.PARTNER: [
        "partners.view_meeting",
        "partners.add_agendaitem",
        "partners.view_actionitem",
        "partners.change_actionitem",
    ],
    Role.ADMIN: [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_team",
        "accounts.add_team",
        "accounts.change_team",
        "directory.view_organisation",
        "directory.add_organisation",
        "directory.change_organisation",
        "directory.view_contact",
        "directory.add_contact",
        "directory.change_contact",
        "directory.delete_contact",
        "directory.view_municipality",
    ],
    Role.AUDITOR: [
        "cases.view_case",
        "cases.view_all_cases",
        "cases.view_case_access",
        "interviews.view_interview",
        "audit.view_auditentry",
        "audit.export_subject_data",
        "partners.view_meeting",
    ],
}
