# One image per service, built from source: docker compose builds order-processor and order-api
# with MODULE set accordingly.
#
# The root pom names every module, and Maven refuses a reactor with a module missing, so every
# module's pom is copied; only the sources that the two services are built from are. A new module
# needs its pom here: DockerfileBuildIT runs this Maven step on exactly what is copied.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY shared-events/pom.xml shared-events/pom.xml
COPY idempotency-store/pom.xml idempotency-store/pom.xml
COPY idempotency-bench/pom.xml idempotency-bench/pom.xml
COPY order-projection/pom.xml order-projection/pom.xml
COPY order-processor/pom.xml order-processor/pom.xml
COPY order-api/pom.xml order-api/pom.xml
COPY local-stack/pom.xml local-stack/pom.xml
COPY test-harness/pom.xml test-harness/pom.xml
COPY system-tests/pom.xml system-tests/pom.xml
COPY ops-cli/pom.xml ops-cli/pom.xml
COPY bench/pom.xml bench/pom.xml
COPY example-consumer/pom.xml example-consumer/pom.xml
COPY api-client-it/pom.xml api-client-it/pom.xml
COPY shared-events/src shared-events/src
COPY idempotency-store/src idempotency-store/src
COPY order-projection/src order-projection/src
COPY order-processor/src order-processor/src
COPY order-api/src order-api/src
ARG MODULE
RUN mvn -B -q -DskipTests package -pl ${MODULE} -am \
 && cp ${MODULE}/target/${MODULE}-*-exec.jar /app.jar

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 orders && mkdir -p /var/lib/order-stream && chown orders /var/lib/order-stream
USER orders
COPY --from=build /app.jar /opt/order-stream/app.jar
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/opt/order-stream/app.jar"]
