"""Build the final report (sluttrapport) of an evaluation as a :class:`Document`.

The final report is step 8 of the BSB circle. Per theme, in this order: the plan goal(s) it
speaks to, with document and page; the users' experiences; numbered quote boxes; the team's
assessment (vurdering); numbered recommendations, each naming the goal(s) it answers. After the
chapters comes the 2 x 2 display, when anything is placed in it. Around them: a title page,
foreword, summaries in Norwegian and English, the table of contents, a method chapter whose
figures are counted from the data, charts, and appendices (the theme guide as used, the matrix
per site, an anonymous informant table). Quote and recommendation numbers run through the whole
report in reading order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bsbstudio.reports.engine import charts
from bsbstudio.reports.engine.cross_site import Table as ComparisonTable
from bsbstudio.reports.engine.document import (
    Block,
    Bullets,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    TableOfContents,
)
from bsbstudio.reports.engine.markup import parse_free_text
from bsbstudio.reports.engine.process_report import Quote, format_date, quote_box
from bsbstudio.reports.engine.text import one_line
from bsbstudio.reports.engine.texts import load_texts


@dataclass(frozen=True, slots=True)
class GoalRef:
    """A goal of the plans: its number in the plan, text, source document and page."""

    number: int
    text: str
    document: str = ""
    page: int | None = None


@dataclass(frozen=True, slots=True)
class RecommendationInput:
    """A recommendation, the goals it answers and the measures that follow it up."""

    text: str
    goals: list[GoalRef] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ChapterInput:
    """One theme's chapter: goals, experiences, (quote, site name) pairs, assessment, advice."""

    theme: str
    goals: list[GoalRef] = field(default_factory=list)
    experiences: str = ""
    quotes: list[tuple[Quote, str]] = field(default_factory=list)  # (quote, site name)
    assessment: str = ""
    recommendations: list[RecommendationInput] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MethodFigures:
    """Counts for the method chapter, charts and appendices, all computed from the data.

    ``interviews``: (site, focus groups, individual). ``informants[site][group]`` by
    ``sites``/``groups`` order. ``guide_versions``: (number, frozen on, interviews using it).
    ``conference``: (role, participants), or None when not recorded. ``polarity``: per theme
    (theme, positive, critical, neutral) over every coded quote. ``matrices``: per site, rows of
    (theme, counts per group). ``guide``: rows of (theme, group, question) of the guide as used.
    """

    sites: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    interviews: list[tuple[str, int, int]] = field(default_factory=list)
    informants: list[list[int]] = field(default_factory=list)
    guide_versions: list[tuple[int, str, int]] = field(default_factory=list)
    conference: list[tuple[str, int]] | None = None
    polarity: list[tuple[str, int, int, int]] = field(default_factory=list)
    matrices: list[tuple[str, list[tuple[str, list[int]]]]] = field(default_factory=list)
    guide_version: int | None = None
    guide: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FinalReportInput:
    """Everything the final report needs, already read from the database (de-identified)."""

    evaluation_name: str
    title: str = ""
    commissioner: str = ""
    period: str = ""
    authors: list[str] = field(default_factory=list)
    foreword: str = ""
    summary: str = ""
    summary_en: str = ""
    chapters: list[ChapterInput] = field(default_factory=list)
    method: MethodFigures = field(default_factory=MethodFigures)
    generated_on: date | None = None
    language: str = "nb"
    charts: bool = True
    # The cross-site tables (engine.cross_site), for an evaluation with more than one site, and
    # the team's own words in them that the leak guard scans.
    comparison: list[ComparisonTable] = field(default_factory=list)
    comparison_texts: list[str] = field(default_factory=list)
    # The 2 x 2 display as report blocks (heading, lead, table), drawn after the theme chapters
    # when anything is placed in it, and its texts that the leak guard scans.
    display: list[Block] = field(default_factory=list)
    display_texts: list[str] = field(default_factory=list)


def build_final_report(data: FinalReportInput) -> Document:
    """Assemble the final report as an intermediate :class:`Document`."""
    texts = load_texts("final_report", data.language)
    on = data.generated_on or date.today()
    name = one_line(data.evaluation_name)
    document = Document(
        title=one_line(data.title) or texts["file_title"].format(evaluation=name),
        subject=texts["file_subject"],
        author=", ".join(one_line(a) for a in data.authors if a.strip()),
        language=texts["language"],
        created=on,
    )
    _title_page(document, data, texts, on)
    for key, text in (
        ("foreword_heading", data.foreword),
        ("summary_heading", data.summary),
        ("summary_en_heading", data.summary_en),
    ):
        document.add(Heading(1, texts[key]))
        document.add(*(parse_free_text(text) or [Paragraph(texts["not_written"], "note")]))
    document.add(TableOfContents(texts["toc_heading"]))
    _method(document, data.method, texts, data.charts)
    _comparison(document, data.comparison, texts)
    quotes = recommendations = 0
    for chapter in data.chapters:
        quotes, recommendations = _chapter(document, chapter, texts, quotes, recommendations)
    if data.display:
        document.add(PageBreak(), *data.display)
    _appendices(document, data.method, texts)
    return document


