"""The HTTP API and the web page, one FastAPI app: ``create_app(settings, services)``.

Start-up (the lifespan) loads the catalogue, the embedding model and the index once, on a
background thread: ``/healthz`` answers at once, ``/readyz`` is 503 until loading finished,
and data endpoints wait for it. Every failure has one JSON shape (see api_errors).
"""
from __future__ import annotations

import json
import logging
import sys
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from assistant.api_errors import ApiError, error_body, install_error_handlers
from assistant.api_jobs import JobRunner
from assistant.api_middleware import RequestMiddleware
from assistant.api_models import ErrorOut, Health, Ready
from assistant.api_routes import WRITE_OPERATIONS, router
from assistant.api_security import KEY_HEADER, RateLimiter, check_write
from assistant.services import Services
from assistant.settings import Settings

log = logging.getLogger("cchc.api")
WEB_DIR = Path(__file__).resolve().parent / "web"
JSON_LIMIT = 1024 * 1024  # any non-upload body: questions are at most a few KB


def _configure_logging() -> None:
    # JSON lines on stderr unless the host application configured this logger already.
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def _warm_up(app: FastAPI) -> None:
    """Load everything a request needs, so the first question is not the slow one."""
    state = app.state
    try:
        state.services.catalogue.counts()
        answerer = state.services.answerer
        if hasattr(answerer, "warm_up"):  # the model, the index and the documents, once
            answerer.warm_up()
        state.answerer_loaded = True
        log.info(json.dumps({"event": "ready"}))
    except Exception as err:  # reported by /healthz and /readyz rather than killing the server
        state.startup_error = str(err)
        log.exception(json.dumps({"event": "startup_failed", "error": str(err)}, ensure_ascii=False))
    finally:
        state.ready.set()


@asynccontextmanager
async def lifespan(app: FastAPI):
    thread = threading.Thread(target=_warm_up, args=(app,), name="cchc-startup", daemon=True)
    thread.start()
    try:
        yield
    finally:
        app.state.jobs.shutdown()


def _early_reject(settings: Settings):
    """Refuse an unauthorised upload before its (possibly large) body is read."""
    def check(scope) -> ApiError | None:
        if scope["method"] == "POST" and scope["path"].rstrip("/") == "/v1/documents":
            from starlette.requests import Request as StarletteRequest
            try:
                check_write(StarletteRequest(scope), settings)
            except ApiError as err:
                return err
        return None
    return check


def create_app(settings: Settings, services: Services | None = None) -> FastAPI:
    _configure_logging()
    services = services or Services(settings)
    app = FastAPI(
        title="Trợ lý CCHC / cchc-assistant API", version="1.0.0", lifespan=lifespan,
        description=("Hỏi đáp về kế hoạch, quyết định, nghị định với trích dẫn nguồn. "
                     "Answers questions about government plans and decrees, with citations. "
                     f"Authentication: header `{KEY_HEADER}`. Errors: "
                     '`{"error": {"code": "...", "message": "<vi> / <en>"}}`.'),
        responses={500: {"model": ErrorOut}},
    )
    app.state.settings = settings
    app.state.services = services
    app.state.ready = threading.Event()
    app.state.ready_wait_s = 300.0
    app.state.startup_error = None
    app.state.answerer_loaded = False
    app.state.limiter = RateLimiter(settings.rate_limit_per_min)
    app.state.jobs = JobRunner(services, settings.uploads_dir)
    install_error_handlers(app)
    upload_limit = int(settings.max_upload_mb * settings.max_upload_files * 1024 * 1024) + JSON_LIMIT

    def body_limit_for(path: str) -> int:
        return upload_limit if path.rstrip("/") == "/v1/documents" else JSON_LIMIT

    app.add_middleware(RequestMiddleware, settings=settings, body_limit_for=body_limit_for,
                       early_reject=_early_reject(settings))
    app.include_router(router)
    _add_health(app)
    _add_web(app)
    _document_settings(app, settings)
    return app


def _document_settings(app: FastAPI, settings: Settings) -> None:
    """Make the schema say what the settings make the checks do: with open reading the key is
    optional for reading operations (an empty requirement ``{}`` means "no auth"), always
    required for writing; the question length and the number of files per upload are limited."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                if "security" in operation and settings.open_read and (method, path) not in WRITE_OPERATIONS:
                    operation["security"] = [{}, *operation["security"]]
        components = schema.get("components", {}).get("schemas", {})
        components["AskRequest"]["properties"]["question"]["maxLength"] = settings.max_question_chars
        for name, component in components.items():
            if name.startswith("Body_upload_documents"):
                component["properties"]["files"]["maxItems"] = settings.max_upload_files
        app.openapi_schema = schema
        return schema

    app.openapi = openapi


def _add_health(app: FastAPI) -> None:
    @app.get("/healthz", response_model=Health, tags=["health"], summary="Tình trạng / liveness and status")
    def healthz(request: Request):
        state = request.app.state
        ready = state.ready.is_set() and not state.startup_error
        try:
            counts = state.services.catalogue.counts() if state.ready.is_set() else {}
        except Exception as err:  # the catalogue itself may be what is broken
            counts, state.startup_error = {}, state.startup_error or str(err)
        embedder = state.services.__dict__.get("embedder")  # only if already built: never load here
        return {
            "status": "ok" if ready else ("error" if state.startup_error else "starting"),
            "ready": ready, "model": getattr(embedder, "name", None) or state.settings.embed_model,
            "answerer_loaded": state.answerer_loaded, "index": counts, "error": state.startup_error,
        }

    @app.get("/readyz", response_model=Ready, tags=["health"], summary="Sẵn sàng / readiness",
             responses={503: {"model": ErrorOut}})
    def readyz(request: Request):
        state = request.app.state
        if state.ready.is_set() and not state.startup_error:
            return {"ready": True}
        reason = state.startup_error or "đang nạp mô hình và chỉ mục / loading the model and the index"
        return JSONResponse(error_body("not_ready", f"chưa sẵn sàng: {reason} / not ready"), status_code=503)


def _add_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")
