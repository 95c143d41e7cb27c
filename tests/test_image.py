"""The production image and its compose stack, checked without Docker.

Docker does not run here, so these tests read the Dockerfile, docker-compose.yml
and the example env files themselves and run, in a fresh process, what the image
would run: the collectstatic build step with exactly that step's environment, and
the deploy check with the environment compose gives the web service. A change
that would break `docker compose build` or the stack's start fails here instead.
"""

import json
import re
import secrets
import shlex
import subprocess
import tomllib
from pathlib import Path

from tests.settings_process import BASE_DIR, run_python

DOCKERFILE = BASE_DIR / "Dockerfile"
COMPOSE = BASE_DIR / "docker-compose.yml"
UV = BASE_DIR / ".venv" / "bin" / "uv"
# Paths inside the image that stand for the checkout and its var/ in these tests.
IMAGE_APP_DIR = "/app"
DEPLOY_CHECK_CLEAN = "System check identified no issues (0 silenced).\n"


# --- Reading the files ------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def image_env() -> dict[str, str]:
    """The ENV of the final stage, with paths inside the image mapped onto this checkout."""
    env: dict[str, str] = {}
    for keyword, arguments in final_stage():
        if keyword == "ENV":
            env.update(token.split("=", 1) for token in shlex.split(arguments))
    return env


def run_step(needle: str) -> tuple[dict[str, str], list[str]]:
    """The VAR=value prefix and the first command of the final stage's RUN containing NEEDLE."""
    [arguments] = [args for keyword, args in final_stage() if keyword == "RUN" and needle in args]
    tokens = shlex.split(arguments)
    env: dict[str, str] = {}
    while re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", tokens[0]):
        name, value = tokens.pop(0).split("=", 1)
        env[name] = value
    command = tokens[: tokens.index("&&")] if "&&" in tokens else tokens
    return env, command


def in_checkout(env: dict[str, str], var_dir: Path) -> dict[str, str]:
    """ENV with the image's /app and /app/var replaced by the checkout and a temporary var/."""
    mapped = dict(env)
    assert (mapped["PYTHONPATH"], mapped["STRIDE_VAR_DIR"]) == (IMAGE_APP_DIR, f"{IMAGE_APP_DIR}/var")
    mapped["PYTHONPATH"] = str(BASE_DIR)
    mapped["STRIDE_VAR_DIR"] = str(var_dir)
    return mapped


