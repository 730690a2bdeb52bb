package io.carpoperator.carp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Answers commands by their joined argv prefix and records every command. */
public final class RecordingCommandRunner implements CommandRunner {

    final List<String> commands = new ArrayList<>();
    private final Map<String, Result> answers = new HashMap<>();

    public RecordingCommandRunner answer(String commandPrefix, Result result) {
        answers.put(commandPrefix, result);
        return this;
    }

    @Override
    public synchronized Result run(List<String> argv) {
        String command = String.join(" ", argv);
        commands.add(command);
        return answers.entrySet().stream()
                .filter(e -> command.startsWith(e.getKey()))
                .max(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.length(), b.length())))
                .map(Map.Entry::getValue)
                .orElse(new Result(0, "", ""));
    }

    public synchronized List<String> commands() {
        return List.copyOf(commands);
    }
}
