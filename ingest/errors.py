"""Project error hierarchy: every error carries a stable code and a bilingual message.

The message says what went wrong AND what the user can do about it, in Vietnamese
first (the users' language) and English second, on one line so it fits a log line,
an HTTP error body or a chat reply.
"""
from __future__ import annotations


class CchcError(Exception):
    """Base of every error this project raises on purpose."""

    code: str = "error"
    message_vi: str = ""
    message_en: str = ""

    def __init__(self, code: str, vi: str, en: str) -> None:
        self.code = code
        self.message_vi = _one_line(vi)
        self.message_en = _one_line(en)
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.message_vi} / {self.message_en}"


class IngestError(CchcError):
    """A file could not be read; ``source`` is the file name it is about."""

    def __init__(self, source: str, code: str, vi: str, en: str) -> None:
        self.source = _one_line(source) or "<không tên>"
        super().__init__(code, vi, en)

    def __str__(self) -> str:
        return f"{self.source}: {self.message_vi} / {self.message_en}"


def _one_line(text: str) -> str:
    # A file name or reason with a newline would break "one line per error".
    return " ".join(str(text).split())


# --- constructors for the reader's failure modes (one place for the wording) ---


def empty_file(source: str) -> IngestError:
    return IngestError(
        source, "empty_file",
        "tệp rỗng hoặc không có nội dung chữ; hãy kiểm tra lại tệp và tải lên bản có nội dung",
        "the file is empty or has no text; check the file and upload a copy with content",
    )


def binary_file(source: str) -> IngestError:
    return IngestError(
        source, "binary_file",
        "tệp không phải văn bản (dữ liệu nhị phân); hãy lưu lại dưới dạng .txt, .docx hoặc .pdf",
        "the file is not text (binary data); save it as .txt, .docx or .pdf and try again",
    )


def corrupt_docx(source: str, detail: str = "") -> IngestError:
    why = f" ({detail})" if detail else ""
    return IngestError(
        source, "corrupt_docx",
        f"tệp Word .docx bị hỏng hoặc không hợp lệ{why}; hãy mở bằng Word và lưu lại (Save As .docx)",
        f"the Word .docx file is damaged or invalid{why}; open it in Word and save it again as .docx",
    )


def corrupt_pdf(source: str, detail: str = "") -> IngestError:
    why = f" ({detail})" if detail else ""
    return IngestError(
        source, "corrupt_pdf",
        f"tệp PDF bị hỏng hoặc không hợp lệ{why}; hãy xuất lại PDF từ văn bản gốc",
        f"the PDF file is damaged or invalid{why}; export the PDF again from the original document",
    )


def scanned_pdf(source: str) -> IngestError:
    return IngestError(
        source, "scanned_pdf",
        "PDF không có lớp chữ (bản scan/ảnh); cần nhận dạng ký tự (OCR) trước, "
        "hoặc dùng bản .docx/.pdf xuất trực tiếp từ văn bản gốc",
        "the PDF has no text layer (a scan or image); run OCR on it first, "
        "or use a .docx/.pdf exported directly from the original document",
    )


def unsupported_extension(source: str, ext: str, supported: tuple[str, ...]) -> IngestError:
    listed = ", ".join(supported)
    shown = ext or "(không có)"
    return IngestError(
        source, "unsupported_extension",
        f"định dạng {shown} chưa được hỗ trợ; các định dạng hỗ trợ: {listed}",
        f"file type {ext or '(none)'} is not supported; supported types: {listed}",
    )


def file_too_large(source: str, size: int, max_bytes: int) -> IngestError:
    limit_mb = max_bytes / (1024 * 1024)
    size_mb = size / (1024 * 1024)
    return IngestError(
        source, "file_too_large",
        f"tệp quá lớn ({size_mb:.1f} MB, giới hạn {limit_mb:g} MB); hãy chia nhỏ tệp "
        "hoặc tăng giới hạn bằng biến môi trường CCHC_MAX_FILE_MB",
        f"the file is too large ({size_mb:.1f} MB, limit {limit_mb:g} MB); split it "
        "or raise the limit with the environment variable CCHC_MAX_FILE_MB",
    )


def too_many_chunks(source: str, chunks: int, limit: int) -> IngestError:
    return IngestError(
        source, "too_many_chunks",
        f"văn bản tách ra {chunks} đoạn, vượt giới hạn {limit} đoạn mỗi văn bản (tệp hỏng hoặc "
        "một dòng rất dài?); hãy kiểm tra tệp, chia nhỏ, hoặc tăng giới hạn bằng CCHC_MAX_CHUNKS_PER_DOC",
        f"the document splits into {chunks} chunks, over the limit of {limit} per document (a damaged "
        "file or one huge line?); check or split the file, or raise CCHC_MAX_CHUNKS_PER_DOC",
    )


def undecodable(source: str) -> IngestError:
    return IngestError(
        source, "undecodable",
        "không nhận ra bảng mã của tệp văn bản; hãy lưu lại tệp với bảng mã UTF-8",
        "the text file's encoding could not be recognised; save it again as UTF-8",
    )
