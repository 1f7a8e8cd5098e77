"""Demo documents: a few per demo case (a decision, sometimes a ruling, an identity document,
correspondence), small PDFs and text files made here in code. Idempotent: only the cases that
cases/demo.py created in this run get documents. The files go to the document storage like any
upload; they are marked scanned (they come from this module, not from outside)."""

import hashlib
from datetime import timedelta

from auditlog.context import disable_auditlog
from django.utils import timezone

from documents import storage
from documents.models import Document, DocumentVersion


def minimal_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF with a few lines of text (Helvetica), offsets computed."""

    def escape(text: str) -> str:
        text = text.encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    commands = ["BT", "/F1 12 Tf", "72 770 Td", "16 TL"]
    for line in lines:
        commands.append(f"({escape(line)}) Tj T*")
    commands.append("ET")
    stream = "\n".join(commands).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def _store(document, *, number, name, content, content_type, user, at):
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
        scan_state=DocumentVersion.ScanState.CLEAN,
        scanned_at=at,
        scan_result="Demo",
    )
    storage.save(version.storage_key, content)
    version.save()
    DocumentVersion.objects.filter(pk=version.pk).update(uploaded_at=at)
    return version


def seed(ctx) -> None:
    cases = ctx.extra.get("new_cases") or []
    rng = ctx.rng
    made = 0
    with disable_auditlog():
        for case in cases:
            if Document.objects.filter(case=case).exists():
                continue
            person = case.person
            officer = case.officer
            decided = case.decision_on or case.opened_on
            at = timezone.now() - timedelta(days=rng.randint(1, 60))
            plans = [
                (
                    Document.Type.DECISION,
                    decided,
                    "Beschikking IND met terugkeerbesluit",
                    "beschikking-ind.pdf",
                    [
                        "Immigratie- en Naturalisatiedienst",
                        f"Beschikking inzake V-nummer {person.v_nummer}",
                        "De aanvraag wordt afgewezen. Dit besluit geldt als terugkeerbesluit.",
                    ],
                ),
                (
                    Document.Type.CORRESPONDENCE,
                    ctx.today - timedelta(days=rng.randint(1, 30)),
                    "Brief van de advocaat",
                    "brief-advocaat.txt",
                    None,
                ),
            ]
            if rng.random() < 0.5:
                plans.append(
                    (
                        Document.Type.IDENTITY,
                        case.opened_on,
                        "Kopie paspoort (verlopen)",
                        "kopie-paspoort.pdf",
                        ["Kopie paspoort", f"{person.family_name}, {person.given_names}"],
                    )
                )
            if rng.random() < 0.3:
                plans.append(
                    (
                        Document.Type.RULING,
                        min(ctx.today, decided + timedelta(days=90)),
                        "Uitspraak rechtbank Den Haag",
                        "uitspraak-rechtbank.pdf",
                        ["Rechtbank Den Haag", "Uitspraak: het beroep is ongegrond."],
                    )
                )
            for doc_type, day, description, name, lines in plans:
                document = Document.objects.create(
                    case=case,
                    doc_type=doc_type,
                    document_date=min(day, ctx.today),
                    description=description,
                    created_by=officer,
                )
                if lines is None:
                    content = (
                        f"Geachte heer/mevrouw,\n\nNamens mijn cliënt ({person.v_nummer}) "
                        "verzoek ik u het vertrekgesprek te verplaatsen.\n\nMet vriendelijke "
                        "groet,\nmr. A. de Boer\n"
                    ).encode()
                    _store(
                        document,
                        number=1,
                        name=name,
                        content=content,
                        content_type="text/plain",
                        user=officer,
                        at=at,
                    )
                else:
                    _store(
                        document,
                        number=1,
                        name=name,
                        content=minimal_pdf(lines),
                        content_type="application/pdf",
                        user=officer,
                        at=at,
                    )
                    if doc_type == Document.Type.DECISION and rng.random() < 0.3:
                        _store(
                            document,
                            number=2,
                            name="beschikking-ind-gecorrigeerd.pdf",
                            content=minimal_pdf([*lines, "Gecorrigeerde versie."]),
                            content_type="application/pdf",
                            user=officer,
                            at=at,
                        )
                made += 1
    ctx.say(f"Documents: {made} created.")
