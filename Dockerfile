# syntax=docker/dockerfile:1
#
# The Propusk image: the release binary built in a Rust builder, run from a distroless
# base (glibc, libgcc, CA certificates, tzdata; no shell, no package manager) as an
# unprivileged user.
#
#   docker build -t propusk .
#   docker run -p 8080:8080 -e PROPUSK_ISSUER=https://id.example.com \
#       -v propusk-data:/var/lib/propusk propusk
#
# Without PROPUSK_DATABASE_URL the node keeps SQLite and a generated master key in
# /var/lib/propusk (mount a volume there); deploy/compose.yaml runs PostgreSQL and two
# nodes behind a proxy instead. The README's "Running in production" explains both.

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-bookworm AS build
WORKDIR /src
# Only what the build reads: the workspace manifest, the lock file and the crates.
COPY Cargo.toml Cargo.lock ./
COPY crates crates
# The registry and target/ live in cache mounts, so a rebuild after a source change
# recompiles only the workspace crates. The binary is copied out in the same step,
# since the cache mount is not part of the layer.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --release -p propusk --locked \
    && install -D -m 0755 target/release/propusk /out/usr/local/bin/propusk \
    && install -d -m 0700 /out/var/lib/propusk

# glibc 2.36 as in the builder; the binary links only libc, libm and libgcc_s.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/usr/local/bin/propusk /usr/local/bin/propusk
# The embedded database and master key (single node, SQLite); owned by the runtime
# user so that a named volume mounted here starts writable. The parent is copied so
# that the directory itself, not only its (empty) contents, gets the owner.
COPY --from=build --chown=65532:65532 /out/var/lib/ /var/lib/
USER 65532:65532
WORKDIR /var/lib/propusk
ENV PROPUSK_LISTEN=0.0.0.0:8080 \
    PROPUSK_DATA_DIR=/var/lib/propusk
EXPOSE 8080
# `propusk health` probes http://127.0.0.1:8080/healthz (liveness); give it --url when
# the node listens elsewhere.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/propusk", "health", "--timeout", "3"]
ENTRYPOINT ["/usr/local/bin/propusk"]
CMD ["serve"]
