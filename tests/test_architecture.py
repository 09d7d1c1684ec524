"""The import direction of docs/architecture.md, checked on the source with `ast`.

    sanjose/ (the project: settings, outbox, pages, access, caches)
        ^
    events/  <-  documents/  <-  participants/ (feature packages)

1. The project package `sanjose/` imports no app (events, documents, participants), nor
   loads their models by name; the few places that must know the apps are listed in
   PROJECT_EXCEPTIONS, each with its reason.
2. `events/` and `documents/` use participants only through its public services and
   selectors (`participants.<feature>.services`, `participants.<feature>.selectors`);
   never its views, admin, forms, tasks or models modules (listed exceptions aside).
3. Within participants/, a feature's views and admin are imported by nobody but the
   feature itself and the aggregators Django reads (participants/urls.py,
   participants/admin.py); what several features' pages or admins share lives in
   participants/shared_views.py and participants/shared_admin.py.
4. participants/ stays by feature: no layer packages (models/, services/, views/, ...)
   come back, and every module is in a feature package or one of the shared modules.

Migrations are not read: they refer to other apps by label (dependencies, `to=`), which
is the schema's business. URL names (`reverse("participants:me")`) and permission names
are strings of a published interface, not imports, and are not checked here.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("events", "documents", "participants")

# (file, what it reaches) -> why it may. A listed exception that no longer happens fails
# the test too, so this list stays true.
PROJECT_EXCEPTIONS = {
    ("sanjose/urls.py", "documents.urls"): "the root URLconf mounts every app's URLs",
    ("sanjose/urls.py", "events.urls"): "the root URLconf mounts every app's URLs",
    ("sanjose/urls.py", "participants.urls"): "the root URLconf mounts every app's URLs",
    ("sanjose/management/commands/load_demo.py", "documents.demo"): (
        "`load_demo` is the one command that composes every app's demo, in order"
    ),
    ("sanjose/management/commands/load_demo.py", "events.demo"): (
        "`load_demo` is the one command that composes every app's demo, in order"
    ),
    ("sanjose/management/commands/load_demo.py", "participants.demo"): (
        "`load_demo` is the one command that composes every app's demo, in order"
    ),
    ("sanjose/outbox/models.py", "model events.Session"): (
        "a session's change notice is keyed by the session; moving SessionNotice out of the"
        " outbox would be a schema change with data, for no change in behaviour"
    ),
}

# Settings name the apps' classes by dotted path (allauth's adapter and forms, Celery's
# beat schedule); that is configuration, and only imports and model references are read.
PROJECT_FILES_NOT_READ = {"sanjose/settings.py"}

# (file, module imported) -> why events/ or documents/ may.
APP_EXCEPTIONS = {
    ("documents/demo.py", "participants.models"): (
        "the demo library files a document under a working group of the demo"
    ),
}

FEATURE_PUBLIC = ("services", "selectors")
AGGREGATORS = {"participants/urls.py", "participants/admin.py"}
SHARED_MODULES = {
    "__init__",
    "admin",
    "apps",
    "demo",
    "models",
    "roles",
    "shared_admin",
    "shared_views",
    "tasks",
    "urls",
    "viewers",
}
NOT_FEATURES = {"management", "migrations", "templatetags", "data", "__pycache__"}
LAYERS = {"models", "services", "selectors", "views", "forms", "admin"}


def python_files(folder: str) -> list[Path]:
    return sorted(
        path
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    )


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str, str | None]]:
    """Every import of a file (at the top or inside a function) as (line, module, name):
    `import x.y` is ("x.y", None), `from x import y` is ("x", "y") since y may be a module
    or a name in x; relative imports are resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.extend((node.lineno, module, alias.name) for alias in node.names)
    return found


def candidates(module: str, name: str | None) -> list[str]:
    """What an import may bring: the module, and the submodule of that name."""
    return [module] if name is None else [module, f"{module}.{name}"]


