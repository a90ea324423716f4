"""The pods of scripts/k8s/*.yaml as shell lines, for tests/cli/k8s_jobs.sh.

usage: k8s_pods.py LABEL_JOB.yaml MERGE_JOB.yaml VOLUME_DIR      -> one line per pod, merge last
       k8s_pods.py --label-options LABEL_JOB.yaml VOLUME_DIR     -> the label Job's uae label options

Checks, before printing anything, what a cluster would need: batch/v1 Jobs, the label Job Indexed
with completions equal to its SHARDS, a shell command in one container, both Jobs mounting the
same claim at /work, the merge Job's shard glob matching the files the label pods write. The
commands are mapped to this machine: /work -> VOLUME_DIR, the model -> SmolLM2-135M-Instruct (the
real LLM the tests fetch), QASPER's train split -> the fixture split.
"""
import re
import shlex
import sys

import yaml


def fail(path, what):
    sys.exit(f"{path}: {what}")


def load_job(path):
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    if len(docs) != 1 or docs[0].get("apiVersion") != "batch/v1" or docs[0].get("kind") != "Job":
        fail(path, "expected exactly one batch/v1 Job")
    job = docs[0]
    pod = job["spec"]["template"]["spec"]
    if pod.get("restartPolicy") not in ("Never", "OnFailure"):
        fail(path, "a Job's pods need restartPolicy Never or OnFailure")
    containers = pod["containers"]
    if len(containers) != 1 or containers[0].get("command") != ["/bin/sh", "-c"] or len(containers[0]["args"]) != 1:
        fail(path, "expected one container running one /bin/sh -c command")
    mounts = {m["name"]: m["mountPath"] for m in containers[0].get("volumeMounts", [])}
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in pod.get("volumes", [])}
    work = [claims[n] for n, p in mounts.items() if p == "/work" and n in claims]
    if len(work) != 1:
        fail(path, "no persistent volume claim mounted at /work")
    env = {e["name"]: e["value"] for e in containers[0].get("env", [])}
    return job, containers[0]["args"][0], env, work[0]


def mapped(command, volume):
    command = re.sub(r"--model \S+", "--model SmolLM2-135M-Instruct", command)
    command = command.replace("--split train", "--split fixture")
    return command.replace("/work", volume)


def label_options(command):
    words = shlex.split(command)
    start = next(i for i in range(len(words) - 1) if words[i] == "uae" and words[i + 1] == "label") + 2
    options, skip = [], False
    for w in words[start:]:
        if skip:
            skip = False
        elif w in ("--shard", "--workspace"):
            skip = True
        elif w != "--quiet":
            options.append(w)
    return shlex.join(options)


def pods(label_path, merge_path, volume):
    label, label_cmd, env, claim = load_job(label_path)
    _, merge_cmd, _, merge_claim = load_job(merge_path)
    spec = label["spec"]
    shards = int(env.get("SHARDS", "0"))
    if spec.get("completionMode") != "Indexed" or spec.get("completions") != shards or shards < 1:
        fail(label_path, f"an Indexed Job with completions == SHARDS is needed (completions "
                         f"{spec.get('completions')}, SHARDS {shards})")
    if merge_claim != claim:
        fail(merge_path, f"mounts claim {merge_claim}, the label Job writes to {claim}")
    written = re.search(r'--workspace "?(\S+?)\$JOB_COMPLETION_INDEX\.db', label_cmd)
    if not written or f"{written.group(1)}*.db" not in merge_cmd:
        fail(merge_path, "its shard glob does not match the label Job's workspace files")
    for i in range(shards):
        print(f"JOB_COMPLETION_INDEX={i} SHARDS={shards} sh -c {shlex.quote(mapped(label_cmd, volume))}")
    print(f"MERGE=1 sh -c {shlex.quote(mapped(merge_cmd, volume))}")


if __name__ == "__main__":
    if sys.argv[1] == "--label-options":
        _, command, _, _ = load_job(sys.argv[2])
        print(label_options(mapped(command, sys.argv[3])))
    else:
        pods(sys.argv[1], sys.argv[2], sys.argv[3])
