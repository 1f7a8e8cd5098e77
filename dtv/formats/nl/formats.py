# One format per kind, used everywhere (templates name them, never a pattern of their own;
# tests/test_date_formats.py checks): a date "3 dec. 2026", a date and time
# "3 dec. 2026 14:30", a month "december 2026", and short in dense tables "03-12-2026".
DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y H:i"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
TIME_FORMAT = "H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d-%m-%y", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
]
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
