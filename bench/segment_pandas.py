"""pandas peer for segment_bench: loads the bench's CSV, then times the boolean mask of each
query. Prints {"load_s": ...} then {"name", "runs_ms", "count"} per query, as JSON lines.

Usage: /usr/bin/python3 segment_pandas.py <players.csv> <queries.json> <runs>
"""

import json
import sys
import time


def main() -> None:
    csv, queries_path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        import pandas as pd
    except ImportError as e:
        print(json.dumps({"error": f"pandas not available: {e}"}))
        return
    start = time.perf_counter()
    df = pd.read_csv(
        csv,
        dtype={
            "player_id": "int64",
            "country": "category",
            "birth_day": "int32",
            "deposit_sum_30d": "int64",
            "deposit_count_30d": "int32",
            "last_login_ms": "float64",  # empty (never logged in) reads as NaN
            "churn_risk": "float64",
        },
    )
    print(json.dumps({"load_s": time.perf_counter() - start}), flush=True)
    with open(queries_path, encoding="utf-8") as f:
        queries = json.load(f)
    for q in queries:

        def mask():
            m = df["country"].isin(q["countries"])
            m &= df["birth_day"].between(q["birth_lo"], q["birth_hi"])
            m &= df["deposit_sum_30d"] >= q["sum_min"]
            if q["count_min"] is not None:
                m &= df["deposit_count_30d"] >= q["count_min"]
            if q["login_after"] is not None:
                m &= df["last_login_ms"] > q["login_after"]
            if q["churn_gt"] is not None:
                m &= df["churn_risk"] > q["churn_gt"]
            return int(m.sum())

        mask()  # warm-up
        times = []
        count = -1
        for _ in range(runs):
            t0 = time.perf_counter()
            count = mask()
            times.append((time.perf_counter() - t0) * 1000.0)
        print(json.dumps({"name": q["name"], "runs_ms": times, "count": count}), flush=True)


if __name__ == "__main__":
    main()
