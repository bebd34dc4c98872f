"""Compile the .po catalogues (guichet/locale and any app's locale/) to .mo, or check that the .mo files are current.

Pure Python (Babel), so that neither `make run` nor `make test` needs GNU gettext installed.
`python scripts/compile_messages.py --check` exits non-zero when a .mo file is missing or stale.
"""

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "guichet"


def compiled(po_path: Path) -> bytes:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def main(check: bool) -> int:
    stale = []
    catalogues = [
        *PACKAGE_DIR.glob("locale/*/LC_MESSAGES/*.po"),
        *PACKAGE_DIR.glob("*/locale/*/LC_MESSAGES/*.po"),
    ]
    for po_path in sorted(catalogues):
        mo_path = po_path.with_suffix(".mo")
        data = compiled(po_path)
        if check:
            if not mo_path.exists() or mo_path.read_bytes() != data:
                stale.append(mo_path)
        else:
            mo_path.write_bytes(data)
            print(f"compiled {mo_path.relative_to(PACKAGE_DIR.parent)}")
    if stale:
        for path in stale:
            print(f"stale or missing: {path} (run `make messages`)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv[1:]))
