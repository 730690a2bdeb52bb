package io.carpoperator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GratuitousArpSpec {
    public static final int DEFAULT_INTERVAL_SECONDS = 10;

    @JsonPropertyDescription("Seconds between repeated gratuitous ARP announcements while master; 0 = only on takeover. Default: 10.")
    @Min(0)
    @Max(3600)
    public Integer intervalSeconds;
}
