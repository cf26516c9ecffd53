# The joblens image: the analyzer (`joblens serve`) and, with another command, the demo workers.
# Built only from this repository's files; dependencies come from the npm registry through the lockfile.
FROM node:20.20.2-bookworm-slim

# better-sqlite3 compiles from source when no prebuilt binary is reachable.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.json ./
COPY packages ./packages
RUN npx -y pnpm@9.15.9 install --frozen-lockfile

ENV NODE_ENV=production
VOLUME ["/data"]
EXPOSE 14318 4320
ENTRYPOINT ["node", "packages/cli/bin/joblens.js"]
CMD ["serve", "--host", "0.0.0.0", "--otlp-port", "14318", "--port", "4320", "--data-dir", "/data"]
