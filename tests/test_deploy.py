"""The deployment files say what an operator relies on: checked by parsing them, not by eye."""
from __future__ import annotations

import configparser
import re
from pathlib import Path

import yaml

from bot.config import environment_table

DEPLOY = Path(__file__).parents[1] / "deploy"
KNOWN_ENV = {name for name, _, _ in environment_table()}


def k8s_documents() -> dict[str, dict]:
    docs = [d for d in yaml.safe_load_all((DEPLOY / "kubernetes" / "meridian.yaml").read_text()) if d]
    return {d["kind"]: d for d in docs}


def test_dockerfile_is_multi_stage_slim_and_non_root() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)", text, re.MULTILINE)
    assert len(stages) >= 2 and all("slim" in s for s in stages)
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and not users[-1].startswith(("root", "0"))
    assert re.search(r'^ENTRYPOINT \["meridian"\]', text, re.MULTILINE), "exec form, so SIGTERM reaches Meridian"
    assert "/healthz" in text


def test_compose_runs_migrations_against_postgres_before_the_bot() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres")
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["meridian"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["meridian"]["environment"]["MERIDIAN_DATABASE_URL"].startswith("postgresql+psycopg://")


def test_kubernetes_deployment_has_replicas_probes_secret_and_pdb() -> None:
    docs = k8s_documents()
    deployment, pdb, secret = docs["Deployment"], docs["PodDisruptionBudget"], docs["Secret"]
    assert deployment["spec"]["replicas"] >= 2
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["envFrom"][0]["secretRef"]["name"] == secret["metadata"]["name"]
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert pdb["spec"].get("minAvailable", 0) >= 1 or "maxUnavailable" in pdb["spec"]
    assert "DISCORD_TOKEN" in secret["stringData"] and "SLACK_SIGNING_SECRET" in secret["stringData"]


def test_every_variable_the_manifests_set_is_a_real_setting() -> None:
    docs = k8s_documents()
    names = set(docs["Secret"]["stringData"])
    container = docs["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    names |= {e["name"] for e in container.get("env", [])}
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    names |= set(compose["services"]["meridian"]["environment"])
    assert names - KNOWN_ENV == set()


def test_systemd_unit_runs_serve_and_stops_gracefully() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / "meridian.service")
    service = unit["Service"]
    assert service["ExecStart"].endswith("meridian serve")
    assert service["KillSignal"] == "SIGTERM"
    assert service["User"] != "root"
