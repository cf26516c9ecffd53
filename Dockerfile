# The joblens image: the analyzer (`joblens serve`) and, with another entrypoint, compose's demo workers.
# Built only from this repository's files; dependencies come from the npm registry.

# Build stage: install with the lockfile (which builds the packages to JavaScript), then pack them.
FROM node:20.20.2-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary is reachable.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.json ./
COPY scripts ./scripts
COPY packages ./packages
RUN npx -y pnpm@9.15.9 install --frozen-lockfile
# The image holds what a user installs: the packed packages and their production dependencies, by npm.
RUN node scripts/pack-packages.mjs /tarballs \
  && mkdir -p /app && cd /app \
  && echo '{ "name": "joblens-image", "private": true, "type": "module" }' > package.json \
  && npm install --omit=dev --no-audit --no-fund /tarballs/*.tgz
# Compose's demo worker, as one plain ES module that imports the installed @joblens/sdk.
RUN npx esbuild packages/deploy/src/demo-worker/demo-worker.ts --bundle --platform=node --format=esm \
  --packages=external --tsconfig-raw='{}' --outfile=/app/demo-worker.mjs

# Final stage: Node and the installed packages only; no tsx, compiler or build tools; not root.
FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 14318 4320
ENTRYPOINT ["node", "/app/node_modules/@joblens/cli/bin/joblens.js"]
# On 0.0.0.0 `serve` refuses to start (exit 2, one line saying why) unless every role has a token. Give
# them as files, which show neither in `ps` nor in `docker inspect`: docker-compose.yml mounts secrets/ as
# Docker secrets and sets JOBLENS_{INGEST,READ,ADMIN}_TOKEN_FILE; alone, one token for all three roles:
#   docker run -v "$PWD/token:/run/secrets/joblens-token:ro" -e JOBLENS_TOKEN_FILE=/run/secrets/joblens-token ...
CMD ["serve", "--host", "0.0.0.0", "--otlp-port", "14318", "--port", "4320", "--data-dir", "/data"]
