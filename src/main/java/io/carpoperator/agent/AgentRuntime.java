package io.carpoperator.agent;

import java.util.Map;

/**
 * The agent's JVM flags and native environment, as deploy/base/agent/daemonset.yaml sets them (a test keeps the two
 * equal) and as the benchmarks start the agent.
 */
public final class AgentRuntime {
    /** glibc gives every thread its own malloc arena by default; with a ucarp reader per VIP that is most of the RSS. */
    public static final Map<String, String> NATIVE_ENV = Map.of("MALLOC_ARENA_MAX", "2");
    /**
     * A bounded heap and small stacks and code cache, so the agent's RSS stays small on every node whatever the node's
     * RAM (a percentage of a large node's memory would let the young generation grow far before any GC).
     */
    public static final String JVM_OPTIONS = "-XX:+UseSerialGC -Xms16m -Xmx48m -XX:MaxMetaspaceSize=96m"
            + " -XX:ReservedCodeCacheSize=24m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss256k -XX:MaxDirectMemorySize=16m";

    private AgentRuntime() {
    }
}
