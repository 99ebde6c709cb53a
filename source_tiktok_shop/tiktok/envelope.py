"""TikTok's answer envelope `{code, message, request_id, data}` and the pages of list endpoints (reference §3)."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

Record = Mapping[str, Any]


@dataclass(frozen=True)
class Envelope:
    """The parsed body of one TikTok answer."""

    code: int | None
    message: str
    request_id: str
    data: Any

    def describe(self) -> str:
        return f"code {self.code}: {self.message} (request_id {self.request_id or 'unknown'})"


def loads(content: bytes) -> Any:
    """A body as JSON: by orjson, several times faster on a page of records; by the standard parser where orjson
    refuses the body (NaN, a body not in UTF-8), which reads it as any JSON client would. An integer past 64 bits
    (TikTok sends none: its ids are strings) would be read as a float; the CDK's orjson could not write it anyway."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content)


NOT_JSON = Envelope(code=None, message="the response body is not a TikTok JSON envelope", request_id="", data=None)


def parse_envelope(content: bytes) -> Envelope:
    try:
        body = loads(content)
    except ValueError:
        return NOT_JSON
    if (
        isinstance(body, Mapping)
        and isinstance(body.get("code"), int)
        and isinstance(body.get("data"), (Mapping, type(None)))
    ):
        return Envelope(
            code=body["code"],
            message=str(body.get("message") or ""),
            request_id=str(body.get("request_id") or ""),
            data=body.get("data"),
        )
    return NOT_JSON


def dotted(data: Any, path: str) -> Any:
    """`data`'s value at a dotted path (`data.access_token`), or None where the path leads nowhere."""
    for key in path.split("."):
        data = data.get(key) if isinstance(data, Mapping) else None
    return data


def records_in(body: Envelope, records_key: str | None) -> list[Record]:
    """The records of a successful answer: `data[records_key]` (a dotted path, like `performance.intervals`), or
    `data` itself for single-record endpoints."""
    records = dotted(body.data or {}, records_key) if records_key else body.data or {}
    if records is None:
        return []
    if isinstance(records, Mapping):
        return [records]
    if isinstance(records, list) and all(isinstance(record, Mapping) for record in records):
        return records
    raise AirbyteTracedException(
        message=f"TikTok answered with `{records_key}` of an unexpected shape (request_id {body.request_id or 'unknown'}).",
        failure_type=FailureType.system_error,
    )


@dataclass(frozen=True)
class Page:
    """One page of a query: its records, the page-level fields beside them, and the body as received."""

    raw: bytes
    body: Envelope
    records: list[Record]

    @classmethod
    def parse(cls, raw: bytes, records_key: str | None, body: Envelope | None = None) -> "Page":
        body = body or parse_envelope(raw)
        return cls(raw, body, records_in(body, records_key))

    @property
    def data(self) -> Mapping[str, Any]:
        return self.body.data or {}

    @property
    def total_count(self) -> int | None:
        total = self.data.get("total_count")
        return total if isinstance(total, int) else None

    @property
    def next_page_token(self) -> str | None:
        return self.data.get("next_page_token") or None

    @property
    def latest_available_date(self) -> str | None:
        """The last day (`YYYY-MM-DD`) the analytics endpoints have data for."""
        latest = self.data.get("latest_available_date")
        return latest if isinstance(latest, str) else None
