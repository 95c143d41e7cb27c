"""docker-compose.scale.yml: replicas that never migrate, a pooler in transaction mode, one load balancer.

Docker does not run here, so the file is read as compose would merge it and
the settings the replicas would get are loaded in a fresh process.
"""

from pathlib import Path

import yaml

from tests.test_settings import SHOW_SCALE_SETTINGS, production_env, run

BASE_DIR = Path(__file__).resolve().parents[1]


class _ComposeLoader(yaml.SafeLoader):
    """YAML with compose's merge tags (!override, !reset) read as plain values."""


def _tagged(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return loader.construct_scalar(node)


for tag in ("!override", "!reset"):
    _ComposeLoader.add_constructor(tag, _tagged)


def _services() -> dict[str, dict]:
    text = (BASE_DIR / "docker-compose.scale.yml").read_text()
    return yaml.load(text, Loader=_ComposeLoader)["services"]  # noqa: S506 -- a SafeLoader subclass


def test_only_the_one_shot_migrate_service_migrates_or_holds_the_owner_url():
    services = _services()
    assert services["migrate"]["environment"]["RUN_MIGRATIONS"] == "1"
    assert ".envs/.production/.migration" in services["migrate"]["env_file"]
    assert services["web"]["env_file"] == [".envs/.production/.django"]
    assert services["web"]["environment"]["RUN_MIGRATIONS"] == "0"
    assert services["web"]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["web"]["ports"] == []  # only the proxy listens; replicas share no host port


def test_replicas_reach_postgresql_through_the_pooler_and_migrations_do_not():
    services = _services()
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DB_PGBOUNCER"] == "1", name
        assert environment["DATABASE_URL"].startswith("${STRIDE_POOLED_DATABASE_URL"), name
    assert services["migrate"]["environment"]["DB_PGBOUNCER"] == "0"
    assert services["pgbouncer"]["environment"]["POOL_MODE"] == "transaction"
    assert services["web"]["deploy"]["replicas"] == "${WEB_REPLICAS:-3}"
    assert services["worker"]["deploy"]["replicas"] == "${WORKER_REPLICAS:-2}"
    assert "deploy" not in services["beat"]


def test_the_load_balancer_passes_the_client_address_the_app_reads():
    nginx = (BASE_DIR / "compose/nginx.conf").read_text()
    example = (BASE_DIR / ".envs/.production/.django.example").read_text()
    assert "server web:8000;" in nginx
    assert "proxy_set_header X-Real-IP $remote_addr;" in nginx
    assert "CLIENT_IP_META=HTTP_X_REAL_IP" in example
    # Rate limits and sessions must be shared by the replicas.
    assert "CACHE_URL=redis://" in example


def test_a_replica_starts_with_the_pooled_settings(tmp_path):
    env = production_env(
        tmp_path / "var",
        DATABASE_URL="postgres://stride_app:secret@pgbouncer:6432/stride",
        DB_PGBOUNCER="1",
        CACHE_URL="redis://redis:6379/1",
    )
    result = run(["-c", SHOW_SCALE_SETTINGS], tmp_path / "var", **env)
    assert result.returncode == 0, result.stderr
    assert '"DISABLE_SERVER_SIDE_CURSORS": true' in result.stdout
    assert '"SESSION_ENGINE": "django.contrib.sessions.backends.cached_db"' in result.stdout
