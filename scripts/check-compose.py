"""Consistency checks of deploy/compose.yaml and the proxy in front of it, for
scripts/check-packaging (no Docker engine needed).

    check-compose.py COMPOSE CADDYFILE

Checks that PostgreSQL 15, a one-shot migrate and two serve nodes are there, that every
dependency, secret, volume and network named is defined, that the nodes share the
database URL and the master key, that the proxy forwards to exactly the nodes, and that
the nodes trust the proxy's address and nothing wider than its subnet. On success prints
the nodes' environment as NAME=VALUE lines (defaults substituted) so that the caller can
load it into the binary.
"""

import ipaddress
import re
import sys

import yaml

NODES = ["propusk-1", "propusk-2"]
NODE_PORT = 8080
INTERPOLATION = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def fail(message):
    sys.exit(f"compose: {message}")


def interpolate(value):
    """${VAR:-default} becomes the default; ${VAR:?error} a placeholder value."""

    def substitute(match):
        _, op, arg = match.groups()
        if op and op.endswith("-"):
            return arg
        return "placeholder"

    return INTERPOLATION.sub(substitute, str(value))


def names(section):
    if section is None:
        return []
    return list(section) if isinstance(section, (list, dict)) else fail(f"bad list {section}")


def check_references(doc):
    services = doc["services"]
    top = {kind: set(doc.get(kind) or {}) for kind in ("secrets", "volumes", "networks")}
    for name, service in services.items():
        for dep, how in (service.get("depends_on") or {}).items():
            if dep not in services:
                fail(f"{name} depends on unknown service {dep}")
            condition = how.get("condition")
            if condition not in ("service_started", "service_healthy", "service_completed_successfully"):
                fail(f"{name}: unknown condition {condition}")
        for secret in names(service.get("secrets")):
            if secret not in top["secrets"]:
                fail(f"{name} uses undefined secret {secret}")
        for network in names(service.get("networks")):
            if network not in top["networks"]:
                fail(f"{name} joins undefined network {network}")
        for volume in service.get("volumes") or []:
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/")) and source not in top["volumes"]:
                fail(f"{name} mounts undefined volume {source}")
    for name, secret in (doc.get("secrets") or {}).items():
        if not str(secret.get("file", "")).startswith("./secrets/"):
            fail(f"secret {name} must be a file under ./secrets/ (kept out of git)")


def check_services(doc):
    services = doc["services"]
    for name in ["postgres", "migrate", "proxy", *NODES]:
        if name not in services:
            fail(f"no service {name}")
    if not str(services["postgres"]["image"]).startswith("postgres:15"):
        fail("PostgreSQL must be version 15")
    if services["migrate"].get("command") != ["migrate"]:
        fail("migrate must run `propusk migrate`")
    if services["migrate"]["depends_on"]["postgres"]["condition"] != "service_healthy":
        fail("migrate must wait for a healthy PostgreSQL")
    envs = []
    for node in NODES:
        service = services[node]
        if service.get("command") != ["serve"]:
            fail(f"{node} must run `propusk serve`")
        if service["depends_on"]["migrate"]["condition"] != "service_completed_successfully":
            fail(f"{node} must start after migrate succeeded")
        env = {k: interpolate(v) for k, v in service["environment"].items()}
        key_file = env.get("PROPUSK_MASTER_KEY_FILE", "")
        secret = key_file.removeprefix("/run/secrets/")
        if not key_file.startswith("/run/secrets/") or secret not in names(service.get("secrets")):
            fail(f"{node}: PROPUSK_MASTER_KEY_FILE must be one of its compose secrets")
        if not env.get("PROPUSK_DATABASE_URL", "").startswith("postgres://"):
            fail(f"{node}: PROPUSK_DATABASE_URL must name PostgreSQL")
        envs.append(env)
    if any(env != envs[0] for env in envs):
        fail("the nodes' environments differ")
    return envs[0]


def check_proxy(doc, caddyfile, env):
    services = doc["services"]
    upstreams = set()
    for line in open(caddyfile, encoding="utf-8"):
        words = line.split("#", 1)[0].split()
        if words[:1] == ["reverse_proxy"]:
            upstreams.update(w for w in words[1:] if w != "{")
    expected = {f"{node}:{NODE_PORT}" for node in NODES}
    if upstreams != expected:
        fail(f"the proxy forwards to {sorted(upstreams)}, not to {sorted(expected)}")

    proxy = services["proxy"]
    edge = [n for n, v in (proxy.get("networks") or {}).items() if v and v.get("ipv4_address")]
    if len(edge) != 1:
        fail("the proxy needs one network with a fixed ipv4_address")
    network = edge[0]
    address = ipaddress.ip_address(proxy["networks"][network]["ipv4_address"])
    subnets = [
        ipaddress.ip_network(c["subnet"])
        for c in doc["networks"][network]["ipam"]["config"]
    ]
    if not any(address in s for s in subnets):
        fail(f"the proxy's address {address} is outside network {network}")
    for node in NODES:
        if network not in names(services[node].get("networks")):
            fail(f"{node} is not on the proxy's network {network}")
    trusted = [
        ipaddress.ip_network(c.strip())
        for c in env.get("PROPUSK_HTTP__TRUSTED_PROXIES", "").split(",")
        if c.strip()
    ]
    if not any(address in t for t in trusted):
        fail(f"the nodes do not trust the proxy's address {address}")
    if any(not any(t.subnet_of(s) for s in subnets) for t in trusted):
        fail("the nodes trust addresses outside the proxy's network")


def main():
    compose, caddyfile = sys.argv[1:3]
    with open(compose, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    check_references(doc)
    env = check_services(doc)
    check_proxy(doc, caddyfile, env)
    for name, value in sorted(env.items()):
        print(f"{name}={value}")


if __name__ == "__main__":
    main()
