#!/usr/bin/env python3
"""bench/otlp-sink.py [PORT]: an OTLP/HTTP trace receiver that keeps nothing (default port 4318).

For measuring what tracing costs the services when every span is exported: point both services at
it (ORDERS_OTLP_ENDPOINT=http://127.0.0.1:PORT/v1/traces, ORDERS_TRACING_SAMPLING=1.0) and run
bench/run.sh. It answers every export with 200 and an empty ExportTraceServiceResponse, and on
SIGINT or SIGTERM prints how many exports and bytes it took.
"""
import http.server
import signal
import sys

exports = 0
received = 0


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global exports, received
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        exports += 1
        received += length
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


def stop(signum, frame):
    print(f"otlp-sink: {exports} exports, {received} bytes", flush=True)
    sys.exit(0)


port = int(sys.argv[1]) if len(sys.argv) > 1 else 4318
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Sink)
print(f"otlp-sink: listening on http://127.0.0.1:{port}/v1/traces", flush=True)
server.serve_forever()
