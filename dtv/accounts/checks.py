"""System checks for how accounts log in: `manage.py check --deploy` names every role that
may log in without a second factor, and every switch that weakens the login."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from dtv.accounts.roles import Role


@register(Tags.security)
def check_two_factor_exceptions(app_configs=None, **kwargs):
    unknown = [role for role in settings.TWO_FACTOR_EXEMPT_ROLES if role not in Role.values]
    if unknown:
        return [
            Error(
                f"TWO_FACTOR_EXEMPT_ROLES names unknown roles: {', '.join(unknown)}.",
                hint=f"Use role codes from: {', '.join(Role.values)}.",
                id="accounts.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_two_factor_deploy(app_configs=None, **kwargs):
    warnings = []
    if not settings.TWO_FACTOR_ENFORCED:
        warnings.append(
            Warning(
                "TWO_FACTOR_ENFORCED is off: every role logs in with a password alone.",
                hint="Only for a local demo; unset TWO_FACTOR_ENFORCED in production.",
                id="accounts.W001",
            )
        )
    for role in settings.TWO_FACTOR_EXEMPT_ROLES:
        if role in Role.values:
            warnings.append(
                Warning(
                    f"The role {role!r} logs in without a second factor (TWO_FACTOR_EXEMPT_ROLES).",
                    hint="Every role sees personal data; remove the exception when you can.",
                    id="accounts.W002",
                )
            )
    if not settings.AXES_ENABLED:
        warnings.append(
            Warning(
                "AXES_ENABLED is off: failed logins are not limited.",
                id="accounts.W003",
            )
        )
    return warnings
