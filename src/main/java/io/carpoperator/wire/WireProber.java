package io.carpoperator.wire;

import io.carpoperator.watchdog.ProbeKind;
import io.carpoperator.watchdog.ProbeResult;
import io.carpoperator.watchdog.ProbeTarget;
import io.carpoperator.watchdog.Prober;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Probes through the node's {@link WireHelper}: {@code icmp} for ICMP targets, {@code arp} on the target's interface for
 * ARP targets. A probe is answered when the helper reports the reply, with the round-trip time from just before the
 * command was written to the arrival of the reply's line; it times out at its deadline (then the helper is told to
 * {@code cancel}); it fails with the helper's message on an {@code error}, and at once when the helper is not running
 * or stops. The future never completes exceptionally. Futures complete on the helper's reader thread or the scheduler's:
 * what depends on them must not block.
 *
 * <h2>Coalescing</h2>
 * Probes of the same target (kind, interface, address; the role does not matter) share one packet. A request joins the
 * packet in flight for its target when that packet was sent less than the deadline of the request that sent it ago,
 * and no reply has arrived yet; otherwise it sends a packet of its own. Every request keeps its own deadline: the first
 * reply answers all requests still waiting, each with the packet's round-trip time, and each request that sees no
 * reply within its own deadline times out at that deadline. So a request is never answered by a reply that arrived
 * before it asked or after its deadline, and one lost packet can only fail requests made within one deadline of it:
 * 100 VIPs probing the same gateway in the same round send one packet, not 100.
 */
public final class WireProber implements Prober, WireHelper.Listener {

    private final WireHelper helper;
    private final ScheduledExecutorService scheduler;

    private final Object lock = new Object();
    /** The newest packet of each target, which later requests may join while it is fresh. */
    private final Map<ProbeKey, Packet> newest = new HashMap<>();
    /** Every packet someone still waits for, by request id. */
    private final Map<Long, Packet> waitedFor = new HashMap<>();

