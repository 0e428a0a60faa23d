# Sourced by the bench scripts: the benchmark's environment, production settings on
# PostgreSQL and Redis. Override with BENCH_DATABASE_URL, BENCH_CACHE_URL, BENCH_PORT.
export DJANGO_DEBUG=0
export DJANGO_HTTPS=0
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/jczx_bench}"
export CACHE_URL="${BENCH_CACHE_URL:-redis://127.0.0.1:6379/2}"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export STATIC_ROOT="$PWD/var/bench/static"
export MEDIA_ROOT="$PWD/var/bench/media"
export BENCH_PORT="${BENCH_PORT:-8790}"
export BENCH_OUT="${BENCH_OUT:-$PWD/bench/out/$(date +%Y%m%d-%H%M%S)}"
PY="$PWD/.venv/bin/python"
mkdir -p "$BENCH_OUT" "$STATIC_ROOT" "$MEDIA_ROOT"
