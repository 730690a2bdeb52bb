package io.carpoperator.operator;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a VirtualIP's ucarp adverts may be heard: its nodes and its interface. The operator cannot see the nodes'
 * links, so the test is conservative: two scopes may share a link when their nodes intersect (or either's nodes are
 * not known) and their interfaces are equal (or either is auto-detected). Two VirtualIPs that may share a link must
 * not share a VHID, or each ucarp takes the other's adverts for its own ("Bad digest") and neither gets a backup.
 *
 * @param nodes         the selected nodes, or null when not known (treated as every node)
 * @param interfaceName the interface, or null when each agent detects it (treated as any interface)
 */
record LinkScope(Set<String> nodes, String interfaceName) {
    static final LinkScope ANYWHERE = new LinkScope(null, null);

    LinkScope {
        nodes = nodes == null ? null : Set.copyOf(nodes);
    }

    boolean mayShareLinkWith(LinkScope other) {
        boolean sameNodes = nodes == null || other.nodes == null || nodes.stream().anyMatch(other.nodes::contains);
        boolean sameInterface = interfaceName == null || other.interfaceName == null || interfaceName.equals(other.interfaceName);
        return sameNodes && sameInterface;
    }

    /** Why two scopes may share a link, for messages: "nodes a, b; interface eth0". */
    String overlapWith(LinkScope other) {
        String where;
        if (nodes == null || other.nodes == null) {
            where = "nodes not known yet";
        } else {
            var common = new TreeSet<>(nodes);
            common.retainAll(other.nodes);
            where = "nodes " + String.join(", ", common);
        }
        String how = Objects.equals(interfaceName, other.interfaceName)
                ? (interfaceName == null ? "interfaces auto-detected" : "interface " + interfaceName)
                : "interface " + describe(interfaceName) + " vs " + describe(other.interfaceName);
        return where + "; " + how;
    }

    private static String describe(String interfaceName) {
        return interfaceName == null ? "auto-detected" : interfaceName;
    }
}
