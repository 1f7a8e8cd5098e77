"""Access has one mechanism: permissions, with roles as named sets of them (ROLE_PERMISSIONS)
and each app's access.py building its rules on has_perm plus facts about the objects.

These tests show that every permission the role table names exists, that no declared
permission goes unchecked or ungranted, that every permission the code and templates name
exists, that the committed matrix is the generated one, that editing a group in the admin
changes what the querysets return and what the pages show together, and that the permission
checks of a page cost one query."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case
from dtv.accounts import matrix
from dtv.accounts.models import User
from dtv.accounts.roles import ROLE_PERMISSIONS, Role
from dtv.accounts.services import set_role
from partners.models import Meeting
from tests.accounts.factories import TeamFactory
from tests.cases.factories import CaseFactory

ROOT = Path(settings.BASE_DIR)
CODE_DIRS = [
    "dtv",
    "directory",
    "cases",
    "documents",
    "interviews",
    "departure",
    "partners",
    "letters",
    "privacy",
]
GRANTED = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}


def _exists(perm: str) -> bool:
    app_label, codename = perm.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()


@pytest.mark.django_db
def test_every_permission_of_the_role_table_exists():
    missing = sorted(perm for perm in GRANTED if not _exists(perm))
    assert missing == []


@pytest.mark.django_db
def test_each_role_group_carries_exactly_its_permissions():
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        carried = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert carried == set(perms), role


def test_every_custom_permission_is_checked_by_an_access_module_and_granted():
    declared = matrix.declared_in_access()
    custom = matrix.custom_permissions()
    assert "reports.view_reports" in custom and "cases.view_all_cases" in custom
    assert sorted(custom - set(declared)) == [], "declared in a Meta, checked by no access.py"
    assert sorted(custom - GRANTED) == [], "declared in a Meta, granted to no role"


@pytest.mark.django_db
def test_every_permission_an_access_module_declares_exists_and_is_granted():
    declared = matrix.declared_in_access()
    assert sorted(perm for perm in declared if not _exists(perm)) == []
    assert sorted(set(declared) - GRANTED) == [], "checked, but no role may ever pass"


# has_perm("…"), require_perm("…", hide_without="…"), permission_required("…") in Python;
# perms.app.codename in templates.
PY_PERMISSION = re.compile(
    r"(?:has_perm|require_perm|permission_required|hide_without=)\(?\s*\"([a-z_]+\.[a-z_]+)\""
)
TEMPLATE_PERMISSION = re.compile(r"\bperms\.([a-z_]+)\.([a-z_]+)\b")


def _named_in_code() -> dict[str, str]:
    named = {}
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for perm in PY_PERMISSION.findall(path.read_text(encoding="utf-8")):
                named[perm] = str(path.relative_to(ROOT))
    for path in (ROOT / "templates").rglob("*.html"):
        for app_label, codename in TEMPLATE_PERMISSION.findall(path.read_text(encoding="utf-8")):
            named[f"{app_label}.{codename}"] = str(path.relative_to(ROOT))
    return named


@pytest.mark.django_db
def test_every_permission_the_code_and_templates_name_exists():
    named = _named_in_code()
    # The templates ask perms.app.codename; Python names the access modules' constants
    # (their existence: the test above). A broken pattern would find none.
    assert len(named) > 5
    missing = {perm: where for perm, where in named.items() if not _exists(perm)}
    assert missing == {}


def test_code_names_permissions_only_through_access_modules():
    """Outside the access modules and the role table, Python code names a permission by its
    access module's constant, never as a string: one place to find every check of it."""
    declared = matrix.declared_in_access()
    literal = re.compile(r"\"([a-z_]+\.[a-z_]+)\"")
    found = []
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            if path.name in ("access.py", "roles.py") or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            found += [
                f"{path.relative_to(ROOT)}: {p}" for p in literal.findall(text) if p in declared
            ]
    assert found == []


def test_the_committed_permission_matrix_is_the_generated_one():
    # Run `manage.py permission_matrix` after changing ROLE_PERMISSIONS or an access module.
    call_command("permission_matrix", "--check")


def test_no_role_check_outside_accounts():
    """Roles are sets of permissions: only dtv/accounts asks for them (the demo seeder gives
    its users roles through set_role, which asks for none)."""
    role_check = re.compile(r"\.role\s*(?:==|!=|in\b|not in\b)|role__in=|role=Role\.")
    found = []
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            where = str(path.relative_to(ROOT))
            if where.startswith("dtv/accounts/") or "migrations" in where:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if role_check.search(line) and "InterviewAttendee" not in line:
                    found.append(f"{where}:{number}: {line.strip()}")
    assert found == []


# ---- an administrator edits a group ---------------------------------------------------------


def _without(role: Role, perm: str) -> None:
    app_label, codename = perm.split(".", 1)
    Group.objects.get(name=role.value).permissions.remove(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )


def _with(role: Role, perm: str) -> None:
    app_label, codename = perm.split(".", 1)
    Group.objects.get(name=role.value).permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )


def _fresh(user) -> User:
    # A new request loads the user anew: Django caches permissions per user object.
    return User.objects.get(pk=user.pk)