def env_file(path: Path) -> dict[str, str]:
    """A compose env file: KEY=VALUE lines, comments on their own lines, optional quotes."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name] = value
    return values


def compose_env_files() -> list[Path]:
    """The env files docker-compose.yml names (.envs/...), as their committed examples."""
    names = sorted(set(re.findall(r"^\s*-\s*(\.envs/\S+)\s*$", COMPOSE.read_text(), re.MULTILINE)))
    return [BASE_DIR / f"{name}.example" for name in names]


# --- The build step ---------------------------------------------------------------------


def test_image_collectstatic_build_step_runs_with_its_own_environment(tmp_path):
    step_env, command = run_step("collectstatic")
    assert command == ["python", "manage.py", "collectstatic", "--noinput"]
    var_dir = tmp_path / "var"
    env = {**in_checkout(image_env(), var_dir), **step_env}

    result = run_python(command[1:], env, timeout=180)

    assert result.returncode == 0, result.stderr
    manifest = json.loads((var_dir / "static" / "staticfiles.json").read_text())
    assert "css/stride.css" in manifest["paths"]
    # WhiteNoise compresses at build time, so gunicorn never does.
    assert (var_dir / "static" / manifest["paths"]["css/stride.css"]).with_suffix(".css.gz").is_file()


def test_image_build_step_environment_is_production_with_placeholders_only():
    step_env, _ = run_step("collectstatic")

    assert step_env["DEBUG"] == "0"
    assert (step_env["DATABASE_URL"], step_env["CELERY_BROKER_URL"]) == ("sqlite://", "memory://")
    # None of it is left in the image's environment.
    assert sorted(set(step_env) & set(image_env())) == []


# --- The compose stack ---------------------------------------------------------------------


def test_compose_names_the_production_example_env_files():
    assert [path.relative_to(BASE_DIR).as_posix() for path in compose_env_files()] == [
        ".envs/.production/.django.example",
        ".envs/.production/.migration.example",
        ".envs/.production/.postgres.example",
    ]
    assert all(path.is_file() for path in compose_env_files())


def test_compose_example_environment_passes_the_deploy_check(tmp_path):
    django_env = env_file(BASE_DIR / ".envs/.production/.django.example")
    # The one value every operator must fill in (README, Production stack).
    assert django_env["SECRET_KEY"] == ""
    django_env["SECRET_KEY"] = secrets.token_urlsafe(60)
    env = {**in_checkout(image_env(), tmp_path / "var"), **django_env, "RUN_MIGRATIONS": "1"}

    result = run_python(["manage.py", "check", "--deploy"], env)

    assert (result.returncode, result.stdout) == (0, DEPLOY_CHECK_CLEAN), result.stderr


def test_development_example_environment_passes_the_system_check(tmp_path):
    env = {**env_file(BASE_DIR / ".env.example"), "STRIDE_VAR_DIR": str(tmp_path / "var")}

    result = run_python(["manage.py", "check"], env)

    assert (result.returncode, result.stdout) == (0, DEPLOY_CHECK_CLEAN), result.stderr


def _variables_read() -> set[str]:
    """Every variable clinic/settings.py reads, and those the entrypoint reads."""
    source = (BASE_DIR / "clinic" / "settings.py").read_text()
    names = set(re.findall(r"env_(?:str|bool|int|list)\(\s*\"([A-Z0-9_]+)\"", source))
    for secret in re.findall(r"env_secret\(\s*\"([A-Z0-9_]+)\"", source):
        names |= {secret, f"{secret}_FILE"}
    entrypoint = (BASE_DIR / "compose" / "entrypoint.sh").read_text()
    return names | set(re.findall(r"\$\{([A-Z0-9_]+):-", entrypoint))


def test_example_env_files_name_only_variables_that_are_read():
    examples = [BASE_DIR / ".env.example", BASE_DIR / ".envs/.production/.django.example"]
    named = {
        path.name: set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", path.read_text(), re.MULTILINE))
        for path in examples
    }

    assert {name: sorted(variables - _variables_read()) for name, variables in named.items()} == {
        ".env.example": [],
        ".django.example": [],
    }


# --- Dependencies from the lock -------------------------------------------------------------


def _locked_requirements(*args: str) -> set[str]:
    result = subprocess.run(
        [str(UV), "export", *args, "--no-hashes"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {
        re.split(r"[=; ]", line, maxsplit=1)[0]
        for line in result.stdout.splitlines()
        if line and not line.startswith((" ", "#"))
    }


def test_image_installs_runtime_dependencies_only():
    # The export command of the Dockerfile's first stage, writing to stdout here.
    [export] = [
        args for keyword, args in dockerfile_instructions() if keyword == "RUN" and "uv export" in args
    ]
    arguments = shlex.split(export)
    arguments = arguments[arguments.index("export") + 1 : arguments.index("-o")]
    assert "--frozen" in arguments
    dev_group = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    dev_tools = {re.split(r"[=<>\[ ]", requirement, maxsplit=1)[0].lower() for requirement in dev_group}

    production = _locked_requirements(*arguments)

    assert sorted(production & dev_tools) == []
    assert {"django", "gunicorn", "celery", "psycopg", "whitenoise"} <= production
    assert "honcho" in _locked_requirements("--frozen", "--no-emit-project")


def test_uv_version_is_the_same_everywhere():
    makefile = re.search(r"^UV_VERSION := (\S+)$", (BASE_DIR / "Makefile").read_text(), re.MULTILINE)
    dockerfile = re.search(r"^ARG UV_VERSION=(\S+)$", DOCKERFILE.read_text(), re.MULTILINE)
    dev_group = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    [pinned] = [
        requirement.removeprefix("uv==") for requirement in dev_group if requirement.startswith("uv==")
    ]
    installed = subprocess.run([str(UV), "--version"], capture_output=True, text=True, check=True).stdout

    assert (makefile and makefile[1], dockerfile and dockerfile[1], installed.split()[1]) == (
        pinned,
        pinned,
        pinned,
    )
