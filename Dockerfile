# syntax=docker/dockerfile:1
# Image of the flinkfleet autoscaler daemon (CLI entry point dev.flinkfleet.autoscaler.cli.Main).
# Not built in this repository's CI: the build machines have no Docker engine. Build elsewhere with
#   docker build --build-arg REVISION=$(git rev-parse HEAD) -t ghcr.io/flinkfleet/flink-autoscaler:0.1.0 .
# (REVISION is the commit flinkfleet_build_info reports; "unknown" without it.)
# The Helm chart (charts/flink-autoscaler) runs it as user 10001 with a read-only root filesystem and passes
#   run --config /etc/flinkfleet/autoscaler.conf --log-format json

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# POMs first, so the dependency layer is cached until a POM changes. Best effort (`|| true`): the sibling
# modules are not built yet, so go-offline may stop at them; the real build below fetches whatever is missing.
# Every module's POM: Maven reads them all to build the reactor, even the modules this image does not build.
COPY pom.xml ./
COPY policies/pom.xml policies/
COPY simulator/pom.xml simulator/
COPY simulator-operator/pom.xml simulator-operator/
COPY simulator-flink/pom.xml simulator-flink/
COPY testkit/pom.xml testkit/
COPY testkit-flink/pom.xml testkit-flink/
COPY autoscaler/pom.xml autoscaler/
COPY demo/pom.xml demo/
COPY benchmarks/pom.xml benchmarks/
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl autoscaler -am dependency:go-offline -DexcludeReactor=true || true
COPY policies/src policies/src
COPY simulator/src simulator/src
COPY autoscaler/src autoscaler/src
# The test kits are the autoscaler's test-scope dependencies, so -am builds them too (their tests are skipped).
COPY testkit/src testkit/src
COPY testkit-flink/src testkit-flink/src
ARG REVISION=unknown
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -Dmaven.test.skip=true -Dflinkfleet.revision="$REVISION" package -pl autoscaler -am

FROM eclipse-temurin:17-jre
# A fixed numeric uid/gid so Kubernetes' runAsNonRoot can verify it without /etc/passwd lookups.
RUN groupadd --system --gid 10001 flinkfleet \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin flinkfleet
WORKDIR /opt/flinkfleet
COPY --from=build /src/autoscaler/target/flinkfleet.jar /opt/flinkfleet/flinkfleet.jar
USER 10001:10001
EXPOSE 8080
# Heap from the container's memory limit; the chart overrides JAVA_TOOL_OPTIONS.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70.0 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/opt/flinkfleet/flinkfleet.jar"]
CMD ["run", "--config", "/etc/flinkfleet/autoscaler.conf", "--log-format", "json"]
