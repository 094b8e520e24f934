"""Text-layer PDFs in English and German, built with reportlab, for the OCR-decision tests.

The prose is ordinary administrative English and German (a project report, a letter of
cooperation); each page carries a few paragraphs of it, a heading and a page number, so a
page looks like the annex of a foreign partner's document.
"""
from __future__ import annotations

from pathlib import Path

ENGLISH = [
    "The project was launched in March with the support of the provincial authorities and three partner "
    "universities. Its purpose is to improve the safety of industrial explosives along the whole supply chain, "
    "from the factory to the quarry where they are used.",
    "During the first year the team visited twelve storage sites, interviewed the managers and the guards, and "
    "checked the records kept for every delivery. Most sites met the national standard, but several had no "
    "lightning protection and two kept their records on loose sheets of paper.",
    "We recommend that every site appoint a person responsible for the records, that the fences be repaired "
    "before the rainy season, and that the staff attend a training course at least once a year. The costs of "
    "these measures are modest compared with the damage an accident would cause.",
    "The second phase will extend the inspections to the northern districts. The budget for it has been approved "
    "by the board, and the partners have agreed to share their laboratory equipment and their experience with "
    "the local teams.",
    "Questions about this report may be sent to the project office. We thank all the people who opened their "
    "doors to us, answered our questions patiently and helped us to understand the daily work of their teams.",
]

GERMAN = [
    "Das Projekt wurde im März mit Unterstützung der Landesregierung und dreier Partneruniversitäten begonnen. "
    "Ziel ist es, die Sicherheit beim Umgang mit gewerblichen Sprengstoffen entlang der gesamten Lieferkette zu "
    "verbessern, vom Werk bis zum Steinbruch.",
    "Im ersten Jahr besuchte das Team zwölf Lagerstätten, befragte die Leiter und das Wachpersonal und prüfte die "
    "Aufzeichnungen über jede Lieferung. Die meisten Lager erfüllten die nationale Norm, einige hatten jedoch "
    "keinen Blitzschutz, und zwei führten ihre Bücher auf losen Blättern.",
    "Wir empfehlen, dass jede Lagerstätte eine verantwortliche Person für die Aufzeichnungen benennt, dass die "
    "Zäune vor der Regenzeit ausgebessert werden und dass die Mitarbeiter mindestens einmal im Jahr an einer "
    "Schulung teilnehmen. Die Kosten dieser Maßnahmen sind gering.",
    "Die zweite Phase wird die Überprüfungen auf die nördlichen Bezirke ausdehnen. Der Haushalt dafür wurde vom "
    "Vorstand genehmigt, und die Partner haben zugesagt, ihre Laborgeräte und ihre Erfahrungen mit den örtlichen "
    "Teams zu teilen.",
    "Fragen zu diesem Bericht können an das Projektbüro gerichtet werden. Wir danken allen Menschen, die uns ihre "
    "Türen geöffnet, geduldig unsere Fragen beantwortet und uns geholfen haben, die tägliche Arbeit zu verstehen.",
]


def text_pdf(path: Path, paragraphs: list[str], pages: int, heading: str = "Report") -> Path:
    """An A4 PDF with a real text layer: `pages` pages of the given paragraphs (Times, 12 pt)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("body", fontName="Times-Roman", fontSize=12, leading=16)
    story = []
    for n in range(pages):
        story.append(Paragraph(f"{heading} - part {n + 1}", styles["Heading2"]))
        for k in range(len(paragraphs)):
            story.append(Paragraph(paragraphs[(n + k) % len(paragraphs)], body))
            story.append(Spacer(1, 6))
        if n + 1 < pages:
            story.append(PageBreak())

    def number(canvas, doc):
        canvas.setFont("Times-Roman", 10)
        canvas.drawCentredString(A4[0] / 2, 30, str(doc.page))

    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=number, onLaterPages=number)
    return path
