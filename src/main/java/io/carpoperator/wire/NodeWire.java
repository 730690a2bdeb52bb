package io.carpoperator.wire;

import io.carpoperator.watchdog.Prober;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * One node's wire helper and everything that shares it: the watchdog's probes of every VIP (one packet per target and
 * moment, no process per probe), the CARP adverts heard on each interface, and the duplicate-owner ARP probes.
 *
 * <p>While the helper is not running (starting, restarting after a crash) probes go the old way, one {@code ping} or
 * {@code arping} process each, so a helper problem never looks like an isolated node.
 */
public final class NodeWire implements LinkWatch, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NodeWire.class);

    /** {@code exec} probes with a ping/arping process each, as before the helper (to measure the difference). */
    public static final String PROBER_ENV = "CARP_AGENT_PROBER";

    private final WireHelper helper;
    private final WireProber wireProber;
    private final CarpAdvertListener adverts;
    private final DuplicateOwnerProbe owners;
    private final Prober prober;
    /** Interface, then vhid, to the VIPs listening; read on the helper's reader thread, changed under itself. */
    private final Map<String, Map<Integer, List<Consumer<CarpAdvert>>>> routes = new ConcurrentHashMap<>();
    private final Map<String, CarpAdvertListener.Subscription> interfaceSubscriptions = new ConcurrentHashMap<>();

    private NodeWire(WireHelper helper, ScheduledExecutorService scheduler, Prober whileHelperDown) {
        this.helper = helper;
        this.wireProber = WireProber.on(helper, scheduler);
        this.adverts = CarpAdvertListener.on(helper);
        this.owners = DuplicateOwnerProbe.on(helper, scheduler);
        this.prober = (target, deadline) -> helper.state() == WireHelper.State.RUNNING
                ? wireProber.probe(target, deadline) : whileHelperDown.probe(target, deadline);
    }

    /**
     * Starts the node's helper (behind {@code commandPrefix}, e.g. {@code ip netns exec NODE} in the lab), its script
     * written into {@code runDir}.
     *
     * @param whileHelperDown probes while the helper does not run
     */
    public static NodeWire start(String label, Path runDir, List<String> commandPrefix, ScheduledExecutorService scheduler,
                                 Prober whileHelperDown) {
        WireHelper helper = new WireHelper(label, WireProcess.launcher(runDir, commandPrefix), scheduler);
        NodeWire wire = on(helper, scheduler, whileHelperDown);
        helper.start();
        return wire;
    }

    /** Around a helper the caller starts (tests: a fake one). */
    static NodeWire on(WireHelper helper, ScheduledExecutorService scheduler, Prober whileHelperDown) {
        return new NodeWire(helper, scheduler, Objects.requireNonNull(whileHelperDown, "whileHelperDown"));
    }

    /** Whether {@link #PROBER_ENV} asks for the process-per-probe path. */
    public static boolean forkProbesRequested() {
        String value = System.getenv(PROBER_ENV);
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("wire")) {
            return false;
        }
        if (value.strip().equalsIgnoreCase("exec")) {
            return true;
        }
        LOG.warnf("%s=%s is neither 'wire' nor 'exec': probing through the wire helper", PROBER_ENV, value);
        return false;
    }

    /** Probes for every VIP of the node. */
    public Prober prober() {
        return prober;
    }

    /**
     * One subscription per interface, routed by vhid: with 100 VIPs on a link, each of its 100 adverts a second
     * reaches the one VIP it is for, not all 100.
     */
    @Override
    public CarpAdvertListener.Subscription adverts(String interfaceName, int vhid, Consumer<CarpAdvert> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        Consumer<CarpAdvert> entry = consumer::accept;
        synchronized (routes) {
            Map<Integer, List<Consumer<CarpAdvert>>> byVhid = routes.computeIfAbsent(interfaceName, name -> {
                interfaceSubscriptions.put(name, adverts.subscribe(name, advert -> route(name, advert)));
                return new ConcurrentHashMap<>();
            });
            byVhid.computeIfAbsent(vhid, v -> new CopyOnWriteArrayList<>()).add(entry);
        }
        return () -> {
            CarpAdvertListener.Subscription last = null;
            synchronized (routes) {
                Map<Integer, List<Consumer<CarpAdvert>>> byVhid = routes.get(interfaceName);
                if (byVhid == null) {
                    return;
                }
                List<Consumer<CarpAdvert>> list = byVhid.get(vhid);
                if (list != null && list.remove(entry) && list.isEmpty()) {
                    byVhid.remove(vhid);
                }
                if (byVhid.isEmpty()) {
                    routes.remove(interfaceName);
                    last = interfaceSubscriptions.remove(interfaceName);
                }
            }
            if (last != null) {
                last.close();
            }
        };
    }

    private void route(String interfaceName, CarpAdvert advert) {
        Map<Integer, List<Consumer<CarpAdvert>>> byVhid = routes.get(interfaceName);
        List<Consumer<CarpAdvert>> list = byVhid == null ? null : byVhid.get(advert.vhid());
        if (list != null) {
            for (Consumer<CarpAdvert> consumer : list) {
                consumer.accept(advert);
            }
        }
    }

    @Override
    public CompletableFuture<List<String>> otherOwners(String interfaceName, String address, Duration deadline) {
        return owners.otherOwners(interfaceName, address, deadline);
    }

    @Override
    public boolean announce(String interfaceName, String address) {
        if (helper.state() != WireHelper.State.RUNNING) {
            return false;
        }
        try {
            helper.send(WireCommand.garp(interfaceName, address));
            return true;
        } catch (IOException | IllegalArgumentException e) {
            LOG.debugf("gratuitous ARP for %s on %s through the wire helper failed (%s): sending it with arping",
                    address, interfaceName, e.getMessage());
            return false;
        }
    }

    @Override
    public boolean listening() {
        return helper.state() == WireHelper.State.RUNNING;
    }

    @Override
    public void close() {
        helper.close();
    }

    @Override
    public String toString() {
        return "wire helper " + helper.label() + " (" + helper.state().name().toLowerCase(Locale.ROOT) + ")";
    }
}
