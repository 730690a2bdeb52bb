package io.carpoperator.dataplane;

import io.carpoperator.watchdog.AlignedTicks;
import io.carpoperator.wire.CarpAdvert;
import io.carpoperator.wire.CarpAdvertListener;
import io.carpoperator.wire.CarpDigest;
import io.carpoperator.wire.LinkWatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * What one VIP's link shows of other speakers, as evidence for the operator ({@link WireConflict}s in the report):
 *
 * <ul>
 * <li>CARP/VRRP adverts for our vhid that do not authenticate with our password and address (ucarp's "Bad digest"),
 * from a sender that is not one of our peers: another cluster, a firewall pair, keepalived with the same id. ucarp
 * ignores them, so this node keeps taking part; {@link #foreignOnlyRecently()} tells the runner not to back off.</li>
 * <li>While this node is master: another MAC answering an ARP probe for the VIP, twice in a row one
 * {@link #OWNER_RECHECK} apart (a handover's brief overlap is not a split brain).</li>
 * </ul>
 *
 * Adverts from our peers that do not authenticate are our own nodes on another password (a rotation, or a node that
 * missed it): not a conflict, and the runner backs off as before. A password change keeps the previous one valid for
 * {@link #PREVIOUS_PASSWORD_VALID}.
 */
final class WireWatch {

    private static final Logger LOG = Logger.getLogger(WireWatch.class);

    /** A foreign sender not heard for this long is forgotten (adverts come every advbase, at most 255 s). */
    static final Duration FOREIGN_FORGOTTEN_AFTER = Duration.ofSeconds(30);
    /** How often a master asks who else answers for its VIP: an ARP probe per master VIP, so not every second. */
    static final Duration OWNER_CHECK_INTERVAL = Duration.ofSeconds(10);
    /** A positive check is repeated this much later before it counts. */
    static final Duration OWNER_RECHECK = Duration.ofSeconds(1);
    static final Duration OWNER_CHECK_DEADLINE = Duration.ofMillis(500);
    /** How far back {@link #foreignOnlyRecently()} looks. */
    static final Duration RECENT = Duration.ofSeconds(3);
    static final Duration PREVIOUS_PASSWORD_VALID = Duration.ofSeconds(90);

    private final String label;
    private final LinkWatch links;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Supplier<VipSettings> settings;
    private final BooleanSupplier master;
    private final Runnable changed;

    // guarded by this
    private final Map<String, WireConflict> foreign = new LinkedHashMap<>();
    private final Map<String, WireConflict> owners = new LinkedHashMap<>();
    /** Senders of non-authenticating adverts, peers included, with when they were last heard. */
    private final Map<String, Instant> failingSenders = new LinkedHashMap<>();
    private String previousPassword;
    private Instant previousPasswordUntil = Instant.MIN;
    private String interfaceName;
    private Set<String> ownAddresses = Set.of();
    private CarpAdvertListener.Subscription subscription;
    private ScheduledFuture<?> ownerChecks;
    private boolean closed;

    /**
     * @param master  whether this node holds the VIP now
     * @param changed called (outside any lock of this class) when the conflicts changed
     */
    WireWatch(String label, LinkWatch links, ScheduledExecutorService scheduler, Clock clock, Supplier<VipSettings> settings,
              BooleanSupplier master, Runnable changed) {
        this.label = Objects.requireNonNull(label, "label");
        this.links = Objects.requireNonNull(links, "links");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.master = Objects.requireNonNull(master, "master");
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    /** Starts listening on {@code iface}; {@code ownAddress} is this node's address there (its adverts are not news). */
    void start(String iface, String ownAddress) {
        synchronized (this) {
            if (closed || subscription != null) {
                return;
            }
            interfaceName = iface;
            ownAddresses = ownAddress == null ? Set.of() : Set.of(ownAddress);
        }
        CarpAdvertListener.Subscription subscribed = links.adverts(iface, settings.get().vhid(), this::heard);
        // on the wall clock's multiples of the interval, as every master VIP of the node (and their gratuitous ARPs)
        ScheduledFuture<?> checks = scheduler.scheduleAtFixedRate(this::checkOwners,
                AlignedTicks.delayToNext(clock.millis(), OWNER_CHECK_INTERVAL).toNanos(), OWNER_CHECK_INTERVAL.toNanos(),
                TimeUnit.NANOSECONDS);
        synchronized (this) {
            if (closed) {
                subscribed.close();
                checks.cancel(false);
                return;
            }
            subscription = subscribed;
            ownerChecks = checks;
        }
    }

    /** The password changed: adverts on the previous one still count as ours for a while. */
    synchronized void passwordChanged(String previous) {
        previousPassword = previous;
        previousPasswordUntil = clock.instant().plus(PREVIOUS_PASSWORD_VALID);
    }

    void close() {
        CarpAdvertListener.Subscription ending;
        synchronized (this) {
            closed = true;
            ending = subscription;
            subscription = null;
            if (ownerChecks != null) {
                ownerChecks.cancel(false);
                ownerChecks = null;
            }
        }
        if (ending != null) {
            ending.close();
        }
    }

    /** The conflicts seen now, newest first. */
    synchronized List<WireConflict> conflicts() {
        forgetQuietSenders(clock.instant());
        List<WireConflict> all = new ArrayList<>(owners.values());
        all.addAll(foreign.values());
        all.sort(Comparator.comparing(WireConflict::lastSeen).reversed());
        return List.copyOf(all);
    }

    /**
     * Whether adverts that failed authentication in the last {@link #RECENT} all came from senders that are not our
     * peers (false when none was heard, or nothing listens: then the runner cannot tell and backs off as before).
     */
    synchronized boolean foreignOnlyRecently() {
        if (!links.listening()) {
            return false;
        }
        Instant since = clock.instant().minus(RECENT);
        Set<String> peers = new HashSet<>(settings.get().peers());
        boolean any = false;
        for (Map.Entry<String, Instant> sender : failingSenders.entrySet()) {
            if (sender.getValue().isBefore(since)) {
                continue;
            }
            if (peers.contains(sender.getKey())) {
                return false;
            }
            any = true;
        }
        return any;
    }

    // ---- adverts ------------------------------------------------------------------------------------------------

    private void heard(CarpAdvert advert) {
        VipSettings s = settings.get();
        if (advert.vhid() != s.vhid()) {
            return;
        }
        boolean news;
        synchronized (this) {
            if (closed || ownAddresses.contains(advert.source()) || authenticates(advert, s)) {
                return;
            }
            Instant now = clock.instant();
            failingSenders.put(advert.source(), now);
            if (s.peers().contains(advert.source())) {
                return;
            }
            WireConflict known = foreign.get(advert.source());
            news = known == null;
            foreign.put(advert.source(), known == null
                    ? new WireConflict(WireConflict.Kind.FOREIGN_ADVERT, s.vhid(), advert.source(), null,
                            "CARP adverts for vhid " + s.vhid() + " from " + advert.source() + " on " + interfaceName
                                    + " do not authenticate with this VIP's password and address", now, now, 1)
                    : new WireConflict(known.kind(), known.vhid(), known.sender(), null, known.detail(), known.firstSeen(),
                            now, known.count() + 1));
        }
        if (news) {
            LOG.warnf("%s: another CARP speaker uses vhid %d on %s: adverts from %s (advbase %d, advskew %d) do not"
                    + " authenticate with our password and address; ucarp ignores them and this node keeps taking part;"
                    + " reported as a VHID conflict", label, s.vhid(), interfaceName, advert.source(), advert.advbase(),
                    advert.advskew());
            changed.run();
        }
    }

    private boolean authenticates(CarpAdvert advert, VipSettings s) {
        if (CarpDigest.authenticates(advert, s.password(), s.address())) {
            return true;
        }
        return previousPassword != null && clock.instant().isBefore(previousPasswordUntil)
                && CarpDigest.authenticates(advert, previousPassword, s.address());
    }

    private void forgetQuietSenders(Instant now) {
        Instant before = now.minus(FOREIGN_FORGOTTEN_AFTER);
        foreign.values().removeIf(conflict -> {
            boolean quiet = conflict.lastSeen().isBefore(before);
            if (quiet) {
                LOG.infof("%s: no advert from %s for vhid %d since %s: VHID conflict over", label, conflict.sender(),
                        conflict.vhid(), conflict.lastSeen());
            }
            return quiet;
        });
        // only bounds memory: foreignOnlyRecently() looks back RECENT (3 s), far less than FOREIGN_FORGOTTEN_AFTER
        failingSenders.values().removeIf(before::isAfter);
    }

    // ---- duplicate owners ---------------------------------------------------------------------------------------

    private void checkOwners() {
        String iface;
        synchronized (this) {
            iface = interfaceName;
            forgetQuietSendersAndReport();
        }
        if (!master.getAsBoolean()) {
            clearOwners("this node is no longer master");
            return;
        }
        VipSettings s = settings.get();
        links.otherOwners(iface, s.address(), OWNER_CHECK_DEADLINE).whenComplete((macs, error) -> {
            if (error != null) {
                LOG.debugf("%s: cannot ask who else answers for %s: %s", label, s.address(), error.getMessage());
            } else if (macs.isEmpty()) {
                clearOwners("nobody else answers ARP for " + s.address());
            } else {
                scheduler.schedule(() -> recheckOwners(iface, s, Set.copyOf(macs)), OWNER_RECHECK.toNanos(),
                        TimeUnit.NANOSECONDS);
            }
        });
    }

    private void forgetQuietSendersAndReport() {
        int before = foreign.size();
        forgetQuietSenders(clock.instant());
        if (foreign.size() != before) {
            scheduler.execute(changed);
        }
    }

    private void recheckOwners(String iface, VipSettings s, Set<String> first) {
        if (!master.getAsBoolean()) {
            return;
        }
        links.otherOwners(iface, s.address(), OWNER_CHECK_DEADLINE).whenComplete((macs, error) -> {
            if (error != null) {
                return;
            }
            List<String> both = macs.stream().filter(first::contains).toList();
            if (both.isEmpty()) {
                clearOwners("nobody else answers ARP for " + s.address() + " any more");
                return;
            }
            recordOwners(s, both);
        });
    }

    private void recordOwners(VipSettings s, List<String> macs) {
        List<String> fresh = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            Instant now = clock.instant();
            owners.keySet().retainAll(macs);
            for (String mac : macs) {
                WireConflict known = owners.get(mac);
                if (known == null) {
                    fresh.add(mac);
                }
                owners.put(mac, known == null
                        ? new WireConflict(WireConflict.Kind.DUPLICATE_OWNER, s.vhid(), null, mac,
                                mac + " also answers ARP for " + s.address() + " on " + interfaceName
                                        + " while this node is master", now, now, 1)
                        : new WireConflict(known.kind(), known.vhid(), null, mac, known.detail(), known.firstSeen(), now,
                                known.count() + 1));
            }
        }
        if (!fresh.isEmpty()) {
            LOG.warnf("%s: split brain on the wire: %s also answer%s ARP for %s while this node is master (another host"
                    + " configured the address, or another CARP master holds it)", label, String.join(", ", fresh),
                    fresh.size() == 1 ? "s" : "", s.address());
        }
        changed.run();
    }

    private void clearOwners(String why) {
        boolean had;
        synchronized (this) {
            had = !owners.isEmpty();
            owners.clear();
        }
        if (had) {
            LOG.infof("%s: duplicate owner gone: %s", label, why);
            changed.run();
        }
    }
}
