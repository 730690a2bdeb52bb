package io.carpoperator.operator;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The wall clock, injected so tests can replace it. */
public class Clocks {
    @Produces
    @Singleton
    Clock systemClock() {
        return Clock.systemUTC();
    }
}
