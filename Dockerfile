# Agora: one static binary in a minimal image.
#   docker build -t agora .
#   docker run -p 8080:8080 -v agora-data:/data agora
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/agora ./cmd/agora \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/agora /agora
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV AGORA_ADDR=:8080 \
    AGORA_DATA_DIR=/data \
    AGORA_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/agora", "healthcheck"]
ENTRYPOINT ["/agora"]
CMD ["serve"]
