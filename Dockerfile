# One image per service, built from source: docker compose builds order-processor and order-api
# with MODULE set accordingly.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY shared-events shared-events
COPY idempotency-store idempotency-store
COPY order-processor order-processor
COPY order-api order-api
COPY local-stack/pom.xml local-stack/pom.xml
ARG MODULE
RUN mvn -B -q -DskipTests package -pl ${MODULE} -am \
 && cp ${MODULE}/target/${MODULE}-*-exec.jar /app.jar

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 orders && mkdir -p /var/lib/order-stream && chown orders /var/lib/order-stream
USER orders
COPY --from=build /app.jar /opt/order-stream/app.jar
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/opt/order-stream/app.jar"]
