"""Demo partner organisations and contacts; the `partner` account is an AVIM participant."""

from directory.models import Contact, Municipality, Organisation
from partners import reference_data

ORGANISATIONS = [
    ("avim", "AVIM Noord-Nederland", "GM0014", ""),
    ("avim", "AVIM Zuid-Nederland", "GM0855", ""),
    ("municipality", "Gemeente Groningen", "GM0014", ""),
    ("municipality", "Gemeente Amsterdam", "GM0363", ""),
    ("municipality", "Gemeente Tilburg", "GM0855", ""),
    ("coa", "COA azc Groningen", "GM0014", ""),
    ("coa", "COA azc Amsterdam", "GM0363", ""),
    ("coa", "COA azc Budel", "GM1724", ""),
    ("embassy", "Ambassade van Marokko", "GM0518", "MA"),
    ("embassy", "Ambassade van Algerije", "GM0518", "DZ"),
    ("embassy", "Ambassade van Nigeria", "GM0518", "NG"),
    ("embassy", "Ambassade van Turkije", "GM0518", "TR"),
    ("embassy", "Ambassade van Georgië", "GM0518", "GE"),
    ("embassy", "Ambassade van Moldavië", "GM0518", "MD"),
    ("embassy", "Consulaat-generaal van Marokko", "GM0599", "MA"),
]


def seed(ctx) -> None:
    if Municipality.objects.count() < 300:
        # An emptied database (a flushed test database) lacks the migration's reference data.
        reference_data.load(Municipality, Organisation)
    for kind, name, code, country in ORGANISATIONS:
        Organisation.objects.get_or_create(
            kind=kind,
            name=name,
            defaults={
                "municipality": Municipality.objects.filter(code=code).first(),
                "country": country,
            },
        )
    avim = Organisation.objects.get(kind="avim", name="AVIM Noord-Nederland")
    partner = ctx.users["partner"]
    Contact.objects.update_or_create(
        user=partner,
        defaults={
            "organisation": avim,
            "name": partner.get_full_name(),
            "role": "Vreemdelingenpolitie, LTO-deelnemer",
            "email": partner.email,
        },
    )
    Contact.objects.get_or_create(
        organisation=Organisation.objects.get(kind="municipality", name="Gemeente Groningen"),
        name="Petra Hoekstra",
        defaults={"role": "Beleidsmedewerker vreemdelingen", "phone": "050 123 4567"},
    )
    ctx.extra["avim"] = avim
