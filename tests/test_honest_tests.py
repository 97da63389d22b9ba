"""A guard on the suite itself: no test asserts a value its own factory call set. A test that
creates `x = factories.thing(field=V)` (or `Model.objects.create(field=V)`) and later asserts
`x.field == V` proves nothing unless something ran in between that could have changed it; the
few that check a refusal left a row as it was are named here."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# (file, test): the assertion checks that a refused action left the row unchanged.
UNCHANGED_AFTER_REFUSAL = {
    ("test_trust.py", "test_an_officer_cannot_decide_their_own_scholarship_application"),
}


def factory_values(function: ast.FunctionDef) -> dict[str, dict[str, str]]:
    made = {}
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
        ):
            called = ast.unparse(node.value.func)
            if called.startswith("factories.") or called.endswith("objects.create"):
                made[node.targets[0].id] = {
                    k.arg: ast.unparse(k.value) for k in node.value.keywords if k.arg
                }
    return made


def echoes(path: Path) -> list[str]:
    found = []
    for function in ast.walk(ast.parse(path.read_text())):
        if not isinstance(function, ast.FunctionDef) or not function.name.startswith("test"):
            continue
        if (path.name, function.name) in UNCHANGED_AFTER_REFUSAL:
            continue
        made = factory_values(function)
        for node in ast.walk(function):
            if not (isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare)):
                continue
            left, right = node.test.left, node.test.comparators[0]
            if (
                isinstance(node.test.ops[0], ast.Eq)
                and isinstance(left, ast.Attribute)
                and isinstance(left.value, ast.Name)
                and made.get(left.value.id, {}).get(left.attr) == ast.unparse(right)
            ):
                found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    return found


def test_no_test_asserts_a_value_its_factory_set():
    assert [hit for path in sorted(TESTS.rglob("test_*.py")) for hit in echoes(path)] == []


def test_the_guard_finds_an_echo(tmp_path):
    echo = tmp_path / "test_echo.py"
    echo.write_text(
        "def test_x():\n    p = factories.pegawai(unit, nama='Budi')\n    assert p.nama == 'Budi'\n"
    )
    assert len(echoes(echo)) == 1
