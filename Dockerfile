# keyhound in a small image: `docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/src" IMAGE scan .`
# (run as the owner of the mounted repository: libgit2 refuses a repository owned by
# another user). The pre-commit framework's `docker_image` hook runs it the same way.
#
# Build stage: a static musl binary, built from the lock file (`--locked`), stripped by the
# release profile.
FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /build
COPY . .
RUN cargo build --release --locked --bin keyhound \
 && cp target/release/keyhound /usr/local/bin/keyhound

# Runtime stage: the binary alone on Alpine (a shell for `docker run ... sh`, nothing else).
FROM alpine:3
COPY --from=build /usr/local/bin/keyhound /usr/local/bin/keyhound
WORKDIR /src
ENTRYPOINT ["keyhound"]
CMD ["scan", "."]