    private WireProber(WireHelper helper, ScheduledExecutorService scheduler) {
        this.helper = Objects.requireNonNull(helper, "helper");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** @param scheduler fires the deadlines */
    public static WireProber on(WireHelper helper, ScheduledExecutorService scheduler) {
        WireProber prober = new WireProber(helper, scheduler);
        helper.addListener(prober);
        return prober;
    }

    /** What makes two probes the same packet; interfaceName is null for ICMP. */
    record ProbeKey(ProbeKind kind, String interfaceName, String address) {
        static ProbeKey of(ProbeTarget target) {
            return new ProbeKey(target.kind(), target.kind() == ProbeKind.ARP ? target.interfaceName() : null, target.address());
        }

        String command(long requestId) {
            return kind == ProbeKind.ICMP ? WireCommand.icmp(requestId, address) : WireCommand.arp(requestId, interfaceName, address);
        }
    }

    private static final class Packet {
        final long requestId;
        final ProbeKey key;
        final long sentNanos;
        final long freshUntilNanos;
        final List<Request> waiting = new ArrayList<>(1);
        /** Set under the lock when the reply came; a fresh answered packet answers later probes at once. */
        Duration answered;

        Packet(long requestId, ProbeKey key, long sentNanos, Duration deadline) {
            this.requestId = requestId;
            this.key = key;
            this.sentNanos = sentNanos;
            this.freshUntilNanos = sentNanos + deadline.toNanos();
        }

        boolean freshAt(long nanos) {
            return nanos - freshUntilNanos < 0;
        }
    }

    private static final class Request {
        final ProbeTarget target;
        final Duration deadline;
        final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        ScheduledFuture<?> timer;

        Request(ProbeTarget target, Duration deadline) {
            this.target = target;
            this.deadline = deadline;
        }
    }

    @Override
    public CompletableFuture<ProbeResult> probe(ProbeTarget target, Duration deadline) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(deadline, "deadline");
        ProbeKey key = ProbeKey.of(target);
        try {
            key.command(0);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(ProbeResult.failed(target, e.getMessage()));
        }
        Request request = new Request(target, deadline);
        Packet packet;
        boolean joined;
        synchronized (lock) {
            long now = helper.nanoTime();
            packet = newest.get(key);
            if (packet != null && packet.freshAt(now) && packet.answered != null) {
                // answered less than a deadline ago: as good as a reply to a packet sent now
                return CompletableFuture.completedFuture(ProbeResult.answered(target, packet.answered));
            }
            joined = packet != null && packet.freshAt(now) && waitedFor.get(packet.requestId) == packet;
            if (!joined) {
                packet = new Packet(helper.nextRequestId(), key, now, deadline);
                newest.put(key, packet);
                waitedFor.put(packet.requestId, packet);
            }
            packet.waiting.add(request);
            Packet timed = packet;
            request.timer = scheduler.schedule(() -> timedOut(timed, request), deadline.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (!joined) {
            try {
                helper.send(key.command(packet.requestId));
            } catch (IOException e) {
                fail(packet.requestId, e.getMessage());
            }
        }
        return request.result;
    }

    @Override
    public void onEvent(WireEvent event, long arrivedNanos) {
        if (event instanceof WireEvent.EchoReply reply) {
            answered(reply.requestId(), ProbeKind.ICMP, arrivedNanos);
        } else if (event instanceof WireEvent.ArpReply reply) {
            answered(reply.requestId(), ProbeKind.ARP, arrivedNanos);
        } else if (event instanceof WireEvent.Failure failure && failure.requestId().isPresent()) {
            fail(failure.requestId().getAsLong(), failure.message());
        }
    }

    /** Nothing sent to the old helper will be answered: waiting for the deadline would only hide why. */
    @Override
    public void onStopped(String reason) {
        List<Packet> lost;
        synchronized (lock) {
            lost = new ArrayList<>(waitedFor.values());
        }
        for (Packet packet : lost) {
            fail(packet.requestId, reason);
        }
    }

    private void answered(long requestId, ProbeKind kind, long arrivedNanos) {
        Packet packet;
        List<Request> answered;
        Duration rtt;
        synchronized (lock) {
            packet = waitedFor.get(requestId);
            if (packet == null || packet.key.kind() != kind) {
                return;
            }
            rtt = Duration.ofNanos(Math.max(0, arrivedNanos - packet.sentNanos));
            packet.answered = rtt;
            answered = finish(packet);
            // stays the newest packet of its target: probes asked while it is fresh share its answer
            newest.put(packet.key, packet);
        }
        for (Request request : answered) {
            request.timer.cancel(false);
            request.result.complete(ProbeResult.answered(request.target, rtt));
        }
    }

    private void fail(long requestId, String reason) {
        List<Request> failed;
        synchronized (lock) {
            Packet packet = waitedFor.get(requestId);
            if (packet == null) {
                return;
            }
            failed = finish(packet);
        }
        for (Request request : failed) {
            request.timer.cancel(false);
            request.result.complete(ProbeResult.failed(request.target, reason));
        }
    }

    private void timedOut(Packet packet, Request request) {
        boolean nobodyLeft;
        synchronized (lock) {
            if (!packet.waiting.remove(request)) {
                return;
            }
            nobodyLeft = packet.waiting.isEmpty();
            if (nobodyLeft) {
                finish(packet);
            }
        }
        request.result.complete(ProbeResult.timedOut(request.target, request.deadline));
        if (nobodyLeft) {
            try {
                helper.send(WireCommand.cancel(packet.requestId));
            } catch (IOException e) {
                // A helper that is gone has forgotten the request already.
            }
        }
    }

    /** Under the lock: forgets the packet and hands back whoever still waited for it. */
    private List<Request> finish(Packet packet) {
        waitedFor.remove(packet.requestId);
        newest.remove(packet.key, packet);
        List<Request> waiting = List.copyOf(packet.waiting);
        packet.waiting.clear();
        return waiting;
    }

    /** Packets still waited for; for tests and metrics. */
    int packetsInFlight() {
        synchronized (lock) {
            return waitedFor.size();
        }
    }
}
