"""Mutation testing of the modules that hold regulation rules and access policies: `make mutation`.

Each target names a module, the functions in it whose mutants count (None: the whole module, its
module-level data included) and the tests that exercise them. Cosmic Ray makes the mutants; each
one is written to the file on disk, the target's tests run against it in a subprocess and the file
is restored. The score per module and overall is printed, then every surviving mutant as a diff.

    python tests/mutation/run.py                  # every target
    python tests/mutation/run.py nip ikm          # some targets
    python tests/mutation/run.py --budget 20      # stop starting mutants after 20 minutes

It is a habit, not a gate: it is slow (a Django test run per mutant) and not part of `make test`
or CI. Survivors that are harmless are listed, each with its reason, in docs/mutation.md.
"""

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from cosmic_ray.commands import init
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = ROOT / ".mutation"
TEMPLATE_DB = SESSIONS / "template.sqlite3"
TEST_DB = SESSIONS / "test.sqlite3"

# Operators whose mutants say something about a rule. Cosmic Ray's binary and comparison operators
# replace each operator by every other one; a replacement by a bitwise, shift, power, modulo or
# floor-division operator, or by an identity test, only ever makes a TypeError or a test that is
# killed for the wrong reason, and would cost a Django test run each. The rest are kept whole.
_ARITHMETIC = ("Add", "Sub", "Mul", "Div")
_COMPARISON = ("Eq", "NotEq", "Lt", "LtE", "Gt", "GtE")
KEPT = re.compile(
    rf"core/(ReplaceBinaryOperator_({'|'.join(_ARITHMETIC)})_({'|'.join(_ARITHMETIC)})"
    rf"|ReplaceComparisonOperator_({'|'.join(_COMPARISON)})_({'|'.join(_COMPARISON)})"
    r"|ReplaceComparisonOperator_(Is_IsNot|IsNot_Is)"
    r"|ReplaceUnaryOperator_.*|AddNot|ReplaceTrueWithFalse|ReplaceFalseWithTrue"
    r"|ReplaceAndWithOr|ReplaceOrWithAnd|ReplaceBreakWithContinue|ReplaceContinueWithBreak"
    r"|ExceptionReplacer|NumberReplacer|RemoveDecorator|ZeroIterationForLoop)$"
)


@dataclass(frozen=True)
class Target:
    name: str
    module: str
    functions: tuple[str, ...] | None
    tests: tuple[str, ...]


ENROLMENT = (
    "_seats_taken",
    "_seat_or_wait",
    "_fill_seats",
    "peserta_nominate",
    "peserta_confirm",
    "peserta_cancel",
    "persentase_kehadiran",
    "peserta_decide",
)
TARGETS = [
    Target("nip", "pegawai/nip.py", None, ("tests/pegawai/test_nip.py",)),
    Target("ikm", "masyarakat/ikm.py", None, ("tests/masyarakat/test_ikm.py",)),
    # The module also holds the work-climate survey's data, which its own tests read.
    Target(
        "skp_referensi",
        "evaluasi/referensi.py",
        None,
        (
            "tests/evaluasi/test_aturan_penilaian.py",
            "tests/evaluasi/test_usulan_iklim.py",
            "tests/evaluasi/test_penilaian.py",
            "tests/evaluasi/test_iklim.py",
        ),
    ),
    Target(
        "skp_rules",
        "evaluasi/models.py",
        ("angka_kredit", "predikat_for"),
        ("tests/evaluasi/test_aturan_penilaian.py", "tests/evaluasi/test_penilaian.py"),
    ),
    Target(
        "skp_peringatan",
        "evaluasi/reports.py",
        ("peringatan",),
        ("tests/evaluasi/test_aturan_penilaian.py", "tests/evaluasi/test_penilaian.py"),
    ),
    Target(
        "jp_rule",
        "pelatihan/reports.py",
        ("kepatuhan_counts_sql", "target_for"),
        (
            "tests/pelatihan/test_jp_rule.py",
            "tests/pelatihan/test_jp.py",
            "tests/pembinaan/test_jp_kepatuhan.py",
        ),
    ),
    Target(
        "quota",
        "pelatihan/services.py",
        ENROLMENT,
        (
            "tests/pelatihan/test_enrolment.py",
            "tests/pelatihan/test_kelulusan.py",
            "tests/pelatihan/test_race.py",
        ),
    ),
    Target(
        "pelatihan_access",
        "pelatihan/access.py",
        None,
        (
            "tests/pelatihan/test_access.py",
            "tests/test_trust.py",
            "tests/pelatihan/test_access_matrix.py",
        ),
    ),
    Target(
        "pegawai_access",
        "pegawai/access.py",
        None,
        ("tests/pegawai/test_access.py", "tests/test_trust.py"),
    ),
    Target(
        "evaluasi_access",
        "evaluasi/access.py",
        None,
        (
            "tests/evaluasi/test_access.py",
            "tests/test_trust.py",
            "tests/pembinaan/test_access_matrix.py",
        ),
    ),
    Target(
        "masyarakat_access",
        "masyarakat/access.py",
        None,
        (
            "tests/masyarakat/test_access.py",
            "tests/masyarakat/test_masukan.py",
            "tests/test_trust.py",
        ),
    ),
]


