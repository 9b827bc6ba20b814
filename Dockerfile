# Lapak: a static binary on a distroless base, running as a non-root user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/lapak ./cmd/lapak

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lapak /usr/local/bin/lapak
USER nonroot:nonroot
ENV HTTP_ADDR=:8080
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/local/bin/lapak", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/lapak"]
CMD ["serve"]
