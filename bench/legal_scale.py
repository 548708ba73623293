"""Scale check for legal texts (issue #7): synthetic Nghị định/Thông tư, ingest, ask, report.

    .venv/bin/python bench/legal_scale.py --articles 400 --embedder fake|real --questions 50

The generator is deterministic (seeded) and pure: ``generate_corpus`` returns the texts and
what each one contains, so the parsed catalogue and the answers can be checked against it.
With ``--embedder real`` the index lives in a temp data dir whose ``models`` folder links to
the main data dir's (``CCHC_DATA_DIR`` or ``data``), where ``cchc model build`` put the model.
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

if __name__ == "__main__":  # run as a script: the repo root, not bench/, holds the packages
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.agencies import AliasTable, load_aliases  # noqa: E402

PROCEDURES = (
    "cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa", "đăng ký thành lập hộ kinh doanh",
    "cấp Giấy chứng nhận đủ điều kiện về an ninh, trật tự", "cấp Phiếu lý lịch tư pháp",
    "đăng ký khai sinh trên môi trường điện tử", "cấp giấy phép xây dựng nhà ở riêng lẻ",
    "đổi Giấy phép lái xe", "đăng ký biến động đất đai", "cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
    "cấp Giấy phép kinh doanh dịch vụ karaoke", "đăng ký thường trú", "giải quyết hưởng trợ cấp thất nghiệp",
    "công nhận trường mầm non đạt chuẩn quốc gia", "cấp giấy phép hoạt động ngoại hối",
)
GENERIC_TITLES = (
    "Hồ sơ đề nghị {p}", "Tiếp nhận hồ sơ {p}", "Trình tự giải quyết thủ tục {p}",
    "Trả kết quả giải quyết thủ tục {p}", "Kiểm tra, xác minh hồ sơ {p}", "Lưu trữ, chia sẻ dữ liệu về {p}",
)
ACTIONS = (
    "xây dựng quy trình nội bộ", "hướng dẫn nghiệp vụ", "kết nối, chia sẻ dữ liệu", "kiểm tra việc thực hiện",
    "tổng hợp vướng mắc", "đào tạo, bồi dưỡng cán bộ",
)
DELIVERIES = (
    "trả lời bằng văn bản cho cơ quan đề nghị", "cập nhật trạng thái hồ sơ lên Cổng Dịch vụ công quốc gia",
    "gửi ý kiến thẩm định", "công bố thủ tục hành chính được sửa đổi", "ban hành văn bản hướng dẫn",
    "gửi báo cáo kết quả thực hiện", "cung cấp thông tin cho cơ quan chủ trì",
)
DAYS = ("03", "05", "07", "10", "15", "20", "30")
CHAPTER_TOPICS = (
    "HỒ SƠ, TRÌNH TỰ TIẾP NHẬN VÀ GIẢI QUYẾT", "KẾT NỐI, CHIA SẺ DỮ LIỆU", "KIỂM TRA, GIÁM SÁT",
    "TRẢ KẾT QUẢ VÀ LƯU TRỮ HỒ SƠ", "BẢO ĐẢM ĐIỀU KIỆN THỰC HIỆN",
)
SIGNERS = ("Phạm Thị Thanh Trà", "Nguyễn Hòa Bình", "Hồ Đức Phớc", "Trần Hồng Hà", "Lê Thành Long")
ARTICLES_PER_DOC = 100
CHAPTER_SIZE = 20


@dataclass(frozen=True)
class GenArticle:
    number: int
    title: str
    lead: str | None = None  # duty articles: the ministry the article is about
    partner: str | None = None  # "chủ trì, phối hợp với <partner>"
    delivery: str | None = None  # what must be done "trong thời hạn <days> ngày làm việc"
    days: str | None = None

    @property
    def is_duty(self) -> bool:
        return self.lead is not None


@dataclass(frozen=True)
class GenDoc:
    file_name: str
    kind: str  # "Nghị định" | "Thông tư"
    number: str  # "12/2026/NĐ-CP"
    text: str
    articles: tuple[GenArticle, ...]


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # "duty" ("… có trách nhiệm gì?") | "deadline" ("thời hạn … là bao lâu?")
    file_name: str
    article: int  # the "Điều N" the first citation should land in
    expect: str  # a phrase a right answer states: the partner agency, or "05 ngày làm việc"


def current_ministries(table: AliasTable) -> tuple[tuple[str, str], ...]:
    """(name, abbreviation) of ministries that still exist (no successor) in the alias table."""
    out = []
    for agency in table.agencies:
        if agency.kind == "ministry" and agency.successor is None and agency.name.startswith("Bộ "):
            code = next((a for a in agency.aliases if " " not in a), "B")
            out.append((agency.name, code))
    return tuple(out)


def roman(n: int) -> str:
    pairs = ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in pairs:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _plan_articles(rng: random.Random, count: int, ministries: tuple[str, ...]) -> list[list[GenArticle]]:
    """Chapters of articles: general, procedural chunks, duties, final provisions (numbered on)."""
    n_duty = min(len(ministries), max(1, count // 4))
    n_generic = count - 4 - n_duty
    leads = rng.sample(ministries, n_duty)
    procs = rng.sample(PROCEDURES, len(PROCEDURES))
    chapters, num = [[GenArticle(1, "Phạm vi điều chỉnh"), GenArticle(2, "Đối tượng áp dụng")]], 3
    for start in range(0, n_generic, CHAPTER_SIZE):
        size = min(CHAPTER_SIZE, n_generic - start)
        titles = [GENERIC_TITLES[(start + i) % len(GENERIC_TITLES)].format(p=procs[(start + i) // 6 % len(procs)])
                  for i in range(size)]
        chapters.append([GenArticle(num + i, t) for i, t in enumerate(titles)])
        num += size
    duties = []
    for i, lead in enumerate(leads):
        partner = rng.choice([m for m in ministries if m != lead])
        delivery = f"{DELIVERIES[i % len(DELIVERIES)]} về {procs[i % len(procs)]}"
        duties.append(GenArticle(num + i, f"Trách nhiệm của {lead}", lead, partner, delivery, rng.choice(DAYS)))
    chapters.append(duties)
    num += n_duty
    chapters.append([GenArticle(num, "Hiệu lực thi hành"), GenArticle(num + 1, "Trách nhiệm thi hành")])
    return chapters


def _duty_body(rng: random.Random, a: GenArticle) -> list[str]:
    third = rng.choice(PROCEDURES)
    return [
        f"1. Chủ trì, phối hợp với {a.partner} {rng.choice(ACTIONS)} đối với thủ tục {third}; "
        f"trong thời hạn {a.days} ngày làm việc kể từ ngày nhận được văn bản đề nghị, {a.delivery}.",
        "2. Phối hợp với Văn phòng Chính phủ thực hiện các nhiệm vụ sau:",
        f"a) {rng.choice(ACTIONS).capitalize()} trong phạm vi quản lý;",
        "b) Bảo đảm hạ tầng kỹ thuật, an toàn thông tin khi kết nối với Cổng Dịch vụ công quốc gia.",
        "3. Định kỳ hằng năm, tổng hợp kết quả thực hiện, báo cáo Thủ tướng Chính phủ trước ngày 15 tháng 12.",
    ]


def _generic_body(rng: random.Random, a: GenArticle, kind: str) -> list[str]:
    ref = max(1, a.number - rng.randint(1, 3))
    lines = [
        f"1. Cơ quan tiếp nhận kiểm tra tính đầy đủ của hồ sơ theo quy định tại Điều {ref} {kind} này.",
        f"2. Trong thời hạn {rng.choice(DAYS)} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ, cơ quan có "
        "thẩm quyền giải quyết và trả kết quả cho tổ chức, cá nhân.",
    ]
    if rng.random() < 0.5:
        lines += ["3. Hồ sơ gồm:", "a) Tờ khai điện tử theo mẫu;", "b) Bản sao giấy tờ chứng minh nhân thân;",
                  "c) Văn bản ủy quyền trong trường hợp thực hiện thông qua người được ủy quyền."]
    return lines


def _article_block(rng: random.Random, a: GenArticle, kind: str, bold: bool) -> list[str]:
    if a.number == 1:
        body = [f"{kind} này quy định trình tự, thủ tục và trách nhiệm của các cơ quan trong thực hiện "
                "thủ tục hành chính trên môi trường điện tử."]
    elif a.title == "Hiệu lực thi hành":
        body = [f"{kind} này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2026."]
    elif a.title == "Trách nhiệm thi hành":
        body = [f"Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố "
                f"trực thuộc trung ương chịu trách nhiệm thi hành {kind} này."]
    elif a.number == 2:
        body = ["Cơ quan, tổ chức, cá nhân có liên quan đến việc thực hiện thủ tục hành chính."]
    else:
        body = _duty_body(rng, a) if a.is_duty else _generic_body(rng, a, kind)
    head = f"**Điều {a.number}.\n{a.title}**" if bold else f"Điều {a.number}. {a.title}"
    return [head] + body


def _header(kind: str, number: str, issuer: str, day: int, month: int, topic: str) -> list[str]:
    issued_by = "Chính phủ ban hành Nghị định" if kind == "Nghị định" else f"Bộ trưởng {issuer} ban hành Thông tư"
    return [
        issuer.upper() if kind == "Thông tư" else "CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", f"Số: {number}", f"Hà Nội, ngày {day:02d} tháng {month:02d} năm 2026",
        kind.upper(), f"QUY ĐỊNH THỰC HIỆN THỦ TỤC HÀNH CHÍNH {topic.upper()} TRÊN MÔI TRƯỜNG ĐIỆN TỬ",
        "Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;", "Căn cứ Luật Giao dịch điện tử số 20/2023/QH15;",
        f"{issued_by} quy định thực hiện thủ tục hành chính {topic} trên môi trường điện tử.",
    ]


def _signature(kind: str, signer: str) -> list[str]:
    role = ["TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"] if kind == "Nghị định" else ["BỘ TRƯỞNG"]
    return ["Nơi nhận:", "- Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ;",
            "- HĐND, UBND các tỉnh, thành phố trực thuộc trung ương;", "- Lưu: VT, KSTT."] + role + [signer]


def _wrap(paragraph: str, width: int) -> str:
    # A wrap must not put "Điều 12." or "3." first on a line: only the parser's real headings do.
    lines = textwrap.wrap(paragraph, width, break_on_hyphens=False)
    return "\n".join(lines) if lines and not any(re.match(r"(\d+\.|[a-zđ]\))", line) for line in lines[1:]) else paragraph


def generate_document(rng: random.Random, index: int, count: int, ministries: tuple[tuple[str, str], ...]) -> GenDoc:
    """One Nghị định (even index) or Thông tư (odd) with ``count`` articles in Chương I…"""
    names = tuple(name for name, _ in ministries)
    kind = "Nghị định" if index % 2 == 0 else "Thông tư"
    issuer, code = ministries[index % len(ministries)]
    number = f"{10 + 7 * index}/2026/" + ("NĐ-CP" if kind == "Nghị định" else f"TT-{code}")
    bold = index % 2 == 1  # half the documents in the corpus's markdown style, wrapped lines
    topic = PROCEDURES[index % len(PROCEDURES)]
    paragraphs = _header(kind, number, issuer, 1 + index % 27, 1 + index % 12, topic)
    chapters = _plan_articles(rng, count, names)
    titles = ["QUY ĐỊNH CHUNG"] + [CHAPTER_TOPICS[i % len(CHAPTER_TOPICS)] for i in range(len(chapters) - 3)]
    titles += ["TRÁCH NHIỆM CỦA CÁC CƠ QUAN", "ĐIỀU KHOẢN THI HÀNH"]
    for c, (chapter, title) in enumerate(zip(chapters, titles), start=1):
        paragraphs += [f"**Chương\n{roman(c)}**", f"**{title}**"] if bold else [f"Chương {roman(c)}", title]
        for article in chapter:
            paragraphs += _article_block(rng, article, kind, bold)
    paragraphs += _signature(kind, SIGNERS[index % len(SIGNERS)])
    if bold:
        paragraphs = [p if p.startswith("**") else _wrap(p, 78) for p in paragraphs]
    stem = ("nd" if kind == "Nghị định" else "tt") + f"-{number.split('/')[0]}-2026"
    articles = tuple(a for chapter in chapters for a in chapter)
    return GenDoc(stem + (".md" if bold else ".txt"), kind, number, "\n\n".join(paragraphs) + "\n", articles)


def generate_corpus(articles: int = 400, seed: int = 2026, table: AliasTable | None = None) -> tuple[GenDoc, ...]:
    """Documents holding ``articles`` articles in all (at least 8 per document)."""
    ministries = current_ministries(table or load_aliases())
    n_docs = max(1, min(articles // 8, max(2, round(articles / ARTICLES_PER_DOC))))
    sizes = [articles // n_docs + (1 if i < articles % n_docs else 0) for i in range(n_docs)]
    rng = random.Random(seed)
    return tuple(generate_document(rng, i, size, ministries) for i, size in enumerate(sizes))


def generate_questions(docs: tuple[GenDoc, ...], count: int, seed: int = 2026) -> tuple[Question, ...]:
    """Alternating "có trách nhiệm gì?" and "thời hạn … là bao lâu?" about duty articles."""
    duties = [(d, a) for d in docs for a in d.articles if a.is_duty]
    if not duties:
        return ()
    rng = random.Random(seed + 1)
    picks = rng.sample(duties, min(count, len(duties)))
    picks += [rng.choice(duties) for _ in range(count - len(picks))]
    out = []
    for i, (doc, a) in enumerate(picks):
        ref = f"Theo {doc.kind} {doc.number}"
        if i % 2 == 0:
            out.append(Question(f"{ref}, {a.lead} có trách nhiệm gì?", "duty", doc.file_name, a.number,
                                f"phối hợp với {a.partner}"))
        else:
            out.append(Question(f"{ref}, thời hạn để {a.lead} {a.delivery} là bao lâu?", "deadline",
                                doc.file_name, a.number, f"{a.days} ngày làm việc"))
    return tuple(out)


def write_corpus(docs: tuple[GenDoc, ...], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in docs:
        path = folder / doc.file_name
        path.write_text(doc.text, encoding="utf-8")
        paths.append(path)
    return paths


# --- running it -------------------------------------------------------------------------

def make_settings(data_dir: Path, embedder: str):
    """Settings over a temp data dir; the real model is read from the main data dir's models/."""
    from assistant.services import resolve_model
    from assistant.settings import Settings

    if embedder == "fake":
        return Settings(data_dir=data_dir, embedder="fake")
    main = Settings()
    resolve_model(main)  # "cchc model build" error naming the main data dir, before any work
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "models").symlink_to(main.models_dir.resolve(), target_is_directory=True)
    return Settings(data_dir=data_dir, embedder="sentence-transformers")


