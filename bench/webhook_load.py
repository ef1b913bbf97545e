"""The client side of bench/webhooks.sh.

latency URL HOOK ARRIVALS N   register, then N suspend/reactivate PATCHes one after another;
                              print the median and p99 of arrival minus ResourceChangeUtcDate
commit  URL HOOK ARRIVALS N   register (worker off), then commit N changes by bulk requests
wait    URL -    ARRIVALS N T wait until N deliveries arrived; print events/s since T
"""
import json
import statistics
import sys
import time
import urllib.request

mode, base, hook, arrivals, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])


def call(method, path, token=None, body=None, form=None):
    headers = {}
    data = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = form.encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def arrived():
    with open(arrivals) as f:
        return [line.split() for line in f if line.strip()]


def sign_in():
    form = "grant_type=password&username=admin%40contoso-partners.example&password=partnerdesk-demo"
    return call("POST", "/oauth2/token", form=form)["access_token"]


def subscriptions(token):
    subs = []
    for c in call("GET", "/v1/customers?size=100", token)["items"]:
        for s in call("GET", f"/v1/customers/{c['id']}/subscriptions", token)["items"]:
            if s["status"] in ("active", "suspended"):
                subs.append((c["id"], s["id"], s["status"]))
    return subs


def register(token):
    call("POST", "/webhooks/v1/registration", token,
         {"WebhookUrl": hook, "WebhookEvents": ["subscription-updated"]})


if mode == "latency":
    token = sign_in()
    register(token)
    subs = subscriptions(token)
    for i in range(n):
        cid, sid, status = subs[i % len(subs)]
        status = "suspended" if status == "active" else "active"
        call("PATCH", f"/v1/customers/{cid}/subscriptions/{sid}", token, {"status": status})
        subs[i % len(subs)] = (cid, sid, status)
    deadline = time.time() + 120
    while len(arrived()) < n and time.time() < deadline:
        time.sleep(0.1)
    lat = sorted((float(a) - float(c)) * 1000 for a, c, _ in arrived())
    print(f"latency: {len(lat)} deliveries, commit to delivery median {statistics.median(lat):.1f} ms, "
          f"p99 {lat[int(len(lat) * 0.99) - 1]:.1f} ms")
elif mode == "commit":
    token = sign_in()
    call("DELETE", "/webhooks/v1/registration", token)
    register(token)
    by_customer = {}
    for cid, sid, status in subscriptions(token):
        by_customer.setdefault(cid, []).append((sid, status))
    done = 0
    while done < n:
        for cid, subs in by_customer.items():
            if done >= n:
                break
            want = "suspended" if subs[0][1] == "active" else "active"
            ids = [sid for sid, status in subs if status != want][: n - done]
            if not ids:
                continue
            call("POST", f"/v1/customers/{cid}/subscriptions/bulk", token,
                 {"status": want, "subscriptionIds": ids})
            by_customer[cid] = [(sid, want if sid in ids else status) for sid, status in subs]
            done += len(ids)
    print(f"committed {done} changes with the worker off")
else:
    started = float(sys.argv[6])
    deadline = time.time() + 600
    while len(arrived()) < n and time.time() < deadline:
        time.sleep(0.05)
    took = time.time() - started
    print(f"throughput: {len(arrived())} deliveries in {took:.2f} s from the start of the server: "
          f"{len(arrived()) / took:.0f} events/s")
