"""An in-process stand-in for requests.Session, given to the real razorpay client: calls go to the
simulator engine in this process instead of over HTTP, so a single web worker can never wait on
itself, and the client code path (auth, JSON, error mapping, timeouts) is the production one."""

import json
from urllib.parse import urlsplit

import requests

from . import engine


class SimulatorSession:
    def _call(self, method, url, *, auth=None, headers=None, data=None, params=None, timeout=None, **kwargs):
        path = urlsplit(url).path
        body = json.loads(data) if isinstance(data, str) and data else (data or params or {})
        result = engine.handle(method, path, auth=auth, headers=dict(headers or {}), body=body)
        response = requests.Response()
        response.status_code = result.status
        response._content = json.dumps(result.body).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = url
        return response

    def get(self, url, **kwargs):
        return self._call("get", url, **kwargs)

    def post(self, url, **kwargs):
        return self._call("post", url, **kwargs)

    def patch(self, url, **kwargs):
        return self._call("patch", url, **kwargs)

    def put(self, url, **kwargs):
        return self._call("put", url, **kwargs)

    def delete(self, url, **kwargs):
        return self._call("delete", url, **kwargs)
