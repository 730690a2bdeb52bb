package io.carpoperator.dataplane;

import java.util.Objects;
import java.util.function.Consumer;

/** Starts a {@link VipRunner} per VIP, all sharing one environment (run directory, scheduler, metrics). */
public final class VipRunnerFactory implements VipDataPlaneFactory {

    private final DataPlaneEnvironment env;

    public VipRunnerFactory(DataPlaneEnvironment env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    public DataPlaneEnvironment environment() {
        return env;
    }

    @Override
    public VipDataPlane start(VipSettings settings, Consumer<VipReport> onChange) {
        return VipRunner.start(settings, onChange, env);
    }
}
