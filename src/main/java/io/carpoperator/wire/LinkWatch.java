package io.carpoperator.wire;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a VIP's data plane asks of its node's links, shared by every VIP of the node: the CARP adverts heard on an
 * interface, and who else answers ARP for an address. {@link NodeWire} is the real one; {@link #NONE} hears nothing.
 */
public interface LinkWatch {

    /** Every CARP/VRRP advert for {@code vhid} heard on {@code interfaceName} from now until the subscription is closed. */
    CarpAdvertListener.Subscription adverts(String interfaceName, int vhid, Consumer<CarpAdvert> consumer);

    /**
     * The MACs, other than this host's, that answer an ARP probe for {@code address} on {@code interfaceName} within
     * {@code deadline}; fails with an {@link IOException} when the question could not be asked.
     */
    CompletableFuture<List<String>> otherOwners(String interfaceName, String address, Duration deadline);

    /**
     * Sends one gratuitous ARP for {@code address} on {@code interfaceName} without starting a process; false when it
     * could not (no helper running): the caller sends it its own way.
     */
    boolean announce(String interfaceName, String address);

    /** Whether anything is listening: without it no conflict can be seen, and none is reported. */
    boolean listening();

    /** No wire helper: nothing is heard, nothing can be asked. */
    LinkWatch NONE = new LinkWatch() {
        @Override
        public CarpAdvertListener.Subscription adverts(String interfaceName, int vhid, Consumer<CarpAdvert> consumer) {
            return () -> { };
        }

        @Override
        public CompletableFuture<List<String>> otherOwners(String interfaceName, String address, Duration deadline) {
            return CompletableFuture.failedFuture(new IOException("no wire helper on this node"));
        }

        @Override
        public boolean announce(String interfaceName, String address) {
            return false;
        }

        @Override
        public boolean listening() {
            return false;
        }
    };
}
