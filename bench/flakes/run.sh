#!/usr/bin/env bash
# Flake classification benchmark (issue 3): requests and wall time of the original tool's per-run pattern vs
# prowctl's classifier, cold and warm, against a local fake deck + GCS API + gcsweb with a fixed latency.
#   bench/flakes/run.sh                      # 2000 runs, 20% failed, 50 ms latency, original replayed in full
#   bench/flakes/run.sh --original-sample 200  # replay the original on 200 runs and scale (faster)
#   bench/flakes/run.sh --original-sample 200 --cli "$PWD/bin/prowctl"  # (b), (c) as prowctl scrape processes
# Other options: --runs N --failed-percent P --latency-ms MS --concurrency N --cli LAUNCHER
set -euo pipefail
cd "$(dirname "$0")/../.."
# One reactor, so that the test classpath resolves test-support from this checkout, not from ~/.m2.
./mvnw -B -q -o -pl scraper -am test-compile org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/flake-bench.classpath >/dev/null
exec java -cp "scraper/target/classes:scraper/target/test-classes:$(cat scraper/target/flake-bench.classpath)" \
  dev.prowctl.scraper.flake.FlakeBenchmark "$@"
