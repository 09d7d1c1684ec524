"""What benchmarks/load.py needs from the site, mounted only with SANJOSE_BENCHMARK=true.

The trivial view is the yardstick every page is divided by: the same middleware, no work.
The `X-Bench-Cache: off` header makes every server-side page cache miss for that request,
so the benchmark can time "the first rendering after a change" under load.
"""

from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_caches_off: ContextVar[bool] = ContextVar("sanjose_bench_caches_off", default=False)


def caches_off() -> bool:
    """True while a benchmark request asked for every page cache to miss."""
    return _caches_off.get()


class CacheBypassMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _caches_off.set(request.headers.get("X-Bench-Cache") == "off")
        try:
            return self.get_response(request)
        finally:
            _caches_off.reset(token)


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
