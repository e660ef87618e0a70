# The Capstan hook images. Build the static binaries first (cmake -S . -B build -DCMAKE_BUILD_TYPE=Release &&
# cmake --build build --target capstan), then:
#   docker build -t ghcr.io/capstan-dev/capstan:0.1.0 .                          # hook image: capstan on an empty base
#   docker build --target backup -t ghcr.io/capstan-dev/capstan-backup:0.1.0 .   # backup/restore: + pg_dump/pg_restore/psql
# ghcr.io/capstan-dev/capstan:<version> is also the default image of the `capstan wait` init containers that
# capstan-postrender injects (postrender/kit/injected_container.h kHookImageRepository; the version is the binary's).
# The chart runs both as uid 1001 with a read-only root filesystem (hooks.image, hooks.backup.image).

# CA certificates for TLS to the database and HTTPS smoke checks (the hook image has no package manager).
FROM debian:12-slim AS certs
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*

# capstan backup/restore run pg_dump, pg_restore and psql as child processes: this image adds the PostgreSQL 15 client
# tools (postgresql-client-15 has all three in PG_BIN).
FROM debian:12-slim AS backup
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client-15 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY build/capstan /usr/local/bin/capstan
ENV PG_BIN=/usr/lib/postgresql/15/bin
USER 1001:1001
ENTRYPOINT ["/usr/local/bin/capstan"]

# The hook image (default target): the static capstan binary and the CA bundle, nothing else, no shell.
FROM scratch AS hook
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY build/capstan /capstan
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 1001:1001
ENTRYPOINT ["/capstan"]
