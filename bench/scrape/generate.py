#!/usr/bin/env python3
"""Writes a realistic deck prowjobs.js payload for the scrape benchmark.

Usage: generate.py OUT_FILE [RUNS [JOBS]]   (default 20000 runs, about 180 MB)

JOBS: draw each run's job (its name, type, repository, branch) from a pool of that many distinct jobs instead of
anew for each run (about 6,700 names for 20,000 runs, a third of them rehearsals); the rest is drawn as without it.

Items look like OpenShift CI's ProwJobs as deck serves them with omit=annotations,decoration_config: labels,
refs/extra_refs, a full pod_spec (volumes, ci-operator args), and for rehearsals (a fifth of the runs) the
whole ci-operator config in a ~31 KB CONFIG_SPEC env var, as openshift/release rehearsals carry it. About 10% of
the runs are still pending and 1% are /override runs. Deterministic (fixed seed).
"""
import json
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone

out_file = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
jobs = int(sys.argv[3]) if len(sys.argv) > 3 else None
rnd = random.Random(20261128)

REPOS = [("openshift", "oadp-operator"), ("openshift", "velero"), ("openshift", "installer"),
         ("openshift", "origin"), ("openshift", "cluster-etcd-operator"), ("konveyor", "pelorus"),
         ("openshift", "assisted-service"), ("openshift", "console"), ("openshift", "release")]
TARGETS = ["e2e", "e2e-aws", "e2e-gcp", "e2e-azure", "unit", "images", "verify", "lint", "operator-e2e",
           "e2e-aws-upgrade", "ci-index"]
PROFILES = ["aws", "gcp", "azure4", "vsphere", "packet-assisted", "aws-2"]
STATES = ["success"] * 14 + ["failure"] * 4 + ["aborted", "error"]


