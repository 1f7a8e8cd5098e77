"""What an officer fills in on the case create form, as the POST data of one plain case; the
tests override what they are about."""


def create_form_data(**overrides) -> dict:
    return {
        "v_nummer": "0012345678",
        "family_name": "Haddad",
        "given_names": "Lina",
        "birth_date": "1990-03-04",
        "birth_date_precision": "full",
        "sex": "f",
        "identity_status": "claimed",
        "nationality": "SY",
        "nationality_status": "presumed",
        "source": "ind",
        "category": "asylum",
        "departure_term_days": "28",
        "priority": "0",
        **overrides,
    }
