"""The kubernetes analyzer, called directly on `Command` values (no walker, no policy)."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.model import Command, Effect, Operation, Tier
from interlock.parse.tools import Context
from interlock.parse.tools.k8s_common import canonical_kind, manifest_refs, refs
from interlock.parse.tools.kubernetes import analyze

CTX = Context(shell=lambda text, c: [])


def run(text: str, stdin: str | None = None, env: tuple[tuple[str, str], ...] = ()) -> Operation:
    argv = tuple(shlex.split(text))
    ops = analyze(Command(argv=argv, text=text, stdin=stdin, env=env), CTX)
    assert len(ops) == 1
    return ops[0]


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("ns", "namespace"),
        ("namespaces", "namespace"),
        ("project", "namespace"),
        ("po", "pod"),
        ("deploy", "deployment"),
        ("deployments.apps", "deployment"),
        ("sts", "statefulset"),
        ("pvc", "persistentvolumeclaim"),
        ("crd", "customresourcedefinition"),
        ("no", "node"),
        ("cj", "cronjob"),
        ("Namespace", "namespace"),
        ("certificates.cert-manager.io", "certificate"),
        ("networkpolicies.networking.k8s.io", "networkpolicy"),
        ("Certificate", "certificate"),
        ("$KIND", "resource"),
    ],
)
def test_resource_words_become_canonical_singular_kinds(word, kind):
    assert canonical_kind(word) == kind


def test_references_accept_type_name_and_comma_forms():
    assert refs(["deploy/api", "svc/web"]) == [("deployment", "api"), ("service", "web")]
    assert refs(["po,svc", "a"]) == [("pod", "a"), ("service", "a")]
    assert refs(["ns"]) == [("namespace", "")]


def test_manifest_scan_finds_kind_name_and_namespace_per_document():
    text = (
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: payments\n"
        "  labels:\n    name: not-this\nspec:\n  template:\n    metadata:\n      name: nor-this\n"
    )
    assert manifest_refs(text) == [
        ("namespace", "payments", None),
        ("deployment", "api", "payments"),
    ]


def test_manifest_scan_reads_json_and_lists():
    ns = '{"kind":"Namespace","metadata":{"name":"x"}}'
    assert manifest_refs(ns) == [("namespace", "x", None)]
    lst = '{"kind":"List","items":[{"kind":"Secret","metadata":{"name":"s","namespace":"n"}}]}'
    assert manifest_refs(lst) == [("secret", "s", "n")]
    assert manifest_refs("{not json") == []


def test_delete_namespace_targets_the_namespace_with_its_context():
    op = run("kubectl --context prod-eu -n ignored delete ns payments")
    assert op.effect is Effect.DESTROY and op.action == "delete"
    (t,) = op.targets
    assert (t.kind, t.name, t.get("context"), t.get("namespace")) == (
        "namespace",
        "payments",
        "prod-eu",
        None,
    )


def test_global_flags_may_follow_the_verb_and_use_equals():
    op = run("kubectl delete deploy api --namespace=prod --context=prod-us --cluster=c1")
    (t,) = op.targets
    assert dict(t.scope) == {"cluster": "c1", "context": "prod-us", "namespace": "prod"}


def test_kubeconfig_from_the_environment_scopes_the_target():
    op = run("kubectl delete ns x", env=(("KUBECONFIG", "/home/u/.kube/prod"),))
    assert op.targets[0].get("cluster") == "/home/u/.kube/prod"


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("kubectl delete pods --all -n x", {"all"}),
        ("kubectl delete pods --all -A", {"all", "all-namespaces"}),
        ("kubectl delete pods -l app=web", {"all", "selector"}),
        ("kubectl delete pod x --grace-period=0 --force", {"force"}),
        ("kubectl delete ns x --cascade=orphan", {"orphan"}),
        ("kubectl delete pod coredns-1 -n kube-system", {"system-namespace"}),
    ],
)
def test_delete_tags(text, tags):
    assert tags <= run(text).tags


@pytest.mark.parametrize(
    "text",
    [
        "kubectl delete ns x --dry-run",
        "kubectl delete ns x --dry-run=client",
        "kubectl delete ns x --dry-run server",
        "kubectl apply -f x.yaml --dry-run=server",
        "kubectl scale deploy/x --replicas=0 --dry-run=client",
        "helm uninstall x --dry-run",
        "helm upgrade x ./c --dry-run=server",
    ],
)
def test_dry_runs_are_reads_tagged_dry_run(text):
    op = run(text)
    assert op.effect is Effect.READ and "dry-run" in op.tags


def test_dry_run_none_is_a_real_run():
    assert run("kubectl delete ns x --dry-run=none").effect is Effect.DESTROY


def test_apply_from_stdin_reads_the_manifest_kinds():
    op = run("kubectl apply -f -", stdin="kind: Namespace\nmetadata:\n  name: team-a\n")
    assert op.effect is Effect.WRITE
    assert [(t.kind, t.name) for t in op.targets] == [("namespace", "team-a")]


def test_delete_from_piped_stdin_without_text_is_an_unknown_manifest():
    op = run("kubectl delete -f -")
    assert op.effect is Effect.DESTROY and op.targets[0].kind == "manifest"


@pytest.mark.parametrize(
    ("text", "effect", "action"),
    [
        ("kubectl get pods -A", Effect.READ, "get"),
        ("kubectl logs -f web-1", Effect.READ, "logs"),
        ("kubectl config use-context prod", Effect.WRITE, "config-use-context"),
        ("kubectl config delete-context old", Effect.DESTROY, "config-delete-context"),
        ("kubectl apply --prune -l a=b -f d/", Effect.DESTROY, "apply"),
        ("kubectl replace --force -f x.yaml", Effect.DESTROY, "replace"),
        ("kubectl scale deploy/x --replicas=0", Effect.DESTROY, "scale"),
        ("kubectl scale deploy/x --replicas 2", Effect.WRITE, "scale"),
        ("kubectl drain n1 --ignore-daemonsets", Effect.WRITE, "drain"),
        ("kubectl rollout undo deploy/x", Effect.WRITE, "undo"),
        ("kubectl rollout status deploy/x", Effect.READ, "rollout-status"),
        ("kubectl certificate approve c1", Effect.WRITE, "approve"),
        ("kubectl exec -it web-1 -- sh", Effect.WRITE, "exec"),
        ("kubectl some-plugin do-things", Effect.UNKNOWN, "some-plugin"),
        ("oc adm prune images", Effect.READ, "prune"),
        ("oc adm prune images --confirm", Effect.DESTROY, "prune"),
        ("helm uninstall a -n b", Effect.DESTROY, "uninstall"),
        ("helm del a", Effect.DESTROY, "uninstall"),
        ("helm repo update", Effect.READ, "repo-update"),
        ("helm repo add b https://x", Effect.WRITE, "repo-add"),
        ("kustomize build .", Effect.READ, "build"),
        ("kind delete cluster", Effect.DESTROY, "delete"),
        ("eksctl upgrade cluster --name x", Effect.READ, "upgrade"),
        ("velero delete backup b1", Effect.DESTROY, "delete"),
        ("flux create source git x --url=u --export", Effect.READ, "create"),
        ("kubeadm reset -f", Effect.DESTROY, "reset"),
        ("linkerd uninstall", Effect.READ, "uninstall"),
    ],
)
def test_effect_and_action(text, effect, action):
    op = run(text)
    assert (op.effect, op.action) == (effect, action)


def test_node_verbs_target_nodes():
    assert [(t.kind, t.name) for t in run("kubectl drain worker-3 --force").targets] == [
        ("node", "worker-3")
    ]
    taint = run("kubectl taint nodes worker-3 dedicated=gpu:NoSchedule")
    assert [(t.kind, t.name) for t in taint.targets] == [("node", "worker-3")]


def test_helm_release_target_uses_kube_context_and_namespace():
    (t,) = run("helm --kube-context prod-eu uninstall api -n payments").targets
    assert (t.kind, t.name, t.get("context"), t.get("namespace")) == (
        "helm-release",
        "api",
        "prod-eu",
        "payments",
    )


def test_local_clusters_are_local_unless_remote():
    (t,) = run("kind delete cluster --name dev").targets
    assert (t.name, t.tier) == ("kind-dev", Tier.LOCAL)
    remote = analyze(Command(argv=("kind", "delete", "cluster"), host="build-1"), CTX)[0]
    assert remote.targets[0].tier is Tier.UNKNOWN and remote.targets[0].get("host") == "build-1"


def test_eksctl_cluster_scope_comes_from_flags_and_environment():
    op = run("eksctl delete cluster main", env=(("AWS_PROFILE", "production"),))
    (t,) = op.targets
    assert (t.kind, t.name, t.get("profile")) == ("cluster", "main", "production")


def test_privileged_and_cluster_admin_are_tagged():
    assert "privileged" in run("kubectl debug node/n1 -it --image=ubuntu").tags
    assert "privileged" in run("kubectl run x --image=a --privileged").tags
    cmd = "kubectl create clusterrolebinding b --clusterrole=cluster-admin --user=u"
    assert "privileged" in run(cmd).tags


def test_dynamic_words_are_tagged():
    cmd = Command(argv=("kubectl", "delete", "ns", "$NS"), dynamic=frozenset({3}), text="x")
    assert "dynamic-target" in analyze(cmd, CTX)[0].tags


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["kubectl", "oc", "helm", "kind", "eksctl", "argocd", "flux", "velero",
                     "istioctl", "kubeadm", "kubectx", "k9s", "kustomize", "minikube", "k3d",
                     "skaffold", "tilt", "linkerd", "helmfile", "kapp", "kubecfg", "kubeseal",
                     "stern"]),
    st.lists(st.sampled_from(["delete", "get", "-n", "--all", "-A", "ns", "x", "-f", "-",
                              "--dry-run", "=", "/", "config", "adm", "cluster", "--context",
                              "rollout", "-l", "a=b", "--", ":", "$X", ""]), max_size=8),
    st.one_of(st.none(), st.text(max_size=40)),
)  # fmt: skip
def test_never_raises_and_always_answers(program, words, stdin):
    ops = analyze(Command(argv=(program, *words), stdin=stdin, text="t"), CTX)
    assert ops and all(op.family == "kubernetes" for op in ops)


@pytest.mark.parametrize(
    ("line", "action", "effect", "tag"),
    [
        ("""kubectl patch deploy web -p '{"spec":{"replicas":0}}'""", "scale", Effect.DESTROY, "zero"),
        ("""kubectl patch deploy web --type json -p '[{"op":"replace","path":"/spec/replicas","value":0}]'""",
         "scale", Effect.DESTROY, "zero"),
        ("""kubectl patch deploy web -p '{"spec":{"replicas":10}}'""", "patch", Effect.WRITE, None),
        ("""kubectl patch ns x -p '{"metadata":{"finalizers":null}}'""", "patch", Effect.WRITE,
         "finalizers"),
        ("kubectl replace --raw /api/v1/namespaces/x/finalize -f ns.json", "replace", Effect.WRITE,
         "finalizers"),
        ("kubectl exec web-1 -- cat /etc/hosts", "exec", Effect.READ, None),
        ("kubectl exec web-1 -- rm -rf /data", "exec", Effect.WRITE, None),
        ("kubectl cp web-1:/tmp/a ./a", "cp", Effect.READ, None),
        ("kubectl cp ./a web-1:/tmp/a", "cp", Effect.WRITE, None),
        ("kubectl cnpg report operator", "cnpg-report", Effect.READ, None),
        ("kubectl cnpg promote db db-2", "cnpg-promote", Effect.WRITE, None),
        ("argocd app sync web --prune", "sync", Effect.WRITE, "prune"),
        ("velero restore create --from-backup b --existing-resource-policy=update", "restore",
         Effect.WRITE, "overwrite"),
        ("helmfile -e prod destroy", "uninstall", Effect.DESTROY, "all"),
        ("helmfile diff", "diff", Effect.READ, None),
        ("kapp delete -a app -y", "delete", Effect.DESTROY, None),
        ("kapp deploy -a app -f c/ --diff-run", "deploy", Effect.READ, "dry-run"),
        ("kubecfg update a.jsonnet --gc-tag x", "apply", Effect.DESTROY, "prune"),
        ("kubeseal --format yaml", "seal", Effect.READ, None),
        ("stern web -n prod", "logs", Effect.READ, None),
    ],
)  # fmt: skip
def test_red_team_spellings_get_their_action_effect_and_tag(line, action, effect, tag):
    op = run(line)
    assert (op.action, op.effect) == (action, effect)
    assert tag is None or tag in op.tags


def test_helmfile_environment_names_the_tier_scope():
    op = run("helmfile -e production -l name=web destroy")
    assert dict(op.targets[0].scope)["env"] == "production"
    assert "all" not in op.tags
