# Dustcast worker image: the worker, its schedules and the dashboard in one Node 20 process.
# `npm ci` runs with internet access here, so the optional @tensorflow/tfjs-node installs its
# native TensorFlow library and training uses it instead of the slower WebAssembly backend.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Compilers for native modules that have no prebuilt binary for this platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY jobs ./jobs
COPY bin ./bin
COPY migrations ./migrations
COPY mappings ./mappings
COPY data/sample ./data/sample
# npm ci runs the prepare script, which compiles src/ and jobs/ into dist/.
RUN npm ci --no-audit --no-fund \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DUSTCAST_DATABASE_PATH=/data/dustcast.sqlite \
    DUSTCAST_MODEL_DIRECTORY=/models \
    DUSTCAST_DASHBOARD_HOST=0.0.0.0 \
    DUSTCAST_DASHBOARD_PORT=3000 \
    DUSTCAST_LOG_FORMAT=json
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/migrations ./migrations
COPY --from=build /app/mappings ./mappings
COPY --from=build /app/data/sample ./data/sample
# Named volumes copy this ownership on first use, so the unprivileged user can write to them.
RUN mkdir -p /data /models && chown node:node /data /models
USER node
VOLUME ["/data", "/models"]
EXPOSE 3000
# /health requires basic auth when a dashboard password is set, so the check sends it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "const p=process.env.DUSTCAST_DASHBOARD_PASSWORD;const u=process.env.DUSTCAST_DASHBOARD_USER||'dustcast';fetch('http://127.0.0.1:'+(process.env.DUSTCAST_DASHBOARD_PORT||3000)+'/health',{headers:p?{authorization:'Basic '+Buffer.from(u+':'+p).toString('base64')}:{}}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/dustcast.js"]
CMD ["worker"]
