package io.carpoperator.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Every (subject, verb, resource) that deploy/ grants, one line each: "ns/serviceaccount | verb | group/resource"
 * plus " in NAMESPACE" for a namespaced grant and " named a,b" for resourceNames. The README lists the same lines.
 */
final class RbacTriples {

    /** What deploy/ grants, and all it may grant: a new line here is a decision, made in review. */
    static final List<String> EXPECTED = List.of(
            "carp-agents/carp-agent | create | carp-operator.io/nodereports",
            "carp-agents/carp-agent | get | carp-operator.io/nodereports",
            "carp-agents/carp-agent | get | configmaps in carp-agents",
            "carp-agents/carp-agent | get | secrets in carp-agents",
            "carp-agents/carp-agent | list | configmaps in carp-agents",
            "carp-agents/carp-agent | list | secrets in carp-agents",
            "carp-agents/carp-agent | patch | carp-operator.io/nodereports",
            "carp-agents/carp-agent | update | carp-operator.io/nodereports",
            "carp-agents/carp-agent | watch | configmaps in carp-agents",
            "carp-agents/carp-agent | watch | secrets in carp-agents",
            "carp-system/carp-operator | create | configmaps in carp-agents",
            "carp-system/carp-operator | create | coordination.k8s.io/leases in carp-system",
            "carp-system/carp-operator | create | events in default",
            "carp-system/carp-operator | create | secrets in carp-agents",
            "carp-system/carp-operator | delete | configmaps in carp-agents",
            "carp-system/carp-operator | delete | secrets in carp-agents",
            "carp-system/carp-operator | get | carp-operator.io/nodereports",
            "carp-system/carp-operator | get | carp-operator.io/virtualips",
            "carp-system/carp-operator | get | configmaps in carp-agents",
            "carp-system/carp-operator | get | coordination.k8s.io/leases in carp-system named carp-operator-leader",
            "carp-system/carp-operator | get | nodes",
            "carp-system/carp-operator | get | secrets in carp-agents",
            "carp-system/carp-operator | get | secrets in carp-system",
            "carp-system/carp-operator | list | carp-operator.io/nodereports",
            "carp-system/carp-operator | list | carp-operator.io/virtualips",
            "carp-system/carp-operator | list | nodes",
            "carp-system/carp-operator | list | secrets in carp-system",
            "carp-system/carp-operator | patch | carp-operator.io/virtualips",
            "carp-system/carp-operator | patch | carp-operator.io/virtualips/status",
            "carp-system/carp-operator | update | carp-operator.io/virtualips",
            "carp-system/carp-operator | update | carp-operator.io/virtualips/finalizers",
            "carp-system/carp-operator | update | configmaps in carp-agents",
            "carp-system/carp-operator | update | coordination.k8s.io/leases in carp-system named carp-operator-leader",
            "carp-system/carp-operator | update | secrets in carp-agents",
            "carp-system/carp-operator | watch | carp-operator.io/nodereports",
            "carp-system/carp-operator | watch | carp-operator.io/virtualips",
            "carp-system/carp-operator | watch | nodes",
            "carp-system/carp-operator | watch | secrets in carp-system");

    private RbacTriples() {
    }

    static List<String> of(List<HasMetadata> objects) {
        TreeSet<String> triples = new TreeSet<>();
        for (HasMetadata object : objects) {
            if (object instanceof RoleBinding binding) {
                String namespace = binding.getMetadata().getNamespace();
                add(triples, binding.getSubjects(), rules(objects, binding.getRoleRef(), namespace), namespace);
            } else if (object instanceof ClusterRoleBinding binding) {
                add(triples, binding.getSubjects(), rules(objects, binding.getRoleRef(), null), null);
            }
        }
        return new ArrayList<>(triples);
    }

    private static List<PolicyRule> rules(List<HasMetadata> objects, RoleRef ref, String namespace) {
        for (HasMetadata object : objects) {
            if ("ClusterRole".equals(ref.getKind()) && object instanceof ClusterRole role && role.getMetadata().getName().equals(ref.getName())) {
                return role.getRules();
            }
            if ("Role".equals(ref.getKind()) && object instanceof Role role && role.getMetadata().getName().equals(ref.getName())
                    && namespace.equals(role.getMetadata().getNamespace())) {
                return role.getRules();
            }
        }
        throw new AssertionError("binding to " + ref.getKind() + " " + ref.getName() + " in " + namespace + ", which deploy/ does not define");
    }

    private static void add(TreeSet<String> triples, List<Subject> subjects, List<PolicyRule> rules, String namespace) {
        for (Subject subject : subjects) {
            String who = subject.getNamespace() + "/" + subject.getName();
            for (PolicyRule rule : rules) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            String names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty() ? ""
                                    : " named " + String.join(",", rule.getResourceNames());
                            triples.add(who + " | " + verb + " | " + (group.isEmpty() ? "" : group + "/") + resource
                                    + (namespace == null ? "" : " in " + namespace) + names);
                        }
                    }
                }
            }
        }
    }
}
