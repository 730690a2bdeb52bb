package io.carpoperator.bench;

import io.carpoperator.agent.StandaloneAgent;

/**
 * {@code carp-operator agent --standalone} without Quarkus around it, for the data-plane benchmark: the same
 * {@link StandaloneAgent} with its JVM shutdown hook, so SIGTERM hands the VIP over exactly as the packaged agent does.
 */
public final class StandaloneAgentMain {

    private StandaloneAgentMain() {
    }

    public static void main(String[] args) {
        // no Quarkus to configure logging: its class path installs a handler that only queues records until Quarkus
        // starts, so the agent logged nothing; one console handler instead, for the logs the benchmark and lab tests keep
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        for (java.util.logging.Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        root.addHandler(new org.jboss.logmanager.handlers.ConsoleHandler(
                new org.jboss.logmanager.formatters.PatternFormatter("%d{HH:mm:ss,SSS} %-5p [%c{1}] %s%e%n")));
        root.setLevel(java.util.logging.Level.INFO);
        // ucarp's own lines are logged at DEBUG
        java.util.logging.Logger.getLogger("io.carpoperator").setLevel(java.util.logging.Level.FINE);
        int code = StandaloneAgent.run(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
