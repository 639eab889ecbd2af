# syntax=docker/dockerfile:1
#
# One image for both Oversight processes; docker-compose.yml picks the process:
#   API:    node dist/api/main.js     (the default CMD below)
#   worker: node dist/worker/main.js
# Node is called directly, never `npm start`: package.json's prestart/pretest hooks
# install local dev tools (Temporal CLI, a MongoDB-wire server) that an image must
# not download or run.

# ---- build: compile TypeScript and the workflow bundle, then drop dev deps ----
# Debian (glibc), not Alpine: @temporalio/core-bridge ships prebuilt glibc binaries.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# Lockfile first so the dependency layer is cached across source-only changes.
# `npm install` with the lockfile installs the locked versions (as scripts/install-tools.sh
# does) and runs dependencies' install scripts (esbuild, @swc/core, protobufjs) but
# none of the project's own hooks: scripts/install-tools.sh is only pre-start/pre-test.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm install --no-audit --no-fund

COPY . .
# tsc -p tsconfig.build.json -> dist/ (rootDir ".": api/main.ts -> dist/api/main.js),
# then scripts/build-workflow-bundle.ts -> dist/workflow-bundle.js, so the production
# worker never bundles workflow code at start-up.
RUN npm run build \
 && npm prune --omit=dev

# ---- runtime: compiled output and production dependencies only ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app

# Files stay owned by root: the unprivileged `node` user can read but not alter them.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
