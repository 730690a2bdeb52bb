package io.carpoperator.carp;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a child (ucarp, the handover helper) so that only the agent decides when it ends. Who receives a stop signal
 * depends on how the agent runs: a container's PID 1 alone, a terminal's whole foreground process group on Ctrl-C,
 * systemd's control group (its default {@code KillMode}), every process of a node that shuts down. A ucarp that gets
 * SIGTERM together with the agent exits at once, releasing the address without telling a backup, and the backup then
 * waits out its master-down timer (about three advert periods of outage) while the agent's handover has nothing left
 * to hand over.
 *
 * <p>So the child starts in a session of its own (no terminal's or process group's signal reaches it) with SIGTERM,
 * SIGINT, SIGHUP and SIGQUIT blocked. A blocked signal stays blocked across {@code exec}, and ucarp 1.5.2 installs
 * handlers with {@code signal()} without touching its mask, so such a signal stays pending and ucarp runs on; SIGUSR2
 * (demote), SIGSTOP and SIGKILL still work. The agent ends its children with SIGKILL and runs the down hook itself
 * when the child was master (see {@link UcarpSupervisor#stop()}). Children of a killed agent are found and ended by the
 * start-up sweep; in a pod they end with the container.
 *
 * <p>Java cannot set a child's signal mask or session, so a two-line Perl program does it and then {@code exec}s the
 * command (the pid stays the child's own): {@code perl} is in Debian's {@code perl-base}, which is essential and
 * present on every Debian system and image.
 */
public final class SignalShield {

    /** The signals a shielded child does not act on. */
    public static final List<String> BLOCKED = List.of("TERM", "INT", "HUP", "QUIT");

    static final String PROGRAM = "use POSIX; POSIX::setsid();"
            + " sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGTERM, SIGINT, SIGHUP, SIGQUIT)) or die \"sigprocmask: $!\\n\";"
            + " exec {$ARGV[0]} @ARGV or die \"exec $ARGV[0]: $!\\n\";";

    private SignalShield() {
    }

    /** {@code argv} behind the shield: {@code perl -e PROGRAM -- argv...}. */
    public static List<String> wrap(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a command");
        }
        List<String> command = new ArrayList<>(List.of("perl", "-e", PROGRAM, "--"));
        command.addAll(argv);
        return command;
    }
}
