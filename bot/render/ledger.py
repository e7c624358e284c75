"""Import previews and error lists as text."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.ledger import LedgerIssue, ParsedLedger, Problem
from bot.domain.ledger_plan import ImportPlan
from bot.domain.ledger_words import ALIASES, DEADLINE_FORMS, STATUS_WORDS
from bot.domain.model import Role
from bot.i18n import Tr
from bot.render import labels
from bot.render.ledger_changes import preview_lines

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
    lines += [_issue_line(t, issue) for issue in parsed.issues[:MAX_LISTED]]
    if len(parsed.issues) > MAX_LISTED:
        lines.append(t._("… and {n} more.", n=len(parsed.issues) - MAX_LISTED))
    kinds = {i.problem for i in parsed.issues}
    if Problem.UNKNOWN_STATUS in kinds:
        # a Chinese reader gets the Chinese words; an English one every word a ledger may hold
        chinese = t.locale.startswith("zh")
        words = t.join((w for w in STATUS_WORDS if not chinese or not w.isascii()), style="or")
        lines.append(t._("Statuses understood: {words}.", words=words))
    if Problem.BAD_DATE in kinds:
        forms = t.join(DEADLINE_FORMS, style="or")
        lines.append(t._("Deadlines understood: {forms}, or an Excel date cell.", forms=forms))
    return "\n".join(lines)


def _issue_line(t: Tr, issue: LedgerIssue) -> str:
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
        where.append(labels.column(t, issue.column))
    # a place is "row 3, column Deadline", not a list: "and" would misread it
    place = (
        t._("{row}, {column}", row=where[0], column=where[1]) if len(where) == 2 else "".join(where)
    )
    reason = labels.ledger_problem(t, issue.problem)
    if issue.problem is Problem.NO_SUCH_SHEET:
        reason = t._("{reason} {value}", reason=reason, value=issue.value)
    elif issue.problem is Problem.MISSING_COLUMN and issue.column in ALIASES:
        names = t.join(ALIASES[issue.column], style="or")
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
    lines += preview_lines(t, plan)
    if plan.missing:
        lines.append(
            t._(
                "In the ledger but not in this file: {codes}. Keep them, or remove them from the ledger?",
                codes=t.join(plan.missing[:MAX_LISTED]),
            )
        )
    return "\n".join(lines)


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
