package io.carpoperator.carp;

import java.io.IOException;
import java.time.Duration;

/** A running ucarp, as the supervisor sees it; {@link UcarpProcess} is the real one. */
public interface UcarpInstance {

    /** Receives what the instance reports; called on its reader threads. */
    interface Listener {
        void onEvent(UcarpEvent event);

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
     * SIGTERM, which with {@code -z} runs the down hook when not BACKUP; SIGKILL if it has not exited within
     * {@code grace}. Returns true when it exited on its own.
     */
    boolean stop(Duration grace);

    /** SIGKILL: the down hook does not run and the address stays configured. */
    void kill();
}
