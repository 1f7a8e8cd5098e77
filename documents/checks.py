from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_virus_scanner(app_configs, **kwargs):
    """Production without a virus scanner refuses every upload: say why at deploy time."""
    if settings.DEBUG or settings.CLAMD_URL:
        return []
    return [
        Error(
            "CLAMD_URL is not set: with DEBUG off every document upload is refused, because no "
            "file may be stored without a virus scan.",
            hint="Set CLAMD_URL to the clamd socket, e.g. tcp://127.0.0.1:3310 or "
            "unix:///run/clamav/clamd.ctl (README, 'Documents and virus scanning').",
            id="documents.E001",
        )
    ]
