"""The permission matrix, generated: which role's group carries which permission, and which
app's access module checks it. docs/permissions.md is this module's output
(`manage.py permission_matrix`); tests/test_access.py fails when the committed file differs.

The access modules are found through the app registry (`<app>.access` of every installed
app, loaded by Django's autodiscover_modules), not imported by name: accounts is the lowest
floor and names no app above it.
"""

import re
import sys
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import autodiscover_modules, module_has_submodule

from dtv.accounts.roles import ROLE_PERMISSIONS, Role

PERMISSION_NAME = re.compile(r"^[a-z_]+\.[a-z_]+$")


def access_modules() -> dict[str, ModuleType]:
    """The access module of every installed app that has one, by module path."""
    autodiscover_modules("access")
    return {
        f"{config.name}.access": sys.modules[f"{config.name}.access"]
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "access")
    }


def declared_in_access() -> dict[str, list[str]]:
    """Permission name -> the access modules that declare it (as an upper-case constant)."""
    declared: dict[str, list[str]] = {}
    for path, module in access_modules().items():
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str) and PERMISSION_NAME.match(value):
                declared.setdefault(value, []).append(path)
    return declared


def model_permissions() -> dict[str, str]:
    """Every permission the models declare, "app_label.codename" -> its description, as
    Django creates them (the default ones and Meta.permissions)."""
    found = {}
    for model in apps.get_models():
        meta = model._meta
        for action in meta.default_permissions:
            found[f"{meta.app_label}.{action}_{meta.model_name}"] = (
                f"Can {action} {meta.verbose_name_raw}"
            )
        for codename, description in meta.permissions:
            found[f"{meta.app_label}.{codename}"] = description
    return found


def custom_permissions() -> set[str]:
    """The permissions declared in a model's Meta.permissions (not Django's defaults)."""
    return {
        f"{model._meta.app_label}.{codename}"
        for model in apps.get_models()
        for codename, _description in model._meta.permissions
    }


def render_markdown() -> str:
    roles = list(Role)
    described = model_permissions()
    declared = declared_in_access()
    names = sorted(
        {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
        | custom_permissions()
        | set(declared)
    )
    lines = [
        "# Permission matrix",
        "",
        "Generated from `dtv/accounts/roles.py` (ROLE_PERMISSIONS: a role is a named set of",
        "permissions, one group per role) and the apps' `access.py` modules by",
        "`manage.py permission_matrix`; do not edit by hand. `tests/test_access.py` fails",
        "when this file differs from what the command writes.",
        "",
        "A mark means the role's group carries the permission. Facts about the object (the",
        "user's team, his part in a meeting, his organisation, the partner's access window)",
        "narrow it further; they are in the access module named in the last column.",
        "",
        "| Permission | Meaning | "
        + " | ".join(str(role.label) for role in roles)
        + " | Checked in |",
        "|---|---|" + "---|" * len(roles) + "---|",
    ]
    for perm in names:
        marks = ["✓" if perm in ROLE_PERMISSIONS.get(role, ()) else "" for role in roles]
        where = ", ".join(f"`{path}`" for path in sorted(declared.get(perm, []))) or "—"
        meaning = described.get(perm, "(no such permission)")
        lines.append(f"| `{perm}` | {meaning} | " + " | ".join(marks) + f" | {where} |")
    return "\n".join(lines) + "\n"
