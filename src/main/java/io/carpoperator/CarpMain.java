package io.carpoperator;

import io.carpoperator.agent.StandaloneAgent;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import io.javaoperatorsdk.operator.Operator;
import java.util.Arrays;
import org.jboss.logging.Logger;

/** One jar, several modes chosen by the first argument; only `operator` starts the JOSDK controllers. */
@QuarkusMain
public class CarpMain implements QuarkusApplication {
    static final int USAGE_ERROR = 2;
    private static final Logger LOG = Logger.getLogger(CarpMain.class);
    static final String USAGE = """
            usage: carp-operator MODE [ARGS]
              operator   run the VirtualIP controller (in a cluster: the Deployment in deploy/)
              agent --standalone [UCARP AND WATCHDOG FLAGS]
                         run one VIP without Kubernetes (see agent --standalone --help)
            """;

    @Inject
    Instance<Operator> operator;

    public static void main(String... args) {
        Quarkus.run(CarpMain.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return args.length == 0 ? USAGE_ERROR : 0;
        }
        String mode = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (mode) {
            case "operator":
                if (rest.length > 0) {
                    System.err.println("carp-operator: mode 'operator' takes no arguments, got " + String.join(" ", rest));
                    return USAGE_ERROR;
                }
                LOG.info("starting carp-operator in operator mode");
                operator.get().start();
                Quarkus.waitForExit();
                return 0;
            case "agent":
                if (rest.length > 0 && rest[0].equals("--standalone")) {
                    return StandaloneAgent.run(Arrays.copyOfRange(rest, 1, rest.length));
                }
                System.err.println("carp-operator: mode 'agent' needs --standalone here");
                return USAGE_ERROR;
            default:
                System.err.println("carp-operator: unknown mode '" + mode + "'\n" + USAGE);
                return USAGE_ERROR;
        }
    }
}
