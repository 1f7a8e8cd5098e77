"""The subject-access export holds every record the model graph relates to the person, in
words a person can read."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from cases.models import Person
from dtv.audit import graph
from privacy import subject_access
from tests.audit import dossier

pytestmark = pytest.mark.django_db
OUR_APPS = ("cases", "interviews", "departure", "partners", "dtv")


def _relations_pointing_at(model):
    # Straight from _meta, not from the graph module: what the export must cover.
    return [
        rel
        for rel in model._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and rel.is_relation and rel.related_model
    ]


def test_every_relation_to_the_person_is_exported_or_explicitly_left_out(officer):
    """Each relation pointing at the person, a case or a record found through them: its rows
    of this person are all in the export, unless the relation is named in NOT_FOLLOWED."""
    person, _relative, _case = dossier.build(officer)
    exported: dict[str, set] = {}
    for r in subject_access.collect(person)["records"]:
        exported.setdefault(r["model"], set()).add(r["pk"])
    missing, todo, seen = [], [Person], set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for rel in _relations_pointing_at(model):
            related = rel.related_model
            if related._meta.app_label in ("audit", "accounts") or related._meta.auto_created:
                continue
            if related.__module__.split(".")[0] not in OUR_APPS:
                continue
            field = rel.remote_field
            key = f"{model._meta.label}.{related._meta.model_name}.{field.name}"
            if key in graph.NOT_FOLLOWED:
                continue
            pks = exported.get(model._meta.label_lower, set())
            rows = set(
                related._base_manager.filter(**{f"{field.name}__in": pks}).values_list(
                    "pk", flat=True
                )
            )
            if not rows:
                missing.append(f"{key} (no record in the dossier)")
            elif not rows <= exported.get(related._meta.label_lower, set()):
                missing.append(key)
            todo.append(related)
    assert missing == []


def test_the_export_reads_as_words_with_attendees_and_household_links(officer):
    person, relative, case = dossier.build(officer)
    with translation.override("en"):
        data = subject_access.collect(person)
    types = {r["type"] for r in data["records"]}
    assert {"Attendee", "Household link", "Interview", "Case", "Person"} <= types
    links = [r for r in data["records"] if r["type"] == "Household link"]
    assert len(links) == 2  # the person's own, and the parent's pointing at them
    assert sorted(r["fields"]["Relation"] for r in links) == ["Parent of", "Partner"]
    person_record = next(r for r in data["records"] if r["type"] == "Person")
    assert person_record["fields"]["Family name"] == dossier.FAMILY
    assert person_record["fields"]["Medical circumstances"] == "no"
    assert "Search name" not in person_record["fields"]
    case_record = next(r for r in data["records"] if r["type"] == "Case")
    assert case_record["fields"]["Category"] == "Rejected asylum"  # the label, not "asylum"
    assert case_record["fields"]["Person"] == person.full_name
    for r in data["records"]:
        for label in r["fields"]:
            assert "_" not in label, (r["type"], label)


def test_the_auditor_downloads_it_as_json_and_pdf(client, officer, auditor):
    person, _relative, _case = dossier.build(officer)
    client.force_login(auditor)
    url = reverse("privacy:subject_access_export", args=[person.v_nummer, "json"])
    data = json.loads(client.get(url).content)
    assert any(r["type"] for r in data["records"] if r["model"] == "interviews.interviewattendee")
    pdf = client.get(reverse("privacy:subject_access_export", args=[person.v_nummer, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
