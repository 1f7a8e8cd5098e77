"""Labels that said the wrong thing: "Address" for the IP address in the audit log (Dutch
"IP-adres" then also labelled an organisation's postal address)."""

import pytest
from django.urls import reverse

from dtv.audit.models import AuditEntry
from tests.cases.factories import CaseFactory
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _header_cells(html: str) -> list[str]:
    import re

    return re.findall(r'<th scope="col">([^<]*)</th>', html)


def test_the_audit_pages_label_the_ip_address_as_such(client, auditor, officer):
    case = CaseFactory(team=officer.team, officer=officer)
    client.force_login(officer)
    client.get(reverse("cases:detail", args=[case.reference]))
    assert AuditEntry.objects.exists()
    client.force_login(auditor)
    for url in (reverse("audit:log"), reverse("privacy:case_access", args=[case.reference])):
        cells = _header_cells(client.get(url).content.decode())
        # In the user's language (Dutch here): "IP address" is in Django's own catalogue.
        assert "IP-adres" in cells, " | ".join(cells)


def test_the_postal_address_has_its_own_message(client, officer):
    organisation = OrganisationFactory(address="Stationsweg 1, Groningen")
    client.force_login(officer)
    html = client.get(reverse("partners:organisation_detail", args=[organisation.pk])).content
    # The Dutch page never calls a street address "IP-adres".
    assert "IP-adres" not in html.decode()
    assert "Stationsweg 1" in html.decode()
