package io.carpoperator.carp;

import java.io.IOException;
import java.time.Duration;

/** A running ucarp, as the supervisor sees it; {@link UcarpProcess} is the real one. */
public interface UcarpInstance {

    /** Receives what the instance reports; called on its reader threads. */
    interface Listener {
        void onEvent(UcarpEvent event);

        /**
         * Called at once when the process has exited, before its remaining output is read (a hook's background child
         * may hold the pipe for a while): the place for what must not wait, such as removing the address. Not a default
         * method on purpose: a listener that wraps another must pass it on (one that did not delayed the address's
         * removal after a crash from 0.1 s to the next restart).
         */
        void onGone(int exitCode);

        /** Called once, after the process has exited and its remaining output has been read. */
        void onExit(int exitCode);
    }

    /** Starts instances; the supervisor's seam for tests. */
    @FunctionalInterface
    interface Launcher {
        UcarpInstance start(String label, java.util.List<String> argv, Listener listener) throws IOException;
    }

    long pid();

    /** The last state ucarp reported; INIT until it reports one. */
    UcarpState state();

    boolean isAlive();

    /** SIGUSR2: ucarp goes to BACKUP (running the down hook), then stays silent for about 3 s. */
    void demote() throws IOException;

    /**
     * Ends it and waits up to {@code grace} for it to be gone: SIGKILL, since a child started behind the
     * {@link SignalShield} does not act on SIGTERM. No down hook runs; the caller runs it when needed. Returns true
     * when it exited within {@code grace}.
     */
    boolean stop(Duration grace);

    /** SIGKILL: the down hook does not run and the address stays configured. */
    void kill();
}
