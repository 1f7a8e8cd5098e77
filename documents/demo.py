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


# The dossier of a case at national scale (the benchmark): what a case collects over a year or
# two, twenty documents, a few of them in a second version.
BULK_PLAN = [
    (Document.Type.DECISION, 400, "Beschikking IND met terugkeerbesluit", "beschikking-ind.pdf"),
    (Document.Type.RULING, 300, "Uitspraak rechtbank Den Haag", "uitspraak-rechtbank.pdf"),
    (Document.Type.RULING, 200, "Uitspraak Raad van State", "uitspraak-rvs.pdf"),
    (Document.Type.IDENTITY, 380, "Kopie paspoort (verlopen)", "kopie-paspoort.pdf"),
    (Document.Type.IDENTITY, 360, "Kopie identiteitskaart", "kopie-id-kaart.pdf"),
    (Document.Type.TRAVEL, 120, "Aanvraag laissez-passer", "aanvraag-lp.pdf"),
    (Document.Type.TRAVEL, 60, "Antwoord ambassade op presentatie", "antwoord-ambassade.pdf"),
    (Document.Type.TRAVEL, 20, "Laissez-passer", "laissez-passer.pdf"),
    (Document.Type.MEDICAL, 250, "Medisch advies BMA", "medisch-advies.pdf"),
    (Document.Type.MEDICAL, 90, "Verklaring huisarts", "verklaring-huisarts.pdf"),
    (Document.Type.IOM, 150, "Aanvraagformulier IOM", "aanvraag-iom.pdf"),
    (Document.Type.IOM, 100, "Bevestiging IOM", "bevestiging-iom.pdf"),
    (Document.Type.CORRESPONDENCE, 330, "Brief van de advocaat", "brief-advocaat.txt"),
    (Document.Type.CORRESPONDENCE, 240, "Brief aan betrokkene", "brief-betrokkene.txt"),
    (Document.Type.CORRESPONDENCE, 180, "E-mail COA over de opvang", "email-coa.txt"),
    (Document.Type.CORRESPONDENCE, 75, "Brief van de gemeente", "brief-gemeente.txt"),
    (Document.Type.CORRESPONDENCE, 30, "Verzoek uitstel vertrekgesprek", "verzoek-uitstel.txt"),
    (Document.Type.OTHER, 270, "Verslag gehoor", "verslag-gehoor.pdf"),
    (Document.Type.OTHER, 140, "Rapport vreemdelingenpolitie", "rapport-avim.pdf"),
    (Document.Type.OTHER, 10, "Foto's bagage", "overzicht-bagage.txt"),
]
BULK_SCAN_RESULT = "Demo seed: made by the seed, not scanned"


def _bulk_content(name: str, description: str, person, number: int) -> tuple[bytes, str]:
    lines = [description, f"V-nummer {person.v_nummer}", f"{person.family_name}, versie {number}"]
    if name.endswith(".txt"):
        return ("\n".join(lines) + "\n").encode(), "text/plain"
    return minimal_pdf(lines), "application/pdf"


def bulk_documents(cases, *, per_case: int, today, rng) -> int:
    """`per_case` documents (of BULK_PLAN, in turn) for each of `cases` that has none yet:
    rows written in bulk, small files made here and written through the document storage
    like any other. They are made by the seed, not uploaded: their versions say so (origin
    "generated", released without a scan, like the letters the system makes). Demo rows,
    not officers' actions: no audit entries. Returns the number of documents made."""
    have = _cases_with_documents(cases)
    cases = [c for c in cases if c.pk not in have]
    documents, files = [], []
    for case in cases:
        for index in range(per_case):
            doc_type, days_ago, description, name = BULK_PLAN[index % len(BULK_PLAN)]
            day = max(case.opened_on, today - timedelta(days=days_ago + rng.randint(0, 9)))
            document = Document(
                case_id=case.pk,
                doc_type=doc_type,
                document_date=min(day, today),
                description=description,
                created_by_id=case.officer_id,
                source_note="demo seed",
            )
            documents.append(document)
            # A decision corrected, an identity document replaced by a better copy.
            numbers = (1, 2) if index % len(BULK_PLAN) in (0, 3, 12) else (1,)
            files.extend((document, number, name, case) for number in numbers)
    if not documents:
        return 0
    now = timezone.now()
    versions = []
    for document, number, name, case in files:
        content, content_type = _bulk_content(name, document.description, case.person, number)
        version = DocumentVersion(
            number=number,
            original_name=name,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            origin=DocumentVersion.Origin.GENERATED,
            uploaded_by_id=case.officer_id,
            uploaded_at=now,
            scan_state=DocumentVersion.ScanState.CLEAN,
            scanned_at=now,
            scan_result=BULK_SCAN_RESULT,
        )
        # The file first: a row never points at a file that is not there.
        storage.save(version.storage_key, content)
        versions.append((document, version))
    with disable_auditlog():
        Document.objects.bulk_create(documents, batch_size=2000)
        for document, version in versions:
            version.document_id = document.pk
        DocumentVersion.objects.bulk_create([v for _d, v in versions], batch_size=2000)
    return len(documents)


def _cases_with_documents(cases) -> set:
    return set(
        Document.objects.filter(case__in=[c.pk for c in cases]).values_list("case_id", flat=True)
    )
