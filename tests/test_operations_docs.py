"""What the operator reads (README, deploy files) agrees with what `meridian serve` does."""
from __future__ import annotations

import configparser
import re
from pathlib import Path

import yaml

from operations.metrics import Metrics
from bot.config import Settings, environment_markdown

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DEPLOY = ROOT / "deploy"


def test_the_readme_configuration_table_is_the_generated_one() -> None:
    assert environment_markdown() in README, "regenerate it with `meridian config --markdown`"


def test_every_metric_is_documented() -> None:
    names = {family.name for family in Metrics().registry.collect()}
    documented = set(re.findall(r"`(meridian_[a-z_]+)`", README))
    # prometheus_client names counters without _total; the exposition (and the README) adds it
    assert {n if n.endswith("_seconds") else n + "_total" for n in names} <= documented


def test_the_kill_timeouts_leave_room_for_the_drain() -> None:
    drain = Settings.from_env({}).shutdown_seconds
    docs = {d["kind"]: d for d in yaml.safe_load_all((DEPLOY / "kubernetes" / "meridian.yaml").read_text()) if d}
    pod = docs["Deployment"]["spec"]["template"]
    assert pod["spec"]["terminationGracePeriodSeconds"] > drain
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert int(compose["services"]["meridian"]["stop_grace_period"].rstrip("s")) > drain
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(DEPLOY / "meridian.service")
    assert int(unit["Service"]["TimeoutStopSec"]) > drain


def test_prometheus_is_pointed_at_the_metrics_endpoint() -> None:
    docs = {d["kind"]: d for d in yaml.safe_load_all((DEPLOY / "kubernetes" / "meridian.yaml").read_text()) if d}
    pod = docs["Deployment"]["spec"]["template"]
    annotations = pod["metadata"]["annotations"]
    ports = {p["containerPort"] for p in pod["spec"]["containers"][0]["ports"]}
    assert annotations["prometheus.io/path"] == "/metrics" and int(annotations["prometheus.io/port"]) in ports
