#!/usr/bin/env bash
# Backfill benchmark (issue 15): 30 days of 50 jobs (~5,000 runs, 20% failed; periodic, postsubmit, presubmit,
# batch) behind a local GCS JSON API stand-in with 20 ms per request. Prints (a) a sequential client doing the same
# listing and reads, (b) prowctl's backfill without flake classification, (c) with it (requests per run, and per
# failed run for the classification), (d) a backfill killed half way and run again (requests repeated).
#   bench/backfill/run.sh
#   bench/backfill/run.sh --concurrency 8 --latency-ms 50      (default: backfill's --concurrency, 32)
# Other options: --jobs N --days N --runs-per-job N --no-sequential (skip (a), about 2 min)
#   --aliases-without-metadata (presubmit aliases uploaded without x-goog-meta-link: each is read)
set -euo pipefail
cd "$(dirname "$0")/../.."
# One reactor, so that the test classpath resolves test-support from this checkout, not from ~/.m2.
./mvnw -B -q -o -pl scraper -am test-compile org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/backfill-bench.classpath >/dev/null
exec java -cp "scraper/target/classes:scraper/target/test-classes:$(cat scraper/target/backfill-bench.classpath)" \
  dev.prowctl.scraper.backfill.BackfillBenchmark "$@"
