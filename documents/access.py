"""Who may do what with documents: the one place views, services and navigation ask."""

from dtv.accounts.roles import Role


def can_add_document(user, case, *, case_as_read: bool = False) -> bool:
    """Officers and team leads of the case's own team add documents and versions. A page
    showing a case it has just read passes `case_as_read` (the rule applied to that case, no
    query); services ask the database."""
    from cases.models import Case

    if not user.is_authenticated or not user.has_perm("documents.add_document"):
        return False
    if user.role not in (Role.OFFICER, Role.TEAM_LEAD):
        return False
    if case_as_read:
        return case.is_visible_to(user)
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def can_view_documents(user) -> bool:
    return user.is_authenticated and user.has_perm("documents.view_document")
