package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdvertisementSpec {
    public static final int DEFAULT_INTERVAL_SECONDS = 1;
    public static final int DEFAULT_SKEW = 0;
    /** The highest base skew that still leaves room for the per-node preference steps below CARP's 255. */
    public static final int MAX_SKEW = 200;

    @JsonPropertyDescription("CARP advbase: seconds between advertisements, 1-255. A backup declares the master dead after about 3 intervals. Default: 1.")
    @Min(1)
    @Max(255)
    public Integer intervalSeconds;

    @JsonPropertyDescription("Base CARP advskew, 0-200, added to every node's preference step. Default: 0.")
    @Min(0)
    @Max(MAX_SKEW)
    public Integer skew;
}
