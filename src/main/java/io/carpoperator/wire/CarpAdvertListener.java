package io.carpoperator.wire;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * Hands the CARP adverts that arrive on an interface to whoever subscribed to that interface, through the node's
 * {@link WireHelper}: {@code listen} when an interface gets its first subscriber, {@code unlisten} when its last one
 * leaves, and {@code listen} again for every subscribed interface whenever a new helper process starts. Adverts of this
 * node's own ucarp may come back too; subscribers filter them by source. Protocol-112 packets that are no CARP header
 * (VRRP shares the protocol number) are dropped with a debug line.
 */
public final class CarpAdvertListener implements WireHelper.Listener {

    private static final Logger LOG = Logger.getLogger(CarpAdvertListener.class);

    /** Ends one subscription; closing it twice is harmless. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final WireHelper helper;
    /** Read on the helper's reader thread without a lock; changed only under {@link #subscriptionLock}. */
    private final Map<String, List<Consumer<CarpAdvert>>> subscribers = new ConcurrentHashMap<>();
    /**
     * Orders subscribes, unsubscribes and their listen/unlisten lines, which are written while holding it; the reader
     * thread never takes it, so a full pipe cannot deadlock against the reader that would drain it.
     */
    private final Object subscriptionLock = new Object();

    private CarpAdvertListener(WireHelper helper) {
        this.helper = Objects.requireNonNull(helper, "helper");
    }

    public static CarpAdvertListener on(WireHelper helper) {
        CarpAdvertListener listener = new CarpAdvertListener(helper);
        helper.addListener(listener);
        return listener;
    }

    /**
     * Calls {@code consumer} with every CARP advert arriving on {@code interfaceName}, on the helper's reader thread
     * (it must not block), until the returned subscription is closed.
     *
     * @throws IllegalArgumentException when {@code interfaceName} is not a Linux interface name
     */
    public Subscription subscribe(String interfaceName, Consumer<CarpAdvert> consumer) {
        String listenLine = WireCommand.listen(interfaceName);
        Objects.requireNonNull(consumer, "consumer");
        Consumer<CarpAdvert> entry = consumer::accept;
        synchronized (subscriptionLock) {
            List<Consumer<CarpAdvert>> list = subscribers.computeIfAbsent(interfaceName, i -> new CopyOnWriteArrayList<>());
            list.add(entry);
            if (list.size() == 1) {
                sendQuietly(listenLine);
            }
        }
        return () -> unsubscribe(interfaceName, entry);
    }

    private void unsubscribe(String interfaceName, Consumer<CarpAdvert> entry) {
        synchronized (subscriptionLock) {
            List<Consumer<CarpAdvert>> list = subscribers.get(interfaceName);
            if (list == null || !list.remove(entry)) {
                return;
            }
            if (list.isEmpty()) {
                subscribers.remove(interfaceName);
                sendQuietly(WireCommand.unlisten(interfaceName));
            }
        }
    }

    /** Interfaces with at least one subscriber. */
    public List<String> interfaces() {
        return List.copyOf(subscribers.keySet());
    }

    @Override
    public void onStarted() {
        synchronized (subscriptionLock) {
            for (String interfaceName : subscribers.keySet()) {
                sendQuietly(WireCommand.listen(interfaceName));
            }
        }
    }

    @Override
    public void onEvent(WireEvent event, long arrivedNanos) {
        if (event instanceof WireEvent.Advert advert) {
            deliver(advert);
        } else if (event instanceof WireEvent.Listening listening) {
            LOG.debugf("wire helper for %s listens for CARP adverts on %s", helper.label(), listening.interfaceName());
        } else if (event instanceof WireEvent.Failure failure && failure.requestId().isEmpty()
                && (failure.message().startsWith("listen ") || failure.message().startsWith("unlisten "))) {
            LOG.warnf("wire helper for %s cannot watch CARP adverts: %s", helper.label(), failure.message());
        }
    }

    private void deliver(WireEvent.Advert event) {
        List<Consumer<CarpAdvert>> list = subscribers.get(event.interfaceName());
        if (list == null) {
            return;
        }
        CarpAdvert advert;
        try {
            advert = CarpAdvert.of(event);
        } catch (IllegalArgumentException e) {
            LOG.debugf("wire helper for %s: dropped a protocol-112 packet: %s", helper.label(), e.getMessage());
            return;
        }
        for (Consumer<CarpAdvert> consumer : list) {
            try {
                consumer.accept(advert);
            } catch (RuntimeException e) {
                LOG.errorf(e, "wire helper for %s: a CARP advert subscriber on %s failed on %s", helper.label(),
                        event.interfaceName(), advert);
            }
        }
    }

    /** A helper that is not running gets every listen line again when it starts; nothing is lost by skipping one. */
    private void sendQuietly(String line) {
        try {
            helper.send(line);
        } catch (IOException e) {
            LOG.debugf("not sent now, will be on the next helper start: %s (%s)", line, e.getMessage());
        }
    }
}
