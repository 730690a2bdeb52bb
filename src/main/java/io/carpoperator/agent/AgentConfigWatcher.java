package io.carpoperator.agent;

import io.carpoperator.api.AgentConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Watches the operator-owned ConfigMaps and password copies of the agents' namespace (nothing else: no VirtualIP, no
 * other node's report, so a status change elsewhere costs this agent no event) and after each change brings the
 * running VIPs in line on one thread: {@link DesiredVips} decides, {@link VipSetReconciler} diffs, {@link RunningVips}
 * acts. The informer caches outlive an API outage, so an outage stops nothing.
 */
public final class AgentConfigWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AgentConfigWatcher.class);
    /** Re-examines every VIP from the local caches now and then, so a data plane that failed to start is retried. */
    static final Duration FULL_PASS_INTERVAL = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final AgentSettings settings;
    private final DesiredVips desiredVips;
    private final RunningVips running;
    private final ScheduledExecutorService reconciler;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean fullPass = new AtomicBoolean(true);
    private final AtomicBoolean queued = new AtomicBoolean();
    /** The reason last logged per VIP that keeps its configuration, so each reason is logged once. */
    private final Map<String, String> keepReasons = new HashMap<>();
    /** A full pass over complete caches has brought the running VIPs in line at least once. */
    private volatile boolean appliedOnce;
    /** Runs once, on the reconciler thread, after the first full pass over complete caches. */
    private final Runnable afterFirstSyncedPass;
    private SharedIndexInformer<ConfigMap> configs;
    private SharedIndexInformer<Secret> secrets;

    AgentConfigWatcher(KubernetesClient client, AgentSettings settings, RunningVips running) {
        this(client, settings, running, () -> { });
    }

    AgentConfigWatcher(KubernetesClient client, AgentSettings settings, RunningVips running, Runnable afterFirstSyncedPass) {
        this.afterFirstSyncedPass = afterFirstSyncedPass;
        this.client = client;
        this.settings = settings;
        this.desiredVips = new DesiredVips(settings);
        this.running = running;
        this.reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "carp-agent-reconciler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the informers without waiting for the API server: the agent must come up while it is unreachable. */
    void start() {
        configs = client.configMaps().inNamespace(settings.namespace()).withLabel(AgentConfig.VIP_LABEL).runnableInformer(0);
        configs.exceptionHandler(this::retry);
        configs.addEventHandler(handler(config -> markDirty(config.getMetadata().getName())));
        secrets = client.secrets().inNamespace(settings.namespace()).withLabel(AgentConfig.VIP_LABEL).runnableInformer(0);
        secrets.exceptionHandler(this::retry);
        secrets.addEventHandler(handler(secret -> markDirty(secret.getMetadata().getName())));
        CompletableFuture.allOf(configs.start().toCompletableFuture(), secrets.start().toCompletableFuture())
                .thenRun(() -> {
                    LOG.infof("node %s: watching the VirtualIP configurations of namespace %s", settings.nodeName(), settings.namespace());
                    requestFullPass();
                });
        reconciler.scheduleWithFixedDelay(this::requestFullPass, FULL_PASS_INTERVAL.toMillis(), FULL_PASS_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code fallback} on the reconciler thread after {@code grace} unless the caches have synced by then. Sharing
     * the thread with reconciling means a sync at that very moment cannot start a VIP twice: its pass runs after the
     * fallback and sees what the fallback started.
     */
    void unlessSyncedWithin(Duration grace, Runnable fallback) {
        reconciler.schedule(() -> {
            if (!hasSynced()) {
                fallback.run();
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Both caches hold a complete list (once true, stays true through outages). */
    public boolean hasSynced() {
        return configs != null && secrets != null && configs.hasSynced() && secrets.hasSynced();
    }

    /**
     * The running VIPs reflect complete caches: until the first full pass after the informers synced, an empty running
     * set may mean only that nothing was started yet (for /readyz).
     */
    boolean hasApplied() {
        return appliedOnce;
    }

    /** Stops the informers and the reconciler thread; running VIPs are left alone (see {@link RunningVips#stopAll}). */
    @Override
    public void close() {
        reconciler.shutdown();
        try {
            if (!reconciler.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warnf("node %s: the reconciler did not finish within 10 s", settings.nodeName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (configs != null) {
            configs.stop();
        }
        if (secrets != null) {
            secrets.stop();
        }
    }

    private boolean retry(boolean started, Throwable error) {
        LOG.warnf("node %s: watching %s failed (%s); retrying, running VIPs are not affected", settings.nodeName(),
                started ? "the API server" : "the API server at start", error.getMessage());
        return true;
    }

    private void markDirty(String name) {
        dirty.add(name);
        schedule();
    }

    private void requestFullPass() {
        fullPass.set(true);
        schedule();
    }

    private void schedule() {
        if (queued.compareAndSet(false, true)) {
            try {
                reconciler.execute(this::reconcile);
            } catch (RejectedExecutionException e) {
                queued.set(false);
            }
        }
    }

    private void reconcile() {
        queued.set(false);
        if (!hasSynced()) {
            return;
        }
        Set<String> names = new TreeSet<>();
        boolean full = fullPass.getAndSet(false);
        if (full) {
            configs.getStore().list().forEach(config -> names.add(config.getMetadata().getName()));
            names.addAll(running.settings().keySet());
            dirty.clear();
        } else {
            for (String name : List.copyOf(dirty)) {
                dirty.remove(name);
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            firstSyncedPassDone(full);
            return;
        }
        try {
            Map<String, String> ownAddresses = running.ownAddresses();
            Map<String, DesiredVip> desired = new HashMap<>();
            for (String name : names) {
                ConfigMap config = configs.getStore().getByKey(settings.namespace() + "/" + name);
                desired.put(name, desiredFor(name, config, ownAddresses.get(name)));
            }
            List<VipAction> actions = VipSetReconciler.plan(desired, running.settings(names));
            logKeeps(desired, actions);
            running.apply(actions);
            firstSyncedPassDone(full);
        } catch (RuntimeException e) {
            LOG.errorf(e, "node %s: reconciling VIPs %s failed; retrying on the next change", settings.nodeName(), names);
        }
    }

    private void firstSyncedPassDone(boolean full) {
        if (full && !appliedOnce) {
            appliedOnce = true;
            try {
                afterFirstSyncedPass.run();
            } catch (RuntimeException e) {
                LOG.warnf("node %s: after the first synced pass: %s", settings.nodeName(), e.toString());
            }
        }
    }

    /** One object that cannot be used must not hold up the others: it keeps what runs, and says why once. */
    private DesiredVip desiredFor(String name, ConfigMap config, String ownAddress) {
        try {
            return desiredVips.desired(name, config, this::secret, ownAddress, running.reported(name));
        } catch (RuntimeException e) {
            return new DesiredVip.KeepLast(name, "cannot be used (" + e + ")");
        }
    }

    private Secret secret(String name) {
        return secrets.getStore().getByKey(settings.namespace() + "/" + name);
    }

    private void logKeeps(Map<String, DesiredVip> desired, List<VipAction> actions) {
        desired.forEach((name, want) -> {
            if (want instanceof DesiredVip.Run || want instanceof DesiredVip.Release) {
                keepReasons.remove(name);
            }
        });
        for (VipAction action : actions) {
            if (action instanceof VipAction.Keep keep && !keep.reason().equals(keepReasons.put(keep.name(), keep.reason()))) {
                if (keep.running()) {
                    LOG.warnf("VirtualIP %s on node %s: keeps running its last good configuration: %s", keep.name(), settings.nodeName(),
                            keep.reason());
                } else {
                    LOG.warnf("VirtualIP %s on node %s: not started: %s", keep.name(), settings.nodeName(), keep.reason());
                }
            }
        }
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(java.util.function.Consumer<T> changed) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                changed.accept(object);
            }

            @Override
            public void onUpdate(T before, T after) {
                changed.accept(after);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                changed.accept(object);
            }
        };
    }
}
