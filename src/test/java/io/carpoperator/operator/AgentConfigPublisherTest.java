package io.carpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.carpoperator.api.Ipv4Cidr;
import org.junit.jupiter.api.Test;

class AgentConfigPublisherTest {

    @Test
    void aPeerAddressMustLieInTheVipSubnetAndNotBeTheVip() {
        Ipv4Cidr vip = Ipv4Cidr.parse("198.51.100.10/24");
        assertThat(AgentConfigPublisher.acceptablePeerAddress(vip, "198.51.100.2")).isTrue();
        assertThat(AgentConfigPublisher.acceptablePeerAddress(vip, "198.51.100.10")).as("the VIP itself").isFalse();
        assertThat(AgentConfigPublisher.acceptablePeerAddress(vip, "203.0.113.1")).as("another subnet").isFalse();
        assertThat(AgentConfigPublisher.acceptablePeerAddress(vip, "not-an-ip")).isFalse();
        assertThat(AgentConfigPublisher.acceptablePeerAddress(vip, null)).isFalse();
    }

    @Test
    void aSlash32VipTakesPeersFromAnySubnet() {
        Ipv4Cidr vip = Ipv4Cidr.parse("198.51.100.10/32");
        assertThat(AgentConfigPublisher.acceptablePeerAddress(vip, "203.0.113.1")).isTrue();
        assertThat(AgentConfigPublisher.acceptablePeerAddress(vip, "198.51.100.10")).isFalse();
    }
}