def parsed_articles(services, docs: tuple[GenDoc, ...]) -> dict[str, dict[str, str]]:
    """file name -> {article number: parsed title} from the catalogue."""
    from index.catalogue import document_id

    return {d.file_name: {r["number"]: r["title"] for r in services.catalogue.articles(document_id(d.file_name))}
            for d in docs}


def article_report(docs: tuple[GenDoc, ...], parsed: dict[str, dict[str, str]]) -> list[str]:
    generated = sum(len(d.articles) for d in docs)
    found = sum(len(v) for v in parsed.values())
    duties = [(d.file_name, a) for d in docs for a in d.articles if a.is_duty]
    titled = sum(1 for f, a in duties if parsed[f].get(str(a.number)) == a.title)
    lines = [f"articles: generated {generated}, parsed {found} (catalogue)",
             f"duty articles (Trách nhiệm của …): generated {len(duties)}, found with their title {titled}"]
    for d in docs:
        wrong = [a.number for a in d.articles if parsed[d.file_name].get(str(a.number)) != a.title]
        extra = sorted(set(parsed[d.file_name]) - {str(a.number) for a in d.articles})
        if wrong or extra:
            lines.append(f"  {d.file_name}: missing/mistitled Điều {wrong[:10]}, unexpected {extra[:10]}")
    return lines


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


