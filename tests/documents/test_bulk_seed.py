"""The benchmark's seed (seed_demo at national scale, dtv/demo/bulk.py): the case pages the
benchmark opens, those linked from the first page of the officer's open cases, hold 20
documents each, with their files in the document storage."""

import hashlib
import io
import random
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import demo, storage
from documents.models import Document, DocumentVersion
from dtv.demo import bulk
from dtv.demo.context import DemoContext

pytestmark = pytest.mark.django_db

# As bench/cost.py and bench/locustfile.py find them.
CASE_LINK = re.compile(r'href="/cases/(TK-[0-9A-Z]{8})/"')


@pytest.fixture(autouse=True)
def small_scale(monkeypatch):
    # The national scale's staff and meetings, smaller: the documents do not depend on them.
    monkeypatch.setattr(bulk, "TEAMS", 3)
    monkeypatch.setattr(bulk, "OFFICERS_PER_TEAM", 3)
    monkeypatch.setattr(bulk, "MEETINGS", 10)


def _seed(cases=150):
    import dtv.accounts.demo
    import partners.demo

    ctx = DemoContext(
        rng=random.Random(2026), today=timezone.localdate(), cases=cases, stdout=io.StringIO()
    )
    for module in (dtv.accounts.demo, partners.demo, bulk):
        module.seed(ctx)
    return ctx


def test_the_cases_the_benchmark_opens_hold_20_documents_with_their_files(client, document_dir):
    ctx = _seed()
    from dtv.accounts.models import User

    client.force_login(User.objects.get(username="officer"))
    listing = client.get("/cases/", {"status": "open"}).content.decode()
    references = set(CASE_LINK.findall(listing))
    assert references
    documents = Document.objects.filter(case__reference__in=references)
    assert documents.count() == 20 * len(references)
    # Only those cases: the seed stays cheap at 100,000 cases.
    assert Document.objects.count() == documents.count()
    for reference in references:
        assert documents.filter(case__reference=reference).count() == 20
    versions = DocumentVersion.objects.filter(document__in=documents)
    assert versions.count() > documents.count()  # some documents have a second version
    assert set(documents.values_list("doc_type", flat=True)) == set(Document.Type.values)
    for version in versions:
        # Made by the seed and labelled so: released without a scan, like a generated letter.
        assert version.origin == DocumentVersion.Origin.GENERATED
        assert version.scan_state == DocumentVersion.ScanState.CLEAN
        assert version.scan_result == demo.BULK_SCAN_RESULT
        with storage.open_file(version.storage_key) as opened:
            content = opened.read()
        assert len(content) == version.size
        assert hashlib.sha256(content).hexdigest() == version.sha256
    assert "documents" in ctx.stdout.getvalue()
    # The case page the benchmark opens lists them all.
    first = CASE_LINK.findall(listing)[0]
    page = client.get(reverse("cases:detail", args=[first])).content.decode()
    assert page.count("/documenten/DOC-") >= 20


def test_the_seed_run_again_adds_no_documents(document_dir):
    _seed()
    count, files = Document.objects.count(), DocumentVersion.objects.count()
    _seed()
    assert (Document.objects.count(), DocumentVersion.objects.count()) == (count, files)