def _string(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def hidden_references(path: Path) -> list[tuple[int, str]]:
    """Apps reached without an import: `apps.get_model("app", "Model")`, a model named as
    "app.Model" in a relation field, `include("app.urls")`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        args = [_string(arg) for arg in node.args]
        if name == "get_model" and args and args[0]:
            label = args[0] if len(args) < 2 or not args[1] else f"{args[0]}.{args[1]}"
            found.append((node.lineno, f"model {label}"))
        elif name in {"ForeignKey", "OneToOneField", "ManyToManyField"} and args and args[0]:
            found.append((node.lineno, f"model {args[0]}"))
        elif name == "include" and args and args[0]:
            found.append((node.lineno, args[0]))
    return found


def reaches_app(target: str) -> bool:
    name = target.removeprefix("model ")
    return name.split(".")[0] in APPS


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def project_violations() -> tuple[list[str], set]:
    wrong, used = [], set()
    for path in python_files("sanjose"):
        file = relative(path)
        if file in PROJECT_FILES_NOT_READ:
            continue
        reached = [(line, module) for line, module, _name in imported_modules(path)]
        for line, target in reached + hidden_references(path):
            if not reaches_app(target):
                continue
            if (file, target) in PROJECT_EXCEPTIONS:
                used.add((file, target))
                continue
            wrong.append(f"{file}:{line} reaches {target}")
    return sorted(set(wrong)), used


def test_the_project_package_imports_no_app():
    wrong, _used = project_violations()
    assert not wrong, "sanjose/ must not import the apps (docs/architecture.md):\n" + "\n".join(
        wrong
    )


def test_every_project_exception_is_still_needed():
    _wrong, used = project_violations()
    stale = sorted(set(PROJECT_EXCEPTIONS) - used)
    assert not stale, f"remove these from PROJECT_EXCEPTIONS, they no longer happen: {stale}"


def is_public_of_participants(module: str) -> bool:
    parts = module.split(".")
    return len(parts) >= 3 and parts[0] == "participants" and parts[2] in FEATURE_PUBLIC


def app_violations() -> tuple[list[str], set]:
    wrong, used = [], set()
    for app in ("events", "documents"):
        for path in python_files(app):
            file = relative(path)
            for line, module, name in imported_modules(path):
                if module.split(".")[0] != "participants":
                    continue
                if any(is_public_of_participants(m) for m in candidates(module, name)):
                    continue
                if (file, module) in APP_EXCEPTIONS:
                    used.add((file, module))
                    continue
                wrong.append(f"{file}:{line} imports {'.'.join(filter(None, [module, name]))}")
    return sorted(set(wrong)), used


def test_events_and_documents_use_only_participants_services_and_selectors():
    wrong, _used = app_violations()
    assert not wrong, (
        "events/ and documents/ may import only participants.<feature>.services or "
        ".selectors (docs/architecture.md):\n" + "\n".join(wrong)
    )


def test_every_app_exception_is_still_needed():
    _wrong, used = app_violations()
    stale = sorted(set(APP_EXCEPTIONS) - used)
    assert not stale, f"remove these from APP_EXCEPTIONS, they no longer happen: {stale}"


def feature_of(path: Path) -> str | None:
    parts = path.relative_to(ROOT / "participants").parts
    return parts[0] if len(parts) > 1 and parts[0] not in NOT_FEATURES else None


def features() -> set[str]:
    return {feature_of(p) for p in python_files("participants")} - {None}


def view_or_admin_of(module: str, names: set[str]) -> str | None:
    parts = module.split(".")
    if len(parts) >= 3 and parts[0] == "participants" and parts[1] in names:
        return parts[1] if parts[2] in {"views", "admin"} else None
    return None


def test_features_do_not_import_each_others_views_or_admin():
    names = features()
    wrong = []
    for folder in ("participants", "sanjose", "events", "documents"):
        for path in python_files(folder):
            file = relative(path)
            if file in AGGREGATORS:
                continue
            own = feature_of(path) if folder == "participants" else None
            for line, module, name in imported_modules(path):
                for candidate in candidates(module, name):
                    feature = view_or_admin_of(candidate, names)
                    if feature is not None and feature != own:
                        wrong.append(f"{file}:{line} imports {candidate}")
                        break
    assert not wrong, (
        "a feature's views and admin are imported only by the feature itself and by "
        "participants/urls.py and participants/admin.py; share through services, "
        "selectors, shared_views or shared_admin:\n" + "\n".join(sorted(set(wrong)))
    )


def test_participants_stays_by_feature():
    folder = ROOT / "participants"
    layers = sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name in LAYERS)
    assert not layers, f"layer packages are back in participants/: {layers}"
    loose = sorted(p.name for p in folder.glob("*.py") if p.stem not in SHARED_MODULES)
    assert not loose, (
        f"modules of participants/ outside any feature package: {loose}; put them in the "
        "feature they belong to (or, if several share them, say so in SHARED_MODULES)"
    )
    for feature in sorted(features()):
        init = folder / feature / "__init__.py"
        assert init.exists() and ast.get_docstring(ast.parse(init.read_text())), (
            f"participants/{feature}/__init__.py says in one line what the feature holds"
        )


def test_the_checks_see_wrong_imports(tmp_path, monkeypatch):
    """The checks above, on a made-up tree with one wrong import of each kind."""
    files = {
        "sanjose/clock.py": "from participants.models import Participant\n",
        "sanjose/access.py": "from django.apps import apps\napps.get_model('events', 'Session')\n",
        "events/views.py": "from participants.desk import views\n",
        "documents/views.py": "from participants.groups.services import grouping\n",
        "participants/desk/__init__.py": '"""The desk."""\n',
        "participants/desk/views.py": "",
        "participants/feedback/__init__.py": '"""Feedback."""\n',
        "participants/feedback/views.py": "from ..desk.views import dashboard\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.setitem(globals(), "ROOT", tmp_path)

    assert project_violations()[0] == [
        "sanjose/access.py:2 reaches model events.Session",
        "sanjose/clock.py:1 reaches participants.models",
    ]
    assert app_violations()[0] == ["events/views.py:1 imports participants.desk.views"]
    with pytest.raises(AssertionError, match="feedback/views.py:1 imports participants.desk"):
        test_features_do_not_import_each_others_views_or_admin()


def test_the_architecture_document_names_real_files():
    """Every file or folder docs/architecture.md names in backticks exists (it stays true
    when code moves)."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    named = set(re.findall(r"`((?:sanjose|events|documents|participants|tests|docs)/[^`]*)`", text))
    missing = sorted(
        path
        for path in named
        if "<" not in path and not (ROOT / path.rstrip("…").split("…")[0]).exists()
    )
    assert not missing, f"docs/architecture.md names files that do not exist: {missing}"


def test_the_architecture_document_maps_every_feature():
    """The table of participants' features in docs/architecture.md lists each feature
    package, and only those."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    listed = set(re.findall(r"^\| `(\w+)/` \|", text, flags=re.MULTILINE))
    assert listed == features(), (
        f"missing from the table: {sorted(features() - listed)}; "
        f"not a feature: {sorted(listed - features())}"
    )
