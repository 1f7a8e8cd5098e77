"""Tests on a real transaction start with the reference data every installation has, even
after another such test emptied the tables (pytest-django's flush)."""

import pytest

from directory.models import Municipality, Organisation
from letters.models import LetterText
from partners import reference_data


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("turn", [1, 2])
def test_a_transactional_test_has_the_municipalities_and_letter_texts(turn):
    # The second turn runs after the first one's flush.
    assert Municipality.objects.filter(code="GM0014").exists()
    assert Organisation.objects.filter(kind="iom").exists()
    assert LetterText.objects.exists()
    Municipality.objects.all().delete()


@pytest.mark.django_db
def test_loading_again_changes_nothing_and_restores_a_renamed_municipality():
    count = Municipality.objects.count()
    Municipality.objects.filter(code="GM0014").update(name="Anders")
    reference_data.load(Municipality, Organisation)
    assert Municipality.objects.count() == count
    assert Municipality.objects.get(code="GM0014").name == "Groningen"