def test_command(target: Target) -> str:
    # -x: the first failing test kills the mutant, the rest need not run.
    return " ".join(
        [sys.executable, "-m", "pytest", "-x", "-q", "--tb=line", "-p", "no:cacheprovider"]
        + ["--ds=tests.mutation.settings", "--reuse-db", *target.tests]
    )


def migrate_template() -> None:
    """Migrate the test database once; every run starts from a copy of it."""
    SESSIONS.mkdir(exist_ok=True)
    TEMPLATE_DB.unlink(missing_ok=True)
    env = {**os.environ, "MUTATION_DB": str(TEMPLATE_DB)}
    command = [
        sys.executable,
        "manage.py",
        "migrate",
        "--no-input",
        "--settings=tests.mutation.settings",
    ]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)


def fresh_database() -> None:
    shutil.copyfile(TEMPLATE_DB, TEST_DB)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def baseline(target: Target) -> float:
    """The tests must pass on the unmutated code; their time sets the per-mutant timeout."""
    fresh_database()
    started = time.monotonic()
    done = subprocess.run(test_command(target).split(), cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{target.name}: its tests fail before any mutation:\n{done.stdout[-2000:]}")
    return time.monotonic() - started


def prepare(target: Target, db: WorkDB) -> list:
    """Every mutant of the module, less those outside the target's functions or made by an
    operator not kept; those are recorded as skipped."""
    init([ROOT / target.module], db, {})
    wanted, skipped = [], []
    for item in db.work_items:
        (mutation,) = item.mutations
        inside = target.functions is None or mutation.definition_name in target.functions
        (wanted if inside and KEPT.match(mutation.operator_name) else skipped).append(item)
    db.set_multiple_results(
        [item.job_id for item in skipped], WorkResult(worker_outcome=WorkerOutcome.SKIPPED)
    )
    return wanted


def run(target: Target, deadline: float) -> tuple[int, int, list[str], int]:
    """Killed, tested, the survivors' diffs and how many were left for lack of time."""
    from cosmic_ray.mutating import mutate_and_test

    module = ROOT / target.module
    before = digest(module)
    timeout = max(30.0, 3 * baseline(target))
    SESSIONS.mkdir(exist_ok=True)
    killed, tested, survivors, left = 0, 0, [], 0
    with use_db(str(SESSIONS / f"{target.name}.sqlite")) as db:
        for item in prepare(target, db):
            if time.monotonic() > deadline:
                left += 1
                continue
            fresh_database()
            result = mutate_and_test(item.mutations, test_command(target), timeout)
            db.set_result(item.job_id, result)
            if result.worker_outcome == WorkerOutcome.NO_TEST:
                continue
            if result.worker_outcome != WorkerOutcome.NORMAL:
                sys.exit(f"{target.name}: Cosmic Ray failed on a mutant:\n{result.output}")
            tested += 1
            if result.test_outcome == TestOutcome.SURVIVED:
                survivors.append(result.diff)
                print(f"[{target.name}] survived:\n{result.diff}", flush=True)
            else:
                killed += 1
    if digest(module) != before:
        sys.exit(f"{target.module} was not restored after mutation: check `git diff` now.")
    return killed, tested, survivors, left


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="target names (default: all)")
    parser.add_argument("--budget", type=float, default=60, help="minutes before no new mutant")
    args = parser.parse_args()
    names = {t.name for t in TARGETS}
    unknown = set(args.targets) - names
    if unknown:
        sys.exit(f"Unknown targets {sorted(unknown)}; known: {', '.join(sorted(names))}")
    chosen = [t for t in TARGETS if not args.targets or t.name in args.targets]

    # The tests run on SQLite whatever the shell says (tests/mutation/settings.py).
    os.environ.pop("DATABASE_URL", None)
    os.environ["MUTATION_DB"] = str(TEST_DB)
    migrate_template()
    started = time.monotonic()
    deadline = started + args.budget * 60
    rows = []
    for target in chosen:
        t0 = time.monotonic()
        killed, tested, survivors, left = run(target, deadline)
        rows.append((target, killed, tested, left, time.monotonic() - t0))
        print(f"{target.name}: {killed}/{tested} killed", flush=True)

    print(f"\n{'target':<20}{'module':<26}{'killed':>8}{'tested':>8}{'score':>8}{'time':>8}")
    for target, killed, tested, left, seconds in rows:
        score = f"{100 * killed / tested:.1f}%" if tested else "-"
        note = f"  ({left} not run: budget)" if left else ""
        print(
            f"{target.name:<20}{target.module:<26}{killed:>8}{tested:>8}{score:>8}"
            f"{seconds / 60:>7.1f}m{note}"
        )
    killed = sum(r[1] for r in rows)
    tested = sum(r[2] for r in rows)
    overall = f"{100 * killed / tested:.1f}%" if tested else "-"
    minutes = (time.monotonic() - started) / 60
    print(f"{'overall':<46}{killed:>8}{tested:>8}{overall:>8}{minutes:>7.1f}m")


if __name__ == "__main__":
    main()
