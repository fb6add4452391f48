# xdrgate region gateway. One image for every region: the region's config file
# is mounted at /etc/xdrgate/gateway.yaml and addresses come from XDRGATE_* env
# vars (docs/config.md). Built by docker-compose.yml.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY errors ./errors
COPY record ./record
COPY replication-protocol ./replication-protocol
COPY engine ./engine
COPY conflict ./conflict
COPY shipper ./shipper
COPY receiver ./receiver
COPY aerospike-protocol ./aerospike-protocol
COPY xdr ./xdr
# npm ci runs the prepare script, which compiles the sources into dist/.
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The dashboard's page and script (served as files, not compiled).
COPY xdr/dashboard/static ./xdr/dashboard/static
COPY bin ./bin
COPY config ./config
RUN mkdir -p /data /etc/xdrgate && chown node:node /data
USER node
VOLUME ["/data"]
ENV XDRGATE_DATA_DIR=/data XDRGATE_LISTEN=0.0.0.0:4100
EXPOSE 4100
# SIGTERM makes the gateway stop accepting, flush, commit cursors and offsets, and exit 0.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "const p=(process.env.XDRGATE_LISTEN||'0.0.0.0:4100').split(':').pop();fetch('http://127.0.0.1:'+p+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/xdrgate.js"]
CMD ["serve", "--config", "/etc/xdrgate/gateway.yaml"]
