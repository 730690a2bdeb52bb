# carp-operator: one image, modes chosen by the first argument: operator | agent | demo
#   podman build -t carp-operator:0.1.0 .            (or docker build)
#   BASE_IMAGE must be Debian bookworm or newer (apt-get, ucarp package); both stages use it.
ARG BASE_IMAGE=docker.io/library/debian:bookworm-slim

FROM ${BASE_IMAGE} AS build
# gcc and libc6-dev build the small LD_PRELOAD library that makes ucarp read adverts at once (src/main/c)
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven gcc libc6-dev unzip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline || true
COPY src src
COPY crds crds
# the demo mode preloads the CRD and applies the sample from the jar
COPY deploy/samples deploy/samples
RUN mvn -B -q package -DskipTests
# A Java runtime with only the modules the jars use (jdeps over their classes: modular jars given as jars make jdeps
# resolve modules the fast-jar layout does not declare), plus the ones loaded by name at run time: elliptic-curve TLS
# to the API server, DNS, and jar: URLs (the jar file system provider Quarkus reads its own jars with).
RUN mkdir /tmp/classes && cd /tmp/classes \
 && for jar in $(find /src/target/quarkus-app -name '*.jar'); do unzip -qo "$jar" -x 'module-info.class' 'META-INF/versions/*/module-info.class'; done \
 && jdeps --ignore-missing-deps -q --multi-release 17 --print-module-deps /tmp/classes > /tmp/modules \
 && echo "jdeps: $(cat /tmp/modules)" \
 && jlink --add-modules "$(cat /tmp/modules),jdk.crypto.ec,jdk.naming.dns,jdk.zipfs" --strip-debug --no-header-files \
      --no-man-pages --compress=2 --output /opt/jre \
 && rm -rf /tmp/classes

FROM ${BASE_IMAGE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="carp-operator" \
      org.opencontainers.image.description="Floating IPs for bare-metal Kubernetes: CARP (ucarp) failover with an isolation watchdog" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
# ucarp and the probes' tools are the data plane; coreutils brings stdbuf for line-buffered ucarp output; procps
# (sysctl) is for the demo's lab; perl-base (essential, so already there) runs ucarp behind the signal shield.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ucarp iproute2 iputils-ping iputils-arping coreutils procps perl-base \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /usr/share/doc/* /usr/share/man/* /usr/share/locale/* \
 && useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin carp
COPY --from=build /opt/jre /opt/jre
ENV PATH=/opt/jre/bin:$PATH
COPY --from=build /src/target/quarkus-app/ /opt/carp-operator/
# Non-root by default (operator mode); the agent DaemonSet runs it as root with NET_ADMIN and NET_RAW only.
USER 10001
ENV JAVA_OPTS="-XX:+UseSerialGC -XX:MaxRAMPercentage=60 -XX:TieredStopAtLevel=1 -Xss512k"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/carp-operator/quarkus-run.jar \"$@\"", "carp-operator"]
CMD ["operator"]
