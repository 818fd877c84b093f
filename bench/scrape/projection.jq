# What `prowctl scrape --job '*' -o json` computes, in jq: finished, non-override runs, one object per line.
.items[]
| select(.status.completionTime != null)
| select(.status.build_id != null and ((.status.description // "") | startswith("Overridden by") | not))
| (.spec.refs // .spec.extra_refs[0]) as $main
| ((.spec.pod_spec.containers[0].args // []) | map(select(startswith("--target=")))[0] // null) as $target
| {
    id: .status.build_id,
    job: .spec.job,
    type: .spec.type,
    rehearsal: ((.metadata.labels["ci.openshift.io/rehearse"] != null) or (.spec.job | startswith("rehearse-"))),
    state: .status.state,
    state_int: ({"success": 0, "pending": 1, "failure": 2, "aborted": 3, "flake": 4}[.status.state] // 10),
    start_time: .status.startTime,
    end_time: .status.completionTime,
    duration: ((.status.completionTime | fromdate) - (.status.startTime | fromdate)),
    org: $main.org, repo: $main.repo, base_ref: $main.base_ref,
    pull_request: .spec.refs.pulls[0].number,
    pull_request_url: .spec.refs.pulls[0].link,
    target: ($target | if . == null then null else ltrimstr("--target=") end),
    cluster_profile: .metadata.labels["ci-operator.openshift.io/cloud-cluster-profile"],
    variant: .metadata.labels["ci-operator.openshift.io/variant"],
    log_url: .status.url,
    prowjob_url: ("https://prow.ci.openshift.org/prowjob?prowjob=" + .metadata.name),
    artifacts_url: (.status.url | if test("/view/gs/") then "https://gcsweb-ci.apps.ci.l2s4.p1.openshiftapps.com/gcs/" + (split("/view/gs/")[1]) + "/" else null end),
    flake_reason: null
  }
