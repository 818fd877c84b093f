#!/usr/bin/env bash
# Benchmark: prowctl grafana export/import of 500 dashboards against the fake Grafana with 20 ms latency per
# request, sequential (--concurrency 1: the same requests one by one, like the original Python scripts) versus
# --concurrency 8. Usage: bench/grafana/run.sh [DASHBOARDS] [ROUNDS] [LATENCY_MS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# Build in one reactor so that the classpath uses this checkout's modules, not jars installed in ~/.m2.
./mvnw -B -q -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt -pl prowctl -am >/dev/null
exec java -cp "prowctl/target/test-classes:prowctl/target/classes:$(cat prowctl/target/bench-classpath.txt)" \
  dev.prowctl.cli.grafana.GrafanaBench "${1:-500}" "${2:-3}" "${3:-20}"
