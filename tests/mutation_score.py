"""The score of a `make mutate` run: of the mutants tested, how many a test killed (`mutmut
results --all true` on stdin, the run's mutant globs as arguments), in all and per module."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from fnmatch import fnmatch

KILLED = {"killed", "timeout"}  # a mutant that hangs the tests is caught too
UNTESTED = {"no tests", "skipped", "not checked", "caught by type check"}


def module_of(name: str) -> str:
    """`core.domain.lights.x_light__mutmut_3` -> `core.domain.lights` (methods: `xǁClassǁm`)."""
    return name.split(".x_")[0].split(".xǁ")[0]


def _score(statuses: Counter[str]) -> tuple[int, int, str]:
    tested = sum(n for s, n in statuses.items() if s not in UNTESTED)
    killed = sum(statuses[s] for s in KILLED)
    return killed, tested, f"{100 * killed / tested:.1f}%" if tested else "n/a"


def main(lines: list[str], globs: list[str]) -> str:
    """One line per status, the survivors by name, each module's score, and the score."""
    statuses: Counter[str] = Counter()
    by_module: defaultdict[str, Counter[str]] = defaultdict(Counter)
    survivors = []
    for line in lines:
        name, sep, status = line.strip().rpartition(": ")
        if not sep or (globs and not any(fnmatch(name, g) for g in globs)):
            continue
        statuses[status] += 1
        by_module[module_of(name)][status] += 1
        if status == "survived":
            survivors.append(name)
    out = [f"{status}: {n}" for status, n in sorted(statuses.items())]
    out += [f"survived: {name}" for name in survivors]
    for module, counts in sorted(by_module.items()):
        killed, tested, score = _score(counts)
        untested = sum(n for s, n in counts.items() if s in UNTESTED)
        out.append(f"module {module}: {killed} of {tested} killed ({score}), {untested} untested")
    killed, tested, score = _score(statuses)
    out.append(f"score: {killed} of {tested} tested mutants killed ({score})")
    return "\n".join(out)


if __name__ == "__main__":
    print(main(sys.stdin.read().splitlines(), sys.argv[1:]))
