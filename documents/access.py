"""Who may do what with documents: the one place views, services and navigation ask."""

from dtv.accounts.roles import Role


def can_add_document(user, case) -> bool:
    """Officers and team leads of the case's own team add documents and versions."""
    from cases.models import Case

    if not user.is_authenticated or not user.has_perm("documents.add_document"):
        return False
    if user.role not in (Role.OFFICER, Role.TEAM_LEAD):
        return False
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def can_view_documents(user) -> bool:
    return user.is_authenticated and user.has_perm("documents.view_document")
