"""What the repository itself must never hold: a secret. detect-secrets
scans every file git would commit; a deliberate fake is marked where it
stands with `# pragma: allowlist secret`."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def scan(paths, cwd):
    return subprocess.run(  # noqa: S603 - fixed argv, paths from git
        [sys.executable, "-m", "detect_secrets.pre_commit_hook", *paths],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def repository_files() -> list[str]:
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [name for name in listing.stdout.splitlines() if (ROOT / name).is_file()]


def test_no_secret_is_in_the_repository():
    files = repository_files()

    result = scan(files, ROOT)

    assert len(files) > 50
    assert result.returncode == 0, result.stdout


def test_the_scan_finds_a_planted_cloud_key(tmp_path):
    # Assembled at run time so this file itself stays clean.
    key_id = "AKIA" + "Z7QXPLM3RT5VWYNB"
    settings_file = tmp_path / "settings.py"
    settings_file.write_text(f'AWS_ACCESS_KEY_ID = "{key_id}"\n')

    result = scan([settings_file.name], tmp_path)

    assert result.returncode != 0
    assert "AWS Access Key" in result.stdout


def class_factories(root: Path) -> list[str]:
    """Every `type(name, bases, attrs)` call under root: a class built at
    run time, which grep for `class Name` cannot find."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "type"
                and len(node.args) == 3
            ):
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def test_every_class_is_written_out_in_the_source():
    assert class_factories(ROOT / "tracker") == []


def test_the_class_factory_check_finds_a_planted_one(tmp_path):
    package = tmp_path / "tracker"
    package.mkdir()
    (package / "views.py").write_text('View = type("View", (object,), {})\n')

    assert class_factories(package) == ["tracker/views.py:1"]
