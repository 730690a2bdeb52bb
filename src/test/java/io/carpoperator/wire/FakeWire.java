package io.carpoperator.wire;

import io.carpoperator.testing.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A wire helper without a process: records what is sent, and the test writes the helper's lines. */
final class FakeWire implements WireChannel.Launcher {

    static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    final ManualScheduler scheduler = new ManualScheduler(EPOCH);
    final List<Channel> started = new ArrayList<>();
    IOException failNextStart;

    /** A helper whose nanoTime is the scheduler's virtual time. */
    WireHelper helper() {
        return new WireHelper("node test-1", this, scheduler, this::nanos);
    }

    long nanos() {
        return Duration.between(EPOCH, scheduler.now()).toNanos();
    }

    @Override
    public WireChannel start(WireChannel.Listener listener) throws IOException {
        if (failNextStart != null) {
            IOException failure = failNextStart;
            failNextStart = null;
            throw failure;
        }
        Channel channel = new Channel(listener, 1000 + started.size());
        started.add(channel);
        return channel;
    }

    Channel current() {
        return started.get(started.size() - 1);
    }

    /** Everything sent to the current helper. */
    List<String> sent() {
        return current().sent;
    }

    static final class Channel implements WireChannel {
        final WireChannel.Listener listener;
        final long pid;
        final List<String> sent = new ArrayList<>();
        boolean closed;
        boolean brokenPipe;

        Channel(WireChannel.Listener listener, long pid) {
            this.listener = listener;
            this.pid = pid;
        }

        void line(String line) {
            listener.onLine(line);
        }

        void stderr(String line) {
            listener.onDiagnostic(line);
        }

        void exit(int code) {
            listener.onExit(code);
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public synchronized void send(String line) throws IOException {
            if (closed || brokenPipe) {
                throw new IOException("Broken pipe");
            }
            sent.add(line);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
