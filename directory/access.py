"""Who may see and change the partner directory, and which organisation a partner
participant acts for (his Contact's): the one place the views and the other apps' access
modules ask."""

from directory.models import Contact

VIEW_ORGANISATION = "directory.view_organisation"
ADD_ORGANISATION = "directory.add_organisation"
CHANGE_ORGANISATION = "directory.change_organisation"
VIEW_CONTACT = "directory.view_contact"
ADD_CONTACT = "directory.add_contact"
CHANGE_CONTACT = "directory.change_contact"
DELETE_CONTACT = "directory.delete_contact"
VIEW_MUNICIPALITY = "directory.view_municipality"


def reads_directory(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_ORGANISATION)


def partner_organisation_ids(user):
    """The organisation of the user's Contact (one at most), as a subquery."""
    return Contact.objects.filter(user_id=user.pk).values("organisation_id")
