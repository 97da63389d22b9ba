"""axe-core, the accessibility engine, over the pages a test names."""

from axe_playwright_python.sync_playwright import Axe


def serious_violations(page, base_url: str, paths) -> dict[str, list[str]]:
    """Per path, the violations axe-core rates serious or critical ("rule at element")."""
    axe, found = Axe(), {}
    for path in paths:
        page.goto(f"{base_url}{path}")
        violations = axe.run(page).response["violations"]
        serious = [
            f"{v['id']} at {v['nodes'][0]['target']}"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[path] = serious
    return found
