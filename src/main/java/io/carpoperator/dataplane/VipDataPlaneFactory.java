package io.carpoperator.dataplane;

import java.util.function.Consumer;

/** Starts the data plane of one VIP; {@code onChange} is called with every new report (never blocks the data plane). */
public interface VipDataPlaneFactory {
    VipDataPlane start(VipSettings settings, Consumer<VipReport> onChange);
}
