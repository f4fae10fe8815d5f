# syntax=docker/dockerfile:1
#
# The gateway's container image (docs/deploy.md). Two stages: `build` compiles TypeScript with the dev
# dependencies; the runtime stage holds the production dependencies and the compiled `dist/` only.
#
#   docker build -t tencent-ssl-gateway .
#   docker run --rm -p 4000:4000 -p 9464:9464 -e TENCENTCLOUD_SECRET_ID=… -e TENCENTCLOUD_SECRET_KEY=… \
#     -e AUTH_API_KEYS=… tencent-ssl-gateway
#
# test/integration/deploy/production-layout.test.ts lays out the runtime stage as written here (its ENV, USER,
# WORKDIR, CMD and HEALTHCHECK are read from this file) and runs it without a container engine: keep
# those instructions one per line.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The one place the gateway writes: the embedded audit journal (AUDIT_DATA_DIR, data/audit) and jobs
# database (JOBS_DATA_DIR, data/jobs). Mount a volume here, or set DATABASE_URL (PostgreSQL), as
# production with several replicas should.
RUN mkdir -p /app/data && chown node:node /app/data
ENV NODE_ENV=production
# The image listens on every interface (outside production the gateway's own default is loopback).
ENV HOST=0.0.0.0
ENV PORT=4000
# /metrics, /health and /readiness on a listener of their own; the public port serves no /metrics.
ENV METRICS_PORT=9464
# The official image's unprivileged user (uid 1000).
USER node
EXPOSE 4000 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.METRICS_PORT + '/readiness').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself is PID 1 (no npm, no shell): SIGTERM reaches the gateway, which drains and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