def on_target(q: Question, answer) -> bool:
    first = answer.citations[0] if answer.citations else None
    return bool(first and first.source == q.file_name
                and re.search(rf"\bĐiều {q.article}(?!\d)", first.section or ""))


def ask_report(services, questions: tuple[Question, ...]) -> list[str]:
    latencies, answered, cited = [], 0, 0
    stated = {"duty": [0, 0], "deadline": [0, 0]}  # kind -> [answers stating the expected phrase, asked]
    for q in questions:
        started = time.perf_counter()
        ans = services.answerer.answer(q.text)
        latencies.append((time.perf_counter() - started) * 1000)
        answered += ans.status == "answered"
        cited += on_target(q, ans)
        stated[q.kind][0] += q.expect.lower() in " ".join(ans.answer.split()).lower()
        stated[q.kind][1] += 1
    n = max(1, len(questions))
    return [f"questions: {len(questions)}, answered {answered}, first citation in expected article "
            f"{cited}/{len(questions)} ({100 * cited / n:.0f}%)",
            f"answer states it: duty (partner agency) {stated['duty'][0]}/{stated['duty'][1]}, "
            f"deadline (N ngày làm việc) {stated['deadline'][0]}/{stated['deadline'][1]}",
            f"latency: p50 {statistics.median(latencies or [0]):.0f} ms, p95 {percentile(latencies, .95):.0f} ms"]


