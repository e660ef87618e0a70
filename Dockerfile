# The Capstan hook images, for users with a container engine. scripts/build-images.sh builds the same contents
# without one, as OCI image layouts with a multi-arch index (see README.md, "Images"). Build the static binary
# first (cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build --target capstan), then:
#   docker build -t ghcr.io/capstan-dev/capstan:0.1.0 .                          # hook image: capstan on an empty base
#   docker build --target backup -t ghcr.io/capstan-dev/capstan-backup:0.1.0 .   # backup/restore: + pg_dump/pg_restore/psql
# ghcr.io/capstan-dev/capstan:<version> is also the default image of the `capstan wait` init containers that
# capstan-postrender injects (postrender/kit/injected_container.h kHookImageRepository; the version is the binary's).
# The chart runs both as uid 1001 with a read-only root filesystem (hooks.image, hooks.backup.image). Neither image
# has a shell or an /etc/passwd.

# Debian's packages: the CA bundle, and the PostgreSQL 15 client tools with exactly the shared libraries they load
# (collected into /out: the programs in /usr/lib/postgresql/15/bin, the libraries in /usr/lib/<triplet>/, the
# program interpreter where the programs look for it, the packages' copyright files).
FROM debian:12-slim AS postgresql-client
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*
RUN set -eu; bin=/usr/lib/postgresql/15/bin; mkdir -p /out$bin; \
    for b in pg_dump pg_restore psql; do cp $bin/$b /out$bin/; done; \
    ldd $bin/pg_dump $bin/pg_restore $bin/psql > /tmp/ldd; \
    t=$(awk '$1 == "libc.so.6" {print $3}' /tmp/ldd | head -1 | xargs dirname | xargs basename); \
    mkdir -p /out/usr/lib/$t; \
    for lib in $(awk '$2 == "=>" && $3 ~ /^\// {print $3}' /tmp/ldd | sort -u); do \
      cp -L "$lib" /out/usr/lib/$t/; \
      p=$(dpkg -S "*/$t/$(basename "$(readlink -f "$lib")")" | head -1 | cut -d: -f1); \
      mkdir -p /out/usr/share/doc/$p; cp /usr/share/doc/$p/copyright /out/usr/share/doc/$p/; \
    done; \
    mkdir -p /out/usr/share/doc/postgresql-client-15; \
    cp /usr/share/doc/postgresql-client-15/copyright /out/usr/share/doc/postgresql-client-15/; \
    interp=$(awk '$1 ~ /^\// && $2 ~ /^\(0x/ {print $1}' /tmp/ldd | head -1); \
    cp -L "$interp" /out/usr/lib/$t/; chmod 0755 /out/usr/lib/$t/$(basename "$interp"); \
    mkdir -p /out$(dirname "$interp"); ln -sf /usr/lib/$t/$(basename "$interp") /out$interp

# capstan backup/restore run pg_dump, pg_restore and psql as child processes (PG_BIN).
FROM scratch AS backup
COPY --from=postgresql-client /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY build/capstan /capstan
COPY --from=postgresql-client /out/ /
ENV PATH=/usr/local/bin:/usr/bin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt PG_BIN=/usr/lib/postgresql/15/bin
USER 1001:1001
ENTRYPOINT ["/capstan"]

# The hook image (default target): the static capstan binary and the CA bundle, nothing else, no shell.
FROM scratch AS hook
COPY --from=postgresql-client /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY build/capstan /capstan
ENV PATH=/usr/local/bin:/usr/bin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 1001:1001
ENTRYPOINT ["/capstan"]
