"""Import previews and error lists as text."""

from __future__ import annotations

from collections.abc import Iterable

from core.domain.ledger import LedgerIssue, ParsedLedger, Problem
from core.domain.ledger_plan import ImportPlan
from core.domain.ledger_words import ALIASES, DEADLINE_FORMS, STATUS_WORDS, header_names, key
from core.domain.model import Role
from core.i18n import Tr
from core.render import labels
from core.render.ledger_changes import preview_lines

MAX_LISTED = 60


def issues_text(t: Tr, parsed: ParsedLedger, filename: str) -> str:
    """Every problem of a refused file, with row and column, and what to do about it."""
    head = t.n_(
        "Nothing was imported from {file}: {n} problem must be fixed first.",
        "Nothing was imported from {file}: {n} problems must be fixed first.",
        len(parsed.issues),
        file=filename,
    )
    lines = [head]
    written = dict(parsed.headers)
    lines += [_issue_line(t, issue, written) for issue in parsed.issues[:MAX_LISTED]]
    if len(parsed.issues) > MAX_LISTED:
        lines.append(t._("… and {n} more.", n=len(parsed.issues) - MAX_LISTED))
    kinds = {i.problem for i in parsed.issues}
    if kinds & {Problem.UNKNOWN_STATUS, Problem.AMBIGUOUS_STATUS}:
        # a Chinese reader gets the Chinese words; an English one every word a ledger may hold
        chinese = t.locale.startswith("zh")
        words = t.join((w for w in STATUS_WORDS if not chinese or not w.isascii()), style="or")
        lines.append(t._("Statuses understood: {words}.", words=words))
    if Problem.BAD_DATE in kinds or Problem.NO_YEAR in kinds:
        forms = t.join(DEADLINE_FORMS, style="or")
        lines.append(t._("Deadlines understood: {forms}, or an Excel date cell.", forms=forms))
    return "\n".join(lines)


def column_name(t: Tr, column: str, written: dict[str, str]) -> str:
    """A column as the file wrote its header, the ledger field after it where they differ."""
    field = labels.column(t, column)
    header = written.get(column)
    if not header or key(header) == key(field):
        return field
    return t._("{header} ({field})", header=header, field=field)


def _issue_line(t: Tr, issue: LedgerIssue, written: dict[str, str]) -> str:
    if issue.problem is Problem.UNCLOSED_QUOTE:
        return "• " + t._(
            "unclosed quote starting at row {row}: every row after it ran into one cell;"
            " close the quote (or remove it) and send the file again",
            row=issue.row,
        )
    where = []
    if issue.row is not None:
        where.append(t._("row {row}", row=issue.row))
    if issue.column is not None:
        where.append(column_name(t, issue.column, written))
    # a place is "row 3, column Deadline", not a list: "and" would misread it
    place = (
        t._("{row}, {column}", row=where[0], column=where[1]) if len(where) == 2 else "".join(where)
    )
    reason = labels.ledger_problem(t, issue.problem)
    if issue.problem is Problem.AMBIGUOUS_STATUS:
        reason = t._(
            "“{value}” does not say whether the measure is done: write one of the statuses"
            " understood",
            value=issue.value,
        )
    elif issue.problem is Problem.NO_SUCH_SHEET:
        reason = t._("{reason} {value}", reason=reason, value=issue.value)
    elif issue.problem is Problem.MISSING_COLUMN and issue.column in ALIASES:
        names = t.join(header_names(issue.column), style="or")
        reason = t._("{reason} (name a column one of: {names})", reason=reason, names=names)
    elif issue.problem is Problem.TOO_LONG and "/" in issue.value:
        length, most = issue.value.split("/", 1)
        reason = t._(
            "text is too long ({length} characters, at most {most}): shorten it",
            length=length,
            most=most,
        )
    elif issue.value:
        reason = t._("{reason} ({value})", reason=reason, value=issue.value)
    return "• " + (t._("{place}: {reason}", place=place, reason=reason) if place else reason)


