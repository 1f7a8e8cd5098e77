"""Who may see and record interviews: permissions, and the cases the user may see
(cases/access.py)."""

VIEW_INTERVIEW = "interviews.view_interview"
ADD_INTERVIEW = "interviews.add_interview"
CHANGE_INTERVIEW = "interviews.change_interview"


def reads_interviews(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_INTERVIEW)


def plans_interviews(user) -> bool:
    """Plans and records interviews (the agenda is his)."""
    return user.is_authenticated and user.has_perm(ADD_INTERVIEW)


def visible_interviews(queryset, cases, user):
    """The interviews of the cases the user may see (`cases`: Case.objects.visible_to(user)),
    for who may read interviews at all."""
    if not reads_interviews(user):
        return queryset.none()
    return queryset.filter(case__in=cases)
