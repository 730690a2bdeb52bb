package io.carpoperator.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/** The demo's console: whole lines only (the live table prints from its own thread), times relative to the start. */
final class DemoOutput {
    private final PrintStream out;
    private final Instant start;

    DemoOutput(PrintStream out, Instant start) {
        this.out = out;
        this.start = start;
    }

    synchronized void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A finding of the running step. */
    void note(String text) {
        line("   -> " + text);
    }

    String elapsed(Instant at) {
        return String.format("%6.1fs", Duration.between(start, at).toMillis() / 1000.0);
    }
}
