package io.carpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Why two VirtualIPs may share a link, as the VHID conflict messages say it. */
class LinkScopeTest {

    @Test
    void namesTheCommonNodesInOrderOrSaysTheyAreNotKnown() {
        var abc = new LinkScope(Set.of("c", "a", "b"), null);
        assertThat(abc.overlapWith(new LinkScope(Set.of("b", "a", "z"), null))).isEqualTo("nodes a, b; interfaces auto-detected");
        assertThat(abc.overlapWith(LinkScope.ANYWHERE)).isEqualTo("nodes not known yet; interfaces auto-detected");
        assertThat(LinkScope.ANYWHERE.overlapWith(abc)).isEqualTo("nodes not known yet; interfaces auto-detected");
    }

    @Test
    void namesTheSharedInterfaceOrBothWhenTheyDifferOrOneIsAutoDetected() {
        var eth0 = new LinkScope(Set.of("a"), "eth0");
        assertThat(eth0.overlapWith(new LinkScope(Set.of("a"), "eth0"))).isEqualTo("nodes a; interface eth0");
        assertThat(eth0.overlapWith(new LinkScope(Set.of("a"), null))).isEqualTo("nodes a; interface eth0 vs auto-detected");
        assertThat(new LinkScope(Set.of("a"), null).overlapWith(eth0)).isEqualTo("nodes a; interface auto-detected vs eth0");
        assertThat(eth0.overlapWith(new LinkScope(Set.of("a"), "bond0"))).isEqualTo("nodes a; interface eth0 vs bond0");
    }
}
