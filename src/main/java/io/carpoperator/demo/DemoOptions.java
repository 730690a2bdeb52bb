package io.carpoperator.demo;

import java.util.List;
import java.util.Optional;

/** `carp-operator demo [--hold] [--scenario NAME]`. */
record DemoOptions(boolean hold, Optional<String> scenario, boolean help) {

    static final String USAGE = """
            usage: carp-operator demo [--scenario NAME] [--hold]     (as root; ./carp demo builds and runs it)
              Runs a three-node lab (network namespaces, real ucarp), an in-process Kubernetes API, the operator and one
              agent per node, then plays: election, kill, link, isolation, recovery, handover, invalid.
              --scenario NAME  play only NAME (after the election it needs; recovery also plays isolation first)
              --hold           keep everything running after the steps until Ctrl-C, to try kubectl against it
            """;

    static DemoOptions parse(List<String> args, List<String> scenarios) {
        boolean hold = false;
        Optional<String> scenario = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--hold" -> hold = true;
                case "--help", "-h" -> {
                    return new DemoOptions(false, Optional.empty(), true);
                }
                case "--scenario" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("--scenario needs a name, one of: " + String.join(", ", scenarios));
                    }
                    scenario = Optional.of(checkScenario(args.get(++i), scenarios));
                }
                default -> {
                    if (arg.startsWith("--scenario=")) {
                        scenario = Optional.of(checkScenario(arg.substring("--scenario=".length()), scenarios));
                    } else {
                        throw new IllegalArgumentException("unknown option '" + arg + "'");
                    }
                }
            }
        }
        return new DemoOptions(hold, scenario, false);
    }

    private static String checkScenario(String name, List<String> scenarios) {
        if (!scenarios.contains(name)) {
            throw new IllegalArgumentException("unknown scenario '" + name + "'; one of: " + String.join(", ", scenarios));
        }
        return name;
    }
}