def _title_page(document: Document, data: FinalReportInput, texts: dict, on: date) -> None:
    facts = texts["facts"]
    document.add(
        Heading(0, one_line(data.title) or texts["title"]),
        Paragraph(one_line(data.evaluation_name), "subtitle"),
    )
    for label, value in (
        (facts["commissioner"], data.commissioner),
        (facts["period"], data.period),
        (facts["authors"], ", ".join(a for a in data.authors if a.strip())),
        (facts["date"], format_date(on, texts)),
    ):
        if value.strip():
            document.add(Paragraph(f"{label}: {one_line(value)}", "meta"))
    document.add(PageBreak())


def _sum_row(label: str, rows: list[tuple]) -> tuple[str, ...]:
    columns = len(rows[0]) - 1 if rows else 0
    return (label, *(str(sum(int(row[i + 1]) for row in rows)) for i in range(columns)))


def _method(document: Document, method: MethodFigures, texts: dict, with_charts: bool) -> None:
    document.add(PageBreak(), Heading(1, texts["method_heading"]))
    document.add(*parse_free_text(texts["method"]))
    rows = [(one_line(s), str(f), str(i), str(f + i)) for s, f, i in method.interviews]
    document.add(Heading(2, texts["interviews_heading"]))
    if rows:
        rows.append(_sum_row(texts["sum"], rows))
    document.add(Table(tuple(texts["interviews_columns"]), tuple(rows)))
    document.add(Heading(2, texts["informants_heading"]))
    document.add(informant_table(method, texts))
    document.add(Heading(2, texts["guide_heading"]))
    if method.guide_versions:
        document.add(
            Table(
                tuple(texts["guide_columns"]),
                tuple((str(n), when, str(count)) for n, when, count in method.guide_versions),
            )
        )
    else:
        document.add(Paragraph(texts["guide_none"], "note"))
    document.add(Heading(2, texts["conference_heading"]))
    if method.conference is None:
        document.add(Paragraph(texts["no_conference"], "note"))
    else:
        rows = [(one_line(role), str(n)) for role, n in method.conference]
        if rows:
            rows.append(_sum_row(texts["sum"], rows))
        document.add(Table(tuple(texts["conference_columns"]), tuple(rows)))
    if with_charts and method.polarity and method.sites and method.groups:
        document.add(Heading(2, texts["charts_heading"]))
        document.add(
            Figure(
                charts.polarity_chart(
                    [one_line(t) for t, *_ in method.polarity],
                    [tuple(counts) for _t, *counts in method.polarity],
                    texts["polarity_labels"],
                ),
                texts["chart_polarity"],
            ),
            Figure(
                charts.informants_chart(method.sites, method.groups, method.informants),
                texts["chart_informants"],
            ),
        )


def _comparison(document: Document, tables: list[ComparisonTable], texts: dict) -> None:
    """The chapter "Sammenligning av stedene": each cross-site table with its sum rows."""
    tables = [t for t in tables if t.columns and t.rows]
    if not tables:
        return
    document.add(PageBreak(), Heading(1, texts["comparison_heading"]))
    document.add(Paragraph(texts["comparison_intro"]))
    for table in tables:
        document.add(Heading(2, one_line(table.title)))
        rows = tuple(
            (one_line(row.label), *(_cell(v, texts) for v in row.values))
            for row in (*table.rows, *table.footer)
        )
        header = (one_line(table.row_header), *(one_line(c) for c in table.columns))
        document.add(Table(header, rows))
        if table.note.strip():
            document.add(Paragraph(one_line(table.note), "note"))


def _cell(value, texts: dict) -> str:
    """A table value as text: empty for none, numbers with the language's decimal point."""
    if value is None:
        return ""
    if isinstance(value, str):
        return one_line(value)
    return str(value).replace(".", texts["decimal_point"])


def informant_table(method: MethodFigures, texts: dict) -> Table:
    """Informants per site (rows) and group (columns), with sums of both."""
    header = (texts["site_column"], *(one_line(g) for g in method.groups), texts["sum"])
    rows = [
        (one_line(site), *(str(n) for n in counts), str(sum(counts)))
        for site, counts in zip(method.sites, method.informants, strict=True)
    ]
    if rows:
        rows.append(_sum_row(texts["sum"], rows))
    return Table(header, tuple(rows))


