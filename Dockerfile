# Driftline image: built with Maven in the first stage, run on a JRE as a non-root user.
# docker build -t driftline .    (see docker-compose.yml for a whole deployment)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY schemas schemas
COPY src/main src/main
# The registry-server profile builds the local test registry; a deployment uses a real one.
RUN mvn -B -q -P '!registry-server' -DskipTests package dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory=target/lib

FROM eclipse-temurin:17-jre
# curl for the container healthcheck (GET /ready).
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN groupadd --system driftline && useradd --system --gid driftline --home-dir /var/lib/driftline driftline \
    && mkdir -p /var/lib/driftline && chown driftline:driftline /var/lib/driftline
COPY --from=build /src/target/classes /opt/driftline/classes
COPY --from=build /src/target/lib /opt/driftline/lib
USER driftline
WORKDIR /var/lib/driftline
ENV DRIFTLINE_DATA_DIR=/var/lib/driftline
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/driftline/classes:/opt/driftline/lib/*", "io.driftline.cli.Main"]
EXPOSE 8080
CMD ["run"]
