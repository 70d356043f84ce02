# syntax=docker/dockerfile:1
# delta-ops: compiled on Node 24 LTS, run as a non-root user, the SQLite file on a volume.
#
#   docker build -t delta-ops .
#   docker run -d --name delta-ops --env-file .env -v delta-ops-data:/app/data delta-ops
#
# NODE_VERSION is the Node that .ci/run tests the suite on (it reads this line): the image runs on the
# exact version CI ran green.
ARG NODE_VERSION=24.21.0

FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: on Node ≥ 22.16 the store uses Node's own node:sqlite, so better-sqlite3 (Node 20's
# driver, an optional dependency) is neither built nor loaded; the other scripts serve tests and tsx.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build

FROM node:${NODE_VERSION}-slim
# The daily chart draws its text with a system font, and the slim image has none.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Runtime dependencies only (no tsx, typescript, vitest…); --ignore-scripts also skips `prepare` (tsc).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY config ./config
# The SQLite file (with its WAL and lock files) goes where the config's default store.path puts it,
# data/ in the working directory: a volume, owned by the image's unprivileged `node` user. (Not set through
# DELTA_OPS_DB: an empty `DELTA_OPS_DB=` line in an --env-file would override an ENV default.)
RUN mkdir /app/data && chown node:node /app/data
USER node
# Secrets and the Discord settings come from the environment (--env-file .env, compose, a secret store).
# HTTP_LISTEN stays on the container's loopback unless HTTP_READ_TOKEN is set: serving /metrics and the
# API beyond it needs `-e HTTP_LISTEN=0.0.0.0:3000 -e HTTP_READ_TOKEN=…` (see compose.yaml).
ENV HTTP_LISTEN=127.0.0.1:3000
VOLUME ["/app/data"]
EXPOSE 3000
# GET /healthz with Node's own fetch, on the address HTTP_LISTEN names (no curl in the image).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "bin/healthcheck.mjs"]
# Without a terminal on stdin and without DISCORD_TOKEN the bot runs headless (engine, log, HTTP) until
# SIGTERM; with DISCORD_TOKEN it is the Discord bot. A leader that loses its lease exits 75: restart it
# (`--restart unless-stopped`, compose's `restart:`), it comes back as a standby.
# --max-semi-space-size=8: Node 24's default young generation is larger than Node 20's; an 8 MB one keeps a
# 1,000-account start on a day of history at ~190 MB peak RSS instead of ~250 MB, at no CPU cost (measured).
# --max-old-space-size=1024: under a 1 GB heap limit (~30x the bot's live heap at 1,000 accounts) V8 grows
# the heap less between full collections, and on Node 24 the pages it grew to stay resident (pooled): a
# simulated day at 1,000 accounts ends at 226 MB RSS instead of 467 MB (BENCHMARKS.md, "Soak").
ENTRYPOINT ["node", "--max-semi-space-size=8", "--max-old-space-size=1024", "dist/src/main.js"]
