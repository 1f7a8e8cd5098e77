# ruff: noqa: E501 - a paragraph of letter text is one line: the text is stored as written.
"""The first version of each letter text, in Dutch, English, French and Arabic: loaded by the
data migration, after which the functional administrator maintains them (new versions).
Plain text, a blank line between paragraphs, placeholders from letters/placeholders.py."""

INITIAL_TEXTS = {
    ("invitation", "nld"): (
        "Uitnodiging voor een vertrekgesprek",
        """Geachte heer, mevrouw {naam},

Wij nodigen u uit voor een gesprek over uw vertrek uit Nederland. In dit gesprek bespreken wij met u hoe u Nederland kunt verlaten en welke hulp u daarbij kunt krijgen.

Datum: {datum}
Tijd: {tijd}
Plaats: {plaats}
Tolk: {tolk_taal}

Neem uw identiteitsbewijs, uw reisdocumenten en deze brief mee. Heeft u een advocaat? Dan mag uw advocaat bij het gesprek aanwezig zijn.

Kunt u niet komen? Neem dan zo snel mogelijk contact op met uw regievoerder. Als u zonder bericht niet komt, kan dat gevolgen hebben voor uw opvang en voor de maatregelen die de overheid kan nemen.

Met vriendelijke groet,

{regievoerder}
Regievoerder, Dienst Terugkeer en Vertrek

V-nummer: {v_nummer}
Kenmerk: {kenmerk}""",
    ),
    ("invitation", "eng"): (
        "Invitation to a departure interview",
        """Dear {naam},

We invite you to an interview about your departure from the Netherlands. In this interview we will discuss with you how you can leave the Netherlands and what help you can get to do so.

Date: {datum}
Time: {tijd}
Place: {plaats}
Interpreter: {tolk_taal}

Please bring your proof of identity, your travel documents and this letter. If you have a lawyer, your lawyer may attend the interview.

If you cannot come, please contact your departure officer as soon as possible. If you do not come and do not let us know, this may affect your reception and the measures the government can take.

Yours sincerely,

{regievoerder}
Departure officer, Repatriation and Departure Service

V-number: {v_nummer}
Reference: {kenmerk}""",
    ),
    ("invitation", "fra"): (
        "Convocation à un entretien de départ",
        """Madame, Monsieur {naam},

Nous vous invitons à un entretien concernant votre départ des Pays-Bas. Lors de cet entretien, nous examinerons avec vous comment vous pouvez quitter les Pays-Bas et quelle aide vous pouvez recevoir pour cela.

Date : {datum}
Heure : {tijd}
Lieu : {plaats}
Interprète : {tolk_taal}

Veuillez apporter votre pièce d'identité, vos documents de voyage et cette lettre. Si vous avez un avocat, celui-ci peut assister à l'entretien.

Si vous ne pouvez pas venir, veuillez contacter votre agent chargé du départ dès que possible. Si vous ne venez pas sans nous prévenir, cela peut avoir des conséquences pour votre hébergement et pour les mesures que les autorités peuvent prendre.

Veuillez agréer, Madame, Monsieur, nos salutations distinguées.

{regievoerder}
Agent chargé du départ, Service du retour et du départ (DT&V)

Numéro V : {v_nummer}
Référence : {kenmerk}""",
    ),
    ("invitation", "ara"): (
        "دعوة إلى مقابلة بشأن المغادرة",
        """السيد/السيدة {naam} المحترم/المحترمة،

ندعوكم إلى مقابلة بشأن مغادرتكم هولندا. سنناقش معكم في هذه المقابلة كيف يمكنكم مغادرة هولندا وما المساعدة التي يمكنكم الحصول عليها لذلك.

التاريخ: {datum}
الوقت: {tijd}
المكان: {plaats}
المترجم الفوري: {tolk_taal}

يرجى إحضار إثبات هويتكم ووثائق سفركم وهذه الرسالة. إذا كان لديكم محامٍ، يجوز لمحاميكم حضور المقابلة.

إذا لم تتمكنوا من الحضور، يرجى الاتصال بالموظف المسؤول عن ملف مغادرتكم في أقرب وقت ممكن. إذا لم تحضروا دون إبلاغنا، فقد يؤثر ذلك على استقبالكم وعلى الإجراءات التي يمكن أن تتخذها الحكومة.

مع أطيب التحيات،

{regievoerder}
الموظف المسؤول عن المغادرة، دائرة العودة والمغادرة

الرقم V: {v_nummer}
المرجع: {kenmerk}""",
    ),
    ("agreements", "nld"): (
        "Bevestiging van de afspraken uit ons gesprek",
        """Geachte heer, mevrouw {naam},

Op {datum} hebben wij met u gesproken over uw vertrek uit Nederland. In dit gesprek hebben wij de volgende afspraken met u gemaakt:

{afspraken}

Wij vragen u zich aan deze afspraken te houden. Klopt er iets niet in deze afspraken, of kunt u een afspraak niet nakomen? Neem dan zo snel mogelijk contact op met uw regievoerder.

Met vriendelijke groet,

{regievoerder}
Regievoerder, Dienst Terugkeer en Vertrek

V-nummer: {v_nummer}
Kenmerk: {kenmerk}""",
    ),
    ("agreements", "eng"): (
        "Confirmation of the agreements made in our interview",
        """Dear {naam},

On {datum} we spoke with you about your departure from the Netherlands. In this interview we made the following agreements with you:

{afspraken}

We ask you to keep to these agreements. If anything in these agreements is not correct, or if you cannot keep an agreement, please contact your departure officer as soon as possible.

Yours sincerely,

{regievoerder}
Departure officer, Repatriation and Departure Service

V-number: {v_nummer}
Reference: {kenmerk}""",
    ),
    ("agreements", "fra"): (
        "Confirmation des accords conclus lors de notre entretien",
        """Madame, Monsieur {naam},

Le {datum}, nous nous sommes entretenus avec vous au sujet de votre départ des Pays-Bas. Lors de cet entretien, nous avons convenu avec vous de ce qui suit :

{afspraken}

Nous vous demandons de respecter ces accords. Si quelque chose n'est pas correct dans ces accords, ou si vous ne pouvez pas respecter un accord, veuillez contacter votre agent chargé du départ dès que possible.

Veuillez agréer, Madame, Monsieur, nos salutations distinguées.

{regievoerder}
Agent chargé du départ, Service du retour et du départ (DT&V)

Numéro V : {v_nummer}
Référence : {kenmerk}""",
    ),
    ("agreements", "ara"): (
        "تأكيد الاتفاقات التي تمت في مقابلتنا",
        """السيد/السيدة {naam} المحترم/المحترمة،

في {datum} تحدثنا معكم بشأن مغادرتكم هولندا. وقد اتفقنا معكم في هذه المقابلة على ما يلي:

{afspraken}

نطلب منكم الالتزام بهذه الاتفاقات. إذا كان هناك شيء غير صحيح في هذه الاتفاقات، أو إذا لم تتمكنوا من الالتزام باتفاق ما، يرجى الاتصال بالموظف المسؤول عن ملف مغادرتكم في أقرب وقت ممكن.

مع أطيب التحيات،

{regievoerder}
الموظف المسؤول عن المغادرة، دائرة العودة والمغادرة

الرقم V: {v_nummer}
المرجع: {kenmerk}""",
    ),
    ("obligation", "nld"): (
        "Uw vertrekplicht en de vertrektermijn",
        """Geachte heer, mevrouw {naam},

U heeft geen recht (meer) op verblijf in Nederland. Dit betekent dat u Nederland moet verlaten. Dit heet de vertrekplicht.

Uw vertrektermijn is {vertrektermijn} dagen, gerekend vanaf {besluitdatum}. U moet Nederland uiterlijk op {termijn_einde} hebben verlaten. Binnen deze termijn kunt u zelf vertrekken, ook naar een ander land waar u mag verblijven.

Wij helpen u graag bij uw vertrek. U kunt ook hulp krijgen van de Internationale Organisatie voor Migratie (IOM), bijvoorbeeld bij het regelen van een reisdocument of een ticket.

Vertrekt u niet binnen de termijn? Dan kan de overheid maatregelen nemen om uw vertrek te verzekeren, zoals een meldplicht, plaatsing in een vrijheidsbeperkende locatie of vreemdelingenbewaring. Ook kan een inreisverbod gelden.

Heeft u vragen over deze brief? Neem dan contact op met uw regievoerder.

Met vriendelijke groet,

{regievoerder}
Regievoerder, Dienst Terugkeer en Vertrek

V-nummer: {v_nummer}
Kenmerk: {kenmerk}""",
    ),
    ("obligation", "eng"): (
        "Your obligation to leave and the departure term",
        """Dear {naam},

You have no (longer any) right to stay in the Netherlands. This means that you must leave the Netherlands. This is called the obligation to leave.

Your departure term is {vertrektermijn} days, counted from {besluitdatum}. You must have left the Netherlands by {termijn_einde} at the latest. Within this term you can leave on your own, also to another country where you are allowed to stay.

We are happy to help you with your departure. You can also get help from the International Organization for Migration (IOM), for example in obtaining a travel document or a ticket.

If you do not leave within the term, the government may take measures to make sure that you leave, such as a duty to report, placement in a freedom-restricting location or immigration detention. An entry ban may also apply.

If you have any questions about this letter, please contact your departure officer.

Yours sincerely,

{regievoerder}
Departure officer, Repatriation and Departure Service

V-number: {v_nummer}
Reference: {kenmerk}""",
    ),
    ("obligation", "fra"): (
        "Votre obligation de départ et le délai de départ",
        """Madame, Monsieur {naam},

Vous n'avez pas (ou plus) le droit de séjourner aux Pays-Bas. Cela signifie que vous devez quitter les Pays-Bas. C'est ce qu'on appelle l'obligation de départ.

Votre délai de départ est de {vertrektermijn} jours, à compter du {besluitdatum}. Vous devez avoir quitté les Pays-Bas au plus tard le {termijn_einde}. Pendant ce délai, vous pouvez partir par vos propres moyens, y compris vers un autre pays où vous êtes autorisé à séjourner.

Nous vous aidons volontiers à préparer votre départ. Vous pouvez également obtenir l'aide de l'Organisation internationale pour les migrations (OIM), par exemple pour obtenir un document de voyage ou un billet.

Si vous ne partez pas dans le délai, les autorités peuvent prendre des mesures pour assurer votre départ, comme une obligation de se présenter, un placement dans un lieu de restriction de liberté ou une rétention administrative. Une interdiction d'entrée peut également s'appliquer.

Si vous avez des questions sur cette lettre, veuillez contacter votre agent chargé du départ.

Veuillez agréer, Madame, Monsieur, nos salutations distinguées.

{regievoerder}
Agent chargé du départ, Service du retour et du départ (DT&V)

Numéro V : {v_nummer}
Référence : {kenmerk}""",
    ),
    ("obligation", "ara"): (
        "التزامكم بالمغادرة ومهلة المغادرة",
        """السيد/السيدة {naam} المحترم/المحترمة،

لم يعد لديكم حق الإقامة في هولندا. وهذا يعني أنه يجب عليكم مغادرة هولندا. ويسمى هذا الالتزام بالمغادرة.

مهلة مغادرتكم هي {vertrektermijn} يومًا، تُحسب اعتبارًا من {besluitdatum}. يجب أن تكونوا قد غادرتم هولندا في موعد أقصاه {termijn_einde}. يمكنكم خلال هذه المهلة المغادرة بأنفسكم، بما في ذلك إلى بلد آخر يُسمح لكم بالإقامة فيه.

يسعدنا أن نساعدكم في مغادرتكم. ويمكنكم أيضًا الحصول على المساعدة من المنظمة الدولية للهجرة، على سبيل المثال في الحصول على وثيقة سفر أو تذكرة.

إذا لم تغادروا خلال المهلة، فيجوز للحكومة اتخاذ إجراءات لضمان مغادرتكم، مثل واجب الحضور الدوري أو الإيداع في مكان مقيد للحرية أو الاحتجاز الإداري للأجانب. وقد يسري أيضًا حظر الدخول.

إذا كانت لديكم أسئلة حول هذه الرسالة، يرجى الاتصال بالموظف المسؤول عن ملف مغادرتكم.

مع أطيب التحيات،

{regievoerder}
الموظف المسؤول عن المغادرة، دائرة العودة والمغادرة

الرقم V: {v_nummer}
المرجع: {kenmerk}""",
    ),
}


def load(letter_text_model) -> int:
    """Version 1 of every initial text whose kind and language have no version yet; the
    number of texts made. The data migration calls it with its historical model, the demo
    seed with the real one (a flushed test database lacks the migration's texts)."""
    made = 0
    for (kind, language), (subject, body) in INITIAL_TEXTS.items():
        if not letter_text_model.objects.filter(kind=kind, language=language).exists():
            letter_text_model.objects.create(
                kind=kind, language=language, version=1, subject=subject, body=body
            )
            made += 1
    return made
