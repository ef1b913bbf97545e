"""The load of bench/soak.sh: mixed, stateful traffic against one `partnerdesk serve` with the
demo data, for a set time, from a few threads, with a webhook receiver on 127.0.0.1.

    soak.py BASE_URL SECONDS SERVER_PID [WORKERS]

Each worker runs its own customers (made through the API), so nothing it does is refused
because of another worker. It mixes: reads (customer list, subscriptions, audit records, GDAP
list); suspending and reactivating subscriptions; orders; offboarding customers; relationship
requests of a second partner and their acceptance by the customer's admin; GDAP relationships
made, locked, approved by the customer and terminated. Every change goes out as a webhook
event to the receiver. Once in a while a worker sends a PATCH with an ETag it has already
used: the 412 that follows is a refusal it provoked, counted apart from errors.

Prints requests, errors, refusals, p50/p99 latency, deliveries received, and the server's
RSS at the start and at the end; exits 1 when there was any error.
"""
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BASE = sys.argv[1]
SECONDS = float(sys.argv[2])
PID = int(sys.argv[3])
WORKERS = int(sys.argv[4]) if len(sys.argv) > 4 else 4
PASSWORD = "partnerdesk-demo"
HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
GDAP = "/v1.0/tenantRelationships/delegatedAdminRelationships"

lock = threading.Lock()
# A partner has one open invitation link until a customer uses it: the workers take it in
# turn, so none of them accepts a link another one has just used.
invitation = threading.Lock()
latencies = []
errors = []
refused = 0
received = set()


def rss_kib():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Failure(Exception):
    pass


def call(method, path, token=None, body=None, form=None, headers=None, expect=(200, 201, 204), refusal=()):
    """One request; its JSON body (or None) and headers. An answer with a status in
    `refusal` is counted as a provoked refusal; any other status outside `expect` is an
    error."""
    global refused
    hdrs = dict(headers or {})
    data = None
    if token:
        hdrs["Authorization"] = f"Bearer {token}"
    if body is not None:
        hdrs["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    if form is not None:
        hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        data = form.encode()
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=hdrs)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, raw, got = r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        status, raw, got = e.code, e.read(), e.headers
    except Exception as e:  # a dropped connection, a timeout
        with lock:
            latencies.append(time.perf_counter() - started)
            errors.append(f"{method} {path}: {e}")
        raise Failure() from e
    took = time.perf_counter() - started
    with lock:
        latencies.append(took)
        if status in refusal:
            refused += 1
        elif status not in expect:
            errors.append(f"{method} {path}: {status} {raw[:300]!r}")
    if status not in expect:
        raise Failure()
    return (json.loads(raw) if raw else None), got


def sign_in(email, password=PASSWORD):
    form = f"grant_type=password&username={email.replace('@', '%40')}&password={password}"
    return call("POST", "/oauth2/token", form=form)[0]["access_token"]


def api_token(email, name):
    """A personal API token: access tokens expire within a long soak, these do not."""
    access = sign_in(email)
    return call("POST", "/v1/me/tokens", access, {"name": name})[0]["tokenSecret"]


