#!/usr/bin/env bash
# Cold pages (page cache off) before and after a change, side by side:
#
#   git worktree add ../cold-base <base commit> && ln -s "$PWD/.venv" ../cold-base/.venv
#   BENCH_BASE=../cold-base bench/cold_bench.sh
#
# gunicorn (2 workers) serves the base checkout, then this one, in turns
# (before, after, before, after: BENCH_PASSES, 2), page cache off, against the same archive (the one
# bench/run_all.sh built: BENCH_DATABASE_URL); wrk -t2 -c16 on the static file and the
# pages of bench/http_bench.py in each round. The load average is recorded around
# every round: the machine may be shared. The tables go into docs/benchmarks.md
# (between the cold markers), the raw output under bench/out/<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BENCH_BASE:?set BENCH_BASE to a checkout of the base commit}"
BENCH_BASE="$(cd "$BENCH_BASE" && pwd)"
source bench/env.sh
export BENCH_DURATION="${BENCH_DURATION:-15}"  # the cold round runs 2/3 of it per page
echo "== results in $BENCH_OUT"
{
  echo "date: $(date -Iseconds)"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n1)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "python: $("$PY" --version 2>&1), $("$PY" -c 'import django; print("Django", django.get_version())')"
  echo "postgresql: $(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version')"
} | tee "$BENCH_OUT/machine.txt"
"$PY" manage.py migrate --noinput -v0  # this checkout's columns; the base ignores them
"$PY" manage.py shell -v0 -c "
from articles.models import Article, NewsItem
from issues.models import Issue
print(f'archive: {Issue.objects.count()} issues, {Article.objects.count()} articles, '
      f'{NewsItem.objects.count()} news items')" | tee "$BENCH_OUT/archive.txt"
psql -h 127.0.0.1 -U postgres -q -d "${DATABASE_URL##*/}" -c "VACUUM ANALYZE"
"$PY" manage.py collectstatic --noinput -v0
for pass in $(seq "${BENCH_PASSES:-2}"); do
  echo "== pass $pass: before ($BENCH_BASE)"
  "$PY" bench/http_bench.py --out "$BENCH_OUT" --rounds uncached --tree "$BENCH_BASE" --name "cold-before-$pass"
  echo "== pass $pass: after (this checkout)"
  "$PY" bench/http_bench.py --out "$BENCH_OUT" --rounds uncached --name "cold-after-$pass"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$BENCH_OUT/machine.txt"
"$PY" bench/report.py "$BENCH_OUT" --cold --write docs/benchmarks.md
