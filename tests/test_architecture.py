"""The house's floors (README, "Architecture"), checked on every import of every app.

The contracts live in pyproject.toml (`[tool.importlinter]`) so that `make lint` and `make test`
check the same thing; these tests also keep the contracts complete (every app has a floor, every
page model is covered) and catch the smallest knot inside an app: two modules importing each other.
"""

import subprocess
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import grimp
from django.apps import apps
from wagtail.models import Page

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
ROOT_PACKAGES = CONFIG["root_packages"]
# Python's standard library owns the name `site`: the folder is installed as the package `lentera`.
FOLDER_PACKAGES = {"site": "lentera"}
NOT_APPS = {"tests"}


def _contract(contract_id: str) -> dict:
    return next(c for c in CONFIG["contracts"] if c["id"] == contract_id)


def _graph() -> grimp.ImportGraph:
    """Every module of every app, with imports made inside functions and under TYPE_CHECKING."""
    return grimp.build_graph(*ROOT_PACKAGES, cache_dir=None)


def test_import_contracts_hold():
    """`lint-imports` checks pyproject.toml's contracts and prints each broken import chain with
    file and line: the same report `make lint` gives."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(  # noqa: S603 (our own virtualenv's script, no user input)
        [lint_imports, "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"Import contracts broken:\n{result.stdout}\n{result.stderr}"


def test_every_app_has_a_floor():
    """A new top-level package must be given a floor, or its imports would go unchecked."""
    packages = {
        FOLDER_PACKAGES.get(path.name, path.name)
        for path in ROOT.iterdir()
        if (path / "__init__.py").is_file() and path.name not in NOT_APPS
    }
    assert packages == set(ROOT_PACKAGES), (
        f"root_packages in pyproject.toml must list exactly the repository's packages: "
        f"missing {sorted(packages - set(ROOT_PACKAGES))}, "
        f"no longer present {sorted(set(ROOT_PACKAGES) - packages)}"
    )
    on_a_floor = {
        package.strip() for floor in _contract("floors")["layers"] for package in floor.split("|")
    }
    assert on_a_floor == set(ROOT_PACKAGES)


def test_every_page_model_is_covered_by_the_page_models_contract():
    """A page type added in a new module (or a new app) falls under "page models import no
    learner code" only if its module is listed as a source of that contract."""
    sources = _contract("page-models")["source_modules"]
    page_modules = {
        model.__module__
        for model in apps.get_models()
        if issubclass(model, Page) and model.__module__.split(".")[0] in ROOT_PACKAGES
    }
    uncovered = sorted(
        module
        for module in page_modules
        if not any(module == source or module.startswith(f"{source}.") for source in sources)
    )
    assert page_modules
    assert not uncovered, f"Add these modules to the page-models contract: {uncovered}"


def test_no_two_modules_of_an_app_import_each_other():
    """A pair of modules importing each other is the smallest cycle; it hides an idea that
    belongs in a third module (or in one of the two) and breaks as soon as either moves."""
    graph = _graph()
    pairs = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            same_app = importer.split(".")[0] == imported.split(".")[0]
            if (
                same_app
                and importer < imported
                and graph.direct_import_exists(importer=imported, imported=importer)
            ):
                pairs.append((importer, imported))
    report = defaultdict(list)
    for first, second in pairs:
        for a, b in ((first, second), (second, first)):
            for detail in graph.get_import_details(importer=a, imported=b):
                report[(first, second)].append(
                    f"    {a}:{detail['line_number']}  {detail['line_contents']}"
                )
    assert not pairs, "Modules importing each other:\n" + "\n".join(
        f"  {first} <-> {second}\n" + "\n".join(lines) for (first, second), lines in report.items()
    )


def test_the_graph_includes_imports_made_inside_functions(tmp_path, monkeypatch):
    """The contracts are only as strong as the graph: a deferred import inside a function (the
    usual way round a cycle) must count like one at the top of the file."""
    package = tmp_path / "floorcheck"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("def helper():\n    from floorcheck import high\n")
    (package / "high.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("floorcheck", cache_dir=None)
    assert graph.direct_import_exists(importer="floorcheck.low", imported="floorcheck.high")
