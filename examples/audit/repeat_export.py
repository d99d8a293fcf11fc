"""Make a larger export from the example by repeating its rows (for timing an audit).

    python examples/audit/repeat_export.py 100 big-export.csv

Each copy gets its own occurrence references (``-c0042`` appended) and its adult victims'
ages moved by up to five years, so the copies are different cases with the same findings.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(copies: int, out: Path, seed: int = 1) -> None:
    with (HERE / "northshire-export.csv").open(newline="") as f:
        reader = csv.DictReader(f)
        header, rows = list(reader.fieldnames or []), list(reader)
    rng = random.Random(seed)
    with out.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for copy in range(copies):
            for row in rows:
                new = dict(row, occurrence_ref=f"{row['occurrence_ref']}-c{copy:04d}")
                age = new["victim_age"]
                if age.isdigit() and int(age) >= 25:  # adults stay adults, children children
                    new["victim_age"] = str(int(age) + rng.randint(-5, 5))
                writer.writerow(new)


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