def preview_text(t: Tr, plan: ImportPlan, parsed: ParsedLedger, programme: str) -> str:
    """What confirming the import would do."""
    areas = {r.area for r in parsed.rows}
    lines = [
        t._(
            "Ledger for {programme}: {measures} in {areas}.",
            programme=t.stem(programme),
            measures=t.n_("{n} measure", "{n} measures", len(parsed.rows)),
            areas=t.n_("{n} area", "{n} areas", len(areas)),
        ),
        t._(
            "{new} new, {changed} changed, {same} unchanged.",
            new=len(plan.new),
            changed=len(plan.changed),
            same=plan.unchanged,
        ),
    ]
    lines += read_lines(t, parsed)
    lines += preview_lines(t, plan)
    if plan.missing:
        lines.append(
            t._(
                "In the ledger but not in this file: {codes}. Keep them, or remove them from the ledger?",
                codes=t.join(plan.missing[:MAX_LISTED]),
            )
        )
    return "\n".join(lines)


def read_lines(t: Tr, parsed: ParsedLedger) -> list[str]:
    """How the file was read: each field's column, the columns passed over, rows skipped."""
    pairs = [
        label
        if key(header) == key(label := labels.column(t, field))
        else t._("{field}: {header}", field=label, header=header)
        for field, header in parsed.headers
    ]
    # "and" before the last pair would read as part of a column's name
    joined = t._("; ").join(pairs)
    lines = [
        t._("Columns read (field: column in the file, where they differ): {pairs}.", pairs=joined)
    ]
    if parsed.ignored:
        lines.append(t._("Columns not read: {headers}.", headers=t.join(parsed.ignored)))
    if parsed.hidden:
        rows = t.join(str(n) for n in parsed.hidden[:MAX_LISTED])
        lines.append(
            t.n_(
                "Hidden row skipped: row {rows}.",
                "Hidden rows skipped: rows {rows}.",
                len(parsed.hidden),
                rows=rows,
            )
        )
    if parsed.end is not None:
        row, words = parsed.end
        lines.append(
            t._(
                "The table ends at row {row} ({words}); the rows below it were not read.",
                row=row,
                words=words,
            )
        )
    if parsed.year is not None:
        lines.append(t._("Dates written without a year were read as in {year}.", year=parsed.year))
    return lines


def done_text(t: Tr, plan: ImportPlan, removed: bool) -> str:
    """What an import wrote."""
    text = t._(
        "Imported: {new} new, {changed} changed, {same} unchanged.",
        new=len(plan.new),
        changed=len(plan.changed),
        same=plan.unchanged,
    )
    if plan.missing:
        text = t.sentences(
            text,
            (
                t.n_("{n} measure removed.", "{n} measures removed.", len(plan.missing))
                if removed
                else t.n_(
                    "{n} measure not in the file was kept.",
                    "{n} measures not in the file were kept.",
                    len(plan.missing),
                )
            ),
        )
    if plan.roles_lost:
        who = [
            t._("{name} ({roles})", name=loss.name, roles=role_list(t, loss.roles))
            for loss in plan.roles_lost
        ]
        text += "\n" + t._(
            "Roles withdrawn, as the ledger no longer gives them: {people}.", people=t.join(who)
        )
    return text


def role_list(t: Tr, roles: Iterable[Role]) -> str:
    """Role names joined, in a fixed order."""
    return t.join(t._(labels.ROLE[r]) for r in sorted(roles))


def role_loss_text(t: Tr, programme: str, roles: Iterable[Role]) -> str:
    """What a person is told when the ledger no longer gives them a role."""
    return t._(
        "The updated ledger of {programme} no longer names you as {roles}, so that role has been withdrawn. If this is a mistake, ask your task force.",
        programme=programme,
        roles=role_list(t, roles),
    )
