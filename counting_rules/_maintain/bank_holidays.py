"""Write ``_engine/bank_holidays.json`` from the installed `holidays` library.

python -m counting_rules._maintain.bank_holidays
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from counting_rules._engine import working_days


def main() -> int:
    path = Path(working_days.__file__).with_name(working_days.TABLE)
    path.write_text(json.dumps(working_days.table_data(), indent=1) + "\n", encoding="utf-8")
    years = working_days.YEARS
    print(f"wrote {path}: {years.start}-{years.stop - 1}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
