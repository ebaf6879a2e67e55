"""The shared cache's backend (tracker.cache_backend): the one client it
keeps per pool answers like Django's own, in threads and after a fork,
and CACHE_URL=redis://... selects it."""

import os
import subprocess
import sys
import threading

from django.core.cache import cache

from config.settings import base

TRACKER_REDIS_CACHE = "tracker.cache_backend.TrackerRedisCache"


def test_a_redis_url_selects_the_tracker_backend_and_nothing_else_changes(
    monkeypatch,
):
    monkeypatch.setenv("CACHE_URL", "redis://cache.example.org:6379/1")
    assert base.cache_from_env() == {
        "BACKEND": TRACKER_REDIS_CACHE,
        "LOCATION": "redis://cache.example.org:6379/1",
    }
    monkeypatch.setenv("CACHE_URL", "locmemcache://tracker")
    assert base.cache_from_env()["BACKEND"] == (
        "django.core.cache.backends.locmem.LocMemCache"
    )


def test_the_settings_read_from_the_environment_use_it():
    env = {**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/4"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == TRACKER_REDIS_CACHE


def test_one_client_serves_every_call(shared_cache):
    backend = cache._cache
    first = backend.get_client("a")
    assert backend.get_client("b", write=True) is first
    cache.set("k", {"v": 1}, 30)
    assert cache.get("k") == {"v": 1}
    assert cache.get_many(["k", "missing"]) == {"k": {"v": 1}}
    assert cache.incr(cache.add("n", 1) and "n") == 2
    assert backend.get_client() is first


def test_each_thread_keeps_one_client_and_sees_its_own_values(shared_cache):
    # Django gives each thread its own cache object (django.core.cache's
    # handler is thread-local), so each keeps a client of its own.
    reused, errors = [], []

    def work(n):
        try:
            first = cache._cache.get_client()
            for i in range(50):
                cache.set(f"t{n}", i, 30)
                assert cache.get(f"t{n}") == i
            reused.append(cache._cache.get_client() is first)
        except Exception as exc:  # reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert reused == [True] * 8


def test_a_forked_process_reads_and_writes_through_the_inherited_client(
    shared_cache,
):
    # gunicorn and Celery fork after the parent has used the cache: the
    # child must not share the parent's socket.
    cache.set("before-fork", "parent", 30)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        try:
            ok = cache.get("before-fork") == "parent"
            cache.set("from-child", "child", 30)
            os.write(write, b"ok" if ok else b"bad")
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    assert os.read(read, 10) == b"ok"
    assert status == 0
    assert cache.get("from-child") == "child"
    assert cache.get("before-fork") == "parent"
