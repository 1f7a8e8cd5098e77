"""The permissions of the departure records: declared here, checked by the views
(require_perm) and the case page's departure section. Whose case it is, and whether it is
open, is for cases/access.py and the services."""

ADD_MEASURE = "departure.add_measure"
CHANGE_MEASURE = "departure.change_measure"
ADD_COURTREVIEW = "departure.add_courtreview"
ADD_DEPARTURE = "departure.add_departure"
ADD_RETURNSUPPORT = "departure.add_returnsupport"
CHANGE_RETURNSUPPORT = "departure.change_returnsupport"
ADD_TRAVELDOCUMENTREQUEST = "departure.add_traveldocumentrequest"
CHANGE_TRAVELDOCUMENTREQUEST = "departure.change_traveldocumentrequest"
ADD_EMBASSYPRESENTATION = "departure.add_embassypresentation"
CHANGE_EMBASSYPRESENTATION = "departure.change_embassypresentation"
ADD_ADVICE = "departure.add_advice"
CHANGE_ADVICE = "departure.change_advice"
