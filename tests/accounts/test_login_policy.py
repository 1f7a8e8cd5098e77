"""Issue 24.5: in production every role uses a second factor unless a setting lists the
exceptions, and `check --deploy` warns about each exception."""

import pytest
from django.core.checks import Error, Warning, run_checks
from django.test import override_settings

from tests.test_foundation import _run_django

PRODUCTION = {
    "SECRET_KEY": "k8#Lq2!vZ9@pR4$wX7^mN1&bT6*cY3(hJ0)fG5-dS8+aE2=uI4~oP7?",
    "ALLOWED_HOSTS": "terugkeer.example",
    "DATABASE_URL": "sqlite:///:memory:",
}


@pytest.mark.parametrize("role", ["officer", "team_lead", "partner", "admin", "auditor"])
def test_every_role_needs_a_second_factor_by_default(role):
    from dtv.accounts.models import User

    with override_settings(TWO_FACTOR_EXEMPT_ROLES=[]):
        assert User(role=role).needs_two_factor
    with override_settings(TWO_FACTOR_EXEMPT_ROLES=[role]):
        assert not User(role=role).needs_two_factor


def test_deploy_check_warns_about_each_exception():
    with override_settings(
        TWO_FACTOR_EXEMPT_ROLES=["officer", "partner"], TWO_FACTOR_ENFORCED=True, AXES_ENABLED=True
    ):
        found = run_checks(include_deployment_checks=True, tags=["security"])
        assert [m.id for m in found if m.id.startswith("accounts.")] == ["accounts.W002"] * 2
        warnings = [m for m in found if m.id == "accounts.W002"]
        assert all(isinstance(m, Warning) for m in warnings)
        assert "'officer'" in warnings[0].msg and "'partner'" in warnings[1].msg
        # Not a deployment check: an ordinary `check` says nothing about it.
        assert not [m for m in run_checks(tags=["security"]) if m.id == "accounts.W002"]


def test_deploy_check_warns_when_enforcement_or_lockout_is_off():
    with override_settings(
        TWO_FACTOR_EXEMPT_ROLES=[], TWO_FACTOR_ENFORCED=False, AXES_ENABLED=False
    ):
        ids = {m.id for m in run_checks(include_deployment_checks=True, tags=["security"])}
    assert {"accounts.W001", "accounts.W003"} <= ids


def test_an_unknown_role_in_the_exceptions_is_an_error():
    with override_settings(TWO_FACTOR_EXEMPT_ROLES=["officers"]):
        errors = [m for m in run_checks(tags=["security"]) if m.id == "accounts.E001"]
    assert len(errors) == 1 and isinstance(errors[0], Error) and "officers" in errors[0].msg


def test_manage_py_check_deploy_names_the_exception():
    result = _run_django(
        {**PRODUCTION, "TWO_FACTOR_EXEMPT_ROLES": "partner"},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode != 0
    assert "accounts.W002" in result.stderr + result.stdout
    assert "'partner'" in result.stderr + result.stdout
