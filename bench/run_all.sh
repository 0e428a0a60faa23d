#!/usr/bin/env bash
# The whole benchmark, one command (docs/benchmarks.md):
#
#   bench/run_all.sh                 # build the archive (200 issues), measure, write the report
#   BENCH_REUSE=1 bench/run_all.sh   # keep an archive already built by an earlier run
#
# 1. archive: a fresh jczx_bench database, migrated, the standing columns, and
#    `generate_corpus --issues $BENCH_ISSUES` (25 articles and 100 工作动态 items each);
# 2. import: the 2020-4 file, then 100 generated issues exported as JSON and imported
#    again with `import_issue <folder>`;
# 3. search: in-process latency of the search page's queries beside an icontains scan;
# 4. HTTP: gunicorn (2 workers) after collectstatic, wrk on a static file (the ceiling)
#    and on the pages, with the page cache on (Redis) and off;
# 5. HTTP with one edit per second: cached pages of other issues while a writer saves an
#    article a second (bench/edit_bench.py), beside BENCH_BASELINE_TREE's code if given;
# 6. the results table into docs/benchmarks.md, the raw output under bench/out/<time>/.
#
# Needs PostgreSQL and Redis on 127.0.0.1 and wrk. Takes about 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/env.sh
ISSUES="${BENCH_ISSUES:-200}"
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q)
DB_NAME="${DATABASE_URL##*/}"
echo "== results in $BENCH_OUT"

{
  echo "date: $(date -Iseconds)"
  echo "commit: $(git rev-parse --short HEAD) ($(git log -1 --format=%s | cut -c1-70))"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n1)"
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "python: $("$PY" --version 2>&1), $("$PY" -c 'import django; print("Django", django.get_version())')"
  echo "postgresql: $("${PSQL[@]}" -tAc 'SHOW server_version')"
  echo "redis: $(redis-cli -h 127.0.0.1 INFO server | sed -n 's/^redis_version://p' | tr -d '\r')"
  echo "wrk: $(wrk --version 2>&1 | head -n1 | cut -c1-40)"
  echo "free -h:"
  free -h
} | tee "$BENCH_OUT/machine.txt"

existing=0
if [ "${BENCH_REUSE:-0}" = 1 ]; then
  existing=$("$PY" manage.py shell -v0 -c "from issues.models import Issue; print(Issue.objects.count())" 2>/dev/null || echo 0)
fi
if [ "$existing" -lt "$ISSUES" ]; then
  echo "== archive: $ISSUES generated issues in a fresh $DB_NAME"
  echo "$ISSUES" > "$BENCH_OUT/generated_issues.txt"  # what the report names
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB_NAME" -c "CREATE DATABASE $DB_NAME"
  "$PY" manage.py migrate --noinput -v0
  "$PY" manage.py loaddata fixtures/columns.json -v0
  /usr/bin/time -f "%e s wall, %U s user" -o "$BENCH_OUT/generate_time.txt" \
    "$PY" manage.py generate_corpus --issues "$ISSUES" | tee "$BENCH_OUT/generate.txt"
  cat "$BENCH_OUT/generate_time.txt"
else
  echo "== archive: reusing $existing issues in $DB_NAME"
  echo "reused ($existing issues)" > "$BENCH_OUT/generate.txt"
fi
"${PSQL[@]}" -d "$DB_NAME" -c "VACUUM ANALYZE"
"$PY" manage.py shell -v0 -c "
from articles.models import Article, NewsItem
from issues.models import Issue
from members.models import Person
print(f'archive: {Issue.objects.count()} issues, {Article.objects.count()} articles, '
      f'{NewsItem.objects.count()} news items, {Person.objects.count()} people')
" | tee "$BENCH_OUT/archive.txt"
"${PSQL[@]}" -d "$DB_NAME" -tAc "SELECT 'search index: vector ' || round(avg(pg_column_size(search_vector)) / 1024.0, 1) || ' KiB stored per article on average, headline ' || round(avg(pg_column_size(search_headline))) || ' B, GIN index ' || pg_size_pretty(pg_relation_size('article_search_vector_gin')) || ', table with TOAST ' || pg_size_pretty(pg_total_relation_size('articles_article')) FROM articles_article" | tee "$BENCH_OUT/index.txt"

"$PY" manage.py collectstatic --noinput -v0

echo "== import"
"$PY" bench/import_bench.py --out "$BENCH_OUT"

echo "== search"
"$PY" bench/search_bench.py --out "$BENCH_OUT"

echo "== HTTP"
"$PY" bench/http_bench.py --out "$BENCH_OUT"

echo "== HTTP, one edit per second (BENCH_BASELINE_TREE: the code before, for comparison)"
"$PY" bench/edit_bench.py --out "$BENCH_OUT" ${BENCH_BASELINE_TREE:+--baseline-tree "$BENCH_BASELINE_TREE"}

echo "== report"
"$PY" bench/report.py "$BENCH_OUT" --write docs/benchmarks.md
