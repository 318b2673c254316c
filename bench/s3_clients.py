"""What an S3 client costs to build, against what a presigned URL costs on the shared client.

Before 2026-11-22 ``presign_get`` built a client per call (every GetTranscriptionJob of a job whose
transcript is in the service bucket, every GetVocabulary/GetVocabularyFilter DownloadUri) and
``s3_client`` one per thread (each new gateway thread-pool thread, e.g. the console's transcript
route). This measures both costs in one process; nothing talks to S3 (presigning is local).

Usage: python bench/s3_clients.py [--builds 10] [--presigns 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.core.settings import S3Settings
from services.storage import s3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--builds", type=int, default=10)
    ap.add_argument("--presigns", type=int, default=200)
    args = ap.parse_args()
    st = S3Settings(endpoint_url="http://127.0.0.1:9", access_key_id="AKIDBENCH", secret_access_key="s")
    builds = []
    for _ in range(args.builds):
        t = time.perf_counter()
        s3._client(st, st.endpoint_url)  # what each presign / new thread used to pay
        builds.append(time.perf_counter() - t)
    s3.presign_get("b", "warm", st)
    presigns = []
    for i in range(args.presigns):
        t = time.perf_counter()
        s3.presign_get("bucket", f"acct/job/{i}/job.json", st)
        presigns.append(time.perf_counter() - t)
    print(f"client build: median {statistics.median(builds) * 1000:.0f} ms, "
          f"min {min(builds) * 1000:.0f} ms, max {max(builds) * 1000:.0f} ms ({args.builds} builds)")
    print(f"presign on the shared client: median {statistics.median(presigns) * 1000:.2f} ms, "
          f"p99 {sorted(presigns)[int(len(presigns) * 0.99) - 1] * 1000:.2f} ms ({args.presigns} calls)")


if __name__ == "__main__":
    main()
