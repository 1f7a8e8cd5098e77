"""Who may read the audit log and export what is held on a person: permissions only; the
privacy pages and the navigation ask here."""

VIEW_AUDITENTRY = "audit.view_auditentry"
EXPORT_SUBJECT_DATA = "audit.export_subject_data"


def reads_audit_log(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_AUDITENTRY)


def exports_subject_data(user) -> bool:
    return user.is_authenticated and user.has_perm(EXPORT_SUBJECT_DATA)
