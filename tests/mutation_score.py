"""The score of a `make mutate` run: of the mutants tested, how many a test killed (`mutmut
results --all true` on stdin, the run's mutant globs as arguments)."""

from __future__ import annotations

import sys
from collections import Counter
from fnmatch import fnmatch

KILLED = {"killed", "timeout"}  # a mutant that hangs the tests is caught too
UNTESTED = {"no tests", "skipped", "not checked", "caught by type check"}


def main(lines: list[str], globs: list[str]) -> str:
    """One line per status, the survivors by name, and the score."""
    statuses: Counter[str] = Counter()
    survivors = []
    for line in lines:
        name, sep, status = line.strip().rpartition(": ")
        if not sep or (globs and not any(fnmatch(name, g) for g in globs)):
            continue
        statuses[status] += 1
        if status == "survived":
            survivors.append(name)
    tested = sum(n for s, n in statuses.items() if s not in UNTESTED)
    killed = sum(statuses[s] for s in KILLED)
    out = [f"{status}: {n}" for status, n in sorted(statuses.items())]
    out += [f"survived: {name}" for name in survivors]
    score = f"{100 * killed / tested:.1f}%" if tested else "n/a"
    out.append(f"score: {killed} of {tested} tested mutants killed ({score})")
    return "\n".join(out)


if __name__ == "__main__":
    print(main(sys.stdin.read().splitlines(), sys.argv[1:]))