def _chapter(
    document: Document, chapter: ChapterInput, texts: dict, quotes: int, recommendations: int
) -> tuple[int, int]:
    """Add one theme's chapter; return the last quote and recommendation numbers used."""
    document.add(PageBreak(), Heading(1, one_line(chapter.theme)))
    document.add(Heading(2, texts["goals_heading"]))
    if chapter.goals:
        document.add(Bullets(tuple(goal_line(goal, texts) for goal in chapter.goals)))
    else:
        document.add(Paragraph(texts["no_goals"], "note"))
    document.add(Heading(2, texts["experiences_heading"]))
    document.add(
        *(parse_free_text(chapter.experiences) or [Paragraph(texts["not_written"], "note")])
    )
    document.add(Heading(2, texts["quotes_heading"]))
    if not chapter.quotes:
        document.add(Paragraph(texts["no_quotes"], "note"))
    for quote, site in chapter.quotes:
        quotes += 1
        box = quote_box(quote, quotes, texts)
        if site.strip():
            speaker = box.attribution.removeprefix("– ")
            box = type(box)(
                number=box.number,
                text=box.text,
                attribution=texts["attribution_site"].format(speaker=speaker, site=one_line(site)),
                caption=box.caption,
                polarity=box.polarity,
            )
        document.add(box)
    document.add(Heading(2, texts["assessment_heading"]))
    document.add(
        *(parse_free_text(chapter.assessment) or [Paragraph(texts["not_written"], "note")])
    )
    document.add(Heading(2, texts["recommendations_heading"]))
    if not chapter.recommendations:
        document.add(Paragraph(texts["no_recommendations"], "note"))
    for recommendation in chapter.recommendations:
        recommendations += 1
        document.add(
            Paragraph(
                texts["recommendation"].format(
                    number=recommendations, text=" ".join(recommendation.text.split())
                )
            )
        )
        if recommendation.goals:
            refs = ", ".join(
                texts["goal_ref"].format(number=g.number, text=one_line(g.text))
                for g in recommendation.goals
            )
            document.add(Paragraph(texts["answers_goals"].format(goals=refs), "lead"))
        if recommendation.measures:
            measures = "; ".join(one_line(m) for m in recommendation.measures)
            document.add(Paragraph(texts["followed_by"].format(measures=measures), "lead"))
    return quotes, recommendations


def goal_line(goal: GoalRef, texts: dict) -> str:
    """The goal with the document and page it is stated on: "Mål 2: ... (Plan, side 3)"."""
    line = texts["goal_line"].format(number=goal.number, text=one_line(goal.text))
    if goal.document.strip():
        source = one_line(goal.document)
        if goal.page:
            source = texts["goal_source"].format(document=source, page=goal.page)
        line = f"{line} ({source})"
    return line


def _appendices(document: Document, method: MethodFigures, texts: dict) -> None:
    document.add(PageBreak(), Heading(1, texts["appendices_heading"]))
    document.add(Heading(2, texts["appendix_guide_heading"]))
    if method.guide_version:
        document.add(
            Paragraph(texts["appendix_guide_version"].format(number=method.guide_version), "meta")
        )
    document.add(
        Table(
            tuple(texts["appendix_guide_columns"]),
            tuple((one_line(t), one_line(g), one_line(q)) for t, g, q in method.guide),
        )
    )
    document.add(Heading(2, texts["appendix_matrix_heading"]))
    document.add(Paragraph(texts["appendix_matrix_note"], "note"))
    header = (texts["theme_column"], *(one_line(g) for g in method.groups), texts["sum"])
    for site, rows in method.matrices:
        document.add(Heading(3, one_line(site)))
        body = [(one_line(t), *(str(n) for n in counts), str(sum(counts))) for t, counts in rows]
        if body:
            body.append(_sum_row(texts["sum"], body))
        document.add(Table(header, tuple(body)))
    document.add(Heading(2, texts["appendix_informants_heading"]))
    document.add(Paragraph(texts["appendix_informants_note"], "note"))
    rows = [
        (one_line(group), one_line(site), str(counts[g]))
        for site, counts in zip(method.sites, method.informants, strict=True)
        for g, group in enumerate(method.groups)
        if counts[g]
    ]
    document.add(
        Table((texts["group_column"], texts["site_column"], texts["count_column"]), tuple(rows))
    )


def experiences_draft(
    groups: dict[str, int], sites: dict[str, int], polarity: dict[str, int], language: str = "nb"
) -> str:
    """A starting point for "users' experiences": counts per group and site, and the balance."""
    texts = load_texts("final_report", language)
    total = sum(groups.values())
    if not total:
        return texts["draft_none"]

    def parts(counts: dict[str, int]) -> str:
        return ", ".join(f"{one_line(name)} {n}" for name, n in counts.items() if n)

    lines = [
        texts["draft_total_one" if total == 1 else "draft_total"].format(n=total),
        texts["draft_groups"].format(parts=parts(groups)),
    ]
    if sites:
        lines.append(texts["draft_sites"].format(parts=parts(sites)))
    lines.append(
        texts["draft_polarity"].format(
            positive=polarity.get("positive", 0),
            critical=polarity.get("critical", 0),
            neutral=polarity.get("neutral", 0),
        )
    )
    return " ".join(lines)
