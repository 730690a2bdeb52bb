package io.carpoperator.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The demo's console belongs to the demo's own lines; every log line of the operator, the agents and the lab (their
 * transitions, reasons, retries) goes to a file instead, whose path the demo prints.
 */
final class DemoLog extends Handler {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final Writer writer;

    private DemoLog(Writer writer) {
        this.writer = writer;
        setLevel(Level.INFO);
    }

    /** Silences the console handlers and appends every INFO and higher record to {@code file}. */
    static DemoLog redirectTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        DemoLog handler = new DemoLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND));
        Logger root = Logger.getLogger("");
        for (Handler existing : root.getHandlers()) {
            existing.setLevel(Level.OFF);
        }
        root.addHandler(handler);
        Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
        return handler;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String logger = record.getLoggerName() == null ? "" : record.getLoggerName().replaceAll("^.*\\.", "");
        try {
            writer.write(TIME.format(record.getInstant()) + " " + record.getLevel() + " [" + logger + "] " + message + "\n");
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                writer.write(trace.toString());
            }
            writer.flush();
        } catch (IOException e) {
            reportError("cannot write the demo log", e, 0);
        }
    }

    @Override
    public void flush() {
        try {
            writer.flush();
        } catch (IOException e) {
            reportError("cannot flush the demo log", e, 0);
        }
    }

    @Override
    public synchronized void close() {
        Logger.getLogger("").removeHandler(this);
        try {
            writer.close();
        } catch (IOException e) {
            reportError("cannot close the demo log", e, 0);
        }
    }
}