def _nav_urls(response) -> set[str]:
    return {item["url"] for item in response.context["nav_items"]}


@pytest.mark.django_db
def test_taking_view_all_cases_from_the_auditor_group_changes_querysets_and_pages(
    client, auditor, officer
):
    case = CaseFactory(team=officer.team, officer=officer, phase="obliged")
    other = CaseFactory(team=TeamFactory(name="Zuid"), phase="obliged")
    client.force_login(auditor)
    detail = reverse("cases:detail", args=[case.reference])

    assert set(Case.objects.visible_to(_fresh(auditor))) == {case, other}
    assert client.get(detail).status_code == 200
    listing = client.get(reverse("cases:list"))
    assert case.reference in listing.content.decode()

    _without(Role.AUDITOR, "cases.view_all_cases")

    assert list(Case.objects.visible_to(_fresh(auditor))) == []
    assert client.get(detail).status_code == 404
    listing = client.get(reverse("cases:list"))
    assert listing.status_code == 200
    assert case.reference not in listing.content.decode()
    # The officer's own rule (view_case and a team) is untouched by the auditor's group.
    assert list(Case.objects.visible_to(_fresh(officer))) == [case]

    _with(Role.AUDITOR, "cases.view_all_cases")
    assert set(Case.objects.visible_to(_fresh(auditor))) == {case, other}
    assert client.get(detail).status_code == 200


@pytest.mark.django_db
def test_taking_view_all_meetings_from_the_auditor_group_changes_queryset_and_page(
    client, auditor, officer
):
    from django.utils import timezone

    meeting = Meeting.objects.create(
        region="Noord", starts_at=timezone.now(), chair=officer, team=officer.team
    )
    client.force_login(auditor)
    url = reverse("partners:meeting_detail", args=[meeting.reference])
    assert list(Meeting.objects.visible_to(_fresh(auditor))) == [meeting]
    assert client.get(url).status_code == 200

    _without(Role.AUDITOR, "partners.view_all_meetings")

    assert list(Meeting.objects.visible_to(_fresh(auditor))) == []
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_navigation_and_the_report_pages_follow_the_group(client, team_lead):
    client.force_login(team_lead)
    reports = reverse("reports:index")
    page = client.get(reverse("cases:list"))
    assert reports in _nav_urls(page)
    assert client.get(reports).status_code == 200

    _without(Role.TEAM_LEAD, "reports.view_reports")

    page = client.get(reverse("cases:list"))
    assert reports not in _nav_urls(page)
    assert reverse("reports:caseload") not in _nav_urls(page)
    assert client.get(reports).status_code == 403
    assert client.get(reverse("reports:caseload")).status_code == 403
    # He still leads his team: the worklist and the transfers stay.
    assert reverse("cases:worklist") in _nav_urls(page)


@pytest.mark.django_db
def test_a_user_given_a_permission_of_his_own_gains_the_rule(client, officer):
    """Not only groups: a permission given to one user counts the same (the auditor's read of
    every case, for one officer)."""
    other = CaseFactory(team=TeamFactory(name="Zuid"), phase="obliged")
    assert other not in Case.objects.visible_to(_fresh(officer))
    officer.user_permissions.add(
        Permission.objects.get(content_type__app_label="cases", codename="view_all_cases")
    )
    assert other in Case.objects.visible_to(_fresh(officer))
    client.force_login(officer)
    assert client.get(reverse("cases:detail", args=[other.reference])).status_code == 200


@pytest.mark.django_db
def test_landing_follows_permissions(client, team_lead, officer, auditor, partner_user):
    expected = {
        team_lead: reverse("reports:caseload"),
        officer: reverse("cases:worklist"),
        auditor: reverse("audit:log"),
        partner_user: reverse("partners:meeting_list"),
    }
    for user, url in expected.items():
        client.force_login(user)
        assert client.get(reverse("home"))["Location"] == url, user.username
    # Without the caseload's permission the lead lands where an officer does.
    _without(Role.TEAM_LEAD, "cases.reassign_case")
    client.force_login(team_lead)
    assert client.get(reverse("home"))["Location"] == reverse("cases:worklist")


@pytest.mark.django_db
def test_set_role_moves_the_user_between_rules(officer):
    other = CaseFactory(team=TeamFactory(name="Zuid"), phase="obliged")
    assert other not in Case.objects.visible_to(_fresh(officer))
    set_role(officer, Role.AUDITOR)
    assert other in Case.objects.visible_to(_fresh(officer))


# ---- cost -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_permission_checks_of_a_page_cost_one_query(client, officer, auditor):
    """Django caches a user's permissions on the user object: the case list asks has_perm
    many times (view, scope, navigation) and reads the permissions once: one query for his
    own, one for his groups'."""
    for _number in range(3):
        CaseFactory(team=officer.team, officer=officer, phase="obliged")
    for user in (officer, auditor):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cases:list")).status_code == 200
        permission_reads = [
            q["sql"] for q in queries.captured_queries if "auth_permission" in q["sql"]
        ]
        assert len(permission_reads) == 2, (user.username, permission_reads)
