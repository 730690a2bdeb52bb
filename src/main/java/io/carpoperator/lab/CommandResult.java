package io.carpoperator.lab;

import java.util.List;

/** What a finished command left behind: its exit code and its output (stdout and stderr merged). */
public record CommandResult(List<String> argv, int exitCode, String output, boolean timedOut) {

    public CommandResult {
        argv = List.copyOf(argv);
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** Returns this result, or throws naming the command, exit code and output when it failed. */
    public CommandResult orThrow() {
        if (!succeeded()) {
            throw new LabException(describe());
        }
        return this;
    }

    public String describe() {
        String how = timedOut ? "timed out" : "exited " + exitCode;
        return "'" + String.join(" ", argv) + "' " + how + (output.isBlank() ? "" : ": " + output.strip());
    }
}
