package io.carpoperator.testing;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * Logging for the agent mains that lab tests and benchmarks run as processes of their own, without Quarkus: Quarkus'
 * class path installs a root handler that only queues records until Quarkus configures logging, so such a process
 * logged nothing. One console handler instead (the test redirects it to a file), timestamps to the millisecond,
 * ucarp's own lines (DEBUG) included.
 */
public final class ConsoleLogging {

    private ConsoleLogging() {
    }

    public static void install() {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        root.addHandler(new ConsoleHandler(new PatternFormatter("%d{HH:mm:ss,SSS} %-5p [%c{1}] %s%e%n")));
        root.setLevel(Level.INFO);
        Logger.getLogger("io.carpoperator").setLevel(Level.FINE);
    }
}