def run(articles: int, embedder: str, n_questions: int, seed: int, work: Path) -> list[str]:
    from assistant.services import Services

    docs = generate_corpus(articles, seed)
    paths = write_corpus(docs, work / "corpus")
    services = Services(make_settings(work / "data", embedder))
    started = time.perf_counter()
    report = services.ingestor.ingest_paths(paths)
    seconds = time.perf_counter() - started
    lines = [f"legal scale check: embedder={embedder}, seed={seed}",
             f"documents: {len(docs)} generated, {report.count('added')} ingested, {len(report.errors)} errors",
             f"ingest: {seconds:.1f} s ({1000 * seconds / max(1, articles):.1f} ms/article)"]
    lines += [f"  error: {r.error}" for r in report.errors]
    lines += article_report(docs, parsed_articles(services, docs))
    lines += ask_report(services, generate_questions(docs, n_questions, seed))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Scale check over synthetic legal texts (issue #7).")
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--embedder", choices=("fake", "real"), default="fake")
    ap.add_argument("--questions", type=int, default=50)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args(argv)
    if args.articles < 8:
        ap.error("--articles must be at least 8")
    from ingest.errors import CchcError

    with tempfile.TemporaryDirectory(prefix="cchc-legal-scale-", ignore_cleanup_errors=True) as tmp:
        try:
            lines = run(args.articles, args.embedder, args.questions, args.seed, Path(tmp))
        except CchcError as err:  # e.g. the model is not built: say so in one line
            print(err, file=sys.stderr)
            return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
