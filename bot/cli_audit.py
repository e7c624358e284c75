"""CLI: verify-audit and history, through the same functions the bot uses."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.settings import Settings
from core.clock import Clock


def add_parsers(sub: Any) -> None:
    """Register verify-audit and history."""
    ver = sub.add_parser("verify-audit", help="recompute a programme's audit hash chain")
    ver.add_argument("--programme", required=True)
    ver.add_argument(
        "--head",
        default=None,
        help="a head hash from a monthly report: the chain must still hold it",
    )
    ver.add_argument("--count", type=int, default=None, help="the report's event count")
    his = sub.add_parser("history", help="print a measure's history")
    his.add_argument("--programme", required=True)
    his.add_argument("code")
    his.add_argument("--locale", default=None)


async def run(settings: Settings, args: argparse.Namespace, clock: Clock) -> int:
    """Run verify-audit (exit 1 on a broken chain) or history (exit 1 on an unknown code)."""
    # imported here: registering the sub-command must not load the bot's handlers
    from bot.lifecycle import services
    from core.domain.chain import SHORT, anchor_problem
    from core.domain.spotcheck import forged as spot_forged
    from core.i18n import tr
    from storage import audit, history, programmes, spotchecks
    from usecases.history import measure_history

    t = tr(getattr(args, "locale", None) or settings.cadence_locale)
    async with services(settings, clock) as svc, svc.database.session() as s:
        programme = await programmes.by_name(s, name=args.programme)
        if programme is None or programme.id is None:
            print(t._("No programme named {name}.", name=args.programme), file=sys.stderr)
            return 2
        if args.command == "history":
            measure = await history.measure_by_code(s, programme_id=programme.id, code=args.code)
            if measure is None:
                print(t._("No measure {code} in the ledger.", code=args.code), file=sys.stderr)
                return 1
            print(await measure_history(s, tr(args.locale or programme.locale), programme, measure))
            return 0
        count, broken = await audit.verify(s, programme_id=programme.id)
        chain = await audit.anchored(s, programme_id=programme.id) if args.head else []
        draws = await spotchecks.draws(s, programme_id=programme.id)
    # every spot-check draw is drawn again from its seed: a hand-picked sample shows
    forged = [(d, why) for d in draws if (why := spot_forged(d.prev_hash, audit.load(d.after)))]
    for d, why in forged:
        print(
            f"spot-check draw forged at event id {d.id} (seq {d.seq}, {d.at.isoformat()}): {why}",
            file=sys.stderr,
        )
    if forged:
        return 1
    if broken is None and args.head:
        # the chain may be whole and still cut short or re-sealed: the anchor kept outside says
        problem = anchor_problem(chain, args.count, args.head)
        if problem is not None:
            print(f"audit trail does not hold the anchor: {problem}", file=sys.stderr)
            return 1
        print(f"audit trail intact: {count} events, the anchor {args.head[:SHORT]} among them")
        return 0
    if broken is None:
        plural = "draw" if len(draws) == 1 else "draws"
        drawn = f", {len(draws)} spot-check {plural} recomputed" if draws else ""
        print(f"audit trail intact: {count} events{drawn}")
        return 0
    e = broken.event
    print(
        f"audit trail broken at event id {e.id} (seq {e.seq}, {e.action}, {e.at.isoformat()}):"
        f" {broken.reason} does not match",
        file=sys.stderr,
    )
    return 1
