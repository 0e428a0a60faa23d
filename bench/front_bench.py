"""In-process timing of the page cache's hit path: ``jczx.wsgi.application`` (what
gunicorn runs) called as a WSGI server would, for a page already cached, so each call
reads the content generation and answers the worker's copy of the page. No HTTP, no
wrk: it shows what the front itself costs per hit (docs/operations.md).

Run with bench/env.sh's environment on a migrated database, e.g.::

    . bench/env.sh && .venv/bin/python bench/front_bench.py --url / --rounds 5
"""

import argparse
import io
import time

from _django import setup


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="/")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    setup()
    from jczx.wsgi import application

    def call():
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": args.url,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": io.StringIO(),
        }
        reply = {}

        def start_response(status, headers, exc_info=None):
            reply.update(status=status, headers=dict(headers))

        body = application(environ, start_response)
        b"".join(body)
        if hasattr(body, "close"):
            body.close()
        return reply

    call()
    reply = call()
    assert reply["headers"].get("X-Page-Cache") == "hit", reply
    rounds = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for _ in range(args.requests):
            call()
        rounds.append((time.perf_counter() - started) / args.requests * 1e6)
    rounds.sort()
    print(
        f"{args.url}: {args.requests} hits × {args.rounds} rounds, µs per hit: "
        f"best {rounds[0]:.0f}, median {rounds[len(rounds) // 2]:.0f}"
    )


if __name__ == "__main__":
    main()
