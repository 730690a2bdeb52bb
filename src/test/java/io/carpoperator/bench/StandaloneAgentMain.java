package io.carpoperator.bench;

import io.carpoperator.agent.StandaloneAgent;
import io.carpoperator.testing.ConsoleLogging;

/**
 * {@code carp-operator agent --standalone} without Quarkus around it, for the data-plane benchmark: the same
 * {@link StandaloneAgent} with its JVM shutdown hook, so SIGTERM hands the VIP over exactly as the packaged agent does.
 */
public final class StandaloneAgentMain {

    private StandaloneAgentMain() {
    }

    public static void main(String[] args) {
        ConsoleLogging.install();
        int code = StandaloneAgent.run(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
