package io.carpoperator.carp;

import java.io.IOException;
import java.util.List;

/** Runs a short command (ip, arping, kill) to completion; injectable so callers are tested without processes. */
public interface CommandRunner {

    record Result(int exitCode, String stdout, String stderr) {
        public Result {
            stdout = stdout == null ? "" : stdout;
            stderr = stderr == null ? "" : stderr;
        }

        public boolean ok() {
            return exitCode == 0;
        }
    }

    Result run(List<String> argv) throws IOException;
}
