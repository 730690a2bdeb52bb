package io.carpoperator.bench;

/** Which processes of a system's instance get the SIGTERM of a graceful stop; each is a service manager's habit. */
enum SignalPath {
    /** The instance's main process only: Kubernetes to a container's PID 1, systemd's KillMode=mixed and =process. */
    MAIN_PROCESS,
    /**
     * The main process's process group in one kill(2) ({@code kill -TERM -PGID}): supervisord's stopasgroup, tini -g,
     * a shell's {@code kill %job}. It reaches what the instance left in its group, not what it moved to its own session.
     */
    PROCESS_GROUP,
    /**
     * The main process and every descendant, whatever session or group it is in: systemd's default KillMode=control-group,
     * a node shutdown.
     */
    EVERY_PROCESS
}