def config_spec(size):
    """A ci-operator config rendered as YAML, repeated to about `size` characters."""
    block = ("base_images:\n  base:\n    name: \"4.15\"\n    namespace: ocp\n    tag: base\n"
             "build_root:\n  image_stream_tag:\n    name: release\n    namespace: openshift\n    tag: golang-1.21\n"
             "images:\n- dockerfile_path: Dockerfile\n  from: base\n  to: operator\n"
             "tests:\n- as: e2e-aws\n  steps:\n    cluster_profile: aws\n    env:\n      FOO: \"bar <&> baz\"\n"
             "    test:\n    - as: e2e\n      commands: make test-e2e\n      from: src\n"
             "      resources:\n        requests:\n          cpu: 100m\n")
    return (block * (size // len(block) + 1))[:size]


REHEARSAL_CONFIG = config_spec(31 * 1024)
start = datetime(2026, 11, 27, 12, 0, 0, tzinfo=timezone.utc)


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def draw_job(r):
    """A job: (org, repo, target, rehearsal, typ, branch, variant, pr, name) drawn from random source r."""
    org, repo = r.choice(REPOS)
    target = r.choice(TARGETS)
    kind = r.random()
    rehearsal = kind < 0.19
    typ = "periodic" if kind > 0.85 else "postsubmit" if kind > 0.80 else "presubmit"
    branch = r.choice(["master", "main", "release-4.15", "oadp-1.3"])
    variant = r.choice(["4.14", "4.15", "4.16", ""])
    pr = r.randint(100, 9999)
    if typ == "periodic":
        job = f"periodic-ci-{org}-{repo}-{branch}-{variant or '4.15'}-{target}-periodic"
    elif typ == "postsubmit":
        job = f"branch-ci-{org}-{repo}-{branch}-{target}"
    else:
        job = f"pull-ci-{org}-{repo}-{branch}-{variant + '-' if variant else ''}{target}"
    if rehearsal:
        job = f"rehearse-{pr}-{job}"
    return org, repo, target, rehearsal, typ, branch, variant, pr, job


def job_pool(n):
    """n jobs with distinct names, from a random source of their own."""
    r = random.Random(20261201)
    pool = {}
    while len(pool) < n:
        drawn = draw_job(r)
        pool.setdefault(drawn[-1], drawn)
    return list(pool.values())


POOL = job_pool(jobs) if jobs else None


def item(i):
    org, repo, target, rehearsal, typ, branch, variant, pr, job = draw_job(rnd)
    if POOL:
        org, repo, target, rehearsal, typ, branch, variant, pr, job = POOL[rnd.randrange(len(POOL))]
    name = str(uuid.UUID(int=rnd.getrandbits(128)))
    build_id = str(1990000000000000000 + i * 1000 + rnd.randint(0, 999))
    started = start + timedelta(seconds=86400 * i // runs)
    state = rnd.choice(STATES)
    pending = rnd.random() < 0.10
    override = not pending and rnd.random() < 0.01
    profile = rnd.choice(PROFILES)
    labels = {
        "created-by-prow": "true",
        "prow.k8s.io/build-id": build_id,
        "prow.k8s.io/context": target,
        "prow.k8s.io/id": name,
        "prow.k8s.io/job": job[:63],
        "prow.k8s.io/type": typ,
        "ci-operator.openshift.io/cloud": profile,
        "ci-operator.openshift.io/cloud-cluster-profile": profile,
        "ci.openshift.io/generator": "prowgen",
    }
    if variant:
        labels["ci-operator.openshift.io/variant"] = variant
    refs = {"org": org, "repo": repo, "repo_link": f"https://github.com/{org}/{repo}", "base_ref": branch,
            "base_sha": "%040x" % rnd.getrandbits(160),
            "base_link": f"https://github.com/{org}/{repo}/commit/abc"}
    spec = {"type": typ, "agent": "kubernetes", "cluster": rnd.choice(["build01", "build02", "build03", "build05"]),
            "namespace": "ci", "job": job}
    if typ == "presubmit":
        refs["pulls"] = [{"number": pr, "author": f"dev{pr % 97}", "sha": "%040x" % rnd.getrandbits(160),
                          "title": f"Fix the thing #{pr}", "link": f"https://github.com/{org}/{repo}/pull/{pr}",
                          "commit_link": f"https://github.com/{org}/{repo}/pull/{pr}/commits/abc",
                          "author_link": f"https://github.com/dev{pr % 97}"}]
    if rehearsal:
        labels["ci.openshift.io/rehearse"] = str(pr)
        spec["refs"] = {**refs, "org": "openshift", "repo": "release"}
        spec["extra_refs"] = [{"org": org, "repo": repo, "base_ref": branch, "workdir": True}]
    elif typ == "periodic":
        spec["extra_refs"] = [refs]
    else:
        spec["refs"] = refs
    spec.update({"report": True, "context": f"ci/prow/{target}", "rerun_command": f"/test {target}"})
    env = [{"name": "JOB_SPEC_EXTRA", "value": "x" * 200}]
    if rehearsal:
        env.append({"name": "CONFIG_SPEC", "value": REHEARSAL_CONFIG})
    spec["pod_spec"] = {
        "volumes": [{"name": "boskos", "secret": {"secretName": "boskos-credentials",
                                                   "items": [{"key": "credentials", "path": "credentials"}]}},
                    {"name": "ci-pull-credentials", "secret": {"secretName": "ci-pull-credentials"}},
                    {"name": "cluster-profile", "secret": {"secretName": f"cluster-secrets-{profile}"}}],
        "containers": [{"name": "", "image": "ci-operator:latest", "command": ["ci-operator"],
                        "args": ["--gcs-upload-secret=/secrets/gcs/service-account.json",
                                 "--image-import-pull-secret=/etc/pull-secret/.dockerconfigjson",
                                 "--lease-server-credentials-file=/etc/boskos/credentials",
                                 "--report-credentials-file=/etc/report/credentials",
                                 "--secret-dir=/secrets/ci-pull-credentials", f"--target={target}"]
                                + ([f"--variant={variant}"] if variant else []),
                        "env": env,
                        "resources": {"requests": {"cpu": "10m"}},
                        "volumeMounts": [{"name": "boskos", "readOnly": True, "mountPath": "/etc/boskos"}]}],
        "serviceAccountName": "ci-operator"}
    if typ == "presubmit":
        path = f"pr-logs/pull/{spec['refs']['org']}_{spec['refs']['repo']}/{pr}/{job}/{build_id}"
    else:
        path = f"logs/{job}/{build_id}"
    status = {"startTime": ts(started), "pendingTime": ts(started + timedelta(seconds=5)),
              "state": "pending" if pending else state,
              "description": "Job triggered." if pending else ("Job succeeded." if state == "success" else "Job failed."),
              "url": f"https://prow.ci.openshift.org/view/gs/test-platform-results/{path}",
              "pod_name": name, "build_id": build_id,
              "prev_report_states": {"gcsk8sreporter": state, "github-reporter": state}}
    if not pending:
        status["completionTime"] = ts(started + timedelta(seconds=rnd.randint(60, 3 * 3600)))
    if override:
        status.update({"state": "success", "description": "Overridden by someone",
                       "url": f"https://github.com/{org}/{repo}/pull/{pr}#issuecomment-1"})
        del status["build_id"]
    return {"kind": "ProwJob", "apiVersion": "prow.k8s.io/v1",
            "metadata": {"name": name, "namespace": "ci", "uid": str(uuid.UUID(int=rnd.getrandbits(128))),
                         "resourceVersion": str(2000000000 + i), "generation": 7,
                         "creationTimestamp": ts(started), "labels": labels},
            "spec": spec, "status": status}


with open(out_file, "w", encoding="utf-8") as out:
    out.write('{"items":[')
    # deck sorts newest first
    for n, i in enumerate(reversed(range(runs))):
        if n:
            out.write(",")
        out.write(json.dumps(item(i), separators=(",", ":")))
    out.write("]}")
