# One image for both halves: `npm run start:api` and `npm run start:worker` (see docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm install, not npm ci: see .ci/run.
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# glibc gives every thread (libuv's pool, argon2, the XLSX thread) malloc arenas of its own, which fragment:
# two arenas keep the API's RSS about 60 MiB lower under load at no measurable cost (docs/benchmarks.md).
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Survey questionnaires are configuration read at start (libs/surveys), not compiled code.
COPY --from=build /app/config/surveys ./config/surveys
USER node
EXPOSE 3000
# A bounded heap keeps the API's peak RSS under 300 MiB (see docs/benchmarks.md, bench:load).
CMD ["node", "--max-old-space-size=192", "dist/apps/api/src/main.js"]
