"""One error shape for every API and feed error; a friendly Danish page everywhere else.

JSON: ``{"error": {"status": 404, "code": "case_not_found", "message": "...",
"parameter": null, "details": []}}``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from app.errors import (
    CaseNotFoundError,
    IndexUnavailableError,
    InvalidQueryError,
    SearchOverloadedError,
)
from app.web.templating import templates

log = logging.getLogger("partnerskabsbasen.web")
JSON_PREFIXES = ("/api/", "/feed", "/healthz", "/widget")
ECHO_LIMIT = 80  # characters of a value the request sent that an error message repeats
ECHOED = re.compile(r"'([^']{" + str(ECHO_LIMIT + 1) + ",})'")
UNAVAILABLE = "Søgningen er midlertidigt utilgængelig. Prøv igen om lidt."


class ErrorBody(BaseModel):
    status: int = Field(description="HTTP-statuskoden igen / the HTTP status again")
    code: str = Field(description="Stabil maskinlæsbar kode, fx `invalid_parameter`")
    message: str = Field(description="Forklaring på dansk, der navngiver problemet")
    parameter: str | None = Field(None, description="Parameteren, det gælder, hvis nogen")
    details: list[dict[str, Any]] = Field(
        default_factory=list, description="Ved 422: hver ugyldig parameter med sin fejl"
    )


class ErrorResponse(BaseModel):
    error: ErrorBody = Field(description="Fejlen / the error")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": text}
    for code, text in (
        (400, "Ugyldig parameterværdi / invalid parameter value"),
        (404, "Findes ikke / not found"),
        (422, "Parameter af forkert type eller udenfor grænser / validation error"),
        (500, "Intern fejl / internal error"),
        (
            503,
            "Indekset er ikke tilgængeligt, eller søgningen har travlt (se `Retry-After`) "
            "/ index unavailable, or too busy: retry after the given seconds",
        ),
    )
}

# For routes whose success is not JSON (feeds, CSV): FastAPI would otherwise document their errors
# in the success media type, but errors are always this JSON shape.
JSON_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {
        "description": response["description"],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }
    for code, response in ERROR_RESPONSES.items()
}

TITLES = {
    400: "Søgningen kan ikke udføres",
    404: "Siden findes ikke",
    405: "Metoden er ikke tilladt",
    422: "Ugyldig adresse",
    500: "Der skete en fejl",
    503: "Søgningen er midlertidigt utilgængelig",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(JSON_PREFIXES) or request.url.path.endswith(".csv")


def shorten_echoes(message: str) -> str:
    """Values a message quotes back ('…') cut to ``ECHO_LIMIT`` characters."""
    return ECHOED.sub(lambda m: f"'{m.group(1)[: ECHO_LIMIT - 1]}…'", message)


def error_response(request: Request, body: ErrorBody) -> Response:
    body = body.model_copy(update={"message": shorten_echoes(body.message)})
    if _wants_json(request):
        return JSONResponse(ErrorResponse(error=body).model_dump(), status_code=body.status)
    html = templates.get_template("error.html").render(
        request=request, title=TITLES.get(body.status, "Fejl"), error=body
    )
    return HTMLResponse(html, status_code=body.status)


def _validation_details(
    exc: RequestValidationError,
) -> tuple[str | None, str, list[dict[str, Any]]]:
    details = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ()) if part != "query"]
        details.append({"parameter": ".".join(loc), "message": str(error.get("msg", ""))})
    first = details[0] if details else {"parameter": None, "message": "ugyldig forespørgsel"}
    message = f"Parameteren '{first['parameter']}' er ugyldig: {first['message']}."
    return first["parameter"], message, details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(InvalidQueryError)
    async def invalid_query(request: Request, exc: InvalidQueryError) -> Response:
        return error_response(
            request,
            ErrorBody(
                status=400, code="invalid_parameter", message=str(exc), parameter=exc.parameter
            ),
        )

    @app.exception_handler(CaseNotFoundError)
    async def case_not_found(request: Request, exc: CaseNotFoundError) -> Response:
        return error_response(
            request,
            ErrorBody(status=404, code=getattr(exc, "code", "case_not_found"), message=str(exc)),
        )

    @app.exception_handler(IndexUnavailableError)
    async def index_unavailable(request: Request, exc: IndexUnavailableError) -> Response:
        log.error("index unavailable on %s: %s", request.url.path, exc)  # paths stay in the log
        return error_response(
            request, ErrorBody(status=503, code="index_unavailable", message=UNAVAILABLE)
        )

    @app.exception_handler(SearchOverloadedError)
    async def overloaded(request: Request, exc: SearchOverloadedError) -> Response:
        response = error_response(request, ErrorBody(status=503, code="busy", message=str(exc)))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> Response:
        parameter, message, details = _validation_details(exc)
        return error_response(
            request,
            ErrorBody(
                status=422,
                code="validation_error",
                message=message,
                parameter=parameter,
                details=details,
            ),
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = "Adressen findes ikke." if exc.status_code == 404 else str(exc.detail)
        response = error_response(
            request, ErrorBody(status=exc.status_code, code=code, message=message)
        )
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(
            request,
            ErrorBody(
                status=500,
                code="internal_error",
                message="Der skete en intern fejl. Prøv igen senere.",
            ),
        )
