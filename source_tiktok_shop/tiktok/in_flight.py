"""The bound on the requests in flight: the spec's `num_workers`, whichever thread sends them."""

import threading
from typing import Any

import requests
from airbyte_cdk.sources.streams.call_rate import APIBudget, LimiterMixin
from requests.adapters import HTTPAdapter


class InFlightSession(requests.Session):
    """Sends at most `most` requests at once (a request holds its slot until its answer is read), over a pool of as
    many kept-alive connections per host."""

    def __init__(self, most: int):
        super().__init__()
        self.most = max(1, most)
        self._slots = threading.BoundedSemaphore(self.most)
        for scheme in ("https://", "http://"):
            self.mount(scheme, HTTPAdapter(pool_connections=self.most, pool_maxsize=self.most))

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        with self._slots:
            return super().send(request, **kwargs)


class BoundedSession(LimiterMixin, InFlightSession):
    """The CDK's rate-limited session (the budget's wait comes first, holding no slot) over `InFlightSession`: what
    the CDK's `HttpClient` builds itself from a budget, bounded."""

    def __init__(self, api_budget: APIBudget, most: int):
        super().__init__(api_budget=api_budget, most=most)
