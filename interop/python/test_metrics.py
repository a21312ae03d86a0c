"""`/metrics` of a running provider, read with the reference Prometheus client's own
text parser: it must parse, and its counters must move with the traffic sent."""

import requests
from prometheus_client.parser import text_string_to_metric_families

from rp import PRODUCT
from test_tokens import service


def scrape(op):
    r = requests.get(f"{op.issuer}/metrics", timeout=10)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return {family.name: family for family in text_string_to_metric_families(r.text)}


def value(families, family, sample_name, **labels):
    """The value of the sample `sample_name` whose labels include `labels`; 0 if absent."""
    found = families.get(family)
    if found is None:
        return 0.0
    return sum(s.value for s in found.samples
               if s.name == sample_name and all(s.labels.get(k) == v for k, v in labels.items()))


def test_metrics_parse_and_move_with_traffic(op):
    before = scrape(op)
    svc = service(op)
    for _ in range(3):
        svc.fetch_token(op.meta["token_endpoint"], grant_type="client_credentials")
    requests.get(op.meta["jwks_uri"], timeout=10)
    r = requests.post(op.meta["token_endpoint"], timeout=10,
                      data={"grant_type": "client_credentials", "scope": PRODUCT},
                      auth=("svc", "not-the-secret"))
    assert r.status_code == 401
    after = scrape(op)

    token_route = {"route": "/connect/token", "method": "POST"}
    for status, moved in (("200", 3), ("401", 1)):
        name = "propusk_http_requests_total"
        delta = (value(after, "propusk_http_requests", name, status=status, **token_route)
                 - value(before, "propusk_http_requests", name, status=status, **token_route))
        assert delta == moved, (status, delta)

    hist = "propusk_http_request_duration_seconds"
    count = value(after, hist, hist + "_count", status="200", **token_route)
    assert count >= 3
    inf = value(after, hist, hist + "_bucket", status="200", le="+Inf", **token_route)
    assert inf == count

    issued = ("propusk_tokens_issued", "propusk_tokens_issued_total")
    delta = (value(after, *issued, grant_type="client_credentials", client_id="svc")
             - value(before, *issued, grant_type="client_credentials", client_id="svc"))
    assert delta == 3

    assert value(after, "propusk_db_pool_connections", "propusk_db_pool_connections", state="open") >= 1
    assert "RS256" in {s.labels.get("alg") for s in after["propusk_signing_key_age_seconds"].samples}
    query = "propusk_db_query_duration_seconds"
    kinds = {s.labels.get("statement") for s in after[query].samples if s.name == query + "_count"}
    assert "select" in kinds, kinds
    assert value(after, query, query + "_count") > value(before, query, query + "_count")
    queues = {s.labels.get("queue"): s.value for s in after["propusk_job_queue_depth"].samples}
    assert set(queues) == {"messages", "backchannel_logouts"}, queues
    assert all(depth >= 0 for depth in queues.values()), queues
    assert value(after, "propusk_http_requests", "propusk_http_requests_total",
                 route="/.well-known/openid-configuration/jwks", status="200") >= 1


def test_health_and_readiness(op):
    for path in ("/healthz", "/health"):
        assert requests.get(f"{op.issuer}{path}", timeout=10).status_code == 200
    r = requests.get(f"{op.issuer}/readyz", timeout=10)
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ready"}
