# syntax=docker/dockerfile:1
#
# One image, two apps: the Orleans silo (Platform.Silo) and the thin API (Platform.Api).
#
#   docker build -t platform:dev .
#   docker run --rm platform:dev silo      # runs /app/silo/Platform.Silo.dll
#   docker run --rm platform:dev api       # runs /app/api/Platform.Api.dll
#
# The first argument chooses the app; any further arguments go to it. Kubernetes sets
# `args: ["silo"]` or `args: ["api"]` (deploy/k8s). No secret is baked in: every secret
# arrives at run time as an environment variable (see DESIGN.md, configuration contract).
# Needs BuildKit (the default builder of current Docker) for the cache mount and heredoc.

ARG DOTNET_VERSION=10.0

# ---------------------------------------------------------------- build
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src

# Repo-wide build settings (SDK pin, central package versions, analyzers). The bracketed names
# are optional files: a wildcard that matches nothing is allowed.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig \
     Directory.Build.target[s] NuGet.confi[g] nuget.confi[g] ./
# Only the source projects; tests, benchmarks, docs and deploy are excluded by .dockerignore.
COPY src/ src/

# Restore and publish in one step so the NuGet cache mount serves both; the cache stays
# out of the image layers. UseAppHost=false: the entrypoint starts each app with `dotnet`.
RUN --mount=type=cache,id=platform-nuget,target=/root/.nuget/packages \
    dotnet restore src/Silo/Silo.csproj \
 && dotnet restore src/Api/Api.csproj \
 && dotnet publish src/Silo/Silo.csproj -c Release --no-restore \
      -p:UseAppHost=false -o /out/silo \
 && dotnet publish src/Api/Api.csproj -c Release --no-restore \
      -p:UseAppHost=false -o /out/api \
 && test -f /out/silo/Platform.Silo.dll \
 && test -f /out/api/Platform.Api.dll

# ---------------------------------------------------------------- runtime
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime

LABEL org.opencontainers.image.title="platform" \
      org.opencontainers.image.description="The Platform: Orleans silo (arg: silo) and API (arg: api)"

# The root filesystem is read-only in Kubernetes; /tmp is an emptyDir there.
ENV DOTNET_ENVIRONMENT=Production \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    TMPDIR=/tmp

WORKDIR /app
# Owned by root and not writable by the app user: the app cannot change its own binaries.
COPY --from=build --chown=0:0 --chmod=0755 /out/silo /app/silo
COPY --from=build --chown=0:0 --chmod=0755 /out/api /app/api

COPY --chown=0:0 --chmod=0755 <<'SH' /usr/local/bin/platform-entrypoint
#!/bin/sh
# Chooses the app by the first argument: `silo` or `api`. Further arguments go to the app.
set -eu
app="${1:-}"
case "$app" in
  silo) shift; cd /app/silo && exec dotnet /app/silo/Platform.Silo.dll "$@" ;;
  api)  shift; cd /app/api  && exec dotnet /app/api/Platform.Api.dll "$@" ;;
  *)    echo "usage: <image> silo|api [app arguments]" >&2; exit 64 ;;
esac
SH

# The image's own non-root user `app` (UID/GID 1654, $APP_UID in the base image), numeric so
# Kubernetes' runAsNonRoot can verify it; deploy/k8s sets runAsUser: 1654 to match.
USER 1654:1654

# Silo-to-silo, gateway (client-to-silo), HTTP (API, or the silo's health and metrics).
EXPOSE 11111 30000 8080

ENTRYPOINT ["/usr/local/bin/platform-entrypoint"]
CMD ["api"]