class Worker:
    def __init__(self, n, contoso, advantum, offer):
        self.n = n
        self.contoso = contoso
        self.advantum = advantum
        self.offer = offer
        self.rand = random.Random(n)
        self.made = 0
        # Customers of this worker: id -> {"admin": token, "subs": [(id, status)], "gdap": [...]}
        self.customers = {}

    def new_customer(self):
        self.made += 1
        tag = f"soak-{self.n}-{self.made}-{int(time.time() * 1000) % 10**9}"
        body = {
            "companyProfile": {"companyName": f"Soak {tag}", "domain": f"{tag}.example"},
            "billingProfile": {
                "email": f"billing@{tag}.example",
                "culture": "en-US",
                "firstName": "Soak",
                "lastName": "Load",
                "defaultAddress": {"country": "US", "city": "Redmond", "addressLine1": "1 Main St"},
            },
        }
        created, _ = call("POST", "/v1/customers", self.contoso, body)
        creds = created["userCredentials"]
        admin = sign_in(creds["userName"], creds["password"])
        self.customers[created["id"]] = {"admin": admin, "subs": [], "gdap": [], "advantum": False}

    def any_customer(self):
        if len(self.customers) < 3:
            self.new_customer()
        return self.rand.choice(list(self.customers))

    def read(self):
        cid = self.any_customer()
        which = self.rand.randrange(4)
        if which == 0:
            call("GET", "/v1/customers?size=20", self.contoso)
        elif which == 1:
            call("GET", f"/v1/customers/{cid}/subscriptions", self.contoso)
        elif which == 2:
            call("GET", "/v1/auditrecords?size=20", self.contoso)
        else:
            call("GET", f"{GDAP}?$top=20", self.contoso)

    def order(self):
        cid = self.any_customer()
        placed, _ = call(
            "POST",
            f"/v1/customers/{cid}/orders",
            self.contoso,
            {"lineItems": [{"offerId": self.offer, "quantity": 2}, {"offerId": self.offer, "quantity": 1}]},
        )
        for line in placed["lineItems"]:
            self.customers[cid]["subs"].append([line["subscriptionId"], "active"])

    def toggle(self):
        cid = self.any_customer()
        subs = self.customers[cid]["subs"]
        if not subs:
            return self.order()
        sub = self.rand.choice(subs)
        path = f"/v1/customers/{cid}/subscriptions/{sub[0]}"
        want = "suspended" if sub[1] == "active" else "active"
        _, headers = call("GET", path, self.contoso)
        etag = headers.get("ETag")
        call("PATCH", path, self.contoso, {"status": want}, headers={"If-Match": etag})
        sub[1] = want
        if self.rand.randrange(10) == 0:
            # The same ETag again: it is stale now, and the change must be refused.
            call("PATCH", path, self.contoso, {"status": sub[1]}, headers={"If-Match": etag},
                 expect=(), refusal=(409, 412))

    def offboard(self):
        cid = self.any_customer()
        if not self.customers[cid]["subs"]:
            self.order()
        call("GET", f"/v1/customers/{cid}/offboarding", self.contoso)
        call("POST", f"/v1/customers/{cid}/offboarding", self.contoso, {"reason": "soak"})
        if self.customers[cid]["advantum"]:
            # The customer's other partner offboards it too; then it is no one's.
            call("POST", f"/v1/customers/{cid}/offboarding", self.advantum, {})
        del self.customers[cid]

    def relationship(self):
        cid = self.any_customer()
        c = self.customers[cid]
        if c["advantum"]:
            return self.read()
        with invitation:
            link, _ = call("GET", "/v1/customers/relationshiprequests", self.advantum)
            token = link["url"].rstrip("/").rsplit("/", 1)[-1]
            call("GET", f"/v1/invitations/{token}")
            call("POST", f"/v1/invitations/{token}/accept", c["admin"])
        c["advantum"] = True

    def gdap(self):
        cid = self.any_customer()
        c = self.customers[cid]
        if c["gdap"] and self.rand.randrange(2) == 0:
            gid = c["gdap"].pop()
            call("POST", f"{GDAP}/{gid}/requests", self.contoso, {"action": "terminate"})
            return
        self.made += 1
        g, _ = call(
            "POST",
            GDAP,
            self.contoso,
            {
                "displayName": f"Soak helpdesk {self.n}-{self.made}",
                "duration": "P180D",
                "customer": {"tenantId": cid},
                "accessDetails": {"unifiedRoles": [{"roleDefinitionId": HELPDESK}]},
            },
        )
        call("POST", f"{GDAP}/{g['id']}/requests", self.contoso, {"action": "lockForApproval"})
        call("POST", f"{GDAP}/{g['id']}/requests", c["admin"], {"action": "approve"})
        c["gdap"].append(g["id"])

    def run(self, until):
        ops = [
            (self.read, 40),
            (self.toggle, 20),
            (self.order, 12),
            (self.relationship, 8),
            (self.gdap, 10),
            (self.offboard, 6),
            (self.new_customer, 4),
        ]
        funcs = [f for f, _ in ops]
        weights = [w for _, w in ops]
        while time.time() < until:
            op = self.rand.choices(funcs, weights)[0]
            try:
                op()
            except Failure:
                # The error is counted; start over on fresh customers.
                self.customers.clear()
                time.sleep(0.05)


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        event = json.loads(body)
        with lock:
            received.add(event["EventId"])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{receiver.server_address[1]}/hook"

    contoso = api_token("admin@contoso-partners.example", "soak")
    advantum = api_token("admin@advantum.example", "soak")
    events = ["subscription-updated", "reseller-relationship-accepted-by-customer",
              "reseller-relationship-removed", "customer-created",
              "granular-admin-relationship-approved", "granular-admin-relationship-terminated"]
    for token in (contoso, advantum):
        call("DELETE", "/webhooks/v1/registration", token, expect=(200, 204, 404))
        call("POST", "/webhooks/v1/registration", token, {"WebhookUrl": hook, "WebhookEvents": events})
    offers, _ = call("GET", "/v1/offers", contoso)
    offer = next(o["id"] for o in offers["items"]
                 if "US" in o["countries"] and o["isAvailableForPurchase"] and o["minimumQuantity"] <= 1
                 and o["maximumQuantity"] >= 2)

    rss_start = rss_kib()
    started = time.time()
    until = started + SECONDS
    workers = [Worker(n, contoso, advantum, offer) for n in range(WORKERS)]
    threads = [threading.Thread(target=w.run, args=(until,)) for w in workers]
    for t in threads:
        t.start()
    # RSS once warm (a tenth of the run): the allocator's arenas and the caches are full
    # by then; growth after it is what a leak would show.
    time.sleep(SECONDS / 10)
    rss_warm = rss_kib()
    samples = []
    while any(t.is_alive() for t in threads):
        samples.append(rss_kib())
        time.sleep(min(5.0, SECONDS / 20))
    for t in threads:
        t.join()
    took = time.time() - started
    rss_end = rss_kib()
    # Let the last deliveries arrive.
    time.sleep(2)

    lat = sorted(latencies)
    p = lambda q: lat[min(len(lat) - 1, int(len(lat) * q))] * 1000 if lat else 0.0
    growth = (rss_end - rss_warm) * 100.0 / rss_warm if rss_warm else 0.0
    print(f"soak: {took:.0f} s, {WORKERS} workers: {len(lat)} requests ({len(lat) / took:.0f}/s), "
          f"{len(errors)} errors, {refused} provoked refusals (stale If-Match)")
    print(f"latency: p50 {p(0.50):.1f} ms, p99 {p(0.99):.1f} ms, max {p(1.0):.1f} ms")
    print(f"webhooks: {len(received)} events received")
    peak = max(samples + [rss_end])
    print(f"RSS: {rss_start / 1024:.1f} MiB before the load, {rss_warm / 1024:.1f} MiB warm "
          f"(after {SECONDS / 10:.0f} s), {rss_end / 1024:.1f} MiB at the end ({growth:+.1f} % since warm), "
          f"peak {peak / 1024:.1f} MiB")
    for e in errors[:20]:
        print(f"error: {e}")
    sys.exit(1 if errors else 0)


main()
