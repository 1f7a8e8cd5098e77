import re


def normal_html(html) -> str:
    """HTML with runs of whitespace collapsed and whitespace next to a tag removed (it does
    not show), for comparing two writers of the same markup."""
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*([<>])\s*", r"\1", html).strip()
