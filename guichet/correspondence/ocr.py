"""Optional OCR of scans (French), used by search. Needs Debian's `tesseract-ocr` and
`tesseract-ocr-fra` for images, and `ocrmypdf` (or `pdftotext` for PDFs that already carry text)
for PDFs. Without them, attachments are stored and searchable by their metadata only."""

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 300


def available() -> bool:
    return bool(shutil.which("tesseract") or shutil.which("pdftotext"))


def _run(args: list[str]) -> str:
    completed = subprocess.run(args, capture_output=True, timeout=TIMEOUT_SECONDS, check=True)
    return completed.stdout.decode("utf-8", errors="replace")


def extract_text(data: bytes, content_type: str) -> str | None:
    """The text of a scan, or None when no tool for this type is installed."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / ("in.pdf" if content_type == "application/pdf" else "in.img")
        source.write_bytes(data)
        if content_type == "application/pdf":
            text = ""
            if shutil.which("pdftotext"):
                text = _run(["pdftotext", "-layout", str(source), "-"])
            if not text.strip() and shutil.which("ocrmypdf"):
                sidecar = Path(tmp) / "out.txt"
                subprocess.run(
                    [
                        "ocrmypdf",
                        "-l",
                        "fra",
                        "--skip-text",
                        "--sidecar",
                        str(sidecar),
                        str(source),
                        str(Path(tmp) / "out.pdf"),
                    ],
                    capture_output=True,
                    timeout=TIMEOUT_SECONDS,
                    check=True,
                )
                text = sidecar.read_text(errors="replace")
            if not shutil.which("pdftotext") and not shutil.which("ocrmypdf"):
                return None
            return text.strip()
        if not shutil.which("tesseract"):
            return None
        return _run(["tesseract", str(source), "stdout", "-l", "fra"]).strip()
