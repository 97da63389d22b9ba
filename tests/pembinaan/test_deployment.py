"""docker-compose.yml cannot run here (no Docker engine), so it is kept truthful: every command it
runs exists in this environment, every variable it or .env.example sets is one the settings read,
and every variable the settings read is documented."""

import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
# Read by the postgres image, or by Compose itself, not by SIBINA.
NOT_OURS = {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"}


def settings_variables() -> set[str]:
    source = (ROOT / "pembinaan" / "settings.py").read_text()
    return set(
        re.findall(r"""(?:environ\.get|env(?:bool|int|list|networks))\(\s*"([A-Z_]+)\"""", source)
    )


def example_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z_]+)=", text, flags=re.MULTILINE))


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_setting_is_documented_and_every_documented_variable_is_read():
    assert settings_variables() == example_variables()


def test_compose_sets_only_variables_the_settings_read():
    for name, service in compose()["services"].items():
        if name == "proxy":  # nginx's: test_the_proxy_fills_every_placeholder_of_its_template
            continue
        variables = set(service.get("environment", {})) - NOT_OURS
        assert variables <= settings_variables(), name


def test_the_proxy_fills_every_placeholder_of_its_template():
    """The nginx image renders deploy/nginx.conf with the proxy's NGINX_ variables (envsubst,
    limited to them by NGINX_ENVSUBST_FILTER, read by the image): each placeholder is set, and
    nothing else is."""
    proxy = compose()["services"]["proxy"]
    template = (ROOT / "deploy" / "nginx.conf").read_text()
    placeholders = set(re.findall(r"\$\{(NGINX_\w+)\}", template))
    assert set(proxy["environment"]) - {"NGINX_ENVSUBST_FILTER"} == placeholders
    mounted = {volume.rsplit(":", 2)[1] for volume in proxy["volumes"]}  # source:target:ro
    assert "/etc/nginx/templates/default.conf.template" in mounted
    assert proxy["environment"]["NGINX_CERT_DIR"] in mounted


def test_compose_services_are_the_ones_a_deployment_needs():
    assert {"postgres", "redis", "web", "worker", "beat", "migrate"} <= set(compose()["services"])


def test_every_command_compose_runs_exists_here():
    bin_dir = Path(sys.executable).parent
    for name, service in compose()["services"].items():
        command = service.get("command")
        if not command or name in ("postgres", "redis"):
            continue
        executable = command[0]
        assert (bin_dir / executable).exists() or shutil.which(executable), (name, executable)
        if executable == "gunicorn":
            application = next(part for part in command if part.endswith(":application"))
            module, attribute = application.split(":")
            assert callable(getattr(importlib.import_module(module), attribute))
            if "-c" in command:  # its configuration module, "python:<module>"
                config = command[command.index("-c") + 1]
                importlib.import_module(config.removeprefix("python:"))
        if executable == "celery":
            result = subprocess.run(
                [str(bin_dir / "celery"), *command[1:3], command[3], "--help"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert result.returncode == 0, result.stderr
        if executable == "python":
            result = subprocess.run(
                [sys.executable, *command[1:3], "--help"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert result.returncode == 0, result.stderr


def test_the_dockerfile_serves_what_compose_serves():
    dockerfile = (ROOT / "Dockerfile").read_text()
    web = compose()["services"]["web"]["command"]
    assert all(part in dockerfile for part in web)


def nginx_mask(uri: str) -> str:
    """The access log's path as deploy/nginx.conf's `map $uri $sibina_path` makes it: the first
    regular expression that matches, its value with the captures put in."""
    template = (ROOT / "deploy" / "nginx.conf").read_text()
    body = re.search(r"map \$uri \$sibina_path \{(.*?)\n\}", template, flags=re.S).group(1)
    for line in body.strip().splitlines():
        key, value = line.strip().rstrip(";").split()
        if key == "default":
            return value.replace("$uri", uri)
        found = re.match(re.sub(r"\(\?<(?=\w)", "(?P<", key.removeprefix("~")), uri)
        if found:
            return found.expand(re.sub(r"\$(\w+)", r"\\g<\1>", value.replace("$uri", uri)))
    raise AssertionError("the map has no default")


def test_nginx_masks_the_same_secret_paths_as_the_applications_logs():
    """pembinaan/lib/telemetri.py _SECRET_PATHS is the list; deploy/nginx.conf's map must mask
    alike: the same paths carry a secret, and each is tried with a secret in every place one
    may be."""
    from pembinaan.lib.telemetri import _SECRET_PATHS, mask_secret_paths

    def prefixes(patterns, group):
        return {re.search(rf"\(\?P?<{group}>(/[\w/-]*)", p).group(1) for p in patterns}

    template = (ROOT / "deploy" / "nginx.conf").read_text()
    ours = prefixes([p.pattern for p in _SECRET_PATHS], "kept")
    nginx = prefixes(re.findall(r"~\^\S*\(\?<awal>\S+", template), "awal")
    assert ours == nginx
    for prefix in ours:
        paths = [prefix + rest for rest in ["Rahasia42/", "Rahasia42", "Rahasia42.ics",
                                            "MQ/Rahasia42/", "petugas/"]]  # fmt: skip
        assert {path: nginx_mask(path) for path in paths} == {
            path: mask_secret_paths(path) for path in paths
        }
        assert any("[rahasia]" in mask_secret_paths(path) for path in paths), prefix
    for path in ["/masukan/petugas/", "/survei/kepuasan-2025/", "/masyarakat/masukan/5/"]:
        assert nginx_mask(path) == mask_secret_paths(path) == path
