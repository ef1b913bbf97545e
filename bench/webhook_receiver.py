"""A webhook receiver for bench/webhooks.sh: answers 200 and appends, per delivery, its
arrival time (Unix seconds), the event's ResourceChangeUtcDate and EventId to a file."""
import json
import sys
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

out = open(sys.argv[1], "a", buffering=1)


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        arrived = time.time()
        event = json.loads(body)
        changed = datetime.fromisoformat(event["ResourceChangeUtcDate"].replace("Z", "+00:00")).timestamp()
        out.write(f"{arrived} {changed} {event['EventId']}\n")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
print(f"receiver listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
