"""bench/soak.py reads wrk's report right and keeps the rest of docs/benchmarks.md."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

WRK_OUTPUT = """\
Running 1m test @ http://127.0.0.1:52195/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   553.45ms  104.58ms    1.02s    84.20%
    Req/Sec    72.80     42.35   150.00     52.31%
  Latency Distribution
     50%  567.60ms
     75%  608.57ms{TRAILING}
     90%    1.01s{TRAILING}
     99%  900.00us
  6557 requests in 1.00m, 6.84MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:    109.12
Transfer/sec:    116.39KB
STATUS 200 6553
STATUS 502 4
""".replace("{TRAILING}", " ")  # wrk pads some lines with a space


@pytest.fixture(scope="module")
def soak():
    spec = importlib.util.spec_from_file_location("soak", ROOT / "bench" / "soak.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_wrk_figures_are_parsed(soak):
    figures = soak.parse_wrk(WRK_OUTPUT)
    assert figures["requests"] == 6557
    assert figures["requests_per_second"] == 109.12
    assert figures["latency_ms"] == {
        "50": 567.6,
        "75": 608.57,
        "90": 1010.0,
        "99": 0.9,
        "max": 1020.0,
    }
    assert figures["errors"] == {"connect": 0, "read": 2, "write": 0, "timeout": 3}
    assert figures["non_2xx_3xx"] == 4
    assert figures["statuses"] == {200: 6553, 502: 4}


def test_a_clean_run_has_no_error_lines(soak):
    clean = "\n".join(
        line
        for line in WRK_OUTPUT.splitlines()
        if not line.strip().startswith(("Socket errors", "Non-2xx", "STATUS 502"))
    )
    figures = soak.parse_wrk(clean)
    assert figures["errors"] == {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    assert figures["non_2xx_3xx"] == 0


def test_the_soak_section_is_replaced_and_the_rest_kept(soak, tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(
        "# Benchmarks\n\n## Search\n\nfast\n\n## Soak\n\nold figures\n\n## Import\n\nok\n"
    )
    soak.write_section(doc, "## Soak\n\nnew figures\n")
    assert doc.read_text() == (
        "# Benchmarks\n\n## Search\n\nfast\n\n## Soak\n\nnew figures\n\n## Import\n\nok\n"
    )
    doc.write_text("# Benchmarks\n\n## Search\n\nfast\n")
    soak.write_section(doc, "## Soak\n\nfigures\n")
    assert doc.read_text() == "# Benchmarks\n\n## Search\n\nfast\n\n## Soak\n\nfigures\n"
