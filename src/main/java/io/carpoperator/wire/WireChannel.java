package io.carpoperator.wire;

import java.io.IOException;

/** One running wire helper, as {@link WireHelper} sees it; {@link WireProcess} is the real one, tests use a fake. */
public interface WireChannel {

    /** What the helper reports; called on the channel's own reader threads. */
    interface Listener {
        /** One line the helper wrote on stdout, without its line break. */
        void onLine(String line);

        /** One line the helper wrote on stderr (perl's own complaints); for the log and the exit reason. */
        void onDiagnostic(String line);

        /** Called once, after stdout has ended and the process has exited. */
        void onExit(int exitCode);
    }

    /** Starts helpers; {@link WireHelper}'s seam for tests. */
    @FunctionalInterface
    interface Launcher {
        WireChannel start(Listener listener) throws IOException;
    }

    long pid();

    /** Writes one command line and flushes it; throws when the helper's stdin is closed. */
    void send(String line) throws IOException;

    /** Asks the helper to quit, and kills it if it has not exited within a second; returns when it is gone. */
    void close();
}
